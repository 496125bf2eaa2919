"""The event log: each event of a feed logged once and fanned out, in the same transaction,
to the enabled subscriptions that take it in (OKR events by exact name only, an integration's
within its scopes); listed by type, source and time for 30 days, then pruned."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.events import FeedEvent
from kit.models import new_id, utcnow
from services.webhooks import service
from services.webhooks.models import Event, Message
from tests.factories import count_rows
from tests.webhooks.factories import create_event, create_subscription
from tests.webhooks.support import integration

positions = iter(range(1, 1_000_000))


def feed_event(type_: str, occurred_at: datetime | None = None, **payload: Any) -> FeedEvent:
    return FeedEvent(
        id=new_id(),
        position=next(positions),
        type=type_,
        occurred_at=occurred_at or utcnow(),
        payload=payload or {"id": str(uuid.uuid4())},
    )


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], *event_types: str, enabled: bool = True
) -> str:
    response = await client.post(
        "/v1/subscriptions",
        json={
            "url": "https://hris.example.com/hook",
            "event_types": list(event_types),
            "enabled": enabled,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    subscription_id: str = response.json()["id"]
    return subscription_id


async def receivers(session: AsyncSession, event: FeedEvent) -> set[str]:
    rows = await session.exec(select(Message).where(col(Message.event_id) == event.id))
    return {str(row.subscription_id) for row in rows.all()}


# --- Fan-out ----------------------------------------------------------------------------------


async def test_an_event_reaches_each_subscription_that_takes_it_in(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    by_service = await subscribe(client, as_admin, "people.*")
    by_entity = await subscribe(client, as_admin, "person.*")
    by_name = await subscribe(client, as_admin, "person.created", "team.created")
    await subscribe(client, as_admin, "team.*")
    await subscribe(client, as_admin, "person.created", enabled=False)
    event = feed_event("person.created")

    queued = await service.log_event(session, "people", event)

    assert queued == 3
    assert await receivers(session, event) == {by_service, by_entity, by_name}
    message = (await session.exec(select(Message).where(col(Message.event_id) == event.id))).first()
    assert message is not None
    assert (message.status, message.attempts, message.event_type) == (
        "pending",
        0,
        "person.created",
    )
    assert message.next_attempt_at <= utcnow()


async def test_okr_events_reach_only_subscriptions_naming_them(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await subscribe(client, as_admin, "goals.*")
    named = await subscribe(client, as_admin, "objective.created")
    event = feed_event("objective.created")

    await service.log_event(session, "goals", event)

    assert await receivers(session, event) == {named}


async def test_an_integration_receives_only_what_its_scopes_read(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    hris = await subscribe(client, integration("hris"), "person.created")
    # The admin's own subscriptions are bounded by nothing; an integration's are, even when
    # a pattern would take the event in.
    admins = await subscribe(client, as_admin, "feedback.*")
    feedback_reader = await subscribe(
        client, integration("pulse", "webhooks:write", "feedback:read"), "feedback.*"
    )
    person = feed_event("person.created")
    feedback = feed_event("feedback.given")

    await service.log_event(session, "people", person)
    await service.log_event(session, "feedback", feedback)

    assert await receivers(session, person) == {hris}
    assert await receivers(session, feedback) == {admins, feedback_reader}


async def test_an_integration_hears_only_of_its_own_subscriptions(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    watcher = ("webhooks:write", "webhooks:read", "people:read")
    hris = await subscribe(client, integration("hris", *watcher), "endpoint.*", "person.created")
    payroll = await subscribe(client, integration("payroll", *watcher), "endpoint.*")
    admins = await subscribe(client, as_admin, "webhooks.*")
    exhausted = feed_event(
        "endpoint.delivery_exhausted",
        subscription_id=hris,
        message_id=str(uuid.uuid4()),
        event_id=str(uuid.uuid4()),
        event_type="person.created",
        attempts=8,
    )

    await service.log_event(session, "webhooks", exhausted)

    assert await receivers(session, exhausted) == {hris, admins}
    assert payroll not in await receivers(session, exhausted)


async def test_an_event_is_logged_and_fanned_out_once(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await subscribe(client, as_admin, "people.*")
    event = feed_event(
        "person.updated", id="5d1c0a4e-6a7b-4c2f-9f00-0e5b7c1d2a3b", changed=["name"]
    )

    first = await service.log_event(session, "people", event)
    again = await service.log_event(session, "people", event)

    assert (first, again) == (1, 0)
    assert await count_rows(session, Message) == 1
    logged = await session.get(Event, event.id)
    assert logged is not None
    assert (logged.source, logged.type, logged.data) == (
        "people",
        "person.updated",
        {"id": "5d1c0a4e-6a7b-4c2f-9f00-0e5b7c1d2a3b", "changed": ["name"]},
    )


# --- The events API ---------------------------------------------------------------------------


async def log(session: AsyncSession, *events: tuple[str, str, datetime]) -> list[str]:
    return [
        str((await create_event(session, type_, source, occurred_at)).id)
        for source, type_, occurred_at in events
    ]


async def listed(client: httpx.AsyncClient, headers: dict[str, str], query: str = "") -> list[str]:
    response = await client.get(f"/v1/events{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [event["id"] for event in response.json()["items"]]


async def test_events_are_listed_oldest_first_and_filtered(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    t = datetime(2026, 11, 20, 9, 0, tzinfo=utcnow().tzinfo)
    person, objective, feedback, team = await log(
        session,
        ("people", "person.created", t),
        ("goals", "objective.created", t + timedelta(hours=1)),
        ("feedback", "feedback.given", t + timedelta(hours=2)),
        ("people", "team.created", t + timedelta(hours=3)),
    )

    assert await listed(client, as_admin) == [person, objective, feedback, team]
    assert await listed(client, as_admin, "?type=objective.created") == [objective]
    assert await listed(client, as_admin, "?type=people.*") == [person, team]
    assert await listed(client, as_admin, "?type=team.*") == [team]
    assert await listed(client, as_admin, "?source=goals") == [objective]
    window = "?occurred_after=2026-11-20T10:00:00Z&occurred_before=2026-11-20T12:00:00%2B01:00"
    assert await listed(client, as_admin, window) == [objective]


async def test_event_pages_follow_each_other(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    t = utcnow() - timedelta(days=1)
    ids = await log(
        session, *[("people", "person.created", t + timedelta(minutes=i)) for i in range(5)]
    )

    first = await client.get("/v1/events?limit=2", headers=as_admin)
    cursor = first.json()["next_cursor"]
    second = await client.get(f"/v1/events?limit=2&cursor={cursor}", headers=as_admin)
    third = await client.get(
        f"/v1/events?limit=2&cursor={second.json()['next_cursor']}", headers=as_admin
    )
    bad = await client.get("/v1/events?cursor=nonsense", headers=as_admin)

    pages = [[e["id"] for e in page.json()["items"]] for page in (first, second, third)]
    assert pages == [ids[:2], ids[2:4], ids[4:]]
    assert third.json()["next_cursor"] is None
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")


async def test_an_event_carries_its_payload_as_published(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    event = await create_event(session, "feedback.given", "feedback", id="f1", giver_id="p1")

    response = await client.get("/v1/events", headers=as_admin)

    assert response.json()["items"] == [
        {
            "id": str(event.id),
            "source": "feedback",
            "type": "feedback.given",
            "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": {"id": "f1", "giver_id": "p1"},
        }
    ]


async def test_an_integration_lists_the_events_its_scopes_read(
    client: httpx.AsyncClient, session: AsyncSession, as_integration: dict[str, str]
) -> None:
    t = utcnow() - timedelta(hours=1)
    person, _objective, feedback = await log(
        session,
        ("people", "person.created", t),
        ("goals", "objective.created", t),
        ("feedback", "feedback.given", t),
    )

    assert sorted(await listed(client, as_integration)) == sorted([person, feedback])
    assert await listed(client, as_integration, "?source=goals") == []


async def test_an_integration_lists_endpoint_events_of_its_own_subscriptions_alone(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    vault = app.state.webhooks.vault
    owned = {"owner_role": "integration", "owner_scopes": ["webhooks:read"]}
    own = await create_subscription(session, vault, owner_subject="hris", **owned)
    others = await create_subscription(session, vault, owner_subject="payroll", **owned)
    mine = await create_event(
        session, "endpoint.disabled", "webhooks", subscription_id=str(own.id), reason="gone"
    )
    theirs = await create_event(
        session, "endpoint.disabled", "webhooks", subscription_id=str(others.id), reason="gone"
    )
    watcher = integration("hris", "webhooks:read")

    assert await listed(client, watcher) == [str(mine.id)]
    assert await listed(client, as_admin) == [str(mine.id), str(theirs.id)]


async def test_a_bad_filter_is_a_problem(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    for query in ("?type=goals", "?occurred_after=yesterday", "?colour=red"):
        response = await client.get(f"/v1/events{query}", headers=as_admin)
        assert response.status_code == 422, query


# --- Retention --------------------------------------------------------------------------------


async def test_events_older_than_30_days_are_pruned_with_their_messages(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await subscribe(client, as_admin, "people.*")
    now = datetime(2026, 12, 1, 12, 0, tzinfo=utcnow().tzinfo)
    old = feed_event("person.created", occurred_at=now - timedelta(days=30, seconds=1))
    kept = feed_event("person.updated", occurred_at=now - timedelta(days=29, hours=23))
    for event in (old, kept):
        await service.log_event(session, "people", event)

    pruned = await service.prune_events(session, now, timedelta(days=30))

    assert pruned == 1
    remaining = (await session.exec(select(Event.id))).all()
    assert list(remaining) == [kept.id]
    assert await receivers(session, old) == set()
    assert len(await receivers(session, kept)) == 1
    # A day later the other one goes too.
    assert await service.prune_events(session, now + timedelta(days=1), timedelta(days=30)) == 1
