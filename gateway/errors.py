"""GraphQL errors with a stable `extensions.code`: the gateway's own, the services' refusals
translated, the request's own faults (parse, validation, limits, variables), and anything
unexpected masked (and logged) as INTERNAL_SERVER_ERROR; and the user errors mutations return
instead when the caller can fix their input."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from graphql import GraphQLError, GraphQLSyntaxError

from gateway.clients import (
    Conflict,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    Rejected,
    ServiceError,
    Unavailable,
)

logger = logging.getLogger("inspire.gateway")


class ErrorCode(StrEnum):
    """The values of `extensions.code`; clients branch on these, never on messages."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    CONFLICT = "CONFLICT"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # The limits every operation is held to (`INSPIRE_GATEWAY_MAX_…`), checked before it runs.
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    # A request that is not GraphQL over HTTP at all (no JSON, no query, too big).
    BAD_REQUEST = "BAD_REQUEST"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class GatewayError(Exception):
    """An error the gateway raises itself; `reason` is a finer, stable snake_case code."""

    code: ClassVar[ErrorCode]

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class Unauthenticated(GatewayError):
    code = ErrorCode.UNAUTHENTICATED


class BadUserInput(GatewayError):
    code = ErrorCode.BAD_USER_INPUT


_SERVICE_CODES: dict[type[ServiceError], ErrorCode] = {
    NotAuthenticated: ErrorCode.UNAUTHENTICATED,
    NotAllowed: ErrorCode.FORBIDDEN,
    NotFound: ErrorCode.NOT_FOUND,
    Conflict: ErrorCode.CONFLICT,
    Rejected: ErrorCode.BAD_USER_INPUT,
    Unavailable: ErrorCode.SERVICE_UNAVAILABLE,
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """What a mutation's error type shows when a service refused the change."""

    message: str
    code: str
    field: list[str] | None


def refusal(error: ServiceError, renames: Mapping[str, str] | None = None) -> Refusal | None:
    """The user error a mutation returns for a service's refusal, with the input field at
    fault (`body.cycle_id` → `["input", "cycleId"]`; `renames` maps body fields that the input
    names otherwise); None when the caller cannot fix it by changing the input (401, 5xx,
    timeouts), which stays a GraphQL error."""
    if not isinstance(error, NotAllowed | NotFound | Conflict | Rejected):
        return None
    if not error.fields:
        return Refusal(error.detail, error.code, None)
    first = error.fields[0]
    if first.field == "body":
        # A rule on the input as a whole (`one_reading`, `kind_required`): its own code says
        # more than `validation_failed`, and no single field is at fault.
        return Refusal(first.message, first.code, None)
    return Refusal(error.detail, error.code, _input_path(first.field, renames or {}))


class InvalidInput(Exception):
    """An input the gateway itself refuses (a malformed id, one of the wrong type)."""

    def __init__(self, refused: Refusal) -> None:
        super().__init__(refused.message)
        self.refusal = refused


T = TypeVar("T")
E = TypeVar("E")


async def mutate(
    error_type: Callable[..., E],
    change: Callable[[], Awaitable[T]],
    renames: Mapping[str, str] | None = None,
) -> T | E:
    """Every mutation's skeleton: `change` decodes the input's ids, calls the service and
    builds the payload; an input the gateway refuses (`InvalidInput`) or a refusal the caller
    can fix becomes `error_type` (`renames` as for `refusal`); anything else stays an error."""
    try:
        return await change()
    except InvalidInput as invalid:
        refused = invalid.refusal
    except ServiceError as error:
        found = refusal(error, renames)
        if found is None:
            raise
        refused = found
    return error_type(message=refused.message, code=refused.code, field=refused.field)


def _input_path(field: str, renames: Mapping[str, str]) -> list[str] | None:
    location, _, path = field.partition(".")
    if location != "body" or not path:
        return None
    first, *rest = path.split(".")
    return ["input", renames.get(first) or _camel(first), *rest]


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def limit_error(code: ErrorCode, message: str, *, reason: str, limit: int) -> GraphQLError:
    """A request refused for one of the gateway's limits, which the error names."""
    return GraphQLError(message, extensions={"code": code, "reason": reason, "limit": limit})


def _extensions(error: BaseException | None) -> dict[str, Any] | None:
    if isinstance(error, GatewayError):
        return {"code": error.code, "reason": error.reason}
    if isinstance(error, ServiceError):
        code = _SERVICE_CODES.get(type(error), ErrorCode.SERVICE_UNAVAILABLE)
        extensions: dict[str, Any] = {"code": code, "reason": error.code, "service": error.service}
        if isinstance(error, Unavailable) and error.retry_after is not None:
            extensions["retryAfter"] = error.retry_after
        return extensions
    return None


def _request_error_code(error: GraphQLError, *, executed: bool) -> ErrorCode:
    """What is wrong with a request that graphql-core refused before any field ran."""
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if executed:
        # After validation, only the variables can still be refused (a value of the wrong type,
        # a required one missing).
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.GRAPHQL_VALIDATION_FAILED


def _typed(error: GraphQLError, *, executed: bool) -> GraphQLError:
    original = error.original_error
    extensions = _extensions(original)
    if extensions is None and error.path is None and isinstance(original, GraphQLError | None):
        # Parse, validation, limit and variable errors: graphql-core's (or the limit's) message
        # says what is wrong; a limit's own code wins.
        code = _request_error_code(error, executed=executed)
        extensions = {"code": code, **(error.extensions or {})}
    elif extensions is None and original is None:
        extensions = {"code": ErrorCode.GRAPHQL_VALIDATION_FAILED, **(error.extensions or {})}
    if extensions is None:
        logger.error("unexpected error in %s", error.path, exc_info=original)
        return GraphQLError(
            "Something went wrong on our side.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR},
        )
    message = original.detail if isinstance(original, ServiceError) else error.message
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def typed_errors(errors: Sequence[GraphQLError], *, executed: bool) -> list[GraphQLError]:
    """Every error of a result with its `extensions.code` (and the unexpected masked);
    `executed` says whether execution began (else the document itself was refused)."""
    return [_typed(error, executed=executed) for error in errors]
