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
#: subtypes, by the kind they belong to: code (the English word) -> (French, Dutch)
SUBTYPES_BY_KIND: dict[str, dict[str, tuple[str, str]]] = {
    "trader": {
        "pharmacy": ("pharmacie", "apotheek"),
        "bakery": ("boulangerie", "bakkerij"),
        "pastry shop": ("pâtisserie", "banketbakkerij"),
        "grocery": ("épicerie", "kruidenierszaak"),
        "butcher": ("boucherie", "slagerij"),
        "café": ("café", "café"),
        "snack bar": ("snack", "snackbar"),
        "hairdresser": ("coiffeur", "kapper"),
        "phone shop": ("magasin de téléphonie", "telefoonwinkel"),
        "used-car exporter": (
            "exportateur de voitures d'occasion",
            "exporteur van tweedehandswagens",
        ),
        "bookshop": ("librairie", "boekhandel"),
        "laundrette": ("lavoir", "wassalon"),
        "travel agency": ("agence de voyages", "reisbureau"),
        "market": ("marché", "markt"),
    },
    "association": {
        "literacy": ("alphabétisation", "alfabetisering"),
        "youth service (AMO)": ("service jeunesse (AMO)", "jeugddienst (AMO)"),
        "youth centre": ("maison de jeunes", "jeugdhuis"),
        "homework school": ("école de devoirs", "huiswerkschool"),
        "women's association": ("association de femmes", "vrouwenvereniging"),
        "food aid": ("aide alimentaire", "voedselhulp"),
        "sports club": ("club sportif", "sportclub"),
        "cultural association": ("association culturelle", "culturele vereniging"),
        "housing": ("logement", "huisvesting"),
        "social rights desk": ("permanence droits sociaux", "permanentie sociale rechten"),
        "newcomers' welcome": ("accueil des primo-arrivants", "onthaal nieuwkomers"),
        "community garden": ("potager collectif", "gemeenschapstuin"),
        "repair café": ("repair café", "repair café"),
        "digital inclusion": ("inclusion numérique", "digitale inclusie"),
        "senior club": ("club seniors", "seniorenclub"),
        "community work": ("travail communautaire", "opbouwwerk"),
        "debt mediation": ("médiation de dettes", "schuldbemiddeling"),
    },
    "public_service": {
        "OCMW/CPAS antenna": ("antenne CPAS", "OCMW-antenne"),
        "prevention service": ("service de prévention", "preventiedienst"),
        "street workers": ("travailleurs de rue", "straathoekwerkers"),
        "library": ("bibliothèque", "bibliotheek"),
        "employment office": ("bureau de l'emploi", "werkwinkel"),
        "local mission": ("mission locale", "lokale missie"),
        "neighbourhood police": ("police de quartier", "wijkpolitie"),
        "municipal housing service": (
            "service communal du logement",
            "gemeentelijke huisvestingsdienst",
        ),
        "Dutch-language centre": ("maison du néerlandais", "Huis van het Nederlands"),
        "neighbourhood contract": ("contrat de quartier", "wijkcontract"),
        "energy desk": ("guichet énergie", "energieloket"),
        "community centre (GC)": ("centre communautaire (GC)", "gemeenschapscentrum (GC)"),
        "sports service": ("service des sports", "sportdienst"),
    },
    "health_actor": {
        "medical house": ("maison médicale", "wijkgezondheidscentrum"),
        "GP practice": ("cabinet de médecine générale", "huisartsenpraktijk"),
        "ONE consultation": ("consultation ONE", "ONE-consultatie"),
        "Kind & Gezin consultation": (
            "consultation Kind & Gezin",
            "consultatiebureau Kind & Gezin",
        ),
        "mental-health service": (
            "service de santé mentale",
            "centrum geestelijke gezondheidszorg",
        ),
        "family planning": ("planning familial", "gezinsplanning"),
        "dental practice": ("cabinet dentaire", "tandartspraktijk"),
        "physiotherapy": ("kinésithérapie", "kinesitherapie"),
        "addiction service": ("service d'aide aux assuétudes", "verslavingszorg"),
    },
    "place_of_worship": {
        "mosque": ("mosquée", "moskee"),
        "prayer room": ("salle de prière", "gebedsruimte"),
        "church": ("église", "kerk"),
        "evangelical church": ("église évangélique", "evangelische kerk"),
        "orthodox church": ("église orthodoxe", "orthodoxe kerk"),
        "synagogue": ("synagogue", "synagoge"),
    },
    "school": {
        "French-language primary school": ("école primaire francophone", "Franstalige basisschool"),
        "Dutch-language primary school": (
            "école primaire néerlandophone",
            "Nederlandstalige basisschool",
        ),
        "French-language secondary school": (
            "école secondaire francophone",
            "Franstalige secundaire school",
        ),
        "Dutch-language secondary school": (
            "école secondaire néerlandophone",
            "Nederlandstalige secundaire school",
        ),
        "adult education": ("promotion sociale", "volwassenenonderwijs"),
        "crèche": ("crèche", "kinderdagverblijf"),
    },
    "resident_group": {
        "neighbourhood committee": ("comité de quartier", "wijkcomité"),
        "tenants' committee": ("comité de locataires", "huurderscomité"),
        "parents' association": ("association de parents", "ouderraad"),
        "mothers' group": ("groupe de mamans", "moedergroep"),
        "senior group": ("groupe de seniors", "seniorengroep"),
        "youth collective": ("collectif de jeunes", "jongerencollectief"),
    },
    "external_partner": {
        "neighbourhood house": ("maison de quartier", "buurthuis"),
        "cultural centre": ("centre culturel", "cultureel centrum"),
        "health network": ("réseau santé", "gezondheidsnetwerk"),
        "social centre": ("centre social", "sociaal centrum"),
    },
    "bar_team": {
        "BAR team": ("équipe BAR", "BAR-team"),
        "BAR worker": ("travailleur BAR", "BAR-werker"),
    },
    "key_resident": {"key resident": ("habitant-relais", "sleutelbewoner")},
    "other": {
        "local radio": ("radio locale", "lokale radio"),
        "gym": ("salle de sport", "fitnesszaal"),
        "social rental agency": ("agence immobilière sociale", "sociaal verhuurkantoor"),
        "artists' collective": ("collectif d'artistes", "kunstenaarscollectief"),
        "brass band": ("fanfare", "fanfare"),
    },
}  # fmt: skip
SUBTYPES = {code: labels for table in SUBTYPES_BY_KIND.values() for code, labels in table.items()}
LISTS = {"themes": THEMES, "target_groups": TARGET_GROUPS, "subtypes": SUBTYPES}
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
        return code in _language_names("en") or code in EXTRA_LANGUAGES
    return code in LISTS[field]


