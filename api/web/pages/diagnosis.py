"""The diagnosis: recording what an actor says about the neighbourhood (an observation, in
under 30 seconds on a phone), and the neighbourhood's diagnosis for a period — charts, tables,
each need with who can act and where nobody reaches, printable on A4 and as CSV and XLSX."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from analysis.diagnosis import KINDS
from api.deps import CSRF_FIELD
from api.diagnosis import as_csv, as_xlsx, check_period, diagnosis, tables
from api.map import neighbourhood_of
from api.web.pages.base import (
    CHOOSE,
    N_,
    FormDay,
    Page,
    PageDep,
    neighbourhood_names,
    one_tap,
    problem,
    resolve_actor,
    vocabulary_pairs,
)
from graph.errors import InvalidInput, MaillageError
from graph.model import ObservationCreate, today
from graph.vocabulary import label
from ingest.observations import import_observations
from ingest.readers import MAX_FILE

router = APIRouter(include_in_schema=False)

KIND_WORDS = {
    "need": N_("need"),
    "problem": N_("problem"),
    "resource": N_("resource"),
    "wish": N_("wish"),
    "change": N_("change"),
}
HEADINGS = {
    **KIND_WORDS,
    "theme": N_("Theme"),
    "total": N_("Total"),
    "previous period": N_("Previous period"),
    "sector": N_("Statistical sector"),
    "whole neighbourhood": N_("Whole neighbourhood"),
    "month": N_("Month"),
    "observations": N_("Observations"),
    "publics": N_("Publics"),
    "who can act": N_("Who can act"),
    "nobody reaches": N_("Nobody reaches"),
    "anyone": N_("anyone"),
    "date": N_("Date"),
    "kind": N_("Kind"),
    "sectors": N_("Sectors"),
    "said by": N_("Said by"),
    "text": N_("Text"),
    "the BAR team": N_("the BAR team"),
}
TABLE_TITLES = {
    "themes": N_("By theme"),
    "sectors": N_("By sector"),
    "crossed": N_("Theme × sector"),
    "months": N_("By month"),
    "needs": N_("Needs"),
    "observations": N_("Observations"),
}
Neighbourhood = Annotated[str, Query(max_length=200)]


def _sectors_of(p: Page, neighbourhood: str) -> list[str]:
    place = neighbourhood_of(p.store, neighbourhood)
    return list(place.sector_codes) if place is not None else []


def _form_page(
    p: Page,
    form: dict[str, Any],
    problems: list[str],
    status: int = 200,
    sheet_problems: list[str] | None = None,
) -> HTMLResponse:
    place = form.get("neighbourhood") or ""
    return p.render(
        "record_observation.html",
        status=status,
        form=form,
        problems=problems,
        sheet_problems=sheet_problems or [],
        kinds=KINDS,
        kind_words=KIND_WORDS,
        themes=vocabulary_pairs("themes", p.lang),
        publics=vocabulary_pairs("target_groups", p.lang),
        sectors=_sectors_of(p, place) if place else [],
        places=neighbourhood_names(p.store),
        fixed_place=bool(p.require().team_label) and not p.require().sees_everything,
    )


@router.get("/record/observation", response_class=HTMLResponse)
def observation_form(p: PageDep, neighbourhood: Neighbourhood = "") -> HTMLResponse:
    access = p.require()
    access.check_writer()
    place = neighbourhood or access.team_label or ""
    form = {"date": today().isoformat(), "neighbourhood": place, "nature": "need", "sources": [""]}
    return _form_page(p, form, [])


@router.post("/record/observation", response_class=HTMLResponse)
async def record_observation(p: PageDep, request: Request) -> Response:
    """What an actor (or the team itself) says about the neighbourhood; refused, with what was
    found, when the text points at a person."""
    access = p.require()
    fields = await request.form()
    p.check_csrf(str(fields.get(CSRF_FIELD) or ""))
    access.check_writer()
    _ = p.gettext()
    form: dict[str, Any] = {
        k: str(fields.get(k) or "")[:700]
        for k in ("nature", "theme", "public", "date", "text", "neighbourhood")
    }
    form["neighbourhood"] = form["neighbourhood"] or access.team_label or ""
    typed = [str(v)[:300] for v in fields.getlist("source") if str(v).strip()][:20]
    form["sources"] = typed or [""]
    form["sectors"] = [str(v)[:12] for v in fields.getlist("sector")][:50]
    problems: list[str] = []
    ids: list[str] = []
    for name in typed:
        found, _choices = resolve_actor(p.store, name)
        if found is None:
            problems.append(_(CHOOSE) % name)
        elif found not in ids:
            ids.append(found)
    if not problems:
        try:
            data = ObservationCreate.model_validate(
                {
                    "kind": form["nature"] or "need",
                    "neighbourhood": form["neighbourhood"],
                    "theme": form["theme"],
                    "target_groups": [form["public"]] if form["public"] else [],
                    "sectors": form["sectors"],
                    "sources": ids,
                    "date": form["date"] or today().isoformat(),
                    "text": form["text"],
                }
            )
            made = p.store.create_observation(data)
            return RedirectResponse(
                f"/diagnosis?recorded={made.id}&neighbourhood={made.neighbourhood}#saved",
                status_code=303,
            )
        except (HTTPException, MaillageError, ValueError) as exc:
            problems.append(problem(exc, p.lang))
    return _form_page(p, form, problems, status=422)


@router.post("/record/observations-sheet", response_class=HTMLResponse)
async def import_sheet(p: PageDep, request: Request) -> Response:
    """A sheet of observations, all or nothing; each refused row named with its reason."""
    access = p.require()
    fields = await request.form()
    p.check_csrf(str(fields.get(CSRF_FIELD) or ""))
    access.check_writer()
    _ = p.gettext()
    upload = fields.get("file")
    form = {"date": today().isoformat(), "neighbourhood": access.team_label or "",
            "nature": "need", "sources": [""]}  # fmt: skip
    if not isinstance(upload, StarletteUpload):
        return _form_page(p, form, [], 422, [_("Choose the file to import.")])
    data = await upload.read(MAX_FILE + 1)
    try:
        made = import_observations(p.store, data, upload.filename or "sheet", access.team_label)
    except (HTTPException, MaillageError, ValueError) as exc:
        return _form_page(p, form, [], 422, _row_problems(p, exc))
    return RedirectResponse(f"/diagnosis?imported={len(made)}", status_code=303)


def _row_problems(p: Page, exc: Exception) -> list[str]:
    """Each refused row of a sheet, in the reader's words ("Row 3: Theme: …")."""
    _ = p.gettext()
    details = getattr(exc, "details", None)
    if not isinstance(details, list) or not details:
        return [problem(exc, p.lang)]
    said = []
    for detail in details[:20]:
        one = InvalidInput(str(detail.get("message")), details=[{k: v for k, v in detail.items()
                                                                 if k != "row"}])  # fmt: skip
        line = problem(one, p.lang)
        said.append(_("Row %(row)s: %(problem)s") % {"row": detail["row"], "problem": line}
                    if "row" in detail else line)  # fmt: skip
    return said


