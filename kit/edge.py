"""What a request may bring before a route reads it: a body up to a size (checked by a plain
ASGI middleware, for the services and the gateway alike), and only the query parameters the
route declares; and path segments typed so that `/people/me` never reaches `/people/{id}`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.errors import problem_response

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(StarletteHTTPException):
    """Raised while the body is read, once it has grown past the limit (a chunked body has
    no `Content-Length` to refuse it by)."""

    code = "body_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes, the most taken.")


class BodySizeLimit:
    """Answers 413 problem+json to a body larger than `max_bytes`: at once when its
    `Content-Length` says so, else as soon as the bytes read pass it, before anything parses
    them. Pure ASGI, so it streams nothing twice: `app.add_middleware(BodySizeLimit,
    max_bytes=N)` on any Starlette or FastAPI app. A subclass answers in another shape by
    overriding `refuse`."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self.refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            # A FastAPI app renders it through its own handlers; anything else lets it out.
            if started:
                raise
            await self.refuse(scope, receive, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = BodyTooLarge(self.max_bytes)
        response = problem_response(
            error.status_code, error.code, error.detail, instance=scope.get("path")
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# --- Query strings -----------------------------------------------------------------------------


def _all(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _all(sub)


def _query_names(dependant: Dependant) -> frozenset[str]:
    names: set[str] = set()
    for param in (param for each in _all(dependant) for param in each.query_params):
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            # A model taken as the query string (`Annotated[Model, Query()]`): its fields.
            names |= {info.alias or name for name, info in annotation.model_fields.items()}
        else:
            names.add(param.alias)
    return frozenset(names)


_DECLARED = "_inspire_declared_query"


def _declared_query(route: Any) -> frozenset[str]:
    declared: frozenset[str] | None = getattr(route, _DECLARED, None)
    if declared is None:
        dependant = getattr(route, "dependant", None)
        declared = _query_names(dependant) if isinstance(dependant, Dependant) else frozenset()
        # Kept on the route (routes are not hashable): computed once, on its first request.
        setattr(route, _DECLARED, declared)
    return declared


async def refuse_unknown_query(request: Request) -> None:
    """A dependency: a query parameter the route does not declare is refused (422
    `extra_forbidden`), so that a misspelt filter, or an order the API does not offer, is never
    silently ignored. Put after a route's own checks: a more specific refusal wins."""
    allowed = _declared_query(request.scope.get("route"))
    errors = [
        {
            "type": "extra_forbidden",
            "loc": ("query", name),
            "msg": "This parameter is not one the route takes",
            "input": value,
        }
        for name, value in request.query_params.multi_items()
        if name not in allowed
    ]
    if errors:
        raise RequestValidationError(errors)


# --- Paths -------------------------------------------------------------------------------------

_PATH_PARAM = re.compile(r"{(\w+)}")


def typed_path(path: str, endpoint: Callable[..., Any]) -> str:
    """`path` with each id parameter matched as a UUID (`{person_id}` → `{person_id:uuid}`),
    so that a literal segment beside it (`/people/me`, `/alignments/children`) never falls
    into the id's route, and a method it lacks is 405 with its own `Allow`."""
    dependants = _all(get_dependant(path=path, call=endpoint))
    params = (param for dependant in dependants for param in dependant.path_params)
    ids = {param.alias for param in params if param.field_info.annotation is uuid.UUID}
    return _PATH_PARAM.sub(
        lambda match: f"{{{match[1]}:uuid}}" if match[1] in ids else match[0], path
    )
