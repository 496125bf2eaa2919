"""The alignment graph of a cycle in one request: the objectives each caller may read, their
levels, progress and key results, and the links between them; never a private objective the
caller may not read, nor a link to or from it; the same few statements however large."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import Visibility
from tests.goals.alignment.factories import As, Org, align, roll_up
from tests.goals.factories import create_cycle, create_key_result, create_objective, unknown_id
from tests.support import Statements, Tokens


async def graph(client: httpx.AsyncClient, cycle: Cycle, headers: dict[str, str]) -> Any:
    response = await client.get(f"/v1/cycles/{cycle.id}/alignment", headers=headers)
    assert response.status_code == 200
    return response.json()


def node_ids(found: dict[str, Any]) -> list[str]:
    return [node["id"] for node in found["nodes"]]


def edges(found: dict[str, Any]) -> set[tuple[str, str, str | None]]:
    return {
        (edge["child_objective_id"], edge["parent_objective_id"], edge["parent_key_result_id"])
        for edge in found["edges"]
    }


async def test_the_graph_holds_objectives_by_level_with_links_and_progress(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, as_: As
) -> None:
    company = await create_objective(session, cycle, org.ceo, title="Grow")
    revenue = await create_key_result(
        session, company, title="Revenue", start=0.0, target=10.0, current=2.0
    )
    platform = await create_objective(session, cycle, org.platform)
    await create_key_result(session, platform, start=0.0, target=4.0, current=4.0, weight=3.0)
    ada = await create_objective(session, cycle, org.ada)
    await align(session, platform, revenue, weight=2.0)
    await align(session, ada, platform)
    await align(session, ada, company)
    await roll_up(session, company)
    elsewhere = await create_objective(session, await create_cycle(session), org.ceo)

    found = await graph(client, cycle, as_.eve)

    assert found["cycle_id"] == str(cycle.id)
    assert node_ids(found) == [str(company.id), str(platform.id), str(ada.id)]
    assert str(elsewhere.id) not in node_ids(found)
    top, middle, bottom = found["nodes"]
    assert [top["level"], middle["level"], bottom["level"]] == [0, 1, 2]
    assert {key: top[key] for key in ("title", "owner_person_id", "rolls_up")} == {
        "title": "Grow",
        "owner_person_id": str(org.ceo.id),
        "rolls_up": True,
    }
    assert top["key_results"] == [
        {"id": str(revenue.id), "title": "Revenue", "weight": 1.0, "progress": 0.2}
    ]
    # company: (0.2 * 1 + platform 1.0 * 2) / 3; ada's has no progress and does not count.
    assert (top["own_progress"], top["progress"]) == (0.2, 0.7333)
    assert (middle["owner_team_id"], middle["progress"], middle["rolls_up"]) == (
        str(org.platform.id),
        1.0,
        False,
    )
    assert bottom["progress"] is None
    assert edges(found) == {
        (str(platform.id), str(company.id), str(revenue.id)),
        (str(ada.id), str(platform.id), None),
        (str(ada.id), str(company.id), None),
    }


async def test_the_graph_agrees_with_the_roll_up_of_each_objective(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, as_: As
) -> None:
    top, left, right = [await create_objective(session, cycle, org.ceo) for _ in range(3)]
    for objective, current in ((top, 1.0), (left, 5.0), (right, 8.0)):
        await create_key_result(session, objective, start=0.0, target=10.0, current=current)
    await align(session, left, top, weight=3.0)
    await align(session, right, top)
    await align(session, right, left)
    await roll_up(session, top, left)

    found = await graph(client, cycle, as_.eve)
    one_by_one = [
        (await client.get(f"/v1/objectives/{node['id']}/roll-up", headers=as_.eve)).json()
        for node in found["nodes"]
    ]

    assert [(n["own_progress"], n["progress"]) for n in found["nodes"]] == [
        (r["own_progress"], r["progress"]) for r in one_by_one
    ]


@pytest.fixture
async def hidden(session: AsyncSession, cycle: Cycle, org: Org) -> dict[str, Objective]:
    """company ← bob's private objective ← sales (public); ada's public one ← company."""
    company = await create_objective(session, cycle, org.ceo)
    secret = await create_objective(session, cycle, org.bob, visibility=Visibility.PRIVATE)
    sales = await create_objective(session, cycle, org.sales)
    ada = await create_objective(session, cycle, org.ada)
    await align(session, secret, company)
    await align(session, sales, secret)
    await align(session, ada, company)
    return {"company": company, "secret": secret, "sales": sales, "ada": ada}


@pytest.mark.parametrize(("name", "sees_secret"), [("bob", True), ("sam", True), ("ada", False)])
async def test_a_private_objective_and_its_links_are_seen_by_its_readers_alone(
    client: httpx.AsyncClient,
    cycle: Cycle,
    as_: As,
    hidden: dict[str, Objective],
    name: str,
    sees_secret: bool,
) -> None:
    found = await graph(client, cycle, getattr(as_, name))

    ids = {key: str(objective.id) for key, objective in hidden.items()}
    if sees_secret:
        assert set(node_ids(found)) == set(ids.values())
        assert edges(found) == {
            (ids["secret"], ids["company"], None),
            (ids["sales"], ids["secret"], None),
            (ids["ada"], ids["company"], None),
        }
        assert [n["level"] for n in found["nodes"] if n["id"] == ids["sales"]] == [2]
    else:
        assert set(node_ids(found)) == {ids["company"], ids["sales"], ids["ada"]}
        assert edges(found) == {(ids["ada"], ids["company"], None)}
        # Without the link through the private objective, sales supports nothing seen.
        assert [n["level"] for n in found["nodes"] if n["id"] == ids["sales"]] == [0]
    assert ids["secret"] not in str(found) or sees_secret


async def test_hr_admins_and_readers_see_the_whole_graph_integrations_without_scope_none(
    client: httpx.AsyncClient,
    cycle: Cycle,
    tokens: Tokens,
    as_admin: dict[str, str],
    hidden: dict[str, Objective],
) -> None:
    for_hr = await graph(client, cycle, as_admin)
    for_reader = await graph(client, cycle, tokens.integration("goals:read"))
    unscoped = await client.get(
        f"/v1/cycles/{cycle.id}/alignment", headers=tokens.integration("people:read")
    )

    assert len(for_hr["nodes"]) == 4
    assert len(for_reader["nodes"]) == 3
    assert unscoped.status_code == 403


async def test_the_graph_of_an_unknown_cycle_is_404(client: httpx.AsyncClient, as_: As) -> None:
    response = await client.get(f"/v1/cycles/{unknown_id()}/alignment", headers=as_.eve)

    assert response.status_code == 404
    assert response.json()["code"] == "cycle_not_found"


async def test_a_cycle_without_objectives_has_an_empty_graph(
    client: httpx.AsyncClient, cycle: Cycle, as_: As
) -> None:
    assert await graph(client, cycle, as_.eve) == {
        "cycle_id": str(cycle.id),
        "nodes": [],
        "edges": [],
    }


async def grow(session: AsyncSession, cycle: Cycle, org: Org, teams: int) -> None:
    """A company objective, and per team an objective supporting it, with a key result and
    two people's objectives supporting that key result, one of them private."""
    company = await create_objective(session, cycle, org.ceo)
    await roll_up(session, company)
    for _ in range(teams):
        team_goal = await create_objective(session, cycle, org.platform)
        await roll_up(session, team_goal)
        result: KeyResult = await create_key_result(session, team_goal)
        await align(session, team_goal, company)
        for visibility in (Visibility.PUBLIC, Visibility.PRIVATE):
            person_goal = await create_objective(session, cycle, org.ada, visibility=visibility)
            await create_key_result(session, person_goal, current=30.0)
            await align(session, person_goal, result)


async def test_the_graph_costs_the_same_statements_however_large(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    as_: As,
    statements: Statements,
) -> None:
    small, large = await create_cycle(session), await create_cycle(session)
    await grow(session, small, org, teams=1)
    await grow(session, large, org, teams=12)

    async def cost(cycle: Cycle, nodes: int) -> int:
        before = statements.count
        found = await graph(client, cycle, as_.bob)
        assert len(found["nodes"]) == nodes
        return statements.count - before

    assert await cost(small, 1 + 1 + 1) == await cost(large, 1 + 12 * 2)
