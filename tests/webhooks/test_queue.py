"""The dispatcher on the service's own tables, against a real receiver: a receiver down and
back, a dispatcher killed mid-delivery, two dispatchers on one database, a lease run out,
messages given up on and endpoints disabled, a rotation's two signatures, and the SSRF guard
at delivery. The retry clock is the tests'."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import Response
from sqlmodel import col, func, select
from standardwebhooks import Webhook, WebhookVerificationError

from kit.auth import Actor, Role
from kit.db import Database
from kit.events import OutboxEvent
from services.webhooks import service
from services.webhooks.delivery.dispatch import Dispatcher
from services.webhooks.delivery.schedule import ATTEMPTS, SCHEDULE, settle
from services.webhooks.delivery.sender import Sender, delivery_client
from services.webhooks.delivery.ssrf import AllowList, Guard
from services.webhooks.models import Attempt, Message, Subscription
from services.webhooks.queue import PostgresQueue
from services.webhooks.vault import new_secret, shown
from tests.support import served
from tests.webhooks.delivery.support import Clock, Pointed, Received, Receiver
from tests.webhooks.support import VAULT, publish, subscribe

pytestmark = pytest.mark.e2e

LOCAL = Guard(allow=AllowList.parse(["127.0.0.1"]))
LEASE = timedelta(seconds=30)


@pytest.fixture
async def database(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("webhooks"), pool_size=4)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def sender(clock: Clock) -> AsyncIterator[Sender]:
    async with delivery_client(LOCAL) as client:
        yield Sender(client, clock=clock, timeout=2.0)


def dispatcher(
    database: Database, sender: Sender, clock: Clock, concurrency: int = 8
) -> Dispatcher:
    return Dispatcher(
        PostgresQueue(database, VAULT, clock),
        sender,
        concurrency=concurrency,
        lease=LEASE,
        draw=lambda: 0.5,
    )


def caught_up(clock: Clock) -> None:
    """Bring the tests' clock to the real time, at which the messages were queued."""
    clock.now = max(clock.now, datetime.now(UTC))


async def messages(database: Database) -> dict[str, Message]:
    async with database.sessionmaker() as session:
        rows = (await session.exec(select(Message))).all()
    return {str(row.id): row for row in rows}


async def attempts(database: Database) -> Counter[str]:
    """How many attempts each message's delivery log holds."""
    async with database.sessionmaker() as session:
        rows = (await session.exec(select(Attempt.message_id))).all()
    return Counter(str(row) for row in rows)


async def endpoint(database: Database, subscription_id: uuid.UUID) -> Subscription:
    async with database.sessionmaker() as session:
        row = await session.get(Subscription, subscription_id)
    assert row is not None
    return row


async def outbox(database: Database) -> list[OutboxEvent]:
    async with database.sessionmaker() as session:
        return list((await session.exec(select(OutboxEvent).order_by(col(OutboxEvent.seq)))).all())


def down_until(up: asyncio.Event) -> Callable[[Received], Response]:
    def reply(_: Received) -> Response:
        return Response(status_code=204 if up.is_set() else 503)

    return reply


async def test_a_receiver_down_then_back_receives_every_event(
    database: Database, sender: Sender, clock: Clock
) -> None:
    up = asyncio.Event()
    receiver = Receiver(reply=down_until(up))
    async with served(receiver.app()) as base:
        subscription, secret = await subscribe(database, f"{base}/hooks")
        await publish(database, 12)
        caught_up(clock)
        work = dispatcher(database, sender, clock)

        await work.drain()
        failing = await endpoint(database, subscription.id)
        clock.advance(SCHEDULE[1])
        await work.drain()
        clock.advance(SCHEDULE[2] - timedelta(seconds=1))
        await work.drain()
        early = len(receiver.received)
        up.set()
        clock.advance(timedelta(seconds=1))
        await work.drain()

    queued = await messages(database)
    assert early == 24
    assert {m.status for m in queued.values()} == {"delivered"}
    assert await attempts(database) == dict.fromkeys(queued, 3)
    assert Counter(receiver.ids()) == dict.fromkeys(queued, 3)
    assert failing.failing_since == clock.now - SCHEDULE[1] - SCHEDULE[2]
    assert (await endpoint(database, subscription.id)).failing_since is None
    # The first attempts were signed at the real time (the last ones, minutes ahead of it,
    # are refused by any receiver's clock check); every attempt sends the same bytes.
    first = {seen.headers["webhook-id"]: seen for seen in receiver.received[:12]}
    for seen in first.values():
        assert Webhook(secret).verify(seen.body, seen.headers)["type"] == "person.created"
    assert all(seen.body == first[seen.headers["webhook-id"]].body for seen in receiver.received)


