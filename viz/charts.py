"""Small SVG line charts for the dashboard, drawn on the server (no script, no library in the
page). Every label is escaped; the rest is numbers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 360, 170, 34


def line_chart(title: str, labels: Sequence[str], values: Sequence[float | None]) -> str:
    """An SVG line chart of ``values`` (None: a gap) over ``labels``, with its title.

    >>> svg = line_chart("Links <b>", ["2026-01-01", "2026-02-01"], [3, 5])
    >>> "<polyline" in svg and "Links &lt;b&gt;" in svg and 'role="img"' in svg
    True
    """
    known = [v for v in values if v is not None]
    low = min([0.0, *known])
    high = max([1.0, *known])
    span = (high - low) or 1.0
    n = max(len(values) - 1, 1)

    def x(i: int) -> float:
        return round(PAD + i * (WIDTH - 2 * PAD) / n, 1)

    def y(v: float) -> float:
        return round(HEIGHT - PAD - (v - low) * (HEIGHT - 2 * PAD) / span, 1)

    points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values) if v is not None)
    dots = "".join(
        f'<circle cx="{x(i)}" cy="{y(v)}" r="2.5"/>' for i, v in enumerate(values) if v is not None
    )
    first = escape(labels[0]) if labels else ""
    last = escape(labels[-1]) if labels else ""
    top = f"{high:g}"
    bottom = f"{low:g}"
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="chart"><title>{escape(title)}</title>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#767676"/><line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#767676"/>'
        f'<text x="{PAD - 4}" y="{PAD + 4}" text-anchor="end" font-size="11">{top}</text>'
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end" font-size="11">{bottom}</text>'
        f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 12}" text-anchor="end" font-size="11">{last}</text>'
        f'<polyline fill="none" stroke="#0b4f9c" stroke-width="2" points="{points}"/>'
        f'<g fill="#0b4f9c">{dots}</g></svg>'
    )
