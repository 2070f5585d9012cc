"""Paper for the street: "where to go for…" — the services of a neighbourhood for a theme or a
public, with what a person needs to go there (address, phones, hours, conditions, languages
at the desk), printable on A4 from the browser in the reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from babel.dates import get_day_names
from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.web.pages.actor_edit import COSTS, PHONE_LABELS, SATURATION
from api.web.pages.base import PageDep
from graph.hours import BRUSSELS, by_day
from graph.living import phone_text
from graph.model import ActorKind, ActorQuery, Weekday
from graph.vocabulary import code_of

router = APIRouter(include_in_schema=False)
MOST = 200  # services on one leaflet


@router.get("/leaflet", response_class=HTMLResponse)
def leaflet(
    p: PageDep,
    theme: Annotated[str, Query(max_length=80)] = "",
    target_group: Annotated[str, Query(max_length=80)] = "",
    neighbourhood: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    access = p.require()
    place = neighbourhood or access.team_label or ""
    asked = bool(theme or target_group)
    services = []
    if asked:
        query = ActorQuery(
            theme=theme or None, target_group=target_group or None, neighbourhood=place or None
        )
        found = p.store.list_actors(query, limit=MOST).items
        services = [
            a for a in found if a.kind is not ActorKind.key_resident and a.retracted is None
        ]
        services.sort(key=lambda a: (not (a.phones or a.hours), a.name.casefold()))
    places = sorted(n.name for n in p.store.list_neighbourhoods(limit=500).items)
    return p.render(
        "leaflet.html",
        theme=theme,  # as typed, in the form
        target_group=target_group,
        theme_code=code_of("themes", theme) if theme else "",  # its word, in the title
        group_code=code_of("target_groups", target_group) if target_group else "",
        place=place,
        places=places,
        asked=asked,
        services=services,
        hours_of=by_day,
        day_names=get_day_names("wide", locale=p.lang),
        weekday_index={d: i for i, d in enumerate(Weekday)},
        phone_text=phone_text,
        phone_labels=PHONE_LABELS,
        costs=COSTS,
        saturation_states=SATURATION,
        printed=datetime.now(BRUSSELS).date(),
    )
