"""What every service client shares: the caller's token forwarded, answers parsed with the
service's contract models, problem+json and transport failures raised as typed exceptions."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar, Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from kit.errors import FieldError, Problem
from kit.idempotency import KEY_RULE, is_valid_key
from kit.pagination import Page

logger = logging.getLogger("inspire.gateway.clients")

M = TypeVar("M", bound=BaseModel)
B = TypeVar("B", bound=BaseModel)
T = TypeVar("T")
Params = list[tuple[str, str | int | float | bool | None]]


def id_params(name: str, ids: Sequence[uuid.UUID]) -> Params:
    """A batch read's repeated parameter: `?id=a&id=b`."""
    return [(name, str(id_)) for id_ in ids]


def page_params(limit: int, cursor: str | None) -> Params:
    return [("limit", limit)] + ([("cursor", cursor)] if cursor is not None else [])


@dataclass(frozen=True, slots=True)
class Children(Generic[T]):
    """How a service serves the children of many parents (`Objective.keyResults`): a grouped
    batch read at `grouped` (`?<parent>_id=a&<parent>_id=b&per_<parent>=N`), whose `answer`
    holds one of `groups` per parent (named by its `<parent>_id`), each continuing at the
    parent's own list, `own` (a format string of the parent's id), read as `page`s."""

    grouped: str
    answer: type[BaseModel]
    parent: str
    own: str
    page: type[Page[T]]


@dataclass(frozen=True, slots=True)
class Write(Generic[B, M]):
    """A change the service offers: `method` on `path` (a format string of the ids it takes),
    with a `B` as its body (`body` None: it takes none), answered with an `M`."""

    method: str
    path: str
    body: type[B] | None
    answer: type[M]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who the gateway acts for: their bearer token, forwarded as it came. The services decide
    what it allows; the gateway only checked its signature."""

    token: str
    # The languages the client asked for, passed on so that the services choose texts (an
    # assessment's questions, its recommendations) as they would for a direct call.
    accept_language: str | None = None

    def headers(self, *, idempotency_key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.accept_language is not None:
            headers["Accept-Language"] = self.accept_language
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        return headers


class ServiceError(Exception):
    """A service refused a request or could not answer it. Subclasses say which way; `code`
    is the service's stable problem code (`person_not_found`, `timeout`…)."""

    def __init__(
        self,
        service: str,
        *,
        status: int,
        code: str,
        detail: str,
        fields: Sequence[FieldError] = (),
    ) -> None:
        super().__init__(detail)
        self.service = service
        self.status = status
        self.code = code
        self.detail = detail
        self.fields = list(fields)


class NotAuthenticated(ServiceError):
    """401: the service does not know who the token names, or does not accept it."""


class NotAllowed(ServiceError):
    """403: the service knows the caller and refuses them this."""


class NotFound(ServiceError):
    """404: nothing there, or nothing the caller may know of."""


class Conflict(ServiceError):
    """409, 412, 428: a business rule or a concurrent change; nothing was saved."""


class Rejected(ServiceError):
    """400, 422 and other 4xx: the request itself was not valid (`fields` says where)."""


class Unavailable(ServiceError):
    """5xx, a timeout, a refused connection: the service could not answer (its database down:
    `database_unavailable`). `retry_after` is the service's `Retry-After`, in seconds."""

    def __init__(
        self,
        service: str,
        *,
        status: int,
        code: str,
        detail: str | None = None,
        fields: Sequence[FieldError] = (),
        retry_after: int | None = None,
    ) -> None:
        # The service's own words about its failure are for its logs; callers learn which
        # service failed and when to try again.
        detail = detail or f"The {service} service is unavailable right now; try again shortly."
        super().__init__(service, status=status, code=code, detail=detail, fields=fields)
        self.retry_after = retry_after


_BY_STATUS: dict[int, type[ServiceError]] = {
    HTTPStatus.UNAUTHORIZED: NotAuthenticated,
    HTTPStatus.FORBIDDEN: NotAllowed,
    HTTPStatus.NOT_FOUND: NotFound,
    HTTPStatus.CONFLICT: Conflict,
    HTTPStatus.PRECONDITION_FAILED: Conflict,
    HTTPStatus.PRECONDITION_REQUIRED: Conflict,
}


