"""Imports (coordinators and admins) and exports (within what the reader may see): the HTTP
side of ``ingest/``, as ``maillage import`` and ``maillage export`` are its command line."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Reader, Scoped
from api.policy import forbidden
from api.routes.common import ERRORS, AsOf
from graph.errors import Say
from ingest.export import ExportFormat, export, template
from ingest.plan import Options, mapping_from_json, run_import
from ingest.readers import MAX_FILE, read

router = APIRouter(tags=["import and export"], responses=ERRORS)


class ImportReport(BaseModel):
    """What an import did (or, in a dry run, would do)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "carte.xlsx",
                    "format": "xlsx",
                    "counts": {
                        "created": {"actors": 2, "links": 1},
                        "updated": {"actors": 1, "links": 0},
                        "unchanged": {"actors": 40, "links": 77},
                        "refused": 0,
                        "similar": 1,
                    },
                    "created": {"actors": ["Club de foot", "Épicerie Chez Fatima"],
                                "links": ["Club de foot — KNOWS — Épicerie Chez Fatima"]},
                    "updated": {"actors": ["Maison médicale Le Noyer: themes"], "links": []},
                    "refused": [],
                    "similar": [{"sheet": "Actors", "row": 3, "name": "Apotheek Kuregem",
                                 "existing": {"id": "4f1c…", "name": "Pharmacie Kuregem"},
                                 "reason": "'Apotheek Kuregem' looks like …"}],
                    "not_kept": [{"sheet": "Actors", "column": "H (Remarques)", "values": 12}],
                    "notes": [],
                    "nothing_written": None,
                    "written": {"actors_created": 2, "actors_updated": 1,
                                "links_created": 1, "links_updated": 0},
                }
            ]
        }
    )  # fmt: skip
    source: str
    format: str
    counts: dict[str, Any]
    created: dict[str, list[str]]
    updated: dict[str, list[str]]
    refused: list[dict[str, Any]] = Field(description="sheet, row, column and reason of each")
    similar: list[dict[str, Any]] = Field(description="new actors that look like existing ones")
    not_kept: list[dict[str, Any]] = Field(
        description="columns (fields) not kept, with how many values each held"
    )
    notes: list[dict[str, Any]] = Field(
        description="values read otherwise than the file says: sheet, row, column and reason"
    )
    nothing_written: str | None = Field(description="why nothing is written, when nothing is")
    written: dict[str, int] | None = Field(description="None in a dry run or when unchanged")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/imports/template",
    summary="The import template (XLSX: Actors and Links, headers in three languages)",
    response_class=Response,
    responses={
        200: {
            "content": {
                XLSX: {"schema": {"type": "string", "format": "binary"}, "example": "PK… (XLSX)"}
            }
        }
    },
)
def import_template(user: Reader) -> Response:
    return Response(
        template(),
        media_type=XLSX,
        headers={"content-disposition": 'attachment; filename="maillage-import-template.xlsx"'},
    )


@router.post(
    "/imports",
    response_model=ImportReport,
    summary="Import actors and links from a file (all or nothing; a dry run shows the plan)",
    description="CSV, XLSX (our layout or Kumu's), Kumu JSON, an HSDS data package (zip) or "
    "our CSV zip; the format is found from the file. Refused rows answer 422 with each one's "
    "sheet, row, column and reason, and nothing is written. Importing the same file twice "
    "changes nothing.",
)
def import_file(
    store: Scoped,
    file: Annotated[UploadFile, File(description="The file to import")],
    dry_run: Annotated[bool, Form()] = False,
    neighbourhood: Annotated[
        str | None, Form(max_length=200, examples=["Cureghem"], description="For rows without")
    ] = None,
    kind: Annotated[
        str | None, Form(max_length=40, examples=["public_service"], description="For rows without")
    ] = None,
    link_type: Annotated[
        str | None, Form(max_length=40, examples=["KNOWS"], description="For rows without")
    ] = None,
    mapping: Annotated[
        str | None, Form(max_length=100_000, description='JSON: {"kinds": {…}, "link_types": {…}}')
    ] = None,
) -> dict[str, Any]:
    store.access.check_coordinator(Say("import files"))
    data = file.file.read(MAX_FILE + 1)
    options = Options(neighbourhood, kind, link_type, mapping_from_json(mapping))
    source = read(data, file.filename or "upload")
    return run_import(store, source, by=store.by, options=options, dry_run=dry_run)


@router.get(
    "/exports",
    summary="Export the network (GraphML, GEXF, Kumu, CSV, XLSX) or back everything up (JSON)",
    description="Only what the reader may see. GEXF without a date carries every actor's and "
    "link's interval (Gephi's timeline); `json` is the full backup, for coordinators and "
    "admins, restored with `maillage restore`.",
    response_class=Response,
)
def export_file(
    store: Scoped,
    format: Annotated[ExportFormat, Query(examples=["gexf"])],
    as_of: AsOf = None,
    neighbourhood: Annotated[str | None, Query(max_length=200, examples=["Cureghem"])] = None,
    lang: Annotated[
        Literal["en", "fr", "nl"],
        Query(
            description="csv and xlsx: headers, sheet names and words in this language "
            "(fr, nl: ';' and a byte-order mark for Excel); they import back the same"
        ),
    ] = "en",
) -> Response:
    access = store.access
    if neighbourhood and not access.may_read_in(neighbourhood):
        raise forbidden(access._outside(Say("this neighbourhood")))
    if format is ExportFormat.json:
        access.check_coordinator(Say("back up the whole store"))
    if access.reads_nothing:
        raise forbidden(Say("your user is not attached to a BAR team"))
    made = export(store, format, as_of=as_of, neighbourhood=neighbourhood, lang=lang)
    return Response(
        made.data,
        media_type=made.media_type,
        headers={"content-disposition": f'attachment; filename="{made.filename}"'},
    )
