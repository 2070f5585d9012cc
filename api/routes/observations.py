"""Routes of /api/v1/observations: what actors say about the neighbourhood (the diagnosis), one
at a time or a sheet at once."""

from typing import Annotated

from fastapi import File, Form, UploadFile

from api.deps import Scoped
from api.routes.common import Resource, crud_router
from graph.model import Observation, ObservationCreate, ObservationQuery, ObservationUpdate
from ingest.observations import import_observations
from ingest.readers import MAX_FILE

router = crud_router(
    Resource(
        plural="observations",
        singular="observation",
        create_model=ObservationCreate,
        update_model=ObservationUpdate,
        read_model=Observation,
        filter_model=ObservationQuery,
        create=lambda s, data: s.create_observation(data),
        get=lambda s, record_id, as_of: s.get_observation(record_id),
        update=lambda s, record_id, changes: s.update_observation(record_id, changes),
        end=None,
        list=lambda s, filters, limit, offset: s.list_observations(
            filters, limit=limit, offset=offset
        ),
        dated_get=False,
        retract=lambda s, record_id, why: s.retract_observation(record_id, reason=why),
    )
)


SAID = {
    "id": "01a2303954da709d8a8b7aad1f349575",
    "kind": "need",
    "neighbourhood": "Cureghem",
    "theme": "health",
    "target_groups": ["elderly"],
    "sectors": [],
    "sources": [],
    "date": "2025-03-12",
    "text": "Elderly residents wait three months for a doctor",
    "recorded_by": "amina",
    "recorded_at": "2025-03-12T10:00:00Z",
}


@router.post(
    "/import",
    status_code=201,
    response_model=list[Observation],
    responses={201: {"content": {"application/json": {"example": [SAID]}}}},
    summary="Record a sheet of observations (CSV or XLSX), all or nothing",
    description="One observation per row; columns in French, Dutch or English: date, kind "
    "(need, problem, resource, wish, change), theme, public, sectors, said by (actors' names as "
    "the directory has them, separated by ';'), text, neighbourhood (or the form's). Every "
    "row is checked first; refused rows answer 422 with each one's row, column and reason, "
    "and nothing is written.",
)
def import_sheet(
    store: Scoped,
    file: Annotated[UploadFile, File(description="The sheet (CSV or XLSX)")],
    neighbourhood: Annotated[
        str | None, Form(max_length=200, examples=["Cureghem"], description="For rows without")
    ] = None,
) -> list[Observation]:
    store.access.check_writer()
    data = file.file.read(MAX_FILE + 1)
    place = neighbourhood or store.access.team_label
    return import_observations(store, data, file.filename or "upload", place)
