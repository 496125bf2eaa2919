"""What keeps a service cheap: reads without a transaction (and unable to write), and a feed
that wakes on PostgreSQL's notifications rather than polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import text, update
from sqlmodel import col

from kit.db import Database, ReadOnlyRequest
from kit.events import EventType, FeedEvent, record_event
from kit.feed import listen_for_commits
from tests.kit.toy import Member, create_toy_app
from tests.kit.toy_databases import add_member, toy_settings
from tests.support import Tokens

MakeDb = Callable[[], Awaitable[Database]]


class Ping(BaseModel):
    n: int


PING = EventType("ping", Ping, "A test event.")

# The same id for every statement of a transaction; a new one for a statement on its own.
_TRANSACTION_ID = text("SELECT txid_current()")


async def test_a_read_session_runs_each_statement_on_its_own(fresh_toy: MakeDb) -> None:
    database = await fresh_toy()

    async with database.reader() as session:
        reads = [await session.scalar(_TRANSACTION_ID) for _ in range(2)]
    async with database.sessionmaker() as session:
        writes = [await session.scalar(_TRANSACTION_ID) for _ in range(2)]

    assert reads[0] != reads[1]
    assert writes[0] == writes[1]


async def test_a_read_session_refuses_to_write(toy_db: Database) -> None:
    await add_member(toy_db, "alice@example.com")

    async with toy_db.reader() as session:
        session.add(Member(email="bob@example.com"))
        with pytest.raises(ReadOnlyRequest):
            await session.flush()
    async with toy_db.reader() as session:
        with pytest.raises(ReadOnlyRequest):
            await session.exec(update(Member).where(col(Member.email) == "alice@example.com"))


@pytest.mark.e2e
async def test_a_connection_the_server_closed_is_replaced_without_an_error(
    fresh_toy: MakeDb, pg_server: str, tokens: Tokens
) -> None:
    database = await fresh_toy()
    await add_member(database, "alice@example.com")
    app = create_toy_app(toy_settings(database.url.render_as_string(False)), database)
    alice = tokens.person("alice@example.com")

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://toy"
    ) as client:
        before = await client.get("/v1/notes", headers=alice)
        # The server ends the pooled connection, as a restart would.
        server = await asyncpg.connect(pg_server)
        try:
            await server.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                database.url.database,
            )
        finally:
            await server.close()
        await asyncio.sleep(0.2)
        after = await client.get("/v1/notes", headers=alice)

    assert (before.status_code, after.status_code) == (200, 200)


@pytest.fixture
async def listening(fresh_toy: MakeDb) -> AsyncIterator[Database]:
    """A fresh database whose commits of events are heard, as in a running service."""
    database = await fresh_toy()
    stop = asyncio.Event()
    heard = database.committed.armed()
    listener = asyncio.ensure_future(listen_for_commits(database, stop))
    await asyncio.wait_for(heard.wait(), timeout=10)  # set once it listens
    yield database
    stop.set()
    await listener


@pytest.mark.e2e
async def test_an_event_committed_by_another_process_wakes_the_long_poll(
    listening: Database, tokens: Tokens
) -> None:
    database = listening
    await add_member(database, "alice@example.com")
    app = create_toy_app(toy_settings(database.url.render_as_string(False)), database)
    # Another process: its own engine, nothing shared with the app but the database.
    other = Database(database.url.render_as_string(False), pool_size=1)
    loop = asyncio.get_running_loop()

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://toy"
    ) as client:
        started = loop.time()
        waiting = asyncio.ensure_future(
            client.get(
                "/internal/events", params={"after": 0, "wait": 20}, headers=tokens.service()
            )
        )
        await asyncio.sleep(0.3)
        async with other.sessionmaker() as session:
            await record_event(session, PING, Ping(n=7))
            await session.commit()
        response = await waiting
    await other.dispose()

    events = [FeedEvent.model_validate(e) for e in response.json()["events"]]
    assert [(e.position, e.payload["n"]) for e in events] == [(1, 7)]
    assert loop.time() - started < 5


@pytest.mark.e2e
async def test_a_rolled_back_event_wakes_nobody(listening: Database) -> None:
    database = listening
    heard = database.committed.armed()

    async with database.sessionmaker() as session:
        await record_event(session, PING, Ping(n=1))
        await session.rollback()

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(heard.wait(), timeout=0.5)
