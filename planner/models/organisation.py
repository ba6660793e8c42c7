from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, enum_column
from planner.enums import OrganisationKind, SchoolRegion


class Organisation(IdMixin, UuidMixin, TimestampMixin, Base):
    """A municipality, a region or a partner organisation."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    school_region: Mapped[SchoolRegion | None] = mapped_column(enum_column(SchoolRegion))

    region: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"
