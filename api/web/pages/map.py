"""The neighbourhood on a map (Leaflet, served by the app: no CDN, no tile server needed — the
sectors are the base map): its statistical sectors coloured by what needs attention, its actors
where they are (coloured and shaped as in the graph views, clustered when dense, their details
on a tap), the actors without a place beside it, the numbers as a table."""

from __future__ import annotations

from typing import Annotated

from babel.dates import get_day_names
from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, Response

from api.deps import CSRF_FIELD
from api.map import MEASURES, map_data, neighbourhood_of
from api.web.pages.base import N_, PageDep, neighbourhood_names, one_tap, vocabulary_pairs
from graph.hours import by_day
from graph.living import phone_text
from graph.model import Opening, Weekday
from viz.style import KIND_STYLE
from viz.text import KINDS

router = APIRouter(include_in_schema=False)

MEASURE_WORDS = {
    "density": N_("Actors per 1,000 inhabitants"),
    "public": N_("Actors who reach a public (none: nobody reaches it there)"),
    "needs": N_("Needs and problems observed (last 12 months)"),
    "referrals": N_("People referred to the sector's services (last 12 months)"),
    "isolated": N_("Isolated actors"),
}
Text = Annotated[str, Query(max_length=200)]
#: the sectors' colours, low to high (map.js colours with the same steps)
STEPS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")


@router.get("/map", response_class=HTMLResponse)
def map_page(
    p: PageDep,
    neighbourhood: Text = "",
    measure: Annotated[str, Query(pattern="^(density|public|needs|referrals|isolated)$")] = (
        "density"
    ),
    public: Text = "",
    theme: Text = "",
    actor: Annotated[str, Query(max_length=64)] = "",
    lines: bool = False,
) -> HTMLResponse:
    access = p.require()
    _ = p.gettext()
    place = neighbourhood_of(p.store, neighbourhood or access.team_label)
    if place is None:
        return p.render("message.html", status=404, message=_("No neighbourhood to show."))
    found = map_data(p.store, place, measure=measure, public=public or None,
                     theme=theme or None, actor=actor or None, lines=lines)  # fmt: skip
    days = get_day_names("wide", locale=p.lang)
    index = {d: i for i, d in enumerate(Weekday)}
    for a in found["actors"] + found["unplaced"]:
        a["phones"] = [phone_text(n) for n in a["phones"] if n]
        openings = [Opening.model_validate(h) for h in a.pop("hours")]
        a["hours"] = [f"{days[index[d]]} " + ", ".join(f"{o.opens}–{o.closes}" for o in spans)
                      for d, spans in by_day(openings)]  # fmt: skip
        a["kind_label"] = KINDS.get(a["kind"], {}).get(p.lang, a["kind"])
        a["symbol"] = KIND_STYLE.get(a["kind"], ("", "", "●"))[2]
    found["tiles"] = p.request.app.state.settings.tiles or None
    words = {"details": _("Details"), "links": _("Show its links"), "sector": _("Sector"),
             "population": _("Inhabitants"), "actors": _("Actors"),
             "value": _(MEASURE_WORDS[measure]), "outside": _("outside the sectors")}  # fmt: skip
    top = max([s["value"] for s in found["sectors"]] + [0])
    scale = [(colour, round(top * i / 5, 1), round(top * (i + 1) / 5, 1))
             for i, colour in enumerate(STEPS)] if top else []  # fmt: skip
    legend = sorted(
        {(a["kind"], a["colour"], a["symbol"], a["kind_label"]) for a in found["actors"]}
    )
    return p.render(
        "map.html",
        map_words=words,
        found=found,
        place=place,
        places=neighbourhood_names(p.store)
        if access.sees_everything else [],
        measures=[(m, MEASURE_WORDS[m]) for m in MEASURES],
        measure=measure,
        public=public,
        theme=theme,
        lines=lines,
        publics=vocabulary_pairs("target_groups", p.lang),
        themes=vocabulary_pairs("themes", p.lang),
        legend=legend,
        scale=scale,
        may_place=(access.role.can_write and access.role.value != "viewer" and access.has_team)
        or access.sees_everything,
    )  # fmt: skip


@router.post("/map/sector")
def pick_sector(
    p: PageDep,
    actor: Annotated[str, Form(max_length=64)],
    sector: Annotated[str, Form(max_length=12)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """An actor without a point, placed in the sector it is in (kept on the actor)."""
    return one_tap(p, csrf_token,
                   lambda: p.store.update_actor(actor, {"sector": sector or None}),
                   "/map#unplaced")  # fmt: skip


@router.post("/map/place")
def place_actor(
    p: PageDep,
    actor: Annotated[str, Form(max_length=64)],
    latitude: Annotated[str, Form(max_length=30)],
    longitude: Annotated[str, Form(max_length=30)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """An actor without a place, placed where it was tapped on the map (as the policy allows)."""
    place = {"latitude": latitude, "longitude": longitude}
    return one_tap(p, csrf_token, lambda: p.store.update_actor(actor, place),
                   f"/map?actor={actor}#map")  # fmt: skip
