"""Settings of the whole installation (not of one event): one row, made when first changed."""

from datetime import datetime

from sqlalchemy import ForeignKey, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class InstallationSettings(db.Model):
    __tablename__ = "installation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    # On: every organiser account must log in with a second factor (TOTP).
    require_organiser_two_factor: Mapped[bool] = mapped_column(default=False,
                                                               server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
