import datetime as dt

import pytest

from planner.domain.checks import WEEKLY_LIMIT, check_plan
from planner.domain.school_holidays import all_holidays
from planner.enums import (
    ActivityStatus, AudienceCategory, ChannelKind, Intensity, MomentKind, OrganisationKind, SchoolRegion, Severity,
)
from planner.models import Activity, Audience, Channel, Embargo, KeyMessage, Moment, Organisation, Plan

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def plan():
    """A plan built in memory: the checks need no database."""
    owner = Organisation(name="Gemeente Testdorp", kind=OrganisationKind.MUNICIPALITY, school_region=SchoolRegion.MIDDLE)
    plan = Plan(title="Test", slug="test", owner=owner, starts_on=D(2026, 11, 1), ends_on=D(2027, 6, 30))
    plan.public = Audience(name="Inwoners", category=AudienceCategory.GENERAL_PUBLIC, intensity=Intensity.INFORM)
    plan.pupils = Audience(name="Leerlingen", category=AudienceCategory.SPECIFIC_GROUP, intensity=Intensity.INFORM,
                           in_education=True)
    plan.audiences.extend([plan.public, plan.pupils])
    for audience in plan.audiences:
        plan.messages.append(KeyMessage(audience=audience, title=f"Boodschap {audience.name}", body="..."))
    plan.poster = Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=10)
    plan.channels.append(plan.poster)
    # one activity that carries both messages keeps the "unused message" warning away
    plan.activities.append(Activity(title="Basis", starts_on=D(2027, 3, 3), audiences=[], message=plan.messages[0],
                                    status=ActivityStatus.PLANNED))
    plan.activities.append(Activity(title="Basis 2", starts_on=D(2027, 3, 10), audiences=[],
                                    message=plan.messages[1], status=ActivityStatus.PLANNED))
    return plan


def codes(plan, today=TODAY):
    return [(f.severity, f.code) for f in check_plan(plan, today, all_holidays(None))]


def add(plan, title, day, audiences=(), **fields):
    activity = Activity(title=title, starts_on=day, audiences=list(audiences), status=fields.pop("status",
                        ActivityStatus.PLANNED), **fields)
    plan.activities.append(activity)
    return activity


def test_clean_plan_has_no_findings(plan):
    assert codes(plan) == []


def test_embargo_before_its_date_is_an_error(plan):
    plan.embargoes.append(Embargo(audience=plan.public, not_before=D(2027, 1, 11)))
    add(plan, "Te vroeg", D(2026, 12, 15), [plan.public])
    add(plan, "Op tijd", D(2027, 1, 11), [plan.public])
    findings = check_plan(plan, TODAY, ())
    assert [(f.severity, f.code) for f in findings] == [(Severity.ERROR, "embargo")]
    assert "Te vroeg" in findings[0].text() and "2027-01-11" in findings[0].text()


def test_embargo_can_follow_a_moment_and_a_not_after_bound(plan):
    campaign = Moment(name="Campagne", kind=MomentKind.CAMPAIGN, starts_on=D(2027, 1, 11), ends_on=D(2027, 2, 7))
    plan.moments.append(campaign)
    plan.embargoes.append(Embargo(audience=plan.public, not_before_moment=campaign, not_after=D(2027, 4, 1)))
    add(plan, "Voor campagne", D(2027, 1, 8), [plan.public])
    add(plan, "Te laat", D(2027, 4, 2), [plan.public])
    assert codes(plan) == [(Severity.ERROR, "embargo"), (Severity.ERROR, "embargo")]
    campaign.starts_on = D(2027, 1, 4)
    assert codes(plan) == [(Severity.ERROR, "embargo")]


def test_production_that_should_have_started_is_a_warning(plan):
    add(plan, "Posters", D(2026, 12, 1), channel=plan.poster)  # 10 working days before: 17 November
    add(plan, "Al in productie", D(2026, 12, 1), channel=plan.poster, status=ActivityStatus.IN_PRODUCTION)
    assert codes(plan) == [(Severity.WARNING, "production_late")]
    assert codes(plan, today=D(2026, 11, 17)) == []


def test_production_before_the_plan_starts_is_a_warning(plan):
    add(plan, "Vroege posters", D(2026, 11, 10), channel=plan.poster)
    assert codes(plan, today=D(2026, 10, 1)) == [(Severity.WARNING, "production_before_plan")]


def test_past_publication_not_done_is_an_error(plan):
    add(plan, "Vergeten", D(2026, 11, 20))
    add(plan, "Gedaan", D(2026, 11, 20), status=ActivityStatus.DONE)
    add(plan, "Geschrapt", D(2026, 11, 20), status=ActivityStatus.CANCELLED)
    add(plan, "Loopt nog", D(2026, 11, 20), ends_on=D(2026, 11, 27))
    assert codes(plan) == [(Severity.ERROR, "overdue")]


def test_too_many_contacts_in_one_week_is_a_warning(plan):
    for n in range(WEEKLY_LIMIT[Intensity.INFORM] + 1):
        add(plan, f"Bericht {n}", D(2027, 2, 1) + dt.timedelta(days=n), [plan.public])
    assert codes(plan) == [(Severity.WARNING, "week_load")]
    plan.public.intensity = Intensity.INVOLVE
    assert codes(plan) == []


def test_recurring_activity_counts_every_date(plan):
    add(plan, "Dagelijks", D(2027, 2, 1), [plan.public], recurrence="FREQ=DAILY;COUNT=3")
    assert codes(plan) == [(Severity.WARNING, "week_load")]
    plan.activities[-1].exdates = ["2027-02-02"]
    assert codes(plan) == []


def test_public_holiday_and_school_holiday_warnings(plan):
    add(plan, "Koningsdagpost", D(2027, 4, 27), [plan.public])
    assert codes(plan) == [(Severity.WARNING, "public_holiday")]
    plan.activities.pop()
    add(plan, "Les in de vakantie", D(2026, 12, 22), [plan.pupils])   # Christmas holiday, every region
    add(plan, "Post voor inwoners", D(2026, 12, 22), [plan.public])   # not an education audience
    assert [f.code for f in check_plan(plan, TODAY)] == []  # without holiday data there is nothing to warn about
    findings = check_plan(plan, TODAY, all_holidays(None))
    assert [(f.code, f.params["activity"], f.params["holiday"]) for f in findings] == [
        ("school_holiday", "Les in de vakantie", "kerstvakantie")]


def test_school_holidays_use_the_region_of_the_organisation(plan):
    add(plan, "Les", D(2026, 2, 16), [plan.pupils])  # voorjaarsvakantie midden and zuid, not noord
    plan.starts_on = D(2026, 1, 1)
    assert ("school_holiday" in [c for _, c in codes(plan, today=D(2026, 1, 1))])
    plan.owner.school_region = SchoolRegion.NORTH
    assert "school_holiday" not in [c for _, c in codes(plan, today=D(2026, 1, 1))]


def test_missing_and_unused_messages_and_activities_after_the_end(plan):
    extra = Audience(name="Zonder boodschap", category=AudienceCategory.FIELD, intensity=Intensity.INFORM)
    plan.audiences.append(extra)
    plan.messages.append(KeyMessage(audience=plan.public, title="Ongebruikt", body="..."))
    add(plan, "Na afloop", D(2027, 7, 15))
    assert sorted(codes(plan)) == sorted([(Severity.WARNING, "no_message"), (Severity.WARNING, "unused_message"),
                                          (Severity.WARNING, "after_plan")])

