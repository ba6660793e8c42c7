"""Feed links: made with a label and a target, found by their token only while they live, revoked one by one or all
at once; the tombstones of deleted items are kept as long as feeds show them."""

import base64
import datetime as dt
import hashlib

import pytest

from planner import clock
from planner.domain import feeds
from planner.domain.calendar import Filters
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import FeedScope
from planner.models import FeedTombstone


def test_a_link_is_found_by_its_token_only_while_it_lives(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    subscription, token = feeds.create_subscription(demo_session, plan, "  Voor   de school ", FeedScope.PLAN)
    assert subscription.label == "Voor de school"
    assert feeds.find_active(demo_session, token) is subscription
    assert feeds.find_active(demo_session, token[:-1]) is None and feeds.find_active(demo_session, "") is None
    new = feeds.rotate(subscription)
    demo_session.flush()
    assert feeds.find_active(demo_session, token) is None and feeds.find_active(demo_session, new) is subscription
    feeds.revoke(subscription)
    demo_session.flush()
    assert feeds.find_active(demo_session, new) is None


def test_an_unknown_token_finds_no_link_wherever_its_hash_sorts(demo_session):
    """Tokens are random: look for unknown ones whose hashes sort before, between and after the stored ones, so
    that a lookup by anything but equality fails whatever the tokens of this run."""
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    for label in ("Een", "Twee"):
        feeds.create_subscription(demo_session, plan, label, FeedScope.PLAN)
    demo_session.flush()
    hashes = sorted(s.token_hash for s in feeds.subscriptions_of(demo_session, plan))
    low, high = hashes[0], hashes[-1]
    candidates = [f"onbekend-{i}" for i in range(2000)]
    for wanted in (lambda h: h < low, lambda h: low < h < high, lambda h: h > high):
        unknown = next(t for t in candidates if wanted(feeds.hash_token(t)))
        assert feeds.find_active(demo_session, unknown) is None, unknown


def test_a_link_to_a_removed_partner_or_audience_stops_working(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    partner, audience = plan.partners[0], plan.audiences[0]
    _, partner_token = feeds.create_subscription(demo_session, plan, "Partner", FeedScope.PARTNER, partner=partner)
    _, audience_token = feeds.create_subscription(demo_session, plan, "Doelgroep", FeedScope.AUDIENCE,
                                                  audience=audience)
    demo_session.commit()
    assert feeds.find_active(demo_session, partner_token) and feeds.find_active(demo_session, audience_token)
    demo_session.delete(partner)
    demo_session.delete(audience)
    demo_session.commit()
    demo_session.expire_all()
    assert feeds.find_active(demo_session, partner_token) is None
    assert feeds.find_active(demo_session, audience_token) is None


@pytest.mark.parametrize("slugs", [(MUNICIPAL_SLUG, REGIONAL_SLUG), (REGIONAL_SLUG, MUNICIPAL_SLUG)],
                         ids=["municipal", "regional"])  # the other plan's id lies above and below
def test_revoking_all_links_of_a_plan_leaves_other_plans_alone(demo_session, slugs):
    plan, other = (get_plan(demo_session, slug) for slug in slugs)
    tokens = [feeds.create_subscription(demo_session, plan, f"Link {n}", FeedScope.PLAN)[1] for n in range(3)]
    revoked, _ = feeds.create_subscription(demo_session, plan, "Al ingetrokken", FeedScope.PLAN)
    feeds.revoke(revoked)
    _, elsewhere = feeds.create_subscription(demo_session, other, "Regio", FeedScope.PLAN)
    demo_session.flush()
    assert feeds.revoke_all(demo_session, plan) == 3
    demo_session.flush()
    assert [feeds.find_active(demo_session, t) for t in tokens] == [None, None, None]
    assert feeds.find_active(demo_session, elsewhere) is not None


@pytest.mark.parametrize("label", ["", "   ", "x" * (feeds.MAX_LABEL + 1)])
def test_a_link_needs_a_label_of_at_most_120_characters(demo_session, label):
    with pytest.raises(feeds.FeedError, match="label"):
        feeds.create_subscription(demo_session, get_plan(demo_session, MUNICIPAL_SLUG), label, FeedScope.PLAN)


def test_a_label_of_120_characters_is_kept_whole_and_one_of_121_refused(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    subscription, _ = feeds.create_subscription(demo_session, plan, "x" * 120, FeedScope.PLAN)
    assert subscription.label == "x" * 120
    with pytest.raises(feeds.FeedError):
        feeds.create_subscription(demo_session, plan, "x" * 121, FeedScope.PLAN)


def test_tombstones_are_purged_after_30_days(demo_session, time_machine):
    time_machine.move_to(clock.now(), tick=False)  # "exactly 30 days" to the microsecond
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    assert feeds.purge_tombstones(demo_session) == 0
    now = clock.now()
    ages = {"29 days": dt.timedelta(days=29), "exactly 30 days": dt.timedelta(days=30),
            "30 days and an hour": dt.timedelta(days=30, hours=1), "a year": dt.timedelta(days=365)}
    for name, age in ages.items():
        demo_session.add(FeedTombstone(plan_id=plan.id, kind="activity", uid=f"{name}@test", summary=name,
                                       starts_on=dt.date(2026, 11, 1), sequence=0, deleted_at=now - age))
    demo_session.commit()
    assert feeds.purge_tombstones(demo_session) == 2
    demo_session.commit()
    remaining = demo_session.scalars(
        FeedTombstone.__table__.select().with_only_columns(FeedTombstone.summary)).all()
    assert "29 days" in remaining and "exactly 30 days" in remaining  # still in the feeds (their cut-off is >=)
    assert "30 days and an hour" not in remaining and "a year" not in remaining
    assert feeds.purge_tombstones(demo_session) == 0


@pytest.mark.parametrize("slugs", [(MUNICIPAL_SLUG, REGIONAL_SLUG), (REGIONAL_SLUG, MUNICIPAL_SLUG)],
                         ids=["municipal", "regional"])
def test_a_link_follows_only_a_target_of_its_own_plan_and_keeps_only_what_its_scope_uses(demo_session, slugs):
    plan, other = (get_plan(demo_session, slug) for slug in slugs)
    partner, audience = plan.partners[0], plan.audiences[0]
    refused = [
        ({"scope": FeedScope.PARTNER}, "partner"),
        ({"scope": FeedScope.PARTNER, "partner": other.partners[0]}, "partner"),
        ({"scope": FeedScope.PARTNER, "audience": audience}, "partner"),
        ({"scope": FeedScope.AUDIENCE}, "audience"),
        ({"scope": FeedScope.AUDIENCE, "audience": other.audiences[0]}, "audience"),
        ({"scope": FeedScope.AUDIENCE, "partner": partner}, "audience"),
        ({"scope": FeedScope.PERSON}, "owner"),
        ({"scope": FeedScope.PERSON, "person": "  "}, "owner"),
    ]
    for arguments, message in refused:
        with pytest.raises(feeds.FeedError, match=message):
            feeds.create_subscription(demo_session, plan, "Link", **arguments)
    everything = {"partner": partner, "audience": audience, "person": " Anna de Boer ",
                  "filters": Filters(audience_id=audience.id, status="planned")}
    made = {scope: feeds.create_subscription(demo_session, plan, "Link", scope, **everything)[0]
            for scope in FeedScope if scope != FeedScope.REGION}
    kept = {scope: (s.partner, s.audience, s.person, s.filters) for scope, s in made.items()}
    assert kept == {
        FeedScope.PLAN: (None, None, "", {}),
        FeedScope.PARTNER: (partner, None, "", {}),
        FeedScope.AUDIENCE: (None, audience, "", {}),
        FeedScope.PERSON: (None, None, "Anna de Boer", {}),
        FeedScope.FILTER: (None, None, "", {"audience_id": audience.id, "status": "planned"}),
    }


def test_a_token_carries_256_bits_and_only_its_hash_is_stored(demo_session):
    subscription, token = feeds.create_subscription(demo_session, get_plan(demo_session, MUNICIPAL_SLUG), "Link",
                                                    FeedScope.PLAN)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    assert subscription.token_hash == hashlib.sha256(token.encode()).hexdigest() != token


def test_the_security_log_names_a_plan_s_link_by_plan_label_and_public_id(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    subscription, _ = feeds.create_subscription(demo_session, plan, "Scholen", FeedScope.PLAN)
    assert feeds.audit_detail(subscription) == {"detail": "plan %(plan)s: %(label)s (%(link)s)", "plan": plan.slug,
                                                "label": "Scholen", "link": str(subscription.uuid)}


def test_a_saved_filter_with_a_status_that_no_longer_exists_is_named_without_it(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    subscription, _ = feeds.create_subscription(demo_session, plan, "Oud filter", FeedScope.FILTER,
                                                filters=Filters(status="bestaat-niet"))
    assert feeds.feed_name(subscription) == f"{plan.title} – alle activiteiten"
