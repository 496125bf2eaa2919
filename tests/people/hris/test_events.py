"""Deliveries from an HRIS: signed over the raw body, kept once per webhook id, 202; the
worker applies them. Real senders' shapes: the generic format, a unified API, BambooHR."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
from sqlalchemy import event as engine_events
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.models import utcnow
from services.people.hris.worker import reconcile_hris, reconcile_once
from services.people.repository import person_by_external_id
from tests.people.factories import create_person
from tests.people.hris.support import HRIS, MERGE_SECRET, bamboohr, inbox, person_event, standard
from tests.support import Outbox, Statements, call, service_app

ADA = person_event("person.created", "W-100", email="ada@example.com", name="Ada Lovelace")


async def test_a_signed_delivery_is_accepted_and_applied_in_the_background(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession, outbox: Outbox
) -> None:
    response = await client.post("/v1/hris/events", **standard(ADA))

    assert response.status_code == 202, response.text
    assert response.json() == {"accepted": 1, "duplicate": False}
    assert await person_by_external_id(session, "workday", "W-100") is None
    await reconcile_once(service_db, HRIS)
    ada = await person_by_external_id(session, "workday", "W-100")
    assert ada is not None
    assert (ada.email, ada.name) == ("ada@example.com", "Ada Lovelace")
    assert "person.created" in await outbox.types()
    [event] = await inbox(session)
    assert (event.status, event.integration) == ("applied", "workday")


async def test_a_replayed_webhook_id_changes_nothing_the_second_time(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession, outbox: Outbox
) -> None:
    delivery = standard(ADA, webhook_id="msg_replayed")
    await client.post("/v1/hris/events", **delivery)
    await reconcile_once(service_db, HRIS)

    again = await client.post("/v1/hris/events", **standard(ADA, webhook_id="msg_replayed"))
    await reconcile_once(service_db, HRIS)

    assert again.status_code == 202
    assert again.json() == {"accepted": 0, "duplicate": True}
    assert len(await inbox(session)) == 1
    assert (await outbox.types()).count("person.created") == 1


async def test_a_bad_signature_is_refused_with_a_problem(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    forged = standard(ADA, secret="whsec_" + "bm90LXRoZS1yaWdodC1zZWNyZXQ=")
    tampered = standard(ADA)
    tampered["content"] = tampered["content"].replace(b"Ada Lovelace", b"Eve Mallory")

    responses = [await client.post("/v1/hris/events", **each) for each in (forged, tampered)]

    assert [each.status_code for each in responses] == [401, 401]
    assert responses[0].headers["content-type"] == "application/problem+json"
    assert responses[0].json()["code"] == "bad_signature"
    assert await inbox(session) == []


async def test_a_timestamp_over_five_minutes_away_either_way_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    old = standard(ADA, at=utcnow() - timedelta(minutes=6))
    ahead = standard(ADA, at=utcnow() + timedelta(minutes=6))
    recent = standard(ADA, at=utcnow() - timedelta(minutes=4))

    statuses = [
        (await client.post("/v1/hris/events", **each)).status_code for each in (old, ahead, recent)
    ]

    assert statuses == [401, 401, 202]
    assert len(await inbox(session)) == 1


async def test_unsigned_or_bearer_only_deliveries_are_refused(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.post("/v1/hris/events", json=ADA, headers=as_admin)

    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"


async def test_a_signed_but_malformed_delivery_is_a_field_problem(
    client: httpx.AsyncClient,
) -> None:
    bad = person_event("person.created", "W-101", email="not-an-email", name="Bad")

    response = await client.post("/v1/hris/events", **standard(bad))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.events.0.person.email"


async def test_a_unified_api_employee_change_updates_the_person(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession, outbox: Outbox
) -> None:
    grace = await create_person(
        session,
        source="merge",
        external_id="0958cbc6-6040-430a-848e-aafacbadf4ae",
        email="grace@example.com",
        name="Grace Hopper",
        title="Engineer",
    )
    hook = {
        "hook": {
            "id": "hook_1",
            "event": "Employee.changed",
            "target": "https://inspire.example/v1/hris/events",
        },
        "linked_account": {"id": "acc_1", "integration": "BambooHR", "category": "hris"},
        "data": {
            "id": "0958cbc6-6040-430a-848e-aafacbadf4ae",
            "remote_id": "19202938",
            "employee_number": "2",
            "first_name": "Grace",
            "last_name": "Hopper",
            "display_full_name": "Grace Hopper",
            "work_email": "grace@example.com",
            "job_title": "Rear Admiral",
            "manager": None,
            "employment_status": "ACTIVE",
            "remote_was_deleted": False,
        },
    }

    response = await client.post("/v1/hris/events", **standard(hook, secret=MERGE_SECRET))
    await reconcile_once(service_db, HRIS)

    assert response.status_code == 202
    await session.refresh(grace)
    assert (grace.title, grace.employee_number) == ("Rear Admiral", "2")
    [(_, payload)] = [each for each in await outbox.events() if each[0] == "person.updated"]
    assert sorted(payload["changed"]) == ["employee_number", "title"]


async def test_a_unified_api_employee_removal_deactivates(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession
) -> None:
    leaver = await create_person(
        session, source="merge", external_id="emp-9", email="leaver@example.com"
    )
    hook = {
        "hook": {"event": "Employee.removed"},
        "data": {"id": "emp-9", "work_email": "leaver@example.com"},
    }

    await client.post("/v1/hris/events", **standard(hook, secret=MERGE_SECRET))
    await reconcile_once(service_db, HRIS)

    await session.refresh(leaver)
    assert leaver.status == "inactive"


# BambooHR's field-based webhook, as its documentation shows one (field names aliased).
BAMBOO_HIRE = {
    "employees": [
        {
            "id": "5",
            "action": "Created",
            "timestamp": "2026-12-01T14:00:00+00:00",
            "changedFields": ["firstName", "lastName", "jobTitle", "workEmail"],
            "fields": {
                "firstName": {"value": "Ashley"},
                "lastName": {"value": "Adams"},
                "jobTitle": {"value": "Senior HR Administrator"},
                "workEmail": {"value": "aadams@efficientoffice.com"},
                "Employee #": 5,
                "Status": {"value": "Active"},
            },
        }
    ],
    "fields": {"firstName": "First Name", "lastName": "Last Name", "jobTitle": "Job Title"},
}


async def test_a_bamboohr_field_based_webhook_creates_the_employee(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession
) -> None:
    response = await client.post("/v1/hris/events", **bamboohr(BAMBOO_HIRE))
    await reconcile_once(service_db, HRIS)

    assert response.status_code == 202, response.text
    ashley = await person_by_external_id(session, "bamboohr", "5")
    assert ashley is not None
    assert (ashley.name, ashley.title, ashley.email, ashley.employee_number) == (
        "Ashley Adams",
        "Senior HR Administrator",
        "aadams@efficientoffice.com",
        "5",
    )


async def test_a_bamboohr_delivery_with_a_wrong_signature_or_old_timestamp_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    wrong = bamboohr(BAMBOO_HIRE, key="another-webhook-private-key")
    old = bamboohr(BAMBOO_HIRE, at=utcnow() - timedelta(minutes=10))

    statuses = [(await client.post("/v1/hris/events", **each)).status_code for each in (wrong, old)]

    assert statuses == [401, 401]
    assert await inbox(session) == []


async def test_a_bamboohr_retry_of_the_same_body_is_a_duplicate(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = await client.post("/v1/hris/events", **bamboohr(BAMBOO_HIRE))
    retry = await client.post("/v1/hris/events", **bamboohr(BAMBOO_HIRE))

    assert (first.json()["duplicate"], retry.json()["duplicate"]) == (False, True)


async def test_a_bamboohr_event_based_deletion_terminates(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession
) -> None:
    leaver = await create_person(session, source="bamboohr", external_id="67890")
    deleted = {
        "type": "employee.deleted",
        "timestamp": "2026-12-01T18:42:00+0000",
        "data": {"companyId": "12345", "employeeId": "67890"},
    }
    updated = {**deleted, "type": "employee.updated"}

    accepted = await client.post("/v1/hris/events", **bamboohr(deleted))
    refused = await client.post("/v1/hris/events", **bamboohr(updated))
    await reconcile_once(service_db, HRIS)

    assert accepted.status_code == 202
    assert (refused.status_code, refused.json()["code"]) == (422, "bamboohr_fields_needed")
    await session.refresh(leaver)
    assert leaver.status == "inactive"


async def test_the_worker_wakes_on_the_delivery_commit(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    """On committed data (the worker and the request each on their own connection)."""
    database = Database(await fresh_database("people"), pool_size=4)
    app = service_app("people", database, hris=HRIS)
    stop = asyncio.Event()
    worker = asyncio.create_task(reconcile_hris(app, stop))
    await asyncio.sleep(0.2)  # its first pass finds nothing; then it waits for a commit
    try:
        response = await call(app, "people", "POST", "/v1/hris/events", **standard(ADA))
        for _ in range(100):
            async with database.sessionmaker() as session:
                ada = await person_by_external_id(session, "workday", "W-100")
            if ada is not None:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # the pass after the one that applied it finds nothing
        idle = Statements()
        engine_events.listen(database.engine.sync_engine, "before_cursor_execute", idle)
        await asyncio.sleep(1)
        engine_events.remove(database.engine.sync_engine, "before_cursor_execute", idle)
    finally:
        stop.set()
        await asyncio.wait_for(worker, timeout=5)
        await database.dispose()

    assert response.status_code == 202
    assert ada is not None
    assert ada.name == "Ada Lovelace"
    assert idle.count == 0, "an idle worker sends no statements"


async def test_a_bamboohr_job_change_dated_later_waits_for_its_date(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession
) -> None:
    promoted = await create_person(session, source="bamboohr", external_id="41", title="Engineer")
    start = (utcnow() + timedelta(days=14)).date()
    change = {
        "employees": [
            {
                "id": 41,
                "action": "Updated",
                "changedFields": ["Job Title"],
                "fields": {"Job Title": "Engineering Manager", "Job Information: Date": str(start)},
            }
        ]
    }

    await client.post("/v1/hris/events", **bamboohr(change))
    await reconcile_once(service_db, HRIS)
    await session.refresh(promoted)
    before = promoted.title
    await reconcile_once(service_db, HRIS, clock=lambda: utcnow() + timedelta(days=15))
    await session.refresh(promoted)

    assert before == "Engineer"
    assert promoted.title == "Engineering Manager"


async def test_a_unified_api_group_becomes_a_team(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession, outbox: Outbox
) -> None:
    group = {
        "hook": {"event": "Group.added"},
        "data": {"id": "grp_1", "remote_id": "D-7", "name": "Finance", "type": "DEPARTMENT"},
    }

    await client.post("/v1/hris/events", **standard(group, secret=MERGE_SECRET))
    await reconcile_once(service_db, HRIS)

    [(kind, payload)] = await outbox.events()
    assert kind == "team.created"
    assert (payload["name"], payload["kind"]) == ("Finance", "department")
