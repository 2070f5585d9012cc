"""A Neo4j Browser style (GRASS) for the store as a property graph: each actor kind coloured as
the graph views colour it (``viz/style.py``), nodes captioned by name, links by type. Written to
``docs/neo4j/maillage.grass`` (``python -m viz.grass > docs/neo4j/maillage.grass``; a test keeps
the file equal to this)."""

from __future__ import annotations

from graph.cypher import kind_label
from graph.model import ActorKind
from viz.style import KIND_STYLE, LINK_STYLE

HEADER = """node {
  diameter: 40px;
  color: #BBBBBB;
  border-color: #FFFFFF;
  border-width: 2px;
  text-color-internal: #1B1B1B;
  font-size: 10px;
  caption: '{name}';
}

relationship {
  color: #9E9E9E;
  shaft-width: 1px;
  font-size: 8px;
  padding: 3px;
  text-color-external: #1B1B1B;
  text-color-internal: #FFFFFF;
  caption: '<type>';
}
"""


def _text_on(colour: str) -> str:
    """Dark text on light fills, white on dark ones (WCAG's relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#1B1B1B" if luminance > 0.18 else "#FFFFFF"


def grass() -> str:
    parts = [HEADER]
    parts.append("node.Neighbourhood {\n  color: #FFFFFF;\n  border-color: #1B1B1B;\n"
                 "  diameter: 65px;\n  caption: '{name}';\n}\n")  # fmt: skip
    for name in ("Activity", "Referral", "Event", "FollowUp", "Observation", "Crisis"):
        caption = {"Activity": "{name}", "Referral": "{theme}", "Event": "{action}",
                   "FollowUp": "{what}", "Observation": "{kind}: {theme}",
                   "Crisis": "{name}"}[name]  # fmt: skip
        parts.append(f"node.{name} {{\n  color: #F2F2F2;\n  border-color: #9E9E9E;\n"
                     f"  diameter: 30px;\n  caption: '{caption}';\n}}\n")  # fmt: skip
    for kind in ActorKind:
        colour = KIND_STYLE[kind.value][0]
        parts.append(
            f"node.{kind_label(kind.value)} {{\n  color: {colour};\n  border-color: {colour};\n"
            f"  text-color-internal: {_text_on(colour)};\n  caption: '{{name}}';\n}}\n"
        )
    for link_type, style in LINK_STYLE.items():
        parts.append(f"relationship.{link_type} {{\n  color: {style['color']};\n}}\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(grass(), end="")
