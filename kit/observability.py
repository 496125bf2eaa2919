"""JSON logs with a request id (and trace ids), RED metrics by route template, a span per
request, and the ids and trace context passed downstream.
Logs carry ids and route templates only, never personal data. In development, readable lines
instead, with only the requests from outside at INFO: feed polls and calls between our
services go to DEBUG there, so that the terminal shows what a person does."""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TextIO

import httpx
from opentelemetry.trace import INVALID_SPAN, Span, SpanKind, Status, StatusCode
from prometheus_client import Counter, Gauge, Histogram
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.tracing import current_trace_ids, extract, inject, tracer, tracing_enabled

REQUEST_ID_HEADER = "X-Request-ID"
# Sent by our clients (`client_hooks`) on every call to another of our services. It only
# lowers the level of that call's log line in development; it grants nothing.
INTERNAL_CALL_HEADER = "X-Inspire-Internal"
INTERNAL_PREFIX = "/internal/"
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

HTTP_REQUESTS = Counter(
    "inspire_http_requests_total",
    "HTTP requests served, by route template and status.",
    ["service", "method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "inspire_http_request_duration_seconds",
    "Time to answer HTTP requests, by route template.",
    ["service", "method", "route"],
)
OUTBOX_LAG = Gauge(
    "inspire_outbox_unrelayed_events",
    "Committed events not yet given a feed position.",
    ["service"],
)
CONSUMER_LAG = Gauge(
    "inspire_consumer_lag_events",
    "Events in a source feed that a consumer has not applied yet.",
    ["service", "consumer"],
)
CONSUMER_PARKED = Gauge(
    "inspire_consumer_parked_events",
    "Events a consumer set aside after its handler failed (or behind one that did), waiting "
    "for `inspire consumer retry`.",
    ["service", "consumer"],
)

logger = logging.getLogger("inspire.http")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        if (ids := current_trace_ids()) is not None:
            record.trace_id, record.span_id = ids
        # Uvicorn adds a copy of its message with terminal colour codes.
        record.__dict__.pop("color_message", None)
        return True


# httpx logs every call at INFO with the full URL: query strings may carry search words.
_CHATTY_LOGGERS = ("httpx", "httpcore")


class _Demote(logging.Filter):
    """Moves chatter to DEBUG, then lets through only what the configured level allows."""

    def __init__(self, threshold: int, *, internal_requests: bool) -> None:
        super().__init__()
        self.threshold = threshold
        self.internal_requests = internal_requests

    def filter(self, record: logging.LogRecord) -> bool:
        chatty = record.name.split(".", 1)[0] in _CHATTY_LOGGERS
        internal = self.internal_requests and getattr(record, "internal", False) is True
        if (chatty or internal) and record.levelno == logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return record.levelno >= self.threshold


# What every LogRecord has; anything else was passed in `extra` and is shown as key=value.
_STANDARD_FIELDS = set(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
    "trace_id",
    "span_id",
}


class ReadableFormatter(logging.Formatter):
    """`10:42:03 people   GET /v1/people/{person_id} 200 12.3 ms`: one short line per
    request for a person at a terminal; other records with their level and fields."""

    def __init__(self, service: str) -> None:
        super().__init__(datefmt="%H:%M:%S")
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        moment = self.formatTime(record, self.datefmt)
        fields = {k: v for k, v in vars(record).items() if k not in _STANDARD_FIELDS}
        if record.name == logger.name and "route" in fields:
            text = (
                f"{fields['method']} {fields['route']} {fields['status']}"
                f" {fields['duration_ms']:.1f} ms"
            )
        else:
            # Who said it matters when something is wrong, less in "Application startup complete".
            source = "" if record.levelno == logging.INFO else f"{record.levelname} {record.name}: "
            extra = "".join(f" {k}={v}" for k, v in fields.items() if k != "internal")
            text = f"{source}{record.getMessage()}{extra}"
        line = f"{moment} {self.service:<10} {text}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(
    service: str, level: str = "INFO", *, readable: bool = False, stream: TextIO | None = None
) -> None:
    """JSON lines, one per request and event (production); or, `readable`, short lines for a
    terminal where calls between our services stay at DEBUG (development)."""
    handler = logging.StreamHandler(stream or sys.stdout)
    if readable:
        handler.setFormatter(ReadableFormatter(service))
    else:
        handler.setFormatter(
            JsonFormatter(
                "{asctime}{levelname}{name}{message}",
                style="{",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                static_fields={"service": service},
            )
        )
    handler.addFilter(_RequestIdFilter())
    threshold = logging.getLevelNamesMapping().get(level.upper())
    if threshold is None:
        raise ValueError(f"unknown log level {level!r}: DEBUG, INFO, WARNING or ERROR")
    handler.addFilter(_Demote(threshold, internal_requests=readable))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(threshold)
    # Uvicorn's access log repeats our request log with the raw path (ids, query strings).
    logging.getLogger("uvicorn.access").disabled = True


def _is_internal(scope: Scope) -> bool:
    """A feed poll or another internal route, or a call from one of our services."""
    if str(scope.get("path", "")).startswith(INTERNAL_PREFIX):
        return True
    header = INTERNAL_CALL_HEADER.lower().encode()
    return any(name == header for name, _ in scope["headers"])


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    # `path_format`: the template without converters (`{id}`, not `{id:uuid}`).
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(template or "unmatched")


class RequestContextMiddleware:
    """Request id in and out, a server span continuing the caller's `traceparent`, one log
    line and RED metrics per request."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = (
            dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
        )
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()
        method = scope["method"]
        span_scope: contextlib.AbstractContextManager[Span] = contextlib.nullcontext(INVALID_SPAN)
        if tracing_enabled():
            parent = extract({"traceparent": _header(scope, b"traceparent")})
            span_scope = tracer().start_as_current_span(
                method, context=parent, kind=SpanKind.SERVER, record_exception=False
            )
        span = span_scope.__enter__()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER.lower().encode(), request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            template = _route_template(scope)
            if span.is_recording():
                # The route template names the span: ids and query strings stay out of traces.
                span.update_name(f"{method} {template}")
                span.set_attribute("http.request.method", method)
                span.set_attribute("http.route", template)
                span.set_attribute("http.response.status_code", status)
                span.set_attribute("inspire.service", self.service)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            HTTP_REQUESTS.labels(self.service, method, template, str(status)).inc()
            HTTP_DURATION.labels(self.service, method, template).observe(elapsed)
            logger.info(
                "request",
                extra={
                    "method": method,
                    "route": template,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "internal": _is_internal(scope),
                },
            )
            span_scope.__exit__(None, None, None)
            request_id_var.reset(token)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


async def _propagate_request_id(request: httpx.Request) -> None:
    request_id = request_id_var.get()
    if request_id is not None and REQUEST_ID_HEADER not in request.headers:
        request.headers[REQUEST_ID_HEADER] = request_id
    request.headers[INTERNAL_CALL_HEADER] = "1"
    # W3C `traceparent`: the service's request span becomes a child of the current one.
    if tracing_enabled():
        inject(request.headers)


def client_hooks() -> dict[str, list[Callable[..., Any]]]:
    """`event_hooks` for every httpx client that calls another of our services: the request id
    and the trace context passed on, and the call marked as ours."""
    return {"request": [_propagate_request_id]}
