from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import (
    Base, IdMixin, RegionalLinkMixin, TimestampMixin, UuidMixin, VersionMixin, changes_its_owner, enum_column,
)
from planner.enums import AudienceCategory, Intensity

if TYPE_CHECKING:
    from planner.models import Embargo, KeyMessage, Partner, Plan

audience_intermediaries = sa.Table(
    "audience_intermediaries",
    Base.metadata,
    sa.Column("audience_id", sa.ForeignKey("audiences.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("partner_id", sa.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
)


class Audience(IdMixin, UuidMixin, TimestampMixin, VersionMixin, RegionalLinkMixin, Base):
    """A doelgroep or stakeholder; interest and influence place it on the stakeholder map."""

    __tablename__ = "audiences"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "name"),
        sa.CheckConstraint("interest BETWEEN 1 AND 5", name="interest_range"),
        sa.CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[AudienceCategory] = mapped_column(enum_column(AudienceCategory))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    interest: Mapped[int | None]
    influence: Mapped[int | None]
    intensity: Mapped[Intensity] = mapped_column(enum_column(Intensity), default=Intensity.INFORM)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Pupils, parents via school, teachers: activities for them avoid the school holidays.
    in_education: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="audiences")
    intermediaries: Mapped[list[Partner]] = relationship(secondary=audience_intermediaries, order_by="Partner.id")
    messages: Mapped[list[KeyMessage]] = relationship(back_populates="audience", viewonly=True)
    embargoes: Mapped[list[Embargo]] = relationship(back_populates="audience", viewonly=True)

    @property
    def on_stakeholder_map(self) -> bool:
        return self.interest is not None and self.influence is not None


changes_its_owner(Audience.intermediaries)