async def test_a_dispatcher_killed_mid_delivery_loses_nothing(
    database: Database, sender: Sender, clock: Clock
) -> None:
    gate = asyncio.Event()
    receiver = Receiver(gate=gate)
    async with served(receiver.app()) as base:
        await subscribe(database, f"{base}/hooks")
        await publish(database, 5)
        caught_up(clock)
        killed = asyncio.create_task(dispatcher(database, sender, clock).run())
        async with asyncio.timeout(5):
            while len(receiver.received) < 5:  # noqa: ASYNC110  # the server's state
                await asyncio.sleep(0.01)
        killed.cancel()
        with pytest.raises(asyncio.CancelledError):
            await killed
        gate.set()
        survivor = dispatcher(database, sender, clock)

        await survivor.drain()
        held = {m.status for m in (await messages(database)).values()}
        clock.advance(LEASE)
        await survivor.drain()

    queued = await messages(database)
    assert held == {"delivering"}
    assert {m.status for m in queued.values()} == {"delivered"}
    assert await attempts(database) == dict.fromkeys(queued, 1)
    assert Counter(receiver.ids()) == dict.fromkeys(queued, 2)


async def test_two_dispatchers_never_make_the_same_attempt(
    database: Database, clock: Clock
) -> None:
    receiver = Receiver(delay=0.02)
    other = Database(database.url.render_as_string(hide_password=False), pool_size=4)
    async with (
        served(receiver.app()) as base,
        delivery_client(LOCAL) as first_client,
        delivery_client(LOCAL) as second_client,
    ):
        await subscribe(database, f"{base}/a")
        await subscribe(database, f"{base}/b")
        await publish(database, 40)
        caught_up(clock)
        first = dispatcher(database, Sender(first_client, clock=clock, timeout=2.0), clock)
        second = dispatcher(other, Sender(second_client, clock=clock, timeout=2.0), clock)

        await asyncio.gather(first.drain(), second.drain())
    await other.dispose()

    queued = await messages(database)
    assert len(queued) == 80
    assert {m.status for m in queued.values()} == {"delivered"}
    assert await attempts(database) == dict.fromkeys(queued, 1)
    assert Counter(receiver.ids()) == dict.fromkeys(queued, 1)
    assert first.recorded > 0
    assert second.recorded > 0
    assert first.recorded + second.recorded == 80


async def test_a_lease_run_out_leaves_the_outcome_to_the_next_holder(
    database: Database, sender: Sender, clock: Clock
) -> None:
    receiver = Receiver()
    async with served(receiver.app()) as base:
        await subscribe(database, f"{base}/hooks")
        [_] = await publish(database, 1)
        caught_up(clock)
        late, current = PostgresQueue(database, VAULT, clock), PostgresQueue(database, VAULT, clock)
        [stale] = await late.claim(10, LEASE)
        clock.advance(LEASE)
        [held] = await current.claim(10, LEASE)
        work = dispatcher(database, sender, clock)

        outcome = await work.attempt(stale)
        await late.record(stale, settle(outcome, attempt=1, now=clock(), failing_since=None))
        await late.release(stale)
        after_stale = await messages(database)

    assert held.message_id == stale.message_id
    assert held.claim != stale.claim
    assert await attempts(database) == {}
    assert after_stale[held.message_id].status == "delivering"
    assert after_stale[held.message_id].claim == uuid.UUID(held.claim)


async def test_the_last_failed_attempt_fails_the_message_and_says_so(
    database: Database, sender: Sender, clock: Clock
) -> None:
    receiver = Receiver(reply=lambda _: Response(status_code=500, content="broken"))
    async with served(receiver.app()) as base:
        subscription, _ = await subscribe(database, f"{base}/hooks")
        [event_id] = await publish(database, 1)
        caught_up(clock)
        work = dispatcher(database, sender, clock)
        for wait in SCHEDULE:
            clock.advance(wait)
            await work.drain()
        clock.advance(timedelta(days=1))
        await work.drain()

    [message] = (await messages(database)).values()
    assert (message.status, message.attempts) == ("failed", ATTEMPTS)
    assert len(receiver.received) == ATTEMPTS
    [exhausted] = await outbox(database)
    assert exhausted.type == "endpoint.delivery_exhausted"
    assert exhausted.payload == {
        "subscription_id": str(subscription.id),
        "message_id": str(message.id),
        "event_id": event_id,
        "event_type": "person.created",
        "attempts": ATTEMPTS,
    }
    assert (await endpoint(database, subscription.id)).enabled


async def test_a_gone_endpoint_is_disabled_and_its_messages_wait_for_it(
    database: Database, sender: Sender, clock: Clock
) -> None:
    gone = asyncio.Event()
    gone.set()

    def reply(_: Received) -> Response:
        return Response(status_code=410 if gone.is_set() else 204)

    receiver = Receiver(reply=reply)
    admin = Actor(role=Role.HR_ADMIN, subject="admin", person_id=uuid.uuid4())
    async with served(receiver.app()) as base:
        subscription, _ = await subscribe(database, f"{base}/hooks")
        await publish(database, 1)
        caught_up(clock)
        work = dispatcher(database, sender, clock, concurrency=1)
        await work.drain()
        disabled = await endpoint(database, subscription.id)
        # Queued while it was enabled; disabled, it is not attempted.
        await _queue_for(database, subscription.id)
        await work.drain()
        attempted_while_disabled = len(receiver.received)
        gone.clear()
        async with database.sessionmaker() as session:
            await service.set_enabled(session, admin, subscription.id, enabled=True)
            await session.commit()
        await work.drain()

    statuses = sorted(m.status for m in (await messages(database)).values())
    assert not disabled.enabled
    assert attempted_while_disabled == 1
    assert statuses == ["delivered", "failed"]
    [event] = await outbox(database)
    assert (event.type, event.payload["reason"]) == ("endpoint.disabled", "gone")
    enabled = await endpoint(database, subscription.id)
    assert enabled.enabled
    assert enabled.failing_since is None


