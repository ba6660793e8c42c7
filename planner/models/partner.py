from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, VersionMixin

if TYPE_CHECKING:
    from planner.models import Organisation, Plan


class Partner(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """An organisation taking part in a plan (samenwerkingspartner), possibly as a sender."""

    __tablename__ = "partners"
    __table_args__ = (sa.UniqueConstraint("plan_id", "organisation_id"),)

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()
    contacts: Mapped[list[ContactPerson]] = relationship(
        back_populates="partner", order_by="ContactPerson.name", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def name(self) -> str:
        return self.organisation.name


class ContactPerson(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """A person at a partner; personal data, never published in feeds."""

    __tablename__ = "contact_persons"

    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    function: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")

    partner: Mapped[Partner] = relationship(back_populates="contacts")
