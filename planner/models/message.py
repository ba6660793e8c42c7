from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner import clock
from planner.db import Base, IdMixin, RegionalLinkMixin, TimestampMixin, UTCDateTime, UuidMixin, VersionMixin

if TYPE_CHECKING:
    from planner.models import Audience, Plan


class KeyMessage(IdMixin, UuidMixin, TimestampMixin, VersionMixin, RegionalLinkMixin, Base):
    """The core message (kernboodschap) for one audience; `version` counts text changes."""

    __tablename__ = "key_messages"

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    audience_id: Mapped[int] = mapped_column(sa.ForeignKey("audiences.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="messages")
    audience: Mapped[Audience] = relationship(back_populates="messages")
    translations: Mapped[list[MessageTranslation]] = relationship(
        back_populates="message", order_by="MessageTranslation.language",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    history: Mapped[list[MessageVersion]] = relationship(
        back_populates="message", order_by="MessageVersion.version",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class MessageVersion(IdMixin, Base):
    """An earlier text of a key message, kept when the text changes."""

    __tablename__ = "message_versions"
    __table_args__ = (sa.UniqueConstraint("message_id", "version"),)

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("key_messages.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    message: Mapped[KeyMessage] = relationship(back_populates="history")


class MessageTranslation(IdMixin, TimestampMixin, VersionMixin, Base):
    """The key message in another language (anderstaligheid)."""

    __tablename__ = "message_translations"
    __table_args__ = (sa.UniqueConstraint("message_id", "language"),)

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("key_messages.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(sa.String(16))
    body: Mapped[str] = mapped_column(sa.Text)

    message: Mapped[KeyMessage] = relationship(back_populates="translations")
