"""The retry schedule and what an attempt's outcome settles, on a clock the tests drive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.webhooks.delivery.schedule import (
    ATTEMPTS,
    DISABLE_AFTER,
    JITTER,
    SCHEDULE,
    retry_delay,
    settle,
)
from services.webhooks.delivery.sender import Delivered, Failed, Gone, Outcome, RetryAt

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
FAILED = Failed(reason="HTTP 500", status=500, latency_ms=12.0, response="")
DELIVERED = Delivered(status=200, latency_ms=8.0, response="ok")
GONE = Gone(status=410, latency_ms=8.0, response="")


def middle() -> float:
    """A draw with no jitter."""
    return 0.5


def test_the_schedule_is_now_5_s_5_min_30_min_2_h_5_h_10_h_10_h() -> None:
    delays = [retry_delay(attempt, middle) for attempt in range(1, ATTEMPTS)]

    assert delays == [
        timedelta(seconds=5),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=5),
        timedelta(hours=10),
        timedelta(hours=10),
    ]
    assert SCHEDULE[0] == timedelta(0)
    assert retry_delay(ATTEMPTS, middle) is None


@pytest.mark.parametrize("attempt", range(1, ATTEMPTS))
def test_jitter_stays_within_its_bounds(attempt: int) -> None:
    shortest = retry_delay(attempt, lambda: 0.0)
    longest = retry_delay(attempt, lambda: 0.999999)

    assert shortest == SCHEDULE[attempt] * (1 - JITTER)
    assert longest is not None
    assert SCHEDULE[attempt] < longest <= SCHEDULE[attempt] * (1 + JITTER)


def test_attempts_are_counted_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        retry_delay(0)


def test_a_delivery_ends_the_endpoints_run_of_failures() -> None:
    settled = settle(DELIVERED, attempt=3, now=NOW, failing_since=NOW - timedelta(days=1))

    assert (settled.status, settled.next_attempt_at, settled.endpoint_failing_since) == (
        "delivered",
        None,
        None,
    )
    assert not settled.disable_endpoint


def test_a_failure_is_tried_again_on_the_schedule_and_starts_a_run_of_failures() -> None:
    settled = settle(FAILED, attempt=1, now=NOW, failing_since=None, draw=middle)

    assert settled.status == "pending"
    assert settled.next_attempt_at == NOW + timedelta(seconds=5)
    assert settled.endpoint_failing_since == NOW
    assert not settled.exhausted


def test_retry_after_replaces_the_schedules_wait() -> None:
    asked = RetryAt(
        at=NOW + timedelta(hours=1), reason="HTTP 429", status=429, latency_ms=1.0, response=""
    )

    settled = settle(asked, attempt=1, now=NOW, failing_since=None, draw=middle)

    assert (settled.status, settled.next_attempt_at) == ("pending", NOW + timedelta(hours=1))


@pytest.mark.parametrize(
    "outcome", [FAILED, RetryAt(at=NOW, reason="", status=503, latency_ms=1.0, response="")]
)
def test_after_the_last_attempt_the_message_is_exhausted(outcome: Outcome) -> None:
    settled = settle(outcome, attempt=ATTEMPTS, now=NOW, failing_since=NOW - timedelta(days=1))

    assert (settled.status, settled.next_attempt_at, settled.exhausted) == ("failed", None, True)
    assert settled.endpoint_failing_since == NOW - timedelta(days=1)


def test_410_fails_the_message_and_disables_the_endpoint() -> None:
    settled = settle(GONE, attempt=2, now=NOW, failing_since=None)

    assert (settled.status, settled.next_attempt_at) == ("failed", None)
    assert settled.disable_endpoint
    assert not settled.exhausted


def test_an_endpoint_failing_for_five_days_is_disabled() -> None:
    almost = settle(
        FAILED, attempt=2, now=NOW, failing_since=NOW - DISABLE_AFTER + timedelta(seconds=1)
    )
    five_days = settle(FAILED, attempt=2, now=NOW, failing_since=NOW - DISABLE_AFTER)

    assert not almost.disable_endpoint
    assert five_days.disable_endpoint
    assert DISABLE_AFTER == timedelta(days=5)


def test_one_message_failing_throughout_is_given_up_after_about_27_hours() -> None:
    now, attempt, failing_since = NOW, 1, None
    while True:
        settled = settle(FAILED, attempt=attempt, now=now, failing_since=failing_since, draw=middle)
        if settled.next_attempt_at is None:
            break
        now, attempt, failing_since = (
            settled.next_attempt_at,
            attempt + 1,
            settled.endpoint_failing_since,
        )

    assert attempt == ATTEMPTS == 8
    assert settled.exhausted
    assert now - NOW == timedelta(hours=27, minutes=35, seconds=5)
    assert not settled.disable_endpoint
