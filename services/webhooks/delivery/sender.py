"""One delivery attempt: sign, POST, and say what came of it as a typed outcome the schedule
can settle. A receiver is someone else's server, so everything it does is bounded: 15 s for
the whole attempt, redirects not followed (a redirect could lead past the SSRF guard's choice
of address, and a moved endpoint should be re-subscribed, not silently chased), at most 1 KiB
of its answer kept, and its `Retry-After` believed only within limits.
"""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from services.webhooks.delivery import signing
from services.webhooks.delivery.ssrf import AddressRefused, Guard, GuardedTransport

TIMEOUT = 15.0
RESPONSE_LIMIT = 1024
# A receiver may ask for a later retry, but not for a longer wait than the schedule's longest.
MAX_RETRY_AFTER = timedelta(hours=10)
USER_AGENT = "Inspire-Webhooks/1"

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Seen:
    """What an attempt saw of the receiver: its status (None when no answer came), how long the
    attempt took, and the start of its answer."""

    status: int | None
    latency_ms: float
    response: str


@dataclass(frozen=True, kw_only=True)
class Delivered(Seen):
    """A 2xx answer."""


@dataclass(frozen=True, kw_only=True)
class Gone(Seen):
    """410 Gone: the receiver wants no more deliveries; the endpoint is disabled."""


@dataclass(frozen=True, kw_only=True)
class RetryAt(Seen):
    """A failure whose answer named, with `Retry-After`, when to try again (already bounded)."""

    at: datetime
    reason: str


@dataclass(frozen=True, kw_only=True)
class Failed(Seen):
    """Any other failure: an error status, a redirect, a timeout, a refused or unreachable
    address; tried again on the schedule."""

    reason: str


Outcome = Delivered | Gone | RetryAt | Failed


def retry_after(
    value: str | None, now: datetime, bound: timedelta = MAX_RETRY_AFTER
) -> datetime | None:
    """The moment a `Retry-After` header names (delay in seconds or an HTTP date), kept
    between `now` and `now + bound`; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), bound.total_seconds()))
    try:
        at = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return min(max(at, now), now + bound)


def delivery_client(
    guard: Guard,
    *,
    max_connections: int = 100,
    timeout: float = TIMEOUT,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.AsyncClient:
    """The one pooled client a dispatcher delivers with: every connection through the guard,
    no redirects followed, and no proxy from the environment (it would connect for us)."""
    return httpx.AsyncClient(
        transport=GuardedTransport(guard, max_connections=max_connections, ssl_context=ssl_context),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
    )


async def _head(response: httpx.Response, limit: int) -> bytes:
    """The first `limit` bytes of the answer as sent (no decompression: a small compressed
    answer could unpack to gigabytes); the rest is never read."""
    kept = bytearray()
    async for chunk in response.aiter_raw():
        kept += chunk
        if len(kept) >= limit:
            break
    return bytes(kept[:limit])


class Sender:
    """Makes attempts with a shared client; one per dispatcher."""

    def __init__(
        self, client: httpx.AsyncClient, *, clock: Clock = utcnow, timeout: float = TIMEOUT
    ) -> None:
        self.client = client
        self.clock = clock
        self.timeout = timeout

    async def send(
        self, url: str, message_id: str, payload: bytes, keys: Sequence[bytes]
    ) -> Outcome:
        """POST `payload` to `url`, signed with every key in `keys` at this moment."""
        timestamp = int(self.clock().timestamp())
        headers = {
            **signing.headers(message_id, timestamp, payload, keys),
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            # The answer is kept as sent, not unpacked: ask for it plain.
            "accept-encoding": "identity",
        }
        started = time.perf_counter()
        try:
            async with (
                asyncio.timeout(self.timeout),
                self.client.stream("POST", url, content=payload, headers=headers) as response,
            ):
                answer = await _head(response, RESPONSE_LIMIT)
        except (TimeoutError, httpx.TimeoutException):
            return Failed(
                reason=f"no answer within {self.timeout:g} s",
                status=None,
                latency_ms=_since(started),
                response="",
            )
        except AddressRefused as refused:
            # The subscriber reads this: naming the address a name resolved to would map our
            # network for them, one subscription at a time.
            kind = refused.reason.partition(" (")[0]
            why = "does not resolve" if refused.address is None else f"is {kind}"
            reason = f"refused: the endpoint's host {why}"
            return Failed(reason=reason, status=None, latency_ms=0.0, response="")
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            reason = f"{type(error).__name__}: {error}".rstrip(": ")
            return Failed(reason=reason, status=None, latency_ms=_since(started), response="")
        return self.judge(response, _text(answer), _since(started))

    def judge(self, response: httpx.Response, answer: str, latency_ms: float) -> Outcome:
        status = response.status_code
        if 200 <= status < 300:
            return Delivered(status=status, latency_ms=latency_ms, response=answer)
        if status == 410:
            return Gone(status=status, latency_ms=latency_ms, response=answer)
        if 300 <= status < 400:
            target = response.headers.get("location", "")[:200]
            reason = f"redirect ({status}) to {target or 'nowhere'}; redirects are not followed"
        else:
            reason = f"HTTP {status}"
        at = retry_after(response.headers.get("retry-after"), self.clock())
        if at is not None:
            return RetryAt(
                at=at, reason=reason, status=status, latency_ms=latency_ms, response=answer
            )
        return Failed(reason=reason, status=status, latency_ms=latency_ms, response=answer)


def _text(answer: bytes) -> str:
    """The kept bytes as text, without a stray replacement character where the cut fell inside
    a character."""
    return codecs.getincrementaldecoder("utf-8")(errors="replace").decode(answer, final=False)


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
