"""Translations within a request: the catalogue is looked up once per request and locale, and follows the
locale wherever it changes (the visitor's choice, `force_locale` for a mail in the product's language)."""

from flask import render_template_string
from flask_babel import force_locale

from planner.enums import ActivityStatus, OffsetUnit
from planner.web.translation import gettext, ngettext
from planner.web.views.site import LANGUAGE_COOKIE

PAGE = ('{{ _("Planned") }} | {{ status|label }} | {{ ngettext("%(num)d day", "%(num)d days", 2) }}'
        ' | {{ offset_text(1, unit) }}')


def rendered() -> str:
    return render_template_string(PAGE, status=ActivityStatus.PLANNED, unit=OffsetUnit.WORKING_DAYS)


def test_templates_and_filters_translate_in_the_requests_language_and_follow_force_locale(app):
    with app.test_request_context("/", headers={"Cookie": f"{LANGUAGE_COOKIE}=en"}):
        assert rendered() == "Planned | Planned | 2 days | 1 working day"
        with force_locale("nl"):
            assert rendered() == "Gepland | Gepland | 2 dagen | 1 werkdag"
            assert gettext("Planned") == "Gepland"
            assert ngettext("%(num)d day", "%(num)d days", 3) == "3 dagen"
        assert rendered() == "Planned | Planned | 2 days | 1 working day"  # back to the visitor's language
        assert gettext("%(first)s to %(last)s", first="a", last="b") == "a to b"
    with app.test_request_context("/"):  # Dutch unless chosen otherwise
        assert rendered() == "Gepland | Gepland | 2 dagen | 1 werkdag"
        assert gettext("%(first)s to %(last)s", first="a", last="b") == "a tot en met b"


def test_outside_an_application_context_messages_are_what_flask_babel_makes_of_them():
    import flask_babel

    assert gettext("Planned") == flask_babel.gettext("Planned")  # untranslated: no locale without a context
    assert ngettext("%(num)d day", "%(num)d days", 3) == flask_babel.ngettext("%(num)d day", "%(num)d days", 3)


def test_a_page_looks_up_the_catalogue_once_and_again_only_when_the_locale_changes(app, monkeypatch):
    import planner.web.translation as translation

    lookups = []
    original = translation.get_translations
    monkeypatch.setattr(translation, "get_translations", lambda: lookups.append(1) or original())
    with app.test_request_context("/"):
        assert rendered() == "Gepland | Gepland | 2 dagen | 1 werkdag"  # four messages
        assert len(lookups) == 1
        with force_locale("en"):
            rendered()
            rendered()
        assert len(lookups) == 2
        rendered()
        assert len(lookups) == 3  # the request's own locale again
