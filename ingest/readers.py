"""Reading the files teams bring: CSV, XLSX (our layout or Kumu's), Kumu JSON, Open Referral
HSDS data packages (a folder or a zip), and our own CSV zip. Every reader turns its file into
the same :class:`Table` rows (actor or link fields, each cell with where it came from), so the
planner (``ingest/plan.py``) applies one set of rules to every format.

Safety first: sizes are limited, a zip is checked for bombs before anything is unpacked, text
must be UTF-8, a broken workbook is refused with a clear message, and a formula is text.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from graph.errors import InvalidInput, Say
from ingest.layout import (
    ACTOR_HEADERS,
    ACTOR_SHEETS,
    LINK_HEADERS,
    LINK_SHEETS,
    LIST_FIELDS,
    LIST_SEPARATOR,
    words,
)

MAX_FILE = 50 * 1024 * 1024  # bytes of the file as sent
MAX_UNPACKED = 200 * 1024 * 1024  # bytes once a zip (or an XLSX, which is one) is unpacked
MAX_RATIO = 100  # unpacked / packed, per member: more is a zip bomb
MAX_ROWS = 500_000  # rows per sheet

FORMULA_MARKS = ("=", "+", "-", "@")

Kind = Literal["actors", "links"]
Format = Literal["csv", "xlsx", "xls", "kumu-json", "kumu-xlsx", "hsds", "csv-zip"]


@dataclass(slots=True)
class Row:
    number: int  # as the user counts: the spreadsheet's row, the JSON list's position (1-based)
    values: dict[str, Any]  # field -> the cell's value (see cell_value)
    columns: Mapping[str, str]  # field -> how the user finds its cell: "C (Kind)" in a
    # workbook, the header in a CSV (one mapping shared by a table's rows)

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def column(self, name: str) -> str | None:
        return self.columns.get(name)


@dataclass
class Table:
    """A sheet's rows, and what the reader did not keep — counted as the rows stream, so read
    ``not_kept`` and ``notes`` once the rows are consumed: nothing is dropped without a word."""

    sheet: str
    kind: Kind
    rows: Iterator[Row]
    #: column (or field) not kept -> how many values it held
    not_kept: dict[str, int] = field(default_factory=dict)
    #: values not kept one by one: {"row", "column", "reason"} (a phone libphonenumber refuses)
    notes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Source:
    """A file read: its format and its tables (actors first)."""

    name: str
    format: Format
    tables: list[Table]


def refuse(message: Say | str) -> InvalidInput:
    return InvalidInput(message, details=[{"field": "file", "message": message}])


# --------------------------------------------------------------------------- values


def cell_value(value: Any) -> Any:
    """A cell as the planner reads it: text stripped (a formula stays text), whole numbers as
    ``int``, dates as ``YYYY-MM-DD``, empty as None."""
    if value is None:
        return None
    if type(value) is str:  # most cells: text
        text = value.strip()
        if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_MARKS:
            text = text[1:]  # the quote an export puts before a formula-like text (safe_cell)
        return text or None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return cell_value(str(value))


def json_value(value: Any) -> Any:
    """A JSON value as the planner reads it: as :func:`cell_value`, except that text is only
    stripped — JSON is no spreadsheet, nothing put a quote before a formula-like text in it."""
    if isinstance(value, str):
        return value.strip() or None
    return cell_value(value)


def split_list(value: Any) -> list[str]:
    """``"health | youth"`` → ``["health", "youth"]`` (a JSON list stays a list)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(LIST_SEPARATOR)
    return [str(v).strip() for v in items if str(v).strip()]


# --------------------------------------------------------------------------- files


