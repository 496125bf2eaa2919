"""Links between objectives as callers see them: who may make, change and withdraw them, the loops
and overlong chains refused, and the links a removed key result takes with it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.alignment.models import Alignment, Dependency
from services.goals.alignment.schemas import MAX_DEPTH
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus, Visibility
from tests.factories import count_rows
from tests.goals.alignment.factories import As, Org, align, depend
from tests.goals.factories import create_cycle, create_key_result, create_objective, unknown_id
from tests.support import Outbox, Tokens, problem_codes, problem_fields


def to_objective(objective: Objective, **body: Any) -> dict[str, Any]:
    return {"parent_objective_id": str(objective.id), **body}


# --- Making a link ---------------------------------------------------------------------------


async def test_an_objective_supports_a_parent_objective_with_an_equal_weight_by_default(
    client: httpx.AsyncClient, as_: As, org: Org, ada_goal: Objective, team_goal: Objective
) -> None:
    response = await client.post(
        f"/v1/objectives/{ada_goal.id}/alignments", json=to_objective(team_goal), headers=as_.ada
    )

    assert response.status_code == 201
    link = response.json()
    assert response.headers["location"] == f"/v1/alignments/{link['id']}"
    assert response.headers["etag"] == '"1"'
    moments = {"id", "created_at", "updated_at", "decided_at"}
    assert {key: link[key] for key in link if key not in moments} == {
        "child_objective_id": str(ada_goal.id),
        "parent_objective_id": str(team_goal.id),
        "parent_key_result_id": None,
        "weight": 1.0,
        # Ada, a member of the team, may change its objective too: accepted at once.
        "state": "accepted",
        "created_by": str(org.ada.id),
        "decided_by": str(org.ada.id),
        "version": 1,
    }


async def test_an_objective_supports_a_key_result_and_so_its_objective(
    client: httpx.AsyncClient,
    as_: As,
    ada_goal: Objective,
    team_goal: Objective,
    team_result: KeyResult,
) -> None:
    response = await client.post(
        f"/v1/objectives/{ada_goal.id}/alignments",
        json={"parent_key_result_id": str(team_result.id), "weight": 2.5},
        headers=as_.ada,
    )

    assert response.status_code == 201
    link = response.json()
    assert (link["parent_objective_id"], link["parent_key_result_id"], link["weight"]) == (
        str(team_goal.id),
        str(team_result.id),
        2.5,
    )


async def test_an_objective_supports_several_parents(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    ada_goal: Objective,
    team_goal: Objective,
) -> None:
    sales_goal = await create_objective(session, cycle, org.sales)
    sales_result = await create_key_result(session, sales_goal)

    answers = [
        await client.post(f"/v1/objectives/{ada_goal.id}/alignments", json=body, headers=as_.ada)
        for body in (
            to_objective(team_goal),
            {"parent_key_result_id": str(sales_result.id)},
        )
    ]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert await count_rows(session, Alignment) == 2


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "body", "one_parent"),
        (
            {"parent_objective_id": str(unknown_id()), "parent_key_result_id": str(unknown_id())},
            "body",
            "one_parent",
        ),
        ({"parent_objective_id": None}, "body", "one_parent"),
        ({"parent_objective_id": "abc"}, "body.parent_objective_id", "uuid_parsing"),
        ({"parent_objective_id": 5}, "body.parent_objective_id", "uuid_type"),
        ({"weight": 0}, "body.weight", "greater_than"),
        ({"weight": -1}, "body.weight", "greater_than"),
        ({"weight": 1001}, "body.weight", "less_than_equal"),
        ({"weight": "2"}, "body.weight", "float_type"),
        ({"weight": False}, "body.weight", "float_type"),
        ({"weight": None}, "body.weight", "float_type"),
        ({"why": "because"}, "body.why", "extra_forbidden"),
    ],
)
async def test_a_bad_link_body_is_422_and_saves_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    ada_goal: Objective,
    team_goal: Objective,
    body: dict[str, Any],
    field: str,
    code: str,
) -> None:
    if "weight" in body or "why" in body:
        body = to_objective(team_goal, **body)

    response = await client.post(
        f"/v1/objectives/{ada_goal.id}/alignments", json=body, headers=as_.ada
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})
    assert await count_rows(session, Alignment) == 0


async def test_a_weight_that_is_not_a_finite_number_is_422(
    client: httpx.AsyncClient, as_: As, ada_goal: Objective, team_goal: Objective
) -> None:
    response = await client.post(
        f"/v1/objectives/{ada_goal.id}/alignments",
        content=f'{{"parent_objective_id": "{team_goal.id}", "weight": NaN}}',
        headers={**as_.ada, "content-type": "application/json"},
    )

    assert response.status_code == 422


# --- Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [("ada", 201), ("lea", 201), ("ceo", 201), ("bob", 403), ("eve", 403), ("sam", 403)],
)
async def test_those_who_may_change_the_child_link_it(
    client: httpx.AsyncClient,
    as_: As,
    ada_goal: Objective,
    team_goal: Objective,
    name: str,
    status: int,
) -> None:
    response = await client.post(
        f"/v1/objectives/{ada_goal.id}/alignments",
        json=to_objective(team_goal),
        headers=getattr(as_, name),
    )

    assert response.status_code == status


async def test_hr_admins_link_anything_integrations_and_services_nothing(
    client: httpx.AsyncClient,
    tokens: Tokens,
    as_admin: dict[str, str],
    ada_goal: Objective,
    team_goal: Objective,
) -> None:
    path, body = f"/v1/objectives/{ada_goal.id}/alignments", to_objective(team_goal)

    refused = [
        await client.post(path, json=body, headers=headers)
        for headers in (tokens.integration("goals:read"), tokens.service())
    ]
    allowed = await client.post(path, json=body, headers=as_admin)

    assert [answer.status_code for answer in refused] == [403, 403]
    assert allowed.status_code == 201


async def test_a_private_child_you_may_not_read_is_404(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    team_goal: Objective,
) -> None:
    secret = await create_objective(session, cycle, org.ada, visibility=Visibility.PRIVATE)

    response = await client.post(
        f"/v1/objectives/{secret.id}/alignments", json=to_objective(team_goal), headers=as_.bob
    )

    assert response.status_code == 404
    assert response.json()["code"] == "objective_not_found"


@pytest.mark.parametrize("by", ["objective", "key_result"])
async def test_a_parent_you_may_not_read_is_404_as_an_unknown_one(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    ada_goal: Objective,
    by: str,
) -> None:
    secret = await create_objective(session, cycle, org.sales, visibility=Visibility.PRIVATE)
    secret_result = await create_key_result(session, secret)
    field = f"parent_{by}_id"
    hidden = secret.id if by == "objective" else secret_result.id

    answers = [
        await client.post(
            f"/v1/objectives/{ada_goal.id}/alignments",
            json={field: str(id_)},
            headers=as_.ada,
        )
        for id_ in (hidden, unknown_id())
    ]

    assert [answer.status_code for answer in answers] == [404, 404]
    bodies = [{k: v for k, v in a.json().items() if k != "instance"} for a in answers]
    assert bodies[0] == bodies[1]
    assert bodies[0]["code"] == "parent_not_found"
    assert problem_fields(answers[0]) == {f"body.{field}"}
    assert await count_rows(session, Alignment) == 0


async def test_a_private_parent_its_readers_may_link_to(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    ada_goal: Objective,
) -> None:
    private_team_goal = await create_objective(
        session, cycle, org.platform, visibility=Visibility.PRIVATE
    )

    response = await client.post(
        f"/v1/objectives/{ada_goal.id}/alignments",
        json=to_objective(private_team_goal),
        headers=as_.ada,
    )

    assert response.status_code == 201


# --- Rules -----------------------------------------------------------------------------------


async def test_links_stay_within_one_cycle(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    as_: As,
    ada_goal: Objective,
) -> None:
    elsewhere = await create_objective(session, await create_cycle(session), org.platform)

    response = await client.post(
        f"/v1/objectives/{ada_goal.id}/alignments", json=to_objective(elsewhere), headers=as_.ada
    )

    assert response.status_code == 409
    assert response.json()["code"] == "cycle_mismatch"


async def test_a_closed_cycle_takes_no_new_links(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    as_: As,
) -> None:
    closed = await create_cycle(session, status=CycleStatus.CLOSED)
    child = await create_objective(session, closed, org.ada)
    parent = await create_objective(session, closed, org.platform)

    response = await client.post(
        f"/v1/objectives/{child.id}/alignments", json=to_objective(parent), headers=as_.ada
    )

    assert response.status_code == 409
    assert response.json()["code"] == "cycle_closed"


async def test_a_child_supports_a_parent_objective_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    ada_goal: Objective,
    team_goal: Objective,
    team_result: KeyResult,
) -> None:
    path = f"/v1/objectives/{ada_goal.id}/alignments"
    first = await client.post(path, json=to_objective(team_goal), headers=as_.ada)

    again = await client.post(path, json=to_objective(team_goal), headers=as_.ada)
    through_its_key_result = await client.post(
        path, json={"parent_key_result_id": str(team_result.id)}, headers=as_.ada
    )

    assert first.status_code == 201
    assert [again.status_code, through_its_key_result.status_code] == [409, 409]
    assert {again.json()["code"], through_its_key_result.json()["code"]} == {"already_aligned"}
    assert await count_rows(session, Alignment) == 1


async def test_an_objective_cannot_support_itself_nor_its_own_key_result(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    ada_goal: Objective,
) -> None:
    own_result = await create_key_result(session, ada_goal)
    path = f"/v1/objectives/{ada_goal.id}/alignments"

    answers = [
        await client.post(path, json=to_objective(ada_goal), headers=as_.ada),
        await client.post(path, json={"parent_key_result_id": str(own_result.id)}, headers=as_.ada),
    ]

    assert [answer.status_code for answer in answers] == [409, 409]
    assert {answer.json()["code"] for answer in answers} == {"alignment_cycle"}
    assert await count_rows(session, Alignment) == 0


async def test_a_link_that_would_close_a_loop_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_admin: dict[str, str],
) -> None:
    # company ← platform (through a key result) ← ada: ada's may not become the company's parent.
    company, platform, ada = [
        await create_objective(session, cycle, owner) for owner in (org.ceo, org.platform, org.ada)
    ]
    company_result = await create_key_result(session, company)
    await align(session, platform, company_result)
    await align(session, ada, platform)

    response = await client.post(
        f"/v1/objectives/{company.id}/alignments", json=to_objective(ada), headers=as_admin
    )

    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "alignment_cycle"
    assert "loop" in problem["detail"]
    assert problem_fields(response) == {"body.parent_objective_id"}
    assert await count_rows(session, Alignment) == 2


async def test_a_diamond_is_no_loop(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, as_admin: Any
) -> None:
    top, left, right, bottom = [await create_objective(session, cycle, org.ceo) for _ in range(4)]
    await align(session, left, top)
    await align(session, right, top)
    await align(session, bottom, left)

    response = await client.post(
        f"/v1/objectives/{bottom.id}/alignments", json=to_objective(right), headers=as_admin
    )

    assert response.status_code == 201


async def test_chains_are_at_most_max_depth_links_long(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, as_admin: Any
) -> None:
    chain = [await create_objective(session, cycle, org.ceo) for _ in range(MAX_DEPTH + 2)]
    for child, parent in zip(chain[1 : MAX_DEPTH + 1], chain[:MAX_DEPTH], strict=True):
        await align(session, child, parent)
    # chain[0] ← … ← chain[MAX_DEPTH]: MAX_DEPTH links; one more below is one too many.

    too_deep = await client.post(
        f"/v1/objectives/{chain[-1].id}/alignments",
        json=to_objective(chain[MAX_DEPTH]),
        headers=as_admin,
    )
    beside = await client.post(
        f"/v1/objectives/{chain[-1].id}/alignments",
        json=to_objective(chain[MAX_DEPTH - 1]),
        headers=as_admin,
    )

    assert too_deep.status_code == 409
    assert too_deep.json()["code"] == "alignment_too_deep"
    assert beside.status_code == 201


async def test_a_retried_post_is_answered_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    ada_goal: Objective,
    team_goal: Objective,
) -> None:
    headers = {**as_.ada, "Idempotency-Key": "align-1"}
    path = f"/v1/objectives/{ada_goal.id}/alignments"

    first = await client.post(path, json=to_objective(team_goal), headers=headers)
    second = await client.post(path, json=to_objective(team_goal), headers=headers)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert await count_rows(session, Alignment) == 1


# --- One link: read, reweigh, withdraw -------------------------------------------------------


@pytest.fixture
async def link(session: AsyncSession, ada_goal: Objective, team_goal: Objective) -> Alignment:
    return await align(session, ada_goal, team_goal)


async def test_a_link_is_read_with_its_etag(
    client: httpx.AsyncClient, as_: As, link: Alignment
) -> None:
    response = await client.get(f"/v1/alignments/{link.id}", headers=as_.eve)

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json()["id"] == str(link.id)


async def test_a_link_with_an_end_you_may_not_read_is_404(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    team_goal: Objective,
) -> None:
    secret = await create_objective(session, cycle, org.ada, visibility=Visibility.PRIVATE)
    hidden = await align(session, secret, team_goal)

    for_bob = await client.get(f"/v1/alignments/{hidden.id}", headers=as_.bob)
    unknown = await client.get(f"/v1/alignments/{unknown_id()}", headers=as_.bob)
    for_lea = await client.get(f"/v1/alignments/{hidden.id}", headers=as_.lea)

    assert [for_bob.status_code, unknown.status_code, for_lea.status_code] == [404, 404, 200]
    assert for_bob.json()["code"] == unknown.json()["code"] == "alignment_not_found"


async def test_the_weight_changes_with_if_match(
    client: httpx.AsyncClient, as_: As, link: Alignment
) -> None:
    path = f"/v1/alignments/{link.id}"

    without = await client.patch(path, json={"weight": 3}, headers=as_.ada)
    stale = await client.patch(path, json={"weight": 3}, headers={**as_.ada, "If-Match": '"7"'})
    changed = await client.patch(path, json={"weight": 3}, headers={**as_.ada, "If-Match": '"1"'})
    same = await client.patch(path, json={"weight": 3}, headers={**as_.ada, "If-Match": '"2"'})

    assert [without.status_code, stale.status_code] == [428, 412]
    assert changed.status_code == 200
    assert (changed.json()["weight"], changed.json()["version"]) == (3.0, 2)
    assert changed.headers["etag"] == '"2"'
    assert (same.status_code, same.json()["version"]) == (200, 2)


@pytest.mark.parametrize(
    "body", [{}, {"weight": 0}, {"weight": None}, {"weight": 1, "parent_objective_id": None}]
)
async def test_a_bad_weight_change_is_422(
    client: httpx.AsyncClient, as_: As, link: Alignment, body: dict[str, Any]
) -> None:
    response = await client.patch(
        f"/v1/alignments/{link.id}", json=body, headers={**as_.ada, "If-Match": '"1"'}
    )

    assert response.status_code == 422


@pytest.mark.parametrize(("name", "status"), [("lea", 200), ("sam", 403), ("eve", 403)])
async def test_those_who_may_change_the_parent_reweigh_its_link(
    client: httpx.AsyncClient, as_: As, link: Alignment, name: str, status: int
) -> None:
    response = await client.patch(
        f"/v1/alignments/{link.id}",
        json={"weight": 2},
        headers={**getattr(as_, name), "If-Match": '"1"'},
    )

    assert response.status_code == status


@pytest.mark.parametrize(
    ("name", "status"),
    [("ada", 204), ("lea", 204), ("ceo", 204), ("bob", 403), ("eve", 403)],
)
async def test_the_child_side_withdraws_a_link(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    link: Alignment,
    name: str,
    status: int,
) -> None:
    response = await client.delete(f"/v1/alignments/{link.id}", headers=getattr(as_, name))

    assert response.status_code == status
    assert await count_rows(session, Alignment) == (0 if status == 204 else 1)


async def test_the_parent_side_turns_a_child_away(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
) -> None:
    bobs = await create_objective(session, cycle, org.bob)
    platform = await create_objective(session, cycle, org.platform)
    link = await align(session, bobs, platform)

    response = await client.delete(f"/v1/alignments/{link.id}", headers=as_.lea)
    gone = await client.get(f"/v1/alignments/{link.id}", headers=as_.lea)

    assert response.status_code == 204
    assert gone.status_code == 404


async def test_links_of_a_closed_cycle_stay_as_they_are(
    client: httpx.AsyncClient, session: AsyncSession, as_: As, link: Alignment, cycle: Cycle
) -> None:
    cycle.status = CycleStatus.CLOSED
    session.add(cycle)
    await session.flush()

    reweigh = await client.patch(
        f"/v1/alignments/{link.id}", json={"weight": 2}, headers={**as_.ada, "If-Match": '"1"'}
    )
    withdraw = await client.delete(f"/v1/alignments/{link.id}", headers=as_.ada)

    assert [reweigh.status_code, withdraw.status_code] == [409, 409]
    assert {reweigh.json()["code"], withdraw.json()["code"]} == {"cycle_closed"}
    assert await count_rows(session, Alignment) == 1


# --- A key result removed --------------------------------------------------------------------


async def test_removing_a_key_result_withdraws_the_links_and_dependencies_naming_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    as_: As,
    team_goal: Objective,
    team_result: KeyResult,
) -> None:
    """Bob's public objective and Eve's private one (Lea may not read it) both support
    Platform's key result; Bob's also depends on it. Lea, its lead, removes the key result."""
    bobs = await create_objective(session, cycle, org.bob)
    eves = await create_objective(session, cycle, org.eve, visibility=Visibility.PRIVATE)
    to_bobs = await align(session, bobs, team_result)
    to_eves = await align(session, eves, team_result)
    other = await align(session, bobs, await create_objective(session, cycle, org.sales))
    dependency = await depend(session, bobs, team_result)
    path = f"/v1/key-results/{team_result.id}"

    removed = await client.delete(path, headers={**as_.lea, "If-Match": '"1"'})

    assert removed.status_code == 204
    remaining = (await session.exec(select(Alignment.id))).all()
    assert remaining == [other.id]
    assert (await session.exec(select(Dependency.id))).all() == []
    events = await outbox.events()
    assert [type_ for type_, _ in events] == [
        "alignment.deleted",
        "alignment.deleted",
        "dependency.deleted",
        "key_result.deleted",
    ]
    assert [payload["id"] for _, payload in events[:3]] == [
        str(to_bobs.id),
        str(to_eves.id),
        str(dependency.id),
    ]
    assert {payload["deleted_by"] for _, payload in events} == {str(org.lea.id)}
    children = await client.get(f"/v1/objectives/{team_goal.id}/children", headers=as_.lea)
    assert children.json()["items"] == []
