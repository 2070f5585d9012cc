"""Who knows whom: introduction paths, and who reaches a public."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from analysis.reach import bar_team_of, reach
from api.kept import KEPT
from api.web.pages.base import (
    PageDep,
    problem,
    resolve_actor,
)
from graph.errors import InvalidInput
from graph.model import today
from graph.vocabulary import choices

router = APIRouter(include_in_schema=False)


# --------------------------------------------------------------------------- who knows whom


@router.get("/paths", response_class=HTMLResponse)
def paths_page(p: PageDep, source: str = "", target: str = "") -> HTMLResponse:
    p.require()
    found: list[Any] = []
    problems: list[str] = []
    ids: dict[str, str | None] = {}
    if source and target:
        _ = p.gettext()
        for field, typed in (("source", source), ("target", target)):
            ids[field], _choices = resolve_actor(p.store, typed)
            if ids[field] is None:
                problems.append(
                    _("Choose the actor from the list: several or none match “%s”.") % typed
                )
        if not problems:
            try:
                found = p.store.introduction_paths(str(ids["source"]), str(ids["target"]), k=3)
            except InvalidInput as exc:  # the same actor twice: said above the form, kept
                problems.append(problem(exc, p.lang))
    return p.render(
        "paths.html", source=source, target=target, found=found, problems=problems, ids=ids
    )


@router.get("/reach", response_class=HTMLResponse)
def reach_page(
    p: PageDep,
    theme: Annotated[str, Query(max_length=80)] = "",
    language: Annotated[str, Query(max_length=80)] = "",
    target_group: Annotated[str, Query(max_length=80)] = "",
) -> HTMLResponse:
    """Who reaches a public: the actors of a theme, language or target group, each with the
    chain from the user's team, and those nobody in the team reaches yet."""
    access = p.require()
    result = None
    if theme or language or target_group:
        scope = p.store.figures_scope()

        def found() -> dict[str, Any]:
            graph = KEPT.graph(p.store, scope, None)
            return reach(
                graph,
                bar_team_of(graph, access.user.actor_id, scope),
                theme=theme or None,
                language=language or None,
                target_group=target_group or None,
                neighbourhood=scope,
            )

        key = ("reach", access.user.actor_id, theme, language, target_group, today().isoformat())
        result = KEPT.get_or_make(p.store, scope, key, found)
    asked = {"theme": theme, "language": language, "target_group": target_group}
    vocabulary = {f: choices(f, p.lang) for f in ("themes", "languages", "target_groups")}
    return p.render("reach.html", asked=asked, result=result, vocabulary=vocabulary)
