"""The parent's side decides what counts toward its progress: a link proposed by the child's
side counts in no roll-up (progress, graph, cycle report, final scores) until someone who may
change the parent accepted it, and only they weigh it."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.alignment.models import Alignment
from services.goals.models import Cycle, Objective
from tests.goals.alignment.factories import As, Org, align, roll_up
from tests.goals.factories import create_key_result, create_objective
from tests.support import Outbox


@pytest.fixture
async def company_goal(session: AsyncSession, cycle: Cycle) -> Objective:
    """The company's objective, rolled up, at 0.35 from its own key result."""
    objective = await create_objective(session, cycle, None, title="Grow")
    await create_key_result(session, objective, start=0.0, target=100.0, current=35.0)
    await roll_up(session, objective)
    return objective


@pytest.fixture
async def bobs_goal(session: AsyncSession, cycle: Cycle, org: Org) -> Objective:
    """Bob's objective, not started."""
    objective = await create_objective(session, cycle, org.bob, title="Learn Rust")
    await create_key_result(session, objective, start=0.0, target=10.0, current=0.0)
    return objective


async def progress(
    client: httpx.AsyncClient, headers: dict[str, str], objective: Objective
) -> float:
    response = await client.get(f"/v1/objectives/{objective.id}", headers=headers)
    value: float = response.json()["progress"]
    return value


async def propose(
    client: httpx.AsyncClient, headers: dict[str, str], child: Objective, parent: Objective
) -> httpx.Response:
    return await client.post(
        f"/v1/objectives/{child.id}/alignments",
        json={"parent_objective_id": str(parent.id)},
        headers=headers,
    )


async def decide(
    client: httpx.AsyncClient, headers: dict[str, str], link_id: str, **body: object
) -> httpx.Response:
    link = await client.get(f"/v1/alignments/{link_id}", headers=headers)
    return await client.patch(
        f"/v1/alignments/{link_id}",
        json=body,
        headers={**headers, "If-Match": link.headers["etag"]},
    )


# --- Proposing -------------------------------------------------------------------------------


async def test_the_child_side_may_not_weigh_its_link_to_a_parent_it_may_not_change(
    client: httpx.AsyncClient, as_: As, company_goal: Objective, bobs_goal: Objective
) -> None:
    response = await client.post(
        f"/v1/objectives/{bobs_goal.id}/alignments",
        json={"parent_objective_id": str(company_goal.id), "weight": 1000},
        headers=as_.bob,
    )

    assert response.status_code == 403
    assert response.json()["code"] == "weight_set_by_parent"
    assert await progress(client, as_.bob, company_goal) == 0.35


async def test_a_proposed_link_counts_nowhere_until_the_parent_side_accepts_it(
    client: httpx.AsyncClient,
    as_: As,
    as_admin: dict[str, str],
    cycle: Cycle,
    company_goal: Objective,
    bobs_goal: Objective,
) -> None:
    proposed = await propose(client, as_.bob, bobs_goal, company_goal)

    assert proposed.status_code == 201
    assert (proposed.json()["state"], proposed.json()["weight"]) == ("pending", 1.0)
    assert proposed.json()["decided_by"] is None
    assert await progress(client, as_.bob, company_goal) == 0.35
    graph = (await client.get(f"/v1/cycles/{cycle.id}/alignment", headers=as_.bob)).json()
    assert [(edge["id"], edge["state"]) for edge in graph["edges"]] == [
        (proposed.json()["id"], "pending")
    ]
    assert {node["id"]: node["progress"] for node in graph["nodes"]}[str(company_goal.id)] == 0.35
    report = (await client.get(f"/v1/cycles/{cycle.id}/report", headers=as_.bob)).json()
    assert [row["progress"] for row in report["teams"] if row["team_id"] is None] == [0.35]

    accepted = await decide(client, as_admin, proposed.json()["id"], state="accepted", weight=3)

    assert accepted.status_code == 200
    assert (accepted.json()["state"], accepted.json()["weight"]) == ("accepted", 3.0)
    # (0.35 * 1 + 0.0 * 3) / 4
    assert await progress(client, as_.bob, company_goal) == pytest.approx(0.0875)


async def test_a_link_made_by_someone_who_may_change_the_parent_is_accepted_at_once(
    client: httpx.AsyncClient, session: AsyncSession, as_: As, org: Org, cycle: Cycle
) -> None:
    platform = await create_objective(session, cycle, org.platform)
    await create_key_result(session, platform, current=50.0)
    await roll_up(session, platform)
    adas = await create_objective(session, cycle, org.ada)
    await create_key_result(session, adas, current=100.0)

    response = await client.post(
        f"/v1/objectives/{adas.id}/alignments",
        json={"parent_objective_id": str(platform.id), "weight": 3},
        headers=as_.ada,
    )

    assert response.status_code == 201
    link = response.json()
    assert (link["state"], link["weight"], link["decided_by"]) == ("accepted", 3.0, str(org.ada.id))
    # (0.5 * 1 + 1.0 * 3) / 4
    assert await progress(client, as_.ada, platform) == 0.875


async def test_the_final_score_of_a_closing_cycle_counts_only_accepted_links(
    client: httpx.AsyncClient,
    as_: As,
    as_admin: dict[str, str],
    cycle: Cycle,
    company_goal: Objective,
    bobs_goal: Objective,
) -> None:
    assert (await propose(client, as_.bob, bobs_goal, company_goal)).status_code == 201
    read = await client.get(f"/v1/cycles/{cycle.id}", headers=as_admin)

    closed = await client.patch(
        f"/v1/cycles/{cycle.id}",
        json={"status": "closed"},
        headers={**as_admin, "If-Match": read.headers["etag"]},
    )

    assert closed.status_code == 200
    closing = (await client.get(f"/v1/objectives/{company_goal.id}", headers=as_.bob)).json()
    assert (closing["closing"]["score"], closing["closing"]["source"]) == (0.35, "progress")


