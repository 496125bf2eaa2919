"""Operations on deliveries: one message's log, resending it, recovering every failed message
since a time, sending a test event; for HR admins, and integrations on their own."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from services.webhooks.models import Event, Message, Subscription
from tests.factories import insert
from tests.webhooks.factories import create_attempt, create_event, create_subscription, unknown_id
from tests.webhooks.support import create, integration


async def queue(session: AsyncSession, subscription: Subscription, **overrides: Any) -> Message:
    event = await create_event(session, "person.created")
    values: dict[str, Any] = {
        "subscription_id": subscription.id,
        "event_id": event.id,
        "event_type": event.type,
        "payload": b'{"type":"person.created"}',
        "status": "failed",
        "attempts": 8,
        "next_attempt_at": utcnow() - timedelta(days=1),
    }
    return await insert(session, Message(**(values | overrides)))


async def fresh(session: AsyncSession, message: Message) -> Message:
    await session.refresh(message)
    return message


async def test_a_message_is_read_with_its_delivery_log(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    subscription = await create_subscription(session, app.state.webhooks.vault)
    message = await queue(session, subscription)
    attempt = await create_attempt(session, message, response_body="x" * 1024)
    other = await create_subscription(session, app.state.webhooks.vault)
    path = f"/v1/subscriptions/{subscription.id}/messages"

    found = await client.get(f"{path}/{message.id}", headers=as_admin)
    elsewhere = await client.get(
        f"/v1/subscriptions/{other.id}/messages/{message.id}", headers=as_admin
    )
    missing = await client.get(f"{path}/{unknown_id()}", headers=as_admin)

    assert found.status_code == 200, found.text
    assert (found.json()["id"], found.json()["status"]) == (str(message.id), "failed")
    [logged] = found.json()["attempt_log"]
    assert (logged["id"], logged["status_code"], len(logged["response_body"])) == (
        str(attempt.id),
        500,
        1024,
    )
    assert "payload" not in found.json()
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (404, "message_not_found")
    assert missing.status_code == 404


async def test_a_resend_queues_the_same_message_now(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    subscription = await create_subscription(session, app.state.webhooks.vault)
    message = await queue(session, subscription)
    before = utcnow()

    response = await client.post(
        f"/v1/subscriptions/{subscription.id}/messages/{message.id}/resend", headers=as_admin
    )

    assert response.status_code == 202, response.text
    assert (response.json()["id"], response.json()["status"]) == (str(message.id), "pending")
    row = await fresh(session, message)
    assert (row.status, row.attempts, row.payload) == ("pending", 8, b'{"type":"person.created"}')
    assert before <= row.next_attempt_at <= utcnow()


async def test_a_message_in_delivery_or_of_a_disabled_subscription_is_not_resent(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    vault = app.state.webhooks.vault
    subscription = await create_subscription(session, vault)
    delivering = await queue(
        session, subscription, status="delivering", lease_until=utcnow() + timedelta(seconds=30)
    )
    disabled = await create_subscription(session, vault, enabled=False)
    waiting = await queue(session, disabled)

    busy = await client.post(
        f"/v1/subscriptions/{subscription.id}/messages/{delivering.id}/resend", headers=as_admin
    )
    off = await client.post(
        f"/v1/subscriptions/{disabled.id}/messages/{waiting.id}/resend", headers=as_admin
    )

    assert (busy.status_code, busy.json()["code"]) == (409, "message_in_delivery")
    assert (off.status_code, off.json()["code"]) == (409, "subscription_disabled")
    assert (await fresh(session, waiting)).status == "failed"


async def test_recover_queues_again_the_failed_messages_since_a_time(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    subscription = await create_subscription(session, app.state.webhooks.vault)
    since = utcnow() - timedelta(hours=2)
    old = await queue(session, subscription, created_at=since - timedelta(minutes=1))
    recent = [
        await queue(session, subscription, created_at=since + timedelta(minutes=n)) for n in (0, 5)
    ]
    delivered = await queue(session, subscription, status="delivered", created_at=since)

    response = await client.post(
        f"/v1/subscriptions/{subscription.id}/recover",
        json={"since": since.isoformat()},
        headers=as_admin | {"Idempotency-Key": "recover-1"},
    )
    replay = await client.post(
        f"/v1/subscriptions/{subscription.id}/recover",
        json={"since": since.isoformat()},
        headers=as_admin | {"Idempotency-Key": "recover-1"},
    )
    naive = await client.post(
        f"/v1/subscriptions/{subscription.id}/recover",
        json={"since": "2026-12-01T10:00:00"},
        headers=as_admin,
    )

    assert (response.status_code, response.json()) == (202, {"recovered": 2})
    assert (replay.json(), replay.headers["idempotent-replayed"]) == ({"recovered": 2}, "true")
    assert [(await fresh(session, m)).status for m in recent] == ["pending", "pending"]
    assert (await fresh(session, old)).status == "failed"
    assert (await fresh(session, delivered)).status == "delivered"
    assert naive.status_code == 422


async def test_a_test_event_is_queued_for_that_subscription_alone(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    vault = app.state.webhooks.vault
    subscription = await create_subscription(session, vault, "goals.*")
    await create_subscription(session, vault, "people.*")

    response = await client.post(f"/v1/subscriptions/{subscription.id}/test", headers=as_admin)

    assert response.status_code == 202, response.text
    sent = response.json()
    assert (sent["event_type"], sent["status"], sent["attempts"]) == ("webhook.test", "pending", 0)
    message = await session.get(Message, sent["id"])
    assert message is not None
    body = json.loads(message.payload)
    assert (body["type"], body["data"]) == (
        "webhook.test",
        {"subscription_id": str(subscription.id)},
    )
    event = await session.get(Event, message.event_id)
    assert event is not None
    assert (event.source, event.type) == ("webhooks", "webhook.test")


async def test_integrations_operate_their_own_subscriptions_only(
    client: httpx.AsyncClient, as_admin: dict[str, str], as_employee: dict[str, str]
) -> None:
    hris = integration("hris")
    own = await create(client, hris)
    admins = await create(client, as_admin)
    reader = integration("hris", "webhooks:read", "people:read")

    mine = await client.post(f"/v1/subscriptions/{own['id']}/test", headers=hris)
    theirs = await client.post(f"/v1/subscriptions/{admins['id']}/test", headers=hris)
    read_only = await client.post(f"/v1/subscriptions/{own['id']}/test", headers=reader)
    employee = await client.post(f"/v1/subscriptions/{own['id']}/test", headers=as_employee)
    by_admin = await client.post(f"/v1/subscriptions/{own['id']}/test", headers=as_admin)
    listed = await client.get(
        f"/v1/subscriptions/{own['id']}/messages/{mine.json()['id']}", headers=reader
    )

    assert mine.status_code == 202
    assert (theirs.status_code, theirs.json()["code"]) == (404, "subscription_not_found")
    assert read_only.status_code == 403
    assert employee.status_code == 403
    assert by_admin.status_code == 202
    assert listed.status_code == 200
