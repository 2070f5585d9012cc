"""How actors and links look, and the one place where user text is made safe for a view.

Colours follow the Okabe–Ito palette (readable by colour-blind people); every kind also has its
own shape, shown in the legend with its symbol and its name, so colour never carries meaning
alone.
"""

from __future__ import annotations

import unicodedata
from typing import Any

KIND_STYLE: dict[str, tuple[str, str, str]] = {
    # kind: (colour, vis-network shape, legend symbol)
    "bar_team": ("#000000", "star", "★"),
    "external_partner": ("#CC79A7", "star", "★"),
    "association": ("#0072B2", "dot", "●"),
    "resident_group": ("#56B4E9", "dot", "●"),
    "trader": ("#E69F00", "square", "■"),
    "public_service": ("#009E73", "diamond", "◆"),
    "health_actor": ("#D55E00", "triangle", "▲"),
    "place_of_worship": ("#7A4F9A", "triangleDown", "▼"),
    "school": ("#F0E442", "hexagon", "⬢"),
    "key_resident": ("#999999", "dot", "●"),
    "other": ("#BBBBBB", "square", "■"),
}
DEFAULT_STYLE = ("#BBBBBB", "dot", "●")

LINK_STYLE: dict[str, dict[str, Any]] = {
    # type: vis-network edge options; directed types carry an arrow
    "KNOWS": {"color": "#9E9E9E", "dashes": False},
    "COLLABORATES_WITH": {"color": "#0072B2", "dashes": False},
    "PARTNER_OF": {"color": "#009E73", "dashes": False},
    "REFERS_TO": {"color": "#D55E00", "dashes": False, "arrows": "to"},
    "HOSTS": {"color": "#CC79A7", "dashes": [2, 4], "arrows": "to"},
    "MEMBER_OF": {"color": "#000000", "dashes": [2, 4], "arrows": "to"},
    "INFORMS": {"color": "#56B4E9", "dashes": [8, 4], "arrows": "to"},
}
RING = {
    "broker": "#222222",
    "introducer": "#E69F00",
    "suggested": "#E69F00",
    "isolated": "#C00000",
    "single_link": "#E69F00",
    "single_point_of_failure": "#7A4F9A",
    "on_path": "#222222",
    "centre": "#000000",
}
DIM = {"color": "#E6E6E6", "font_on": "#1b1b1b", "font_off": "#B0B0B0"}
MAX_TEXT = 300


def plain_text(value: Any, limit: int = MAX_TEXT) -> str:
    """User text as a view may show it: the one place every name, theme or note passes.

    Control and format characters (escape sequences, bidirectional overrides, zero-width
    characters) are dropped and the text is cut at ``limit``. The result is then only ever
    written into the page as data (JSON, escaped for a script block by the template's ``tojson``)
    and shown with ``textContent`` or as a vis-network string title (shown as text), so markup
    in a name stays visible text.

    >>> plain_text("<img src=x onerror=alert(1)>\\u202e")
    '<img src=x onerror=alert(1)>'
    >>> plain_text("Café\\x1b[2J du Midi")
    'Café[2J du Midi'
    """
    text = "" if value is None else str(value)
    if text.isprintable():  # no Cc or Cf character (nor any other unprintable): most names
        cleaned = text.strip()
    else:
        kept = (c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf"))
        cleaned = "".join(kept).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def colour_of(kind: str) -> str:
    return KIND_STYLE.get(kind, DEFAULT_STYLE)[0]


def node_colour(kind: str, ring: str | None = None) -> dict[str, Any]:
    """A vis-network colour object: the kind's fill, and a ring when the view marks the actor."""
    fill = colour_of(kind)
    border = RING[ring] if ring else fill
    return {
        "background": fill,
        "border": border,
        "highlight": {"background": fill, "border": "#0B57D0"},
        "hover": {"background": fill, "border": "#0B57D0"},
    }
