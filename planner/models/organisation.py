from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, VersionMixin, enum_column
from planner.enums import OrganisationKind, SchoolRegion


class Organisation(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """A municipality, a region or a partner organisation."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    school_region: Mapped[SchoolRegion | None] = mapped_column(enum_column(SchoolRegion))

    # House style for generated documents: colour as #RRGGBB, a font name, a PNG or JPEG logo.
    primary_colour: Mapped[str] = mapped_column(sa.String(7), default="#154273")
    font: Mapped[str] = mapped_column(sa.String(60), default="Calibri")
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    region: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"
