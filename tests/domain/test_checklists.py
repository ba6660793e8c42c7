import datetime as dt
import textwrap

import pytest

from planner.domain.checklists import ChecklistError, available_templates, get_template, load_template
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.enums import ChecklistStatus, PhaseKey

VALID = """\
id: demo
name: Demo
phases:
  - key: initiative
    name: Initiatief
    goal: Samenwerken.
    items:
      - Bijeenkomst beleggen.
    result: Afspraken.
"""


def write(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_vng_template_has_the_three_phases_in_order():
    template = get_template("vng-stappenplan")
    assert [p.key for p in template.phases] == [PhaseKey.INITIATIVE, PhaseKey.PREPARATION, PhaseKey.EXECUTION]
    assert [p.name for p in template.phases] == ["Initiatief", "Voorbereiding", "Uitvoering"]
    assert all(p.goal and p.result and len(p.items) >= 5 for p in template.phases)


def test_every_shipped_template_loads():
    assert "vng-stappenplan" in available_templates()


def test_valid_file_loads(tmp_path):
    template = load_template(write(tmp_path, VALID))
    assert template.phases[0].items == ("Bijeenkomst beleggen.",)


@pytest.mark.parametrize("text, line, reason", [
    (VALID.replace("    goal: Samenwerken.\n", ""), 4, "missing 'goal'"),
    (VALID.replace("key: initiative", "key: kickoff"), 4, "unknown phase key 'kickoff'"),
    (VALID.replace("name: Demo", "name: Demo\ncolour: red"), 3, "unknown key 'colour'"),
    (VALID.replace("      - Bijeenkomst beleggen.\n", "      []\n").replace("items:\n      []", "items: []"),
     7, "items must not be empty"),
    (VALID.replace("phases:", "phases: ["), 4, "not valid YAML"),
    ("- just\n- a list\n", 1, "must be a mapping"),
    ("# only a comment\n", 1, "the file is empty"),
    ("name: x\nid: y\nphases:\n  - 3\n", 4, "a phase must be a mapping"),
])
def test_broken_file_is_rejected_with_file_line_and_reason(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(ChecklistError) as info:
        load_template(path)
    message = str(info.value)
    assert message.startswith(f"{path}:")
    assert reason in message
    reported_line = int(message[len(str(path)) + 1:].split(":")[0])
    assert reported_line == line


def test_new_plan_gets_the_checklist(session):
    owner = find_or_create_organisation(session, "Gemeente Testdorp")
    plan = create_plan(session, title="Nieuw plan", owner=owner, starts_on=dt.date(2027, 1, 1),
                       ends_on=dt.date(2027, 6, 30))
    session.commit()
    assert plan.checklist_template == "vng-stappenplan"
    assert [phase.name for phase in plan.phases] == ["Initiatief", "Voorbereiding", "Uitvoering"]
    items = [item for phase in plan.phases for item in phase.items]
    assert len(items) == sum(len(p.items) for p in get_template().phases)
    assert {item.status for item in items} == {ChecklistStatus.OPEN}
