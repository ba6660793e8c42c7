"""The request's catalogue, looked up once per request and locale, for the many translations a page makes.

Flask-Babel's own `gettext` finds the catalogue anew for every message (through the request's globals several
times). An agenda page of 150 rows translates about 2,800 messages; its templates and filters use these. Views
that translate a message or two keep Flask-Babel's `gettext`: the result is the same.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_locale, get_translations
from babel.support import NullTranslations


def request_translations() -> NullTranslations:
    """Flask-Babel's catalogue for the current locale (which `force_locale` may change within a request)."""
    locale = get_locale()
    if locale is None:  # no application context: Flask-Babel's untranslated stand-in
        return get_translations()
    kept = g.get("planner_translations")
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    g.planner_translations = (locale, translations)
    return translations


def gettext(message: str, **params) -> str:
    """As flask_babel.gettext."""
    text = request_translations().ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, num: int, **params) -> str:
    """As flask_babel.ngettext: %(num)d is the count."""
    params.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % params


def install_template_translations(app: Flask) -> None:
    """The templates' `_()`, `gettext` and `ngettext` through `request_translations` (as Flask-Babel installs
    them otherwise)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
