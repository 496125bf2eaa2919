"""A webhook continues the trace of the request that wrote its event: the event log keeps the
`traceparent` a real feed serves, the queue hands it to the dispatcher with each claimed
message, and the attempt's span joins that trace; the receiver never sees it. Spans kept in
memory, a real receiver behind a socket."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlmodel import select

from kit.db import Database
from kit.events import record_event
from kit.settings import Environment
from kit.tracing import tracer
from services.assessment.events import INSTRUMENT_CREATED, InstrumentCreatedPayload
from services.webhooks.config import WebhooksSettings
from services.webhooks.context import Webhooks
from services.webhooks.delivery.dispatch import Dispatcher
from services.webhooks.delivery.sender import Sender, delivery_client
from services.webhooks.delivery.ssrf import AllowList, Guard
from services.webhooks.eventlog import consumer_of
from services.webhooks.models import Event
from services.webhooks.queue import PostgresQueue
from tests.spans import context_of, hex_ids, recorded_spans
from tests.support import AUTH, asgi_client, served, service_app
from tests.webhooks.delivery.support import Clock, Receiver
from tests.webhooks.support import INSTRUMENT, VAULT, publish, subscribe

pytestmark = pytest.mark.e2e


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


@pytest.fixture
async def webhooks_db(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Database]:
    database = Database(await fresh_database("webhooks"))
    yield database
    await database.dispose()


@pytest.fixture
async def assessment_db(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("assessment"))
    yield database
    await database.dispose()


async def deliver_all(database: Database) -> int:
    """Every due message attempted once by a dispatcher on the service's queue; how many."""
    clock = Clock()
    clock.now = datetime.now(UTC) + timedelta(seconds=1)
    async with delivery_client(Guard(allow=AllowList.parse(["127.0.0.1"]))) as client:
        dispatcher = Dispatcher(
            PostgresQueue(database, VAULT, clock),
            Sender(client, clock=clock, timeout=2.0),
            lease=timedelta(seconds=30),
        )
        claimed = await dispatcher.step()
        await dispatcher.drain()
    return claimed


def deliveries(spans: InMemorySpanExporter) -> list[tuple[str, str | None]]:
    """Each `deliver webhook` span's trace id and parent span id."""
    return [
        (trace_id, parent)
        for trace_id, _, parent in (
            hex_ids(span)
            for span in spans.get_finished_spans()
            if span.name == "deliver webhook" and span.kind == SpanKind.PRODUCER
        )
    ]


async def test_a_webhook_is_delivered_in_the_trace_of_the_request_that_wrote_its_event(
    spans: InMemorySpanExporter, webhooks_db: Database, assessment_db: Database
) -> None:
    # given an event the assessment service wrote inside a traced request, on its real feed
    with tracer().start_as_current_span("POST /v1/instruments", kind=SpanKind.SERVER) as request:
        async with assessment_db.sessionmaker() as session:
            await record_event(
                session, INSTRUMENT_CREATED, InstrumentCreatedPayload.model_validate(INSTRUMENT)
            )
            await session.commit()
    request_context = context_of(request)  # type: ignore[arg-type]  # an SDK span: readable
    trace_id = format(request_context.trace_id, "032x")
    span_id = format(request_context.span_id, "016x")
    receiver = Receiver()
    async with served(receiver.app()) as base:
        await subscribe(webhooks_db, f"{base}/hooks", "assessment.*")
        settings = WebhooksSettings.model_validate(
            {
                "database_url": webhooks_db.url.render_as_string(hide_password=False),
                "environment": Environment.TEST,
                "auth": AUTH,
            }
        )

        # when the event log follows the feed, and the dispatcher delivers what it queued
        async with asgi_client(service_app("assessment", assessment_db), "assessment") as client:
            consumer = consumer_of("assessment", webhooks_db, client, Webhooks.of(settings))
            assert await consumer.poll() == 1
        delivered = await deliver_all(webhooks_db)

    # then the log keeps the event's trace context, and the attempt is a span of that trace
    async with webhooks_db.reader() as session:
        [kept] = (await session.exec(select(Event.traceparent))).all()
    assert kept is not None
    assert kept.split("-")[1:3] == [trace_id, span_id]
    assert delivered == 1
    assert deliveries(spans) == [(trace_id, span_id)]
    # and the receiver got the event, with no trace context of ours
    [received] = receiver.received
    assert received.path == "/hooks"
    assert "traceparent" not in received.headers
    assert "tracestate" not in received.headers


async def test_a_webhook_of_an_event_written_untraced_starts_a_trace_of_its_own(
    spans: InMemorySpanExporter, webhooks_db: Database
) -> None:
    # given an event logged with no trace context (written outside a traced request)
    receiver = Receiver()
    async with served(receiver.app()) as base:
        await subscribe(webhooks_db, f"{base}/hooks")
        await publish(webhooks_db, 1)

        # when it is delivered
        delivered = await deliver_all(webhooks_db)

    # then its attempt is the root of a new trace, and the receiver got it without one
    assert delivered == 1
    [(trace_id, parent)] = deliveries(spans)
    assert parent is None
    assert uuid.UUID(trace_id).int != 0
    [received] = receiver.received
    assert "traceparent" not in received.headers
