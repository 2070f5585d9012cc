"""Small SVG line charts for the dashboard, drawn on the server (no script, no library in the
page). Every label is escaped; the rest is numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT, PAD = 360, 170, 34


def _bounds(known: Sequence[float]) -> tuple[float, float]:
    """The axis: counts start at zero (a growth is read from there); a measure that moves
    within a narrow band (a density of 0.031 to 0.034, an E–I index of −0.42 to −0.38) is
    shown within that band, a tenth of it added on each side, instead of a flat line."""
    if not known:
        return 0.0, 1.0
    low, high = min(known), max(known)
    if low >= 0 and (low <= 0.5 * high or high <= 0):
        return 0.0, high if high > 0 else 1.0
    span = high - low
    pad = span * 0.1 if span else (abs(high) * 0.1 or 0.5)
    return low - pad, high + pad


def _plain(value: float) -> str:
    return f"{value:.3g}"


def line_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    number: Callable[[float], str] = _plain,
) -> str:
    """An SVG line chart of ``values`` (None: a gap) over ``labels`` (dates already written the
    reader's way), with its title; ``number`` writes the axis's values the reader's way.

    >>> svg = line_chart("Links <b>", ["1 janv. 2026", "1 févr. 2026"], [3, 5])
    >>> "<polyline" in svg and "Links &lt;b&gt;" in svg and 'role="img"' in svg
    True
    >>> _bounds([0.031, 0.034]) != (0.0, 0.034)  # a narrow band is not a flat line
    True
    """
    known = [v for v in values if v is not None]
    low, high = _bounds(known)
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
    top = escape(number(float(_rounded(high))))
    bottom = escape(number(float(_rounded(low))))
    middle = (HEIGHT - 2 * PAD) / 2 + PAD
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="chart"><title>{escape(title)}</title>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#767676"/><line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#767676"/>'
        f'<line x1="{PAD}" y1="{middle}" x2="{WIDTH - PAD}" y2="{middle}" stroke="#e0e0e0"/>'
        f'<text x="{PAD - 4}" y="{PAD + 4}" text-anchor="end" font-size="11">{top}</text>'
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end" font-size="11">{bottom}</text>'
        f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 12}" text-anchor="end" font-size="11">{last}</text>'
        f'<polyline fill="none" stroke="#0b4f9c" stroke-width="2" points="{points}"/>'
        f'<g fill="#0b4f9c">{dots}</g></svg>'
    )


def _rounded(value: float) -> float:
    """Three significant digits, for an axis's end."""
    return float(f"{value:.3g}")