def check_zip(archive: zipfile.ZipFile, what: str) -> None:
    """Refuse a zip bomb before unpacking anything: total size and each member's ratio."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        packed = max(info.compress_size, 1)
        if total > MAX_UNPACKED or info.file_size / packed > MAX_RATIO:
            raise refuse(
                Say(
                    "{what} unpacks to far more than it weighs (a zip bomb?): refused",
                    what=what,
                )
            )


#: what a French- or Dutch-speaking Excel writes when it saves "CSV" (not "CSV UTF-8")
WINDOWS_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


def decode(data: bytes, name: str) -> str:
    """Text from a file: UTF-8 (with or without a BOM), else Windows-1252 — what a French- or
    Dutch-speaking Excel writes ('CSV'), with Œ, € and curly quotes, which Latin-1 lacks —
    else what a maintained detector (charset-normalizer) finds among the Latin encodings;
    anything else is refused with a sentence."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        guessed = best.encoding if best is not None else None
        for encoding in ["cp1252", *([guessed] if guessed in WINDOWS_ENCODINGS else [])]:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not any(unicodedata.category(c) == "Cc" and c not in "\r\n\t" for c in text):
                return text
        raise refuse(
            Say(
                "{name} is not UTF-8 text (byte {at}): save it as 'CSV UTF-8' and try again",
                name=name,
                at=exc.start + 1,
            )
        ) from exc


def _table_kind(headers: Sequence[str], sheet: str) -> Kind | None:
    if words(sheet.rsplit(".", 1)[0]) in LINK_SHEETS:
        return "links"
    if words(sheet.rsplit(".", 1)[0]) in ACTOR_SHEETS:
        return "actors"
    fields = {LINK_HEADERS.get(words(h)) for h in headers}
    if {"source", "target"} <= fields:
        return "links"
    if "name" in {ACTOR_HEADERS.get(words(h)) for h in headers}:
        return "actors"
    return None


#: fields whose values several columns may share (a header merged over two columns, or
#: written twice): the cells are joined as one list
JOINED = LIST_FIELDS | {"phones", "mobile"}


def _columns(
    headers: Sequence[str], kind: Kind, letters: bool
) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """Column index -> (field, label), and index -> label of the columns not kept (a header
    nobody knows, a field given twice that takes one value). A column with no header is
    kept out of both: its values are counted when it has any (see :func:`_rows`)."""
    known = ACTOR_HEADERS if kind == "actors" else LINK_HEADERS
    columns: dict[int, tuple[str, str]] = {}
    ignored: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        label = (
            (f"{_letter(index)} ({header})" if header else _letter(index))
            if letters
            else (header or f"#{index + 1}")
        )
        if not header:
            ignored[index] = label
            continue
        name = known.get(words(header))
        if name is None or (name in taken and name not in JOINED):
            ignored[index] = label
            continue
        taken.add(name)
        columns[index] = (name, label)
    return columns, ignored


def _letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


#: fields written as dates, and as decimal numbers, in the people's spreadsheets
DATE_FIELDS = frozenset({"since", "until", "consent_date", "date"})
NUMBER_FIELDS = frozenset({"latitude", "longitude"})
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def local_value(field: str, value: Any) -> Any:
    """A cell as Belgian spreadsheets write it, in our form: dates day first (31/12/2025,
    1/2/26) as ``YYYY-MM-DD``, decimal commas (50,8412) as numbers; anything else as it is.

    >>> local_value("since", "31/12/2025"), local_value("since", "1/2/26")
    ('2025-12-31', '2026-02-01')
    >>> local_value("latitude", "50,8412"), local_value("name", "3,5")
    (50.8412, '3,5')
    """
    if not isinstance(value, str):
        return value
    if field in DATE_FIELDS:
        found = _DAY_FIRST.match(value)
        if found:
            day, month, year = (int(p) for p in found.groups())
            year += 2000 if year < 100 else 0
            return f"{year:04d}-{month:02d}-{day:02d}"
    if field in NUMBER_FIELDS and _DECIMAL_COMMA.match(value):
        return float(value.replace(",", "."))
    return value


