"""Reads cost the same few statements whatever they return: a page of events, a page of
messages with all their attempts."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from services.webhooks.models import Message
from tests.factories import insert
from tests.support import Statements
from tests.webhooks.factories import create_attempt, create_event, create_subscription


async def test_a_page_of_events_is_read_alike_whatever_its_size(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    statements: Statements,
) -> None:
    await create_event(session)
    one = await statements.of_read(client, "/v1/events", as_admin)
    for _ in range(20):
        await create_event(session)
    many = await statements.of_read(client, "/v1/events", as_admin)

    assert one == many <= 2


async def test_messages_and_their_attempts_are_read_alike_whatever_their_number(
    client: httpx.AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    as_admin: dict[str, str],
    statements: Statements,
) -> None:
    subscription = await create_subscription(session, app.state.webhooks.vault)
    path = f"/v1/subscriptions/{subscription.id}/messages"

    async def add_message() -> None:
        event = await create_event(session)
        message = await insert(
            session,
            Message(
                subscription_id=subscription.id,
                event_id=event.id,
                event_type=event.type,
                payload=b"{}",
                next_attempt_at=utcnow(),
            ),
        )
        for _ in range(3):
            await create_attempt(session, message)

    await add_message()
    one = await statements.of_read(client, path, as_admin)
    for _ in range(10):
        await add_message()
    many = await statements.of_read(client, path, as_admin)

    assert one == many <= 4
