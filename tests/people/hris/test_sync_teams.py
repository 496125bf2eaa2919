"""Roster syncs of teams: the source's tree of teams is compared and applied as its people
are, parents before sub-teams whatever the roster's order, people placed in teams of the same
roster, removed teams emptied and deleted, and a guard against removing most of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.hris.models import HrisLink
from services.people.models import Person, Team
from services.people.repository import person_by_external_id, team_ids_by_person
from tests.support import Outbox

SYNC = "/v1/hris/sync"


def person(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "email": f"{external_id.lower()}@example.com",
        "name": f"Person {external_id}",
        **fields,
    }


# A department with two teams under it, listed children first; Ada leads the department and
# is in no team, Bob is in Payments, Cy in Platform.
TREE = [
    {"external_id": "T-PAY", "name": "Payments", "parent_external_id": "T-ENG"},
    {"external_id": "T-PLT", "name": "Platform", "parent_external_id": "T-ENG"},
    {"external_id": "T-ENG", "name": "Engineering", "kind": "department", "lead_external_id": "A"},
]
PEOPLE = [
    person("A"),
    person("B", team_external_id="T-PAY"),
    person("C", team_external_id="T-PLT"),
]


async def sync(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    teams: Sequence[object],
    people: Sequence[object] = PEOPLE,
    **flags: bool,
) -> dict[str, Any]:
    body = {"source": "hris", "people": list(people), "teams": list(teams), **flags}
    response = await client.post(SYNC, json=body, headers=headers)
    assert response.status_code == 201, response.text
    report: dict[str, Any] = response.json()
    return report


async def linked(session: AsyncSession, external_id: str) -> HrisLink | None:
    key = ("hris", "team", external_id)
    return await session.get(HrisLink, key, populate_existing=True)


async def team(session: AsyncSession, external_id: str) -> Team | None:
    found = await linked(session, external_id)
    if found is None:
        return None
    return await session.get(Team, found.entity_id, populate_existing=True)


async def known(session: AsyncSession, external_id: str) -> Person:
    found = await person_by_external_id(session, "hris", external_id)
    assert found is not None
    return found


def team_change(report: dict[str, Any], external_id: str) -> dict[str, Any]:
    return next(row for row in report["team_changes"] if row["external_id"] == external_id)


async def test_a_dry_run_reports_team_changes_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], outbox: Outbox
) -> None:
    report = await sync(client, as_admin, TREE)

    assert report["outcome"] == "dry_run"
    assert {key: report["counts"][key] for key in ("team_create", "team_delete")} == {
        "team_create": 3,
        "team_delete": 0,
    }
    engineering = team_change(report, "T-ENG")
    assert engineering["action"] == "create"
    fields = {change["field"]: change["new"] for change in engineering["changes"]}
    assert fields["name"] == "Engineering"
    assert fields["kind"] == "department"
    assert "lead_id" in fields
    payments = team_change(report, "T-PAY")
    parent = next(change for change in payments["changes"] if change["field"] == "parent_id")
    assert parent["new"] == engineering["team_id"]
    bob = next(row for row in report["changes"] if row["external_id"] == "B")
    assert {"field": "team", "old": None, "new": "T-PAY", "overwrites_local_edit": False} in bob[
        "changes"
    ]
    assert report["warnings"] == []
    assert await team(session, "T-ENG") is None
    assert await outbox.types() == []


async def test_apply_creates_the_tree_and_places_people_in_teams_of_the_same_roster(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], outbox: Outbox
) -> None:
    report = await sync(client, as_admin, TREE, apply=True)

    assert report["outcome"] == "applied"
    assert report["warnings"] == []
    engineering, payments, platform = [
        await team(session, key) for key in ("T-ENG", "T-PAY", "T-PLT")
    ]
    assert engineering is not None
    assert payments is not None
    assert platform is not None
    assert engineering.parent_id is None
    assert engineering.lead_id == (await known(session, "A")).id
    assert payments.parent_id == platform.parent_id == engineering.id
    bob, cy = await known(session, "B"), await known(session, "C")
    teams = await team_ids_by_person(session, [bob.id, cy.id])
    assert teams[bob.id] == [payments.id]
    assert teams[cy.id] == [platform.id]
    events = await outbox.events()
    created = [payload["id"] for type_, payload in events if type_ == "team.created"]
    assert created == [str(engineering.id), str(payments.id), str(platform.id)]
    # The lead comes once the people are there.
    assert ("team.updated", str(engineering.id), str(engineering.lead_id)) in {
        (type_, payload.get("id"), payload.get("lead_id")) for type_, payload in events
    }
    assert [type_ for type_, _ in events].count("team.member_added") == 2

    again = await sync(client, as_admin, TREE, apply=True)

    assert {row["action"] for row in again["team_changes"]} == {"unchanged"}
    assert {row["action"] for row in again["changes"]} == {"unchanged"}


async def test_a_moved_team_and_a_moved_person_are_updated(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], outbox: Outbox
) -> None:
    await sync(client, as_admin, TREE, apply=True)
    before = len(await outbox.types())
    # Payments moves under Platform; Bob moves to Platform.
    moved = [{**TREE[0], "parent_external_id": "T-PLT"}, *TREE[1:]]
    people = [PEOPLE[0], {**PEOPLE[1], "team_external_id": "T-PLT"}, PEOPLE[2]]

    report = await sync(client, as_admin, moved, people, apply=True)

    payments, platform, engineering = [
        await team(session, key) for key in ("T-PAY", "T-PLT", "T-ENG")
    ]
    assert payments is not None
    assert platform is not None
    assert engineering is not None
    assert payments.parent_id == platform.id
    assert team_change(report, "T-PAY") == {
        "external_id": "T-PAY",
        "action": "update",
        "team_id": str(payments.id),
        "changes": [
            {
                "field": "parent_id",
                "old": str(engineering.id),
                "new": str(platform.id),
                "overwrites_local_edit": False,
            }
        ],
    }
    bob = next(row for row in report["changes"] if row["external_id"] == "B")
    assert bob["action"] == "update"
    assert bob["changes"] == [
        {"field": "team", "old": "T-PAY", "new": "T-PLT", "overwrites_local_edit": False}
    ]
    bob_id = (await known(session, "B")).id
    assert (await team_ids_by_person(session, [bob_id]))[bob_id] == [platform.id]
    assert (await outbox.types())[before:] == [
        "team.updated",
        "team.member_removed",
        "team.member_added",
    ]


async def test_a_team_left_out_is_emptied_and_deleted(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], outbox: Outbox
) -> None:
    await sync(client, as_admin, [*TREE, {"external_id": "T-X", "name": "X"}], apply=True)
    payments = await team(session, "T-PAY")
    assert payments is not None
    before = len(await outbox.types())

    # Payments goes, while Bob's row still names it: he is left out of it with a warning.
    report = await sync(client, as_admin, [TREE[1], TREE[2], {"external_id": "T-X", "name": "X"}])
    assert team_change(report, "T-PAY")["action"] == "delete"
    report = await sync(
        client, as_admin, [*TREE[1:], {"external_id": "T-X", "name": "X"}], apply=True
    )

    assert report["outcome"] == "applied"
    assert team_change(report, "T-PAY") == {
        "external_id": "T-PAY",
        "action": "delete",
        "team_id": str(payments.id),
        "changes": [],
    }
    assert report["counts"]["team_delete"] == 1
    assert await team(session, "T-PAY") is None
    assert await linked(session, "T-PAY") is None
    warnings = {(w["external_id"], w["field"], w["code"]) for w in report["warnings"]}
    assert warnings == {("B", "team_external_id", "unknown_team")}
    types = (await outbox.types())[before:]
    assert types == ["team.member_removed", "team.deleted"]


async def test_removing_over_40_percent_of_the_teams_is_refused_unless_forced(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    teams = [{"external_id": f"T-{number}", "name": f"Team {number}"} for number in range(5)]
    await sync(client, as_admin, teams, [], apply=True)

    refused = await sync(client, as_admin, teams[:2], [], apply=True)  # 3 of 5 (60 %) go

    assert refused["outcome"] == "refused"
    assert refused["refusals"] == [
        {
            "code": "too_many_team_removals",
            "message": "3 of 5 teams would be removed.",
            "share": 0.6,
            "limit": 0.4,
        }
    ]
    assert await team(session, "T-4") is not None

    within = await sync(client, as_admin, teams[:3], [], apply=True)  # 2 of 5 (40 %) go

    assert within["outcome"] == "applied"
    assert await team(session, "T-4") is None
    forced = await sync(client, as_admin, [], [], apply=True, force=True)
    assert forced["outcome"] == "applied"
    assert forced["forced"] is True
    assert await team(session, "T-0") is None


async def test_a_roster_without_teams_leaves_the_teams_alone(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await sync(client, as_admin, TREE, apply=True)

    response = await client.post(
        SYNC, json={"source": "hris", "people": PEOPLE, "apply": True}, headers=as_admin
    )

    assert response.json()["team_changes"] == []
    assert await team(session, "T-PAY") is not None


async def test_broken_team_rows_become_field_warnings_and_the_rest_is_applied(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    teams = [
        *TREE,
        {"external_id": "T-BAD", "name": "Bad", "kind": "tribe"},
        {"external_id": "T-L1", "name": "Loop 1", "parent_external_id": "T-L2"},
        {"external_id": "T-L2", "name": "Loop 2", "parent_external_id": "T-L1"},
        {"external_id": "T-SELF", "name": "Self", "parent_external_id": "T-SELF"},
        {"external_id": "T-ORPHAN", "name": "Orphan", "parent_external_id": "T-NONE"},
        {"external_id": "T-NOLEAD", "name": "No lead", "lead_external_id": "GHOST"},
        {"external_id": "T-PAY", "name": "Again"},
        {"name": "No id"},
        "T-CSV,Team",
        {"external_id": "T-NONAME", "kind": "group"},
    ]
    people = [*PEOPLE, person("D", team_external_id="T-BAD")]

    report = await sync(client, as_admin, teams, people, apply=True)

    warnings = {
        (w["section"], w["row"], w["external_id"], w["field"], w["code"])
        for w in report["warnings"]
    }
    assert warnings == {
        ("teams", 4, "T-BAD", "kind", "invalid_value"),
        ("teams", 5, "T-L1", "parent_external_id", "team_cycle"),
        ("teams", 6, "T-L2", "parent_external_id", "team_cycle"),
        ("teams", 7, "T-SELF", "parent_external_id", "team_cycle"),
        ("teams", 8, "T-ORPHAN", "parent_external_id", "unknown_parent"),
        ("teams", 9, "T-NOLEAD", "lead_external_id", "unknown_lead"),
        ("teams", 10, "T-PAY", "external_id", "duplicate_external_id"),
        ("teams", 11, None, "external_id", "invalid_value"),
        ("teams", 12, None, None, "invalid_value"),
        ("teams", 13, "T-NONAME", "name", "incomplete_row"),
        ("people", 4, "D", "team_external_id", "unknown_team"),
    }
    assert report["outcome"] == "applied"
    for created in ("T-ENG", "T-PAY", "T-PLT", "T-NOLEAD"):
        assert await team(session, created) is not None
    for left_out in ("T-BAD", "T-L1", "T-L2", "T-SELF", "T-ORPHAN"):
        assert await team(session, left_out) is None
    no_lead = await team(session, "T-NOLEAD")
    assert no_lead is not None
    assert no_lead.lead_id is None
    assert await person_by_external_id(session, "hris", "D") is not None
