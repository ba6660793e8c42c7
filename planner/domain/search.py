"""Full-text search across the plans a user may read, on the database's own index.

PostgreSQL matches `to_tsquery('dutch', ...)` against the GIN-indexed, stored Dutch tsvector; SQLite matches the
Snowball stems of the query against its FTS5 table. Both stem Dutch the same way ("scholen" finds "school")
and treat the last word as a prefix, so results appear while a word is still being typed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from planner.domain.access import visible_plans_filter
from planner.models import Activity, Audience, Channel, KeyMessage, Partner, Plan, User
from planner.models.search import FTS_TABLE, KINDS, PG_VECTOR, WORD, SearchDocument, document_row, dutch_stems

MAX_WORDS = 12
PER_KIND = 25
# Words PostgreSQL's 'dutch' configuration leaves out of a query; SQLite drops them too, so both find the same.
STOP_WORDS = frozenset("""aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon
kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen
toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo
zonder zou""".split())


@dataclass(frozen=True)
class Hit:
    kind: str
    entity_id: int
    entity_uuid: uuid.UUID
    title: str
    body: str
    plan_slug: str
    plan_title: str
    plan_owner_id: int


@dataclass(frozen=True)
class Group:
    kind: str
    hits: list[Hit]
    total: int


def query_words(text: str) -> list[str]:
    """The words searched for: lower case, without stop words (unless there is nothing else)."""
    words = WORD.findall(text.lower())[:MAX_WORDS]
    meaningful = [word for word in words if word not in STOP_WORDS]
    return meaningful or words


def search(session: Session, user: User, text: str, per_kind: int = PER_KIND) -> list[Group]:
    """The documents matching `text` in the plans `user` may read, best first, grouped by kind (one query)."""
    words = query_words(text)
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        match, rank = _postgresql_match(words)
        source = SearchDocument.__table__
    else:
        fts = _sqlite_match(words)
        source = SearchDocument.__table__.join(fts, fts.c.doc_id == SearchDocument.id)
        match, rank = sa.true(), fts.c.rank
    # Rank the matches on narrow rows; then fetch titles, texts and plans of the shown ones by primary key (two
    # statements, whatever the number of matches: one join would make the planner scan every document).
    ranked = (
        sa.select(SearchDocument.id, SearchDocument.kind,
                  sa.func.row_number().over(partition_by=SearchDocument.kind,
                                            order_by=(rank, SearchDocument.id)).label("n"),
                  sa.func.count().over(partition_by=SearchDocument.kind).label("total"))
        .select_from(source).join(Plan, Plan.id == SearchDocument.plan_id)
        .where(match, visible_plans_filter(user))
        .subquery()
    )
    best = session.execute(sa.select(ranked.c.id, ranked.c.kind, ranked.c.total)
                           .where(ranked.c.n <= per_kind).order_by(ranked.c.kind, ranked.c.n)).all()
    if not best:
        return []
    shown = {row.id: row for row in session.execute(
        sa.select(SearchDocument.id, SearchDocument.entity_id, SearchDocument.entity_uuid, SearchDocument.title,
                  SearchDocument.body, Plan.slug, Plan.title.label("plan_title"), Plan.owner_id)
        .join(Plan, Plan.id == SearchDocument.plan_id).where(SearchDocument.id.in_([row.id for row in best])))}
    groups = {kind: Group(kind, [], 0) for kind in KINDS}
    for doc_id, kind, total in best:
        row = shown[doc_id]
        groups[kind].hits.append(Hit(kind, row.entity_id, row.entity_uuid, row.title, row.body, row.slug,
                                     row.plan_title, row.owner_id))
        groups[kind] = Group(kind, groups[kind].hits, total)
    return [group for group in groups.values() if group.hits]


def _postgresql_match(words: list[str]):
    query = " & ".join([*words[:-1], f"{words[-1]}:*"])
    tsquery = sa.func.to_tsquery(sa.literal_column("'dutch'"), sa.literal(query, sa.Text))
    vector = sa.literal_column(PG_VECTOR)  # the GIN-indexed generated column
    return vector.op("@@")(tsquery), -sa.func.ts_rank(vector, tsquery)


def _sqlite_match(words: list[str]):
    stems = dutch_stems(" ".join(words))
    last = f'"{stems[-1]}"*'  # a prefix, as PostgreSQL's ':*' ("kindermis" finds "kindermishandeling")
    expression = " AND ".join([*(f'"{stem}"' for stem in stems[:-1]), last])
    fts = sa.table(FTS_TABLE, sa.column("rowid"), sa.column("rank"))
    return (sa.select(fts.c.rowid.label("doc_id"), fts.c.rank.label("rank"))
            .where(sa.literal_column(FTS_TABLE).op("MATCH")(sa.literal(expression, sa.Text))).subquery())


def rebuild_index(session: Session) -> int:
    """Write every search document again from the rows themselves; return how many there are."""
    session.execute(SearchDocument.__table__.delete())
    return _write_documents(session, None)


def reindex_plan(session: Session, plan_id: int) -> int:
    """Write the search documents of one plan again: after rows were written without the ORM (a restore from
    the trash, an undone change), whose flush listener keeps the index current otherwise."""
    session.flush()
    session.execute(SearchDocument.__table__.delete().where(SearchDocument.plan_id == plan_id))
    return _write_documents(session, plan_id)


def _write_documents(session: Session, plan_id: int | None) -> int:
    table = SearchDocument.__table__
    count = 0
    for model, options in ((Plan, ()), (Activity, ()), (Audience, ()), (KeyMessage, ()),
                           (Partner, (selectinload(Partner.organisation),)), (Channel, ())):
        in_plan = sa.true() if plan_id is None else (model.id if model is Plan else model.plan_id) == plan_id
        last = 0
        while batch := session.scalars(sa.select(model).where(in_plan, model.id > last).options(*options)
                                       .order_by(model.id).limit(1000)).all():
            session.execute(table.insert(), [
                document_row(obj, obj.organisation.name if model is Partner else None) for obj in batch])
            count, last = count + len(batch), batch[-1].id
    return count
