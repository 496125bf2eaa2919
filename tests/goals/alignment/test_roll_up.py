"""Roll-up: where its owner opts in, an objective's progress is the weighted mean of its key
results and of the public children aligned to it (or to its key results), each child with its
own progress as served; a child with two parents counts fully in each."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import Cycle, Objective
from services.goals.progress import rolled_up_progress
from services.goals.schemas import CycleStatus, Visibility
from tests.goals.alignment.factories import As, Org, align, roll_up
from tests.goals.factories import create_key_result, create_objective, unknown_id
from tests.support import Statements, Tokens


async def half_done(session: AsyncSession, objective: Objective, **overrides: float) -> None:
    await create_key_result(session, objective, start=0.0, target=10.0, current=5.0, **overrides)


async def done(session: AsyncSession, objective: Objective, **overrides: float) -> None:
    await create_key_result(session, objective, start=0.0, target=10.0, current=10.0, **overrides)


async def not_started(session: AsyncSession, objective: Objective, **overrides: float) -> None:
    await create_key_result(session, objective, start=0.0, target=10.0, current=0.0, **overrides)


@pytest.fixture
async def parent(session: AsyncSession, cycle: Cycle, org: Org) -> Objective:
    objective = await create_objective(session, cycle, org.platform)
    await half_done(session, objective)
    return objective


async def child_of(
    session: AsyncSession, parent: Objective, cycle: Cycle, org: Org, **overrides: object
) -> Objective:
    child = await create_objective(session, cycle, org.ada, **overrides)
    await align(session, child, parent)
    return child


@pytest.fixture
async def finished_child(
    session: AsyncSession, cycle: Cycle, org: Org, parent: Objective
) -> Objective:
    """A public objective of Ada's, done, aligned to `parent`."""
    child = await child_of(session, parent, cycle, org)
    await done(session, child)
    return child


# --- The rule --------------------------------------------------------------------------------


async def test_without_roll_up_progress_is_the_key_results_alone(
    session: AsyncSession, parent: Objective, finished_child: Objective
) -> None:
    assert await rolled_up_progress(session, [parent.id]) == {parent.id: 0.5}


async def test_roll_up_weighs_children_beside_key_results(
    session: AsyncSession, cycle: Cycle, org: Org, parent: Objective
) -> None:
    await roll_up(session, parent)
    finished = await child_of(session, parent, cycle, org)
    await done(session, finished)
    idle = await create_objective(session, cycle, org.bob)
    await not_started(session, idle)
    await align(session, idle, parent, weight=2.0)

    # (0.5 * 1 + 1.0 * 1 + 0.0 * 2) / 4
    assert await rolled_up_progress(session, [parent.id]) == {parent.id: pytest.approx(0.375)}


async def test_children_aligned_to_a_key_result_count_in_its_objective(
    session: AsyncSession, cycle: Cycle, org: Org
) -> None:
    parent = await create_objective(session, cycle, org.platform)
    result = await create_key_result(session, parent, start=0.0, target=10.0, current=0.0)
    await roll_up(session, parent)
    child = await create_objective(session, cycle, org.ada)
    await done(session, child)
    await align(session, child, result, weight=3.0)

    # (0.0 * 1 + 1.0 * 3) / 4; the key result's own progress stays what it measures.
    assert await rolled_up_progress(session, [parent.id]) == {parent.id: 0.75}


async def test_a_child_with_two_parents_counts_fully_in_each(
    session: AsyncSession, cycle: Cycle, org: Org
) -> None:
    first, second = [await create_objective(session, cycle, org.platform) for _ in range(2)]
    await roll_up(session, first, second)
    shared = await create_objective(session, cycle, org.ada)
    await done(session, shared)
    await align(session, shared, first)
    await align(session, shared, second)

    assert await rolled_up_progress(session, [first.id, second.id]) == {
        first.id: 1.0,
        second.id: 1.0,
    }


async def test_roll_up_goes_down_as_far_as_owners_opted_in(
    session: AsyncSession, cycle: Cycle, org: Org
) -> None:
    top, middle, bottom = [await create_objective(session, cycle, org.ceo) for _ in range(3)]
    await not_started(session, top)
    await not_started(session, middle)
    await done(session, bottom)
    await align(session, middle, top)
    await align(session, bottom, middle)
    await roll_up(session, top)

    only_top = await rolled_up_progress(session, [top.id, middle.id])
    await roll_up(session, middle)
    both = await rolled_up_progress(session, [top.id, middle.id])

    assert only_top == {top.id: 0.0, middle.id: 0.0}
    # middle: (0 + 1) / 2 = 0.5; top: (0 + 0.5) / 2 = 0.25
    assert both == {top.id: 0.25, middle.id: 0.5}


async def test_children_without_progress_do_not_count(
    session: AsyncSession, cycle: Cycle, org: Org, parent: Objective
) -> None:
    await roll_up(session, parent)
    await child_of(session, parent, cycle, org)

    assert await rolled_up_progress(session, [parent.id]) == {parent.id: 0.5}


async def test_an_objective_without_key_results_rolls_up_its_children_alone(
    session: AsyncSession, cycle: Cycle, org: Org
) -> None:
    empty = await create_objective(session, cycle, org.platform)
    lonely = await create_objective(session, cycle, org.sales)
    await roll_up(session, empty, lonely)
    child = await child_of(session, empty, cycle, org)
    await done(session, child)

    assert await rolled_up_progress(session, [empty.id, lonely.id]) == {
        empty.id: 1.0,
        lonely.id: None,
    }


