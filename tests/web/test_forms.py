
import pytest
import sqlalchemy as sa

from planner.domain.demo import REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import AudienceCategory
from planner.models import Activity, Audience, KeyMessage, Plan
from tests.helpers import submit, text_of

PLAN = {
    "title": "Week tegen Kindermishandeling 2027", "theme": "Kindermishandeling",
    "owner_id": "new", "owner_name": "Gemeente Zevenaar", "owner_kind": "municipality", "owner_region": "zuid",
    "starts_on": "2027-09-01", "ends_on": "2027-12-15", "status": "draft", "phase": "initiative",
    "parent_id": "", "budget": "1.250,50", "introduction": "Aanleiding", "goal": "Doel", "strategy": "",
}


def count(session, model):
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def create_plan_through_form(client):
    response = submit(client, "/plans/new", PLAN)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plans/week-tegen-kindermishandeling-2027/start")  # the guided start
    return "/plans/week-tegen-kindermishandeling-2027"


def test_person_builds_a_plan_with_audience_message_and_activity(session, client):
    base = create_plan_through_form(client)
    overview = text_of(client.get(base))
    assert "Plan aangemaakt" in overview and "€ 1.250,50" in overview and "0 van 6 uitgevoerd" in overview

    assert submit(client, f"{base}/audiences/new", {
        "name": "Ouders", "category": "general_public", "description": "", "interest": "4", "influence": "2",
        "intensity": "inform", "languages": "nl, TR, ar"}).status_code == 302
    audience = session.scalar(sa.select(Audience))
    assert audience.languages == ["nl", "tr", "ar"] and audience.interest == 4

    assert submit(client, f"{base}/messages/new", {
        "audience_id": str(audience.id), "title": "Praat erover", "body": "Bel 0800-2000."}).status_code == 302
    message = session.scalar(sa.select(KeyMessage))

    assert submit(client, f"{base}/channels/new", {
        "name": "Poster", "kind": "poster", "lead_time_days": "10", "cost": "450", "notes": ""}).status_code == 302

    response = submit(client, f"{base}/activities/new", {
        "title": "Posters ophangen", "starts_on": "2027-11-15", "ends_on": "2027-11-21", "start_time": "",
        "end_time": "", "channel_id": "", "audience_ids": [str(audience.id)], "sender_id": "",
        "message_id": str(message.id), "reach": "external", "level": "local", "status": "planned",
        "owner_name": "Team communicatie", "description": "", "notes": ""}, follow=True)
    page = text_of(response)
    assert "Opgeslagen." in page and "Posters ophangen" in page and "ma 15 nov 2027 t/m zo 21 nov 2027" in page
    activity = session.scalar(sa.select(Activity))
    assert [a.name for a in activity.audiences] == ["Ouders"] and activity.message.title == "Praat erover"


