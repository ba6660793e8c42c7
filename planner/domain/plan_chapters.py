"""Chapters of the plan document that summarise the plan: summary, moments, owners, budget, monitoring, checklist."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from planner.domain.document_text import approvals, euro, label, paragraphs, plain_date, short_date
from planner.enums import N_, ActivityStatus, ChecklistStatus, DecisionKind, DecisionStatus
from planner.domain.region_charts import grid, plan_series, week_span
from planner.exporters.blocks import BulletList, Heading, Image, Paragraph, Table, xml_safe
from planner.exporters.load_map import load_map_png
from planner.i18n import gettext as _
from planner.i18n import ngettext
from planner.models import Plan

# The calendar's "Mind" column: a short word per check that found something on that row.
NOTES = {"embargo": N_("embargo"), "overdue": N_("overdue"), "production_late": N_("production late"),
         "production_before_plan": N_("production before plan"), "public_holiday": N_("public holiday"),
         "school_holiday": N_("school holiday"), "after_plan": N_("after the plan")}
FINISHED = {ActivityStatus.DONE, ActivityStatus.CANCELLED}
KEY_DATES = 6


def _first_paragraph(text: str) -> str:
    found = paragraphs(text)
    return found[0].text if found else ""


def _approval_decision(plan: Plan):
    return next((d for d in plan.decisions if d.kind == DecisionKind.APPROVAL and d.status == DecisionStatus.PLANNED),
                None)


def summary_chapter(plan: Plan, entries) -> list:
    """One page for the college: the advisor's own text, or one generated from the plan."""
    blocks: list = [Heading(1, _("Management summary"))]
    if plan.summary.strip():
        return blocks + paragraphs(plan.summary)
    audiences = ", ".join(a.name for a in plan.audiences) or "–"
    messages = "\n".join(f"{m.audience.name}: {m.title}" for m in plan.messages) or "–"
    dates = [f"{short_date(plan.starts_on)} – {short_date(plan.ends_on)}: {_('the plan period')}"]
    dates += [f"{short_date(m.starts_on)}: {m.name}" for m in plan.moments][:KEY_DATES]
    costs = sum((c.cost or Decimal(0) for c in plan.channels), Decimal(0))
    budget = _("Budget %(budget)s; the channels cost %(costs)s.", budget=euro(plan.budget), costs=euro(costs))
    approved = approvals(plan)
    pending = _approval_decision(plan)
    if approved and not pending:
        ask = _("The plan was approved on %(date)s; the college is asked to take note of this version.",
                date=plain_date(approved[-1]))
    else:
        ask = _("The college is asked to approve this communication plan and its budget of %(budget)s",
                budget=euro(plan.budget))
        if pending is not None:
            ask += " " + _("(on the agenda of %(date)s)", date=plain_date(pending.decided_on))
        ask += "."
    rows = [(_("Goal"), xml_safe(_first_paragraph(plan.goal)) or "–"), (_("Audiences"), xml_safe(audiences)),
            (_("Core messages"), xml_safe(messages)), (_("Key dates"), xml_safe("\n".join(dates))),
            (_("Budget"), budget), (_("Decision asked"), ask)]
    blocks.append(Table((_("Topic"), _("In short")), rows, (3, 11), keep_together=True))
    return blocks


def moments_chapter(plan: Plan, entries) -> list:
    """The natural and plan moments, and when production of each publication must start."""
    blocks: list = [Heading(1, _("Moments and production planning")), Heading(2, _("Moments"))]
    if plan.moments:
        blocks.append(Table((_("Date"), _("Moment"), _("Kind"), _("Description")), [
            (short_date(m.starts_on) + (f" – {short_date(m.ends_on)}" if m.ends_on and m.ends_on != m.starts_on
                                        else ""), xml_safe(m.name), label(m.kind), xml_safe(m.description) or "–")
            for m in plan.moments], (4, 5, 3, 5)))
    else:
        blocks.append(Paragraph(_("No moments yet."), "note"))
    blocks.append(Heading(2, _("Production planning")))
    produced = [e for e in entries if e.production_starts_on is not None and e.activity.status not in FINISHED]
    if produced:
        blocks.append(Table((_("Production from"), _("Publication"), _("Activity"), _("Channel"), _("Lead time")), [
            (short_date(e.production_starts_on), short_date(e.starts_on), xml_safe(e.activity.title),
             xml_safe(e.activity.channel.name),
             ngettext("%(num)d working day", "%(num)d working days", e.activity.channel.lead_time_days))
            for e in produced],
            (3, 3, 5, 4, 3), _("Production starts the given number of working days before publication, "
                               "as the checks count them.")))
    else:
        blocks.append(Paragraph(_("Nothing left to produce."), "note"))
    return blocks


