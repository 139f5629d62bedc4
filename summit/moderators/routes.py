from flask import render_template

from ..auth.access import roles_required
from . import bp


@bp.get("/moderator/")
@roles_required("moderator", "organiser")
def my_sessions():
    return render_template("moderators/my_sessions.html", sessions=[])
