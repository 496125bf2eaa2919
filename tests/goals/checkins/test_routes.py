"""Check-ins through the API: each moves its key result and its objective, bad ones change nothing,
a closed cycle takes none, and a retried one is replayed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus
from tests.goals.factories import (
    create_check_in,
    create_cycle,
    create_key_result,
    create_objective,
)
from tests.support import Outbox, problem_codes, problem_fields

# --- Check-ins -------------------------------------------------------------------------------


async def test_a_check_in_moves_the_key_result_and_its_objective(
    client: httpx.AsyncClient,
    outbox: Outbox,
    ada: OrgPerson,
    objective: Objective,
    key_result: KeyResult,
    as_ada: dict[str, str],
) -> None:
    body = {"value": 40, "confidence": 6, "note": "Two meetups done, one to go."}

    created = await client.post(
        f"/v1/key-results/{key_result.id}/check-ins", json=body, headers=as_ada
    )

    assert created.status_code == 201
    check_in = created.json()
    assert check_in | {"id": None, "created_at": None} == {
        "id": None,
        "key_result_id": str(key_result.id),
        "value": 40.0,
        "confidence": 6,
        "status": "at_risk",  # from a confidence of 6, as none was given
        "milestone_updates": None,
        "note": "Two meetups done, one to go.",
        "author_id": str(ada.id),
        "created_at": None,
    }
    moved = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()
    assert (moved["current"], moved["progress"], moved["confidence"]) == (40.0, 0.4, 6)
    assert moved["checked_in_at"] == check_in["created_at"]
    parent = (await client.get(f"/v1/objectives/{objective.id}", headers=as_ada)).json()
    assert (parent["progress"], parent["version"]) == (0.4, 1)
    [(type_, payload)] = await outbox.events()
    assert type_ == "key_result.checked_in"
    assert payload | {"checked_in_at": None} == {
        "check_in_id": check_in["id"],
        "key_result_id": str(key_result.id),
        "objective_id": str(objective.id),
        "owner_person_id": str(ada.id),
        "owner_team_id": None,
        "visibility": "public",
        "kind": "increase_to",
        "author_id": str(ada.id),
        "previous_value": 0.0,
        "value": 40.0,
        "progress": 0.4,
        "confidence": 6,
        "status": "at_risk",
        "checked_in_at": None,
    }


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"value": 1, "confidence": 11}, "body.confidence", "less_than_equal"),
        ({"value": 1, "confidence": -1}, "body.confidence", "greater_than_equal"),
        ({"value": 1, "confidence": 5.5}, "body.confidence", "int_type"),
        ({"value": 1, "confidence": False}, "body.confidence", "int_type"),
        ({"value": 1, "confidence": "7"}, "body.confidence", "int_type"),
        ({"value": "5", "confidence": 7}, "body.value", "float_type"),
        ({"value": False, "confidence": 7}, "body.value", "float_type"),
        ({"value": None, "confidence": 7}, "body", "one_reading"),
        ({"confidence": 7}, "body", "one_reading"),
        ({"value": 1, "done": True, "confidence": 7}, "body", "one_reading"),
        ({"value": 1, "confidence": 7, "status": "fine"}, "body.status", "enum"),
        ({"done": 1, "confidence": 7}, "body.done", "bool_type"),
        ({"value": 1, "confidence": 7, "note": "n" * 2001}, "body.note", "string_too_long"),
        ({"value": 1, "confidence": 7, "author_id": "me"}, "body.author_id", "extra_forbidden"),
    ],
)
async def test_a_bad_check_in_is_422_and_changes_nothing(
    client: httpx.AsyncClient,
    outbox: Outbox,
    key_result: KeyResult,
    as_ada: dict[str, str],
    body: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = await client.post(
        f"/v1/key-results/{key_result.id}/check-ins", json=body, headers=as_ada
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})
    assert await outbox.events() == []


async def test_a_value_that_is_not_a_finite_number_is_422(
    client: httpx.AsyncClient, key_result: KeyResult, as_ada: dict[str, str]
) -> None:
    responses = [
        await client.post(
            f"/v1/key-results/{key_result.id}/check-ins",
            content=f'{{"value": {raw}, "confidence": 5}}'.encode(),
            headers=as_ada | {"Content-Type": "application/json"},
        )
        for raw in ("NaN", "Infinity", "-Infinity")
    ]

    assert [response.status_code for response in responses] == [422] * 3
    assert {field for response in responses for field in problem_fields(response)} == {"body.value"}


async def test_a_closed_cycle_refuses_check_ins(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    key_result: KeyResult,
    as_admin: dict[str, str],
    as_ada: dict[str, str],
) -> None:
    closed = await client.patch(
        f"/v1/cycles/{cycle.id}", json={"status": "closed"}, headers=as_admin | {"If-Match": '"1"'}
    )
    assert closed.status_code == 200

    response = await client.post(
        f"/v1/key-results/{key_result.id}/check-ins",
        json={"value": 90, "confidence": 9},
        headers=as_ada,
    )

    assert response.status_code == 409
    assert response.json()["code"] == "cycle_closed"
    unchanged = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()
    assert (unchanged["current"], unchanged["confidence"]) == (0.0, None)
    assert await outbox.types() == ["cycle.updated", "cycle.closed"]


@pytest.mark.parametrize("status", [CycleStatus.PLANNING, CycleStatus.ACTIVE])
async def test_a_cycle_not_closed_takes_check_ins(
    client: httpx.AsyncClient,
    session: AsyncSession,
    ada: OrgPerson,
    as_ada: dict[str, str],
    status: CycleStatus,
) -> None:
    objective = await create_objective(session, await create_cycle(session, status=status), ada)
    key_result = await create_key_result(session, objective)

    response = await client.post(
        f"/v1/key-results/{key_result.id}/check-ins",
        json={"value": 10, "confidence": 5},
        headers=as_ada,
    )

    assert response.status_code == 201


async def test_check_ins_are_listed_oldest_first_without_gaps(
    client: httpx.AsyncClient,
    session: AsyncSession,
    ada: OrgPerson,
    key_result: KeyResult,
    as_ada: dict[str, str],
) -> None:
    check_ins = [
        await create_check_in(session, key_result, ada, value=float(week)) for week in range(12)
    ]

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        response = await client.get(
            f"/v1/key-results/{key_result.id}/check-ins", params=params, headers=as_ada
        )
        assert response.status_code == 200
        seen += [item["id"] for item in response.json()["items"]]
        pages += 1
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break

    assert seen == [str(check_in.id) for check_in in check_ins]
    assert pages == 3


async def test_a_retried_check_in_is_replayed_not_repeated(
    client: httpx.AsyncClient, outbox: Outbox, key_result: KeyResult, as_ada: dict[str, str]
) -> None:
    headers = as_ada | {"Idempotency-Key": "check-in-week-7"}
    url = f"/v1/key-results/{key_result.id}/check-ins"

    first = await client.post(url, json={"value": 30, "confidence": 6}, headers=headers)
    again = await client.post(url, json={"value": 30, "confidence": 6}, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await outbox.types() == ["key_result.checked_in"]
    listed = await client.get(url, headers=as_ada)
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]
