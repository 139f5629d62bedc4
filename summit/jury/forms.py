"""The juror's forms: a score per criterion (built from the call's criteria) and a comment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms_common import strip
from ..services.applications.review import COMMENT_MAX
from ..services.registrations.signup import too_long


def review_form(criteria, locale: str, **kwargs) -> FlaskForm:
    """A form with one radio group per criterion, named score_<criterion id>."""

    class ReviewForm(FlaskForm):
        comment = TextAreaField(_l("Comment for the organisers (optional)"), filters=[strip],
                                validators=[Optional(), Length(max=COMMENT_MAX,
                                                               message=too_long(COMMENT_MAX))],
                                render_kw={"rows": 4})

        def scores(self) -> dict[int, int | None]:
            return {criterion.id: self[f"score_{criterion.id}"].data for criterion in criteria}

    for criterion in criteria:
        label = criterion.name_de if locale == "de" and criterion.name_de else criterion.name
        setattr(ReviewForm, f"score_{criterion.id}", RadioField(
            label, coerce=int, choices=[(n, str(n)) for n in range(1, criterion.scale_max + 1)],
            validators=[InputRequired(message=_l("Please give a score from 1 to %(max)s.",
                                                 max=criterion.scale_max))]))
    return ReviewForm(**kwargs)


class ConflictForm(FlaskForm):
    """The button 'I have a conflict of interest'; only the CSRF token."""
