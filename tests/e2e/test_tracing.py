"""A webhook attempt continues the trace kept with the event it was made from; spans kept in
memory. (The trace from the gateway through the services into events and their consumers is
tested beside the gateway's goals tests, on their scene.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from services.webhooks.delivery.dispatch import Dispatcher, Job
from services.webhooks.delivery.schedule import Settlement
from services.webhooks.delivery.sender import Sender, delivery_client
from services.webhooks.delivery.signing import new_secret
from services.webhooks.delivery.ssrf import AllowList, Guard
from tests.spans import hex_ids, recorded_spans

pytestmark = pytest.mark.e2e


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


@dataclass
class OneJob:
    """A queue holding one attempt, and what the dispatcher recorded of it."""

    job: Job
    recorded: list[Settlement] = field(default_factory=list)
    claimed: bool = False

    async def claim(self, batch: int, lease: timedelta) -> list[Job]:
        if self.claimed:
            return []
        self.claimed = True
        return [self.job]

    async def record(self, job: Job, settlement: Settlement) -> None:
        self.recorded.append(settlement)

    async def release(self, job: Job) -> None:
        return None


async def test_a_webhook_attempt_continues_the_trace_of_its_event(
    spans: InMemorySpanExporter,
) -> None:
    # given an attempt made from an event whose request was traced (its receiver unreachable)
    trace_id, span_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    queue = OneJob(
        Job(
            message_id="msg_1",
            endpoint_id=uuid.uuid4(),
            url="http://127.0.0.1:9/hooks",
            payload=b"{}",
            secrets=(new_secret(),),
            attempt=1,
            failing_since=None,
            claim="c1",
            traceparent=f"00-{trace_id}-{span_id}-01",
        )
    )
    guard = Guard(allow=AllowList.parse(["127.0.0.1"]))
    async with delivery_client(guard, timeout=2.0) as client:
        dispatcher = Dispatcher(queue, Sender(client, timeout=2.0), lease=timedelta(seconds=30))

        # when the dispatcher makes it
        assert await dispatcher.step() == 1
        await dispatcher.drain()

    # then the attempt is recorded, in a span of the event's trace, child of its request's
    assert len(queue.recorded) == 1
    [delivery] = spans.get_finished_spans()
    assert delivery.name == "deliver webhook"
    delivered_trace, _, parent = hex_ids(delivery)
    assert (delivered_trace, parent) == (trace_id, span_id)
