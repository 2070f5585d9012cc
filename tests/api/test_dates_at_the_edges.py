"""Dates at the edges: a moment that cannot be written in UTC and a Unix timestamp where a date
is expected are refused with a clear message (they gave a 500, or a wrong date)."""

from __future__ import annotations

import pytest

from .conftest import Api


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/events?start=9999-12-31T23:59:59-14:00", "start"),
        ("/api/v1/events?end=0001-01-01T00:00:00%2B14:00", "end"),
        ("/api/v1/actors?as_of=1735689600", "as_of"),
        ("/api/v1/links?as_of=1735689600", "as_of"),
        ("/api/v1/referrals?start=1735689600", "start"),
        ("/api/v1/analysis/isolation?as_of=1735689600", "as_of"),
        ("/api/v1/analysis/growth?start=1735689600", "start"),
        ("/api/v1/paths?source=a&target=b&as_of=1735689600", "as_of"),
    ],
)
def test_refused_with_a_clear_message(api: Api, path: str, field: str) -> None:
    answer = api.client.get(path, headers=api.headers("coordinator"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["details"][0]["field"] == field


def test_dates_written_as_dates_still_work(api: Api) -> None:
    h = api.headers("coordinator")
    assert api.client.get("/api/v1/actors?as_of=2025-01-01", headers=h).status_code == 200
    assert api.client.get("/api/v1/events?start=2025-01-01T00:00:00Z", headers=h).status_code == 200
