"""A :class:`viz.views.View` as one self-contained HTML page (or file).

Our own template (``viz/templates/view.html``), rendered by a Jinja environment with autoescape
on; pyvis's template is not used, so none of its unsafe paths (its ``href`` popup, ``select_menu``,
``heading``) exists here. The scripts and styles are the package's files, inlined: vis-network
9.1.2 as pyvis ships it, and ``view.js``/``view.css``. The page's Content-Security-Policy lets it
load nothing from anywhere.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from viz.text import ui
from viz.views import SHOWCASE_FIELDS, View

TEMPLATES = Path(__file__).parent / "templates"
VIS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


def _dumps(value: Any, **_: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


def fast_json(env: Environment) -> Environment:
    """``tojson`` by orjson (a 10,000-actor view's data took 0.3 s with the standard ``json``);
    Jinja still escapes ``<``, ``>``, ``&`` and ``'`` in what it gives, so the JSON cannot close
    its script block."""
    env.policies["json.dumps_function"] = _dumps
    env.policies["json.dumps_kwargs"] = {}
    return env


@cache
def _environment() -> Environment:
    return fast_json(
        Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )


@cache
def _asset(path: Path) -> Markup:
    """A script or style of the package, trusted, inlined as it is."""
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise RuntimeError(f"{path.name} cannot be inlined: it closes its own tag")
    return Markup(text)  # noqa: S704 - our own package files, checked above


def render(view: View) -> str:
    """The page's HTML."""
    template = _environment().get_template("view.html")
    return template.render(
        lang=view.lang,
        view=view.view,
        title=view.title,
        subtitle=view.subtitle,
        t=ui(view.lang),
        showcase_fields=SHOWCASE_FIELDS,
        payload=view.payload(),
        vis_js=_asset(VIS / "vis-network.min.js"),
        vis_css=_asset(VIS / "vis-network.css"),
        view_js=_asset(TEMPLATES / "view.js"),
        view_css=_asset(TEMPLATES / "view.css"),
    )


def save(view: View, path: str | Path) -> Path:
    """Write the page to ``path`` (one file that opens offline)."""
    target = Path(path)
    target.write_text(render(view), encoding="utf-8")
    return target
