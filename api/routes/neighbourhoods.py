"""Routes of /api/v1/neighbourhoods."""

from typing import Annotated

from fastapi import File, UploadFile
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile as StarletteUpload

from api.deps import Scoped
from api.routes.common import Resource, crud_router
from graph.errors import Say
from graph.model import Neighbourhood, NeighbourhoodCreate, NeighbourhoodFilter, NeighbourhoodUpdate
from ingest.readers import MAX_FILE
from ingest.sectors import import_sectors

router = crud_router(
    Resource(
        plural="neighbourhoods",
        singular="neighbourhood",
        create_model=NeighbourhoodCreate,
        update_model=NeighbourhoodUpdate,
        read_model=Neighbourhood,
        filter_model=NeighbourhoodFilter,
        create=lambda s, data: s.create_neighbourhood(data),
        get=lambda s, record_id, as_of: s.get_neighbourhood(record_id, as_of=as_of),
        update=lambda s, record_id, changes: s.update_neighbourhood(record_id, changes),
        end=lambda s, record_id, until: s.end_neighbourhood(record_id, until),
        list=lambda s, filters, limit, offset: s.list_neighbourhoods(
            filters, limit=limit, offset=offset
        ),
        dated_get=True,
    )
)


class SectorsImported(BaseModel):
    written: dict[str, int] = Field(description="Neighbourhood -> how many sectors it has now")
    missing: list[str] = Field(description="Sector codes the neighbourhoods name, not in the file")


@router.post(
    "/sectors",
    response_model=SectorsImported,
    summary="Import statistical sector boundaries (Statbel's GeoJSON) and figures (CSV)",
    description="A GeoJSON FeatureCollection of statistical sectors — Statbel's, in Belgian "
    "Lambert 72 (EPSG:31370) or Lambert 2008 (EPSG:3812), or WGS 84 — of which only the sectors "
    "the neighbourhoods name (`sector_codes`) are kept, reprojected to WGS 84 and simplified "
    "for a phone; and optionally a CSV of figures per sector (a 'sector' column, then one per "
    "figure: population, share over 65…), shown on the map. Coordinators and admins.",
    responses={200: {"content": {"application/json": {"example": {
        "written": {"Cureghem": 4}, "missing": []}}}}},
)  # fmt: skip
def import_sector_boundaries(
    store: Scoped,
    file: Annotated[UploadFile, File(description="The sectors (GeoJSON)")],
    figures: Annotated[
        UploadFile | str | None, File(description="Figures per sector (CSV); none: no figures")
    ] = None,
) -> dict[str, object]:
    store.access.check_coordinator(Say("import statistical sectors"))
    data = file.file.read(MAX_FILE + 1)
    given = figures if isinstance(figures, StarletteUpload) else None  # a bare text: no file
    extra = given.file.read(MAX_FILE + 1) if given is not None else None
    return import_sectors(store, data, file.filename or "sectors.geojson", extra,
                          (given.filename or "") if given is not None else "")  # fmt: skip