def label(field: str, code: str, lang: str) -> str:
    """The word for ``code`` in the reader's language (free text as it was typed).

    >>> label("themes", "health", "fr"), label("languages", "ar", "nl"), label("themes", "x", "fr")
    ('santé', 'Arabisch', 'x')
    """
    if field == "languages":
        if code in EXTRA_LANGUAGES:
            return EXTRA_LANGUAGES[code][0][LANGS.index(lang)]
        return str(_language_names(lang).get(code, code))
    labels = LISTS[field].get(code)
    if labels is None or lang == "en":
        return code
    return labels[0] if lang == "fr" else labels[1]


@cache
def _language_names(lang: str) -> dict[str, str]:
    """Babel's names of the languages in ``lang`` (parsing the locale each time cost more than
    a 10,000-actor view's other words)."""
    return dict(Locale.parse(lang).languages)


def labels(field: str, codes: Iterable[str], lang: str) -> str:
    """Codes as a list in the reader's language: ``santé, santé mentale``."""
    return ", ".join(label(field, c, lang) for c in codes)


def choices(field: str, lang: str) -> list[str]:
    """The list's words in the reader's language, for a form's suggestions."""
    if field == "languages":
        common = ("fr", "nl", "en", "ar", "tr", "ber", "ro", "bg", "pl", "es", "pt", "ru", "uk")
        return [label(field, c, lang) for c in common]
    return sorted(label(field, c, lang) for c in LISTS[field])