@router.post("/observations/{observation_id}/retract")
def retract_observation(
    p: PageDep,
    observation_id: str,
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """Undo an observation just recorded (as the policy allows)."""
    return one_tap(p, csrf_token,
                   lambda: p.store.retract_observation(observation_id, reason=reason),
                   "/diagnosis?recorded=undone")  # fmt: skip


def _asked(
    p: Page, neighbourhood: str, start: date | None, end: date | None
) -> tuple[str | None, date, date]:
    access = p.require()
    place = neighbourhood or None
    if place is None and not access.sees_everything:
        place = access.team_label
    first, last = check_period(start, end)
    return place, first, last


def _words(p: Page) -> tuple[Any, Any]:
    _ = p.gettext()

    def word(field: str, code: str) -> str:
        return label(field, code, p.lang)

    def heading(key: str) -> str:
        return _(HEADINGS[key]) if key in HEADINGS else key

    return word, heading


@router.get("/diagnosis", response_class=HTMLResponse)
def diagnosis_page(
    p: PageDep,
    neighbourhood: Neighbourhood = "",
    start: FormDay = None,
    end: FormDay = None,
) -> HTMLResponse:
    access = p.require()
    _ = p.gettext()
    try:
        place, first, last = _asked(p, neighbourhood, start, end)
        found = diagnosis(p.store, place, first, last)
    except (MaillageError, ValueError) as exc:
        return p.render("message.html", status=422, message=problem(exc, p.lang))
    recorded = p.request.query_params.get("recorded") or ""
    imported = p.request.query_params.get("imported") or ""
    just = None
    if recorded and recorded != "undone":
        try:
            just = p.store.get_observation(recorded)
        except MaillageError:
            just = None
    top = max([r.total for r in found.by_theme] + [1])
    month_top = max([sum(getattr(r, k) for k in KINDS) for r in found.by_month] + [1])
    query = {"neighbourhood": place or "", "start": first.isoformat(), "end": last.isoformat()}
    sectors = sorted({r.sector for r in found.by_theme_sector})
    crossed = {(r.theme, r.sector): r.count for r in found.by_theme_sector}
    return p.render(
        "diagnosis.html",
        d=found,
        place=place,
        places=neighbourhood_names(p.store) if access.sees_everything else [],
        kinds=KINDS,
        kind_words=KIND_WORDS,
        top=top,
        month_top=month_top,
        query=query,
        recorded=recorded,
        imported=int(imported) if imported.isdigit() else 0,
        just=just,
        may_write=access.role.can_write and access.role.value != "viewer" and access.has_team,
        table_titles=TABLE_TITLES,
        cross_sectors=sectors,
        crossed=crossed,
        cross_themes=sorted({r.theme for r in found.by_theme_sector}),
    )


@router.get("/diagnosis.csv")
def diagnosis_csv(
    p: PageDep,
    table: Annotated[
        str, Query(pattern="^(themes|sectors|crossed|months|needs|observations)$")
    ] = "themes",
    neighbourhood: Neighbourhood = "",
    start: FormDay = None,
    end: FormDay = None,
) -> Response:
    p.require()
    place, first, last = _asked(p, neighbourhood, start, end)
    found = tables(diagnosis(p.store, place, first, last), *_words(p))
    name = f"diagnosis-{table}-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        as_csv(found[table]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/diagnosis.xlsx")
def diagnosis_xlsx(
    p: PageDep, neighbourhood: Neighbourhood = "", start: FormDay = None, end: FormDay = None
) -> Response:
    p.require()
    _ = p.gettext()
    place, first, last = _asked(p, neighbourhood, start, end)
    found = tables(diagnosis(p.store, place, first, last), *_words(p))
    titles = {k: _(v) for k, v in TABLE_TITLES.items()}
    name = f"diagnosis-{first.isoformat()}-{last.isoformat()}.xlsx"
    return Response(
        as_xlsx(found, titles),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