def test_invalid_plan_form_keeps_input_and_saves_nothing(client, session):
    data = {**PLAN, "title": "x" * 10_000, "starts_on": "2027-13-45", "ends_on": "2027-01-01", "budget": "veel"}
    response = submit(client, "/plans/new", data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Er is een probleem" in page
    assert "Gebruik hoogstens 200 tekens." in page
    assert "Ongeldige datum" in page
    assert "Vul een bedrag in zoals 1.250,00." in page
    assert 'value="Gemeente Zevenaar"' in response.get_data(as_text=True)
    assert count(session, Plan) == 0


def test_end_before_start_is_refused(client, session):
    response = submit(client, "/plans/new", {**PLAN, "ends_on": "2027-08-01"})
    assert "De einddatum ligt vóór de startdatum." in text_of(response)
    assert count(session, Plan) == 0


def test_activity_with_unknown_audience_is_refused(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    before = count(demo_session, Activity)
    response = submit(client, f"/plans/{plan.slug}/activities/new", {
        "title": "Sluiproute", "starts_on": "2027-01-20", "audience_ids": ["999999"], "reach": "external",
        "level": "local", "status": "planned"})
    assert response.status_code == 200
    assert "is een ongeldige keuze voor dit veld" in text_of(response)
    assert count(demo_session, Activity) == before


@pytest.mark.parametrize("field, value, message", [
    ("ends_on", "2027-01-01", "De einddatum ligt vóór de startdatum."),
    ("end_time", "09:00", "Vul ook een begintijd in."),
    ("starts_on", "", "Vul een datum in, of koppel de activiteit aan een moment."),
    ("title", "", "Dit veld is verplicht."),
])
def test_activity_form_explains_each_mistake_in_dutch(demo_session, client, field, value, message):
    data = {"title": "Test", "starts_on": "2027-01-20", "reach": "external", "level": "local", "status": "planned",
            field: value}
    response = submit(client, f"/plans/{REGIONAL_SLUG}/activities/new", data)
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


@pytest.mark.parametrize("extra, message", [
    ({"starts_on": "2027-03-28", "start_time": "02:30"},
     "Dit tijdstip bestaat niet op die dag door de overgang naar zomertijd."),
    ({"starts_on": "2027-10-31", "start_time": "02:30"},
     "Dit tijdstip komt twee keer voor op die dag door de overgang naar wintertijd."),
    ({"starts_on": "2027-10-02", "start_time": "09:00", "end_time": "02:15", "ends_on": "2027-10-03",
      "frequency": "WEEKLY", "repeat_until": "2027-11-30"},
     "Dit tijdstip komt twee keer voor op die dag door de overgang naar wintertijd."),
])
def test_activity_form_refuses_times_around_the_clock_change(demo_session, client, extra, message):
    before = count(demo_session, Activity)
    data = {"title": "Nachtactie", "reach": "external", "level": "local", "status": "planned", **extra}
    response = submit(client, f"/plans/{REGIONAL_SLUG}/activities/new", data)
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert count(demo_session, Activity) == before


def test_activity_form_accepts_ordinary_times_on_the_clock_change_day(demo_session, client):
    before = count(demo_session, Activity)
    data = {"title": "Ochtendactie", "starts_on": "2027-03-28", "start_time": "10:00", "reach": "external",
            "level": "local", "status": "planned"}
    submit(client, f"/plans/{REGIONAL_SLUG}/activities/new", data)
    assert count(demo_session, Activity) == before + 1


def test_editing_keeps_relations_and_message_versions(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    message = plan.messages[0]
    response = submit(client, f"/plans/{plan.slug}/messages/{message.id}/edit", {
        "audience_id": str(message.audience_id), "title": "Nieuwe titel", "body": "Nieuwe tekst"})
    assert response.status_code == 302
    demo_session.expire_all()
    message = demo_session.get(KeyMessage, message.id)
    assert message.version == 2 and message.history[0].body != "Nieuwe tekst"
    page = text_of(client.get(f"/plans/{plan.slug}/messages"))
    assert "versie 2" in page and "Eerdere versies" in page


def test_edit_form_shows_current_values(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    activity = next(a for a in plan.activities if len(a.audiences) > 1)
    html = client.get(f"/plans/{plan.slug}/activities/{activity.id}/edit").get_data(as_text=True)
    assert f'value="{activity.title}"' in html
    for audience in activity.audiences:
        assert f'value="{audience.id}" checked' in html


def test_deleting_an_audience_asks_first_and_then_removes_it(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    audience = next(a for a in plan.audiences if a.category == AudienceCategory.SPECIFIC_GROUP)
    url = f"/plans/{plan.slug}/audiences/{audience.id}/delete"
    assert "worden ook verwijderd" in text_of(client.get(url))
    assert submit(client, url, {}).status_code == 302
    assert demo_session.scalar(sa.select(Audience.id).where(Audience.id == audience.id)) is None


def test_post_without_csrf_token_is_refused_and_changes_nothing(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    response = client.post(f"/plans/{plan.slug}/delete")
    assert response.status_code == 400
    assert "Het formulier is verlopen" in text_of(response)
    response = client.post("/plans/new", data=PLAN)
    assert response.status_code == 400
    assert count(demo_session, Plan) == 2


def test_checklist_item_not_applicable_needs_a_reason(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    item = plan.phases[0].items[0]
    url = f"/plans/{plan.slug}/checklist-items/{item.id}/edit"
    data = {"phase_id": str(item.phase_id), "title": item.title, "status": "not_applicable", "owner_name": "",
            "due_on": "", "note": ""}
    assert "Leg in de notitie uit" in text_of(submit(client, url, data))
    assert submit(client, url, {**data, "note": "Regionaal al geregeld."}).status_code == 302
    demo_session.expire_all()
    assert demo_session.get(type(item), item.id).note == "Regionaal al geregeld."


def test_editing_the_plan_renames_its_url(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    data = {**PLAN, "title": "Introductie Veilig Thuis 2027", "owner_id": str(plan.owner_id), "owner_name": "",
            "starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat()}
    response = submit(client, f"/plans/{plan.slug}/edit", data)
    assert response.headers["Location"].endswith("/plans/introductie-veilig-thuis-2027")
    assert client.get(f"/plans/{REGIONAL_SLUG}").status_code == 404


def test_partner_contact_person_is_added_under_its_partner(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    partner = plan.partners[0]
    html = client.get(f"/plans/{plan.slug}/contacts/new?partner_id={partner.id}").get_data(as_text=True)
    assert f'<option selected value="{partner.id}">' in html
    response = submit(client, f"/plans/{plan.slug}/contacts/new?partner_id={partner.id}", {
        "partner_id": str(partner.id), "name": "Fatima el Amrani", "function": "Communicatieadviseur",
        "email": "geen-adres", "phone": ""})
    assert "Vul een e-mailadres in" in text_of(response)
    response = submit(client, f"/plans/{plan.slug}/contacts/new", {
        "partner_id": str(partner.id), "name": "Fatima el Amrani", "function": "Communicatieadviseur",
        "email": "f.elamrani@example.nl", "phone": "+31 6 1234 5678"}, follow=True)
    assert "Fatima el Amrani" in text_of(response)


def test_duplicate_partner_is_refused(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    response = submit(client, f"/plans/{plan.slug}/partners/new",
                      {"organisation_name": plan.partners[0].name.upper(), "role": ""})
    assert "al partner in dit plan" in text_of(response)


def test_status_choice_outside_the_list_is_refused(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    response = submit(client, f"/plans/{plan.slug}/activities/new", {
        "title": "Test", "starts_on": "2027-01-20", "reach": "external", "level": "local", "status": "hacked"})
    assert response.status_code == 200
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Activity).where(Activity.title == "Test")) == 0


def test_dates_in_the_form_are_iso_for_the_date_picker(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    moment = plan.moments[0]
    html = client.get(f"/plans/{plan.slug}/moments/{moment.id}/edit").get_data(as_text=True)
    assert f'type="date" value="{moment.starts_on.isoformat()}"' in html


def test_control_characters_are_dropped_at_the_edge(client, session):
    response = submit(client, "/plans/new", {**PLAN, "title": "Nul\x00byte\x07 plan", "goal": "Doel\x1b\r\nregel"})
    assert response.status_code == 302
    plan = session.scalar(sa.select(Plan))
    assert plan.title == "Nulbyte plan" and plan.goal == "Doel\nregel"


def test_saving_an_old_version_does_not_overwrite_silently(demo_session, client):
    from tests.helpers import csrf_token

    plan = get_plan(demo_session, REGIONAL_SLUG)
    channel = plan.channels[0]
    url = f"/plans/{plan.slug}/channels/{channel.id}/edit"
    page = client.get(url).get_data(as_text=True)
    import re

    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    token = csrf_token(client, url)
    mine = {"csrf_token": token, "version": version, "name": "Mijn naam", "kind": "letter", "lead_time_days": "3",
            "cost": "", "notes": ""}
    channel.name = "Naam van een collega"  # someone else saves first
    demo_session.commit()
    response = client.post(url, data=mine)
    page = text_of(response)
    assert response.status_code == 200 and "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Naam van een collega" in page and 'value="Mijn naam"' in response.get_data(as_text=True)
    demo_session.expire_all()
    assert demo_session.get(type(channel), channel.id).name == "Naam van een collega"
    current = re.search(r'name="version" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert client.post(url, data={**mine, "version": current}).status_code == 302
    demo_session.expire_all()
    assert demo_session.get(type(channel), channel.id).name == "Mijn naam"


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=300), starts_on=st.text(max_size=20), cost=st.text(max_size=20),
       lead=st.text(max_size=8))
def test_forms_answer_any_input_without_a_server_error(client, title, starts_on, cost, lead):
    response = submit(client, "/plans/new", {**PLAN, "title": title, "starts_on": starts_on, "budget": cost})
    assert response.status_code in (200, 302)
    assert "Er ging iets mis" not in response.get_data(as_text=True)


def test_new_row_forms_are_headed_in_proper_dutch(demo_session, client):
    from planner.domain.demo import MUNICIPAL_SLUG

    for kind, heading in (("activities", "Nieuwe activiteit"), ("moments", "Nieuw moment"),
                          ("channels", "Nieuw middel"), ("audiences", "Nieuwe doelgroep"),
                          ("checklist-items", "Nieuw checklist-item")):
        page = client.get(f"/plans/{MUNICIPAL_SLUG}/{kind}/new").get_data(as_text=True)
        assert f"<h2>{heading}</h2>" in page and "Nieuw:" not in page, kind
