"""The parents and children of objectives as callers see them: one objective's a page at a time,
many objectives' at once, leaving out what the caller may not read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import Cycle, Objective
from services.goals.schemas import Visibility
from tests.goals.alignment.factories import As, Org, align
from tests.goals.factories import create_objective, unknown_id

# --- Parents and children --------------------------------------------------------------------


def ids(page: dict[str, Any], key: str) -> list[str]:
    return [item[key] for item in page["items"]]


async def test_parents_and_children_leave_out_what_you_may_not_read(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    ada_goal: Objective,
    team_goal: Objective,
) -> None:
    secret_parent = await create_objective(session, cycle, org.sales, visibility=Visibility.PRIVATE)
    secret_child = await create_objective(session, cycle, org.bob, visibility=Visibility.PRIVATE)
    await align(session, ada_goal, team_goal)
    await align(session, ada_goal, secret_parent)
    await align(session, secret_child, ada_goal)
    public_child = await create_objective(session, cycle, org.eve)
    await align(session, public_child, ada_goal)

    def read(name: str, of: str) -> Any:
        return client.get(f"/v1/objectives/{ada_goal.id}/{of}", headers=getattr(as_, name))

    for_ada = [(await read("ada", of)).json() for of in ("parents", "children")]
    for_sam = [(await read("sam", of)).json() for of in ("parents", "children")]

    assert ids(for_ada[0], "parent_objective_id") == [str(team_goal.id)]
    assert ids(for_ada[1], "child_objective_id") == [str(public_child.id)]
    assert ids(for_sam[0], "parent_objective_id") == [str(team_goal.id), str(secret_parent.id)]
    assert ids(for_sam[1], "child_objective_id") == [str(secret_child.id), str(public_child.id)]


async def test_children_come_a_page_at_a_time(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    team_goal: Objective,
) -> None:
    children = [await create_objective(session, cycle, org.ada) for _ in range(3)]
    for child in children:
        await align(session, child, team_goal)
    path = f"/v1/objectives/{team_goal.id}/children"

    first = (await client.get(path, params={"limit": 2}, headers=as_.eve)).json()
    rest = (await client.get(path, params={"cursor": first["next_cursor"]}, headers=as_.eve)).json()

    assert ids(first, "child_objective_id") + ids(rest, "child_objective_id") == [
        str(child.id) for child in children
    ]
    assert rest["next_cursor"] is None


async def test_the_lists_of_an_objective_you_may_not_read_are_404(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, as_: As
) -> None:
    secret = await create_objective(session, cycle, org.ada, visibility=Visibility.PRIVATE)

    answers = [
        await client.get(f"/v1/objectives/{secret.id}/{of}", headers=as_.eve)
        for of in ("parents", "children")
    ]

    assert [answer.status_code for answer in answers] == [404, 404]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"sort": "progress"}])
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, as_: As, team_goal: Objective, params: dict[str, Any]
) -> None:
    response = await client.get(
        f"/v1/objectives/{team_goal.id}/children", params=params, headers=as_.eve
    )

    assert response.status_code == 422


async def test_parents_and_children_of_many_objectives_at_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    team_goal: Objective,
    ada_goal: Objective,
) -> None:
    children = [await create_objective(session, cycle, org.bob) for _ in range(3)]
    for child in children:
        await align(session, child, team_goal)
    await align(session, ada_goal, team_goal)
    lonely = await create_objective(session, cycle, org.eve)
    asked = [str(team_goal.id), str(lonely.id), str(ada_goal.id), str(unknown_id())]

    kids = await client.get(
        "/v1/alignments/children",
        params={"objective_id": asked, "per_objective": 2},
        headers=as_.eve,
    )
    parents = await client.get(
        "/v1/alignments/parents", params={"objective_id": asked}, headers=as_.eve
    )

    groups = kids.json()["groups"]
    assert [group["objective_id"] for group in groups] == asked
    assert [len(group["items"]) for group in groups] == [2, 0, 0, 0]
    assert [group["has_more"] for group in groups] == [True, False, False, False]
    rest = await client.get(
        f"/v1/objectives/{team_goal.id}/children",
        params={"cursor": groups[0]["next_cursor"]},
        headers=as_.eve,
    )
    all_children = [
        item["child_objective_id"] for item in groups[0]["items"] + rest.json()["items"]
    ]
    assert all_children == [str(child.id) for child in children] + [str(ada_goal.id)]
    assert [
        [item["parent_objective_id"] for item in group["items"]]
        for group in parents.json()["groups"]
    ] == [[], [], [str(team_goal.id)], []]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"objective_id": "nope"},
        {"objective_id": str(unknown_id()), "per_objective": 0},
        {"objective_id": str(unknown_id()), "per_objective": 101},
        {"objective_id": [str(unknown_id()) for _ in range(101)]},
    ],
)
async def test_a_batch_of_links_needs_between_1_and_100_objectives(
    client: httpx.AsyncClient, as_: As, params: dict[str, Any]
) -> None:
    response = await client.get("/v1/alignments/children", params=params, headers=as_.eve)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
