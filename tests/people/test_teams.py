"""Teams as callers see them: created, changed and listed, with their members and leads."""

from __future__ import annotations

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.schemas import PersonStatus
from tests.people.factories import (
    add_member,
    create_person,
    create_team,
    unknown_id,
)
from tests.support import Outbox

# --- Teams -------------------------------------------------------------------------------


async def test_teams_are_created_nested_and_listed(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    lead = await create_person(session)

    department = await client.post(
        "/v1/teams", json={"name": "Engineering", "kind": "department"}, headers=as_admin
    )
    team = await client.post(
        "/v1/teams",
        json={"name": "Core", "parent_id": department.json()["id"], "lead_id": str(lead.id)},
        headers=as_admin,
    )
    sub_teams = await client.get(f"/v1/teams/{department.json()['id']}/sub-teams", headers=as_admin)
    batch = await client.get(
        "/v1/teams",
        params={"id": [team.json()["id"], department.json()["id"]]},
        headers=as_admin,
    )

    assert (department.status_code, team.status_code) == (201, 201)
    assert team.json() | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "name": "Core",
        "kind": "team",
        "parent_id": department.json()["id"],
        "lead_id": str(lead.id),
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert team.headers["location"] == f"/v1/teams/{team.json()['id']}"
    assert [sub["name"] for sub in sub_teams.json()["items"]] == ["Core"]
    assert [found["name"] for found in batch.json()["items"]] == ["Core", "Engineering"]
    assert await outbox.events() == [
        (
            "team.created",
            {
                "id": department.json()["id"],
                "name": "Engineering",
                "kind": "department",
                "parent_id": None,
                "lead_id": None,
            },
        ),
        (
            "team.created",
            {
                "id": team.json()["id"],
                "name": "Core",
                "kind": "team",
                "parent_id": department.json()["id"],
                "lead_id": str(lead.id),
            },
        ),
    ]


async def test_a_team_cannot_sit_under_itself(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    top = await create_team(session)
    middle = await create_team(session, parent_id=top.id)
    bottom = await create_team(session, parent_id=middle.id)

    itself = await client.patch(
        f"/v1/teams/{top.id}",
        json={"parent_id": str(top.id)},
        headers=as_admin | {"If-Match": '"1"'},
    )
    loop = await client.patch(
        f"/v1/teams/{top.id}",
        json={"parent_id": str(bottom.id)},
        headers=as_admin | {"If-Match": '"1"'},
    )
    unknown = await client.patch(
        f"/v1/teams/{top.id}",
        json={"parent_id": str(unknown_id())},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert (itself.status_code, itself.json()["code"]) == (409, "team_cycle")
    assert (loop.status_code, loop.json()["code"]) == (409, "team_cycle")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_parent")


async def test_a_team_update_needs_if_match_and_announces_itself(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    team = await create_team(session, name="Core")
    lead = await create_person(session)

    missing = await client.patch(
        f"/v1/teams/{team.id}", json={"name": "Platform"}, headers=as_admin
    )
    updated = await client.patch(
        f"/v1/teams/{team.id}",
        json={"name": "Platform", "lead_id": str(lead.id), "kind": "group"},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert missing.status_code == 428
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["kind"], updated.json()["version"]) == (
        "Platform",
        "group",
        2,
    )
    assert updated.headers["etag"] == '"2"'
    assert await outbox.types() == ["team.updated"]


async def test_a_deactivated_person_cannot_lead_a_team(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    leaver = await create_person(session, status=PersonStatus.INACTIVE)

    response = await client.post(
        "/v1/teams", json={"name": "Core", "lead_id": str(leaver.id)}, headers=as_admin
    )

    assert (response.status_code, response.json()["code"]) == (409, "lead_inactive")


async def test_members_join_and_leave(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    team = await create_team(session)
    person = await create_person(session)
    members_url = f"/v1/teams/{team.id}/members"

    added = await client.post(
        members_url,
        json={"person_id": str(person.id), "since": "2024-03-01T09:00:00+01:00"},
        headers=as_admin,
    )
    twice = await client.post(members_url, json={"person_id": str(person.id)}, headers=as_admin)
    members = await client.get(members_url, headers=as_admin)
    removed = await client.delete(f"{members_url}/{person.id}", headers=as_admin)
    gone = await client.delete(f"{members_url}/{person.id}", headers=as_admin)
    after = await client.get(members_url, headers=as_admin)

    assert added.status_code == 201
    assert added.json() == {
        "team_id": str(team.id),
        "person_id": str(person.id),
        "since": "2024-03-01T08:00:00Z",
    }
    assert (twice.status_code, twice.json()["code"]) == (409, "already_member")
    assert [member["id"] for member in members.json()["items"]] == [str(person.id)]
    assert removed.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (404, "membership_not_found")
    assert after.json()["items"] == []
    assert await outbox.types() == ["team.member_added", "team.member_removed"]


async def test_an_inactive_or_unknown_person_cannot_join_a_team(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    team = await create_team(session)
    leaver = await create_person(session, status=PersonStatus.INACTIVE)
    url = f"/v1/teams/{team.id}/members"

    inactive = await client.post(url, json={"person_id": str(leaver.id)}, headers=as_admin)
    unknown = await client.post(url, json={"person_id": str(unknown_id())}, headers=as_admin)
    no_team = await client.post(
        f"/v1/teams/{unknown_id()}/members", json={"person_id": str(leaver.id)}, headers=as_admin
    )

    assert (inactive.status_code, inactive.json()["code"]) == (409, "person_inactive")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_person")
    assert (no_team.status_code, no_team.json()["code"]) == (404, "team_not_found")


async def test_only_an_empty_team_is_deleted(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    with_member = await create_team(session)
    await add_member(session, with_member, await create_person(session))
    with_sub_team = await create_team(session)
    await create_team(session, parent_id=with_sub_team.id)
    empty = await create_team(session, name="Empty")

    refused = [
        await client.delete(f"/v1/teams/{with_member.id}", headers=as_admin),
        await client.delete(f"/v1/teams/{with_sub_team.id}", headers=as_admin),
    ]
    deleted = await client.delete(f"/v1/teams/{empty.id}", headers=as_admin)
    gone = await client.get(f"/v1/teams/{empty.id}", headers=as_admin)

    assert [(r.status_code, r.json()["code"]) for r in refused] == [(409, "team_not_empty")] * 2
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert await outbox.events() == [
        (
            "team.deleted",
            {
                "id": str(empty.id),
                "name": "Empty",
                "kind": "team",
                "parent_id": None,
                "lead_id": None,
            },
        )
    ]
