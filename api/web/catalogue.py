"""The messages the pages show, and the catalogues that translate them.

Two sources: the pages' own text (``_()``, ``N_()`` and ``gettext`` in ``api/web``, and the
templates), and the engine's and the policy's sentences (``Say("…")`` anywhere in ``graph/``,
``api/`` and ``ingest/``), which the pages translate when they show a refusal.

``python -m api.web.catalogue`` brings ``api/web/i18n/{en,fr,nl}.po`` up to date: new messages
are added (English maps to itself; French and Dutch wait for a translator and are listed),
messages no longer used are dropped, translations are kept.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from api.web.i18n import CATALOGUES, LANGS

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "api" / "web"
ENGINE = (ROOT / "graph", ROOT / "api", ROOT / "ingest")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


Message = str | tuple[str, str]  # a sentence, or (singular, plural) for ngettext


def wanted() -> set[Message]:
    """Every message id the pages may show (a pair for a sentence with a count: ngettext)."""
    ids: set[Message] = set()
    for *_, message, _c, _x in extract_from_dir(
        str(WEB),
        method_map=[("**/templates/**.html", "jinja2"), ("**.py", "python")],
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    ):
        if isinstance(message, str):
            ids.add(message)
        elif isinstance(message, tuple) and len(message) == 2 and all(message):
            ids.add((str(message[0]), str(message[1])))
    for folder in ENGINE:
        for *_, message, _c, _x in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords={"Say": None}
        ):
            if isinstance(message, str):
                ids.add(message)
    return ids


def read(lang: str) -> Catalog:
    with (CATALOGUES / f"{lang}.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def placeholders(text: str | tuple[str, ...]) -> set[str]:
    """The named parts of a ``Say`` template (``{name}``), or of each form of a plural."""
    if isinstance(text, tuple):
        return set().union(*(PLACEHOLDER.findall(t) for t in text))
    return set(PLACEHOLDER.findall(text))


def translated(message: object) -> bool:
    """A translation that is there: every form of a plural filled in."""
    if isinstance(message, tuple | list):
        return bool(message) and all(message)
    return bool(message)


def update() -> dict[str, list[Message]]:
    """Rewrite the three catalogues for today's messages; what each language still lacks."""
    ids = wanted()
    missing: dict[str, list[Message]] = {}
    for lang in LANGS:
        old = {m.id: m.string for m in read(lang) if m.id and translated(m.string) and not m.fuzzy}
        catalogue = Catalog(locale=lang, project="Maillage", domain="messages")
        for message in sorted(ids, key=str):
            empty: str | tuple[str, ...] = ("", "") if isinstance(message, tuple) else ""
            text = message if lang == "en" else old.get(message, empty)
            catalogue.add(message, text)
        missing[lang] = sorted((m for m in ids if lang != "en" and m not in old), key=str)
        buffer = io.BytesIO()
        write_po(buffer, catalogue, width=100)
        (CATALOGUES / f"{lang}.po").write_bytes(buffer.getvalue())
    return missing


if __name__ == "__main__":
    lacking = update()
    for lang, messages in lacking.items():
        for message in messages:
            print(f"{lang}: no translation for {message!r}")
    sys.exit(1 if any(lacking.values()) else 0)
