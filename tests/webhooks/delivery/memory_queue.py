"""The dispatcher's queue kept in memory, standing in for the service's message and attempt
tables: the same rules (due, enabled endpoints only, leases, records only under the current
lease), on the tests' clock."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from services.webhooks.delivery.dispatch import Job
from services.webhooks.delivery.schedule import Settlement


@dataclass
class Endpoint:
    url: str
    secrets: tuple[str, ...]
    enabled: bool = True
    failing_since: datetime | None = None


@dataclass
class Message:
    id: str
    endpoint_id: uuid.UUID
    payload: bytes
    due: datetime
    status: Literal["delivered", "pending", "failed"] = "pending"
    attempts: int = 0
    lease_until: datetime | None = None
    claim: str | None = None
    exhausted: bool = False


@dataclass
class MemoryQueue:
    clock: Callable[[], datetime]
    endpoints: dict[uuid.UUID, Endpoint] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    log: list[tuple[str, Settlement]] = field(default_factory=list)
    stale: int = 0
    claimed: int = 0

    def add_endpoint(self, url: str, *secrets: str) -> uuid.UUID:
        endpoint_id = uuid.uuid4()
        self.endpoints[endpoint_id] = Endpoint(url, secrets)
        return endpoint_id

    def enqueue(self, endpoint_id: uuid.UUID, payload: bytes, message_id: str | None = None) -> str:
        message_id = message_id or f"msg_{uuid.uuid4().hex}"
        self.messages[message_id] = Message(message_id, endpoint_id, payload, self.clock())
        return message_id

    def statuses(self) -> dict[str, str]:
        return {message.id: message.status for message in self.messages.values()}

    async def claim(self, batch: int, lease: timedelta) -> list[Job]:
        now = self.clock()
        jobs: list[Job] = []
        for message in sorted(self.messages.values(), key=lambda message: message.due):
            if len(jobs) == batch:
                break
            endpoint = self.endpoints[message.endpoint_id]
            if (
                message.status != "pending"
                or message.due > now
                or not endpoint.enabled
                or (message.lease_until is not None and message.lease_until > now)
            ):
                continue
            message.lease_until, message.claim = now + lease, uuid.uuid4().hex
            jobs.append(
                Job(
                    message_id=message.id,
                    endpoint_id=message.endpoint_id,
                    url=endpoint.url,
                    payload=message.payload,
                    secrets=endpoint.secrets,
                    attempt=message.attempts + 1,
                    failing_since=endpoint.failing_since,
                    claim=message.claim,
                )
            )
        self.claimed += len(jobs)
        return jobs

    async def record(self, job: Job, settlement: Settlement) -> None:
        message = self.messages[job.message_id]
        if message.claim != job.claim:
            self.stale += 1
            return
        self.log.append((job.message_id, settlement))
        message.attempts = settlement.attempt
        message.status = settlement.status
        message.exhausted = settlement.exhausted
        message.due = settlement.next_attempt_at or message.due
        message.lease_until = message.claim = None
        endpoint = self.endpoints[job.endpoint_id]
        endpoint.failing_since = settlement.endpoint_failing_since
        if settlement.disable_endpoint:
            endpoint.enabled = False

    async def release(self, job: Job) -> None:
        message = self.messages[job.message_id]
        if message.claim == job.claim:
            message.lease_until = message.claim = None
