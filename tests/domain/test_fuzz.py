"""Property-based fuzzing of what comes from outside: JSON documents, form fields, recurrence rules, .ics."""

import copy
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from planner.domain.codecs import DocumentError
from planner.domain.ics_import import parse_events
from planner.domain.recurrence import RecurrenceError, parse_rule
from planner.domain.transfer import import_plan
from planner.exporters.blocks import xml_safe
from planner.models import Organisation, Plan
from tests.helpers import count_rows

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)

BASE = {
    "format": "planner.plan", "format_version": 1, "organisations": [],
    "plan": {"uuid": "00000000-0000-0000-0000-000000000001"},
}


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(field=st.sampled_from(["organisations", "plan", "partners", "audiences", "activities", "phases",
                              "format_version"]),
       value=json_values)
def test_import_refuses_any_malformed_document_with_a_document_error(session, field, value):
    """BASE lacks the plan's required fields, so no value in one field can make a valid document: every one of them
    must be refused with a DocumentError (not accepted, and no other exception), and nothing stays behind."""
    document = copy.deepcopy(BASE)
    document[field] = value
    try:
        with pytest.raises(DocumentError):
            import_plan(session, document)
    finally:
        session.rollback()
    assert count_rows(session, Plan) == 0 and count_rows(session, Organisation) == 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_recurrence_parser_only_raises_its_own_error(text):
    try:
        parse_rule(text, dt.date(2027, 1, 1))
    except RecurrenceError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: ("BEGIN:VCALENDAR\r\n" + t).encode()))
def test_ics_parser_only_raises_its_own_error(raw):
    try:
        parse_events(raw)
    except DocumentError:
        pass


@given(st.text())
def test_xml_safe_text_is_always_storable_and_printable(text):
    cleaned = xml_safe(text)
    assert "\x00" not in cleaned and "\r" not in cleaned
    assert all(ch in "\n\t" or ord(ch) >= 32 for ch in cleaned)
