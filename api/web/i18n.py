"""French, Dutch and English for the pages: gettext catalogues (``api/web/i18n/*.po``, Babel's
format) read at start-up, the language chosen by the user (remembered in a cookie) or the
browser's, and dates and numbers formatted for it."""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from fastapi import Request

from graph.errors import Say

Lang = Literal["fr", "nl", "en"]
LANGS: tuple[Lang, ...] = ("fr", "nl", "en")
DEFAULT: Lang = "fr"
COOKIE = "maillage_lang"
CATALOGUES = Path(__file__).parent / "i18n"


@cache
def translations(lang: Lang) -> Translations:
    """The catalogue of one language (English is the source: its catalogue maps to itself)."""
    with (CATALOGUES / f"{lang}.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def choose(request: Request, remembered: str | None = None) -> Lang:
    """The language asked for (``?lang=``), chosen on this device (a cookie), remembered for
    the user's account (stored when they log in), or the browser's."""
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE) or remembered
    if asked in LANGS:
        return asked
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return DEFAULT


def day(value: date | str | None, lang: Lang) -> str:
    """A date as people of that language write it (``28 nov. 2026``, ``28 nov 2026``)."""
    if value is None or value == "":
        return ""
    when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return format_date(when, format="medium", locale=Locale.parse(lang))


def number(value: float | int, lang: Lang) -> str:
    return format_decimal(value, locale=Locale.parse(lang))


def say(text: object, lang: Lang) -> str:
    """A message of the engine or the policy in the reader's language: a :class:`Say` is looked
    up in the catalogue by its template and its parts filled in (dates the reader's way, a part
    that is itself a ``Say`` translated too); other text is looked up as it is."""
    gettext = translations(lang).gettext
    if not isinstance(text, Say):
        return gettext(str(text))
    parts = {}
    for name, value in text.params.items():
        if isinstance(value, Say):
            parts[name] = say(value, lang)
        elif isinstance(value, date):
            parts[name] = day(value, lang)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            parts[name] = number(value, lang)
        else:
            parts[name] = value
    return gettext(text.template).format(**parts)
