"""What needs real commits: commit failures, concurrent retries, the relay, long-polls and
consumers. Each test gets fresh databases with committed data."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from prometheus_client import REGISTRY
from pydantic import BaseModel
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.consumer import ConsumerOffset, FeedConsumer
from kit.db import Database
from kit.events import EventType, FeedEvent, OutboxEvent, record_event
from kit.feed import relay_once
from tests.conftest import AUTH, Tokens
from tests.kit.conftest import add_member, toy_settings
from tests.kit.toy import Note, create_toy_app

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
    app = create_toy_app(toy_settings(database.url.render_as_string(False)), database)
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

    def __init__(self, fail_on: int | None = None) -> None:
        self.fail_on = fail_on

    async def __call__(self, session: AsyncSession, event: FeedEvent) -> None:
        session.add(Note(title=f"applied {event.payload['n']}"))
        await session.flush()
        if event.payload["n"] == self.fail_on:
            raise RuntimeError("handler failed")


def _consumer(database: Database, client: httpx.AsyncClient, handler: _Applied) -> FeedConsumer:
    return FeedConsumer(
        name="toy-pings",
        service="consumer-test",
        database=database,
        client=client,
        auth=AUTH,
        handlers={"ping": handler},
        batch_size=5,
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

    with pytest.raises(RuntimeError):
        await consumer.poll()

    assert await _applied_titles(target) == ["applied 0"]
    assert await consumer.offset() == 1


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
