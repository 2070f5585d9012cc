"""The analyses' reasons in the reader's language. The analyses write an English ``reason`` (the
API and the command line show it); the pages compose theirs from the results' fields — with the
graph views' sentences (``viz/text.py``) for flags and introductions, so a tooltip and the meeting
say the same, and with the catalogues for the rest — so a Dutch team meeting reads Dutch."""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import format_percent

from analysis.results import FlaggedActor, Opportunity, SaturationWarning
from api.web.i18n import Lang
from graph.vocabulary import label
from viz.text import flag_reason, opportunity_reason

Gettext = Callable[[str], str]


def isolated(item: FlaggedActor, lang: Lang) -> str:
    return flag_reason("isolated", item.name, None, lang)


def opportunity(o: Opportunity, lang: Lang) -> str:
    shared = [
        *(label("themes", c, lang) for c in o.shared.themes),
        *(label("target_groups", c, lang) for c in o.shared.target_groups),
        *(label("languages", c, lang) for c in o.shared.languages),
    ]
    first, second = o.actors[0].name, o.actors[1].name
    return opportunity_reason(first, second, o.introducer.name, shared, lang)


def saturation(w: SaturationWarning, _: Gettext, lang: Lang) -> str:
    text = _(
        "%(service)s received %(recent)d people recently against %(before)d before, while "
        "follow-up fell from %(then)s to %(now)s: it may be saturated."
    )
    return text % {
        "service": w.service.name,
        "recent": w.load_recent,
        "before": w.load_before,
        "then": format_percent(w.follow_up_before, locale=lang),
        "now": format_percent(w.follow_up_recent, locale=lang),
    }
