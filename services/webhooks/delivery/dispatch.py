"""The dispatcher: claims due attempts from a queue under a lease, makes up to N of them at
once with one pooled client, and records each outcome with what it means (the schedule's
settlement). Several dispatchers share a queue: the lease is what keeps two of them from
making the same attempt at once, and a dispatcher that dies simply lets its leases run out.

The queue is an interface here (`Queue`): the service implements it on its tables
(`FOR UPDATE SKIP LOCKED`); the tests on a list in memory.
"""

from __future__ import annotations

import asyncio
import logging
import random
from asyncio import FIRST_COMPLETED
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from opentelemetry.trace import SpanKind

from kit.tracing import continued_from
from services.webhooks.delivery.schedule import Draw, Settlement, settle
from services.webhooks.delivery.sender import Failed, Outcome, Sender
from services.webhooks.delivery.signing import InvalidSecret, secret_key

log = logging.getLogger(__name__)

# A lease must outlast the attempt it covers (the sender's timeout) and the recording after
# it, or a second dispatcher could claim an attempt that is still being made.
LEASE_MARGIN = timedelta(seconds=15)


@dataclass(frozen=True)
class Job:
    """One attempt to make, as the queue hands it out.

    `message_id` is the `webhook-id`, the same for every attempt of a message (receivers
    deduplicate on it); `payload` the body as serialised once at fan-out; `secrets` the
    endpoint's current `whsec_` secrets in clear (two during a rotation); `attempt` the number
    of this attempt, from 1; `failing_since` when the endpoint's current run of failures began
    (None: its last delivery succeeded); `claim` the queue's token for this lease, which
    `record` and `release` hand back."""

    message_id: str
    endpoint_id: UUID
    url: str
    payload: bytes
    secrets: tuple[str, ...]
    attempt: int
    failing_since: datetime | None
    claim: str
    # The `traceparent` kept with the event the message was made from (`kit.events`): the
    # attempt continues that request's trace. The queue's join fills it; None: a trace of its own.
    traceparent: str | None = None


class Queue(Protocol):
    """What a dispatcher needs of the service's storage.

    On PostgreSQL: `claim` is one statement, `UPDATE message SET lease_until = now() + lease,
    claim = <new token> WHERE id IN (SELECT ... WHERE status = 'pending' AND due <= now() AND
    (lease_until IS NULL OR lease_until <= now()) AND <endpoint enabled> ORDER BY due LIMIT
    batch FOR UPDATE SKIP LOCKED) RETURNING ...`, joined to the endpoint for its URL, its
    decrypted secrets and its `failing_since`. `record` is one transaction, conditional on the
    claim token: the attempt row (status, latency, truncated answer, reason); the message's
    status, attempt count and next due time; on the endpoint, `failing_since` cleared after a
    delivery or kept as the earlier of the stored one and the settlement's after a failure
    (attempts of one endpoint settle concurrently), `enabled = false` when asked; and, when
    `exhausted`, the `endpoint.delivery_exhausted` event in the outbox."""

    async def claim(self, batch: int, lease: timedelta) -> list[Job]:
        """Up to `batch` attempts that are due, of enabled endpoints, each leased for `lease`:
        not handed out again before the lease ends, unless recorded or released."""
        ...

    async def record(self, job: Job, settlement: Settlement) -> None:
        """Keep the attempt (the delivery log) and apply its settlement to the message and the
        endpoint, in one transaction, only while `job.claim` still holds the lease (a
        dispatcher whose lease ran out must not overwrite the work of the next)."""
        ...

    async def release(self, job: Job) -> None:
        """Give the attempt back unmade, due at once, if `job.claim` still holds the lease (a
        dispatcher stopping)."""
        ...


