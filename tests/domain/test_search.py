"""The search index: Dutch stemming on both databases, access, and the index following every change."""

import datetime as dt
import uuid

import sqlalchemy as sa

from planner import migrate
from planner.db import make_engine, make_session_factory
from planner.domain.accounts import create_user
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.domain.search import rebuild_index, search
from planner.enums import AudienceCategory, ChannelKind, OrganisationKind, Role
from planner.models import Activity, Audience, Channel, KeyMessage, Partner, SearchDocument

D = dt.date
PASSWORD = "een-lang-test-wachtwoord"


def _plan(session, owner_name: str, title: str):
    owner = find_or_create_organisation(session, owner_name, OrganisationKind.MUNICIPALITY)
    return create_plan(session, title=title, owner=owner, starts_on=D(2027, 1, 4), ends_on=D(2027, 12, 17))


def _user(session, email: str, organisation_name: str, role: Role = Role.ADVISOR):
    organisation = find_or_create_organisation(session, organisation_name, OrganisationKind.MUNICIPALITY)
    return create_user(session, email, organisation, role, PASSWORD)


def _titles(groups, kind: str | None = None) -> set[str]:
    return {hit.title for group in groups if kind in (None, group.kind) for hit in group.hits}


def test_search_plural_finds_singular_and_back(session):
    plan = _plan(session, "Gemeente Doetinchem", "Samen Veilig")
    plan.activities.append(Activity(title="Gastles op de school", starts_on=D(2027, 11, 16)))
    plan.activities.append(Activity(title="Brief aan alle scholen", starts_on=D(2027, 11, 17)))
    plan.activities.append(Activity(title="Poster in de bibliotheek", starts_on=D(2027, 11, 18)))
    user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    session.commit()

    assert _titles(search(session, user, "scholen")) == {"Gastles op de school", "Brief aan alle scholen"}
    assert _titles(search(session, user, "school")) == {"Gastles op de school", "Brief aan alle scholen"}
    assert _titles(search(session, user, "SCHOLEN brief")) == {"Brief aan alle scholen"}


def test_search_last_word_matches_as_a_prefix(session):
    plan = _plan(session, "Gemeente Doetinchem", "Samen Veilig")
    plan.activities.append(Activity(title="Persbericht kindermishandeling", starts_on=D(2027, 11, 16)))
    user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    session.commit()

    assert _titles(search(session, user, "kindermis")) == {"Persbericht kindermishandeling"}
    assert _titles(search(session, user, "persb")) == {"Persbericht kindermishandeling"}
    assert search(session, user, "kindermisbruik") == []


def test_search_groups_every_kind_with_its_plan(session):
    plan = _plan(session, "Gemeente Doetinchem", "Week tegen Kindermishandeling")
    audience = Audience(name="Ouders van jonge kinderen", category=AudienceCategory.GENERAL_PUBLIC)
    plan.audiences.append(audience)
    plan.messages.append(KeyMessage(audience=audience, title="Praat erover", body="Kinderen verdienen veiligheid"))
    plan.channels.append(Channel(name="Kinderboerderij-poster", kind=ChannelKind.POSTER, lead_time_days=10))
    plan.partners.append(Partner(organisation=find_or_create_organisation(session, "Kinderopvang De Vlinder"),
                                 role="Deelt folders"))
    plan.activities.append(Activity(title="Voorlezen voor kinderen", starts_on=D(2027, 11, 16)))
    user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    session.commit()

    groups = search(session, user, "kinderen")
    assert [group.kind for group in groups] == ["plan", "activity", "audience", "message", "partner", "channel"]
    assert _titles(groups, "plan") == {"Week tegen Kindermishandeling"}
    assert _titles(groups, "message") == {"Praat erover"}  # found by its body
    assert _titles(groups, "partner") == {"Kinderopvang De Vlinder"}
    assert {hit.plan_title for group in groups for hit in group.hits} == {"Week tegen Kindermishandeling"}
    assert all(group.total == len(group.hits) for group in groups)