def _rows(
    cells: Iterator[tuple[int, Sequence[Any]]],
    columns: Mapping[int, tuple[str, str]],
    sheet: str,
    ignored: Mapping[int, str],
    not_kept: dict[str, int],
) -> Iterator[Row]:
    """The rows of a sheet, as fields; the values of the ``ignored`` columns are counted into
    ``not_kept`` (label -> values) as the rows go by. Two columns of one list field (a
    merged header) give one list."""
    labels: dict[str, str] = {}
    for name, label in columns.values():
        labels[name] = f"{labels[name]} + {label}" if name in labels else label
    for count, (number, values) in enumerate(cells, start=1):
        if count > MAX_ROWS:
            raise refuse(Say("{sheet} has more than {most} rows", sheet=sheet, most=MAX_ROWS))
        width = len(values)
        row: dict[str, Any] = {}
        for i, (name, _) in columns.items():
            if i >= width:
                continue
            value = local_value(name, cell_value(values[i]))
            if row.get(name) is not None and value is not None:
                value = f"{row[name]} {LIST_SEPARATOR} {value}"
            elif value is None:
                value = row.get(name)
            row[name] = value
        for i, label in ignored.items():
            if i < width and cell_value(values[i]) is not None:
                not_kept[label] = not_kept.get(label, 0) + 1
        if any(v is not None for v in row.values()):
            yield Row(number, row, labels)


def _table(
    sheet: str,
    kind: Kind,
    cells: Iterator[tuple[int, Sequence[Any]]],
    columns: Mapping[int, tuple[str, str]],
    ignored: Mapping[int, str],
) -> Table:
    """A sheet's table, its rows read as they are asked for, the values of its ignored
    columns counted into its ``not_kept`` as they go by."""
    not_kept: dict[str, int] = {}
    return Table(sheet, kind, _rows(cells, columns, sheet, ignored, not_kept), not_kept)


TITLE_ROWS = 10  # rows a team puts above the header (a title, a date, blank lines)


def _header(rows: Iterator[Sequence[Any]], sheet: str) -> tuple[list[str], Kind | None, int]:
    """The header row: the first of the first rows that says what the table holds (a title
    row or blank rows above it are passed over). Returns it, the kind, and how many rows
    were read to find it."""
    first: list[str] | None = None
    for read, values in enumerate(rows, start=1):
        headers = [str(h).strip() if h is not None else "" for h in values]
        first = headers if first is None else first
        kind = _table_kind(headers, "")  # what its own columns say, whatever the sheet's name
        if kind is not None:
            return headers, kind, read
        if read >= TITLE_ROWS:
            break
    # no row names its columns: the first row, read as the sheet's name says (or refused)
    return first or [], _table_kind(first or [], sheet), 1 if first is not None else 0


def _check_row_count(text: str, dialect: Any, name: str) -> None:
    """A file with too many rows is refused at once, before any row is planned (counting is
    C-speed: a second for a million rows; planning them took 80 s)."""
    if text.count("\n") <= MAX_ROWS + 1:  # lines bound records from above
        return
    count = sum(1 for _ in csv.reader(io.StringIO(text, newline=""), dialect)) - 1
    if count > MAX_ROWS:
        raise refuse(Say("{sheet} has more than {most} rows", sheet=name, most=MAX_ROWS))


class _Separated(csv.excel):
    """A spreadsheet's CSV (RFC 4180: a quote inside a field is doubled) with its separator."""


def _dialect(text: str, sheet: str = "") -> type[csv.Dialect]:
    """Only the separator is guessed (``,``, ``;`` or a tab); the quoting is RFC 4180's:
    csv.Sniffer guesses ``doublequote`` from a sample and cut ``"a ""b"" c"`` wrongly. The
    separator is the one whose rows show a header (a title row above it confuses the
    Sniffer), the Sniffer's guess first, then the most frequent."""
    sample = text[:4096]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = ","
    others = sorted(",;\t", key=sample.count, reverse=True)
    for separator in [sniffed, *(o for o in others if o != sniffed)]:
        dialect = type("Separated", (_Separated,), {"delimiter": separator})
        rows = csv.reader(io.StringIO(sample, newline=""), dialect)
        try:
            if _header(rows, sheet)[1] is not None:
                return dialect
        except csv.Error:
            continue
    return type("Separated", (_Separated,), {"delimiter": sniffed})


def read_csv(data: bytes, name: str) -> Table:
    text = decode(data, name)
    dialect = _dialect(text, name)
    _check_row_count(text, dialect, name)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    headers, kind, _read = _header(reader, name)
    if not any(headers) and kind is None and not text.strip():
        raise refuse(Say("{name} is empty", name=name))
    if kind is None:
        raise refuse(
            Say(
                "{name}: no column says what it holds (actors need a 'name' column, links "
                "'from' and 'to'; see the template)",
                name=name,
            )
        )
    columns, ignored = _columns(headers, kind, letters=False)

    def cells() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            for values in reader:
                yield reader.line_num, values
        except csv.Error as exc:
            raise refuse(Say("{name}: {problem}", name=name, problem=str(exc))) from exc

    return _table(name, kind, cells(), columns, ignored)