def calendar_notes(findings) -> dict[tuple[str, object], str]:
    """(activity uuid, date) to the short words of what the checks found on that calendar row."""
    found = defaultdict(list)
    for finding in findings:
        word = NOTES.get(finding.code)
        if word and finding.activity_uuid and _(word) not in found[(finding.activity_uuid, finding.day)]:
            found[(finding.activity_uuid, finding.day)].append(_(word))
    return {key: "\n".join(words) for key, words in found.items()}


def load_chapter(plan: Plan, today) -> list:
    """The load per audience per week as the web chart draws it, with its busiest week named in the text."""
    series = plan_series(plan)
    chart = grid(series.audiences, week_span(plan.starts_on, plan.ends_on, today), series.marks)
    png = load_map_png(chart, _("week"))
    if png is None:
        return []
    busiest = chart.busiest()
    summary = _("How often each audience is reached per week; each cell shows its number. The busiest week starts on "
                "%(date)s, with %(n)d publications; the highest load of one audience is %(peak)d.",
                date=plain_date(busiest[0]), n=busiest[1], peak=chart.peak)
    marks = "; ".join(xml_safe(name) for name, _first, _last in chart.marks)
    return [Heading(2, _("Load per audience per week")),
            Image(png, 24.0, xml_safe(summary), xml_safe(summary + (" " + _("Marked: %(moments)s.", moments=marks)
                                                                   if marks else "")))]


def responsibilities(plan: Plan) -> list:
    """Who owns which activities and checklist items, and each partner's role and contact persons."""
    blocks: list = [Heading(2, _("Responsibilities"))]
    owned = defaultdict(lambda: ([], []))
    for activity in plan.activities:
        if activity.owner_name.strip():
            owned[activity.owner_name.strip()][0].append(activity.title)
    for phase in plan.phases:
        for item in phase.items:
            if item.owner_name.strip() and item.status != ChecklistStatus.NOT_APPLICABLE:
                owned[item.owner_name.strip()][1].append(item.title)
    rows = []
    for name, (activities, items) in sorted(owned.items()):
        parts = []
        if activities:
            parts.append(_("Activities: %(titles)s", titles="; ".join(activities)))
        if items:
            parts.append(_("Checklist: %(count)d items", count=len(items)))
        rows.append((xml_safe(name), xml_safe(plan.owner.name), xml_safe("\n".join(parts))))
    for partner in plan.partners:
        contacts = "\n".join(", ".join(filter(None, (c.name, c.function, c.phone, c.email))) for c in partner.contacts)
        rows.append((xml_safe(contacts) or "–", xml_safe(partner.name), xml_safe(partner.role) or "–"))
    if rows:
        blocks.append(Table((_("Who"), _("Organisation"), _("Responsible for")), rows, (5, 4, 8)))
    else:
        blocks.append(Paragraph(_("No owners yet."), "note"))
    return blocks


def budget_chapter(plan: Plan) -> list:
    """Costs per channel with its activities, the total, the budget and what remains: on one page."""
    activities = defaultdict(list)
    for activity in plan.activities:
        if activity.channel is not None and activity.status != ActivityStatus.CANCELLED:
            activities[activity.channel.id].append(activity.title)
    rows = [(xml_safe(c.name), xml_safe("; ".join(activities[c.id])) or "–", euro(c.cost))
            for c in plan.channels if c.cost]
    total = sum((c.cost or Decimal(0) for c in plan.channels), Decimal(0))
    rows.append((_("Total costs"), "", euro(total)))
    rows.append((_("Budget"), "", euro(plan.budget)))
    if plan.budget is not None:
        rows.append((_("Remaining"), "", euro(plan.budget - total)))
    return [Heading(1, _("Budget")), Table((_("Channel"), _("Activities"), _("Cost")), rows, (5, 9, 3),
                                           keep_together=True)]


