"""Load checklist templates from YAML and apply them to plans."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from planner.enums import PhaseKey
from planner.models import ChecklistItem, Phase, Plan
from planner.resources import checklists_dir

if TYPE_CHECKING:
    import yaml

DEFAULT_TEMPLATE = "vng-stappenplan"
MAX_ITEM_LENGTH = 500


class ChecklistError(ValueError):
    """A checklist file that does not match the schema; the message names file and line."""


@dataclass(frozen=True)
class PhaseTemplate:
    key: PhaseKey
    name: str
    goal: str
    result: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistTemplate:
    id: str
    name: str
    source: str
    phases: tuple[PhaseTemplate, ...]


def load_template(path: Path) -> ChecklistTemplate:
    """Parse and validate one checklist file."""
    import yaml  # here, not at the top: most commands never read a template

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ChecklistError(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if root is None:
        raise ChecklistError(f"{path}:1: the file is empty")
    reader = _Reader(path)
    top = reader.mapping(root, "the file", {"id", "name", "source", "phases"}, {"id", "name", "phases"})
    phases_node = top["phases"]
    phases = [reader.phase(node) for node in reader.sequence(phases_node, "phases")]
    if not phases:
        reader.fail(phases_node, "phases must not be empty")
    keys = [phase.key for phase in phases]
    if len(set(keys)) != len(keys):
        reader.fail(phases_node, "each phase key may occur once")
    return ChecklistTemplate(
        id=reader.text(top["id"], "id", 80),
        name=reader.text(top["name"], "name", 200),
        source=reader.text(top["source"], "source", 500) if "source" in top else "",
        phases=tuple(phases),
    )


def available_templates(folder: Path | None = None) -> dict[str, ChecklistTemplate]:
    """Load every template in the checklists folder, keyed by id."""
    templates = {}
    for path in sorted((folder or checklists_dir()).glob("*.yaml")):
        template = load_template(path)
        templates[template.id] = template
    return templates


def get_template(template_id: str = DEFAULT_TEMPLATE) -> ChecklistTemplate:
    templates = available_templates()
    if template_id not in templates:
        raise ChecklistError(f"unknown checklist template {template_id!r}")
    return templates[template_id]


def apply_template(session: Session, plan: Plan, template: ChecklistTemplate) -> None:
    """Give `plan` the phases and items of `template`."""
    plan.checklist_template = template.id
    for position, phase_template in enumerate(template.phases):
        phase = Phase(
            key=phase_template.key, position=position, name=phase_template.name,
            goal=phase_template.goal, result=phase_template.result,
        )
        phase.items = [ChecklistItem(position=i, title=title) for i, title in enumerate(phase_template.items)]
        plan.phases.append(phase)
    session.flush()


class _Reader:
    """Walk composed YAML nodes so that every error can name its line."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: yaml.Node, reason: str):
        raise ChecklistError(f"{self.path}:{node.start_mark.line + 1}: {reason}")

    def mapping(self, node, what, allowed, required) -> dict[str, yaml.Node]:
        if getattr(node, "id", None) != "mapping":
            self.fail(node, f"{what} must be a mapping")
        result = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in allowed:
                self.fail(key_node, f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})")
            result[key] = value_node
        for key in sorted(required - result.keys()):
            self.fail(node, f"{what} is missing {key!r}")
        return result

    def sequence(self, node, what) -> list[yaml.Node]:
        if getattr(node, "id", None) != "sequence":
            self.fail(node, f"{what} must be a list")
        return node.value

    def text(self, node, what, max_length) -> str:
        if getattr(node, "id", None) != "scalar" or not str(node.value).strip():
            self.fail(node, f"{what} must be non-empty text")
        value = str(node.value).strip()
        if len(value) > max_length:
            self.fail(node, f"{what} is longer than {max_length} characters")
        return value

    def phase(self, node) -> PhaseTemplate:
        fields = self.mapping(node, "a phase", {"key", "name", "goal", "items", "result"}, {"key", "name", "goal", "items", "result"})
        key_text = self.text(fields["key"], "key", 40)
        try:
            key = PhaseKey(key_text)
        except ValueError:
            self.fail(fields["key"], f"unknown phase key {key_text!r} (allowed: {', '.join(k.value for k in PhaseKey)})")
        items = tuple(self.text(item, "a checklist item", MAX_ITEM_LENGTH) for item in self.sequence(fields["items"], "items"))
        if not items:
            self.fail(fields["items"], "items must not be empty")
        return PhaseTemplate(
            key=key,
            name=self.text(fields["name"], "name", 200),
            goal=self.text(fields["goal"], "goal", 2000),
            result=self.text(fields["result"], "result", 2000),
            items=items,
        )
