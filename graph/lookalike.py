"""Names that look like one another: the same actor recorded twice, perhaps once in French and
once in Dutch ("Apotheek Clemenceau" and "Pharmacie Clemenceau"), with look-alike letters
("Fırın" and "Firin"), or in another word order. Used before recording an actor (the pages)
and when importing (the planner): a warning, never a merge."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz, process

from graph.model import normalise_name

#: rapidfuzz's token_set_ratio at or above which two names look alike
LOOK_ALIKE = 85

#: the usual Dutch words of Brussels' places and their French pair, as normalise_name writes
#: them: a name compares with the French word
PAIRS = {
    "apotheek": "pharmacie",
    "wijkgezondheidscentrum": "maison medicale",
    "medisch huis": "maison medicale",
    "school": "ecole",
    "basisschool": "ecole primaire",
    "bakkerij": "boulangerie",
    "bibliotheek": "bibliotheque",
    "moskee": "mosquee",
    "kerk": "eglise",
    "jeugdhuis": "maison de jeunes",
    "buurthuis": "maison de quartier",
    "ocmw": "cpas",
    "politie": "police",
    "kinderdagverblijf": "creche",
    "slagerij": "boucherie",
    "kapper": "coiffeur",
    "vzw": "asbl",
    "gemeenschapscentrum": "centre communautaire",
    "huiswerkschool": "ecole de devoirs",
    "buurtwinkel": "epicerie",
}
_PAIR = re.compile(r"\b(" + "|".join(sorted(map(re.escape, PAIRS), key=len, reverse=True)) + r")\b")


def comparable(name: str) -> str:
    """A name as look-alikes are compared: normalised, Dutch place words in French.

    >>> comparable("Apotheek Clemenceau") == comparable("Pharmacie Clemenceau")
    True
    >>> comparable("Fırın Anadolu")
    'firin anadolu'
    """
    return _PAIR.sub(lambda m: PAIRS[m.group(1)], normalise_name(name))


_BACK: dict[str, list[str]] = {}
for _dutch, _french in PAIRS.items():
    _BACK.setdefault(_french, []).append(_dutch)
_ANY_PAIR = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, [*PAIRS, *_BACK]), key=len, reverse=True)) + r")\b"
)


def other_words(query: str) -> list[str]:
    """A search in the other language's place words: "apotheek" also asks "pharmacie", and
    "maison medicale" also "wijkgezondheidscentrum" (normalised, without the query itself).

    >>> other_words("Apotheek Clemenceau"), other_words("maison médicale")
    (['pharmacie clemenceau'], ['wijkgezondheidscentrum', 'medisch huis'])
    """
    text = normalise_name(query)
    found = _ANY_PAIR.search(text)
    if found is None:
        return []
    word = found.group(1)
    others = [PAIRS[word]] if word in PAIRS else _BACK[word]
    return [text[: found.start()] + other + text[found.end() :] for other in others]


def look_alikes(name: str, candidates: Mapping[str, str], limit: int = 5) -> list[str]:
    """The keys of ``candidates`` (already :func:`comparable`) that look like ``name``, the
    closest first."""
    hits = process.extract(
        comparable(name), candidates, scorer=fuzz.token_set_ratio, score_cutoff=LOOK_ALIKE,
        limit=limit,
    )  # fmt: skip
    return [key for _, _, key in hits]
