"""Reconciling the inbox: changes that arrive before what they need are held and applied
later, dated ones wait for their date, rehires come back as themselves, teams follow."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import httpx
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.models import utcnow
from services.people.hris.worker import reconcile_once
from services.people.models import ReportingLine, Team
from services.people.repository import person_by_external_id
from tests.people.factories import create_person
from tests.people.hris.support import HRIS, inbox, person_event, standard
from tests.support import Outbox, Tokens


async def deliver(client: httpx.AsyncClient, *events: Mapping[str, object]) -> None:
    response = await client.post("/v1/hris/events", **standard({"events": list(events)}))
    assert response.status_code == 202, response.text


async def test_a_report_whose_manager_is_not_there_yet_is_held_then_applied(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession
) -> None:
    await deliver(
        client,
        person_event(
            "person.created", "W-2", email="bo@example.com", name="Bo", manager_external_id="W-1"
        ),
    )
    await reconcile_once(service_db, HRIS)
    [held] = await inbox(session)
    held_status, held_note = held.status, held.note

    await deliver(client, person_event("person.created", "W-1", email="al@example.com", name="Al"))
    await reconcile_once(service_db, HRIS)

    assert (held_status, held_note) == ("held", "waits for person W-1")
    manager = await person_by_external_id(session, "workday", "W-1")
    report = await person_by_external_id(session, "workday", "W-2")
    assert manager is not None
    assert report is not None
    assert report.manager_id == manager.id
    for event in await inbox(session):
        await session.refresh(event)
    assert [event.status for event in await inbox(session)] == ["applied", "applied"]


async def test_a_manager_change_dated_next_month_is_applied_on_its_date(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession, outbox: Outbox
) -> None:
    old = await create_person(session, source="workday", external_id="M-1")
    new = await create_person(session, source="workday", external_id="M-2")
    mover = await create_person(session, source="workday", external_id="W-3", manager_id=old.id)
    next_month = utcnow() + timedelta(days=30)
    await deliver(
        client,
        person_event(
            "person.manager_changed", "W-3", manager_external_id="M-2", effective_at=next_month
        ),
    )

    due = await reconcile_once(service_db, HRIS)
    await session.refresh(mover)
    before = mover.manager_id
    tomorrow = await reconcile_once(service_db, HRIS, clock=lambda: utcnow() + timedelta(days=1))
    await session.refresh(mover)
    still = mover.manager_id
    await reconcile_once(service_db, HRIS, clock=lambda: next_month + timedelta(minutes=1))
    await session.refresh(mover)

    assert due == tomorrow == next_month
    assert before == still == old.id
    assert mover.manager_id == new.id
    assert "person.manager_changed" in await outbox.types()


async def test_a_rehire_is_the_same_person_reactivated_with_their_history(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession, outbox: Outbox
) -> None:
    boss = await create_person(session, source="workday", external_id="B-1")
    await deliver(
        client,
        person_event(
            "person.created", "W-4", email="cy@example.com", name="Cy", manager_external_id="B-1"
        ),
    )
    await reconcile_once(service_db, HRIS)
    await deliver(client, person_event("person.terminated", "W-4"))
    await reconcile_once(service_db, HRIS)
    first = await person_by_external_id(session, "workday", "W-4")
    assert first is not None
    assert first.status == "inactive"

    await deliver(
        client,
        person_event(
            "person.created",
            "W-4",
            email="cy@example.com",
            name="Cy Rehired",
            status="active",
            manager_external_id="B-1",
        ),
    )
    await reconcile_once(service_db, HRIS)

    again = await person_by_external_id(session, "workday", "W-4")
    assert again is not None
    await session.refresh(again)
    assert (again.id, again.status, again.name) == (first.id, "active", "Cy Rehired")
    lines = await session.exec(
        select(ReportingLine).where(col(ReportingLine.person_id) == again.id)
    )
    assert [line.manager_id for line in lines.all()] == [boss.id]
    types = await outbox.types()
    assert types.index("person.deactivated") < types.index("person.reactivated")


async def test_teams_are_created_updated_and_deleted_a_sub_team_waiting_for_its_parent(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession, outbox: Outbox
) -> None:
    lead = await create_person(session, source="workday", external_id="L-1")
    sub_team = {
        "type": "team.created",
        "team": {"external_id": "T-2", "name": "Payments", "parent_external_id": "T-1"},
    }
    team = {
        "type": "team.created",
        "team": {
            "external_id": "T-1",
            "name": "Engineering",
            "kind": "department",
            "lead_external_id": "L-1",
        },
    }
    await deliver(client, sub_team)
    await reconcile_once(service_db, HRIS)
    await deliver(client, team)
    await reconcile_once(service_db, HRIS)
    await deliver(
        client,
        {"type": "team.updated", "team": {"external_id": "T-1", "name": "Product Engineering"}},
        {"type": "team.deleted", "team": {"external_id": "T-2"}},
    )
    await reconcile_once(service_db, HRIS)

    [engineering] = (await session.exec(select(Team))).all()
    await session.refresh(engineering)
    assert (engineering.name, engineering.kind, engineering.lead_id) == (
        "Product Engineering",
        "department",
        lead.id,
    )
    assert await outbox.types() == ["team.created", "team.created", "team.updated", "team.deleted"]


async def test_a_change_the_directory_refuses_is_kept_as_failed_with_its_reason(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession
) -> None:
    await create_person(session, email="taken@example.com")
    await deliver(
        client, person_event("person.created", "W-5", email="taken@example.com", name="Dup")
    )

    await reconcile_once(service_db, HRIS)

    [event] = await inbox(session)
    await session.refresh(event)
    assert event.status == "failed"
    assert event.note is not None
    assert event.note.startswith("email_taken")
    assert await person_by_external_id(session, "workday", "W-5") is None


async def test_the_inbox_shows_what_each_change_became_to_hr_admins_only(
    client: httpx.AsyncClient,
    service_db: Database,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
) -> None:
    employee = await create_person(session, email="emma@example.com")
    await deliver(
        client,
        person_event("person.created", "W-7", email="di@example.com", name="Di"),
        person_event(
            "person.created", "W-8", email="ed@example.com", name="Ed", manager_external_id="W-99"
        ),
    )
    await reconcile_once(service_db, HRIS)

    everything = await client.get("/v1/hris/events", headers=as_admin)
    held = await client.get(
        "/v1/hris/events?status=held", headers=tokens.integration("people:write")
    )
    refused = [
        (await client.get("/v1/hris/events", headers=headers)).status_code
        for headers in (tokens.person(employee.email), tokens.integration("people:read"))
    ]

    assert [(item["external_id"], item["status"]) for item in everything.json()["items"]] == [
        ("W-7", "applied"),
        ("W-8", "held"),
    ]
    [waiting] = held.json()["items"]
    assert (waiting["external_id"], waiting["note"]) == ("W-8", "waits for person W-99")
    assert refused == [403, 403]


async def test_a_later_change_of_a_held_person_waits_behind_it(
    client: httpx.AsyncClient, service_db: Database, session: AsyncSession
) -> None:
    mover = await create_person(session, source="workday", external_id="W-9", title="Analyst")
    await deliver(
        client,
        person_event("person.updated", "W-9", title="Lead", manager_external_id="W-10"),
    )
    await deliver(client, person_event("person.updated", "W-9", title="Head of data"))
    await reconcile_once(service_db, HRIS)
    await session.refresh(mover)
    title_while_held = mover.title
    notes = [(event.status, event.note) for event in await inbox(session)]

    await deliver(client, person_event("person.created", "W-10", email="m@example.com", name="M"))
    await reconcile_once(service_db, HRIS)

    assert title_while_held == "Analyst"
    assert notes == [
        ("held", "waits for person W-10"),
        ("held", "waits for an earlier change of person W-9"),
    ]
    await session.refresh(mover)
    assert mover.title == "Head of data"
    assert mover.manager_id is not None
