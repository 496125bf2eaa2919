"""`Idempotency-Key` on POST: the same key and body replay the stored response; another body
is refused; a request still running answers 409. The key commits with the change it made.

Keys belong to the actor the directory resolved (a person's id, an integration's name), never
to a raw token claim; and a stored response is replayed only once the route's policy has let
this actor make the request, so a replay can never answer what a fresh request would refuse.

A route whose answer holds something shown once (a signing secret) declares it with
`redacted_on_replay(...)`: the stored answer, kept for a day, has those fields set to null, and a
replay names them in `Idempotent-Replay-Redacted` (the client gets a new one, e.g. by rotating)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlalchemy import DateTime, LargeBinary, delete, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, col
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, ActorDep
from kit.db import ReplayResponse, SessionDep
from kit.errors import Conflict, Unprocessable
from kit.models import KitModel, utcnow

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
REDACTED_HEADER = "Idempotent-Replay-Redacted"
RETENTION = timedelta(hours=24)
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
KEY_RULE = "An Idempotency-Key has 1 to 255 visible ASCII characters."


def is_valid_key(key: str) -> bool:
    """Whether `key` may be an Idempotency-Key (also checked by callers that forward one)."""
    return _VALID_KEY.match(key) is not None


class IdempotencyRecord(KitModel, table=True):
    __tablename__ = "idempotency_record"

    scope: str = Field(primary_key=True, max_length=300)
    key: str = Field(primary_key=True, max_length=255)
    fingerprint: str = Field(max_length=64)
    status_code: int
    headers: dict[str, str] = Field(sa_column=Column(JSONB, nullable=False))
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


_KEPT_HEADERS = ("content-type", "location", "etag")


async def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.url.path, request.url.query):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(await request.body())
    return digest.hexdigest()


def redacted_on_replay(*fields: str) -> Callable[[Request], None]:
    """A route dependency: the answer stored for replay has these top-level JSON `fields` set
    to null (never kept in clear), and a replay names them in `Idempotent-Replay-Redacted`."""

    def declare(request: Request) -> None:
        request.state.redacted_on_replay = fields

    return declare


def _redacted(body: bytes, fields: tuple[str, ...]) -> tuple[bytes, list[str]]:
    """`body` with `fields` nulled, and which of them it held."""
    try:
        document = json.loads(body)
    except ValueError:
        return b"", list(fields)
    if not isinstance(document, dict):
        return body, []
    held = [field for field in fields if document.get(field) is not None]
    for field in held:
        document[field] = None
    return json.dumps(document, separators=(",", ":")).encode(), held


def _scope(actor: Actor) -> str:
    if actor.person_id is not None:
        return f"person:{actor.person_id}"
    # Integrations and services have no directory entry: their verified, non-empty `sub` is
    # their identity (kit.auth refuses their tokens without one).
    if not actor.subject:
        raise ValueError(f"a {actor.role} actor without a subject has no idempotency scope")
    return f"{actor.role}:{actor.subject}"


def _replay_once_authorized(request: Request, response: Response) -> None:
    if getattr(request.state, "authorized", False):
        raise ReplayResponse(response)
    request.state.pending_replay = response


def authorized(request: Request) -> None:
    """Called by the policy check once this actor may make this request: only now may a stored
    response be replayed. The unit of work refuses to run an endpoint whose replay was never
    released this way."""
    request.state.authorized = True
    pending: Response | None = getattr(request.state, "pending_replay", None)
    if pending is not None:
        request.state.pending_replay = None
        raise ReplayResponse(pending)


async def idempotency_guard(request: Request, session: SessionDep, actor: ActorDep) -> None:
    """Route dependency of every POST; does nothing without the header."""
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return
    if not is_valid_key(key):
        raise Unprocessable(
            KEY_RULE,
            code="invalid_idempotency_key",
            field=f"header.{KEY_HEADER}",
        )
    scope = _scope(actor)
    fingerprint = await _fingerprint(request)
    # Held until this request's transaction ends; a twin arriving meanwhile must not wait.
    lock_id = int.from_bytes(hashlib.sha256(f"{scope}\n{key}".encode()).digest()[:8], signed=True)
    locked = await session.scalar(select(func.pg_try_advisory_xact_lock(lock_id)))
    if not locked:
        raise Conflict(
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            code="idempotency_in_progress",
        )
    await session.exec(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.scope) == scope,
            col(IdempotencyRecord.key) == key,
            col(IdempotencyRecord.created_at) < utcnow() - RETENTION,
        )
    )
    stored = await session.get(IdempotencyRecord, (scope, key))
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise Unprocessable(
                "This Idempotency-Key was used with a different request.",
                code="idempotency_key_reused",
                field=f"header.{KEY_HEADER}",
            )
        _replay_once_authorized(
            request,
            Response(
                content=stored.body,
                status_code=stored.status_code,
                headers={**stored.headers, REPLAYED_HEADER: "true"},
            ),
        )
        return

    async def remember(session: AsyncSession, response: Response) -> None:
        if response.status_code >= 500:
            return
        headers = {k: v for k, v in response.headers.items() if k in _KEPT_HEADERS}
        body = bytes(response.body)
        redacted: tuple[str, ...] = getattr(request.state, "redacted_on_replay", ())
        if redacted:
            body, held = _redacted(body, redacted)
            if held:
                headers[REDACTED_HEADER.lower()] = ", ".join(held)
        session.add(
            IdempotencyRecord(
                scope=scope,
                key=key,
                fingerprint=fingerprint,
                status_code=response.status_code,
                headers=headers,
                body=body,
            )
        )
        await session.flush()

    request.state.before_commit.append(remember)
