"""The search index: one document per searchable row, written for every flush that touches one.

The table is the same on every database. What makes it fast is engine-specific and lives in the migration:
PostgreSQL has a stored generated column `to_tsvector('dutch', title || ' ' || body)` with a GIN index on
it; SQLite has an FTS5 table over
`terms` (the Dutch stems of title and body, made here with the Snowball stemmer), kept in step by triggers.
"""

from __future__ import annotations

import re
import threading
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from planner.db import Base, IdMixin

# model name -> (kind, the field shown as the title, the fields searched besides it). Internal notes are left out.
INDEXED = {
    "Plan": ("plan", "title", ("theme", "summary", "introduction", "goal", "strategy")),
    "Activity": ("activity", "title", ("description", "owner_name")),
    "Audience": ("audience", "name", ("description",)),
    "KeyMessage": ("message", "title", ("body",)),
    "Partner": ("partner", None, ("role",)),  # its title is the organisation's name
    "Channel": ("channel", "name", ()),
}
# Made by the migration, outside the ORM metadata (see planner.migrate.include_name).
FTS_TABLE = "search_fts"
PG_INDEX = "ix_search_documents_fts"
PG_VECTOR = "search_documents.search_vector"  # GENERATED ALWAYS AS (to_tsvector('dutch', title || ' ' || body))
KINDS = tuple(kind for kind, _, _ in INDEXED.values())
WORD = re.compile(r"\w+")
_local = threading.local()  # the stemmer of each thread


def _stemmer():
    """Snowball's original (Porter) Dutch stemmer: the one PostgreSQL's 'dutch' configuration uses, so that both
    databases reduce a word to the same stem ("scholen" and "school" -> "schol"). One per thread (it keeps its
    word while stemming, and a worker's threads stem at once), made when first needed: most commands never stem
    a word."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch_porter")
    return stemmer


class SearchDocument(IdMixin, Base):
    __tablename__ = "search_documents"
    __table_args__ = (sa.Index("ix_search_documents_plan_id_kind", "plan_id", "kind"),)

    kind: Mapped[str] = mapped_column(sa.String(20))
    entity_uuid: Mapped[uuid.UUID] = mapped_column(sa.Uuid, unique=True)
    entity_id: Mapped[int]
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    terms: Mapped[str] = mapped_column(sa.Text, default="")  # Dutch stems, for SQLite's FTS5 table


def dutch_stems(text: str) -> list[str]:
    """The words of `text`, lower case, each reduced to its Dutch stem ("scholen" and "school" -> "schol")."""
    return _stemmer().stemWords(WORD.findall(text.lower()))


def document_row(obj, partner_name: str | None = None) -> dict:
    """The search document of an indexed row, as the values of one insert."""
    model = type(obj).__name__
    kind, title_field, fields = INDEXED[model]
    title = partner_name if title_field is None else getattr(obj, title_field) or ""
    body = "\n".join(value for value in (getattr(obj, name) or "" for name in fields) if value)
    return {"kind": kind, "entity_uuid": obj.uuid, "entity_id": obj.id,
            "plan_id": obj.id if model == "Plan" else obj.plan_id, "title": title[:300], "body": body,
            "terms": " ".join(dutch_stems(f"{title}\n{body}"))}


def _watched(model: str) -> set[str]:
    kind, title_field, fields = INDEXED[model]
    watched = set(fields) | {"plan_id", "uuid"}
    return watched | ({"organisation_id", "organisation"} if title_field is None else {title_field})


def _changed(obj) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in _watched(type(obj).__name__)
               if name in state.attrs)


def _partner_name(connection, partner) -> str:
    organisation = partner.__dict__.get("organisation")
    if organisation is not None:
        return organisation.name
    from planner.models.organisation import Organisation

    return connection.scalar(sa.select(Organisation.name).where(Organisation.id == partner.organisation_id)) or ""


def sweep_condition():
    """Documents whose row is gone (deleted by a database cascade the session never saw)."""
    from planner import models

    tables = {"plan": models.Plan, "activity": models.Activity, "audience": models.Audience,
              "message": models.KeyMessage, "partner": models.Partner, "channel": models.Channel}
    return sa.or_(*(sa.and_(SearchDocument.kind == kind,
                            ~sa.exists().where(model.uuid == SearchDocument.entity_uuid))
                    for kind, model in tables.items()))


def _renamed_organisations(session) -> list[int]:
    return [obj.id for obj in session.dirty if type(obj).__name__ == "Organisation"
            and sa.inspect(obj).attrs["name"].history.has_changes()]


@sa.event.listens_for(sa.orm.Session, "after_flush")
def _write_search_documents(session, flush_context):
    """Bring the documents of the rows this flush created, changed or deleted up to date (same SQL everywhere)."""
    table = SearchDocument.__table__
    changed = [obj for obj in (*session.new, *session.dirty) if type(obj).__name__ in INDEXED
               and (obj in session.new or _changed(obj)) and obj not in session.deleted]
    swept_plans = {sa.inspect(obj).dict.get("id" if type(obj).__name__ == "Plan" else "plan_id")
                   for obj in session.deleted if type(obj).__name__ in INDEXED}
    renamed = _renamed_organisations(session)
    if not (changed or swept_plans or renamed):
        return
    connection = session.connection()
    if changed:
        rows = [document_row(obj, _partner_name(connection, obj) if type(obj).__name__ == "Partner" else None)
                for obj in changed]
        for start in range(0, len(rows), 1000):  # an import flushes thousands of rows at once
            chunk = rows[start:start + 1000]
            connection.execute(table.delete().where(table.c.entity_uuid.in_([row["entity_uuid"] for row in chunk])))
            connection.execute(table.insert(), chunk)
    if swept_plans:
        # The deleted rows, and what the database deleted with them (an audience's core messages).
        plans = [plan_id for plan_id in swept_plans if plan_id is not None]
        where = table.c.plan_id.in_(plans) if None not in swept_plans else sa.true()
        connection.execute(table.delete().where(where, sweep_condition()))
    for organisation_id in renamed:
        from planner.models.organisation import Organisation
        from planner.models.partner import Partner

        name = connection.scalar(sa.select(Organisation.name).where(Organisation.id == organisation_id))
        partners = sa.select(Partner.id).where(Partner.organisation_id == organisation_id)
        for doc_id, body in connection.execute(sa.select(table.c.id, table.c.body).where(
                table.c.kind == "partner", table.c.entity_id.in_(partners))).all():
            connection.execute(table.update().where(table.c.id == doc_id).values(
                title=name[:300], terms=" ".join(dutch_stems(f"{name}\n{body}"))))
