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


def wanted() -> set[str]:
    """Every message id the pages may show."""
    ids: set[str] = set()
    for *_, message, _c, _x in extract_from_dir(
        str(WEB),
        method_map=[("**/templates/**.html", "jinja2"), ("**.py", "python")],
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    ):
        if isinstance(message, str):
            ids.add(message)
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


def placeholders(text: str) -> set[str]:
    """The named parts of a ``Say`` template (``{name}``)."""
    return set(PLACEHOLDER.findall(text))


def update() -> dict[str, list[str]]:
    """Rewrite the three catalogues for today's messages; what each language still lacks."""
    ids = wanted()
    missing: dict[str, list[str]] = {}
    for lang in LANGS:
        old = {m.id: m.string for m in read(lang) if m.id and m.string and not m.fuzzy}
        catalogue = Catalog(locale=lang, project="Maillage", domain="messages")
        for message in sorted(ids):
            text = message if lang == "en" else old.get(message, "")
            catalogue.add(message, text)
        missing[lang] = sorted(m for m in ids if lang != "en" and m not in old)
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
