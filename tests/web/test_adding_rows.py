"""Adding partners, audiences, core messages and channels quickly: "save and add another" on the full form, and
several rows at once from the list page, all or nothing."""

import re

import pytest
import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import AudienceCategory, Intensity, Role
from planner.models import Audience, Channel, KeyMessage, Partner
from tests.helpers import submit, text_of
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

BASE = f"/plans/{MUNICIPAL_SLUG}"


@pytest.mark.parametrize("kind, data, first_field", [
    ("partners", {"organisation_name": "Jongerencentrum De Wijk", "role": "Hangt posters op"}, "organisation_name"),
    ("audiences", {"name": "Sportclubs", "category": "specific_group", "intensity": "inform",
                   "languages": "nl"}, "name"),
    ("channels", {"name": "Wijkkrant", "kind": "local_media", "lead_time_days": "10"}, "name"),
])
def test_save_and_add_another_opens_an_empty_form_of_the_same_kind(world, app, kind, data, first_field):
    client = browser(app, Role.ADVISOR)
    form = client.get(f"{BASE}/{kind}/new").get_data(as_text=True)
    assert '<button type="submit" name="again" value="1"' in form and "Opslaan en nog een" in form
    assert re.search(rf'<input[^>]*\bautofocus id="{first_field}"', form)
    response = submit(client, f"{BASE}/{kind}/new", {**data, "again": "1"})
    assert response.status_code == 302 and response.headers["Location"] == f"{BASE}/{kind}/new"
    page = client.get(response.headers["Location"])
    assert "Opgeslagen." in text_of(page)
    assert not re.search(rf'<input[^>]*id="{first_field}"[^>]*value="[^"]', page.get_data(as_text=True))


def test_save_and_add_another_is_not_offered_when_editing(world, app):
    client = browser(app, Role.ADVISOR)
    partner = get_plan(world, MUNICIPAL_SLUG).partners[0]
    assert "Opslaan en nog een" not in client.get(f"{BASE}/partners/{partner.id}/edit").get_data(as_text=True)


def test_several_partners_from_the_list_page_are_added_at_once(world, app):
    client = browser(app, Role.ADVISOR)
    page = client.get(f"{BASE}/partners").get_data(as_text=True)
    assert "Meerdere partners tegelijk toevoegen" in page and 'id="row3-organisation_name"' in page
    response = submit(client, f"{BASE}/partners/several", {
        "row0-organisation_name": "Jongerencentrum De Wijk", "row0-role": "Hangt posters op",
        "row1-organisation_name": "", "row1-role": "",
        "row2-organisation_name": "Huisartsenpost Arnhem", "row2-role": ""}, page=f"{BASE}/partners")
    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"] == f"{BASE}/partners"
    assert "Toegevoegd: Jongerencentrum De Wijk, Huisartsenpost Arnhem." in text_of(client.get(f"{BASE}/partners"))
    world.expire_all()
    names = {p.name: p.role for p in get_plan(world, MUNICIPAL_SLUG).partners}
    assert (names["Jongerencentrum De Wijk"], names["Huisartsenpost Arnhem"]) == ("Hangt posters op", "")


def test_several_audiences_keep_the_defaults_of_the_full_form(world, app):
    client = browser(app, Role.ADVISOR)
    submit(client, f"{BASE}/audiences/several", {
        "row0-name": "Sportclubs", "row0-category": "specific_group",
        "row1-name": "Jongerenwerkers", "row1-category": "professionals"}, page=f"{BASE}/audiences")
    world.expire_all()
    added = {a.name: a for a in world.scalars(sa.select(Audience).where(Audience.name.in_(["Sportclubs",
                                                                                           "Jongerenwerkers"])))}
    assert [(a.category, a.intensity, a.languages, a.interest, a.in_education, a.intermediaries)
            for a in (added["Sportclubs"], added["Jongerenwerkers"])] == [
        (AudienceCategory.SPECIFIC_GROUP, Intensity.INFORM, ["nl"], None, False, []),
        (AudienceCategory.PROFESSIONALS, Intensity.INFORM, ["nl"], None, False, [])]


def test_one_wrong_row_saves_no_row_and_says_which(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    before = world.scalar(sa.select(sa.func.count()).select_from(Channel))
    response = submit(client, f"{BASE}/channels/several", {
        "row0-name": "Wijkkrant", "row0-kind": "local_media", "row0-lead_time_days": "10",
        "row1-name": "Buurtapp", "row1-kind": "social_media", "row1-lead_time_days": "veel",
        "row2-name": "wijkkrant", "row2-kind": "local_media", "row2-lead_time_days": "3",
        "row3-name": plan.channels[0].name, "row3-kind": "poster", "row3-lead_time_days": "3"},
        page=f"{BASE}/channels")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), text_of(response)
    assert "Er is een probleem" in text
    assert re.search(r'<p class="error" id="row2-name-error">Deze naam staat twee keer in de lijst.</p>', html)
    assert re.search(r'<p class="error" id="row3-name-error">Dit plan heeft al een middel met deze naam.</p>', html)
    assert re.search(r'<input aria-describedby="row1-lead_time_days-error" aria-invalid="true" '
                     r'id="row1-lead_time_days"',
                     html)
    assert 'value="Wijkkrant"' in html  # what was typed is kept
    world.expire_all()
    assert world.scalar(sa.select(sa.func.count()).select_from(Channel)) == before


def test_an_empty_form_of_several_rows_saves_nothing(world, app):
    client = browser(app, Role.ADVISOR)
    before = world.scalar(sa.select(sa.func.count()).select_from(KeyMessage))
    response = submit(client, f"{BASE}/messages/several", {"row0-title": " ", "row0-body": ""},
                      page=f"{BASE}/messages")
    assert response.status_code == 200 and "Vul ten minste één regel in." in text_of(response)
    assert world.scalar(sa.select(sa.func.count()).select_from(KeyMessage)) == before


def test_several_core_messages_go_to_their_audiences(world, app):
    client = browser(app, Role.ADVISOR)
    first, second = get_plan(world, MUNICIPAL_SLUG).audiences[:2]
    submit(client, f"{BASE}/messages/several", {
        "row0-audience_id": str(first.id), "row0-title": "Eerste", "row0-body": "Tekst een",
        "row1-audience_id": str(second.id), "row1-title": "Tweede", "row1-body": "Tekst twee"}, page=f"{BASE}/messages")
    world.expire_all()
    added = world.scalars(sa.select(KeyMessage).where(KeyMessage.title.in_(["Eerste", "Tweede"]))
                          .order_by(KeyMessage.title)).all()
    assert [(m.title, m.body, m.audience_id) for m in added] == [("Eerste", "Tekst een", first.id),
                                                                 ("Tweede", "Tekst twee", second.id)]


def test_readers_get_no_form_for_several_rows(world, app):
    reader = browser(app, Role.READER)
    before = world.scalar(sa.select(sa.func.count()).select_from(Partner))
    assert "several" not in reader.get(f"{BASE}/partners").get_data(as_text=True)
    response = submit(reader, f"{BASE}/partners/several", {"row0-organisation_name": "Iemand"}, page="/")
    assert response.status_code == 403
    assert world.scalar(sa.select(sa.func.count()).select_from(Partner)) == before


def test_several_rows_of_an_unknown_kind_are_not_found(world, app):
    client = browser(app, Role.ADVISOR)
    assert submit(client, f"{BASE}/decisions/several", {}, page=f"{BASE}/partners").status_code == 404