class Dispatcher:
    """Runs deliveries until stopped; at most `concurrency` in flight, each claimed only when a
    slot is free, so nothing waits under a lease in memory."""

    def __init__(
        self,
        queue: Queue,
        sender: Sender,
        *,
        concurrency: int = 64,
        lease: timedelta = timedelta(seconds=60),
        poll: float = 1.0,
        draw: Draw = random.random,
    ) -> None:
        if concurrency < 1:
            raise ValueError("a dispatcher makes at least one attempt at a time")
        if lease < timedelta(seconds=sender.timeout) + LEASE_MARGIN:
            raise ValueError(f"the lease must exceed the {sender.timeout:g} s timeout by a margin")
        self.queue = queue
        self.sender = sender
        self.concurrency = concurrency
        self.lease = lease
        self.poll = poll
        self.draw = draw
        # Claim when an eighth of the slots is free rather than at each free slot: a claim is a
        # round trip to the database, worth making for several attempts.
        self.refill = max(1, concurrency // 8)
        self.in_flight: dict[asyncio.Task[None], Job] = {}
        self.recorded = 0
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._freed = asyncio.Event()

    def wake(self) -> None:
        """Look for work now rather than at the next poll (a message was just queued)."""
        self._wake.set()

    def stop(self) -> None:
        """Ask `run` to claim nothing more and return once the attempts in flight are done."""
        self._stop.set()

    async def run(self, grace: float | None = None) -> None:
        """Deliver until `stop()`; then let the attempts in flight finish for up to `grace`
        seconds (by default the sender's timeout and a little), and release those still
        unfinished. Cancelled instead (the process killed), it abandons them: their leases run
        out and another dispatcher makes them."""
        try:
            while not self._stop.is_set():
                if self.concurrency - len(self.in_flight) < self.refill:
                    self._freed.clear()
                    await self._until(None, self._freed)
                elif not await self._step_or_wait():
                    self._wake.clear()
                    await self._until(self.poll, self._wake)
        except asyncio.CancelledError:
            for task in self.in_flight:
                task.cancel()
            raise
        await self._finish(self.sender.timeout + 5 if grace is None else grace)

    async def _step_or_wait(self) -> int:
        try:
            return await self.step()
        except Exception:
            # The queue's storage is away (a database restart): try again at the next poll.
            log.exception("webhook attempts not claimed")
            return 0

    async def drain(self) -> None:
        """Deliver until nothing is due and nothing is in flight (tests and the benchmark)."""
        while await self.step() or self.in_flight:
            if self.in_flight:
                self._freed.clear()
                await self._freed.wait()

    async def step(self) -> int:
        """Claim as many due attempts as there are free slots and start them; how many."""
        while len(self.in_flight) >= self.concurrency:
            self._freed.clear()
            await self._freed.wait()
        jobs = await self.queue.claim(self.concurrency - len(self.in_flight), self.lease)
        for job in jobs:
            task = asyncio.create_task(self._deliver(job), name=f"webhook {job.message_id}")
            self.in_flight[task] = job
            task.add_done_callback(self._done)
        return len(jobs)

    async def _deliver(self, job: Job) -> None:
        with continued_from(
            job.traceparent,
            "deliver webhook",
            kind=SpanKind.PRODUCER,
            attributes={"inspire.webhook.attempt": job.attempt},
        ):
            await self._attempt_and_record(job)

    async def _attempt_and_record(self, job: Job) -> None:
        outcome = await self.attempt(job)
        settlement = settle(
            outcome,
            attempt=job.attempt,
            now=self.sender.clock(),
            failing_since=job.failing_since,
            draw=self.draw,
        )
        try:
            await self.queue.record(job, settlement)
        except Exception:
            # Its lease runs out and the attempt is made again: at least once, never lost.
            log.exception("webhook attempt not recorded", extra={"message_id": job.message_id})
        else:
            self.recorded += 1

    async def attempt(self, job: Job) -> Outcome:
        try:
            keys = [secret_key(secret) for secret in job.secrets]
            return await self.sender.send(job.url, job.message_id, job.payload, keys)
        except InvalidSecret as error:
            reason = f"the endpoint's secret is unusable: {error}"
        except Exception as error:
            # A fault of ours on one message must not stop the others; as a recorded failure
            # the schedule bounds how often it is tried.
            log.exception("webhook attempt failed", extra={"message_id": job.message_id})
            reason = f"internal error ({type(error).__name__})"
        return Failed(reason=reason, status=None, latency_ms=0.0, response="")

    def _done(self, task: asyncio.Task[None]) -> None:
        self.in_flight.pop(task, None)
        # One event for all the attempts in flight: waiting on each task instead costs in
        # proportion to how many are in flight, at every attempt.
        self._freed.set()

    async def _until(self, seconds: float | None, event: asyncio.Event) -> None:
        """Wait for `event`, the stop, or `seconds`."""
        waits = {asyncio.ensure_future(self._stop.wait()), asyncio.ensure_future(event.wait())}
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    async def _finish(self, grace: float) -> None:
        if not self.in_flight:
            return
        _, unfinished = await asyncio.wait(set(self.in_flight), timeout=grace)
        jobs: Sequence[Job] = [self.in_flight[task] for task in unfinished]
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
        for job in jobs:
            try:
                await self.queue.release(job)
            except Exception:
                # Not released, its lease still runs out: the attempt is only later.
                log.exception("webhook attempt not released", extra={"message_id": job.message_id})
