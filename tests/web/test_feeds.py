import datetime as dt
import gzip
import io
import logging
import re

import icalendar
import pytest
import sqlalchemy as sa
import vobject

from planner import clock
from planner.domain import feeds
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import ActivityStatus, FeedScope
from planner.models import ContactPerson, Moment, Subscription
from planner.web.logs import redact
from tests.helpers import csrf_token, demo_theme_week, submit, text_of


def subscribe(session, slug=REGIONAL_SLUG, scope=FeedScope.PLAN, **kwargs):
    plan = get_plan(session, slug)
    if scope == FeedScope.PARTNER:
        name = kwargs.pop("partner_name")
        kwargs["partner"] = next(p for p in plan.partners if p.name == name)
    if scope == FeedScope.AUDIENCE:
        name = kwargs.pop("audience_name")
        kwargs["audience"] = next(a for a in plan.audiences if a.name == name)
    subscription, token = feeds.create_subscription(session, plan, "Test", scope, **kwargs)
    session.commit()
    return subscription, f"/feeds/{token}.ics"


def events(response):
    calendar = icalendar.Calendar.from_ical(response.data)
    vobject.readOne(response.data.decode("utf-8"))  # the second, independent parser must accept it too
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_plan_feed_has_activities_production_moments_and_checklist(demo_session, client):
    _, url = subscribe(demo_session, MUNICIPAL_SLUG)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    window_start = clock.today() - dt.timedelta(days=90)
    for activity in plan.activities:
        assert (activity.title in found) == (activity.last_day >= window_start)
    assert "Week tegen Kindermishandeling" in found
    assert any(name.startswith("Start van de productie: ") for name in found)
    ouderavond = found["Ouderavond in de bibliotheek"]
    evening = dt.datetime.combine(demo_theme_week(demo_session).starts_on + dt.timedelta(days=2), dt.time(19, 30))
    assert ouderavond.decoded("DTSTART") == evening.replace(tzinfo=ouderavond.decoded("DTSTART").tzinfo)
    assert "Afzender: Bibliotheek Arnhem" in str(ouderavond["DESCRIPTION"])


