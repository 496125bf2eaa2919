"""Domain errors and their RFC 9457 `application/problem+json` rendering."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from kit.db import RETRY_AFTER_SECONDS, OutageLog, database_unavailable

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("inspire.errors")


class FieldError(BaseModel):
    """One invalid field of a request."""

    field: str = Field(description="Where the value is, e.g. `body.email` or `query.limit`.")
    message: str
    code: str


class Problem(BaseModel):
    """An RFC 9457 problem detail, as every error response of the API."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    code: str = Field(description="Stable machine-readable error code.")
    instance: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """A business rule said no. Subclasses fix the HTTP status and a stable code."""

    status: ClassVar[int] = HTTPStatus.BAD_REQUEST
    code: ClassVar[str] = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code is not None:
            self.code = code  # type: ignore[misc]  # an instance may refine the class's code


class Unauthorized(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "unauthorized"


class Forbidden(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "forbidden"


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND
    code = "not_found"


class Conflict(DomainError):
    status = HTTPStatus.CONFLICT
    code = "conflict"


class PreconditionFailed(DomainError):
    status = HTTPStatus.PRECONDITION_FAILED
    code = "precondition_failed"


class PreconditionRequired(DomainError):
    status = HTTPStatus.PRECONDITION_REQUIRED
    code = "precondition_required"


class Unprocessable(DomainError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "unprocessable"


def problem_response(
    status: int,
    code: str,
    detail: str | None = None,
    *,
    instance: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        code=code,
        instance=instance,
        errors=list(errors) if errors else None,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=dict(headers) if headers else None,
    )


def _field_path(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101  # registered for DomainError only
    errors = [FieldError(field=exc.field, message=exc.detail, code=exc.code)] if exc.field else None
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == HTTPStatus.UNAUTHORIZED else None
    return problem_response(
        exc.status, exc.code, exc.detail, instance=request.url.path, errors=errors, headers=headers
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101  # registered for it only
    errors = [
        FieldError(field=_field_path(err["loc"]), message=err["msg"], code=err["type"])
        for err in exc.errors()
    ]
    return problem_response(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "validation_failed",
        "The request is not valid; see `errors` for each field.",
        instance=request.url.path,
        errors=errors,
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route takes at this path (Starlette names only the first route's)."""
    allowed: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        match, _ = context.matches(request.scope)
        if match != Match.NONE:
            allowed |= set(context.methods or ())
    return ", ".join(sorted(allowed))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101  # registered for it only
    status = HTTPStatus(exc.status_code)
    # An exception may name its own code (e.g. `body_too_large`); else the status says it.
    code = getattr(exc, "code", None) or status.phrase.lower().replace(" ", "_").replace("-", "_")
    detail = exc.detail if isinstance(exc.detail, str) else status.description
    headers = dict(exc.headers or {})
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        headers["Allow"] = _allowed_methods(request)
    return problem_response(
        exc.status_code, code, detail, instance=request.url.path, headers=headers
    )


_GATEWAY_OUTAGES = OutageLog()  # for an app without a database of its own


def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    database = getattr(request.app.state, "database", None)
    outages: OutageLog = getattr(database, "outages", _GATEWAY_OUTAGES)
    outages.warn(exc)
    return problem_response(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "database_unavailable",
        "The service cannot reach its database; nothing was saved. Retry later.",
        instance=request.url.path,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _os_error(request: Request, exc: Exception) -> JSONResponse:
    if database_unavailable(exc):
        return _unavailable(request, exc)
    return await _unexpected_error(request, exc)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)  # noqa: S101  # registered for it only
    if database_unavailable(exc):
        return _unavailable(request, exc)
    sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
    if isinstance(exc, IntegrityError) or sqlstate.startswith("23") or sqlstate in _RETRYABLE:
        # A constraint or a concurrent transaction caught what the service's checks did not.
        logger.warning("write conflict", extra={"path": request.url.path, "sqlstate": sqlstate})
        return problem_response(
            HTTPStatus.CONFLICT,
            "conflict",
            "The change conflicts with data saved meanwhile; nothing was saved. Retry.",
            instance=request.url.path,
        )
    if sqlstate.startswith("22"):
        # Class 22, data exception: a value the database cannot store (NUL, out of range…).
        return problem_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "invalid_value",
            "A value in the request cannot be stored (out of range or invalid characters).",
            instance=request.url.path,
        )
    return await _unexpected_error(request, exc)


_RETRYABLE = frozenset({"40001", "40P01"})  # serialization failure, deadlock


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", extra={"path": request.url.path})
    return problem_response(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "internal_error",
        "Something went wrong on our side; nothing was saved.",
        instance=request.url.path,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(OSError, _os_error)
    app.add_exception_handler(Exception, _unexpected_error)


# Declared on routes so that OpenAPI lists problem responses beside the success one
# (400: a body that cannot even be read, such as bytes that are not UTF-8; 413: a body over the
# size limit; 503: the database cannot be reached).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "content": {PROBLEM_JSON: {}},
        "description": HTTPStatus(status).phrase,
    }
    for status in (400, 401, 403, 404, 409, 412, 413, 422, 428, 503)
}