def _retry_after(response: httpx.Response) -> int | None:
    """`Retry-After` in seconds (its HTTP-date form is not one our services send)."""
    value = response.headers.get("retry-after", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _error_from(service: str, response: httpx.Response) -> ServiceError:
    status = response.status_code
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        try:
            code = Problem.model_validate_json(response.content).code
        except ValidationError:
            code = f"http_{status}"
        return Unavailable(service, status=status, code=code, retry_after=_retry_after(response))
    kind = _BY_STATUS.get(status, Rejected)
    try:
        problem = Problem.model_validate_json(response.content)
    except ValidationError:
        # Not our problem+json (a proxy's error page…): the status is all there is to go on.
        return kind(
            service,
            status=status,
            code=f"http_{status}",
            detail=f"The {service} service answered {status}.",
        )
    return kind(
        service,
        status=status,
        code=problem.code,
        detail=problem.detail or problem.title,
        fields=problem.errors or (),
    )


def _parse(model: type[M], content: bytes) -> M:
    # Answers are serialised by field name; a contract model read from the service's rows
    # under another name (`SignatureRead.signed_at` from `created_at`) must accept that name.
    return model.model_validate_json(content, by_name=True)


class ServiceClient:
    """Base of each service's client: one pooled `httpx.AsyncClient` per service per process,
    typed methods that return the service's own contract models."""

    service: ClassVar[str]

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def _get(
        self, caller: Caller, path: str, model: type[M], params: Params | None = None
    ) -> M:
        request = self.http.build_request("GET", path, params=params, headers=caller.headers())
        return _parse(model, (await self._send(request)).content)

    async def _by_ids(
        self, caller: Caller, path: str, page: type[Page[T]], ids: Sequence[uuid.UUID]
    ) -> list[T]:
        """A batch read by id (`?id=a&id=b`, at most 100): those the caller may see, the
        others (unknown or hidden) left out."""
        if not ids:
            return []
        return (await self._get(caller, path, page, id_params("id", ids))).items

    async def first_pages(
        self, caller: Caller, children: Children[T], parents: Sequence[uuid.UUID], per: int
    ) -> dict[uuid.UUID, Page[T]]:
        """The first page of the `children` of each of `parents` (at most 100), from one
        grouped batch read."""
        if not parents:
            return {}
        params = [*id_params(f"{children.parent}_id", parents), (f"per_{children.parent}", per)]
        found = await self._get(caller, children.grouped, children.answer, params)
        groups: list[Any] = getattr(found, "groups")  # noqa: B009 -- what every grouped read answers
        return {
            getattr(group, f"{children.parent}_id"): children.page(
                items=group.items, next_cursor=group.next_cursor
            )
            for group in groups
        }

    async def later_page(
        self, caller: Caller, children: Children[T], parent: uuid.UUID, limit: int, cursor: str
    ) -> Page[T]:
        """A page of the `children` of one parent after `cursor`, from the parent's own list."""
        path = children.own.format(parent)
        return await self._page(caller, path, children.page, limit, cursor)

    async def _page(
        self,
        caller: Caller,
        path: str,
        page: type[M],
        limit: int,
        cursor: str | None,
        **filters: uuid.UUID | str | None,
    ) -> M:
        """A page of a list, `limit` items after `cursor` (None: from the start), with the
        `filters` given (those not None)."""
        params = page_params(limit, cursor)
        params += [(name, str(value)) for name, value in filters.items() if value is not None]
        return await self._get(caller, path, page, params)

    async def write(
        self,
        caller: Caller,
        write: Write[B, M],
        *ids: uuid.UUID,
        body: B | None = None,
        idempotency_key: str | None = None,
        version: int | None = None,
    ) -> M:
        """One of the service's `Write`s, on the path its `ids` name."""
        path = write.path.format(*ids)
        return await self._write(
            write.method,
            caller,
            path,
            write.answer,
            body,
            idempotency_key=idempotency_key,
            version=version,
        )

    async def remove(
        self, caller: Caller, path: str, *ids: uuid.UUID, version: int | None = None
    ) -> None:
        """A removal (`DELETE`) of what the `ids` name in `path`, answered `204` with no body;
        `version` (the one read) becomes `If-Match`."""
        headers = caller.headers()
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        request = self.http.build_request("DELETE", path.format(*ids), headers=headers)
        await self._send(request)

    async def _write(
        self,
        method: str,
        caller: Caller,
        path: str,
        model: type[M],
        body: BaseModel | None,
        *,
        idempotency_key: str | None = None,
        version: int | None = None,
    ) -> M:
        """A write; `version` (the one the client read) becomes `If-Match`, so that a change
        made meanwhile is refused (`stale_version`) rather than overwritten."""
        if idempotency_key is not None and not is_valid_key(idempotency_key):
            # Refused here as the service would: such a key cannot even travel in a header.
            raise Rejected(
                self.service,
                status=HTTPStatus.UNPROCESSABLE_ENTITY,
                code="invalid_idempotency_key",
                detail=KEY_RULE,
                fields=[
                    FieldError(
                        field="idempotencyKey", message=KEY_RULE, code="invalid_idempotency_key"
                    )
                ],
            )
        headers = caller.headers(idempotency_key=idempotency_key)
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        content = None
        if body is not None:
            content = body.model_dump_json(exclude_unset=True)
            headers["Content-Type"] = "application/json"
        request = self.http.build_request(method, path, content=content, headers=headers)
        return _parse(model, (await self._send(request)).content)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self.http.send(request)
        except httpx.TimeoutException as exc:
            self._log_failure(request, "timeout")
            raise Unavailable(
                self.service, status=HTTPStatus.GATEWAY_TIMEOUT, code="timeout"
            ) from exc
        except httpx.RequestError as exc:
            # Refused or reset connections, and answers that cannot be read.
            self._log_failure(request, "unreachable")
            raise Unavailable(
                self.service, status=HTTPStatus.BAD_GATEWAY, code="unreachable"
            ) from exc
        if response.is_success:
            return response
        error = _error_from(self.service, response)
        if isinstance(error, Unavailable):
            self._log_failure(request, error.code, response.status_code)
        raise error

    def _log_failure(self, request: httpx.Request, reason: str, status: int | None = None) -> None:
        extra: dict[str, Any] = {
            "downstream": self.service,
            "path": request.url.path,
            "status": status,
        }
        logger.warning("downstream call failed: %s", reason, extra=extra)
