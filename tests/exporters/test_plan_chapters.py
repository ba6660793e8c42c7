"""The chapters the college reads: summary, version, moments, owners, budget, monitoring, checklist, bad input."""

import io
import zipfile

import docx
import pytest
from docx2python import docx2python
from odf.opendocument import load as load_odt

from planner import clock
from planner.domain.calendar import entries
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.document_text import plain_date, short_date
from planner.domain.partner_sheet import partner_document
from planner.domain.plan_document import plan_document
from planner.domain.plans import get_plan
from planner.enums import ChecklistStatus, PlanStatus
from planner.exporters.docx import render_docx
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from planner.models import ContactPerson, PlanSnapshot
from tests.exporters.test_documents import needs_libreoffice

BAD = "\uffff\ufffe\ud800\x01\x1f"


def text_of(plan) -> str:
    return docx2python(io.BytesIO(render_docx(plan_document(plan, clock.today())))).text


def test_version_is_concept_with_a_date_then_the_number_of_approvals(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.status = PlanStatus.DRAFT
    demo_session.commit()
    text = text_of(plan)
    assert "Versie: concept van " in text and "Versie: 20" not in text
    plan.status = PlanStatus.APPROVED
    plan.snapshots.append(PlanSnapshot(status=PlanStatus.APPROVED, phase=plan.phase, document={}))
    plan.snapshots.append(PlanSnapshot(status=PlanStatus.APPROVED, phase=plan.phase, document={}))
    demo_session.commit()
    assert f"Versie: versie 2, vastgesteld op {plain_date(clock.today())}" in text_of(plan)


def test_checklist_still_open_is_a_bulleted_list_without_a_cut(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    open_items = [i for phase in plan.phases for i in phase.items if i.status not in
                  (ChecklistStatus.DONE, ChecklistStatus.NOT_APPLICABLE)]
    document = docx.Document(io.BytesIO(render_docx(plan_document(plan, clock.today()))))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == len(open_items) and all(any(b.startswith(i.title) for b in bullets) for i in open_items)
    with zipfile.ZipFile(io.BytesIO(render_odt(plan_document(plan, clock.today())))) as archive:
        content = archive.read("content.xml").decode()
    assert content.count("<text:list-item>") == len(open_items)


def test_moments_production_start_and_check_marks_in_the_calendar(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    text = text_of(plan)
    assert "Momenten en productieplanning" in text and "Start Veilig Thuis en 0800-2000" in text
    produced = next(e for e in entries(plan) if e.production_starts_on and e.activity.status.value == "planned")
    assert short_date(produced.production_starts_on) in text
    assert "Extern\nLokaal" in text or "Extern" in text and "Intern" in text
    assert "embargo" in text.split("Communicatiekalender")[-1].split("Bijlage")[0]


def test_responsibilities_name_owners_and_partner_contacts(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.partners[0].contacts.append(ContactPerson(name="Fatima El Amrani", function="Preventiewerker",
                                                   phone="026 123 4567", email="f.elamrani@example.org"))
    demo_session.commit()
    text = text_of(plan)
    section = text.split("Verantwoordelijkheden")[-1]
    assert "Fatima El Amrani, Preventiewerker, 026 123 4567, f.elamrani@example.org" in section
    assert "Sanne de Vries" in section and "Checklist:" in section


def test_summary_is_generated_and_the_advisor_can_override_it(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    text = text_of(plan)
    summary = text.split("Managementsamenvatting")[-1].split("Aanleiding")[0]
    assert "Gevraagd besluit" in summary and "€\u00a012.000,00" in summary and plan.audiences[0].name in summary
    plan.summary = "Eigen samenvatting van de adviseur."
    demo_session.commit()
    summary = text_of(plan).split("Managementsamenvatting")[-1].split("Aanleiding")[0]
    assert "Eigen samenvatting van de adviseur." in summary and "Gevraagd besluit" not in summary


def test_budget_per_channel_with_total_and_remainder_kept_together(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    document = docx.Document(io.BytesIO(render_docx(plan_document(plan, clock.today()))))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Middel" and
                 t.rows[0].cells[1].text == "Activiteiten")
    labels = [row.cells[0].text for row in table.rows]
    assert labels[-3:] == ["Totale kosten", "Budget", "Resterend"]
    assert "Ouderavond in de bibliotheek" in labels
    assert "keepNext" in table._tbl.xml


def test_monitoring_per_audience_and_the_evaluation_moment(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    section = text_of(plan).split("Monitoring en evaluatie")[-1]
    assert "Gemeten via" in section and "Evaluatiemoment: Evaluatie met partners" in section


@pytest.fixture
def hostile_plan(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    demo_session.autoflush = False  # the database may refuse half characters; the documents must not
    for obj in [plan, plan.owner, *plan.partners, *plan.audiences, *plan.messages, *plan.channels, *plan.moments,
                *plan.activities, *plan.decisions, *plan.observations, *plan.embargoes,
                *(t for m in plan.messages for t in m.translations),
                *(i for phase in plan.phases for i in phase.items), *plan.phases]:
        for column in obj.__table__.columns:
            value = getattr(obj, column.key)
            if type(value) is str and column.key not in ("slug", "primary_colour", "font") and value:
                setattr(obj, column.key, value[:1] + BAD + value[1:])
        if hasattr(obj, "languages"):
            obj.languages = [code + BAD for code in obj.languages]
    for obj in [*plan.partners, *plan.activities, *plan.observations]:  # loaded before anything is changed
        obj.plan, getattr(obj, "contacts", None), getattr(obj, "observations", None)
    plan.summary = "Samenvatting" + BAD
    yield plan
    demo_session.rollback()


@pytest.mark.parametrize("render", [render_docx, render_odt])
def test_characters_xml_cannot_hold_in_every_field_are_dropped(hostile_plan, render):
    for document in [plan_document(hostile_plan, clock.today()),
                     *(partner_document(hostile_plan, p, clock.today()) for p in hostile_plan.partners)]:
        raw = render(document)
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    data = archive.read(name).decode("utf-8")
                    assert not any(ch in data for ch in BAD), name
        if render is render_docx:
            assert document.short_title in docx2python(io.BytesIO(raw)).text
        else:
            load_odt(io.BytesIO(raw))


@needs_libreoffice
def test_characters_xml_cannot_hold_still_give_a_pdf(hostile_plan):
    assert convert_to_pdf(render_odt(plan_document(hostile_plan, clock.today())), ".odt").startswith(b"%PDF")
