"""One trace from the gateway's GraphQL request through the services it calls, into the event
written by that request and its consumption by another service; spans kept in memory. The
scene (people and goals services behind the gateway) is the gateway's goals tests'."""

# ruff: noqa: F811  # the fixtures imported below are this test's parameters, by name

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext, SpanKind
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.consumer import FeedConsumer
from kit.db import Database
from kit.events import FeedEvent, OutboxEvent
from kit.tracing import use_tracer_provider
from services.webhooks.delivery.dispatch import Dispatcher, Job
from services.webhooks.delivery.schedule import Settlement
from services.webhooks.delivery.sender import Sender, delivery_client
from services.webhooks.delivery.signing import new_secret
from services.webhooks.delivery.ssrf import AllowList, Guard

# The gateway's fixtures over the real services, and the goals scene (`okrs`).
from tests.gateway.conftest import (  # noqa: F401  # fixtures, found by name
    clients,
    feedback_http,
    gateway,
    gateway_app,
    graphql,
    people_app,
    people_db,
    people_http,
    recorder,
)
from tests.gateway.goals.conftest import (  # noqa: F401  # fixtures, found by name
    goals_app,
    goals_db,
    goals_http,
    okrs,
)
from tests.gateway.goals.scene import Okrs, global_id
from tests.gateway.support import GraphQL
from tests.support import AUTH, Tokens

pytestmark = pytest.mark.e2e

UPDATE_KEY_RESULT = """mutation ($input: UpdateKeyResultInput!) {
  updateKeyResult(input: $input) {
    __typename
    ... on UpdateKeyResultPayload { keyResult { title owner { name } } }
    ... on UpdateKeyResultError { code }
  }
}"""


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    previous = use_tracer_provider(provider)
    yield exporter
    use_tracer_provider(previous)
    provider.shutdown()


def server_spans(exporter: InMemorySpanExporter, service: str) -> list[ReadableSpan]:
    return [
        span
        for span in exporter.get_finished_spans()
        if span.kind == SpanKind.SERVER
        and (span.attributes or {}).get("inspire.service") == service
    ]


def context_of(span: ReadableSpan) -> SpanContext:
    context: SpanContext | None = span.context
    assert context is not None
    return context


async def test_a_graphql_request_is_one_trace_through_the_services_and_its_events(
    okrs: Okrs,
    graphql: GraphQL,
    tokens: Tokens,
    spans: InMemorySpanExporter,
    goals_app: FastAPI,
    goals_db: Database,
    people_db: Database,
) -> None:
    # given Ada, who owns a key result; spans recorded from now on
    spans.clear()

    # when she renames it through the gateway (a write to goals, its owner read from people)
    body = await graphql(
        UPDATE_KEY_RESULT,
        {
            "input": {
                "keyResultId": global_id("KeyResult", okrs.key_result.id),
                "version": 1,
                "title": "Speed",
                "ownerId": global_id("Person", okrs.ada.id),
            }
        },
        headers=tokens.person("ada@example.com"),
    )

    # then the gateway's request is the root of one trace, the services' requests its children
    assert body["data"]["updateKeyResult"].get("keyResult") == {
        "title": "Speed",
        "owner": {"name": "Ada"},
    }
    [root] = server_spans(spans, "gateway")
    goals, people = server_spans(spans, "goals"), server_spans(spans, "people")
    assert root.parent is None
    assert root.name == "POST /graphql"
    assert goals
    assert people
    for child in goals + people:
        assert context_of(child).trace_id == context_of(root).trace_id
        assert child.parent is not None
        assert child.parent.span_id == context_of(root).span_id
    # request-level spans: one per request, none per GraphQL field
    assert len(spans.get_finished_spans()) == 1 + len(goals) + len(people)
    assert {span.name for span in goals} >= {"PATCH /v1/key-results/{key_result_id}"}

    # and the event the write committed carries the trace of the goals request that wrote it
    async with goals_db.reader() as session:
        event = (
            await AsyncSession.exec(
                session,
                select(OutboxEvent).where(col(OutboxEvent.type) == "key_result.updated"),
            )
        ).one()
    [writer] = [span for span in goals if span.name.startswith("PATCH")]
    writer_context = context_of(writer)
    assert event.traceparent is not None
    assert event.traceparent.startswith(
        f"00-{writer_context.trace_id:032x}-{writer_context.span_id:016x}-"
    )

    # when another service consumes the goals feed
    seen: list[SpanContext] = []

    async def handle(session: AsyncSession, event: FeedEvent) -> None:
        seen.append(trace.get_current_span().get_span_context())

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=goals_app), base_url="http://goals"
    ) as feed:
        consumer = FeedConsumer(
            name=f"tracing-{uuid.uuid4().hex[:8]}",
            service="people",
            feed="goals",
            database=people_db,
            client=feed,
            auth=AUTH,
            handlers={"key_result.updated": handle},
        )
        assert await consumer.poll() >= 1

    # then its handling continues the trace, as a child of the request that wrote the event
    [consumed] = [span for span in spans.get_finished_spans() if span.kind == SpanKind.CONSUMER]
    assert consumed.name == "consume key_result.updated"
    assert context_of(consumed).trace_id == context_of(root).trace_id
    assert consumed.parent is not None
    assert consumed.parent.span_id == writer_context.span_id
    assert [context.span_id for context in seen] == [context_of(consumed).span_id]


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
    assert format(context_of(delivery).trace_id, "032x") == trace_id
    assert delivery.parent is not None
    assert format(delivery.parent.span_id, "016x") == span_id
