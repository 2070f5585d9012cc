"""An observations sheet (CSV, as Belgian Excel saves it, or XLSX): one observation per row, the
columns named in French, Dutch or English. A team that kept its notes on the neighbourhood in a
spreadsheet brings them in at once: every row is checked (the kind, the theme, the actors who
said it, named as the directory names them, the text checked for people's names, phones and
e-mail addresses) and the sheet is written all or nothing, in one transaction.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from graph.errors import InvalidInput, Say
from graph.model import ActorQuery, ObservationCreate, normalise_name
from graph.validation import describe, validate
from ingest.layout import words
from ingest.readers import MAX_FILE, _dialect, cell_value, check_zip, decode, local_value, refuse

#: column headers (compared with case, accents, spaces and punctuation ignored) -> field
HEADERS = {
    words(h): field
    for field, headers in {
        "date": ("date", "datum", "day", "jour", "dag"),
        "kind": ("kind", "sorte", "soort", "type", "genre"),
        "theme": ("theme", "thème", "thema"),
        "target_groups": ("public", "publics", "public concerné", "publiek", "doelgroep",
                          "doelgroepen", "target groups", "target group"),
        "sectors": ("sector", "sectors", "secteur", "secteurs", "sectoren",
                    "secteur statistique", "statistische sector"),
        "sources": ("said by", "dit par", "gezegd door", "source", "sources", "bron", "bronnen"),
        "text": ("text", "texte", "tekst", "observation", "vaststelling", "ce qui a été dit",
                 "wat er gezegd werd"),
        "neighbourhood": ("neighbourhood", "quartier", "wijk"),
    }.items()
    for h in headers
}  # fmt: skip
#: the kinds in the three languages
KINDS = {
    words(w): kind
    for kind, said in {
        "need": ("need", "besoin", "behoefte"),
        "problem": ("problem", "problème", "probleem"),
        "resource": ("resource", "ressource", "hulpbron"),
        "wish": ("wish", "souhait", "wens"),
        "change": ("change", "changement", "verandering"),
    }.items()
    for w in said
}
LISTS = ("target_groups", "sectors", "sources")
MOST_ROWS = 5000


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    text = str(value).replace("|", ";").replace(",", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def _cells(data: bytes, name: str) -> Iterator[Sequence[Any]]:
    """The rows of the file's first sheet (a CSV, or an XLSX workbook's first sheet)."""
    if len(data) > MAX_FILE:
        raise refuse(Say("{name} is larger than {most} MB", name=name, most=MAX_FILE // 2**20))
    if data.startswith(b"PK"):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                check_zip(archive, name)
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise refuse(
                Say("{name} is not a readable XLSX workbook: {problem}", name=name,
                    problem=str(exc))
            ) from exc  # fmt: skip
        yield from book.worksheets[0].iter_rows(values_only=True)
        return
    text = decode(data, name)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), _dialect(text, name))
    except csv.Error as exc:
        raise refuse(Say("{name}: {problem}", name=name, problem=str(exc))) from exc


def read_observations(data: bytes, name: str) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows as (row number, fields as written), empty rows left out."""
    rows = _cells(data, name)
    headers: list[str | None] = []
    header_row = 0
    for header_row, cells in enumerate(rows, start=1):
        headers = [HEADERS.get(words(str(c))) if c is not None else None for c in cells]
        if "text" in headers:
            break
        if header_row >= 10:
            headers = []
            break
    if "text" not in headers:
        raise refuse(
            Say(
                "{name}: no column holds the observations' text (a 'text', 'texte' or 'tekst' "
                "column, with 'kind', 'theme', 'date' and 'said by')",
                name=name,
            )
        )
    out = []
    for number, cells in enumerate(rows, start=header_row + 1):
        fields: dict[str, Any] = {}
        for field, value in zip(headers, cells, strict=False):
            value = cell_value(value)
            if field is None or value is None:
                continue
            fields[field] = _split(value) if field in LISTS else local_value(field, value)
        if fields:
            out.append((number, fields))
        if len(out) > MOST_ROWS:
            raise refuse(Say("{name} holds more than {most} rows", name=name, most=MOST_ROWS))
    return out


def plan_observations(
    store: Any, rows: Sequence[tuple[int, dict[str, Any]]], neighbourhood: str | None
) -> list[ObservationCreate]:
    """Each row as an observation to record, or every row's problems at once (row, column,
    reason): the actors who said it are found by their names in ``store`` (the reader's)."""
    problems: list[dict[str, Any]] = []
    planned: list[ObservationCreate] = []
    found: dict[str, str | None] = {}
    for number, fields in rows:
        row = dict(fields)
        row.setdefault("neighbourhood", neighbourhood)
        kind = row.get("kind")
        row["kind"] = KINDS.get(words(str(kind)), kind) if kind else "need"
        if row["kind"] not in KINDS.values():
            problems.append({"row": number, "field": "kind", "message": Say(
                "'{word}' is not a kind of observation (need, problem, resource, wish, change)",
                word=kind)})  # fmt: skip
            row["kind"] = "need"  # the row's other fields are still checked
        ids = []
        for said in row.get("sources", []):
            key = normalise_name(said)
            if key not in found:
                matches = store.list_actors(ActorQuery(q=said), limit=10).items
                exact = [a.id for a in matches if normalise_name(a.name) == key]
                found[key] = exact[0] if len(exact) == 1 else None
            if found[key] is None:
                problems.append({"row": number, "field": "sources",
                                 "message": Say("no actor of the directory is called '{name}'",
                                                name=said)})  # fmt: skip
            else:
                ids.append(found[key])
        row["sources"] = ids
        try:
            planned.append(validate(ObservationCreate, row))
        except InvalidInput as exc:
            problems += [{**p, "row": number} for p in exc.details or []]
    if problems:
        raise InvalidInput(describe(problems, rows=True), details=problems)
    return planned


def import_observations(
    store: Any, data: bytes, name: str, neighbourhood: str | None = None
) -> list[Any]:
    """Read, check and record a sheet of observations through ``store`` (the reader's
    :class:`api.scoped.ScopedStore`: the policy applies), all or nothing."""
    rows = read_observations(data, name)
    planned = plan_observations(store, rows, neighbourhood)
    if not planned:
        raise refuse(Say("{name} holds no observation", name=name))
    try:
        return list(store.create_observations(planned))
    except InvalidInput as exc:  # the store numbers the rows from 0: say the sheet's rows
        numbers = [n for n, _ in rows]
        details = [
            {**p, "row": numbers[p["row"]]} if isinstance(p.get("row"), int) else p
            for p in exc.details or []
        ]
        raise InvalidInput(describe(details, rows=True), details=details) from exc
