"""When a failed delivery is tried again, when a message is given up, and when an endpoint that
keeps failing is disabled: pure functions of the moment they are given, so the retry clock can
be driven in tests and replicas agree on the rules.

The schedule (now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) spreads eight attempts over about
27 hours; jitter keeps the retries of many messages that failed together (a receiver's outage)
from arriving together when it comes back.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from services.webhooks.delivery.sender import Delivered, Gone, Outcome, RetryAt

# The wait before each attempt, the first one included: attempt n (1-based) waits SCHEDULE[n-1]
# after attempt n-1 failed.
SCHEDULE = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
ATTEMPTS = len(SCHEDULE)
# Each wait is stretched or shortened by up to this share, drawn uniformly.
JITTER = 0.15
# An endpoint whose deliveries have all failed for this long is disabled.
DISABLE_AFTER = timedelta(days=5)

# A number in [0, 1), as `random.random` draws; tests pass a fixed one.
Draw = Callable[[], float]


def retry_delay(attempt: int, draw: Draw = random.random) -> timedelta | None:
    """How long after failed attempt `attempt` (1-based) the next one is made, with jitter;
    None when that was the last attempt."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    if attempt >= ATTEMPTS:
        return None
    return SCHEDULE[attempt] * (1 + JITTER * (2 * draw() - 1))


@dataclass(frozen=True)
class Settlement:
    """What one attempt's outcome means for its message and its endpoint, as the queue records
    it beside the attempt itself.

    `status` is the message's: `delivered`, `pending` (tried again at `next_attempt_at`) or
    `failed` (no attempt left: `exhausted`, or the endpoint answered 410). `endpoint_failing_since`
    is the start of the endpoint's current run of failures (None once one delivery succeeded);
    `disable_endpoint` says the endpoint must be disabled now (410, or failing for 5 days)."""

    outcome: Outcome
    attempt: int
    status: Literal["delivered", "pending", "failed"]
    next_attempt_at: datetime | None
    exhausted: bool
    disable_endpoint: bool
    endpoint_failing_since: datetime | None


def settle(
    outcome: Outcome,
    *,
    attempt: int,
    now: datetime,
    failing_since: datetime | None,
    draw: Draw = random.random,
) -> Settlement:
    """The settlement of attempt number `attempt` (1-based) made at `now` on an endpoint that
    has been failing since `failing_since` (None: its last delivery succeeded)."""
    if isinstance(outcome, Delivered):
        return Settlement(outcome, attempt, "delivered", None, False, False, None)
    since = failing_since or now
    if isinstance(outcome, Gone):
        return Settlement(outcome, attempt, "failed", None, False, True, since)
    delay = retry_delay(attempt, draw)
    disable = now - since >= DISABLE_AFTER
    if delay is None:
        return Settlement(outcome, attempt, "failed", None, True, disable, since)
    # The receiver's Retry-After replaces the schedule's wait (the sender has bounded it).
    at = outcome.at if isinstance(outcome, RetryAt) else now + delay
    return Settlement(outcome, attempt, "pending", at, False, disable, since)
