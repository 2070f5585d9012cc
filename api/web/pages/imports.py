"""Importing a file: checked first (a dry run), then confirmed."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse

from api.deps import CSRF_FIELD
from api.web.pages.base import (
    Page,
    PageDep,
    problem,
)
from graph.errors import MaillageError, Say
from graph.model import (
    ActorKind,
)

router = APIRouter(include_in_schema=False)


# --------------------------------------------------------------------------- importing a file

UPLOAD_TOKEN = re.compile(r"^[0-9a-f]{32}$")
UPLOAD_HOURS = 2  # a checked file waits this long for its confirmation


def uploads_folder(p: Page) -> Path:
    """Where checked files wait: beside the data (the SQLite file's folder), readable by this
    user only (0700 folder, 0600 files), never in the host-wide temporary folder."""
    data = getattr(p._sessions, "path", None) or p.request.app.state.settings.db
    folder = Path(data).resolve().parent / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    """A checked file never confirmed is deleted after two hours (it may name key residents)."""
    cutoff = time.time() - UPLOAD_HOURS * 3600
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _keep_upload(folder: Path, data: bytes, name: str) -> str:
    """Keep a checked file until it is confirmed (or for two hours), under a random token."""
    _forget_old_uploads(folder)
    token = secrets.token_hex(16)
    _write_private(folder / f"{token}.bin", data)
    _write_private(folder / f"{token}.name", name.encode("utf-8"))
    return token


def _take_upload(folder: Path, token: str) -> tuple[bytes, str] | None:
    _forget_old_uploads(folder)
    if not UPLOAD_TOKEN.match(token):
        return None
    data, name = folder / f"{token}.bin", folder / f"{token}.name"
    if not data.exists() or not name.exists():
        return None
    found = data.read_bytes(), name.read_text(encoding="utf-8")
    data.unlink(missing_ok=True)
    name.unlink(missing_ok=True)
    return found


@router.get("/import", response_class=HTMLResponse)
def import_form(p: PageDep) -> HTMLResponse:
    """Bring a spreadsheet, a Kumu map or a social map in: checked first, then confirmed."""
    access = p.require()
    access.check_coordinator(Say("import files"))
    _forget_old_uploads(uploads_folder(p))
    return _import_page(p, {})


def _import_page(
    p: Page,
    form: Mapping[str, str],
    *,
    report: Mapping[str, Any] | None = None,
    problems: Sequence[str] = (),
    token: str = "",
    done: bool = False,
) -> HTMLResponse:
    """The import page: its form, and the check's (or the import's) report, if any."""
    return p.render(
        "import.html",
        status=422 if problems else 200,
        form=form,
        report=report,
        problems=list(problems),
        token=token,
        done=done,
        kinds=[k.value for k in ActorKind],
    )


@router.post("/import", response_class=HTMLResponse)
def import_file(
    p: PageDep,
    file: Annotated[UploadFile | None, File()] = None,
    neighbourhood: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    mapping: Annotated[str, Form(max_length=100_000)] = "",
    upload: Annotated[str, Form(max_length=40)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> HTMLResponse:
    """First the check (a dry run, the file kept under a token), then the import itself."""
    from ingest.plan import Options, mapping_from_json, run_import
    from ingest.readers import MAX_FILE, read

    access = p.require()
    p.check_csrf(csrf_token)
    access.check_coordinator(Say("import files"))
    _ = p.gettext()
    form = {"neighbourhood": neighbourhood, "kind": kind, "mapping": mapping}
    confirming = bool(upload)
    if confirming:
        kept = _take_upload(uploads_folder(p), upload)
        if kept is None:
            return _import_page(
                p, form, problems=[_("This check has expired: choose the file again.")]
            )
        data, name = kept
    elif file is None or not file.filename:
        return _import_page(p, form, problems=[_("Choose a file to import.")])
    else:
        data, name = file.file.read(MAX_FILE + 1), file.filename
    try:
        options = Options(neighbourhood or None, kind or None, None, mapping_from_json(mapping))
        report = run_import(
            p.store, read(data, name), by=p.store.by, options=options, dry_run=not confirming
        )
    except MaillageError as exc:
        details = exc.details if isinstance(exc.details, dict) else None
        return _import_page(p, form, report=details, problems=[problem(exc, p.lang)])
    folder = uploads_folder(p)
    token = _keep_upload(folder, data, name) if not confirming and _changes(report) else ""
    return _import_page(p, form, report=report, token=token, done=confirming)


def _changes(report: Mapping[str, Any]) -> bool:
    counts = report["counts"]
    return any(counts["created"].values()) or any(counts["updated"].values())
