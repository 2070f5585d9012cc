"""The words of the graph views, in French, Dutch and English."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Literal

Lang = Literal["fr", "nl", "en"]
LANGS: tuple[Lang, ...] = ("fr", "nl", "en")

UI: dict[str, dict[Lang, str]] = {
    "search": {"fr": "Chercher", "nl": "Zoeken", "en": "Search"},
    "search_hint": {"fr": "un nom…", "nl": "een naam…", "en": "a name…"},
    "showcase": {"fr": "Mettre en avant", "nl": "Uitlichten", "en": "Showcase"},
    "value": {"fr": "valeur", "nl": "waarde", "en": "value"},
    "clear": {"fr": "Tout montrer", "nl": "Alles tonen", "en": "Show all"},
    "depth": {"fr": "Distance", "nl": "Afstand", "en": "Steps"},
    "less": {"fr": "moins loin", "nl": "minder ver", "en": "fewer steps"},
    "more": {"fr": "plus loin", "nl": "verder", "en": "more steps"},
    "date": {"fr": "Date", "nl": "Datum", "en": "Date"},
    "play": {"fr": "Rejouer", "nl": "Afspelen", "en": "Replay"},
    "fullscreen": {"fr": "Plein écran", "nl": "Volledig scherm", "en": "Full screen"},
    "legend": {"fr": "Légende", "nl": "Legende", "en": "Legend"},
    "details": {"fr": "Détails", "nl": "Details", "en": "Details"},
    "themes": {"fr": "thèmes", "nl": "thema's", "en": "themes"},
    "languages": {"fr": "langues", "nl": "talen", "en": "languages"},
    "target_groups": {"fr": "publics", "nl": "doelgroepen", "en": "target groups"},
    "kind": {"fr": "type", "nl": "soort", "en": "kind"},
    "name": {"fr": "nom", "nl": "naam", "en": "name"},
    "subtype": {"fr": "sous-type", "nl": "subtype", "en": "subtype"},
    "since": {"fr": "depuis", "nl": "sinds", "en": "since"},
    "address": {"fr": "adresse", "nl": "adres", "en": "address"},
    "why": {"fr": "pourquoi", "nl": "waarom", "en": "why"},
    "strength": {"fr": "force", "nl": "sterkte", "en": "strength"},
    "mission": {"fr": "mission", "nl": "opdracht", "en": "mission"},
    "members": {"fr": "acteurs", "nl": "actoren", "en": "actors"},
    "open_group": {"fr": "cliquer pour ouvrir", "nl": "klik om te openen", "en": "click to open"},
    # view titles
    "neighbourhood": {"fr": "Le quartier", "nl": "De wijk", "en": "The neighbourhood"},
    "ego": {"fr": "Le réseau de", "nl": "Het netwerk van", "en": "The network of"},
    "path": {"fr": "Chemins d'introduction", "nl": "Introductiewegen", "en": "Introduction paths"},
    "bridging": {"fr": "Ponts à construire", "nl": "Bruggen te bouwen", "en": "Bridges to build"},
    "isolation": {"fr": "Acteurs isolés", "nl": "Geïsoleerde actoren", "en": "Isolated actors"},
    "growth": {"fr": "Croissance du réseau", "nl": "Groei van het netwerk", "en": "Network growth"},
    "as_of": {"fr": "au", "nl": "op", "en": "as of"},
    # legend entries of the overlays
    "broker": {"fr": "courtier (anneau foncé)", "nl": "makelaar (donkere ring)",
               "en": "broker (dark ring)"},
    "introducer": {"fr": "peut présenter (anneau orange)", "nl": "kan voorstellen (oranje ring)",
                   "en": "can introduce (orange ring)"},
    "suggested": {"fr": "introduction suggérée (tirets)",
                  "nl": "voorgestelde introductie (streepjes)",
                  "en": "suggested introduction (dashed)"},
    "isolated": {"fr": "isolé (anneau rouge)", "nl": "geïsoleerd (rode ring)",
                 "en": "isolated (red ring)"},
    "single_link": {"fr": "un seul lien (anneau orange)", "nl": "één enkele band (oranje ring)",
                    "en": "a single link (orange ring)"},
    "single_point_of_failure": {"fr": "dépend d'un seul contact (anneau violet)",
                                "nl": "hangt af van één contact (paarse ring)",
                                "en": "depends on one contact (purple ring)"},
    "on_path": {"fr": "étape du chemin (anneau foncé)", "nl": "stap op de weg (donkere ring)",
                "en": "step on the path (dark ring)"},
    "centre": {"fr": "acteur au centre", "nl": "actor in het midden", "en": "actor at the centre"},
}  # fmt: skip

KINDS: dict[str, dict[Lang, str]] = {
    "resident_group": {"fr": "groupe d'habitants", "nl": "bewonersgroep", "en": "resident group"},
    "association": {"fr": "association", "nl": "vereniging", "en": "association"},
    "trader": {"fr": "commerçant", "nl": "handelaar", "en": "trader"},
    "public_service": {"fr": "service public", "nl": "openbare dienst", "en": "public service"},
    "health_actor": {"fr": "acteur de santé", "nl": "zorgactor", "en": "health actor"},
    "place_of_worship": {"fr": "lieu de culte", "nl": "gebedshuis", "en": "place of worship"},
    "school": {"fr": "école", "nl": "school", "en": "school"},
    "external_partner": {"fr": "partenaire externe", "nl": "externe partner",
                         "en": "external partner"},
    "bar_team": {"fr": "équipe BAR", "nl": "BAR-team", "en": "BAR team"},
    "key_resident": {"fr": "habitant relais", "nl": "sleutelbewoner", "en": "key resident"},
    "other": {"fr": "autre", "nl": "andere", "en": "other"},
}  # fmt: skip

LINKS: dict[str, dict[Lang, str]] = {
    "KNOWS": {"fr": "se connaissent", "nl": "kennen elkaar", "en": "know each other"},
    "COLLABORATES_WITH": {"fr": "collaborent", "nl": "werken samen", "en": "collaborate"},
    "REFERS_TO": {"fr": "oriente vers", "nl": "verwijst naar", "en": "refers to"},
    "PARTNER_OF": {"fr": "partenaires", "nl": "partners", "en": "partners"},
    "HOSTS": {"fr": "accueille", "nl": "ontvangt", "en": "hosts"},
    "MEMBER_OF": {"fr": "membre de", "nl": "lid van", "en": "member of"},
    "INFORMS": {"fr": "informe", "nl": "informeert", "en": "informs"},
}


@cache
def ui(lang: Lang) -> dict[str, str]:
    """Every interface word in one language (one dict per language, read only: a view asks
    for it once per actor and per link)."""
    return {key: words[lang] for key, words in UI.items()}


# The analyses' reasons, composed in the reader's language from the results' fields (the
# analyses' own ``reason`` is English, for the API and the command line). The pages use them too.
REASONS: dict[str, dict[Lang, str]] = {
    "isolated": {
        "fr": "{name} n'a encore de lien avec personne.",
        "nl": "{name} heeft nog met niemand een band.",
        "en": "{name} has no link with anyone yet.",
    },
    "single_link": {
        "fr": "{name} n'a qu'un seul lien, avec {other}.",
        "nl": "{name} heeft maar één band, met {other}.",
        "en": "{name} has a single link, with {other}.",
    },
    "single_point_of_failure": {
        "fr": "{name} ne rejoint le réseau que par {other} : si ce contact part, {name} est coupé.",
        "nl": "{name} bereikt het netwerk alleen via {other}: valt dat contact weg, dan is {name} "
        "afgesneden.",
        "en": "{name} reaches the network only through {other}: if that contact goes, {name} is "
        "cut off.",
    },
    "opportunity_shared": {
        "fr": "{a} et {b} partagent {what} mais ne sont pas liés ; {who} connaît les deux et "
        "peut les présenter.",
        "nl": "{a} en {b} delen {what} maar zijn niet verbonden; {who} kent beide en kan hen "
        "voorstellen.",
        "en": "{a} and {b} share {what} but are not linked; {who} knows both and can introduce "
        "them.",
    },
    "opportunity": {
        "fr": "{a} et {b} ne sont pas liés ; {who} connaît les deux et peut les présenter.",
        "nl": "{a} en {b} zijn niet verbonden; {who} kent beide en kan hen voorstellen.",
        "en": "{a} and {b} are not linked; {who} knows both and can introduce them.",
    },
}


def flag_reason(flag: str, name: str, other: str | None, lang: Lang) -> str:
    """Why an actor is flagged (isolated, single link, single point of failure)."""
    return REASONS[flag][lang].format(name=name, other=other or "?")


def opportunity_reason(a: str, b: str, introducer: str, shared: Sequence[str], lang: Lang) -> str:
    """Why two actors would gain from an introduction, and who can make it."""
    key = "opportunity_shared" if shared else "opportunity"
    return REASONS[key][lang].format(a=a, b=b, who=introducer, what=", ".join(shared))