async def test_private_children_never_count_so_no_roll_up_reveals_them(
    session: AsyncSession, cycle: Cycle, org: Org
) -> None:
    for visibility in (Visibility.PUBLIC, Visibility.PRIVATE):
        parent = await create_objective(session, cycle, org.ada, visibility=visibility)
        await roll_up(session, parent)
        await not_started(session, parent)
        secret = await child_of(session, parent, cycle, org, visibility=Visibility.PRIVATE)
        await done(session, secret)

        assert await rolled_up_progress(session, [parent.id]) == {parent.id: 0.0}


async def test_unknown_ids_have_no_progress(session: AsyncSession) -> None:
    missing = unknown_id()

    assert await rolled_up_progress(session, [missing]) == {missing: None}


async def test_rolled_up_progress_costs_the_same_statements_for_one_objective_or_forty(
    session: AsyncSession, cycle: Cycle, org: Org, statements: Statements
) -> None:
    parents = [await create_objective(session, cycle, org.platform) for _ in range(40)]
    await roll_up(session, *parents)
    for parent in parents:
        child = await child_of(session, parent, cycle, org)
        await roll_up(session, child)
        grandchild = await child_of(session, child, cycle, org)
        await done(session, grandchild)

    async def cost(count: int) -> int:
        before = statements.count
        found = await rolled_up_progress(session, [parent.id for parent in parents[:count]])
        assert set(found.values()) == {1.0}
        return statements.count - before

    assert await cost(1) == await cost(40) == 1


# --- The switch ------------------------------------------------------------------------------


async def test_the_owner_opts_in_and_out(
    client: httpx.AsyncClient, as_: As, parent: Objective, finished_child: Objective
) -> None:
    path = f"/v1/objectives/{parent.id}/roll-up"

    before = await client.get(path, headers=as_.eve)
    opted_in = await client.put(path, headers=as_.ada)
    again = await client.put(path, headers=as_.ada)
    seen = await client.get(path, headers=as_.eve)
    opted_out = await client.delete(path, headers=as_.lea)
    after = await client.get(path, headers=as_.eve)

    assert before.json() == {
        "objective_id": str(parent.id),
        "enabled": False,
        "own_progress": 0.5,
        "progress": 0.5,
    }
    assert [opted_in.status_code, again.status_code] == [200, 200]
    assert opted_in.json() == again.json() == seen.json()
    assert (seen.json()["enabled"], seen.json()["progress"]) == (True, 0.75)
    assert (opted_out.status_code, opted_out.content) == (204, b"")
    assert after.json() == before.json()


@pytest.mark.parametrize(("name", "status"), [("bob", 403), ("eve", 403), ("ceo", 200)])
async def test_those_who_may_change_the_objective_switch_roll_up(
    client: httpx.AsyncClient, as_: As, parent: Objective, name: str, status: int
) -> None:
    response = await client.put(f"/v1/objectives/{parent.id}/roll-up", headers=getattr(as_, name))

    assert response.status_code == status


async def test_roll_up_of_an_objective_you_may_not_read_is_404(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, as_: As
) -> None:
    secret = await create_objective(session, cycle, org.ada, visibility=Visibility.PRIVATE)
    path = f"/v1/objectives/{secret.id}/roll-up"

    answers = [
        await client.get(path, headers=as_.eve),
        await client.put(path, headers=as_.eve),
        await client.delete(path, headers=as_.eve),
        await client.get(f"/v1/objectives/{unknown_id()}/roll-up", headers=as_.eve),
    ]

    assert [answer.status_code for answer in answers] == [404] * 4
    assert {answer.json()["code"] for answer in answers} == {"objective_not_found"}


async def test_integrations_read_roll_up_but_never_switch_it(
    client: httpx.AsyncClient, tokens: Tokens, parent: Objective
) -> None:
    headers = tokens.integration("goals:read")
    path = f"/v1/objectives/{parent.id}/roll-up"

    answers = [await client.get(path, headers=headers), await client.put(path, headers=headers)]

    assert [answer.status_code for answer in answers] == [200, 403]


async def test_a_closed_cycle_keeps_its_roll_up(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, as_: As, parent: Objective
) -> None:
    cycle.status = CycleStatus.CLOSED
    session.add(cycle)
    await session.flush()

    response = await client.put(f"/v1/objectives/{parent.id}/roll-up", headers=as_.ada)

    assert response.status_code == 409
    assert response.json()["code"] == "cycle_closed"


# --- The objective as served -----------------------------------------------------------------


async def test_an_objective_is_served_with_its_rolled_up_progress(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    parent: Objective,
    finished_child: Objective,
) -> None:
    await roll_up(session, parent)

    one = await client.get(f"/v1/objectives/{parent.id}", headers=as_.eve)
    listed = await client.get("/v1/objectives", params={"cycle_id": str(cycle.id)}, headers=as_.eve)
    by_owner = await client.get(
        "/v1/objectives/by-owner", params={"owner_team_id": str(org.platform.id)}, headers=as_.eve
    )

    assert one.json()["progress"] == 0.75
    assert {item["id"]: item["progress"] for item in listed.json()["items"]} == {
        str(parent.id): 0.75,
        str(finished_child.id): 1.0,
    }
    assert [item["progress"] for item in by_owner.json()["groups"][0]["items"]] == [0.75]


async def test_a_closing_cycle_keeps_the_rolled_up_progress_as_the_score(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    as_admin: dict[str, str],
    parent: Objective,
    finished_child: Objective,
) -> None:
    await roll_up(session, parent)

    closed = await client.patch(
        f"/v1/cycles/{cycle.id}",
        json={"status": "closed"},
        headers={**as_admin, "If-Match": f'"{cycle.version}"'},
    )
    served = await client.get(f"/v1/objectives/{parent.id}", headers=as_admin)

    assert closed.status_code == 200
    assert served.json()["closing"]["score"] == 0.75