def monitoring_chapter(plan: Plan) -> list:
    """What is measured per audience, what came back so far, and when the plan is evaluated."""
    blocks: list = [Heading(1, _("Monitoring and evaluation")), *paragraphs(plan.evaluation)]
    rows = []
    observed = defaultdict(list)  # the plan's observations in one collection, not one statement per activity
    for observation in plan.observations:
        if observation.activity is not None:  # many-to-one: found in the session, no statement
            observed[observation.activity].append(observation)
    reaching_by_audience = defaultdict(list)
    for activity in plan.activities:
        if activity.status != ActivityStatus.CANCELLED:
            for audience in activity.audiences:
                reaching_by_audience[audience].append(activity)
    for audience in plan.audiences:
        reaching = reaching_by_audience.get(audience)
        if not reaching:
            continue
        channels = sorted({a.channel.name for a in reaching if a.channel is not None})
        came_back = Counter()
        for activity in reaching:
            for observation in observed.get(activity, ()):
                came_back[label(observation.kind)] += observation.count or 1
        rows.append((xml_safe(audience.name), xml_safe(", ".join(channels)) or "–",
                     _("%(count)d activities", count=len(reaching)),
                     "\n".join(f"{kind}: {count}" for kind, count in sorted(came_back.items())) or "–"))
    if rows:
        blocks.append(Table((_("Audience"), _("Measured on"), _("Activities"), _("Came back so far")), rows,
                            (4, 7, 2.5, 3.5), _("Every activity counts its reach, reactions and questions; "
                                                "adjustments are recorded as they are made.")))
    evaluations = [d for d in plan.decisions if "evalu" in d.title.lower()]
    if evaluations:
        moment = "; ".join(f"{d.title} ({plain_date(d.decided_on)})" for d in evaluations)
    else:
        moment = _("after the plan ends (%(date)s)", date=plain_date(plan.ends_on))
    blocks.append(Paragraph(xml_safe(_("Evaluation moment: %(moment)s.", moment=moment))))
    if plan.observations:
        blocks.append(Heading(2, _("What came back")))
        blocks.append(Table((_("Date"), _("Kind"), _("Activity"), _("What came back"), _("Number")),
                            [(short_date(o.observed_on), label(o.kind), xml_safe(o.activity.title if o.activity else "–"),
                              xml_safe(o.text), str(o.count) if o.count is not None else "–")
                             for o in plan.observations], (3, 2, 4, 7, 1.5)))
    return blocks


def checklist_chapter(plan: Plan) -> list:
    """Progress per phase, and what is still open as a list."""
    blocks: list = [Heading(1, _("Checklist status"))]
    rows, still_open = [], []
    for phase in plan.phases:
        relevant = [i for i in phase.items if i.status != ChecklistStatus.NOT_APPLICABLE]
        done = [i for i in relevant if i.status == ChecklistStatus.DONE]
        rows.append((xml_safe(phase.name), _("%(done)d of %(total)d done", done=len(done), total=len(relevant))))
        open_items = [i for i in relevant if i.status != ChecklistStatus.DONE]
        if open_items:
            still_open.append((phase, open_items))
    blocks.append(Table((_("Phase"), _("Progress")), rows, (6, 4)))
    for phase, items in still_open:
        blocks.append(Paragraph(xml_safe(_("Still open in %(phase)s:", phase=phase.name))))
        blocks.append(BulletList(tuple(
            xml_safe(i.title + (f" ({i.owner_name}, {short_date(i.due_on)})" if i.owner_name and i.due_on else
                                f" ({i.owner_name})" if i.owner_name else "")) for i in items)))
    return blocks
