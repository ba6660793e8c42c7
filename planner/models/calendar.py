from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, VersionMixin, enum_column
from planner.enums import SchoolRegion

if TYPE_CHECKING:
    from planner.models import Organisation


class Observance(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """An administrator's edit of the shipped observance catalogue, or an organisation's own observance.

    A row without organisation replaces the shipped entry with the same key for everyone;
    a row with an organisation applies to that organisation's plans only.
    """

    __tablename__ = "observances"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "key"),)

    key: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200))
    rule: Mapped[dict] = mapped_column(sa.JSON)
    source: Mapped[str] = mapped_column(sa.String(500), default="")
    overrides: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))

    organisation: Mapped[Organisation | None] = relationship()


class SchoolHoliday(IdMixin, TimestampMixin, Base):
    """A school holiday imported from the national open data (newer years than the shipped ones)."""

    __tablename__ = "school_holidays"
    __table_args__ = (
        sa.UniqueConstraint("school_year", "name", "region"),
        sa.CheckConstraint("ends_on >= starts_on", name="period"),
    )

    school_year: Mapped[str] = mapped_column(sa.String(9))
    name: Mapped[str] = mapped_column(sa.String(100))
    region: Mapped[SchoolRegion] = mapped_column(enum_column(SchoolRegion))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    source: Mapped[str] = mapped_column(sa.String(500), default="")
