"""The column layout of actors and links in a spreadsheet (CSV or XLSX), with French, Dutch and
English headers, and the words accepted for kinds and link types.

One sheet (or CSV file) of actors, one of links. Headers are matched ignoring case, accents,
spaces and underscores; a column nobody knows is reported and ignored. Several values in one
cell (themes, languages, target groups) are separated by ``|``, as Kumu does. A cell is always
text: a formula is never evaluated (``=1+1`` is the text ``=1+1``).

The layout is documented in ``docs/IMPORT.md``; ``maillage import --template FILE`` writes a
workbook with both sheets, their headers in the three languages and an example row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from graph.model import ActorKind, LinkType, Mission, PhoneLabel
from viz.text import KINDS, LINKS

LIST_SEPARATOR = "|"

#: actor field -> headers accepted (English first: the template's own header)
ACTOR_COLUMNS: dict[str, tuple[str, ...]] = {
    # English, French, Dutch, then other words met in the field's files
    "id": ("id", "identifiant", "identificatie"),
    "name": ("name", "nom", "naam", "label"),
    "kind": ("kind", "type", "soort", "element type"),
    "neighbourhood": ("neighbourhood", "quartier", "wijk", "neighborhood"),
    "subtype": ("subtype", "sous-type", "subtype", "sous type"),
    "address": ("address", "adresse", "adres"),
    "latitude": ("latitude", "latitude", "breedtegraad", "lat"),
    "longitude": ("longitude", "longitude", "lengtegraad", "lon", "lng"),
    "themes": ("themes", "thèmes", "thema's", "themas", "tags"),
    "languages": ("languages", "langues", "talen"),
    "target_groups": ("target groups", "publics", "doelgroepen", "public cible"),
    "description": ("description", "description", "beschrijving"),
    "status": ("status", "statut", "status"),
    "since": ("since", "depuis", "sinds"),
    "until": ("until", "jusqu'au", "tot", "jusqu’au"),
    "consent_date": ("consent date", "date du consentement", "datum van toestemming"),
    # how to reach it: phones as "02 520 12 34 | 0470 12 34 56 (whatsapp)"
    "phones": ("phones", "téléphones", "telefoonnummers", "phone", "téléphone", "telefoon",
               "tel", "tél", "telephone number"),
    "mobile": ("mobile", "gsm", "portable", "mobiel"),
    "email": ("email", "e-mail", "courriel", "mail", "adresse e-mail", "e-mailadres"),
    "website": ("website", "site web", "site", "url", "web", "site internet"),
}  # fmt: skip

#: link field -> headers accepted (English, French, Dutch, others)
LINK_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant", "identificatie"),
    "source": ("from", "de", "van", "source"),
    # the ends' names beside their ids, for a reader (an export writes them; the import reads
    # the ends from the id columns and takes these as known, not as dropped)
    "source_name": ("from (name)", "de (nom)", "van (naam)"),
    "target": ("to", "vers", "naar", "target"),
    "target_name": ("to (name)", "vers (nom)", "naar (naam)"),
    "type": ("type", "type de lien", "soort band", "link type", "connection type"),
    "mission": ("mission", "mission", "opdracht"),
    "strength": ("strength", "force", "sterkte"),
    "since": ("since", "depuis", "sinds"),
    "until": ("until", "jusqu'au", "tot", "jusqu’au"),
    "note": ("note", "remarque", "notitie"),
    "direction": ("direction", "direction", "richting"),
}

LIST_FIELDS = frozenset({"themes", "languages", "target_groups"})
#: the columns that are not fields of an actor as such (the planner makes its phones of them)
PHONE_COLUMNS = ("phones", "mobile")


def phones_cell(phones: list[Mapping[str, object]]) -> str:
    """An actor's phones as one cell: ``+3225201234 | +32470123456 (whatsapp)`` (a phone's
    label given when it is not the reception's).

    >>> phones_cell([{"label": "reception", "number": "+3225201234"},
    ...              {"label": "whatsapp", "number": "+32470123456"}])
    '+3225201234 | +32470123456 (whatsapp)'
    """
    return " | ".join(
        str(p["number"])
        + ("" if p.get("label", "reception") == "reception" else f" ({p['label']})")
        for p in phones
    )


def phones_of(cell: object, label: str = "reception") -> list[dict[str, str]]:
    """The phones of a cell (see :func:`phones_cell`); each checked when the actor is.

    >>> [p["label"] for p in phones_of("02/520 12 34 | 0470 12 34 56 (WhatsApp)")]
    ['reception', 'whatsapp']
    """
    out = []
    for part in str(cell).replace(";", "|").split("|"):
        text = part.strip()
        if not text:
            continue
        named = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", text)
        kind = label
        if named and words(named.group(2)) in PHONE_LABEL_WORDS:
            text, kind = named.group(1).strip(), PHONE_LABEL_WORDS[words(named.group(2))]
        out.append({"label": kind, "number": text})
    return out


#: sheet names (normalised) that hold actors, and links
ACTOR_SHEETS = frozenset({"actors", "acteurs", "actoren", "elements"})
LINK_SHEETS = frozenset({"links", "liens", "banden", "connections"})


@lru_cache(maxsize=10_000)
def words(text: str) -> str:
    """A header or a word as compared: case, accents, spaces, ``_`` and ``-`` ignored.

    >>> words("  Thèmes_Cibles ") == words("themes cibles")
    True
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


def _headers(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {words(header): field for field, headers in columns.items() for header in headers}


ACTOR_HEADERS = _headers(ACTOR_COLUMNS)
PHONE_LABEL_WORDS = {words(label.value): label.value for label in PhoneLabel} | {
    words(w): label
    for label, said in {
        "reception": ("accueil", "onthaal", "secrétariat"),
        "mobile": ("gsm", "portable", "mobiel"),
        "helpline": ("ligne d'écoute", "hulplijn"),
    }.items()
    for w in said
}
LINK_HEADERS = _headers(LINK_COLUMNS)


@dataclass(frozen=True)
class Vocabulary:
    """The words a file may use for kinds and link types: ours, our labels in the three
    languages, and a mapping the user gives (Kumu element and connection types). A word none
    of these knows is reported, never guessed."""

    kinds: Mapping[str, str]
    link_types: Mapping[str, str]

    @classmethod
    def with_mapping(cls, mapping: Mapping[str, Mapping[str, str]] | None = None) -> Vocabulary:
        kinds = {words(k.value): k.value for k in ActorKind}
        kinds |= {words(label): kind for kind, labels in KINDS.items() for label in labels.values()}
        types = {words(t.value): t.value for t in LinkType}
        types |= {words(label): t for t, labels in LINKS.items() for label in labels.values()}
        given = mapping or {}
        kinds |= {words(k): v for k, v in (given.get("kinds") or {}).items()}
        types |= {words(k): v for k, v in (given.get("link_types") or {}).items()}
        return cls(kinds=kinds, link_types=types)

    def kind(self, word: str) -> str | None:
        return self.kinds.get(words(word))

    def link_type(self, word: str) -> str | None:
        return self.link_types.get(words(word))


MISSIONS = {words(m.value): m.value for m in Mission}
