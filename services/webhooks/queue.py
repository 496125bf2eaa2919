"""The dispatcher's queue on the service's tables: due messages claimed with `FOR UPDATE SKIP
LOCKED` under a lease and a token, each outcome recorded (the attempt, the message, the
endpoint, the events it causes) in one transaction while that token still holds the message.

A message to a disabled subscription stays as it is and is not attempted; enabling the
subscription again resumes it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.events import record_event
from services.webhooks import repository
from services.webhooks.delivery.dispatch import Job
from services.webhooks.delivery.schedule import Settlement
from services.webhooks.delivery.sender import Clock, Delivered, Gone, Outcome, utcnow
from services.webhooks.events import (
    ENDPOINT_DELIVERY_EXHAUSTED,
    ENDPOINT_DISABLED,
    DeliveryExhaustedPayload,
    EndpointDisabledPayload,
)
from services.webhooks.models import Attempt
from services.webhooks.vault import Vault, shown, signing_secrets

ERROR_LIMIT = 500


def outcome_name(settlement: Settlement) -> str:
    """How the delivery log names an attempt's outcome."""
    if isinstance(settlement.outcome, Delivered):
        return "delivered"
    if isinstance(settlement.outcome, Gone):
        return "gone"
    return "failed"


class PostgresQueue:
    """`delivery.dispatch.Queue` on the service's database; `clock` is the time every rule is
    judged at (the tests drive it)."""

    def __init__(self, database: Database, vault: Vault, clock: Clock = utcnow) -> None:
        self.database = database
        self.vault = vault
        self.clock = clock

    async def claim(self, batch: int, lease: timedelta) -> list[Job]:
        now = self.clock()
        async with self.database.sessionmaker() as session:
            claimed = await repository.claim_due(session, now, now + lease, batch)
            endpoints = await repository.subscriptions_by_id(
                session, {row.subscription_id for row in claimed}
            )
            await session.commit()
        secrets = {
            endpoint.id: tuple(shown(key) for key in signing_secrets(endpoint, now, self.vault))
            for endpoint in endpoints.values()
        }
        return [
            Job(
                message_id=str(row.message_id),
                endpoint_id=row.subscription_id,
                url=endpoints[row.subscription_id].url,
                payload=row.payload,
                secrets=secrets[row.subscription_id],
                attempt=row.attempts + 1,
                failing_since=endpoints[row.subscription_id].failing_since,
                claim=str(row.claim),
                traceparent=row.traceparent,
            )
            for row in claimed
        ]

    async def record(self, job: Job, settlement: Settlement) -> None:
        now = self.clock()
        outcome = settlement.outcome
        values: dict[str, Any] = {
            "status": settlement.status,
            "attempts": settlement.attempt,
            "updated_at": now,
        }
        if settlement.next_attempt_at is not None:
            values["next_attempt_at"] = settlement.next_attempt_at
        async with self.database.sessionmaker() as session:
            message = await repository.settle_message(
                session, uuid.UUID(job.message_id), uuid.UUID(job.claim), values
            )
            if message is None:
                # The lease ran out and another dispatcher holds the message: its word counts.
                return
            await repository.add_attempt(
                session,
                Attempt(
                    message_id=message.id,
                    attempted_at=now,
                    status_code=outcome.status,
                    error=_error(outcome),
                    latency_ms=round(outcome.latency_ms),
                    response_body=outcome.response,
                    outcome=outcome_name(settlement),
                ),
            )
            since = settlement.endpoint_failing_since
            if since is None:
                await repository.endpoint_succeeded(session, job.endpoint_id)
            else:
                await repository.endpoint_failing(session, job.endpoint_id, since)
            if settlement.exhausted:
                await record_event(
                    session,
                    ENDPOINT_DELIVERY_EXHAUSTED,
                    DeliveryExhaustedPayload(
                        subscription_id=message.subscription_id,
                        message_id=message.id,
                        event_id=message.event_id,
                        event_type=message.event_type,
                        attempts=settlement.attempt,
                    ),
                )
            if settlement.disable_endpoint:
                await self._disable(session, job.endpoint_id, now, gone=isinstance(outcome, Gone))
            await session.commit()

    async def _disable(
        self, session: AsyncSession, subscription_id: uuid.UUID, now: datetime, *, gone: bool
    ) -> None:
        disabled = await repository.disable_endpoint(session, subscription_id, now)
        if disabled is not None:
            await record_event(
                session,
                ENDPOINT_DISABLED,
                EndpointDisabledPayload(
                    subscription_id=subscription_id,
                    reason="gone" if gone else "failing",
                    failing_since=disabled.failing_since,
                ),
            )

    async def release(self, job: Job) -> None:
        async with self.database.sessionmaker() as session:
            await repository.release_message(
                session, uuid.UUID(job.message_id), uuid.UUID(job.claim), self.clock()
            )
            await session.commit()

    async def depth(self) -> int:
        """Messages waiting for an attempt or in one (the queue-depth metric)."""
        async with self.database.sessionmaker() as session:
            return await repository.queue_depth(session)


def _error(outcome: Outcome) -> str | None:
    if isinstance(outcome, Delivered):
        return None
    if isinstance(outcome, Gone):
        return "HTTP 410: the endpoint is gone"
    return outcome.reason[:ERROR_LIMIT]
