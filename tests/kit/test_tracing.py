"""Tracing of one service: its request spans continue the caller's `traceparent`, their ids
appear in the logs, and without a configured endpoint nothing is recorded."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NoOpTracerProvider

from kit.observability import configure_logging
from kit.settings import ServiceSettings, TracingSettings
from kit.tracing import configure_tracing, continued_from, current_traceparent, use_tracer_provider
from services.goals.config import GoalsSettings
from services.people.config import PeopleSettings
from tests.spans import recorded_spans
from tests.support import served

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


async def test_a_request_continues_its_callers_trace_and_logs_its_ids(
    spans: InMemorySpanExporter, logs: io.StringIO, toy_client: httpx.AsyncClient
) -> None:
    configure_logging("toy", "INFO", stream=logs)

    response = await toy_client.get("/healthz", headers={"traceparent": TRACEPARENT})

    assert response.status_code == 200
    [span] = spans.get_finished_spans()
    assert span.name == "GET /healthz"
    assert span.context is not None
    assert span.parent is not None
    assert (format(span.context.trace_id, "032x"), format(span.parent.span_id, "016x")) == (
        CALLER_TRACE,
        CALLER_SPAN,
    )
    assert (span.attributes or {})["http.response.status_code"] == 200
    [record] = [json.loads(line) for line in logs.getvalue().splitlines()]
    assert record["trace_id"] == CALLER_TRACE
    assert record["span_id"] == format(span.context.span_id, "016x")


async def test_a_request_without_a_caller_starts_a_trace(
    spans: InMemorySpanExporter, toy_client: httpx.AsyncClient
) -> None:
    await toy_client.get("/healthz")

    [span] = spans.get_finished_spans()
    assert span.parent is None
    assert span.context is not None
    assert span.context.trace_id != int(CALLER_TRACE, 16)


async def test_untraced_requests_record_nothing_and_log_no_trace_ids(
    logs: io.StringIO, toy_client: httpx.AsyncClient
) -> None:
    # given the default: no endpoint configured, so no provider installed
    assert configure_tracing("toy", TracingSettings()) is None
    configure_logging("toy", "INFO", stream=logs)

    await toy_client.get("/healthz")

    [record] = [json.loads(line) for line in logs.getvalue().splitlines()]
    assert "trace_id" not in record


async def test_an_endpoint_exports_spans_over_otlp_under_the_services_name() -> None:
    # given a collector (a real HTTP server) and the settings that name it
    received: list[tuple[str, str, bytes]] = []
    collector = FastAPI()

    @collector.post("/v1/traces")
    async def traces(request: Request) -> Response:
        received.append((request.url.path, request.headers["content-type"], await request.body()))
        return Response(status_code=200)

    async with served(collector) as base:
        settings = TracingSettings(otlp_endpoint=base, sample_ratio=0.25)

        # when tracing is configured from them and a span ends
        provider = configure_tracing("goals", settings)
        assert provider is not None
        try:
            with continued_from(TRACEPARENT, "consume person.created"):
                pass
            # The exporter posts from its own thread, to the server on this loop.
            assert await asyncio.to_thread(provider.force_flush, 10_000)
        finally:
            use_tracer_provider(NoOpTracerProvider())
            await asyncio.to_thread(provider.shutdown)

    # then the collector received it, as OTLP protobuf, from `inspire-goals`, sampled at 1/4
    [(path, content_type, body)] = received
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    assert b"inspire-goals" in body
    assert b"consume person.created" in body
    assert "0.25" in provider.sampler.get_description()


def test_tracing_is_configured_for_all_services_or_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPIRE_TRACING_OTLP_ENDPOINT", "http://collector:4318")
    monkeypatch.setenv("INSPIRE_GOALS_TRACING__SAMPLE_RATIO", "0.5")

    assert GoalsSettings().tracing == TracingSettings(
        otlp_endpoint="http://collector:4318", sample_ratio=0.5
    )
    assert PeopleSettings().tracing.sample_ratio == 1.0
    assert ServiceSettings().tracing.otlp_endpoint == "http://collector:4318"


def test_a_delivery_continues_the_trace_kept_with_its_event(
    spans: InMemorySpanExporter,
) -> None:
    with continued_from(TRACEPARENT, "deliver person.created") as span:
        kept = current_traceparent()

    assert kept is not None
    assert kept.startswith(f"00-{CALLER_TRACE}-{format(span.get_span_context().span_id, '016x')}")
    [finished] = spans.get_finished_spans()
    assert finished.parent is not None
    assert format(finished.parent.span_id, "016x") == CALLER_SPAN
