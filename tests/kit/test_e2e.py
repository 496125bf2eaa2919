"""What needs real commits: commit failures, concurrent retries, the relay, long-polls and
consumers. Each test gets fresh databases with committed data."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from prometheus_client import REGISTRY
from pydantic import BaseModel
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.consumer import (
    ConsumerOffset,
    FeedConsumer,
    Holds,
    await_retry,
    list_parked,
    request_retry,
)
from kit.db import Database
from kit.events import EventType, FeedEvent, OutboxEvent, record_event
from kit.feed import relay_once
from tests.kit.toy import Note
from tests.kit.toy_databases import add_member, toy_app
from tests.support import AUTH, Tokens

pytestmark = pytest.mark.e2e

MakeDb = Callable[[], Awaitable[Database]]


class Ping(BaseModel):
    n: int


PING = EventType("ping", Ping, "A test event.")


@pytest.fixture
async def toy(
    fresh_toy: MakeDb, tokens: Tokens
) -> AsyncIterator[tuple[Database, httpx.AsyncClient]]:
    database = await fresh_toy()
    await add_member(database, "alice@example.com")
    app = toy_app(database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
        yield database, client


async def test_a_failing_commit_never_answers_2xx(
    toy: tuple[Database, httpx.AsyncClient], tokens: Tokens
) -> None:
    database, client = toy
    alice = tokens.person("alice@example.com")
    await client.post("/v1/notes", json={"title": "same"}, headers=alice)

    # The unique constraint is deferred: the insert flushes fine and the COMMIT fails.
    second = await client.post("/v1/notes", json={"title": "same"}, headers=alice)

    assert second.status_code == 409
    async with database.sessionmaker() as session:
        notes = await session.scalar(select(func.count()).select_from(Note))
        events = await session.scalar(select(func.count()).select_from(OutboxEvent))
    assert (notes, events) == (1, 1)


async def test_a_retry_while_the_first_is_running_gets_409_then_the_replay(
    toy: tuple[Database, httpx.AsyncClient], tokens: Tokens
) -> None:
    _, client = toy
    headers = {**tokens.person("alice@example.com"), "Idempotency-Key": "slow-1"}
    body = {"title": "slow", "delay": 0.5}

    first = asyncio.ensure_future(client.post("/v1/notes", json=body, headers=headers))
    await asyncio.sleep(0.2)
    meanwhile = await client.post("/v1/notes", json=body, headers=headers)
    done = await first
    later = await client.post("/v1/notes", json=body, headers=headers)

    assert (meanwhile.status_code, meanwhile.json()["code"]) == (409, "idempotency_in_progress")
    assert done.status_code == 201
    assert (later.status_code, later.json()) == (201, done.json())


async def _record(database: Database, n: int) -> None:
    async with database.sessionmaker() as session:
        await record_event(session, PING, Ping(n=n))
        await session.commit()


async def _feed(
    client: httpx.AsyncClient, tokens: Tokens, after: int, wait: float = 0
) -> list[FeedEvent]:
    response = await client.get(
        "/internal/events", params={"after": after, "wait": wait}, headers=tokens.service()
    )
    assert response.status_code == 200, response.text
    return [FeedEvent.model_validate(e) for e in response.json()["events"]]


async def test_an_event_committed_late_is_still_seen_after_later_ones(
    toy: tuple[Database, httpx.AsyncClient], tokens: Tokens
) -> None:
    database, client = toy
    # Given a transaction that records an event first but commits last
    late: AsyncSession = database.sessionmaker()
    await record_event(late, PING, Ping(n=1))
    await _record(database, 2)

    # When a reader takes everything up to now, and only then the late one commits
    first_read = await _feed(client, tokens, after=0)
    await late.commit()
    await late.close()
    second_read = await _feed(client, tokens, after=first_read[-1].position)

    # Then the reader sees it after what it already has: no gap, nothing skipped
    assert [(e.payload["n"], e.position) for e in first_read] == [(2, 1)]
    assert [(e.payload["n"], e.position) for e in second_read] == [(1, 2)]


async def test_relays_from_several_replicas_give_gap_free_positions(
    toy: tuple[Database, httpx.AsyncClient], tokens: Tokens
) -> None:
    database, client = toy

    async def write_and_relay(n: int) -> None:
        await _record(database, n)
        await relay_once(database)

    await asyncio.gather(*(write_and_relay(n) for n in range(40)))
    while await relay_once(database):
        pass

    events = await _feed(client, tokens, after=0)
    assert [e.position for e in events] == list(range(1, 41))
    assert sorted(e.payload["n"] for e in events) == list(range(40))


async def test_long_poll_returns_when_an_event_commits(
    toy: tuple[Database, httpx.AsyncClient], tokens: Tokens
) -> None:
    database, client = toy
    loop = asyncio.get_running_loop()
    started = loop.time()

    waiting = asyncio.ensure_future(_feed(client, tokens, after=0, wait=5))
    await asyncio.sleep(0.3)
    await _record(database, 7)
    database.committed.set()
    events = await waiting

    assert [e.payload["n"] for e in events] == [7]
    assert loop.time() - started < 3


async def test_long_poll_ends_empty_after_its_wait(
    toy: tuple[Database, httpx.AsyncClient], tokens: Tokens
) -> None:
    _, client = toy
    response = await client.get(
        "/internal/events", params={"after": 0, "wait": 0.3}, headers=tokens.service()
    )

    assert response.json() == {"events": [], "last_position": 0, "head_position": 0}


class _Applied:
    """The consumer's side effect: a row per applied event, in the consumer's database."""

    def __init__(self, fail_on: int | None = None, failures: int = 10**6) -> None:
        self.fail_on = fail_on
        self.failures = failures

    async def __call__(self, session: AsyncSession, event: FeedEvent) -> None:
        session.add(Note(title=f"applied {event.payload['n']}"))
        await session.flush()
        if event.payload["n"] == self.fail_on and self.failures > 0:
            self.failures -= 1
            raise RuntimeError("ada@example.com is someone's email")


def _consumer(
    database: Database,
    client: httpx.AsyncClient,
    handler: _Applied,
    max_attempts: int = 1,
    holds: Holds | None = None,
) -> FeedConsumer:
    return FeedConsumer(
        name="toy-pings",
        service="consumer-test",
        feed="toy",
        database=database,
        client=client,
        auth=AUTH,
        handlers={"ping": handler},
        batch_size=5,
        max_attempts=max_attempts,
        retry_delay=0.01,
        holds=holds,
    )


async def _applied_titles(database: Database) -> list[str]:
    async with database.sessionmaker() as session:
        return sorted((await session.exec(select(Note.title))).all())


async def test_consumer_replicas_apply_each_event_exactly_once(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    source, client = toy
    target = await fresh_toy()
    for n in range(12):
        await _record(source, n)
    replicas = [_consumer(target, client, _Applied()) for _ in range(3)]

    for _ in range(4):
        await asyncio.gather(*(replica.poll() for replica in replicas))

    assert await _applied_titles(target) == sorted(f"applied {n}" for n in range(12))
    assert await replicas[0].offset() == 12
    assert await replicas[0].lag() == 0


async def test_a_replayed_event_is_not_applied_twice(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    source, client = toy
    target = await fresh_toy()
    await _record(source, 1)
    consumer = _consumer(target, client, _Applied())
    await consumer.poll()
    [event] = (await consumer.fetch(0)).events

    # An operator rewinds the offset: the event comes again and must not be applied again.
    async with target.sessionmaker() as session:
        offset = await session.get(ConsumerOffset, "toy-pings")
        assert offset is not None
        offset.position = 0
        session.add(offset)
        await session.commit()
    applied_again = await consumer.apply(event)

    assert applied_again is False
    assert await _applied_titles(target) == ["applied 1"]


async def test_a_failing_handler_leaves_nothing_half_done(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    source, client = toy
    target = await fresh_toy()
    for n in range(3):
        await _record(source, n)
    consumer = _consumer(target, client, _Applied(fail_on=1))

    await consumer.poll()

    # The failed attempt's own write is gone with it; the events around it are applied
    assert await _applied_titles(target) == ["applied 0", "applied 2"]
    assert await consumer.offset() == 3


async def test_an_event_that_always_fails_is_parked_and_the_next_ones_flow(
    toy: tuple[Database, httpx.AsyncClient],
    fresh_toy: MakeDb,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a feed whose second event the handler can never apply
    source, client = toy
    target = await fresh_toy()
    for n in range(4):
        await _record(source, n)
    consumer = _consumer(target, client, _Applied(fail_on=1), max_attempts=3)
    labels = {"service": "consumer-test", "consumer": "toy-pings"}

    # When the consumer reads the feed
    with caplog.at_level(logging.INFO, logger="inspire.consumer"):
        applied = await consumer.poll()

    # Then it tried that event three times, parked it, and applied the others
    assert applied == 3
    assert await _applied_titles(target) == ["applied 0", "applied 2", "applied 3"]
    assert await consumer.offset() == 4
    [parked] = await list_parked(target)
    assert (parked.consumer, parked.feed, parked.position, parked.event_type) == (
        "toy-pings",
        "toy",
        2,
        "ping",
    )
    assert parked.attempts == 3
    assert parked.error.startswith("RuntimeError in __call__ (test_e2e.py:")
    # And neither the table nor the log repeats the exception's words
    assert "ada@example.com" not in parked.error
    assert "ada@example.com" not in caplog.text
    assert REGISTRY.get_sample_value("inspire_consumer_parked_events", labels) == 1
    [error] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert error.getMessage() == "event parked after failing every attempt"
    assert error.__dict__["position"] == 2
    retries = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert [record.__dict__["attempt"] for record in retries] == [1, 2]


async def test_a_handler_that_fails_once_is_retried_not_parked(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    source, client = toy
    target = await fresh_toy()
    for n in range(2):
        await _record(source, n)
    consumer = _consumer(target, client, _Applied(fail_on=1, failures=1), max_attempts=3)

    await consumer.poll()

    assert await _applied_titles(target) == ["applied 0", "applied 1"]
    assert await list_parked(target) == []


class _ByParity:
    """Toy entities: even and odd pings; a parked one closes its side (a row says so)."""

    def entity_of(self, event: FeedEvent) -> str | None:
        return "even" if event.payload["n"] % 2 == 0 else "odd"

    async def hold(self, session: AsyncSession, entity: str) -> None:
        session.add(Note(title=f"closed {entity}"))
        await session.flush()

    async def release(self, session: AsyncSession, entity: str) -> None:
        closed = (await session.exec(select(Note).where(Note.title == f"closed {entity}"))).one()
        await session.delete(closed)
        await session.flush()


async def test_later_events_of_a_parked_entity_wait_behind_it_until_replayed(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    # Given pings 0-5, where ping 2 (even) cannot be applied yet
    source, client = toy
    target = await fresh_toy()
    for n in range(6):
        await _record(source, n)
    handler = _Applied(fail_on=2)
    consumer = _consumer(target, client, handler, holds=_ByParity())

    # When the consumer reads the feed
    while await consumer.poll():
        pass

    # Then the odd ones are applied; the even ones after 2 wait behind it, and the even side
    # is closed
    assert await _applied_titles(target) == sorted(
        ["applied 0", "applied 1", "applied 3", "applied 5", "closed even"]
    )
    parked = await list_parked(target)
    assert [(row.position, row.entity, row.attempts) for row in parked] == [
        (3, "even", 1),
        (5, "even", 0),
    ]
    assert parked[1].error == "waits behind the parked event at position 3"

    # When the cause is fixed and an operator asks for a replay
    handler.failures = 0
    requested = await request_retry(target)
    await consumer.poll()
    outcome = await await_retry(target, requested, wait_seconds=1)

    # Then both are applied in order, the even side is open again, nothing is parked
    assert [row.position for row in outcome.replayed] == [3, 5]
    assert await _applied_titles(target) == sorted(f"applied {n}" for n in range(6))
    assert await list_parked(target) == []
    assert await consumer.measure_parked() == 0


async def test_a_replay_that_fails_again_stays_parked_with_its_followers(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    source, client = toy
    target = await fresh_toy()
    for n in (0, 2):
        await _record(source, n)
    consumer = _consumer(target, client, _Applied(fail_on=0), holds=_ByParity())
    await consumer.poll()

    requested = await request_retry(target)
    await consumer.poll()
    outcome = await await_retry(target, requested, wait_seconds=1)

    assert outcome.replayed == []
    assert [(row.position, row.attempts) for row in outcome.still_parked] == [(1, 2), (2, 0)]
    assert outcome.pending == []
    assert await _applied_titles(target) == ["closed even"]


async def test_run_follows_the_feed_until_stopped(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    source, client = toy
    target = await fresh_toy()
    consumer = _consumer(target, client, _Applied())
    stop = asyncio.Event()
    running = asyncio.ensure_future(consumer.run(stop, wait=0.5))

    await _record(source, 5)
    for _ in range(50):
        if await _applied_titles(target):
            break
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(running, timeout=5)

    assert await _applied_titles(target) == ["applied 5"]


async def test_consumer_lag_is_measured_against_the_feed_head(
    toy: tuple[Database, httpx.AsyncClient], fresh_toy: MakeDb
) -> None:
    source, client = toy
    target = await fresh_toy()
    for n in range(12):
        await _record(source, n)
    consumer = _consumer(target, client, _Applied())
    labels = {"service": "consumer-test", "consumer": "toy-pings"}

    await consumer.poll()
    behind = REGISTRY.get_sample_value("inspire_consumer_lag_events", labels)
    while await consumer.poll():
        pass

    assert behind == 12 - 5
    assert REGISTRY.get_sample_value("inspire_consumer_lag_events", labels) == 0
    assert await consumer.lag() == 0
