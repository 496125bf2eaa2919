"""OpenTelemetry tracing: one span per request (never one per GraphQL field), W3C `traceparent`
passed on by our HTTP clients and kept with each outbox event, so that a consumer or a webhook
delivery continues the trace of the request that wrote the event. Off unless an OTLP endpoint
is configured: then no span is recorded or exported."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, MutableMapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Span, SpanKind, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from kit.settings import TracingSettings

TRACEPARENT = "traceparent"
_INSTRUMENTATION = "inspire"
_PROPAGATOR = TraceContextTextMapPropagator()


class _Tracing:
    """The provider our spans go to: the API's no-op one until `configure_tracing` (or a test)
    installs another."""

    provider: trace.TracerProvider = trace.NoOpTracerProvider()
    tracer: Tracer = provider.get_tracer(_INSTRUMENTATION)
    # False: requests skip tracing altogether (no header parsed, no context attached).
    enabled = False


_tracing = _Tracing()


def use_tracer_provider(provider: trace.TracerProvider) -> trace.TracerProvider:
    """Send our spans to `provider` from now on; the one used before."""
    previous = _tracing.provider
    _tracing.provider = provider
    _tracing.tracer = provider.get_tracer(_INSTRUMENTATION)
    _tracing.enabled = not isinstance(provider, trace.NoOpTracerProvider)
    return previous


def configure_tracing(service: str, settings: TracingSettings) -> TracerProvider | None:
    """With an OTLP endpoint: spans sampled at `sample_ratio` (a request continues its caller's
    decision), batched and exported over OTLP/HTTP under the name `inspire-<service>`.
    Without one: nothing (the no-op provider)."""
    if not settings.otlp_endpoint:
        return None
    # Imported only when used: it brings protobuf and requests along.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.service_name or f"inspire-{service}"}),
        sampler=ParentBased(TraceIdRatioBased(settings.sample_ratio)),
    )
    endpoint = settings.otlp_endpoint.rstrip("/") + "/v1/traces"
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    use_tracer_provider(provider)
    return provider


def shutdown_tracing() -> None:
    """Export what is still batched (the provider's own timeout bounds it)."""
    shutdown = getattr(_tracing.provider, "shutdown", None)
    if shutdown is not None:
        shutdown()


def tracer() -> Tracer:
    return _tracing.tracer


def tracing_enabled() -> bool:
    return _tracing.enabled


def extract(carrier: Mapping[str, str]) -> Context:
    """The trace context a request or an event carries (`traceparent`), or an empty one."""
    return _PROPAGATOR.extract(carrier)


def inject(carrier: MutableMapping[str, str]) -> None:
    """Add the current span's `traceparent` to `carrier` (nothing when no span is current)."""
    _PROPAGATOR.inject(carrier)


def current_traceparent() -> str | None:
    """The current span's `traceparent`, to be kept with what this request writes."""
    if not _tracing.enabled:
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(TRACEPARENT)


def current_trace_ids() -> tuple[str, str] | None:
    """The current trace and span ids (hex), for the logs; None outside a recorded trace."""
    if not _tracing.enabled:
        return None
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


@contextlib.contextmanager
def continued_from(
    traceparent: str | None,
    name: str,
    *,
    kind: SpanKind = SpanKind.CONSUMER,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span]:
    """A span continuing the trace of `traceparent` (kept with an event, a delivery): the
    consumer of an event, a webhook delivery. A new trace when there is none."""
    parent = extract({TRACEPARENT: traceparent}) if traceparent else None
    with _tracing.tracer.start_as_current_span(
        name, context=parent, kind=kind, attributes=dict(attributes or {})
    ) as span:
        yield span
