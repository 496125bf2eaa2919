"""One trace from the gateway's GraphQL request through the services it calls, into the event
written by that request and its consumption by another service; spans kept in memory. The
scene is this folder's conftest's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext, SpanKind
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.consumer import FeedConsumer
from kit.db import Database
from kit.events import FeedEvent, OutboxEvent
from tests.gateway.goals.scene import Okrs, global_id
from tests.gateway.support import GraphQL
from tests.spans import context_of, recorded_spans, server_spans
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
    with recorded_spans() as exporter:
        yield exporter


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
