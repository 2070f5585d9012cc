"""The graph views (``viz/``) as pages, for what the user may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.kept import KEPT
from api.views import ViewName, build_view
from api.web.i18n import say
from api.web.pages.base import (
    PageDep,
)
from graph.errors import MaillageError
from graph.model import today
from viz import render as render_view

router = APIRouter(include_in_schema=False)


# --------------------------------------------------------------------------- graph views


@router.get("/views/{what}", response_class=HTMLResponse)
def view_page(
    p: PageDep,
    what: ViewName,
    actor: str | None = None,
    target: str | None = None,
    depth: Annotated[int, Query(ge=1, le=3)] = 2,
) -> HTMLResponse:
    """A graph view (``viz/``), as in ``maillage view``, for what the user may see."""
    scope = p.store.figures_scope()

    def page() -> str:
        view = build_view(
            p.store, what, neighbourhood=scope, actor=actor, target=target, depth=depth, lang=p.lang
        )
        return render_view(view)

    key = ("view", what.value, actor, target, depth, p.lang, today().isoformat())
    try:  # kept until a write touches the neighbourhood (api/kept.py)
        html = KEPT.get_or_make(p.store, scope, key, page)
    except MaillageError as exc:
        return p.render("message.html", status=404, message=say(exc.message, p.lang))
    response = HTMLResponse(html)
    # the view is one self-contained page whose own scripts are inline
    response.headers["content-security-policy"] = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; frame-ancestors 'self'"
    )
    response.headers["x-frame-options"] = "SAMEORIGIN"
    return response
