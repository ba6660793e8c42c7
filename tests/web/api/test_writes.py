"""Changing plans through the API: activities, moments, audiences and checklist status, with If-Match."""

import sqlalchemy as sa

from planner.models import Activity, AuditEntry, FeedTombstone
from tests.web.api.conftest import MUNICIPAL_SLUG


def _plan(api):
    return api.get(f"/api/v1/plans/{api.plan_id()}?expand=true").get_json()


def test_post_a_moment_then_an_activity_anchored_to_it_which_follows_when_the_moment_moves(api):
    base = f"/api/v1/plans/{api.plan_id()}"
    created = api.post(f"{base}/moments", json={"name": "Raadsvergadering", "kind": "meeting",
                                                 "startDate": "2027-03-10"})
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    moment = created.get_json()
    assert created.headers["Location"].endswith(f"/moments/{moment['id']}")
    audience = _plan(api)["_embedded"]["audiences"][0]["id"]
    activity = api.post(f"{base}/activities", json={
        "title": "Persbericht na de raad", "audienceIds": [audience], "startTime": "10:00", "endTime": "11:00",
        "anchor": {"momentId": moment["id"], "offset": 2, "unit": "working_days"}})
    assert activity.status_code == 201, activity.get_json()
    body = activity.get_json()
    assert body["startDate"] == "2027-03-12" and body["startsAt"] == "2027-03-12T10:00:00+01:00"
    assert body["audienceIds"] == [audience]

    moved = api.put(f"{base}/moments/{moment['id']}", json={**moment, "startDate": "2027-03-17"},
                    headers={"If-Match": created.headers["ETag"]})
    assert moved.status_code == 200 and moved.get_json()["startDate"] == "2027-03-17"
    again = api.get(f"{base}/activities/{body['id']}").get_json()
    assert again["startDate"] == "2027-03-19"
    [entry] = api.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "Moment",
                                                              AuditEntry.action == "update")).all()
    assert entry.actor.startswith("API key “advisor”")


def test_a_change_needs_the_etag_it_read_and_a_stale_one_is_refused(api):
    base = f"/api/v1/plans/{api.plan_id()}"
    activity = _plan(api)["_embedded"]["activities"][0]
    path = f"{base}/activities/{activity['id']}"
    read = api.get(path)
    changed = {**read.get_json(), "title": "Nieuwe titel"}
    missing = api.put(path, json=changed)
    assert missing.status_code == 428 and missing.get_json()["title"] == "Voorwaarde vereist"
    first = api.put(path, json=changed, headers={"If-Match": read.headers["ETag"]})
    assert first.status_code == 200 and first.get_json()["title"] == "Nieuwe titel"
    assert first.headers["ETag"] != read.headers["ETag"]
    stale = api.put(path, json={**changed, "title": "Van een ander"}, headers={"If-Match": read.headers["ETag"]})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    assert api.get(path).get_json()["title"] == "Nieuwe titel"


def test_invalid_input_lists_the_fields_in_dutch(api):
    base = f"/api/v1/plans/{api.plan_id()}"
    response = api.post(f"{base}/activities", json={"title": "", "startDate": "morgen", "colour": "rood",
                                                    "channelId": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 422
    names = {p["name"] for p in response.get_json()["invalidParams"]}
    assert {"title", "startDate", "colour"} <= names
    unknown_channel = api.post(f"{base}/activities", json={
        "title": "X", "startDate": "2027-01-05", "channelId": "00000000-0000-0000-0000-000000000000"})
    assert unknown_channel.status_code == 422
    assert unknown_channel.get_json()["invalidParams"] == [
        {"name": "channelId", "code": "invalid", "reason": "Dit plan heeft niet zo'n rij."}]
    name = _plan(api)["_embedded"]["audiences"][0]["name"]
    duplicate = api.post(f"{base}/audiences", json={"name": name.upper(), "category": "field"})
    assert duplicate.status_code == 422 and duplicate.get_json()["invalidParams"][0]["name"] == "name"


def test_read_keys_and_readers_cannot_write_and_another_organisation_sees_404(api):
    base = f"/api/v1/plans/{api.plan_id()}"
    moment = {"name": "Open dag", "kind": "other", "startDate": "2027-04-01"}
    assert api.post(f"{base}/moments", json=moment, key="advisor-read").status_code == 403
    assert api.post(f"{base}/moments", json=moment, key="reader").status_code == 403
    assert api.post(f"{base}/moments", json=moment, key="coordinator").status_code == 403
    assert api.post(f"{base}/moments", json=moment, key="elsewhere").status_code == 404
    assert api.post(f"{base}/moments", json=moment, key="advisor").status_code == 201


def test_delete_an_activity_leaves_a_feed_tombstone_and_audience_and_checklist_writes_work(api):
    base = f"/api/v1/plans/{api.plan_id()}"
    plan = _plan(api)
    activity = plan["_embedded"]["activities"][0]
    read = api.get(f"{base}/activities/{activity['id']}")
    assert api.delete(f"{base}/activities/{activity['id']}").status_code == 428
    deleted = api.delete(f"{base}/activities/{activity['id']}", headers={"If-Match": read.headers["ETag"]})
    assert deleted.status_code == 204 and deleted.headers["API-Version"]
    assert api.get(f"{base}/activities/{activity['id']}").status_code == 404
    assert api.session.scalar(sa.select(sa.func.count()).select_from(FeedTombstone)) >= 1
    import uuid

    api.session.expire_all()
    assert api.session.scalar(sa.select(Activity).where(Activity.uuid == uuid.UUID(activity["id"]))) is None
    from planner.models import UndoEntry

    trashed = api.session.scalar(sa.select(UndoEntry).order_by(UndoEntry.id.desc()))
    assert trashed.label == f"activiteit “{read.get_json()['title']}”" and trashed.kind == "activities"

    audience = api.post(f"{base}/audiences", json={"name": "Sportclubs", "category": "specific_group",
                                                   "interest": 4, "influence": 2, "languages": ["nl", "en"]})
    assert audience.status_code == 201 and audience.get_json()["languages"] == ["nl", "en"]

    item = plan["_embedded"]["checklistItems"][0]
    path = f"{base}/checklist-items/{item['id']}"
    etag = api.get(path).headers["ETag"]
    refused = api.patch(path, json={"status": "not_applicable", "note": ""}, headers={"If-Match": etag})
    assert refused.status_code == 422 and refused.get_json()["invalidParams"][0]["name"] == "note"
    done = api.patch(path, json={"status": "done"}, headers={"If-Match": etag})
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    page = api.client.get(f"/plans/{MUNICIPAL_SLUG}/checklist")
    assert page.status_code in (302, 401)  # the key is no login for the web pages
