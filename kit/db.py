"""The engine per service and the unit of work: one transaction per request, committed before
the response leaves, so a failed commit can never answer 2xx."""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel.ext.asyncio.session import AsyncSession


def async_url(url: str) -> URL:
    """Any PostgreSQL URL, as SQLAlchemy's asyncpg dialect wants it."""
    parsed = make_url(url)
    if parsed.get_backend_name() not in {"postgresql", "postgres"}:
        raise ValueError("PostgreSQL is the only database Inspire runs on")
    return parsed.set(drivername="postgresql+asyncpg")


def plain_url(url: str | URL) -> str:
    """The URL as asyncpg itself takes it (no SQLAlchemy driver suffix)."""
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


# --- When the database is away ----------------------------------------------------------------

logger = logging.getLogger("inspire.db")

# SQLSTATEs that say the server is not there for us: connection exceptions (08), shut down or
# restarting (57P01 to 57P04), too many connections (53300), our database gone (3D000).
_UNAVAILABLE_CLASSES = ("08",)
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "57P04", "53300", "3D000"})
# Seconds a client should wait before retrying, and between two warnings in the log.
RETRY_AFTER_SECONDS = 5
WARNING_INTERVAL_SECONDS = 30.0


def _raised_by_driver(exc: BaseException) -> bool:
    return any(
        "/sqlalchemy/" in frame.filename or "/asyncpg/" in frame.filename
        for frame in traceback.extract_tb(exc.__traceback__)
    )


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached (refused, dropped, terminated, shut
    down), rather than that a statement failed."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
        return sqlstate.startswith(_UNAVAILABLE_CLASSES) or sqlstate in _UNAVAILABLE_STATES
    # Connecting fails with the socket's own error (refused, unknown host, timed out).
    return isinstance(exc, OSError) and _raised_by_driver(exc)


class OutageLog:
    """One WARNING line, no traceback, and at most one per interval: an outage must not bury
    the log under a traceback per request (each request still has its own log line)."""

    def __init__(self) -> None:
        self._last = -WARNING_INTERVAL_SECONDS

    def warn(self, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._last < WARNING_INTERVAL_SECONDS:
            return
        self._last = now
        sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
        logger.warning(
            "database unavailable; requests answer 503 until it is back",
            extra={"error": type(exc).__name__, "sqlstate": sqlstate},
        )


class Database:
    """An engine and a session factory; tests bind it to one connection to roll back."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = async_url(url)
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            # A failed statement's error (logged with its traceback) would otherwise carry the
            # values bound to it: emails, names, the words of feedback.
            hide_parameters=True,
        )
        self.sessionmaker = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        # Set after each commit that may have written outbox rows; the relay waits on it.
        self.committed = asyncio.Event()
        self.outages = OutageLog()

    def bind(self, connection: AsyncConnection) -> None:
        """Run every session inside `connection`'s transaction (commits become savepoints)."""
        self.sessionmaker = async_sessionmaker(
            bind=connection,
            class_=AsyncSession,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class ReplayResponse(Exception):  # a control-flow signal, not an error
    """Raised before the endpoint runs to answer with a response stored earlier."""

    def __init__(self, response: Response) -> None:
        super().__init__("replay")
        self.response = response


AfterWork = Callable[[AsyncSession, Response], Awaitable[None]]


class UnitOfWorkRoute(APIRoute):
    """Route class of every service router: opens the request's session, runs the endpoint,
    lets `request.state.before_commit` hooks see the response, then commits and answers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run_in_transaction(request: Request) -> Response:
            database: Database = request.app.state.database
            async with database.sessionmaker() as session:
                request.state.session = session
                request.state.before_commit = []
                try:
                    response = await handler(request)
                    if getattr(request.state, "pending_replay", None) is not None:
                        # No policy check released the stored response: the endpoint ran
                        # unauthorized. Keep nothing of it.
                        raise RuntimeError(f"{self.path}: idempotent replay without a policy")
                except ReplayResponse as replay:
                    await session.rollback()
                    return replay.response
                except BaseException as exc:
                    await _roll_back(session, exc)
                    raise
                hooks: list[AfterWork] = request.state.before_commit
                try:
                    for hook in hooks:
                        await hook(session, response)
                    await session.commit()
                except BaseException as exc:
                    await _roll_back(session, exc)
                    raise
            database.committed.set()
            return response

        return run_in_transaction


async def _roll_back(session: AsyncSession, failure: BaseException) -> None:
    try:
        await session.rollback()
    except Exception:
        # With the connection gone the rollback fails too: the first failure is the story.
        if not database_unavailable(failure):
            raise


def get_session(request: Request) -> AsyncSession:
    session: AsyncSession = request.state.session
    return session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
