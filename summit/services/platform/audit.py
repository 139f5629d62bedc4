"""The audit log: what organisers did. Written inside the caller's transaction, so an action
and its record commit (or roll back) together."""

from ...extensions import db
from ...models import AuditEntry, User


def record(action: str, *, actor: User | None, event_id: int | None = None,
           target=None, **details) -> AuditEntry:
    entry = AuditEntry(
        action=action, user_id=actor.id if actor else None, event_id=event_id,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None), details=_jsonable(details),
    )
    db.session.add(entry)
    return entry


def _jsonable(details: dict) -> dict:
    return {key: value if isinstance(value, int | float | bool | str | None) else str(value)
            for key, value in details.items()}
