"""Key results through the API: added to an objective, starting at their start or on their way, read
in batches; none added once the cycle is closed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.models import Objective
from services.goals.schemas import CycleStatus
from tests.goals.factories import (
    create_cycle,
    create_key_result,
    create_objective,
    new_key_result,
    unknown_id,
)
from tests.support import Outbox, problem_codes, problem_fields

# --- Key results -----------------------------------------------------------------------------


async def test_a_key_result_is_added_and_starts_at_its_start(
    client: httpx.AsyncClient, outbox: Outbox, objective: Objective, as_ada: dict[str, str]
) -> None:
    created = await client.post(
        f"/v1/objectives/{objective.id}/key-results", json=new_key_result(), headers=as_ada
    )

    assert created.status_code == 201
    key_result = created.json()
    assert key_result | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "objective_id": str(objective.id),
        "title": "Weekly active users",
        "kind": "increase_to",
        "start": 100.0,
        "target": 250.0,
        "current": 100.0,
        "unit": "users",
        "owner_person_id": None,
        "weight": 1.0,
        "milestones": None,
        "progress": 0.0,
        "progress_explanation": "At 100 users, no nearer to 250 users than the start: 0.",
        "expected_progress": 0.3333,  # 30 of the cycle's 90 days gone
        "confidence": None,
        "status": None,
        "checked_in_at": None,
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert created.headers["location"] == f"/v1/key-results/{key_result['id']}"
    fetched = await client.get(created.headers["location"], headers=as_ada)
    assert fetched.json() == key_result
    assert await outbox.events() == [
        (
            "key_result.created",
            {
                "id": key_result["id"],
                "objective_id": str(objective.id),
                "owner_person_id": str(objective.owner_person_id),
                "owner_team_id": None,
                "visibility": "public",
                "kind": "increase_to",
                "key_result_owner_id": None,
                "start": 100.0,
                "target": 250.0,
                "current": 100.0,
                "unit": "users",
                "weight": 1.0,
            },
        )
    ]
    listed = await client.get(f"/v1/objectives/{objective.id}/key-results", headers=as_ada)
    assert listed.json() == {"items": [key_result], "next_cursor": None}


async def test_a_key_result_may_start_on_its_way(
    client: httpx.AsyncClient, objective: Objective, as_ada: dict[str, str]
) -> None:
    response = await client.post(
        f"/v1/objectives/{objective.id}/key-results",
        json=new_key_result(start=0, target=200, current=50, weight=2.5),
        headers=as_ada,
    )

    assert response.status_code == 201
    assert (response.json()["current"], response.json()["progress"]) == (50.0, 0.25)
    assert response.json()["weight"] == 2.5


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"start": 10, "target": 10}, "body", "start_equals_target"),
        ({"start": "0"}, "body.start", "float_type"),
        ({"target": False}, "body.target", "float_type"),
        ({"current": 1e300}, "body.current", "less_than_equal"),
        ({"weight": 0}, "body.weight", "greater_than"),
        ({"weight": -1}, "body.weight", "greater_than"),
        ({"unit": "u" * 33}, "body.unit", "string_too_long"),
        ({"title": " "}, "body.title", "string_too_short"),
        ({"progress": 0.5}, "body.progress", "extra_forbidden"),
    ],
)
async def test_a_bad_key_result_is_422(
    client: httpx.AsyncClient,
    objective: Objective,
    as_ada: dict[str, str],
    changes: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = await client.post(
        f"/v1/objectives/{objective.id}/key-results",
        json=new_key_result(**changes),
        headers=as_ada,
    )

    assert response.status_code == 422
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})


async def test_key_results_are_read_in_batches(
    client: httpx.AsyncClient, session: AsyncSession, objective: Objective, as_ada: dict[str, str]
) -> None:
    first, _, third = [await create_key_result(session, objective) for _ in range(3)]

    response = await client.get(
        "/v1/key-results",
        params={"id": [str(third.id), str(unknown_id()), str(first.id)]},
        headers=as_ada,
    )
    without_ids = await client.get("/v1/key-results", headers=as_ada)

    assert response.status_code == 200
    assert [kr["id"] for kr in response.json()["items"]] == [str(third.id), str(first.id)]
    assert without_ids.status_code == 422
    assert problem_fields(without_ids) == {"query.id"}


async def test_a_closed_cycle_takes_no_new_key_results(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    closed = await create_cycle(session, status=CycleStatus.CLOSED)
    objective = await create_objective(session, closed, ada)

    response = await client.post(
        f"/v1/objectives/{objective.id}/key-results", json=new_key_result(), headers=as_ada
    )

    assert (response.status_code, response.json()["code"]) == (409, "cycle_closed")
    assert await outbox.events() == []
