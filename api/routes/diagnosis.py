"""The diagnosis of a neighbourhood for a period (``api/diagnosis.py``) and the missions'
indicators (``api/indicators.py``)."""

from typing import Annotated

from fastapi import APIRouter, Query

from analysis.results import DiagnosisResult, IndicatorsResult
from api.deps import Scoped
from api.diagnosis import check_period, diagnosis
from api.indicators import check_period as indicator_period
from api.indicators import indicators_of
from api.routes.common import ERRORS
from graph.model import OptionalDay

router = APIRouter(tags=["diagnosis and indicators"], responses=ERRORS)


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
    neighbourhood: Annotated[str | None, Query(max_length=200, examples=["Cureghem"])] = None,
    start: Annotated[OptionalDay, Query(examples=["2026-01-01"])] = None,
    end: Annotated[OptionalDay, Query(examples=["2026-06-30"])] = None,
) -> DiagnosisResult:
    first, last = check_period(start, end)
    return diagnosis(store, neighbourhood or None, first, last)


@router.get(
    "/indicators",
    response_model=IndicatorsResult,
    summary="The missions' indicators for a period and a neighbourhood",
    description="Each figure computed from what was recorded between `start` and `end` "
    "(default: the last twelve months), with the records behind it (`items`): mission 1, the "
    "team's network and who joined it, introductions suggested, taken up at a meeting, become "
    "a link and a joint activity, the share of the directory confirmed in the last six "
    "months; mission 2, people referred by theme and service, the share followed up and "
    "reached, services without room and for how many days; missions 3 and 4, actions, "
    "people, partner actors, publics and languages, and community actions started or carried "
    "by residents' groups. Without `neighbourhood`: every neighbourhood the reader may see.",
)
def indicators_route(
    store: Scoped,
    neighbourhood: Annotated[str | None, Query(max_length=200, examples=["Cureghem"])] = None,
    start: Annotated[OptionalDay, Query(examples=["2026-01-01"])] = None,
    end: Annotated[OptionalDay, Query(examples=["2026-06-30"])] = None,
) -> IndicatorsResult:
    first, last = indicator_period(start, end)
    return indicators_of(store, neighbourhood or None, first, last)