def test_search_never_finds_plans_the_user_may_not_read(session):
    own = _plan(session, "Gemeente Doetinchem", "Samen Veilig Doetinchem")
    other = _plan(session, "Gemeente Arnhem", "Samen Veilig Arnhem")
    own.activities.append(Activity(title="Gastles school Doetinchem", starts_on=D(2027, 11, 16)))
    other.activities.append(Activity(title="Gastles school Arnhem", starts_on=D(2027, 11, 16)))
    advisor = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    administrator = _user(session, "beheer@test.example", "Beheer", Role.ADMINISTRATOR)
    session.commit()

    assert _titles(search(session, advisor, "gastles school")) == {"Gastles school Doetinchem"}
    assert _titles(search(session, advisor, "arnhem")) == set()
    assert _titles(search(session, administrator, "gastles school")) == {
        "Gastles school Doetinchem", "Gastles school Arnhem"}


def test_search_follows_updates_and_deletions(session):
    plan = _plan(session, "Gemeente Doetinchem", "Samen Veilig")
    audience = Audience(name="Leerkrachten", category=AudienceCategory.PROFESSIONALS)
    plan.audiences.append(audience)
    plan.messages.append(KeyMessage(audience=audience, title="Signaleren op school", body="Meldcode"))
    activity = Activity(title="Gastles op de school", starts_on=D(2027, 11, 16))
    plan.activities.append(activity)
    partner = Partner(organisation=find_or_create_organisation(session, "Sportclub Vooruit"), role="")
    plan.partners.append(partner)
    user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    session.commit()

    activity.title = "Voorlichting in de bibliotheek"
    session.commit()
    assert _titles(search(session, user, "school"), "activity") == set()
    assert _titles(search(session, user, "bibliotheken")) == {"Voorlichting in de bibliotheek"}

    partner.organisation.name = "Voetbalclub Vooruit"  # renaming the organisation renames the partner
    session.commit()
    assert _titles(search(session, user, "voetbalclub")) == {"Voetbalclub Vooruit"}
    assert search(session, user, "sportclub") == []

    session.delete(audience)  # the database deletes its core message with it
    session.delete(activity)
    session.commit()
    assert search(session, user, "school") == []
    assert search(session, user, "bibliotheek") == []
    assert session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == 2  # the plan, the partner

    session.expire(plan)  # as a new request would load it
    session.delete(plan)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == 0


def test_search_ignores_punctuation_and_stop_words(session):
    plan = _plan(session, "Gemeente Doetinchem", "Samen Veilig")
    plan.activities.append(Activity(title="Gastles op de school", starts_on=D(2027, 11, 16)))
    user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    session.commit()

    assert _titles(search(session, user, 'de "school" (AND) -* ; drop')) == set()  # "and", "drop" are words
    assert _titles(search(session, user, 'de "school" *')) == {"Gastles op de school"}
    assert search(session, user, "  ?!*  ") == []


def test_rebuild_index_writes_the_same_documents(session):
    plan = _plan(session, "Gemeente Doetinchem", "Samen Veilig")
    plan.activities.append(Activity(title="Gastles op de school", starts_on=D(2027, 11, 16)))
    plan.partners.append(Partner(organisation=find_or_create_organisation(session, "GGD Noord- en Oost-Gelderland"),
                                 role="Levert sprekers"))
    user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    session.commit()
    columns = (SearchDocument.kind, SearchDocument.entity_uuid, SearchDocument.title, SearchDocument.terms)
    before = set(session.execute(sa.select(*columns)).all())

    assert rebuild_index(session) == 3
    session.commit()
    assert set(session.execute(sa.select(*columns)).all()) == before
    assert _titles(search(session, user, "sprekers")) == {"GGD Noord- en Oost-Gelderland"}


def test_migration_fills_the_index_for_existing_rows(backend):
    engine = make_engine(backend.empty_url())
    uuid_of = (lambda n: uuid.UUID(int=n).hex) if engine.dialect.name == "sqlite" else (lambda n: str(uuid.UUID(int=n)))
    try:
        migrate.upgrade(engine, "0001")  # rows written before the index existed
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, name, kind, uuid, created_at, updated_at) "
                "VALUES (1, 'Gemeente Doetinchem', 'municipality', :uuid, '2026-01-01', '2026-01-01')"),
                {"uuid": uuid_of(1)})
            connection.execute(sa.text(
                "INSERT INTO plans (id, slug, title, theme, owner_id, starts_on, ends_on, status, phase, introduction, "
                "goal, strategy, checklist_template, uuid, created_at, updated_at) VALUES (1, 'p', 'Samen Veilig', '', "
                "1, '2027-01-01', '2027-02-01', 'draft', 'initiative', '', '', '', '', :uuid, '2026-01-01', "
                "'2026-01-01')"), {"uuid": uuid_of(2)})
            connection.execute(sa.text(
                "INSERT INTO activities (id, plan_id, title, description, notes, starts_on, reach, level, status, "
                "owner_name, uuid, created_at, updated_at) VALUES (1, 1, 'Brief aan alle scholen', '', '', "
                "'2027-01-05', 'external', 'local', 'planned', '', :uuid, '2026-01-01', '2026-01-01')"),
                {"uuid": uuid_of(3)})
        migrate.upgrade(engine)
        session = make_session_factory(engine)()
        user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
        session.commit()
        assert _titles(search(session, user, "school")) == {"Brief aan alle scholen"}
        assert _titles(search(session, user, "samen")) == {"Samen Veilig"}
        session.close()
    finally:
        engine.dispose()


