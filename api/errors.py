"""Errors become HTTP answers here, in one place, with one JSON shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import Conflict, InvalidInput, MaillageError, NotFound, StoreUnavailable
from graph.validation import describe, field_errors, only_rules

log = logging.getLogger("maillage.api")

STATUS = {NotFound: 404, Conflict: 409, InvalidInput: 422, StoreUnavailable: 503}


def error_body(code: str, message: str, details: Any = None, rule: bool = False) -> dict[str, Any]:
    return {"error": code, "message": message, "details": details, "rule": rule}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MaillageError)
    async def maillage_error(_: Request, exc: MaillageError) -> JSONResponse:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        # the request passed its schema: what the engine refuses is one of its rules
        body = {**exc.to_dict(), "rule": isinstance(exc, InvalidInput)}
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # the same wording as the stores' own validation (graph/validation.py)
        details = field_errors(exc.errors())
        body = error_body("invalid_input", describe(details), details, only_rules(exc.errors()))
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's answer to a body it cannot parse: it is bad input like any other.
            body = error_body("invalid_input", f"the request body cannot be read: {exc.detail}")
            return JSONResponse(body, status_code=422)
        code = {
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "not_allowed",
            413: "too_large",
            429: "too_many_attempts",
        }
        body = error_body(code.get(exc.status_code, "error"), str(exc.detail))
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        body = error_body("internal", "something went wrong on the server; it has been logged")
        return JSONResponse(body, status_code=500)
