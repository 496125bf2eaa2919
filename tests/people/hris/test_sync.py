"""Roster syncs: a dry run by default, guards against mass deactivation and mass email
changes, warnings for bad rows while the rest is applied, local edits overwritten in plain
sight, a report kept for each, and who may run them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Person
from services.people.repository import person_by_external_id
from tests.people.factories import create_person
from tests.support import Outbox, Tokens

SYNC = "/v1/hris/sync"


def row(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "email": f"{external_id.lower()}@example.com",
        "name": f"Person {external_id}",
        **fields,
    }


# Of three people: one unchanged, one newly titled, one unchanged, and a newcomer under E0.
ROSTER = [
    row("E0"),
    row("E1", title="Staff engineer"),
    row("E2"),
    row("N1", manager_external_id="E0"),
]


async def staff(session: AsyncSession, count: int) -> list[Person]:
    return [
        await create_person(
            session,
            source="hris",
            external_id=f"E{number}",
            email=f"e{number}@example.com",
            name=f"Person E{number}",
        )
        for number in range(count)
    ]


async def sync(
    client: httpx.AsyncClient, headers: dict[str, str], people: Sequence[object], **flags: bool
) -> httpx.Response:
    response = await client.post(
        SYNC, json={"source": "hris", "people": list(people), **flags}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response


async def test_a_dry_run_reports_field_level_changes_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], outbox: Outbox
) -> None:
    people = await staff(session, 3)

    report = (await sync(client, as_admin, ROSTER)).json()

    assert report["outcome"] == "dry_run"
    assert {
        key: report["counts"][key] for key in ("create", "update", "unchanged", "deactivate")
    } == {
        "create": 1,
        "update": 1,
        "unchanged": 2,
        "deactivate": 0,
    }
    updated = next(change for change in report["changes"] if change["external_id"] == "E1")
    assert updated["changes"] == [
        {"field": "title", "old": None, "new": "Staff engineer", "overwrites_local_edit": False}
    ]
    created = next(change for change in report["changes"] if change["external_id"] == "N1")
    assert {
        "field": "manager_id",
        "old": None,
        "new": str(people[0].id),
        "overwrites_local_edit": False,
    } in created["changes"]
    assert await person_by_external_id(session, "hris", "N1") is None
    await session.refresh(people[1])
    assert people[1].title is None
    assert await outbox.types() == []


async def test_apply_makes_the_changes_and_sends_the_directory_events(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], outbox: Outbox
) -> None:
    people = await staff(session, 3)

    report = (await sync(client, as_admin, ROSTER, apply=True)).json()

    assert report["outcome"] == "applied"
    newcomer = await person_by_external_id(session, "hris", "N1")
    assert newcomer is not None
    assert newcomer.manager_id == people[0].id
    await session.refresh(people[1])
    assert people[1].title == "Staff engineer"
    types = await outbox.types()
    assert {"person.created", "person.updated", "person.manager_changed"} <= set(types)


async def test_deactivating_over_40_percent_is_refused_unless_forced(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    people = await staff(session, 5)
    roster = [row("E0"), row("E1")]  # three of five (60 %) would go

    refused = (await sync(client, as_admin, roster, apply=True)).json()
    await session.refresh(people[4])
    status_after_refusal = people[4].status
    forced = (await sync(client, as_admin, roster, apply=True, force=True)).json()
    await session.refresh(people[4])

    assert refused["outcome"] == "refused"
    assert [refusal["code"] for refusal in refused["refusals"]] == ["too_many_deactivations"]
    assert refused["refusals"][0]["share"] == 0.6
    assert refused["counts"]["deactivate"] == 3
    assert status_after_refusal == "active"
    assert (forced["outcome"], forced["forced"]) == ("applied", True)
    assert people[4].status == "inactive"


async def test_deactivating_up_to_40_percent_is_applied(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await staff(session, 5)

    report = (await sync(client, as_admin, [row(f"E{n}") for n in range(3)], apply=True)).json()

    assert (report["outcome"], report["counts"]["deactivate"]) == ("applied", 2)


async def test_changing_over_5_percent_of_emails_is_refused_unless_forced(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    people = await staff(session, 10)
    roster = [row(f"E{n}", name=f"Person E{n}") for n in range(10)]
    roster[0]["email"] = "e0.new@example.com"  # one of ten: 10 %

    refused = (await sync(client, as_admin, roster, apply=True)).json()
    await session.refresh(people[0])
    email_after_refusal = people[0].email
    forced = (await sync(client, as_admin, roster, apply=True, force=True)).json()
    await session.refresh(people[0])

    assert [refusal["code"] for refusal in refused["refusals"]] == ["too_many_email_changes"]
    assert email_after_refusal == "e0@example.com"
    assert forced["outcome"] == "applied"
    assert people[0].email == "e0.new@example.com"


async def test_bad_rows_become_field_warnings_and_the_rest_is_applied(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await staff(session, 2)
    await create_person(session, email="taken@example.com")
    roster = [
        row("E0"),
        row("E1", email="not an email"),  # bad: E1 is kept as is, not deactivated
        row("N1"),
        row("N2", email="taken@example.com"),
        {"email": "nobody@example.com", "name": "No id"},
        row("N3", manager_external_id="GHOST"),
        row("N1"),
        "E9,e9@example.com",
    ]

    report = (await sync(client, as_admin, roster, apply=True)).json()

    warnings = {(w["row"], w["field"], w["code"]) for w in report["warnings"]}
    assert warnings == {
        (2, "email", "invalid_value"),
        (4, "email", "email_taken"),
        (5, "external_id", "invalid_value"),
        (6, "manager_external_id", "unknown_manager"),
        (7, "external_id", "duplicate_external_id"),
        (8, None, "invalid_value"),
    }
    assert report["outcome"] == "applied"
    assert report["counts"]["deactivate"] == 0
    assert report["counts"]["warnings"] == 6
    for created in ("N1", "N3"):
        assert await person_by_external_id(session, "hris", created) is not None
    assert await person_by_external_id(session, "hris", "N2") is None


async def test_a_local_edit_of_an_hris_field_is_overwritten_and_reported(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await staff(session, 1)
    await sync(client, as_admin, [row("E0", title="Engineer")], apply=True)
    person = await client.get("/v1/people?q=E0", headers=as_admin)
    [read] = person.json()["items"]
    edited = await client.patch(
        f"/v1/people/{read['id']}",
        json={"title": "Chief wizard", "time_zone": "Asia/Tokyo"},
        headers={**as_admin, "If-Match": f'"{read["version"]}"'},
    )
    assert edited.status_code == 200, edited.text

    report = (
        await sync(client, as_admin, [row("E0", title="Engineer", time_zone="UTC")], apply=True)
    ).json()

    [change] = report["changes"]
    assert change["changes"] == [
        {"field": "title", "old": "Chief wizard", "new": "Engineer", "overwrites_local_edit": True}
    ]
    after = (await client.get(f"/v1/people/{read['id']}", headers=as_admin)).json()
    assert (after["title"], after["time_zone"]) == ("Engineer", "Asia/Tokyo")


async def test_every_sync_leaves_a_report_readable_later(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], tokens: Tokens
) -> None:
    await staff(session, 1)
    writer = tokens.integration("people:write")
    first = await sync(client, as_admin, [row("E0")])
    second = await sync(client, writer, [row("E0"), row("N1")], apply=True)

    listed = (await client.get("/v1/hris/syncs", headers=as_admin)).json()["items"]
    one = await client.get(second.headers["Location"], headers=writer)

    assert [item["id"] for item in listed] == [first.json()["id"], second.json()["id"]]
    assert [item["outcome"] for item in listed] == ["dry_run", "applied"]
    assert listed[0]["requested_by_person_id"] is not None
    assert listed[1]["requested_by_integration"] == "hris"
    assert one.status_code == 200
    assert one.json() == second.json()
    missing = await client.get(
        "/v1/hris/syncs/0190d7e2-0000-7000-8000-000000000000", headers=as_admin
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "sync_not_found")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("employee", 403),
        ("reader", 403),
        ("unscoped", 403),
        ("service", 403),
        ("writer", 201),
        ("admin", 201),
    ],
)
async def test_who_may_sync_and_read_reports(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    as_admin: dict[str, str],
    who: str,
    status: int,
) -> None:
    employee = await create_person(session, email="emma@example.com")
    headers = {
        "employee": tokens.person(employee.email),
        "reader": tokens.integration("people:read"),
        "unscoped": tokens.integration(),
        "service": tokens.service(),
        "writer": tokens.integration("people:write"),
        "admin": as_admin,
    }[who]
    report = (await sync(client, as_admin, [])).json()

    posted = await client.post(SYNC, json={"source": "hris", "people": []}, headers=headers)
    listed = await client.get("/v1/hris/syncs", headers=headers)
    read = await client.get(f"/v1/hris/syncs/{report['id']}", headers=headers)

    assert posted.status_code == status
    assert listed.status_code == read.status_code == (200 if status == 201 else 403)


async def test_a_sync_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post(SYNC, json={"source": "hris", "people": []})

    assert response.status_code == 401
