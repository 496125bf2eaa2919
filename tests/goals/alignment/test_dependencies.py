"""Dependencies between owners: declared by the side that depends, agreed by the side depended
on, resolved or reopened by either; their events; and the alignment event's view of a cycle."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.alignment.models import Dependency
from services.goals.alignment.schemas import DependencyState
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus, Visibility
from tests.goals.alignment.factories import As, Org, depend
from tests.goals.factories import create_cycle, create_key_result, create_objective, unknown_id
from tests.support import Outbox, Tokens, problem_codes, problem_fields


@pytest.fixture
async def sales_goal(session: AsyncSession, cycle: Cycle, org: Org) -> Objective:
    return await create_objective(session, cycle, org.sales, title="Close the enterprise deals")


@pytest.fixture
async def platform_goal(session: AsyncSession, cycle: Cycle, org: Org) -> Objective:
    return await create_objective(session, cycle, org.platform, title="Single sign-on")


@pytest.fixture
async def platform_result(session: AsyncSession, platform_goal: Objective) -> KeyResult:
    return await create_key_result(session, platform_goal, title="SAML for 3 providers")


async def dependencies(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Dependency))).one()


def declare(on: Objective | KeyResult, note: str = "SSO before the pilot starts") -> Any:
    key = "on_key_result_id" if isinstance(on, KeyResult) else "on_objective_id"
    return {key: str(on.id), "note": note}


# --- Declaring -------------------------------------------------------------------------------


async def test_a_team_declares_it_depends_on_another_teams_key_result(
    client: httpx.AsyncClient,
    org: Org,
    as_: As,
    outbox: Outbox,
    sales_goal: Objective,
    platform_goal: Objective,
    platform_result: KeyResult,
) -> None:
    response = await client.post(
        f"/v1/objectives/{sales_goal.id}/dependencies",
        json=declare(platform_result),
        headers=as_.bob,
    )

    assert response.status_code == 201
    found = response.json()
    assert response.headers["location"] == f"/v1/dependencies/{found['id']}"
    assert response.headers["etag"] == '"1"'
    assert (found["state"], found["note"], found["created_by"]) == (
        "open",
        "SSO before the pilot starts",
        str(org.bob.id),
    )
    assert found["objective"] == {
        "objective_id": str(sales_goal.id),
        "objective_title": "Close the enterprise deals",
        "owner_kind": "team",
        "owner_person_id": None,
        "owner_team_id": str(org.sales.id),
        "key_result_id": None,
        "key_result_title": None,
    }
    assert (found["on"]["objective_id"], found["on"]["key_result_title"]) == (
        str(platform_goal.id),
        "SAML for 3 providers",
    )
    [(kind, payload)] = await outbox.events()
    assert kind == "dependency.created"
    assert payload == {
        "id": found["id"],
        "cycle_id": str(sales_goal.cycle_id),
        "objective": {
            "objective_id": str(sales_goal.id),
            "key_result_id": None,
            "owner_kind": "team",
            "owner_person_id": None,
            "owner_team_id": str(org.sales.id),
            "visibility": "public",
        },
        "on": {
            "objective_id": str(platform_goal.id),
            "key_result_id": str(platform_result.id),
            "owner_kind": "team",
            "owner_person_id": None,
            "owner_team_id": str(org.platform.id),
            "visibility": "public",
        },
        "state": "open",
        "created_by": str(org.bob.id),
    }


async def test_the_event_type_is_in_the_catalogue(client: httpx.AsyncClient, as_: As) -> None:
    response = await client.get("/v1/event-types", headers=as_.eve)

    names = {item["name"] for item in response.json()}
    assert {"dependency.created", "dependency.updated", "dependency.deleted"} <= names


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"note": "x"}, "body", "one_target"),
        (
            {
                "on_objective_id": str(unknown_id()),
                "on_key_result_id": str(unknown_id()),
                "note": "x",
            },
            "body",
            "one_target",
        ),
        ({"on_objective_id": str(unknown_id())}, "body.note", "missing"),
        ({"on_objective_id": str(unknown_id()), "note": "  "}, "body.note", "string_too_short"),
        (
            {"on_objective_id": str(unknown_id()), "note": "x" * 2001},
            "body.note",
            "string_too_long",
        ),
        ({"on_objective_id": str(unknown_id()), "note": 5}, "body.note", "string_type"),
        (
            {"on_objective_id": str(unknown_id()), "note": "x", "state": "agreed"},
            "body.state",
            "extra_forbidden",
        ),
    ],
)
async def test_a_bad_dependency_body_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    sales_goal: Objective,
    body: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = await client.post(
        f"/v1/objectives/{sales_goal.id}/dependencies", json=body, headers=as_.bob
    )

    assert response.status_code == 422
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})
    assert await dependencies(session) == 0


@pytest.mark.parametrize(("name", "status"), [("bob", 201), ("sam", 201), ("ada", 403)])
async def test_the_side_that_depends_declares_it(
    client: httpx.AsyncClient,
    as_: As,
    sales_goal: Objective,
    platform_goal: Objective,
    name: str,
    status: int,
) -> None:
    response = await client.post(
        f"/v1/objectives/{sales_goal.id}/dependencies",
        json=declare(platform_goal),
        headers=getattr(as_, name),
    )

    assert response.status_code == status


@pytest.mark.parametrize("by", ["objective", "key_result"])
async def test_depending_on_what_you_may_not_read_is_404_as_on_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    sales_goal: Objective,
    by: str,
) -> None:
    secret = await create_objective(session, cycle, org.platform, visibility=Visibility.PRIVATE)
    secret_result = await create_key_result(session, secret)
    hidden = secret if by == "objective" else secret_result

    answers = [
        await client.post(
            f"/v1/objectives/{sales_goal.id}/dependencies",
            json={f"on_{by}_id": str(id_), "note": "x"},
            headers=as_.bob,
        )
        for id_ in (hidden.id, unknown_id())
    ]

    assert [answer.status_code for answer in answers] == [404, 404]
    assert {answer.json()["code"] for answer in answers} == {"target_not_found"}
    assert problem_fields(answers[0]) == {f"body.on_{by}_id"}


async def test_a_dependency_is_on_another_owner(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    sales_goal: Objective,
) -> None:
    other_sales_goal = await create_objective(session, cycle, org.sales)
    own_result = await create_key_result(session, sales_goal)

    answers = [
        await client.post(
            f"/v1/objectives/{sales_goal.id}/dependencies", json=declare(on), headers=as_.bob
        )
        for on in (other_sales_goal, own_result, sales_goal)
    ]

    assert [answer.status_code for answer in answers] == [409] * 3
    assert {answer.json()["code"] for answer in answers} == {"same_owner"}


async def test_a_dependency_stays_within_its_cycle(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    as_: As,
    sales_goal: Objective,
) -> None:
    later = await create_objective(session, await create_cycle(session), org.platform)

    response = await client.post(
        f"/v1/objectives/{sales_goal.id}/dependencies", json=declare(later), headers=as_.bob
    )

    assert response.status_code == 409
    assert response.json()["code"] == "cycle_mismatch"


async def test_a_closed_cycle_takes_no_new_dependency(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, as_: As
) -> None:
    closed = await create_cycle(session, status=CycleStatus.CLOSED)
    sales = await create_objective(session, closed, org.sales)
    platform = await create_objective(session, closed, org.platform)

    response = await client.post(
        f"/v1/objectives/{sales.id}/dependencies", json=declare(platform), headers=as_.bob
    )

    assert response.status_code == 409
    assert response.json()["code"] == "cycle_closed"


async def test_an_objective_depends_on_something_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    sales_goal: Objective,
    platform_goal: Objective,
    platform_result: KeyResult,
) -> None:
    path = f"/v1/objectives/{sales_goal.id}/dependencies"
    other_result = await create_key_result(session, platform_goal)

    answers = [
        await client.post(path, json=declare(on), headers=as_.bob)
        for on in (platform_goal, platform_result, other_result, platform_goal, platform_result)
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 409, 409]
    assert {answer.json()["code"] for answer in answers[3:]} == {"already_depends"}
    assert await dependencies(session) == 3


# --- Moving it on ----------------------------------------------------------------------------


@pytest.fixture
async def dependency(
    session: AsyncSession, sales_goal: Objective, platform_result: KeyResult
) -> Dependency:
    return await depend(session, sales_goal, platform_result)


async def patch(
    client: httpx.AsyncClient,
    dependency: Dependency,
    body: dict[str, Any],
    headers: dict[str, str],
    version: int = 1,
) -> httpx.Response:
    return await client.patch(
        f"/v1/dependencies/{dependency.id}",
        json=body,
        headers={**headers, "If-Match": f'"{version}"'},
    )


async def test_the_side_depended_on_agrees_and_either_side_resolves(
    client: httpx.AsyncClient, org: Org, as_: As, outbox: Outbox, dependency: Dependency
) -> None:
    agreed = await patch(client, dependency, {"state": "agreed"}, as_.lea)
    resolved = await patch(client, dependency, {"state": "resolved"}, as_.bob, version=2)

    assert (agreed.status_code, agreed.json()["state"], agreed.headers["etag"]) == (
        200,
        "agreed",
        '"2"',
    )
    assert (resolved.status_code, resolved.json()["state"]) == (200, "resolved")
    events = await outbox.events()
    assert [kind for kind, _ in events] == ["dependency.updated", "dependency.updated"]
    assert [(p["state"], p["changed"], p["changed_by"]) for _, p in events] == [
        ("agreed", ["state"], str(org.lea.id)),
        ("resolved", ["state"], str(org.bob.id)),
    ]
    assert "note" not in events[0][1]


async def test_the_side_that_depends_cannot_agree_for_the_other(
    client: httpx.AsyncClient, as_: As, dependency: Dependency
) -> None:
    response = await patch(client, dependency, {"state": "agreed"}, as_.bob)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("start", "to", "status"),
    [
        (DependencyState.OPEN, "resolved", 200),
        (DependencyState.AGREED, "open", 200),
        (DependencyState.RESOLVED, "open", 200),
        (DependencyState.RESOLVED, "agreed", 409),
        (DependencyState.AGREED, "agreed", 200),
    ],
)
async def test_states_move_as_the_rules_allow(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_: As,
    dependency: Dependency,
    start: DependencyState,
    to: str,
    status: int,
) -> None:
    dependency.state = start
    session.add(dependency)
    await session.flush()

    response = await patch(client, dependency, {"state": to}, as_.lea)

    assert response.status_code == status
    if status == 409:
        assert response.json()["code"] == "invalid_transition"
    else:
        assert response.json()["state"] == to


async def test_the_note_is_the_dependent_sides_to_reword(
    client: httpx.AsyncClient, as_: As, dependency: Dependency
) -> None:
    by_them = await patch(client, dependency, {"note": "By June is fine"}, as_.lea)
    by_us = await patch(client, dependency, {"note": "By June is fine"}, as_.bob)

    assert by_them.status_code == 403
    assert (by_us.status_code, by_us.json()["note"]) == (200, "By June is fine")


@pytest.mark.parametrize(
    "body", [{"state": None}, {"note": None}, {"state": "done"}, {"note": ""}, {"owner": "x"}]
)
async def test_a_bad_change_is_422(
    client: httpx.AsyncClient, as_: As, dependency: Dependency, body: dict[str, Any]
) -> None:
    response = await patch(client, dependency, body, as_.bob)

    assert response.status_code == 422


async def test_changes_need_the_current_etag(
    client: httpx.AsyncClient, as_: As, dependency: Dependency
) -> None:
    path = f"/v1/dependencies/{dependency.id}"

    without = await client.patch(path, json={"state": "resolved"}, headers=as_.bob)
    stale = await patch(client, dependency, {"state": "resolved"}, as_.bob, version=9)

    assert [without.status_code, stale.status_code] == [428, 412]


async def test_outsiders_may_read_but_not_move_a_dependency(
    client: httpx.AsyncClient, as_: As, dependency: Dependency
) -> None:
    read = await client.get(f"/v1/dependencies/{dependency.id}", headers=as_.eve)
    moved = await patch(client, dependency, {"state": "resolved"}, as_.eve)
    withdrawn = await client.delete(f"/v1/dependencies/{dependency.id}", headers=as_.eve)

    assert (read.status_code, read.headers["etag"]) == (200, '"1"')
    assert [moved.status_code, withdrawn.status_code] == [403, 403]


async def test_the_side_that_depends_withdraws_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    as_: As,
    outbox: Outbox,
    dependency: Dependency,
) -> None:
    by_them = await client.delete(f"/v1/dependencies/{dependency.id}", headers=as_.lea)
    by_us = await client.delete(f"/v1/dependencies/{dependency.id}", headers=as_.bob)
    again = await client.delete(f"/v1/dependencies/{dependency.id}", headers=as_.bob)

    assert [by_them.status_code, by_us.status_code, again.status_code] == [403, 204, 404]
    assert await dependencies(session) == 0
    [(kind, payload)] = await outbox.events()
    assert (kind, payload["id"], payload["deleted_by"]) == (
        "dependency.deleted",
        str(dependency.id),
        str(org.bob.id),
    )


async def test_a_closed_cycle_keeps_its_dependencies_as_they_are(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    as_: As,
    dependency: Dependency,
) -> None:
    cycle.status = CycleStatus.CLOSED
    session.add(cycle)
    await session.flush()

    moved = await patch(client, dependency, {"state": "agreed"}, as_.lea)
    withdrawn = await client.delete(f"/v1/dependencies/{dependency.id}", headers=as_.bob)

    assert [moved.status_code, withdrawn.status_code] == [409, 409]


async def test_a_dependency_with_a_side_you_may_not_read_is_404(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    platform_goal: Objective,
) -> None:
    secret = await create_objective(session, cycle, org.bob, visibility=Visibility.PRIVATE)
    hidden = await depend(session, secret, platform_goal)

    for_lea = await client.get(f"/v1/dependencies/{hidden.id}", headers=as_.lea)
    for_sam = await client.get(f"/v1/dependencies/{hidden.id}", headers=as_.sam)
    unknown = await client.get(f"/v1/dependencies/{unknown_id()}", headers=as_.sam)

    assert [for_lea.status_code, for_sam.status_code, unknown.status_code] == [404, 200, 404]
    assert for_lea.json()["code"] == unknown.json()["code"] == "dependency_not_found"


# --- Lists -----------------------------------------------------------------------------------


async def test_an_objective_lists_its_dependencies_on_both_sides(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    as_: As,
    sales_goal: Objective,
    platform_goal: Objective,
) -> None:
    eves = await create_objective(session, cycle, org.eve)
    outgoing = await depend(session, sales_goal, platform_goal)
    incoming = await depend(session, eves, sales_goal)
    await depend(session, eves, platform_goal)

    response = await client.get(f"/v1/objectives/{sales_goal.id}/dependencies", headers=as_.ada)

    assert [item["id"] for item in response.json()["items"]] == [str(outgoing.id), str(incoming.id)]


@pytest.fixture
async def workshop(session: AsyncSession, cycle: Cycle, org: Org) -> dict[str, Dependency]:
    """The dependencies of a cycle: two between teams, one of a private objective."""
    sales = await create_objective(session, cycle, org.sales)
    platform = await create_objective(session, cycle, org.platform)
    platform_result = await create_key_result(session, platform)
    secret = await create_objective(session, cycle, org.bob, visibility=Visibility.PRIVATE)
    elsewhere = await create_cycle(session)
    return {
        "sales_on_platform": await depend(session, sales, platform_result),
        "platform_on_sales": await depend(session, platform, sales, state=DependencyState.AGREED),
        "secret_on_platform": await depend(session, secret, platform),
        "elsewhere": await depend(
            session,
            await create_objective(session, elsewhere, org.sales),
            await create_objective(session, elsewhere, org.platform),
        ),
    }


async def test_the_alignment_event_view_lists_every_dependency_of_the_cycle(
    client: httpx.AsyncClient, cycle: Cycle, as_: As, workshop: dict[str, Dependency]
) -> None:
    response = await client.get(f"/v1/cycles/{cycle.id}/dependencies", headers=as_.sam)

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [
        str(workshop[key].id)
        for key in ("sales_on_platform", "platform_on_sales", "secret_on_platform")
    ]
    assert [item["state"] for item in items] == ["open", "agreed", "open"]
    assert [item["on"]["key_result_id"] is not None for item in items] == [True, False, False]


async def test_the_view_leaves_out_dependencies_you_may_not_read_both_sides_of(
    client: httpx.AsyncClient, cycle: Cycle, as_: As, workshop: dict[str, Dependency]
) -> None:
    response = await client.get(f"/v1/cycles/{cycle.id}/dependencies", headers=as_.lea)

    assert str(workshop["secret_on_platform"].id) not in response.text
    assert len(response.json()["items"]) == 2


async def test_the_view_filters_by_state_and_pages(
    client: httpx.AsyncClient, cycle: Cycle, as_: As, workshop: dict[str, Dependency]
) -> None:
    path = f"/v1/cycles/{cycle.id}/dependencies"

    agreed = (await client.get(path, params={"state": "agreed"}, headers=as_.sam)).json()
    first = (await client.get(path, params={"limit": 2}, headers=as_.sam)).json()
    rest = (await client.get(path, params={"cursor": first["next_cursor"]}, headers=as_.sam)).json()

    assert [item["id"] for item in agreed["items"]] == [str(workshop["platform_on_sales"].id)]
    assert len(first["items"]) == 2
    assert [item["id"] for item in rest["items"]] == [str(workshop["secret_on_platform"].id)]


@pytest.mark.parametrize(
    "params", [{"state": "pending"}, {"limit": 0}, {"cursor": "nope"}, {"order": "progress"}]
)
async def test_bad_view_parameters_are_422(
    client: httpx.AsyncClient, cycle: Cycle, as_: As, params: dict[str, Any]
) -> None:
    response = await client.get(
        f"/v1/cycles/{cycle.id}/dependencies", params=params, headers=as_.sam
    )

    assert response.status_code == 422


async def test_the_view_of_an_unknown_cycle_is_404(
    client: httpx.AsyncClient, as_: As, tokens: Tokens
) -> None:
    response = await client.get(f"/v1/cycles/{unknown_id()}/dependencies", headers=as_.sam)

    assert response.status_code == 404
    assert response.json()["code"] == "cycle_not_found"
