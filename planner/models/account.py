from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner import clock
from planner.db import Base, IdMixin, TimestampMixin, UTCDateTime, UuidMixin, enum_column
from planner.enums import DigestMode, Role

if TYPE_CHECKING:
    from planner.models import Organisation


class User(IdMixin, UuidMixin, TimestampMixin, Base):
    """A person who logs in; belongs to one organisation and has one role."""

    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("oidc_issuer", "oidc_subject"),)

    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    digest_mode: Mapped[DigestMode] = mapped_column(enum_column(DigestMode), default=DigestMode.DAILY)
    digest_time: Mapped[dt.time] = mapped_column(default=dt.time(7, 30))
    # single sign-on: the provider's stable identifier of the person (never only the e-mail address)
    oidc_issuer: Mapped[str | None] = mapped_column(sa.String(500))
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(255))
    # an administrator who may log in with a password when local passwords are off (PLANNER_LOCAL_LOGIN=off)
    break_glass: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship()


class UserSession(IdMixin, Base):
    """A server-side login session; the cookie carries only its random id, so logout can end it."""

    __tablename__ = "user_sessions"

    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    via_sso: Mapped[bool] = mapped_column(default=False)
    # the provider's session id (the ID token's `sid`), which a back-channel logout names
    oidc_sid: Mapped[str | None] = mapped_column(sa.String(255), index=True)

    user: Mapped[User] = relationship()


class LoginAttempt(IdMixin, Base):
    """A failed login, kept for a day to slow down guessing per address and per account from that address.

    `address` is the client's address (an IPv6 address as its /64 network); `account_hash` is the
    SHA-256 of the e-mail address that was typed, normalised, whether or not an account has it (a
    hash, because people type their password in the e-mail field by mistake).
    """

    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index("ix_login_attempts_address_at", "address", "at"),
                      sa.Index("ix_login_attempts_account_hash_address_at", "account_hash", "address", "at"))

    address: Mapped[str] = mapped_column(sa.String(64))
    account_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)


class PasswordReset(IdMixin, Base):
    """A single-use, expiring password-reset link; only its hash is stored."""

    __tablename__ = "password_resets"

    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
