"""Rows written straight to the database to set the scene: people of the org copy, logged
events, subscriptions, and the attempts a dispatcher would have written."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id, utcnow
from services.webhooks.models import Attempt, Event, Message, Subscription
from services.webhooks.vault import Vault, new_secret
from tests.factories import create_hr_admin as create_hr_admin
from tests.factories import create_person as create_person
from tests.factories import insert
from tests.factories import unknown_id as unknown_id


async def create_event(
    session: AsyncSession,
    type_: str = "person.created",
    source: str = "people",
    occurred_at: datetime | None = None,
    **data: Any,
) -> Event:
    return await insert(
        session,
        Event(
            id=new_id(),
            source=source,
            type=type_,
            occurred_at=occurred_at or utcnow(),
            data=data or {"id": str(uuid.uuid4())},
        ),
    )


async def create_attempt(session: AsyncSession, message: Message, **overrides: Any) -> Attempt:
    values: dict[str, Any] = {
        "message_id": message.id,
        "status_code": 500,
        "latency_ms": 12,
        "response_body": "down for maintenance",
        "outcome": "failed",
    }
    return await insert(session, Attempt(**(values | overrides)))


async def create_subscription(
    session: AsyncSession, vault: Vault, *event_types: str, **overrides: Any
) -> Subscription:
    """An HR admin's subscription to `event_types` (by default every people event)."""
    sealed = vault.seal(new_secret()[1])
    values: dict[str, Any] = {
        "url": "https://hris.example.com/hook",
        "event_types": list(event_types or ["people.*"]),
        "owner_role": "hr_admin",
        "owner_subject": str(uuid.uuid4()),
        "owner_scopes": [],
        "secret_key_id": sealed.key_id,
        "secret": sealed.ciphertext,
    }
    return await insert(session, Subscription(**(values | overrides)))
