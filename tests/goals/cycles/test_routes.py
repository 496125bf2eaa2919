"""Cycles through the API: an HR admin opens, changes and lists them; nobody else may."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from services.goals.models import Cycle
from services.goals.schemas import CycleStatus
from tests.factories import count_rows
from tests.goals.factories import (
    create_cycle,
    unknown_id,
)
from tests.support import Outbox, problem_codes, problem_fields

# --- Cycles ----------------------------------------------------------------------------------


async def test_an_hr_admin_opens_a_cycle(
    client: httpx.AsyncClient, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    body = {"name": "2026 Q2", "starts_on": "2026-04-01", "ends_on": "2026-06-30"}

    created = await client.post("/v1/cycles", json=body, headers=as_admin)

    assert created.status_code == 201
    cycle = created.json()
    assert cycle | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "name": "2026 Q2",
        "starts_on": "2026-04-01",
        "ends_on": "2026-06-30",
        "status": "planning",
        "closed_at": None,
        "closed_by": None,
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert created.headers["location"] == f"/v1/cycles/{cycle['id']}"
    assert created.headers["etag"] == '"1"'
    fetched = await client.get(created.headers["location"], headers=as_admin)
    assert fetched.json() == cycle
    assert await outbox.events() == [
        (
            "cycle.created",
            {
                "id": cycle["id"],
                "name": "2026 Q2",
                "starts_on": "2026-04-01",
                "ends_on": "2026-06-30",
                "status": "planning",
            },
        )
    ]


async def test_an_employee_may_not_open_a_cycle(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_ada: dict[str, str]
) -> None:
    before = await count_rows(session, Cycle)
    body = {"name": "Mine", "starts_on": "2026-04-01", "ends_on": "2026-06-30"}

    response = await client.post("/v1/cycles", json=body, headers=as_ada)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert await count_rows(session, Cycle) == before
    assert await outbox.events() == []


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"ends_on": "2026-04-01"}, "body", "end_not_after_start"),
        ({"ends_on": "2026-03-01"}, "body", "end_not_after_start"),
        ({"starts_on": 1767225600}, "body.starts_on", "date_type"),
        ({"starts_on": False}, "body.starts_on", "date_type"),
        ({"ends_on": "2026-02-30"}, "body.ends_on", "date_from_datetime_parsing"),
        ({"status": "archived"}, "body.status", "enum"),
        ({"name": ""}, "body.name", "string_too_short"),
        ({"owner": "hr"}, "body.owner", "extra_forbidden"),
    ],
)
async def test_a_bad_cycle_is_422(
    client: httpx.AsyncClient,
    as_admin: dict[str, str],
    changes: dict[str, Any],
    field: str,
    code: str,
) -> None:
    body = {"name": "Q2", "starts_on": "2026-04-01", "ends_on": "2026-06-30"} | changes

    response = await client.post("/v1/cycles", json=body, headers=as_admin)

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "validation_failed"
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})


async def test_a_cycle_update_needs_the_current_etag_and_is_announced(
    client: httpx.AsyncClient, outbox: Outbox, cycle: Cycle, as_admin: dict[str, str]
) -> None:
    url = f"/v1/cycles/{cycle.id}"

    missing = await client.patch(url, json={"status": "closed"}, headers=as_admin)
    closed = await client.patch(
        url, json={"status": "closed"}, headers=as_admin | {"If-Match": '"1"'}
    )
    stale = await client.patch(url, json={"name": "Q1"}, headers=as_admin | {"If-Match": '"1"'})

    assert (missing.status_code, missing.json()["code"]) == (428, "if_match_required")
    assert closed.status_code == 200
    assert closed.headers["etag"] == '"2"'
    assert (closed.json()["status"], closed.json()["version"]) == ("closed", 2)
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    [(updated, payload), (closed_type, closing)] = await outbox.events()
    assert (updated, closed_type) == ("cycle.updated", "cycle.closed")
    assert (payload["status"], payload["changed"]) == ("closed", ["status"])
    assert (closing["objectives"], closing["scored_from_progress"]) == (0, 0)


async def test_a_cycle_keeps_its_end_after_its_start(
    client: httpx.AsyncClient, outbox: Outbox, cycle: Cycle, as_admin: dict[str, str]
) -> None:
    response = await client.patch(
        f"/v1/cycles/{cycle.id}",
        json={"ends_on": str(cycle.starts_on - timedelta(days=1))},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 422
    assert response.json()["code"] == "end_not_after_start"
    assert problem_fields(response) == {"body.ends_on"}
    assert await outbox.events() == []


async def test_an_employee_may_not_change_a_cycle(
    client: httpx.AsyncClient, cycle: Cycle, as_ada: dict[str, str]
) -> None:
    response = await client.patch(
        f"/v1/cycles/{cycle.id}", json={"name": "Mine"}, headers=as_ada | {"If-Match": '"1"'}
    )

    assert response.status_code == 403


async def test_cycles_are_listed_filtered_and_read_in_batches(
    client: httpx.AsyncClient, session: AsyncSession, as_ada: dict[str, str]
) -> None:
    q1 = await create_cycle(session, name="Q1", status=CycleStatus.CLOSED)
    q2 = await create_cycle(session, name="Q2", status=CycleStatus.ACTIVE)
    q3 = await create_cycle(session, name="Q3", status=CycleStatus.PLANNING)

    everything = await client.get("/v1/cycles", headers=as_ada)
    closed = await client.get("/v1/cycles", params={"status": "closed"}, headers=as_ada)
    batch = await client.get(
        "/v1/cycles", params={"id": [str(q3.id), str(unknown_id()), str(q1.id)]}, headers=as_ada
    )

    assert [c["name"] for c in everything.json()["items"]] == ["Q1", "Q2", "Q3"]
    assert [c["id"] for c in closed.json()["items"]] == [str(q1.id)]
    assert [c["id"] for c in batch.json()["items"]] == [str(q3.id), str(q1.id)]
    assert q2.status == CycleStatus.ACTIVE


async def test_an_unknown_cycle_is_404(client: httpx.AsyncClient, as_admin: dict[str, str]) -> None:
    missing = unknown_id()

    responses = [
        await client.get(f"/v1/cycles/{missing}", headers=as_admin),
        await client.patch(
            f"/v1/cycles/{missing}", json={"name": "X"}, headers=as_admin | {"If-Match": '"1"'}
        ),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "cycle_not_found")] * 2
