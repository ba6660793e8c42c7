"""AVG: an erased contact person leaves no trace anywhere in the database, and an export shows every copy."""

from __future__ import annotations

import json

import sqlalchemy as sa

from planner.domain import feeds
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.gates import move_plan
from planner.domain.plans import get_plan
from planner.domain.privacy import ERASED, erase_person, export_person, find_person, person_of
from planner import clock
from planner.domain.accounts import create_user
from planner.enums import FeedScope, PlanStatus, ReminderKind, Role
from planner.models import Activity, ContactPerson, Decision, Reminder, Subscription

NAME, EMAIL, PHONE, FUNCTION = "Özlem Brouwer-Yıldız", "ozlem.brouwer@veiligthuis.example", "06 2345 6789", \
    "Aandachtsfunctionaris Kwetsbare Wijken"
TRACES = (NAME.casefold(), EMAIL, PHONE, FUNCTION.casefold(), "06-23456789", "0623456789", "brouwer-yıldız")


def _spread_the_person(session):
    """Put the person where real use puts them: contact, owner, free text, feed, decisions, snapshots."""
    plan = get_plan(session, MUNICIPAL_SLUG)
    contact = ContactPerson(name=NAME, function="Adviseur", email=EMAIL, phone="0600000000")
    plan.partners[0].contacts.append(contact)
    session.flush()
    contact.phone = PHONE  # the audit log keeps the old and the new number
    owned = [a for a in plan.activities][:2]
    owned[0].owner_name = NAME
    owned[1].owner_name = NAME
    owned[0].description = f"Afstemmen met {NAME.upper()} ({EMAIL}, tel. 06-23456789)."
    session.add(Decision(plan=plan, title="Afstemming Veilig Thuis", decided_on=plan.starts_on,
                         participants=f"wethouder, {NAME}"))
    feeds.create_subscription(session, plan, f"{NAME} – Outlook", FeedScope.PERSON, person=NAME)
    session.flush()
    first, second = [s for s in (PlanStatus.AWAITING_APPROVAL, PlanStatus.APPROVED, PlanStatus.IN_PROGRESS)
                     if s != plan.status][:2]
    move_plan(session, plan, first, plan.phase, by="adviseur", note=f"gelezen door {NAME}", today=plan.starts_on)
    contact.function = FUNCTION  # a later snapshot holds the new job title, the first one the old
    move_plan(session, plan, second, plan.phase, by="college", note="", today=plan.starts_on)
    session.delete(owned[1])  # its feed tombstone repeats the owner's name
    # a reminder composed before the erase, still waiting to be sent, names the person as an owner
    advisor = create_user(session, "adviseur@privacy.example", plan.owner, Role.ADVISOR, "een-lang-wachtwoord-88")
    session.flush()
    session.add(Reminder(user_id=advisor.id, kind=ReminderKind.DIGEST, item="digest", on_date=plan.starts_on,
                         recipient=advisor.email, subject="Planner", message_id="<privacy@planner.example>",
                         body=f"Eigenaar: {NAME}".encode("utf-8"), items=[], created_at=clock.now(),
                         next_attempt_at=clock.now()))
    session.commit()
    return plan


def _dump(engine) -> str:
    """Every value of every column of every table, reflected from the database itself."""
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    texts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, (dict, list)):
                        value = json.dumps(value, ensure_ascii=False)
                    texts.append(f"{table.name}: {value}")
                    if isinstance(value, str) and value[:1] in "[{":
                        try:  # JSON kept as text: read its \\u escapes as the characters they are
                            texts.append(f"{table.name}: {json.dumps(json.loads(value), ensure_ascii=False)}")
                        except ValueError:
                            pass
    return "\n".join(texts).casefold()


def test_erase_leaves_no_trace_of_the_person_in_any_table(demo_session, engine):
    plan = _spread_the_person(demo_session)
    before = _dump(engine)
    for trace in TRACES[:5]:
        assert trace in before
    assert "plan_snapshots: " in before and NAME.casefold() in before.split("plan_snapshots: ", 1)[1]

    erase_person(demo_session, find_person(demo_session, EMAIL.upper()))
    demo_session.commit()

    after = _dump(engine)
    left = [line for line in after.splitlines() if any(trace in line for trace in TRACES)]
    assert left == []
    demo_session.expire_all()
    assert get_plan(demo_session, MUNICIPAL_SLUG).partners[0].name == plan.partners[0].name
    assert len(plan.snapshots) == 2
    person_feed = demo_session.scalar(sa.select(Subscription).where(Subscription.scope == FeedScope.PERSON))
    assert person_feed.revoked_at is not None and person_feed.person == ERASED
    assert not find_person(demo_session, EMAIL).found


def test_export_shows_what_snapshots_and_other_rows_hold_about_the_person(demo_session):
    _spread_the_person(demo_session)
    exported = export_person(demo_session, find_person(demo_session, NAME.lower()))
    text = json.dumps(exported, ensure_ascii=False)
    assert exported["contact_persons"][0]["function"] == FUNCTION
    snapshot_titles = {c["function"] for s in exported["plan_snapshots"] for c in s["contact_persons"]}
    assert snapshot_titles == {"Adviseur", FUNCTION}
    mentioned_in = {m["table"] for m in exported["mentions"]}
    assert {"activities", "decisions", "subscriptions", "feed_tombstones", "plan_snapshots"} <= mentioned_in
    assert "tel. 06-23456789" in text


def test_a_deleted_contact_is_still_found_through_its_copies_and_erased(demo_session, engine):
    plan = _spread_the_person(demo_session)
    contact = demo_session.scalar(sa.select(ContactPerson).where(ContactPerson.email == EMAIL))
    plan.partners[0].contacts.remove(contact)
    demo_session.commit()

    person = find_person(demo_session, EMAIL)
    assert person.found and person.contacts == []
    assert FUNCTION in json.dumps(export_person(demo_session, person), ensure_ascii=False)
    erased, copies = erase_person(demo_session, person)
    assert erased == 0 and copies >= 5
    demo_session.commit()
    assert not [line for line in _dump(engine).splitlines() if any(trace in line for trace in TRACES)]


def test_erasing_a_contact_of_one_plan_leaves_other_plans_alone(demo_session):
    plan = _spread_the_person(demo_session)
    regional = get_plan(demo_session, REGIONAL_SLUG)
    namesake = regional.activities[0]
    namesake.owner_name = NAME  # someone else's plan: not this advisor's to change
    demo_session.commit()

    contact = demo_session.scalar(sa.select(ContactPerson).where(ContactPerson.email == EMAIL))
    erase_person(demo_session, person_of(demo_session, contact))
    demo_session.commit()
    demo_session.expire_all()
    assert demo_session.get(Activity, namesake.id).owner_name == NAME
    assert NAME not in json.dumps([s.document for s in plan.snapshots], ensure_ascii=False)
    assert all(a.owner_name != NAME for a in plan.activities)
