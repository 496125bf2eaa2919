"""Allocating resources to an idea: HR admins grant time or money to a reviewed idea, which
may start an experiment (a reference) or an objective (created in the same transaction)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, Objective
from tests.factories import count_rows
from tests.goals.ideas.support import review
from tests.support import Outbox, Tokens


@pytest.fixture
async def reviewed(
    client: httpx.AsyncClient, tokens: Tokens, idea: dict[str, Any], reviewers: list[OrgPerson]
) -> dict[str, Any]:
    response = await review(client, tokens, reviewers[0], idea)
    assert response.status_code == 201
    return idea


def allocation_path(idea: dict[str, Any]) -> str:
    return f"/v1/ideas/{idea['id']}/allocation"


async def test_an_hr_admin_allocates_and_an_objective_is_created_with_it(
    client: httpx.AsyncClient,
    outbox: Outbox,
    ada: OrgPerson,
    admin: OrgPerson,
    cycle: Cycle,
    reviewed: dict[str, Any],
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    body = {
        "granted": {"time_person_days": 10, "budget_amount": 800, "budget_currency": "EUR"},
        "note": "Start with two teams.",
        "objective": {
            "cycle_id": str(cycle.id),
            "title": "Shared test data in two teams",
            "owner_person_id": str(ada.id),
        },
    }

    response = await client.post(allocation_path(reviewed), json=body, headers=as_admin)

    assert response.status_code == 201, response.text
    idea = response.json()
    allocation = idea["allocation"]
    assert idea["status"] == "allocated"
    assert allocation | {"allocated_at": None, "spawned_id": None} == {
        "granted": {"time_person_days": 10.0, "budget_amount": "800.00", "budget_currency": "EUR"},
        "note": "Start with two teams.",
        "allocated_by": str(admin.id),
        "spawned_kind": "objective",
        "spawned_id": None,
        "allocated_at": None,
    }
    objective = await client.get(f"/v1/objectives/{allocation['spawned_id']}", headers=as_ada)
    assert objective.status_code == 200
    assert (objective.json()["title"], objective.json()["owner_person_id"]) == (
        "Shared test data in two teams",
        str(ada.id),
    )
    events = await outbox.events()
    assert [type_ for type_, _ in events][-2:] == ["objective.created", "idea.allocated"]
    assert events[-1][1] == {
        "idea_id": reviewed["id"],
        "proposer_id": str(ada.id),
        "status": "allocated",
        "allocated_by": str(admin.id),
        "spawned_kind": "objective",
        "spawned_id": allocation["spawned_id"],
    }


async def test_an_allocation_may_start_an_experiment_by_reference(
    client: httpx.AsyncClient, reviewed: dict[str, Any], as_admin: dict[str, str]
) -> None:
    experiment_id = "0192b1c4-0000-7000-8000-00000000abcd"
    body = {"granted": {"time_person_days": 3}, "experiment_id": experiment_id}

    response = await client.post(allocation_path(reviewed), json=body, headers=as_admin)

    assert response.status_code == 201
    allocation = response.json()["allocation"]
    assert (allocation["spawned_kind"], allocation["spawned_id"]) == ("experiment", experiment_id)


async def test_an_objective_refused_leaves_the_idea_open_and_nothing_saved(
    client: httpx.AsyncClient,
    session: AsyncSession,
    ada: OrgPerson,
    reviewed: dict[str, Any],
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    before = await count_rows(session, Objective)
    body = {
        "granted": {"time_person_days": 3},
        "objective": {
            "cycle_id": "0192b1c4-0000-7000-8000-000000000001",
            "title": "Somewhere",
            "owner_person_id": str(ada.id),
        },
    }

    response = await client.post(allocation_path(reviewed), json=body, headers=as_admin)

    assert (response.status_code, response.json()["code"]) == (422, "unknown_cycle")
    idea = (await client.get(f"/v1/ideas/{reviewed['id']}", headers=as_ada)).json()
    assert (idea["status"], idea["allocation"]) == ("under_review", None)
    assert await count_rows(session, Objective) == before


async def test_only_hr_admins_allocate(
    client: httpx.AsyncClient,
    tokens: Tokens,
    reviewed: dict[str, Any],
    reviewers: list[OrgPerson],
    mia: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    body = {"granted": {"time_person_days": 3}}
    callers = [
        as_ada,  # the proposer
        tokens.person(mia.email),  # a manager
        tokens.person(reviewers[1].email),  # a reviewer
        tokens.integration("goals:read"),
        tokens.service(),
    ]

    statuses = [
        (await client.post(allocation_path(reviewed), json=body, headers=caller)).status_code
        for caller in callers
    ]

    assert statuses == [403] * 5


async def test_an_idea_without_reviews_is_not_resourced(
    client: httpx.AsyncClient, idea: dict[str, Any], as_admin: dict[str, str]
) -> None:
    body = {"granted": {"time_person_days": 3}}

    response = await client.post(allocation_path(idea), json=body, headers=as_admin)

    assert (response.status_code, response.json()["code"]) == (409, "not_reviewed")


async def test_an_idea_is_allocated_once_and_then_takes_no_reviews(
    client: httpx.AsyncClient,
    tokens: Tokens,
    reviewed: dict[str, Any],
    reviewers: list[OrgPerson],
    as_admin: dict[str, str],
) -> None:
    body = {"granted": {"budget_amount": "99.90", "budget_currency": "SEK"}}
    await client.post(allocation_path(reviewed), json=body, headers=as_admin)

    again = await client.post(allocation_path(reviewed), json=body, headers=as_admin)
    late = await review(client, tokens, reviewers[1], reviewed)
    declined = await client.post(f"/v1/ideas/{reviewed['id']}/decline", json={}, headers=as_admin)

    assert (again.status_code, again.json()["code"]) == (409, "idea_decided")
    assert (late.status_code, late.json()["code"]) == (409, "idea_decided")
    assert declined.status_code == 409


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"granted": {}}, "resources_required"),
        (
            {
                "granted": {"time_person_days": 1},
                "experiment_id": "0192b1c4-0000-7000-8000-00000000abcd",
                "objective": {
                    "cycle_id": "0192b1c4-0000-7000-8000-000000000001",
                    "title": "x",
                    "owner_kind": "company",
                },
            },
            "one_spawn",
        ),
    ],
)
async def test_an_allocation_grants_something_and_starts_one_thing_at_most(
    client: httpx.AsyncClient,
    reviewed: dict[str, Any],
    as_admin: dict[str, str],
    body: dict[str, Any],
    code: str,
) -> None:
    response = await client.post(allocation_path(reviewed), json=body, headers=as_admin)

    assert response.status_code == 422
    assert code in {error["code"] for error in response.json()["errors"]}


async def test_a_retried_allocation_is_answered_once(
    client: httpx.AsyncClient, outbox: Outbox, reviewed: dict[str, Any], as_admin: dict[str, str]
) -> None:
    headers = {**as_admin, "Idempotency-Key": "allocate-shared-test-data"}
    body = {"granted": {"time_person_days": 4}}

    first = await client.post(allocation_path(reviewed), json=body, headers=headers)
    second = await client.post(allocation_path(reviewed), json=body, headers=headers)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers.get("idempotent-replayed") == "true"
    assert second.json() == first.json()
    assert (await outbox.types()).count("idea.allocated") == 1