def test_the_demo_is_searchable_and_reindex_restores_a_lost_index(cli, engine):
    assert cli("demo").exit_code == 0
    with engine.begin() as connection:
        count = connection.scalar(sa.select(sa.func.count()).select_from(SearchDocument))
        connection.execute(sa.delete(SearchDocument))  # e.g. a restore of the tables without the index

    result = cli("search", "reindex")
    assert result.exit_code == 0
    assert result.output == f"search index rebuilt: {count} documents\n"
    session = make_session_factory(engine)()
    user = _user(session, "beheer@test.example", "Beheer", Role.ADMINISTRATOR)
    session.commit()
    assert "Startoverleg met scholen, GGD en Veilig Thuis" in _titles(search(session, user, "school"), "activity")
    session.close()


def test_sqlite_stems_are_postgresqls_dutch_stems(session):
    from planner.models.search import dutch_stems

    words = ["scholen", "school", "kinderen", "kindermishandeling", "bibliotheken", "ouders", "eenzaamheid",
             "schoolvakanties", "sportclubs", "café", "geïnformeerd", "vrijwilligers", "meldcode"]
    if session.get_bind().dialect.name != "postgresql":
        assert dutch_stems(" ".join(words))[:2] == ["schol", "schol"]
        return
    ours = dutch_stems(" ".join(words))
    theirs = [session.scalar(sa.text("SELECT (ts_lexize('dutch_stem', :word))[1]"), {"word": word}) for word in words]
    assert ours == theirs


def test_reindex_plan_catches_up_with_rows_written_without_the_orm(session):
    from planner.domain.search import reindex_plan

    plan = _plan(session, "Gemeente Doetinchem", "Samen Veilig")
    other = _plan(session, "Gemeente Doetinchem", "Ander plan")
    other.activities.append(Activity(title="Gastles in Ander plan", starts_on=D(2027, 11, 16)))
    user = _user(session, "adviseur@doetinchem.example", "Gemeente Doetinchem")
    session.commit()
    written = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    session.execute(Activity.__table__.insert().values(  # as the trash restores a row
        plan_id=plan.id, title="Teruggezette gastles op school", description="", notes="", uuid=uuid.uuid4(),
        starts_on=D(2027, 11, 17), reach="external", level="local", status="planned", owner_name="",
        anchor_offset=0, anchor_unit="days", recurrence="", exdates=[], created_at=written, updated_at=written))
    assert search(session, user, "school") == []

    assert reindex_plan(session, plan.id) == 2  # the plan and the restored activity; the other plan untouched
    session.commit()
    assert _titles(search(session, user, "school")) == {"Teruggezette gastles op school"}
    assert _titles(search(session, user, "gastles")) == {"Teruggezette gastles op school", "Gastles in Ander plan"}


def test_threads_stemming_at_once_each_get_their_own_stems():
    """A worker's threads index and search at once: Snowball's stemmer keeps the word it works on, so each thread
    has its own (a shared one gave wrong stems and IndexErrors)."""
    import sys
    import threading

    from planner.models.search import dutch_stems

    text = " ".join(["scholen kinderen ouders huiselijk geweld veiligheid mishandeling campagnes"] * 100)
    expected = dutch_stems(text)
    failures = []

    def stem_often():
        try:
            for _ in range(10):
                if dutch_stems(text) != expected:
                    failures.append("other stems")
        except Exception as exc:  # noqa: BLE001 - any failure in a thread counts
            failures.append(repr(exc))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        threads = [threading.Thread(target=stem_often) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
