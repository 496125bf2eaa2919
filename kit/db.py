"""The engine per service and the unit of work: one transaction per request that may write,
committed before the response leaves, so a failed commit can never answer 2xx; a read (GET,
HEAD) runs its statements without a transaction, so it costs no `BEGIN` and no `COMMIT`."""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, UOWTransaction
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session
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


class Wakeup:
    """A signal any number of tasks wait on without losing one: take `armed()` before looking
    for work, then wait on it; a `set()` in between has already set what you hold."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def armed(self) -> asyncio.Event:
        return self._event

    def set(self) -> None:
        self._event.set()
        self._event = asyncio.Event()


class ReadOnlyRequest(RuntimeError):
    """A GET or HEAD tried to write: its statements run without a transaction, so a write
    would be committed at once, half done if anything failed after it."""


class _ReadOnlySyncSession(Session):
    pass


@event.listens_for(_ReadOnlySyncSession, "do_orm_execute")
def _refuse_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReadOnlyRequest("a read-only request executed INSERT, UPDATE or DELETE")


@event.listens_for(_ReadOnlySyncSession, "before_flush")
def _refuse_flush(session: Session, context: UOWTransaction, instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyRequest("a read-only request flushed changes")


class ReadSession(AsyncSession):
    """The session of a read-only request: autocommit, and refusing writes."""

    sync_session_class = _ReadOnlySyncSession


_NOTIFY_KEY = "inspire.notify_on_commit"


async def notify_on_commit(session: AsyncSession, channel: str) -> None:
    """`NOTIFY channel` when the session's transaction commits (PostgreSQL delivers it then,
    and not at all on rollback); sent once per transaction."""
    transaction = session.sync_session.get_transaction()
    if session.info.get(_NOTIFY_KEY) is transaction:
        return
    await session.scalar(select(func.pg_notify(channel, "")))
    session.info[_NOTIFY_KEY] = transaction


def _notified(session: AsyncSession) -> bool:
    return session.info.pop(_NOTIFY_KEY, None) is not None


def _refuse_closed(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
    """A connection the server closed while it sat in the pool (a restart, a terminated
    backend) is replaced before use, without a round trip: asyncpg saw the socket close."""
    driver = record.driver_connection
    if driver is not None and driver.is_closed():
        raise DisconnectionError("closed by the server while idle")


class Database:
    """An engine and two session factories (`sessionmaker` for work that writes, `reader` for
    reads, without a transaction); tests bind both to one connection to roll back."""

    def __init__(self, url: str, *, pool_size: int = 20, max_overflow: int = 0) -> None:
        self.url = async_url(url)
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            # Sized to the concurrency a process serves, without overflow: an overflow
            # connection is closed as soon as it is returned, so a steady load above the pool
            # opened and closed one per request. No pre-ping either (a `BEGIN; ROLLBACK` before
            # every checkout): a connection the server closed is replaced on checkout
            # (`_refuse_closed`); one that dies silently fails its statement, which answers
            # 503 and invalidates the pool (every older connection is replaced).
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_recycle=3600,
            # A failed statement's error (logged with its traceback) would otherwise carry the
            # values bound to it: emails, names, the words of feedback.
            hide_parameters=True,
        )
        event.listen(self.engine.sync_engine, "checkout", _refuse_closed)
        self.sessionmaker = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.reader = async_sessionmaker(
            self._autocommit, class_=ReadSession, expire_on_commit=False
        )
        # Set when outbox rows may have been committed or positioned: after a commit of this
        # process that wrote events, and on every `NOTIFY` the listener receives.
        self.committed = Wakeup()
        self.outages = OutageLog()

    def bind(self, connection: AsyncConnection) -> None:
        """Run every session inside `connection`'s transaction (commits become savepoints)."""
        self.sessionmaker = async_sessionmaker(
            bind=connection,
            class_=AsyncSession,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )
        self.reader = async_sessionmaker(
            bind=connection,
            class_=ReadSession,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )

    async def ping(self) -> None:
        # One statement, no `BEGIN`/`ROLLBACK` around it: readiness probes come often.
        async with self._autocommit.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class ReplayResponse(Exception):  # a control-flow signal, not an error
    """Raised before the endpoint runs to answer with a response stored earlier."""

    def __init__(self, response: Response) -> None:
        super().__init__("replay")
        self.response = response


AfterWork = Callable[[AsyncSession, Response], Awaitable[None]]


READ_METHODS = frozenset({"GET", "HEAD"})


class UnitOfWorkRoute(APIRoute):
    """Route class of every service router: opens the request's session, runs the endpoint,
    lets `request.state.before_commit` hooks see the response, then commits and answers. A
    GET or HEAD gets a read session instead: its commit and rollback cost nothing."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run_in_transaction(request: Request) -> Response:
            database: Database = request.app.state.database
            factory = database.reader if request.method in READ_METHODS else database.sessionmaker
            async with factory() as session:
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
                if _notified(session):
                    # The relay of this process need not wait for the NOTIFY to come back.
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
    """The request's session, for code that holds the request (a dependency takes `SessionDep`)."""
    session: AsyncSession = request.state.session
    return session


async def _request_session(request: Request) -> AsyncSession:
    # Async, so that FastAPI does not hand it to the thread pool on every request.
    return get_session(request)


SessionDep = Annotated[AsyncSession, Depends(_request_session)]
