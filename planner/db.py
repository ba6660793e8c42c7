"""Declarative base, column types, engine and session factories."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, sessionmaker, Session

from planner import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator):
    """Store aware datetimes as naive UTC and hand them back as aware UTC on every backend."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store instants timezone-aware")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    id: Mapped[int] = mapped_column(primary_key=True)


class UuidMixin:
    """A stable public identifier for rows that feeds, reminders and exports refer to."""

    uuid: Mapped[uuid.UUID] = mapped_column(sa.Uuid, default=uuid.uuid4, unique=True)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)


class VersionMixin:
    """Optimistic concurrency for rows that people edit: every ORM UPDATE checks and bumps `row_version`.

    The UPDATE itself carries `WHERE row_version = <the version loaded>`, so of two saves that race, the
    second one matches no row and raises StaleDataError instead of silently overwriting the first.
    """

    row_version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.row_version}


def changes_its_owner(collection) -> None:
    """Count a change of this many-to-many collection as a change of the row that holds it: the row gets a new
    `updated_at` and so a new row version, which feeds, caches and the version check go by (a link table has
    no time of its own)."""
    def touch(target, *args):
        if sa.inspect(target).persistent:  # a new row (or one being imported) keeps the times it was given
            target.updated_at = clock.now()

    event.listen(collection, "append", touch)
    event.listen(collection, "remove", touch)


class RegionalLinkMixin:
    """A row taken over from the regional plan: which row, the version last accepted, and whether overridden."""

    source_uuid: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    source_accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    overridden: Mapped[bool] = mapped_column(default=False)


def enum_column(enum_cls, **kwargs) -> sa.Enum:
    """Store an enum by value as a short string (no native type), the same on every backend."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite URLs get their folder created.

    Pooled connections are tested before use (`pool_pre_ping`), so a connection the database server dropped
    (a restart, a fail-over, an idle timeout) is replaced silently instead of failing a user's request.
    """
    kwargs.setdefault("pool_pre_ping", True)
    sa_url = sa.engine.make_url(url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        from pathlib import Path

        Path(sa_url.database).parent.mkdir(parents=True, exist_ok=True)
    if sa_url.get_backend_name() == "postgresql" and sa_url.drivername == "postgresql":
        sa_url = sa_url.set(drivername="postgresql+psycopg")
    return sa.create_engine(sa_url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
