"""One vocabulary in three languages: the themes and the publics (target groups) an actor works
on are codes with a French, a Dutch and an English label; languages are ISO 639 codes whose
names come from CLDR (Babel). A word is taken in any of the three languages or as the code,
case and accents ignored ("santé", "gezondheid" and "health" are the code ``health``; "arabe",
"Arabisch" and "ar" are ``ar``); a word the list lacks is kept as typed (free text, "other").

The codes are the English words the first releases stored, so that a store needs no change
for them; words stored in French or Dutch by an import become codes when the store opens
(``graph/records.py`` ``renormalise``)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel import Locale

from graph.model import normalise_name

#: code (the English label) -> (French, Dutch)
THEMES: dict[str, tuple[str, str]] = {
    "community": ("vie de quartier", "buurtleven"),
    "culture": ("culture", "cultuur"),
    "debt": ("dettes", "schulden"),
    "digital inclusion": ("inclusion numérique", "digitale inclusie"),
    "dutch classes": ("cours de néerlandais", "lessen Nederlands"),
    "education": ("enseignement", "onderwijs"),
    "elderly care": ("soins aux aînés", "ouderenzorg"),
    "employment": ("emploi", "werk"),
    "energy": ("énergie", "energie"),
    "environment": ("environnement", "leefmilieu"),
    "food aid": ("aide alimentaire", "voedselhulp"),
    "french classes": ("cours de français", "lessen Frans"),
    "health": ("santé", "gezondheid"),
    "homework support": ("aide aux devoirs", "huiswerkbegeleiding"),
    "housing": ("logement", "huisvesting"),
    "literacy": ("alphabétisation", "alfabetisering"),
    "mental health": ("santé mentale", "geestelijke gezondheid"),
    "parenting": ("parentalité", "opvoeding"),
    "prevention": ("prévention", "preventie"),
    "public space": ("espace public", "openbare ruimte"),
    "religion": ("culte", "religie"),
    "safety": ("sécurité", "veiligheid"),
    "social rights": ("droits sociaux", "sociale rechten"),
    "sport": ("sport", "sport"),
    "trade": ("commerce", "handel"),
    "training": ("formation", "opleiding"),
    "women's rights": ("droits des femmes", "vrouwenrechten"),
    "youth": ("jeunesse", "jeugd"),
    "income": ("revenus", "inkomen"),
    "legal aid": ("aide juridique", "juridische hulp"),
    "leisure": ("loisirs", "vrije tijd"),
}
TARGET_GROUPS: dict[str, tuple[str, str]] = {
    "adults": ("adultes", "volwassenen"),
    "children": ("enfants", "kinderen"),
    "elderly": ("personnes âgées", "ouderen"),
    "families": ("familles", "gezinnen"),
    "job seekers": ("demandeurs d'emploi", "werkzoekenden"),
    "men": ("hommes", "mannen"),
    "mothers": ("mères", "moeders"),
    "newcomers": ("primo-arrivants", "nieuwkomers"),
    "parents": ("parents", "ouders"),
    "pupils": ("élèves", "leerlingen"),
    "residents": ("habitants", "bewoners"),
    "tenants": ("locataires", "huurders"),
    "women": ("femmes", "vrouwen"),
    "youth": ("jeunes", "jongeren"),
}
LISTS = {"themes": THEMES, "target_groups": TARGET_GROUPS}
#: languages CLDR names only by their varieties: (English, French, Dutch), other words
EXTRA_LANGUAGES = {"ber": (("Berber", "berbère", "Berbers"), ("amazigh", "tamazight"))}
LANGS = ("en", "fr", "nl")


def _key(word: str) -> str:
    return normalise_name(word)


@cache
def _index(field: str) -> dict[str, str]:
    """Every way to write a word of ``field`` (code, labels, language names) -> its code."""
    if field == "languages":
        out: dict[str, str] = {}
        for lang in LANGS:
            for code, name in Locale.parse(lang).languages.items():
                if "_" not in str(code):  # languages, not their regional variants
                    out.setdefault(_key(str(name)), str(code))
        for code in Locale.parse("en").languages:
            if "_" not in str(code):
                out[_key(str(code))] = str(code)
        for code, (names, others) in EXTRA_LANGUAGES.items():
            for word in (code, *names, *others):
                out[_key(word)] = code
        return out
    table = LISTS[field]
    out = {_key(code): code for code in table}
    for code, labels in table.items():
        for label in labels:
            out.setdefault(_key(label), code)
    return out


def code_of(field: str, word: str) -> str:
    """The code of ``word`` in ``field`` (themes, target_groups, languages), or the word as
    given when the list lacks it.

    >>> code_of("themes", "Santé"), code_of("themes", "gezondheid"), code_of("themes", "sport")
    ('health', 'health', 'sport')
    >>> code_of("languages", "arabe"), code_of("languages", "Arabisch"), code_of("languages", "AR")
    ('ar', 'ar', 'ar')
    >>> code_of("target_groups", "personnes âgées"), code_of("themes", "tricot")
    ('elderly', 'tricot')
    """
    return _index(field).get(_key(word), word)


def codes_of(field: str, words: Iterable[str]) -> list[str]:
    """Each word's code, in order, each once."""
    out: list[str] = []
    for word in words:
        code = code_of(field, word)
        if code not in out:
            out.append(code)
    return out


def known(field: str, code: str) -> bool:
    """Whether ``code`` is one of the list's (else free text a coordinator may map)."""
    if field == "languages":
        return code in Locale.parse("en").languages or code in EXTRA_LANGUAGES
    return code in LISTS[field]


def label(field: str, code: str, lang: str) -> str:
    """The word for ``code`` in the reader's language (free text as it was typed).

    >>> label("themes", "health", "fr"), label("languages", "ar", "nl"), label("themes", "x", "fr")
    ('santé', 'Arabisch', 'x')
    """
    if field == "languages":
        if code in EXTRA_LANGUAGES:
            return EXTRA_LANGUAGES[code][0][LANGS.index(lang)]
        return str(Locale.parse(lang).languages.get(code, code))
    labels = LISTS[field].get(code)
    if labels is None or lang == "en":
        return code
    return labels[0] if lang == "fr" else labels[1]


def labels(field: str, codes: Iterable[str], lang: str) -> str:
    """Codes as a list in the reader's language: ``santé, santé mentale``."""
    return ", ".join(label(field, c, lang) for c in codes)


def choices(field: str, lang: str) -> list[str]:
    """The list's words in the reader's language, for a form's suggestions."""
    if field == "languages":
        common = ("fr", "nl", "en", "ar", "tr", "ber", "ro", "bg", "pl", "es", "pt", "ru", "uk")
        return [label(field, c, lang) for c in common]
    return sorted(label(field, c, lang) for c in LISTS[field])
