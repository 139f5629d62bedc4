"""Who may open what: one decorator for pages, used by every blueprint."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..extensions import login_manager
from ..models import User
from ..services.platform import accounts


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """None (logged out) once the password changed in another browser: see accounts."""
    return accounts.user_for_session(session_id)


def roles_required(*roles: str):
    """Logged in (else the login page) and holding one of the roles (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
