"""A new advisor of Gemeente Doetinchem builds the whole plan of issue 15 in a real browser, and we count the cost.

The path is the fastest honest one the planner offers: several rows at once on the list pages of partners,
audiences, core messages and channels, the one-click moment offer with its embargo on the guided start, quick add
on the agenda, the one-button status on the checklist, and the phase step's decider filled in beforehand.
Clicks, field entries (fill, select, check) and page loads are counted and printed; issue 15 measured 89 clicks,
170 field entries and 75 page loads before, and the target is half the clicks and page loads.
"""

from __future__ import annotations

import urllib.request

import icalendar
import pytest
import sqlalchemy as sa
from docx import Document
from playwright.sync_api import expect

from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import (
    ActivityStatus, AudienceCategory, ChecklistStatus, OrganisationKind, PhaseKey, PlanStatus, Role,
)
from planner.models import Plan
from tests.browser.conftest import axe_violations
from tests.conftest import ADMIN_PASSWORD

ADVISOR = "l.jansen@doetinchem.example"
TITLE = "Samen Veilig, Week tegen Kindermishandeling 2027"
SLUG = "samen-veilig-week-tegen-kindermishandeling-2027"
BEFORE = {"clicks": 89, "field entries": 170, "page loads": 75}  # issue 15, measured by hand
TARGET = {"clicks": BEFORE["clicks"] // 2, "page loads": BEFORE["page loads"] // 2}
# Not a target of the issue, but a regression that asks for more typing fails too (81 when this was written).
MOST_FIELD_ENTRIES = BEFORE["field entries"] // 2

PARTNERS = [("Veilig Thuis Noord- en Oost-Gelderland", "Advies- en meldpunt; afzender voor professionals"),
            ("GGD Noord- en Oost-Gelderland", "Jeugdgezondheidszorg; verspreidt via consultatiebureaus"),
            ("Sociaal Team Doetinchem", "Wijkteam; organiseert de gastlessen")]
AUDIENCES = [("Inwoners van Doetinchem", AudienceCategory.GENERAL_PUBLIC),
             ("Professionals onder de meldcode", AudienceCategory.PROFESSIONALS),
             ("Ouders van basisschoolkinderen", AudienceCategory.SPECIFIC_GROUP)]
MESSAGES = [("Inwoners van Doetinchem", "Kindermishandeling stopt niet vanzelf",
             "Maakt u zich zorgen over een kind? Bel Veilig Thuis: 0800-2000, gratis en anoniem."),
            ("Professionals onder de meldcode", "Werk met de meldcode",
             "Twijfelt u? Raadpleeg Veilig Thuis en doorloop de vijf stappen van de meldcode."),
            ("Ouders van basisschoolkinderen", "Praat erover met uw kind",
             "Kinderen die thuis iets meemaken, vertellen het vaak eerst aan iemand die ze vertrouwen.")]
CHANNELS = [("Nieuwsbrief professionals", "newsletter", "5"), ("Persbericht", "press_release", "3"),
            ("Posters in de wijk", "poster", "15"), ("Facebook en Instagram", "social_media", "2")]
ACTIVITIES = [  # title, day, channel, audience
    ("Nieuwsbrief: de meldcode in de praktijk", "2027-10-04", "Nieuwsbrief professionals",
     "Professionals onder de meldcode"),
    ("Uitnodiging training meldcode", "2027-10-18", "Nieuwsbrief professionals", "Professionals onder de meldcode"),
    ("Nieuwsbrief: aandachtsfunctionarissen", "2027-11-01", "Nieuwsbrief professionals",
     "Professionals onder de meldcode"),
    ("Brief aan ouders via de scholen", "2027-11-08", "Nieuwsbrief professionals", "Ouders van basisschoolkinderen"),
    ("Persbericht start Week tegen Kindermishandeling", "2027-11-15", "Persbericht", "Inwoners van Doetinchem"),
    ("Posters in wijkcentra en bibliotheek", "2027-11-15", "Posters in de wijk", "Inwoners van Doetinchem"),
    ("Post: wat doet Veilig Thuis?", "2027-11-16", "Facebook en Instagram", "Inwoners van Doetinchem"),
    ("Post voor ouders: praat erover", "2027-11-17", "Facebook en Instagram", "Ouders van basisschoolkinderen"),
    ("Persbericht gastlessen op scholen", "2027-11-18", "Persbericht", "Ouders van basisschoolkinderen"),
    ("Post: terugblik op de week", "2027-11-22", "Facebook en Instagram", "Inwoners van Doetinchem"),
]


class CountingUser:
    """Drives the page like a user and counts what it costs: clicks, field entries and page loads."""

    def __init__(self, page):
        self.page = page
        self.clicks = self.entries = self.loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def open(self, path: str) -> None:
        """Type an address (only the login page: the rest is reached by clicking)."""
        self.page.goto(path)

    def click(self, locator, navigates: bool = True) -> None:
        self.clicks += 1
        if navigates:
            with self.page.expect_navigation():
                locator.click()
        else:
            locator.click()

    def fill(self, selector: str, value: str) -> None:
        self.entries += 1
        self.page.fill(selector, value)

    def select(self, selector: str, **option) -> None:
        self.entries += 1
        self.page.select_option(selector, **option)

    def link(self, name: str) -> None:
        self.click(self.page.get_by_role("link", name=name, exact=True).first)

    def tab(self, name: str) -> None:
        self.click(self.page.get_by_role("navigation", name="Onderdelen van het plan").get_by_role("link", name=name))

    def button(self, name: str) -> None:
        self.click(self.page.get_by_role("button", name=name, exact=True))

    def counts(self) -> dict[str, int]:
        return {"clicks": self.clicks, "field entries": self.entries, "page loads": self.loads}


@pytest.fixture
def doetinchem_advisor(session):
    """A new user: an advisor of Gemeente Doetinchem, the only organisation and the only user."""
    doetinchem = find_or_create_organisation(session, "Gemeente Doetinchem", OrganisationKind.MUNICIPALITY)
    create_user(session, ADVISOR, doetinchem, Role.ADVISOR, ADMIN_PASSWORD, name="Lotte Jansen")
    session.commit()
    return session


def add_rows(user: CountingUser, kind: str, rows: list, fill_row) -> None:
    """Fill one row of the list page's "several at once" form per item, and add them all with one click."""
    for index, row in enumerate(rows):
        fill_row(f"#row{index}-", row)
    user.click(user.page.locator(f"form[action$='/{kind}/several'] button[type=submit]"))
    expect(user.page.get_by_text("Toegevoegd: ")).to_be_visible()


def build_the_plan(user: CountingUser) -> str:
    """The whole Doetinchem plan through the browser only; returns the feed link."""
    page = user.page
    user.open("/login")
    user.fill("#email", ADVISOR)
    user.fill("#password", ADMIN_PASSWORD)
    user.button("Inloggen")

    user.link("Nieuw plan")
    user.fill("#title", TITLE)
    user.fill("#starts_on", "2027-09-01")
    user.fill("#ends_on", "2027-12-17")
    user.button("Opslaan")
    assert page.url.endswith(f"/plans/{SLUG}/start")

    user.link("Noem de samenwerkingspartners en hun rol")
    expect(page.get_by_role("group", name="Partner 4")).to_be_visible()  # the list is empty: the rows are open
    assert axe_violations(page) == []
    add_rows(user, "partners", PARTNERS, lambda at, row: (user.fill(at + "organisation_name", row[0]),
                                                          user.fill(at + "role", row[1])))
    assert page.locator("main h3").all_inner_texts() == [name for name, _role in PARTNERS]

    user.tab("Doelgroepen en stakeholders")
    add_rows(user, "audiences", AUDIENCES, lambda at, row: (user.fill(at + "name", row[0]),
                                                            user.select(at + "category", value=row[1].value)))

    # back to the guided start: its one-click offer adds the week, with the embargo for the general public
    user.tab("Stappenplan")
    user.button("Moment “Week tegen Kindermishandeling” toevoegen")
    expect(page.get_by_text("met een embargo: Inwoners van Doetinchem niet vóór de start.")).to_be_visible()

    user.tab("Kernboodschappen")
    add_rows(user, "messages", MESSAGES, lambda at, row: (
        user.select(at + "audience_id", label=row[0]), user.fill(at + "title", row[1]), user.fill(at + "body", row[2])))

    user.tab("Middelen")
    add_rows(user, "channels", CHANNELS, lambda at, row: (
        user.fill(at + "name", row[0]), user.select(at + "kind", value=row[1]),
        user.fill(at + "lead_time_days", row[2])))

    # ten activities by quick add on the agenda: one line each, back on the agenda every time
    user.tab("Kalender")
    for title, day, channel, audience in ACTIVITIES:
        user.fill("#title", title)
        user.fill("#starts_on", day)
        user.select("#channel_id", label=channel)
        user.select("#audience_id", label=audience)
        user.button("Toevoegen")
        expect(page.get_by_text(f"“{title}” toegevoegd op")).to_be_visible()

    # the first three items of the checklist done, one button each
    user.tab("Checklist")
    for _ in range(3):
        user.click(page.get_by_role("button", name="Afvinken").first)

    # a feed for the partners
    user.tab("Agenda-abonnementen")
    user.fill("#label", "Voor de partners")
    user.button("Link maken")
    feed_url = page.locator("code.secret-link").inner_text().strip()

    # two phase steps: on to the preparation, then submitted for approval; the decider is filled in already
    user.tab("Overzicht")
    user.select("#phase", value=PhaseKey.PREPARATION.value)
    user.button("Deze stap vastleggen")
    expect(page.get_by_text("De stap is vastgelegd als besluitvormingsmoment.")).to_be_visible()
    user.select("#status", value=PlanStatus.AWAITING_APPROVAL.value)
    user.button("Deze stap vastleggen")
    expect(page.get_by_text("De stap is vastgelegd als besluitvormingsmoment.")).to_be_visible()
    return feed_url


def title_page(path) -> list[str]:
    """The lines of the Word document's title page (everything before the first page break)."""
    lines = []
    for paragraph in Document(path).paragraphs:
        if 'w:type="page"' in paragraph._p.xml:
            break
        if paragraph.text.strip():
            lines.append(paragraph.text.strip())
    return lines


def test_a_new_doetinchem_advisor_builds_the_whole_plan_in_half_the_clicks(doetinchem_advisor, page):
    session = doetinchem_advisor
    user = CountingUser(page)
    feed_url = build_the_plan(user)

    with page.expect_download() as download:  # the plan document to send to the college
        user.click(page.get_by_role("link", name="Plan als Word-document"), navigates=False)
    lines = title_page(download.value.path())

    counts = user.counts()
    print(f"\nDoetinchem plan, before (issue 15): {BEFORE}; now: {counts}")

    session.expire_all()
    plan = session.scalar(sa.select(Plan).where(Plan.slug == SLUG))
    assert (plan.title, plan.owner.name, plan.owner.kind) == (TITLE, "Gemeente Doetinchem",
                                                              OrganisationKind.MUNICIPALITY)
    assert (plan.status, plan.phase) == (PlanStatus.AWAITING_APPROVAL, PhaseKey.PREPARATION)
    assert sorted((p.name, p.role) for p in plan.partners) == sorted(PARTNERS)
    assert sorted((a.name, a.category, a.languages) for a in plan.audiences) == sorted(
        (name, category, ["nl"]) for name, category in AUDIENCES)
    assert [(e.audience.name, e.not_before_moment.name if e.not_before_moment else None) for e in plan.embargoes] == [
        ("Inwoners van Doetinchem", "Week tegen Kindermishandeling")]
    assert [m.name for m in plan.moments] == ["Week tegen Kindermishandeling"]
    assert sorted((m.audience.name, m.title, m.body) for m in plan.messages) == sorted(MESSAGES)
    assert sorted((c.name, c.kind.value, str(c.lead_time_days)) for c in plan.channels) == sorted(CHANNELS)
    assert sorted((a.title, a.starts_on.isoformat(), a.channel.name, [x.name for x in a.audiences][0])
                  for a in plan.activities) == sorted(ACTIVITIES)
    assert all(a.status == ActivityStatus.PLANNED for a in plan.activities)
    assert sum(item.status == ChecklistStatus.DONE for phase in plan.phases for item in phase.items) == 3
    assert [(d.participants, d.status.value) for d in plan.decisions] == [("Lotte Jansen", "done")] * 2

    assert lines[:1] == [TITLE] and "Gemeente Doetinchem" in lines and "Gemeente Arnhem" not in " ".join(lines)

    with urllib.request.urlopen(feed_url, timeout=10) as response:
        feed = icalendar.Calendar.from_ical(response.read())
    summaries = {str(event["SUMMARY"]) for event in feed.walk("VEVENT")}
    assert {title for title, *_rest in ACTIVITIES} <= summaries

    assert counts["clicks"] <= TARGET["clicks"], counts
    assert counts["page loads"] <= TARGET["page loads"], counts
    assert counts["field entries"] <= MOST_FIELD_ENTRIES, counts
