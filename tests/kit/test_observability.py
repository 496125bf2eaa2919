"""What the logs show: in development, a readable line per request from outside and nothing
for feed polls, calls between our services or httpx; in production, a JSON line per request."""

from __future__ import annotations

import io
import json
import logging
import re

import httpx

from kit.observability import INTERNAL_CALL_HEADER, configure_logging
from tests.support import Tokens

READABLE_REQUEST = re.compile(r"^\d\d:\d\d:\d\d toy +GET /healthz 200 \d+\.\d ms$")


async def _requests(client: httpx.AsyncClient, tokens: Tokens) -> None:
    """One request from outside, a feed poll and a call from another of our services."""
    assert (await client.get("/healthz")).status_code == 200
    poll = await client.get("/internal/events", headers=tokens.service())
    assert poll.status_code == 200
    internal = {**tokens.person("nobody@example.com"), INTERNAL_CALL_HEADER: "1"}
    await client.get("/v1/notes", headers=internal)


async def test_development_shows_one_readable_line_per_outside_request(
    logs: io.StringIO, toy_client: httpx.AsyncClient, tokens: Tokens
) -> None:
    configure_logging("toy", "INFO", readable=True, stream=logs)

    await _requests(toy_client, tokens)

    # httpx's own "HTTP Request: …" lines, the feed poll and the internal call are not shown
    [line] = logs.getvalue().splitlines()
    assert READABLE_REQUEST.match(line), line


async def test_development_at_debug_shows_the_internal_requests_too(
    logs: io.StringIO, toy_client: httpx.AsyncClient, tokens: Tokens
) -> None:
    configure_logging("toy", "DEBUG", readable=True, stream=logs)

    await _requests(toy_client, tokens)

    lines = logs.getvalue().splitlines()
    assert any(READABLE_REQUEST.match(line) for line in lines)
    assert any(" GET /internal/events 200 " in line for line in lines)
    assert any(" GET /v1/notes " in line for line in lines)
    assert any("DEBUG httpx: HTTP Request: GET http://toy/healthz" in line for line in lines)


async def test_production_logs_a_json_line_per_request_and_no_urls(
    logs: io.StringIO, toy_client: httpx.AsyncClient, tokens: Tokens
) -> None:
    configure_logging("toy", "INFO", stream=logs)

    await _requests(toy_client, tokens)

    records = [json.loads(line) for line in logs.getvalue().splitlines()]
    assert [(r["logger"], r["level"], r["route"]) for r in records] == [
        ("inspire.http", "INFO", "/healthz"),
        ("inspire.http", "INFO", "/internal/events"),
        ("inspire.http", "INFO", "/v1/notes"),
    ]
    assert records[0]["service"] == "toy"
    assert {"method", "status", "duration_ms", "request_id"} <= set(records[0])
    # httpx would log every raw URL, query strings and all
    assert "http://toy" not in logs.getvalue()


def test_other_records_show_their_level_and_fields(logs: io.StringIO) -> None:
    configure_logging("goals", "INFO", readable=True, stream=logs)

    logging.getLogger("inspire.consumer").error(
        "event parked after failing every attempt", extra={"consumer": "org-copy", "position": 7}
    )

    [line] = logs.getvalue().splitlines()
    assert re.match(
        r"^\d\d:\d\d:\d\d goals +ERROR inspire\.consumer: event parked after failing every "
        r"attempt consumer=org-copy position=7$",
        line,
    )