async def _queue_for(database: Database, subscription_id: uuid.UUID) -> None:
    """A message queued for the subscription before it was disabled."""
    async with database.sessionmaker() as session:
        [message] = (await session.exec(select(Message))).all()
        session.add(
            Message(
                subscription_id=subscription_id,
                event_id=message.event_id,
                event_type=message.event_type,
                payload=message.payload,
                next_attempt_at=message.next_attempt_at,
            )
        )
        await session.commit()


async def test_an_endpoint_failing_for_five_days_is_disabled(
    database: Database, sender: Sender, clock: Clock
) -> None:
    receiver = Receiver(reply=lambda _: Response(status_code=502))
    async with served(receiver.app()) as base:
        caught_up(clock)
        subscription, _ = await subscribe(
            database, f"{base}/hooks", failing_since=clock.now - timedelta(days=5)
        )
        await publish(database, 1)
        caught_up(clock)
        await dispatcher(database, sender, clock).drain()

    [message] = (await messages(database)).values()
    assert (message.status, message.attempts) == ("pending", 1)
    assert not (await endpoint(database, subscription.id)).enabled
    [event] = await outbox(database)
    assert (event.type, event.payload["reason"]) == ("endpoint.disabled", "failing")


async def test_during_a_rotation_both_secrets_sign(
    database: Database, sender: Sender, clock: Clock
) -> None:
    receiver = Receiver()
    async with served(receiver.app()) as base:
        caught_up(clock)
        old_key, new_key = new_secret()[1], new_secret()[1]
        old, new = VAULT.seal(old_key), VAULT.seal(new_key)
        await subscribe(
            database,
            f"{base}/hooks",
            secret_key_id=new.key_id,
            secret=new.ciphertext,
            previous_secret_key_id=old.key_id,
            previous_secret=old.ciphertext,
            previous_secret_expires_at=clock.now + timedelta(hours=24),
        )
        await publish(database, 1)
        caught_up(clock)
        await dispatcher(database, sender, clock).drain()
        clock.advance(timedelta(hours=24))
        await publish(database, 1)
        await dispatcher(database, sender, clock).drain()

    during, after = receiver.received
    for key in (old_key, new_key):
        assert Webhook(shown(key)).verify(during.body, during.headers)["type"] == "person.created"
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()[0]).verify(during.body, during.headers)


async def test_delivery_checks_the_address_again(database: Database, clock: Clock) -> None:
    receiver = Receiver()
    pointed = Pointed({"rebound.example.com": ["127.0.0.1"]})
    async with served(receiver.app()) as base, delivery_client(Guard(resolve=pointed)) as client:
        port = base.rsplit(":", 1)[1]
        await subscribe(database, f"http://rebound.example.com:{port}/hooks")
        await publish(database, 1)
        caught_up(clock)
        await dispatcher(database, Sender(client, clock=clock, timeout=2.0), clock).drain()

    async with database.sessionmaker() as session:
        [attempt] = (await session.exec(select(Attempt))).all()
        depth = (
            await session.exec(
                select(func.count()).select_from(Message).where(col(Message.status) == "pending")
            )
        ).one()
    assert receiver.received == []
    assert pointed.lookups == ["rebound.example.com"]
    assert (attempt.outcome, attempt.status_code) == ("failed", None)
    assert attempt.error is not None
    # The subscriber reads the attempt log: it says what kind of address, never which.
    assert attempt.error.startswith("refused: the endpoint's host is ")
    assert "127.0.0.1" not in attempt.error
    assert depth == 1


async def test_a_resent_message_goes_again_with_its_id_and_bytes(
    database: Database, sender: Sender, clock: Clock
) -> None:
    receiver = Receiver()
    admin = Actor(role=Role.HR_ADMIN, subject="admin", person_id=uuid.uuid4())
    async with served(receiver.app()) as base:
        subscription, secret = await subscribe(database, f"{base}/hooks")
        await publish(database, 1)
        caught_up(clock)
        work = dispatcher(database, sender, clock)
        await work.drain()
        [message_id] = await messages(database)
        async with database.sessionmaker() as session:
            await service.resend_message(session, admin, subscription.id, uuid.UUID(message_id))
            await session.commit()
        caught_up(clock)
        await work.drain()

    first, again = receiver.received
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == message_id
    assert first.body == again.body
    assert Webhook(secret).verify(again.body, again.headers)["type"] == "person.created"
    assert (await messages(database))[message_id].attempts == 2
    assert await attempts(database) == {message_id: 2}
