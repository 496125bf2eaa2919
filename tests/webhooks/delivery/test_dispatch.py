"""The dispatcher against a real receiver, on a queue kept in memory and a clock the tests
drive: everything delivered once and signed, within the concurrency bound; a receiver down and
back; a dispatcher killed or stopped mid-delivery; two dispatchers sharing the work."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from fastapi import Response
from standardwebhooks import Webhook

from services.webhooks.delivery.dispatch import Dispatcher, Job
from services.webhooks.delivery.schedule import ATTEMPTS
from services.webhooks.delivery.sender import Delivered, Failed, Gone, Sender, delivery_client
from services.webhooks.delivery.signing import body, new_secret
from services.webhooks.delivery.ssrf import AllowList, Guard
from tests.support import served
from tests.webhooks.delivery.memory_queue import MemoryQueue
from tests.webhooks.delivery.support import Clock, Received, Receiver

LOCAL = Guard(allow=AllowList.parse(["127.0.0.1"]))
SECRET = new_secret()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(clock: Clock) -> MemoryQueue:
    return MemoryQueue(clock)


@pytest.fixture
async def sender(clock: Clock) -> AsyncIterator[Sender]:
    async with delivery_client(LOCAL) as client:
        yield Sender(client, clock=clock, timeout=2.0)


def dispatcher(queue: MemoryQueue, sender: Sender, concurrency: int = 8) -> Dispatcher:
    return Dispatcher(
        queue, sender, concurrency=concurrency, lease=timedelta(seconds=30), draw=lambda: 0.5
    )


def fill(queue: MemoryQueue, url: str, count: int, *secrets: str) -> list[str]:
    endpoint = queue.add_endpoint(url, *(secrets or (SECRET,)))
    return [
        queue.enqueue(endpoint, body("goals.objective.created", queue.clock(), {"n": n}))
        for n in range(count)
    ]


async def until(condition: Callable[[], bool]) -> None:
    """Wait for what other tasks (the server's, the dispatcher's) bring about, up to 5 s."""
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110  # their state has no event to wait on
            await asyncio.sleep(0.01)


async def test_every_message_is_delivered_once_signed_and_within_the_bound(
    queue: MemoryQueue, sender: Sender
) -> None:
    receiver = Receiver(delay=0.05)
    async with served(receiver.app()) as base:
        ids = fill(queue, f"{base}/hooks", 40)

        await dispatcher(queue, sender, concurrency=8).drain()

    assert sorted(receiver.ids()) == sorted(ids)
    assert set(queue.statuses().values()) == {"delivered"}
    assert 1 < receiver.most_in_flight <= 8
    for seen in receiver.received:
        assert Webhook(SECRET).verify(seen.body, seen.headers)["type"] == "goals.objective.created"


async def test_a_receiver_down_then_back_gets_every_message(
    queue: MemoryQueue, sender: Sender, clock: Clock
) -> None:
    down = True

    def reply(_: Received) -> Response:
        return Response(status_code=503 if down else 200)

    receiver = Receiver(reply=reply)
    work = dispatcher(queue, sender)
    async with served(receiver.app()) as base:
        ids = fill(queue, f"{base}/hooks", 5)
        for _ in range(3):
            await work.drain()
            clock.advance(timedelta(hours=1))
        down = False
        await work.drain()

    assert set(queue.statuses().values()) == {"delivered"}
    assert Counter(receiver.ids()) == dict.fromkeys(ids, 4)
    assert all(message.attempts == 4 for message in queue.messages.values())
    assert [type(settled.outcome) for message, settled in queue.log if message == ids[0]] == [
        Failed,
        Failed,
        Failed,
        Delivered,
    ]
    assert all(endpoint.failing_since is None for endpoint in queue.endpoints.values())


async def test_after_the_last_attempt_the_message_is_failed_and_exhausted(
    queue: MemoryQueue, sender: Sender, clock: Clock
) -> None:
    receiver = Receiver(reply=lambda _: Response(status_code=500))
    work = dispatcher(queue, sender)
    async with served(receiver.app()) as base:
        [message_id] = fill(queue, f"{base}/hooks", 1)
        for _ in range(ATTEMPTS + 2):
            await work.drain()
            clock.advance(timedelta(hours=11))

    message = queue.messages[message_id]
    assert (message.status, message.attempts, message.exhausted) == ("failed", ATTEMPTS, True)
    assert receiver.ids() == [message_id] * ATTEMPTS


async def test_410_disables_the_endpoint_and_its_other_messages_wait(
    queue: MemoryQueue, sender: Sender
) -> None:
    receiver = Receiver(reply=lambda _: Response(status_code=410))
    async with served(receiver.app()) as base:
        first, second = fill(queue, f"{base}/hooks", 2)

        await dispatcher(queue, sender, concurrency=1).drain()

    assert queue.statuses() == {first: "failed", second: "pending"}
    assert isinstance(queue.log[0][1].outcome, Gone)
    assert not next(iter(queue.endpoints.values())).enabled
    assert receiver.ids() == [first]


async def test_an_unusable_secret_is_a_recorded_failure_and_nothing_is_sent(
    queue: MemoryQueue, sender: Sender
) -> None:
    receiver = Receiver()
    async with served(receiver.app()) as base:
        [message_id] = fill(queue, f"{base}/hooks", 1, "whsec_short")

        await dispatcher(queue, sender).drain()

    [(_, settled)] = queue.log
    assert isinstance(settled.outcome, Failed)
    assert "secret is unusable" in settled.outcome.reason
    assert queue.statuses() == {message_id: "pending"}
    assert receiver.received == []


async def test_a_dispatcher_killed_mid_delivery_loses_nothing(
    queue: MemoryQueue, sender: Sender, clock: Clock
) -> None:
    gate = asyncio.Event()
    receiver = Receiver(gate=gate)
    async with served(receiver.app()) as base:
        [message_id] = fill(queue, f"{base}/hooks", 1)
        killed = asyncio.create_task(dispatcher(queue, sender).run())
        await until(lambda: len(receiver.received) == 1)
        killed.cancel()
        with pytest.raises(asyncio.CancelledError):
            await killed
        assert queue.messages[message_id].lease_until is not None
        receiver.gate = None
        # Until its lease runs out the attempt is nobody else's.
        await dispatcher(queue, sender).drain()
        assert len(receiver.received) == 1
        clock.advance(timedelta(seconds=31))

        await dispatcher(queue, sender).drain()

        gate.set()

    assert queue.statuses() == {message_id: "delivered"}
    assert [settled.attempt for _, settled in queue.log] == [1]
    # Delivered at least once: the receiver tells the two apart by the same webhook-id.
    assert receiver.ids() == [message_id, message_id]


async def test_two_dispatchers_never_make_the_same_attempt_twice(
    queue: MemoryQueue, sender: Sender
) -> None:
    receiver = Receiver(delay=0.01)
    first, second = dispatcher(queue, sender, 6), dispatcher(queue, sender, 6)
    async with served(receiver.app()) as base:
        ids = fill(queue, f"{base}/hooks", 60)

        await asyncio.gather(first.drain(), second.drain())

    assert sorted(receiver.ids()) == sorted(ids)
    assert queue.stale == 0
    assert first.recorded > 0
    assert second.recorded > 0
    assert first.recorded + second.recorded == 60


async def test_stop_lets_the_attempts_in_flight_finish_and_claims_nothing_more(
    queue: MemoryQueue, sender: Sender
) -> None:
    gate = asyncio.Event()
    receiver = Receiver(gate=gate)
    work = dispatcher(queue, sender, concurrency=4)
    async with served(receiver.app()) as base:
        fill(queue, f"{base}/hooks", 10)
        running = asyncio.create_task(work.run())
        await until(lambda: len(receiver.received) == 4)

        work.stop()
        gate.set()
        await running

    assert Counter(queue.statuses().values()) == {"delivered": 4, "pending": 6}
    assert queue.claimed == 4
    assert work.in_flight == {}


async def test_what_does_not_finish_within_the_grace_is_released(
    queue: MemoryQueue, sender: Sender
) -> None:
    gate = asyncio.Event()
    receiver = Receiver(gate=gate)
    work = dispatcher(queue, sender, concurrency=2)
    async with served(receiver.app()) as base:
        ids = fill(queue, f"{base}/hooks", 2)
        running = asyncio.create_task(work.run(grace=0.2))
        await until(lambda: len(receiver.received) == 2)

        work.stop()
        await running
        gate.set()

    assert all(message.lease_until is None for message in queue.messages.values())
    assert queue.log == []
    assert sorted(job.message_id for job in await queue.claim(10, timedelta(seconds=30))) == sorted(
        ids
    )


async def test_a_running_dispatcher_woken_delivers_at_once(
    queue: MemoryQueue, sender: Sender
) -> None:
    receiver = Receiver()
    work = Dispatcher(queue, sender, lease=timedelta(seconds=30), poll=60)
    async with served(receiver.app()) as base:
        running = asyncio.create_task(work.run())
        await asyncio.sleep(0.05)
        [message_id] = fill(queue, f"{base}/hooks", 1)

        work.wake()
        await until(lambda: queue.statuses()[message_id] == "delivered")
        work.stop()
        await running


def test_a_lease_shorter_than_an_attempt_is_refused(queue: MemoryQueue, sender: Sender) -> None:
    with pytest.raises(ValueError, match="lease"):
        Dispatcher(queue, sender, lease=timedelta(seconds=5))


async def test_a_queue_that_fails_to_claim_is_tried_again_at_the_next_poll(
    queue: MemoryQueue, sender: Sender
) -> None:
    failures = [ConnectionError("the database is restarting")]
    claim = queue.claim

    async def flaky(batch: int, lease: timedelta) -> list[Job]:
        if failures:
            raise failures.pop()
        return await claim(batch, lease)

    queue.claim = flaky  # type: ignore[method-assign]  # the storage failing once
    receiver = Receiver()
    work = Dispatcher(queue, sender, lease=timedelta(seconds=30), poll=0.05)
    async with served(receiver.app()) as base:
        [message_id] = fill(queue, f"{base}/hooks", 1)
        running = asyncio.create_task(work.run())

        await until(lambda: queue.statuses()[message_id] == "delivered")
        work.stop()
        await running

    assert failures == []