def read_xlsx(data: bytes, name: str) -> list[Table]:
    from openpyxl import load_workbook  # uses defusedxml when it is installed (it is)
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, name)
        # formulas are read as their text, never evaluated (data_only=False)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise refuse(
            Say("{name} is not a readable XLSX workbook: {problem}", name=name, problem=str(exc))
        ) from exc
    return _workbook_tables(
        ((sheet.title, sheet.max_row or 0, sheet.iter_rows(values_only=True), _merges(sheet))
         for sheet in book.worksheets),
        name,
    )  # fmt: skip


#: a merged range: first row, first column, last row, last column (1-based, inclusive)
Merge = tuple[int, int, int, int]
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')
_CHUNK = 1 << 20


def _merges(sheet: Any) -> list[Merge]:
    """The merged ranges of a read-only openpyxl sheet (which does not parse them): the
    ``mergeCell`` elements of the sheet's XML, read a megabyte at a time (a large sheet is
    never held whole: the import streams its rows)."""
    from openpyxl.utils.cell import range_boundaries

    found: list[tuple[bytes, bytes]] = []
    carry = b""
    with sheet.parent._archive.open(sheet._worksheet_path) as member:
        while chunk := member.read(_CHUNK):
            text = carry + chunk
            if b"mergeCell" in text:
                cut = text.rfind(b"<")  # an element cut by the chunk's end: with the next
                found += _MERGE_CELL.findall(text, 0, cut)
                carry = text[cut:]
            else:
                carry = text[-64:]
        found += _MERGE_CELL.findall(carry)
    out = []
    for first, last in found:
        min_col, min_row, max_col, max_row = range_boundaries(f"{first.decode()}:{last.decode()}")
        out.append((int(min_row or 1), int(min_col or 1), int(max_row or 1), int(max_col or 1)))
    return out


def _spread(headers: list[str], merges: Iterable[Merge], row: int) -> list[str]:
    """A header row with each merged cell's text over every column it spans."""
    out = list(headers)
    for min_row, min_col, _max_row, max_col in merges:
        if min_row == row and max_col > min_col and min_col <= len(out):
            out += [""] * (max_col - len(out))
            for col in range(min_col + 1, max_col + 1):
                out[col - 1] = out[col - 1] or out[min_col - 1]
    return out


def _merged_header(
    headers: list[str], read: int, rows: Iterator[Sequence[Any]], merges: list[Merge]
) -> tuple[list[str], int]:
    """The header as a team writes it with merged cells: a header merged over two columns
    names both; a header merged down over two rows ("Name" over rows 1–2, beside "Contact"
    over "Phone" and "E-mail") is read as one header whose lower cells win. Returns the
    header and the number of the last header row."""
    headers = _spread(headers, merges, read)
    last = max((m[2] for m in merges if m[0] == read and m[2] > read), default=read)
    for number in range(read + 1, last + 1):
        below = [str(h).strip() if h is not None else "" for h in next(iter(rows), ())]
        below = _spread(below, merges, number)
        width = max(len(headers), len(below))
        headers = [
            (below[i] if i < len(below) and below[i] else "")
            or (headers[i] if i < len(headers) else "")
            for i in range(width)
        ]
    return headers, last


