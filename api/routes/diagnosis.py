"""The diagnosis of a neighbourhood for a period (``api/diagnosis.py``)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from analysis.results import DiagnosisResult
from api.deps import Scoped
from api.diagnosis import check_period, diagnosis
from api.routes.common import ERRORS

router = APIRouter(tags=["diagnosis"], responses=ERRORS)


@router.get(
    "/diagnosis",
    response_model=DiagnosisResult,
    summary="The diagnosis of a neighbourhood for a period",
    description="What the neighbourhood's actors said about it (observations) between `start` "
    "and `end` (default: the last six whole months), by kind, theme, statistical sector and "
    "month, compared with the period of the same length before; for each need or problem, who "
    "can act on it (actors with its theme), who reaches the publics concerned and in which "
    "languages, and the publics nobody with the theme reaches (the gaps), with the "
    "observations quoted and their sources. Without `neighbourhood`: every neighbourhood the "
    "reader may see.",
)
def diagnosis_route(
    store: Scoped,
    neighbourhood: Annotated[
        str | None, Query(min_length=1, max_length=200, examples=["Cureghem"])
    ] = None,
    start: Annotated[date | None, Query(examples=["2026-01-01"])] = None,
    end: Annotated[date | None, Query(examples=["2026-06-30"])] = None,
) -> DiagnosisResult:
    first, last = check_period(start, end)
    return diagnosis(store, neighbourhood, first, last)
