"""Network analysis over HTTP: one GET route per analysis of the registry (``api/analyses.py``),
its query parameters the analysis's parameters model, its answer the analysis's result type.

Every result says its date (``as_of``) or period, its parameters and the size of the graph it
measured. BAR workers and viewers get their team's neighbourhood (see ``api/deps.py``).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import ConfigDict

from api.analyses import REGISTRY, Analysis
from api.deps import Scope, Scoped
from api.routes.common import ERRORS

router = APIRouter(prefix="/analysis", tags=["analysis"], responses=ERRORS)


def _add_route(analysis: Analysis[Any]) -> None:
    # the same fields; other query parameters (the scope's ``neighbourhood``) are not its own
    parameters = type(
        f"{analysis.parameters.__name__}Query",
        (analysis.parameters,),
        {"model_config": ConfigDict(extra="ignore")},
    )

    def endpoint(
        store: Scoped,
        scope: Scope,
        query: Annotated[parameters, Query()],  # type: ignore[valid-type]
    ) -> Any:
        return analysis(store, query, scope)

    endpoint.__name__ = f"analysis_{analysis.name}"
    router.add_api_route(
        f"/{analysis.name}",
        endpoint,
        methods=["GET"],
        response_model=analysis.result,
        summary=analysis.summary,
        description=analysis.description,
    )


for _analysis in REGISTRY.values():
    _add_route(_analysis)
