"""Batch reads with a limit per parent, as the gateway uses them: one request serves a page of
owners, objectives or key results, each parent with its own first items and `has_more`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, KeyResult
from services.goals.schemas import Visibility
from tests.goals.factories import (
    create_check_in,
    create_cycle,
    create_key_result,
    create_objective,
    create_person,
    create_team,
    unknown_id,
)
from tests.support import Statements, Tokens, problem_fields


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


# --- Objectives by owner -----------------------------------------------------------------------


async def test_objectives_by_owner_come_in_one_group_per_owner_asked(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    busy, quiet, idle = [await create_person(session) for _ in range(3)]
    team = await create_team(session)
    busy_goals = [await create_objective(session, cycle, busy) for _ in range(5)]
    quiet_goal = await create_objective(session, cycle, quiet)
    team_goals = [await create_objective(session, cycle, team) for _ in range(2)]

    response = await client.get(
        "/v1/objectives/by-owner",
        params={
            "owner_person_id": [str(quiet.id), str(busy.id), str(idle.id), str(quiet.id)],
            "owner_team_id": [str(team.id)],
            "per_owner": 2,
        },
        headers=as_ada,
    )

    assert response.status_code == 200
    groups = response.json()["groups"]
    assert [(g["owner_person_id"], g["owner_team_id"]) for g in groups] == [
        (str(quiet.id), None),
        (str(busy.id), None),
        (str(idle.id), None),
        (None, str(team.id)),
    ]
    assert [ids(g["items"]) for g in groups] == [
        [str(quiet_goal.id)],
        [str(o.id) for o in busy_goals[:2]],
        [],
        [str(o.id) for o in team_goals],
    ]
    assert [g["has_more"] for g in groups] == [False, True, False, False]
    assert [g["next_cursor"] is None for g in groups] == [True, False, True, True]


async def test_a_group_continues_in_the_owners_own_list(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, as_ada: dict[str, str]
) -> None:
    owner = await create_person(session)
    goals = [await create_objective(session, cycle, owner) for _ in range(5)]
    elsewhere = await create_objective(session, await create_cycle(session), owner)
    params: dict[str, Any] = {"owner_person_id": str(owner.id), "cycle_id": str(cycle.id)}

    [group] = (
        await client.get(
            "/v1/objectives/by-owner", params=params | {"per_owner": 3}, headers=as_ada
        )
    ).json()["groups"]
    rest = (
        await client.get(
            "/v1/objectives", params=params | {"cursor": group["next_cursor"]}, headers=as_ada
        )
    ).json()

    assert ids(group["items"]) + ids(rest["items"]) == [str(o.id) for o in goals]
    assert str(elsewhere.id) not in ids(rest["items"])


async def test_objectives_by_owner_carry_their_progress(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, as_ada: dict[str, str]
) -> None:
    owner = await create_person(session)
    started = await create_objective(session, cycle, owner)
    await create_key_result(session, started, start=0.0, target=10.0, current=5.0)
    fresh = await create_objective(session, cycle, owner)

    [group] = (
        await client.get(
            "/v1/objectives/by-owner", params={"owner_person_id": str(owner.id)}, headers=as_ada
        )
    ).json()["groups"]

    assert [(item["id"], item["progress"]) for item in group["items"]] == [
        (str(started.id), 0.5),
        (str(fresh.id), None),
    ]


async def test_private_objectives_of_others_are_left_out_of_groups(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    tokens: Tokens,
    as_ada: dict[str, str],
) -> None:
    grace = await create_person(session)
    public = await create_objective(session, cycle, grace)
    private = await create_objective(session, cycle, grace, visibility=Visibility.PRIVATE)
    params: dict[str, str | int] = {"owner_person_id": str(grace.id), "per_owner": 1}

    [for_ada] = (await client.get("/v1/objectives/by-owner", params=params, headers=as_ada)).json()[
        "groups"
    ]
    [for_grace] = (
        await client.get(
            "/v1/objectives/by-owner", params=params, headers=tokens.person(grace.email)
        )
    ).json()["groups"]

    assert (ids(for_ada["items"]), for_ada["has_more"]) == ([str(public.id)], False)
    assert (ids(for_grace["items"]), for_grace["has_more"]) == ([str(public.id)], True)
    assert private.visibility == Visibility.PRIVATE


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "query.owner_person_id"),
        ({"owner_person_id": "ada"}, "query.owner_person_id.0"),
        ({"owner_person_id": str(unknown_id()), "per_owner": 0}, "query.per_owner"),
        ({"owner_person_id": str(unknown_id()), "per_owner": 101}, "query.per_owner"),
        ({"owner_team_id": [str(unknown_id()) for _ in range(101)]}, "query.owner_team_id"),
        (
            {
                "owner_person_id": [str(unknown_id()) for _ in range(60)],
                "owner_team_id": [str(unknown_id()) for _ in range(41)],
            },
            "query.owner_person_id",
        ),
    ],
)
async def test_bad_batch_parameters_are_422(
    client: httpx.AsyncClient, as_ada: dict[str, str], params: dict[str, Any], field: str
) -> None:
    response = await client.get("/v1/objectives/by-owner", params=params, headers=as_ada)

    assert response.status_code == 422
    assert problem_fields(response) == {field}


# --- Key results by objective, check-ins by key result -----------------------------------------


async def test_key_results_by_objective_with_a_limit_per_objective(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    many, one, none = [await create_objective(session, cycle, ada) for _ in range(3)]
    many_results = [await create_key_result(session, many) for _ in range(4)]
    one_result = await create_key_result(session, one)
    missing = unknown_id()
    asked = [none.id, many.id, missing, one.id]

    response = await client.get(
        "/v1/key-results/by-objective",
        params={"objective_id": [str(id_) for id_ in asked], "per_objective": 3},
        headers=as_ada,
    )

    assert response.status_code == 200
    groups = response.json()["groups"]
    assert [g["objective_id"] for g in groups] == [str(id_) for id_ in asked]
    assert [ids(g["items"]) for g in groups] == [
        [],
        [str(kr.id) for kr in many_results[:3]],
        [],
        [str(one_result.id)],
    ]
    assert [g["has_more"] for g in groups] == [False, True, False, False]
    rest = await client.get(
        f"/v1/objectives/{many.id}/key-results",
        params={"cursor": groups[1]["next_cursor"]},
        headers=as_ada,
    )
    assert ids(rest.json()["items"]) == [str(many_results[3].id)]


async def test_check_ins_by_key_result_with_a_limit_per_key_result(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    objective = await create_objective(session, cycle, ada)
    busy, quiet = [await create_key_result(session, objective) for _ in range(2)]
    busy_check_ins = [await create_check_in(session, busy, ada, value=float(n)) for n in range(4)]

    response = await client.get(
        "/v1/check-ins/by-key-result",
        params={"key_result_id": [str(busy.id), str(quiet.id)], "per_key_result": 2},
        headers=as_ada,
    )

    groups = response.json()["groups"]
    assert [g["key_result_id"] for g in groups] == [str(busy.id), str(quiet.id)]
    assert [ids(g["items"]) for g in groups] == [[str(c.id) for c in busy_check_ins[:2]], []]
    assert [g["has_more"] for g in groups] == [True, False]
    rest = await client.get(
        f"/v1/key-results/{busy.id}/check-ins",
        params={"cursor": groups[0]["next_cursor"]},
        headers=as_ada,
    )
    assert ids(rest.json()["items"]) == [str(c.id) for c in busy_check_ins[2:]]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/key-results/by-objective", {}, "query.objective_id"),
        ("/v1/key-results/by-objective", {"per_objective": 5}, "query.objective_id"),
        ("/v1/check-ins/by-key-result", {}, "query.key_result_id"),
        (
            "/v1/check-ins/by-key-result",
            {"key_result_id": str(unknown_id()), "per_key_result": "false"},
            "query.per_key_result",
        ),
    ],
)
async def test_a_batch_needs_its_parents(
    client: httpx.AsyncClient,
    as_ada: dict[str, str],
    path: str,
    params: dict[str, Any],
    field: str,
) -> None:
    response = await client.get(path, params=params, headers=as_ada)

    assert response.status_code == 422
    assert problem_fields(response) == {field}


@pytest.mark.parametrize(
    ("path", "parent"),
    [
        ("/v1/objectives/by-owner", "owner_person_id"),
        ("/v1/key-results/by-objective", "objective_id"),
        ("/v1/check-ins/by-key-result", "key_result_id"),
    ],
)
async def test_a_batch_costs_the_same_statements_for_two_parents_or_forty(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    statements: Statements,
    path: str,
    parent: str,
) -> None:
    owners = [await create_person(session) for _ in range(40)]
    objectives = [await create_objective(session, cycle, owner) for owner in owners]
    results: list[KeyResult] = [await create_key_result(session, o) for o in objectives]
    for key_result in results:
        await create_check_in(session, key_result, ada)
    parents = {
        "owner_person_id": [str(o.id) for o in owners],
        "objective_id": [str(o.id) for o in objectives],
        "key_result_id": [str(kr.id) for kr in results],
    }[parent]

    async def cost(count: int) -> int:
        before = statements.count
        response = await client.get(path, params={parent: parents[:count]}, headers=as_ada)
        assert response.status_code == 200
        assert sum(len(g["items"]) for g in response.json()["groups"]) == count
        return statements.count - before

    small, large = await cost(2), await cost(40)
    assert small == large > 0
