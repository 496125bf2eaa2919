"""One attempt against a real receiver: what each kind of answer becomes, what is kept of it,
and that the receiver can verify what it got with the reference library."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from fastapi import Response
from standardwebhooks import Webhook

from services.webhooks.delivery import signing
from services.webhooks.delivery.sender import (
    MAX_RETRY_AFTER,
    Delivered,
    Failed,
    Gone,
    Outcome,
    RetryAt,
    Sender,
    delivery_client,
    retry_after,
)
from services.webhooks.delivery.ssrf import AllowList, Guard, GuardedTransport
from tests.support import served
from tests.webhooks.delivery.support import Clock, Received, Receiver, Reply

LOCAL = Guard(allow=AllowList.parse(["127.0.0.1"]))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def sender(clock: Clock) -> AsyncIterator[Sender]:
    async with delivery_client(LOCAL) as client:
        yield Sender(client, clock=clock, timeout=2.0)


async def answer(sender: Sender, reply: Reply, *, delay: float = 0.0) -> tuple[Outcome, Receiver]:
    receiver = Receiver(reply=reply, delay=delay)
    async with served(receiver.app()) as base:
        outcome = await sender.send(
            f"{base}/hooks", "msg_1", b'{"a":1}', [signing.secret_key(signing.new_secret())]
        )
    return outcome, receiver


async def test_a_2xx_is_delivered_with_its_status_latency_and_answer(sender: Sender) -> None:
    outcome, receiver = await answer(sender, lambda _: Response("thanks", status_code=202))

    assert isinstance(outcome, Delivered)
    assert (outcome.status, outcome.response) == (202, "thanks")
    assert outcome.latency_ms > 0
    headers = receiver.received[0].headers
    assert (headers["content-type"], headers["accept-encoding"]) == ("application/json", "identity")


async def test_only_the_first_kibibyte_of_an_answer_is_kept(sender: Sender) -> None:
    outcome, _ = await answer(sender, lambda _: Response("a" + "é" * 3000, status_code=500))

    assert isinstance(outcome, Failed)
    # 1024 bytes end inside a two-byte character: the text ends at the last whole one.
    assert outcome.response == "a" + "é" * 511


async def test_410_means_gone(sender: Sender) -> None:
    outcome, _ = await answer(sender, lambda _: Response(status_code=410))

    assert isinstance(outcome, Gone)
    assert outcome.status == 410


async def test_a_redirect_is_a_failure_and_is_not_followed(sender: Sender) -> None:
    def moved(seen: Received) -> Response:
        return Response(status_code=302, headers={"location": "/elsewhere"})

    outcome, receiver = await answer(sender, moved)

    assert isinstance(outcome, Failed)
    assert outcome.status == 302
    assert "redirect (302) to /elsewhere" in outcome.reason
    assert [seen.path for seen in receiver.received] == ["/hooks"]


async def test_an_error_status_is_a_failure(sender: Sender) -> None:
    outcome, _ = await answer(sender, lambda _: Response("down", status_code=500))

    assert isinstance(outcome, Failed)
    assert (outcome.status, outcome.reason, outcome.response) == (500, "HTTP 500", "down")


async def test_retry_after_in_seconds_names_the_next_attempt(sender: Sender, clock: Clock) -> None:
    def busy(_: Received) -> Response:
        return Response(status_code=429, headers={"retry-after": "120"})

    outcome, _ = await answer(sender, busy)

    assert isinstance(outcome, RetryAt)
    assert outcome.at == clock.now + timedelta(seconds=120)
    assert outcome.reason == "HTTP 429"


async def test_retry_after_as_a_date_names_the_next_attempt(sender: Sender, clock: Clock) -> None:
    later = (clock.now + timedelta(minutes=7)).replace(microsecond=0)

    def busy(_: Received) -> Response:
        return Response(status_code=503, headers={"retry-after": format_datetime(later, True)})

    outcome, _ = await answer(sender, busy)

    assert isinstance(outcome, RetryAt)
    assert outcome.at == later


def test_retry_after_is_bounded_and_unreadable_ones_are_ignored() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)

    assert retry_after("999999999999", now) == now + MAX_RETRY_AFTER
    assert retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now) == now
    assert retry_after("Mon, 01 Mar 2027 11:00:00 GMT", now) == now + MAX_RETRY_AFTER
    assert retry_after("soon", now) is None
    assert retry_after("-5", now) is None
    assert retry_after(None, now) is None


async def test_no_answer_within_the_timeout_is_a_failure(clock: Clock) -> None:
    async with delivery_client(LOCAL) as client:
        sender = Sender(client, clock=clock, timeout=0.3)
        outcome, receiver = await answer(sender, lambda _: Response(status_code=204), delay=1)

    assert isinstance(outcome, Failed)
    assert outcome.reason == "no answer within 0.3 s"
    assert 300 <= outcome.latency_ms < 1000
    assert len(receiver.received) == 1


async def test_a_closed_port_is_a_failure(sender: Sender) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = await sender.send(f"http://127.0.0.1:{port}/", "msg_1", b"{}", [b"k" * 32])

    assert isinstance(outcome, Failed)
    assert outcome.status is None
    assert outcome.reason.startswith("ConnectError")


async def test_the_receiver_verifies_both_signatures_of_a_rotation(sender: Sender) -> None:
    old, new = signing.new_secret(), signing.new_secret()
    payload = signing.body("goals.objective.created", datetime.now(UTC), {"objective_id": "o-1"})
    receiver = Receiver()
    async with served(receiver.app()) as base:
        outcome = await sender.send(
            f"{base}/hooks", "msg_rot", payload, [signing.secret_key(old), signing.secret_key(new)]
        )

    assert isinstance(outcome, Delivered)
    seen = receiver.received[0]
    assert seen.body == payload
    assert Webhook(old).verify(seen.body, seen.headers)["data"] == {"objective_id": "o-1"}
    assert Webhook(new).verify(seen.body, seen.headers)["data"] == {"objective_id": "o-1"}
    assert seen.headers["webhook-id"] == "msg_rot"


async def test_many_attempts_at_once_share_the_pools_and_give_every_connection_back() -> None:
    transport = GuardedTransport(LOCAL, max_connections=16)
    gate = asyncio.Event()
    receiver = Receiver(gate=gate)
    async with served(receiver.app()) as base, httpx.AsyncClient(transport=transport) as client:
        sender = Sender(client)
        attempts = asyncio.gather(
            *(sender.send(f"{base}/hooks", f"msg_{n}", b"{}", [b"k" * 32]) for n in range(40))
        )
        async with asyncio.timeout(5):
            while receiver.in_flight < 16:  # noqa: ASYNC110  # the server's state has no event
                await asyncio.sleep(0.01)
        gate.set()
        outcomes = await attempts

        assert all(isinstance(outcome, Delivered) for outcome in outcomes)
        assert len(transport.pools) == 16 // GuardedTransport.SHARD
        assert transport.busy == [0] * len(transport.pools)
        assert receiver.most_in_flight == 16
