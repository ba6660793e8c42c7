import datetime as dt
import json

import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.privacy import ERASED
from planner.enums import ChecklistStatus
from planner.models import AuditEntry, ContactPerson
from tests.conftest import ADMIN_EMAIL
from tests.helpers import submit, text_of
from tests.web.test_documents import needs_libreoffice


def test_changes_are_logged_with_who_and_shown_per_plan(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    activity = plan.activities[0]
    data = {"title": "Nieuwe titel", "starts_on": activity.starts_on.isoformat(), "reach": "external",
            "level": "local", "status": "done", "audience_ids": [str(a.id) for a in activity.audiences]}
    assert submit(client, f"/plans/{plan.slug}/activities/{activity.id}/edit", data).status_code == 302
    entry = demo_session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_uuid == activity.uuid,
                                                            AuditEntry.action == "update"))
    assert entry.actor == ADMIN_EMAIL
    assert entry.changes["title"] == ["Startoverleg met scholen, GGD en Veilig Thuis", "Nieuwe titel"]
    page = text_of(client.get(f"/plans/{plan.slug}/history"))
    assert "Nieuwe titel" in page and ADMIN_EMAIL in page and "Startoverleg met scholen" in page


def test_contact_person_data_can_be_exported_and_erased(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    partner = plan.partners[0]
    response = submit(client, f"/plans/{plan.slug}/contacts/new", {
        "partner_id": str(partner.id), "name": "Sanne de Vries", "function": "Adviseur",
        "email": "sanne@example.nl", "phone": "06 1234 5678"})
    assert response.status_code == 302
    contact = demo_session.scalar(sa.select(ContactPerson).where(ContactPerson.name == "Sanne de Vries"))
    exported = client.get(f"/plans/{plan.slug}/contacts/{contact.id}/personal-data.json")
    data = json.loads(exported.data)["contact_persons"][0]
    assert data["email"] == "sanne@example.nl" and data["history"][0]["action"] == "create"
    assert "Wissen" in text_of(client.get(f"/plans/{plan.slug}/contacts/{contact.id}/erase"))
    assert submit(client, f"/plans/{plan.slug}/contacts/{contact.id}/erase", {}).status_code == 302
    demo_session.expire_all()
    erased = demo_session.get(ContactPerson, contact.id)
    assert (erased.name, erased.email, erased.phone) == (ERASED, "", "")
    logged = " ".join(json.dumps(e.changes) + e.summary for e in demo_session.scalars(
        sa.select(AuditEntry).where(AuditEntry.entity_uuid == contact.uuid)))
    assert "Sanne" not in logged and "sanne@example.nl" not in logged and "5678" not in logged
    assert get_plan(demo_session, MUNICIPAL_SLUG).partners[0].name == partner.name


def test_secrets_never_reach_the_audit_log(demo_session, client):
    import re

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    page = submit(client, f"/plans/{plan.slug}/feeds", {"label": "Geheim", "scope": "plan"}).get_data(as_text=True)
    token = re.search(r"/feeds/([A-Za-z0-9_-]+)\.ics", page).group(1)
    everything = " ".join(json.dumps(e.changes) for e in demo_session.scalars(sa.select(AuditEntry)))
    assert token not in everything and "token_hash" not in everything and "password_hash" not in everything


def test_an_erase_leaves_no_stored_feed_with_the_persons_name(demo_session, client, app):
    """A feed built before the erase may hold the person's name (in a description): no stored copy may survive."""
    from planner.domain import feeds
    from planner.enums import FeedScope

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    contact = ContactPerson(partner=plan.partners[0], name="Sanne de Vries", email="sanne@example.nl")
    demo_session.add(contact)
    plan.activities[0].description = "Afstemmen met Sanne de Vries"
    _, token = feeds.create_subscription(demo_session, plan, "Alles", FeedScope.PLAN)
    demo_session.commit()
    def unfolded(data: bytes) -> bytes:
        return data.replace(b"\r\n ", b"")

    assert b"Sanne de Vries" in unfolded(client.get(f"/feeds/{token}.ics").data)
    store = app.extensions["planner.feed_store"].directory
    assert any(b"Sanne de Vries" in unfolded(path.read_bytes()) for path in store.glob("*.ics"))
    assert submit(client, f"/plans/{plan.slug}/contacts/{contact.id}/erase", {}).status_code == 302
    assert not any(b"Sanne" in unfolded(path.read_bytes()) for path in store.glob("*.ics"))
    assert b"Sanne" not in unfolded(client.get(f"/feeds/{token}.ics").data)


@needs_libreoffice
def test_an_erase_leaves_no_made_pdf_behind(demo_session, client, app):
    """The plan document lists partner contacts: a PDF made before the erase must not be served or kept."""
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    contact = ContactPerson(partner=plan.partners[0], name="Sanne de Vries", email="sanne@example.nl")
    demo_session.add(contact)
    demo_session.commit()
    assert client.get(f"/plans/{plan.slug}/document.pdf").data.startswith(b"%PDF")
    cache = app.extensions["planner.pdf_cache"].directory
    assert list(cache.glob("*.pdf"))
    assert submit(client, f"/plans/{plan.slug}/contacts/{contact.id}/erase", {}).status_code == 302
    assert not list(cache.iterdir())


def test_history_reads_as_dutch_and_filters_by_kind_person_and_period(demo_session, client):
    from planner import clock

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    item = plan.phases[1].items[0]
    item.status = ChecklistStatus.OPEN  # whatever the demo's state on the day the suite runs
    demo_session.commit()
    data = {"phase_id": str(item.phase_id), "title": item.title, "status": "done", "owner_name": "Fatima",
            "due_offset": "0", "due_unit": "days"}
    assert submit(client, f"/plans/{plan.slug}/checklist-items/{item.id}/edit", data).status_code == 302
    page = text_of(client.get(f"/plans/{plan.slug}/history")).replace(" :", ":")
    assert "Status: Open → Uitgevoerd" in page
    assert "Eigenaar: " in page and "→ Fatima" in page
    assert "(checklist-item)" in page and "de planner zelf" in page  # the demo was loaded without a person
    for raw in ("owner_name", "(ChecklistItem)", "status: open", "uuid:", "system"):
        assert raw not in page, raw
    only = text_of(client.get(f"/plans/{plan.slug}/history?kind=ChecklistItem&who={ADMIN_EMAIL}"))
    assert "→ Fatima" in only and "(activiteit)" not in only and "de planner zelf" not in only.split("Alles tonen")[-1]
    today = clock.today().isoformat()
    assert "→ Fatima" in text_of(client.get(f"/plans/{plan.slug}/history?from={today}&to={today}"))
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    assert "Niets voldoet aan deze filters." in text_of(client.get(f"/plans/{plan.slug}/history?from={tomorrow}"))


def test_history_comes_a_page_at_a_time(demo_session, client):
    from planner.web.views.history import PAGE_SIZE

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    total = demo_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                .where(AuditEntry.plan_uuid == plan.uuid))
    assert total > PAGE_SIZE, "the demo's history fills more than one page"
    first = client.get(f"/plans/{plan.slug}/history").get_data(as_text=True)
    assert "Ouder →" in first and "← Nieuwer" not in first
    second = client.get(f"/plans/{plan.slug}/history?page=2").get_data(as_text=True)
    assert "← Nieuwer" in second
