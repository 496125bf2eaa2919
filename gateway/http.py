"""GraphQL over HTTP at the edge: the body's size bounded before it is read (pure ASGI), the
JSON's nesting before it is decoded, the response's media type chosen from `Accept`, and the
errors of requests that are not GraphQL at all answered as GraphQL errors."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.errors import ErrorCode
from kit.edge import BodySizeLimit

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_OPENING = frozenset(b"[{")


def json_nesting_exceeds(data: str | bytes, limit: int) -> bool:
    """Whether JSON text nests arrays and objects more than `limit` deep, found in linear time
    without decoding it (a decoder recurses once per level)."""
    raw = data.encode() if isinstance(data, str) else data
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for byte in _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in _OPENING else -1
        if depth > limit:
            return True
    return False


def response_media_type(accept: str | None) -> str:
    """`application/graphql-response+json` for a client that prefers it (or names it first
    among equals), `application/json` otherwise: older clients, no `Accept`, `*/*`."""
    chosen, chosen_q = JSON, 0.0
    for part in (accept or "").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if media.lower() not in (GRAPHQL_RESPONSE_JSON, JSON):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > chosen_q:
            chosen, chosen_q = media.lower(), q
    return chosen


def error_response(
    status: int,
    message: str,
    *,
    code: ErrorCode,
    media_type: str,
    extensions: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A request refused before any GraphQL work: a GraphQL error, without `data`."""
    error = {"message": message, "extensions": {"code": code, **(extensions or {})}}
    return Response(
        json.dumps({"errors": [error]}, separators=(",", ":")),
        status_code=status,
        media_type=media_type,
        headers=dict(headers) if headers else None,
    )


class BodyLimit(BodySizeLimit):
    """The kit's body limit, answering as GraphQL does: a `413` GraphQL response."""

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        response = error_response(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"The request body is larger than {self.max_bytes} bytes, the most allowed.",
            code=ErrorCode.PAYLOAD_TOO_LARGE,
            media_type=response_media_type(headers.get("accept")),
            extensions={"reason": "max_body_bytes", "limit": self.max_bytes},
            # The rest of the body is not read: the connection cannot carry another request.
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
