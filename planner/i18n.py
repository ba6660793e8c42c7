"""Translations outside a web request (feeds, documents, e-mails): the same catalogues as the web app."""

from __future__ import annotations

from functools import lru_cache

from babel.support import Translations

from planner.resources import PACKAGE_DIR

DEFAULT_LOCALE = "nl"


@lru_cache(maxsize=4)
def translations(locale: str = DEFAULT_LOCALE) -> Translations:
    return Translations.load(str(PACKAGE_DIR / "translations"), [locale], domain="messages")


def gettext(message: str, **params) -> str:
    """Translate `message` into Dutch and fill in %(name)s parameters."""
    text = translations().gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, count: int, **params) -> str:
    """The singular or plural form for `count`, in Dutch, with %(num)d and %(name)s parameters filled in."""
    text = translations().ngettext(singular, plural, count)
    return text % {"num": count, **params}
