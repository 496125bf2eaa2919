"""Spans kept in memory while a test runs, and what the tests ask of them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext, SpanKind

from kit.tracing import use_tracer_provider


@contextlib.contextmanager
def recorded_spans() -> Iterator[InMemorySpanExporter]:
    """Every span of our code, sampled and kept, until the block ends (then tracing is as
    before: off)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    previous = use_tracer_provider(provider)
    try:
        yield exporter
    finally:
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


def hex_ids(span: ReadableSpan) -> tuple[str, str, str | None]:
    """The span's trace id, its id and its parent's id, as `traceparent` writes them."""
    context = context_of(span)
    parent = format(span.parent.span_id, "016x") if span.parent is not None else None
    return format(context.trace_id, "032x"), format(context.span_id, "016x"), parent
