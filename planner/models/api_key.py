from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner import clock
from planner.db import Base, IdMixin, UTCDateTime, UuidMixin, enum_column
from planner.enums import ApiScope, Role

if TYPE_CHECKING:
    from planner.models import Organisation, User


class ApiKey(IdMixin, UuidMixin, Base):
    """A key with which a program uses the API on behalf of one organisation, in one role.

    Only a SHA-256 hash of the key is stored; the key itself is shown once. `prefix` (the first characters)
    lets people recognise a key in the list without it being a secret.
    """

    __tablename__ = "api_keys"
    __table_args__ = (sa.Index("ix_api_keys_organisation_id_created_at", "organisation_id", "created_at"),)

    name: Mapped[str] = mapped_column(sa.String(120))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    scope: Mapped[ApiScope] = mapped_column(enum_column(ApiScope))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Bookkeeping, written at most once a minute and for the rate limit: never part of any content version.
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    window_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    window_count: Mapped[int] = mapped_column(default=0)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