def _workbook_tables(
    sheets: Iterable[tuple[str, int, Iterator[Sequence[Any]], list[Merge]]], name: str
) -> list[Table]:
    """The tables of a workbook's sheets (title, row count, rows, merged ranges), XLSX or XLS
    alike: the row cap checked at once, sheets marked "(ignore)" and sheets of neither kind
    left out (and said so: see ``Table.not_kept``), merged header cells read."""
    tables = []
    left: list[Table] = []  # sheets not read, said with how many rows they held
    for title, count, rows, merges in sheets:
        if count > MAX_ROWS + 1:  # the sheet's own dimension, read at once
            raise refuse(Say("{sheet} has more than {most} rows", sheet=title, most=MAX_ROWS))
        if "(ignore)" in title.casefold():
            left.append(_sheet_left(title, rows, Say("the whole sheet (its name says ignore)")))
            continue
        head = list(itertools.islice(rows, TITLE_ROWS))  # where the header is looked for
        headers, kind, read = _header(iter(head), title)
        if kind is None:
            why = Say("the whole sheet (no column says actors or links)")
            left.append(_sheet_left(title, itertools.chain(head, rows), why))
            continue
        rest = itertools.chain(head[read:], rows)
        headers, read = _merged_header(headers, read, rest, merges)
        columns, ignored = _columns(headers, kind, letters=True)
        numbered = ((number, values) for number, values in enumerate(rest, start=read + 1))
        tables.append(_table(title, kind, numbered, columns, ignored))
    if not tables:
        raise refuse(
            Say(
                "{name} has no sheet of actors or links (sheets named Actors and Links, or "
                "Kumu's Elements and Connections)",
                name=name,
            )
        )
    return [*sorted(tables, key=lambda t: t.kind), *(t for t in left if t.not_kept)]  # actors first


def _sheet_left(title: str, rows: Iterable[Sequence[Any]], why: str) -> Table:
    """A sheet the import does not read, as a table with no rows that says how many rows with
    a value it held."""
    held = sum(1 for row in rows if any(cell_value(v) is not None for v in row))
    return Table(title, "actors", iter(()), not_kept={why: held} if held else {})


