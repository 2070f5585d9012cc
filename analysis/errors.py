"""The one error the analyses raise on purpose: a parameter that cannot be analysed (a period
that ends before it starts, an unknown interval…). Anything else an analysis raises is a bug."""

from __future__ import annotations


class BadParameter(ValueError):
    """A parameter the analysis cannot work with; the message says why, for a person."""