def test_partner_feed_shows_what_the_partner_sends_or_passes_on_and_no_private_data(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    ggd = next(p for p in plan.partners if p.name == "GGD Gelderland-Midden")
    ggd.contacts.append(ContactPerson(name="Jan Geheim", email="jan@ggd.example", phone="0612345678"))
    plan.activities[4].notes = "INTERN: niet delen"
    demo_session.commit()
    _, url = subscribe(demo_session, REGIONAL_SLUG, FeedScope.PARTNER, partner_name="GGD Gelderland-Midden")
    body = client.get(url).data.decode()
    found = events(client.get(url))
    passed_on = {a.id for a in plan.audiences if ggd in a.intermediaries}
    for activity in plan.activities:
        expected = activity.sender_id == ggd.id or any(a.id in passed_on for a in activity.audiences)
        if activity.last_day >= clock.today() - dt.timedelta(days=90):
            assert (activity.title in found) == expected, activity.title
    assert "Landelijke campagne op radio en tv" in found  # the plan's key moments
    for secret in ("Jan Geheim", "jan@ggd.example", "0612345678", "INTERN"):
        assert secret not in body


def test_audience_and_person_feeds(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    _, url = subscribe(demo_session, MUNICIPAL_SLUG, FeedScope.AUDIENCE, audience_name="Trainers en vrijwilligers sport")
    found = events(client.get(url))
    assert "Trainersavond bij de sportclubs" in found and "Ouderavond in de bibliotheek" not in found
    assert "Week tegen Kindermishandeling" not in found
    activity = next(a for a in plan.activities if a.title == "Nieuwsbrief: reacties en vervolg")
    activity.owner_name = "Fatima"
    plan.phases[2].items[4].owner_name, plan.phases[2].items[4].due_on = "fatima", clock.today() + dt.timedelta(days=16)
    demo_session.commit()
    _, url = subscribe(demo_session, MUNICIPAL_SLUG, FeedScope.PERSON, person="Fatima")
    found = events(client.get(url))
    assert set(found) >= {"Nieuwsbrief: reacties en vervolg", f"Checklist: {plan.phases[2].items[4].title}"}
    assert "Trainersavond bij de sportclubs" not in found


def test_conditional_requests_gzip_and_headers(demo_session, client):
    _, url = subscribe(demo_session)
    first = client.get(url)
    assert first.headers["ETag"].startswith('"') and first.headers["Cache-Control"] == "private"
    assert first.headers["X-Robots-Tag"] == "noindex" and first.headers["Referrer-Policy"] == "no-referrer"
    assert first.headers["Content-Disposition"].startswith("inline")
    assert "Set-Cookie" not in first.headers
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == first.data
    assert client.get(url, headers={"If-None-Match": zipped.headers["ETag"]}).status_code == 304
    assert client.get(url).data == first.data, "unchanged data gives byte-identical output"


@pytest.mark.parametrize("accept_encoding", ["gzip;q=0", "gzip;q=0, *", "identity", "br;q=1, *;q=0"])
def test_feed_gzip_refused_gets_plain_bytes_from_view_and_fast_path(demo_session, client, accept_encoding):
    _, url = subscribe(demo_session)
    plain = client.get(url)
    for _ in range(2):  # the first answer comes from the Flask view, the second from the cached fast path
        response = client.get(url, headers={"Accept-Encoding": accept_encoding})
        assert "Content-Encoding" not in response.headers and response.data == plain.data
        assert response.headers["Vary"] == "Accept-Encoding"


def test_feed_gzip_accepted_by_wildcard_or_quality(demo_session, client):
    _, url = subscribe(demo_session)
    plain = client.get(url).data
    for accept_encoding in ("*", "gzip;q=0.5, identity", "x-gzip"):
        response = client.get(url, headers={"Accept-Encoding": accept_encoding})
        assert response.headers["Content-Encoding"] == "gzip" and gzip.decompress(response.data) == plain


def test_changes_raise_sequence_and_reach_the_feed(demo_session, client, app):
    _, url = subscribe(demo_session)
    etag = client.get(url).headers["ETag"]
    plan = get_plan(demo_session, REGIONAL_SLUG)
    activity = next(a for a in plan.activities if a.title == "Advertentie in huis-aan-huisbladen")
    activity.notes = "alleen intern"
    demo_session.commit()
    assert activity.sequence == 0, "an internal note is not something a client shows"
    activity.title = "Advertentie in alle huis-aan-huisbladen"
    demo_session.commit()
    assert activity.sequence == 1
    app.extensions["planner.feed_cache"].recheck_seconds = 0
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    event = events(response)["Advertentie in alle huis-aan-huisbladen"]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("LAST-MODIFIED") == event.decoded("DTSTAMP")


def test_cancellation_lifecycle(demo_session, client, app, time_machine):
    app.extensions["planner.feed_cache"].recheck_seconds = 0
    _, url = subscribe(demo_session)
    plan = get_plan(demo_session, REGIONAL_SLUG)
    cancelled = next(a for a in plan.activities if a.title == "Interview met de wethouder op lokale radio")
    cancelled.status = ActivityStatus.CANCELLED
    deleted = next(a for a in plan.activities if a.title == "Wijkagenten informeren in briefing")
    deleted_uid = f"{deleted.uuid}@planner"
    demo_session.delete(deleted)
    demo_session.commit()
    found = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT")}
    assert str(found[f"{cancelled.uuid}@planner"]["STATUS"]) == "CANCELLED"
    assert int(found[f"{cancelled.uuid}@planner"]["SEQUENCE"]) == 1
    assert str(found[deleted_uid]["STATUS"]) == "CANCELLED" and int(found[deleted_uid]["SEQUENCE"]) == 1
    # thirty days later both drop out (the cancelled one although the feed's window still holds its day), and
    # the scheduler's purge removes the tombstones
    assert cancelled.last_day >= clock.today() - dt.timedelta(days=59)
    time_machine.move_to(clock.now() + dt.timedelta(days=31))
    found = {str(e["UID"]) for e in icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT")}
    assert f"{cancelled.uuid}@planner" not in found and deleted_uid not in found
    assert feeds.purge_tombstones(demo_session) == 2


def test_revoked_rotated_and_orphaned_links_give_a_plain_404(demo_session, client, app):
    subscription, url = subscribe(demo_session, REGIONAL_SLUG, FeedScope.PARTNER,
                                  partner_name="Politie Oost-Nederland")
    assert re.fullmatch(r"/feeds/[A-Za-z0-9_-]{43}\.ics", url), "only the token: no slug, id or uuid"
    assert len("https://planner.gemeente.nl" + url) < 256
    assert client.get(url).status_code == 200
    app.extensions["planner.feed_cache"].recheck_seconds = 0
    new_url = f"/feeds/{feeds.rotate(subscription)}.ics"
    demo_session.commit()
    assert client.get(url).status_code == 404 and client.get(new_url).status_code == 200
    demo_session.delete(subscription.partner)
    demo_session.commit()
    demo_session.expunge(subscription)  # the database removed it with its partner
    response = client.get(new_url)
    assert response.status_code == 404 and response.data == b"Not Found\n"
    other, other_url = subscribe(demo_session)
    feeds.revoke(other)
    demo_session.commit()
    assert client.get(other_url).status_code == 404
    assert client.get("/feeds/" + "A" * 43 + ".ics").status_code == 404


def test_advisor_creates_rotates_and_revokes_links_in_the_ui(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    response = submit(client, f"/plans/{plan.slug}/feeds", {"label": "Veilig Thuis – Outlook", "scope": "partner",
                                                             "partner_id": str(plan.partners[0].id)})
    page = text_of(response)
    link = re.search(r"(http\S+/feeds/\S+\.ics)", page).group(1)
    assert "webcal://" in response.get_data(as_text=True) and "calendar.google.com" in response.get_data(as_text=True)
    assert "8 tot 24 uur" in page
    path = link.split("5000", 1)[1] if "5000" in link else link
    assert client.get(path).status_code == 200
    listing = text_of(client.get(f"/plans/{plan.slug}/feeds"))
    assert "Veilig Thuis – Outlook" in listing and link not in listing
    subscription = demo_session.scalar(sa.select(Subscription))
    demo_session.refresh(subscription)
    assert subscription.fetch_count == 1 and subscription.last_fetched_at is not None
    manage = f"/plans/{plan.slug}/feeds"
    rotated = submit(client, f"/plans/{plan.slug}/feeds/{subscription.uuid}/rotate", {}, page=manage)
    assert "de vorige werkt niet meer" in text_of(rotated)
    assert client.post(f"/plans/{plan.slug}/feeds/{subscription.uuid}/revoke").status_code == 400  # no CSRF token
    assert submit(client, f"/plans/{plan.slug}/feeds/{subscription.uuid}/revoke", {}, page=manage).status_code == 302
    demo_session.refresh(subscription)
    assert subscription.revoked_at is not None
    missing = submit(client, f"/plans/{plan.slug}/feeds", {"label": "", "scope": "partner", "partner_id": ""})
    assert "Kies de partner voor deze feed." in text_of(missing)


def test_ics_import_adds_moments_or_nothing(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    before = len(plan.moments)
    good = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n"
            b"SUMMARY:Landelijke campagne\\, golf 2\r\nDTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270315\r\n"
            b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Radiospot\r\n"
            b"DTSTART:20270302T230000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    token = csrf_token(client, f"/plans/{plan.slug}/calendar")
    response = client.post(f"/plans/{plan.slug}/moments/import", data={
        "csrf_token": token, "file": (io.BytesIO(good), "campagne.ics")}, follow_redirects=True)
    assert "2 momenten geïmporteerd" in text_of(response)
    demo_session.expire_all()
    moments = {m.name: m for m in get_plan(demo_session, REGIONAL_SLUG).moments}
    assert (moments["Landelijke campagne, golf 2"].starts_on, moments["Landelijke campagne, golf 2"].ends_on) == (
        dt.date(2027, 3, 1), dt.date(2027, 3, 14))
    assert moments["Radiospot"].starts_on == dt.date(2027, 3, 3)  # 23:00 UTC is the next day in Amsterdam
    for broken in (b"not a calendar", good.replace(b"SUMMARY:Radiospot\r\n", b""), good.replace(b"20270315", b"2027")):
        response = client.post(f"/plans/{plan.slug}/moments/import", data={
            "csrf_token": token, "file": (io.BytesIO(broken), "kapot.ics")}, follow_redirects=True)
        assert "Er is niets geïmporteerd" in text_of(response)
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Moment).where(Moment.plan_id == plan.id)) == \
        before + 2


def test_tokens_are_redacted_from_log_lines(caplog):
    token = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr"
    assert token not in redact(f'"GET /feeds/{token}.ics HTTP/1.1" 200 -')
    from planner.web.logs import install_redaction

    install_redaction()
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /feeds/%s.ics HTTP/1.1" 200 -', token)
    assert token not in caplog.text and "/feeds/[redacted]" in caplog.text



def test_warm_feed_is_served_from_the_cache_until_the_recheck(demo_session, client, app):
    subscription, url = subscribe(demo_session)
    assert client.get(url).status_code == 200
    demo_session.execute(sa.delete(Subscription).where(Subscription.id == subscription.id))
    demo_session.commit()
    # within the recheck interval the cached bytes answer without asking the database
    assert client.get(url).status_code == 200
    app.extensions["planner.feed_cache"].recheck_seconds = 0
    assert client.get(url).status_code == 404


def _store_files(app, subscription):
    folder = app.extensions["planner.feed_store"].directory
    return {path.name: path.stat().st_mtime_ns for path in folder.glob(f"{subscription.id}-*.ics")}


def test_polling_without_edits_never_rebuilds_the_feed(demo_session, client, app):
    """Recording fetch statistics is not an edit: the feed's version stays, so no poll causes a rebuild."""
    subscription, url = subscribe(demo_session)
    app.extensions["planner.feed_cache"].recheck_seconds = 0  # every poll asks the database for the version
    app.extensions["planner.fetch_counter"].interval = 0  # and writes its statistics at once
    first = client.get(url)
    built = _store_files(app, subscription)
    assert first.status_code == 200 and len(built) == 1
    for _ in range(5):
        poll = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert poll.status_code == 304
    assert _store_files(app, subscription) == built
    demo_session.expire_all()
    assert demo_session.get(Subscription, subscription.id).fetch_count == 6


def _wait_for_a_waiter(lock_file):
    """Wait until some thread blocks on `lock_file` (Linux lists blocked flock waiters in /proc/locks)."""
    import time
    from pathlib import Path

    inode = f":{lock_file.stat().st_ino} "
    for _ in range(600):
        if any("->" in line and inode in line for line in Path("/proc/locks").read_text().splitlines()):
            return
        time.sleep(0.05)
    raise AssertionError("nobody waited for the lock")


class ManualTimer:
    """Seconds that move only when the test moves them (the feed cache's timer)."""

    def __init__(self):
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def test_a_link_revoked_during_a_slow_build_is_refused_within_the_recheck(demo_session, app):
    """An entry is as fresh as the moment its version was read, not the moment its slow build ended."""
    import threading

    subscription, url = subscribe(demo_session)
    store, cache = app.extensions["planner.feed_store"], app.extensions["planner.feed_cache"]
    cache.recheck_seconds, cache.timer = 1.0, ManualTimer()
    answers = []
    with store.build_lock(subscription.id):  # another worker is building this feed (and nothing is stored yet)
        fetching = threading.Thread(target=lambda: answers.append(app.test_client().get(url).status_code))
        fetching.start()
        _wait_for_a_waiter(store.directory / f"{subscription.id}.lock")  # it has read the version and waits
        demo_session.get(Subscription, subscription.id).revoked_at = clock.now()
        demo_session.commit()
        cache.timer.seconds += 1.5  # the build outlasts the recheck interval
    fetching.join(timeout=60)
    assert answers == [200]  # asked before the link was revoked
    assert app.test_client().get(url).status_code == 404


def test_while_another_worker_builds_the_previous_version_is_served(demo_session, client, app, time_machine):
    subscription, url = subscribe(demo_session)
    store = app.extensions["planner.feed_store"]
    app.extensions["planner.feed_cache"].recheck_seconds = 0
    before = client.get(url)
    time_machine.move_to(clock.now() + dt.timedelta(seconds=30))  # the edit comes later than that build
    activity = get_plan(demo_session, REGIONAL_SLUG).activities[0]
    activity.title = "Nieuwe titel tijdens het bouwen"
    demo_session.commit()
    with store.build_lock(subscription.id):
        meanwhile = client.get(url)
        assert meanwhile.status_code == 200 and meanwhile.data == before.data
    # A client that only sends If-Modified-Since must still get the new version once it is built.
    after = client.get(url, headers={"If-Modified-Since": meanwhile.headers["Last-Modified"]})
    assert after.status_code == 200
    assert b"Nieuwe titel tijdens het bouwen" in after.data and after.headers["ETag"] != before.headers["ETag"]
