"""Rows written straight to the database to set the scene: people of the org copy, logged
events, and the messages and attempts a dispatcher would have written."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id, utcnow
from services.webhooks.models import Attempt, Event, Message
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
