"""A subscription's messages as its owner reads them: oldest first, each with every attempt
to deliver it, filtered by status, in pages; nobody else's."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from services.webhooks.models import Message
from tests.factories import insert
from tests.webhooks.factories import create_attempt, create_event, create_subscription
from tests.webhooks.support import integration


async def test_messages_are_listed_with_their_attempts(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    subscription = await create_subscription(session, app.state.webhooks.vault)
    t = utcnow() - timedelta(hours=1)
    first_event = await create_event(session, "person.created")
    second_event = await create_event(session, "person.updated")
    failing = await insert(
        session,
        Message(
            subscription_id=subscription.id,
            event_id=first_event.id,
            event_type="person.created",
            payload=b"{}",
            status="pending",
            attempts=2,
            next_attempt_at=t + timedelta(minutes=5),
            created_at=t,
        ),
    )
    delivered = await insert(
        session,
        Message(
            subscription_id=subscription.id,
            event_id=second_event.id,
            event_type="person.updated",
            payload=b"{}",
            status="delivered",
            attempts=1,
            next_attempt_at=t,
            created_at=t + timedelta(seconds=1),
        ),
    )
    timeout = await create_attempt(
        session,
        failing,
        status_code=None,
        error="timeout",
        response_body="",
        outcome="timeout",
        attempted_at=t,
    )
    refused = await create_attempt(session, failing, attempted_at=t + timedelta(seconds=5))
    await create_attempt(session, delivered, status_code=204, response_body="", outcome="delivered")
    path = f"/v1/subscriptions/{subscription.id}/messages"

    response = await client.get(path, headers=as_admin)
    pending = await client.get(f"{path}?status=pending", headers=as_admin)
    paged = await client.get(f"{path}?limit=1", headers=as_admin)

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [(m["id"], m["status"], m["attempts"]) for m in items] == [
        (str(failing.id), "pending", 2),
        (str(delivered.id), "delivered", 1),
    ]
    assert [a["id"] for a in items[0]["attempt_log"]] == [str(timeout.id), str(refused.id)]
    assert items[0]["attempt_log"][1] | {"id": None, "attempted_at": None} == {
        "id": None,
        "attempted_at": None,
        "status_code": 500,
        "error": None,
        "latency_ms": 12,
        "response_body": "down for maintenance",
        "outcome": "failed",
    }
    assert "lease_until" not in items[0]
    assert [m["id"] for m in pending.json()["items"]] == [str(failing.id)]
    assert [m["id"] for m in paged.json()["items"]] == [str(failing.id)]
    assert paged.json()["next_cursor"] is not None


async def test_only_the_owner_and_hr_admins_read_an_integrations_messages(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    subscription = await create_subscription(
        session,
        app.state.webhooks.vault,
        owner_role="integration",
        owner_subject="hris",
        owner_scopes=["people:read"],
    )
    path = f"/v1/subscriptions/{subscription.id}/messages"

    owner = await client.get(path, headers=integration("hris"))
    admin = await client.get(path, headers=as_admin)
    outsider = await client.get(path, headers=integration("payroll"))
    bad_status = await client.get(f"{path}?status=lost", headers=as_admin)

    assert (owner.status_code, admin.status_code, outsider.status_code) == (200, 200, 404)
    assert bad_status.status_code == 422