#: the first bytes of an Excel 97–2003 workbook (.xls, an OLE2 compound file)
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_xls(data: bytes, name: str) -> list[Table]:
    """An Excel 97–2003 workbook (.xls), as an old Excel or a municipality's export still
    writes them, read with xlrd: the same sheets, headers and rows as an XLSX; dates as dates."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)  # merged cells
    except Exception as exc:  # a broken file raises many kinds of error in xlrd
        raise refuse(
            Say("{name} is not a readable Excel 97–2003 workbook (.xls): {problem}",
                name=name, problem=str(exc))
        ) from exc  # fmt: skip

    def values(sheet: Any, i: int) -> tuple[Any, ...]:
        out = []
        for cell in sheet.row(i):
            if cell.ctype == xlrd.XL_CELL_DATE:
                out.append(xlrd.xldate_as_datetime(cell.value, book.datemode).date())
            elif cell.ctype == xlrd.XL_CELL_EMPTY:
                out.append(None)
            elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                out.append(int(cell.value))
            else:
                out.append(cell.value)
        return tuple(out)

    def rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
        for i in range(sheet.nrows):  # at most 65,536 rows in an .xls
            yield values(sheet, i)

    def merges(sheet: Any) -> list[Merge]:  # xlrd: 0-based, the last row and column excluded
        return [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells]

    return _workbook_tables(((s.name, s.nrows, rows(s), merges(s)) for s in book.sheets()), name)


def read_kumu_json(data: bytes, name: str) -> list[Table]:
    """Kumu's JSON export: ``elements`` (``_id``, ``attributes``: label, element type,
    description, tags…) and ``connections`` (``from``, ``to``, ``direction``, ``attributes``:
    connection type…); older blueprints put label and type at the top level."""
    return kumu_tables(read_json(data, name), name)


def read_json(data: bytes, name: str) -> Any:
    try:
        return json.loads(decode(data, name))
    except RecursionError as exc:
        raise refuse(Say("{name} is nested too deeply to be a Kumu map", name=name)) from exc
    except json.JSONDecodeError as exc:
        raise refuse(
            Say("{name} is not valid JSON: {problem}", name=name, problem=str(exc))
        ) from exc


def kumu_tables(blueprint: Any, name: str) -> list[Table]:
    """The tables of a Kumu blueprint (see :func:`read_kumu_json`)."""
    if isinstance(blueprint, dict) and {"records", "events"} <= set(blueprint):
        raise refuse(
            Say("{name} is a Maillage backup: bring it back with maillage restore", name=name)
        )
    if not isinstance(blueprint, dict) or not isinstance(blueprint.get("elements"), list):
        raise refuse(Say("{name} is not a Kumu map (no 'elements' list)", name=name))

    def attrs(item: Mapping[str, Any]) -> dict[str, Any]:
        found = item.get("attributes")
        inner: dict[str, Any] = found if isinstance(found, dict) else {}
        return {**{k: v for k, v in item.items() if k != "attributes"}, **inner}

    element_fields = {
        "_id": "id",
        "label": "name",
        "element type": "kind",
        "type": "kind",
        "description": "description",
        "tags": "themes",
        **{h: f for h, f in ACTOR_HEADERS.items()},
    }
    connection_fields = {
        "_id": "id",
        "from": "source",
        "to": "target",
        "connection type": "type",
        "type": "type",
        "direction": "direction",
        "strength": "strength",
        "description": "note",
        **{h: f for h, f in LINK_HEADERS.items()},
    }

    def rows(items: Any, fields: Mapping[str, str], table: Table) -> Iterator[Row]:
        if not isinstance(items, list):
            return
        what = table.sheet
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise refuse(Say("{what} {number} is not an object", what=what, number=number))
            values: dict[str, Any] = {}
            columns = {}
            for key, value in attrs(item).items():
                target = fields.get(key) or fields.get(words(key))
                if target and target not in values:
                    columns[target] = f"{what}[{number}].{key}"
                    values[target] = value if isinstance(value, list) else json_value(value)
                elif value not in (None, "", [], {}):
                    table.not_kept[key] = table.not_kept.get(key, 0) + 1
            yield Row(number, values, columns)

    elements = Table("elements", "actors", iter(()))
    elements.rows = rows(blueprint["elements"], element_fields, elements)
    connections = Table("connections", "links", iter(()))
    connections.rows = rows(blueprint.get("connections", []), connection_fields, connections)
    return [elements, connections]


def read_path(path: Path) -> tuple[bytes, str]:
    if path.is_dir():
        return b"", path.name
    size = path.stat().st_size
    if size > MAX_FILE:
        raise refuse(Say("{name} is larger than {most} MB", name=path.name, most=MAX_FILE // 2**20))
    return path.read_bytes(), path.name


def read(data: bytes, name: str, folder: Path | None = None) -> Source:
    """Read a file (or an HSDS folder), its format found from its content and name."""
    from ingest.hsds import read_hsds_files

    if folder is not None:
        files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
        return Source(name, "hsds", read_hsds_files(files, name))
    if len(data) > MAX_FILE:
        raise refuse(Say("{name} is larger than {most} MB", name=name, most=MAX_FILE // 2**20))
    if data.startswith(XLS_MAGIC):  # an Excel 97–2003 workbook: not text
        return Source(name, "xls", read_xls(data, name))
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                check_zip(archive, name)
                names = archive.namelist()
                if "[Content_Types].xml" in names:
                    tables = read_xlsx(data, name)
                    kumu = any(words(t.sheet) in ("elements", "connections") for t in tables)
                    return Source(name, "kumu-xlsx" if kumu else "xlsx", tables)
                members = {
                    Path(n).name: archive.read(n)
                    for n in names
                    if not n.endswith("/") and not Path(n).name.startswith(".")
                }
        except zipfile.BadZipFile as exc:
            raise refuse(
                Say("{name} is not a readable zip: {problem}", name=name, problem=str(exc))
            ) from exc
        if "datapackage.json" in members:
            return Source(name, "hsds", read_hsds_files(members, name))
        csvs = [read_csv(body, n) for n, body in sorted(members.items()) if n.endswith(".csv")]
        if not csvs:
            raise refuse(Say("{name} holds no CSV file", name=name))
        others = [  # files of the zip that are not read: said
            Table(n, "actors", iter(()), not_kept={Say("the whole file (not a CSV)"): 1})
            for n, body in sorted(members.items())
            if not n.endswith(".csv") and body.strip()
        ]
        return Source(name, "csv-zip", [*sorted(csvs, key=lambda t: t.kind), *others])
    if name.lower().endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
        from ingest.hsds import is_hsds_json, read_hsds_json

        document = read_json(data, name)
        if is_hsds_json(document):
            return Source(name, "hsds", read_hsds_json(document, name))
        return Source(name, "kumu-json", kumu_tables(document, name))
    return Source(name, "csv", [read_csv(data, name)])
