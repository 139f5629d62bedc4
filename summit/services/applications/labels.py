"""The words for an application's status, on every page that shows one."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {"submitted": _l("Submitted"), "withdrawn": _l("Withdrawn"),
                 "accepted": _l("Accepted"), "reserve": _l("Reserve list"),
                 "rejected": _l("Not chosen")}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))

STAGE_LABELS = {"idea": _l("Idea"), "prototype": _l("Prototype"),
                "early": _l("First customers or beneficiaries"), "growth": _l("Growing"),
                "established": _l("Established")}


def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))