# --- Deciding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"), [("bob", 403), ("sam", 403), ("eve", 403), ("lea", 200), ("ceo", 200)]
)
async def test_only_the_parent_side_accepts_declines_and_weighs(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    org: Org,
    cycle: Cycle,
    bobs_goal: Objective,
    name: str,
    status: int,
) -> None:
    """Bob (and his lead Sam) proposed; Platform's lead Lea and her manager decide."""
    platform = await create_objective(session, cycle, org.platform)
    link = await align(session, bobs_goal, platform, state="pending")
    headers = {**getattr(as_, name), "If-Match": '"1"'}

    accept = await client.patch(
        f"/v1/alignments/{link.id}", json={"state": "accepted"}, headers=headers
    )
    weigh = await client.patch(f"/v1/alignments/{link.id}", json={"weight": 2}, headers=headers)

    assert accept.status_code == status
    if status == 403:
        assert accept.json()["code"] == weigh.json()["code"] == "parent_side_only"


async def test_a_declined_link_counts_no_more_and_may_be_accepted_again(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    as_admin: dict[str, str],
    company_goal: Objective,
    bobs_goal: Objective,
) -> None:
    link = await align(session, bobs_goal, company_goal, weight=1.0)
    assert await progress(client, as_.bob, company_goal) == 0.175

    declined = await decide(client, as_admin, str(link.id), state="declined")
    after_decline = await progress(client, as_.bob, company_goal)
    accepted = await decide(client, as_admin, str(link.id), state="accepted")

    assert (declined.status_code, declined.json()["state"]) == (200, "declined")
    assert after_decline == 0.35
    assert (accepted.status_code, accepted.json()["version"]) == (200, 3)
    assert await progress(client, as_.bob, company_goal) == 0.175


@pytest.mark.parametrize(
    "body", [{}, {"state": "pending"}, {"state": "maybe"}, {"state": None}, {"weight": 0}]
)
async def test_a_decision_is_accepted_or_declined_else_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    company_goal: Objective,
    bobs_goal: Objective,
    body: dict[str, object],
) -> None:
    link = await align(session, bobs_goal, company_goal, state="pending")

    response = await client.patch(
        f"/v1/alignments/{link.id}", json=body, headers={**as_admin, "If-Match": '"1"'}
    )

    assert response.status_code == 422


async def test_a_decision_needs_if_match(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    company_goal: Objective,
    bobs_goal: Objective,
) -> None:
    link = await align(session, bobs_goal, company_goal, state="pending")
    path = f"/v1/alignments/{link.id}"

    without = await client.patch(path, json={"state": "accepted"}, headers=as_admin)
    stale = await client.patch(
        path, json={"state": "accepted"}, headers={**as_admin, "If-Match": '"9"'}
    )

    assert [without.status_code, stale.status_code] == [428, 412]


# --- Events ----------------------------------------------------------------------------------


async def test_proposing_deciding_and_withdrawing_are_announced_with_ids_only(
    client: httpx.AsyncClient,
    outbox: Outbox,
    as_: As,
    admin: OrgPerson,
    as_admin: dict[str, str],
    org: Org,
    company_goal: Objective,
    bobs_goal: Objective,
) -> None:
    link_id = (await propose(client, as_.bob, bobs_goal, company_goal)).json()["id"]
    await decide(client, as_admin, link_id, state="accepted", weight=5)
    await decide(client, as_admin, link_id, weight=2)
    await decide(client, as_admin, link_id, state="declined")
    await client.delete(f"/v1/alignments/{link_id}", headers=as_.bob)

    events = [(type_, payload) for type_, payload in await outbox.events()]
    assert [type_ for type_, _ in events] == [
        "alignment.created",
        "alignment.accepted",
        "alignment.declined",
        "alignment.deleted",
    ]
    created = events[0][1]
    assert created == {
        "id": link_id,
        "cycle_id": str(company_goal.cycle_id),
        "child": {
            "objective_id": str(bobs_goal.id),
            "key_result_id": None,
            "owner_kind": "person",
            "owner_person_id": str(org.bob.id),
            "owner_team_id": None,
            "visibility": "public",
        },
        "parent": {
            "objective_id": str(company_goal.id),
            "key_result_id": None,
            "owner_kind": "company",
            "owner_person_id": None,
            "owner_team_id": None,
            "visibility": "public",
        },
        "state": "pending",
        "created_by": str(org.bob.id),
    }
    assert events[1][1] == {**created, "state": "accepted", "decided_by": str(admin.id)}
    assert events[2][1]["decided_by"] == str(admin.id)
    assert events[3][1] == {**created, "state": "declined", "deleted_by": str(org.bob.id)}
    assert not any({"weight", "progress", "title"} & set(payload) for _, payload in events)


async def test_a_proposal_made_twice_with_the_same_key_is_one_link(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    company_goal: Objective,
    bobs_goal: Objective,
) -> None:
    headers = {**as_.bob, "Idempotency-Key": "propose-once"}
    body = {"parent_objective_id": str(company_goal.id)}
    path = f"/v1/objectives/{bobs_goal.id}/alignments"

    first = await client.post(path, json=body, headers=headers)
    again = await client.post(path, json=body, headers=headers)

    assert first.json() == again.json()
    assert (await session.get(Alignment, first.json()["id"])) is not None
