from flask import render_template

from ..auth.access import roles_required
from . import bp


@bp.get("/desk/")
@roles_required("organiser", "staff")
def desk_index():
    return render_template("checkin/index.html")
