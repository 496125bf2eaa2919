"""The goals API as its callers see it: status codes, bodies, headers, events."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus, Visibility
from tests.conftest import Tokens
from tests.goals.conftest import Outbox, problem_codes, problem_fields
from tests.goals.factories import (
    add_member,
    create_check_in,
    create_cycle,
    create_key_result,
    create_objective,
    create_person,
    create_team,
    unknown_id,
)


def new_objective(cycle: Cycle, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"cycle_id": str(cycle.id), "title": "Ship the mobile app"}
    return body | overrides


def new_key_result(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Weekly active users",
        "start": 100,
        "target": 250,
        "unit": "users",
    }
    return body | overrides


async def count(session: AsyncSession, model: type[Objective | KeyResult | Cycle]) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


@pytest.fixture
async def ada(session: AsyncSession) -> OrgPerson:
    return await create_person(session, email="ada@example.com", name="Ada")


@pytest.fixture
def as_ada(ada: OrgPerson, tokens: Tokens) -> dict[str, str]:
    return tokens.person(ada.email)


@pytest.fixture
async def objective(session: AsyncSession, cycle: Cycle, ada: OrgPerson) -> Objective:
    return await create_objective(session, cycle, ada, title="Grow the community")


@pytest.fixture
async def key_result(session: AsyncSession, objective: Objective) -> KeyResult:
    return await create_key_result(session, objective, start=0.0, target=100.0)


# --- Who may call ----------------------------------------------------------------------------


async def test_without_a_token_the_answer_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/objectives")

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "missing_token"


async def test_a_token_naming_nobody_in_the_org_copy_is_401(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response = await client.get("/v1/objectives", headers=tokens.person("nobody@example.com"))

    assert response.status_code == 401
    assert response.json()["code"] == "unknown_person"


async def test_an_inactive_person_is_refused_with_403(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    leaver = await create_person(session, active=False)

    response = await client.get("/v1/objectives", headers=tokens.person(leaver.email))

    assert response.status_code == 403
    assert response.json()["code"] == "inactive_person"


@pytest.mark.parametrize(("scopes", "status"), [((), 403), (("goals:read",), 200)])
async def test_an_integration_reads_with_the_goals_read_scope(
    client: httpx.AsyncClient, tokens: Tokens, scopes: tuple[str, ...], status: int
) -> None:
    headers = tokens.integration(*scopes)

    reads = [
        await client.get("/v1/cycles", headers=headers),
        await client.get("/v1/objectives", headers=headers),
    ]

    assert [response.status_code for response in reads] == [status, status]


async def test_integrations_and_services_do_not_write(
    client: httpx.AsyncClient,
    tokens: Tokens,
    cycle: Cycle,
    objective: Objective,
    key_result: KeyResult,
    outbox: Outbox,
) -> None:
    for headers in (tokens.integration("goals:read", "goals:write"), tokens.service("feedback")):
        writes = [
            await client.post(
                "/v1/cycles",
                json={"name": "Q2", "starts_on": "2026-04-01", "ends_on": "2026-06-30"},
                headers=headers,
            ),
            await client.post(
                "/v1/objectives",
                json=new_objective(cycle, owner_person_id=str(objective.owner_person_id)),
                headers=headers,
            ),
            await client.post(
                f"/v1/key-results/{key_result.id}/check-ins",
                json={"value": 10, "confidence": 5},
                headers=headers,
            ),
        ]

        assert [response.status_code for response in writes] == [403, 403, 403]
    assert await outbox.events() == []


async def test_our_services_read(
    client: httpx.AsyncClient, tokens: Tokens, objective: Objective
) -> None:
    response = await client.get(f"/v1/objectives/{objective.id}", headers=tokens.service())

    assert response.status_code == 200


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
    before = await count(session, Cycle)
    body = {"name": "Mine", "starts_on": "2026-04-01", "ends_on": "2026-06-30"}

    response = await client.post("/v1/cycles", json=body, headers=as_ada)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert await count(session, Cycle) == before
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


# --- Objectives ------------------------------------------------------------------------------


async def test_an_employee_sets_an_objective_for_themselves(
    client: httpx.AsyncClient,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    body = new_objective(
        cycle, owner_person_id=str(ada.id), description="So that customers can order on the go."
    )

    created = await client.post("/v1/objectives", json=body, headers=as_ada)

    assert created.status_code == 201
    objective = created.json()
    assert objective | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "cycle_id": str(cycle.id),
        "title": "Ship the mobile app",
        "description": "So that customers can order on the go.",
        "owner_kind": "person",
        "owner_person_id": str(ada.id),
        "owner_team_id": None,
        "kind": "committed",
        "success_threshold": 1.0,
        "success_explanation": "Committed: meant to be met in full; success is 1.0.",
        "status": "draft",
        "visibility": "public",
        "contributor_ids": [],
        "signatures": [],
        "closing": None,
        "created_by": str(ada.id),
        "progress": None,
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert created.headers["location"] == f"/v1/objectives/{objective['id']}"
    assert created.headers["etag"] == '"1"'
    fetched = await client.get(created.headers["location"], headers=as_ada)
    assert fetched.json() == objective
    assert fetched.headers["etag"] == '"1"'
    assert await outbox.events() == [
        (
            "objective.created",
            {
                "id": objective["id"],
                "cycle_id": str(cycle.id),
                "owner_kind": "person",
                "owner_person_id": str(ada.id),
                "owner_team_id": None,
                "kind": "committed",
                "status": "draft",
                "visibility": "public",
                "contributor_ids": [],
                "created_by": str(ada.id),
            },
        )
    ]


async def test_a_member_sets_an_objective_for_their_team(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    team = await create_team(session)
    await add_member(session, team, ada)

    response = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, owner_team_id=str(team.id), visibility="private"),
        headers=as_ada,
    )

    assert response.status_code == 201
    assert (response.json()["owner_team_id"], response.json()["visibility"]) == (
        str(team.id),
        "private",
    )


@pytest.mark.parametrize("owners", ["both", "neither"])
async def test_an_objective_has_exactly_one_owner(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_admin: dict[str, str],
    owners: str,
) -> None:
    team = await create_team(session)
    both = {"owner_person_id": str(ada.id), "owner_team_id": str(team.id)}
    body = new_objective(cycle, **(both if owners == "both" else {}))

    response = await client.post("/v1/objectives", json=body, headers=as_admin)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert problem_codes(response) == {"one_owner"}


async def test_an_owner_must_be_in_the_org_and_active(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, as_admin: dict[str, str]
) -> None:
    leaver = await create_person(session, active=False)

    unknown_person = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, owner_person_id=str(unknown_id())),
        headers=as_admin,
    )
    unknown_team = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, owner_team_id=str(unknown_id())),
        headers=as_admin,
    )
    inactive = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, owner_person_id=str(leaver.id)),
        headers=as_admin,
    )

    assert (unknown_person.status_code, unknown_person.json()["code"]) == (422, "unknown_owner")
    assert problem_fields(unknown_person) == {"body.owner_person_id"}
    assert (unknown_team.status_code, unknown_team.json()["code"]) == (422, "unknown_owner")
    assert problem_fields(unknown_team) == {"body.owner_team_id"}
    assert (inactive.status_code, inactive.json()["code"]) == (409, "owner_inactive")


async def test_an_objective_needs_a_known_cycle_still_open(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    closed = await create_cycle(session, status=CycleStatus.CLOSED)
    mine = {"owner_person_id": str(ada.id)}

    unknown = await client.post(
        "/v1/objectives",
        json={"title": "X", "cycle_id": str(unknown_id())} | mine,
        headers=as_ada,
    )
    refused = await client.post(
        "/v1/objectives", json=new_objective(closed, **mine), headers=as_ada
    )

    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_cycle")
    assert problem_fields(unknown) == {"body.cycle_id"}
    assert (refused.status_code, refused.json()["code"]) == (409, "cycle_closed")
    assert await outbox.events() == []


async def test_each_bad_objective_field_is_listed(
    client: httpx.AsyncClient, cycle: Cycle, ada: OrgPerson, as_ada: dict[str, str]
) -> None:
    body = {
        "cycle_id": 7,
        "title": "",
        "description": "x" * 2001,
        "owner_person_id": str(ada.id),
        "visibility": "secret",
        "score": 0.7,
    }

    response = await client.post("/v1/objectives", json=body, headers=as_ada)

    assert response.status_code == 422
    assert problem_fields(response) == {
        "body.cycle_id",
        "body.title",
        "body.description",
        "body.visibility",
        "body.score",
    }


async def test_an_objective_update_needs_the_current_etag(
    client: httpx.AsyncClient, outbox: Outbox, objective: Objective, as_ada: dict[str, str]
) -> None:
    url = f"/v1/objectives/{objective.id}"
    change = {"title": "Grow the community to 10k", "visibility": "private"}

    missing = await client.patch(url, json=change, headers=as_ada)
    updated = await client.patch(url, json=change, headers=as_ada | {"If-Match": '"1"'})
    stale = await client.patch(url, json={"title": "X"}, headers=as_ada | {"If-Match": '"1"'})

    assert (missing.status_code, missing.json()["code"]) == (428, "if_match_required")
    assert updated.status_code == 200
    assert updated.headers["etag"] == '"2"'
    assert updated.json() | {"updated_at": None} == {
        "id": str(objective.id),
        "cycle_id": str(objective.cycle_id),
        "title": "Grow the community to 10k",
        "description": None,
        "owner_kind": "person",
        "owner_person_id": str(objective.owner_person_id),
        "owner_team_id": None,
        "kind": "committed",
        "success_threshold": 1.0,
        "success_explanation": "Committed: meant to be met in full; success is 1.0.",
        "status": "draft",
        "visibility": "private",
        "contributor_ids": [],
        "signatures": [],
        "closing": None,
        "created_by": str(objective.created_by),
        "progress": None,
        "created_at": updated.json()["created_at"],
        "updated_at": None,
        "version": 2,
    }
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    [(type_, payload)] = await outbox.events()
    assert type_ == "objective.updated"
    assert (payload["visibility"], payload["changed"]) == ("private", ["title", "visibility"])
    assert "title" not in payload


async def test_an_update_that_changes_nothing_keeps_the_version(
    client: httpx.AsyncClient, outbox: Outbox, objective: Objective, as_ada: dict[str, str]
) -> None:
    response = await client.patch(
        f"/v1/objectives/{objective.id}",
        json={"title": objective.title},
        headers=as_ada | {"If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert await outbox.events() == []


@pytest.mark.parametrize("body", [{"title": None}, {"visibility": None}, {"owner_team_id": None}])
async def test_an_update_cannot_clear_what_is_required_nor_move_the_owner(
    client: httpx.AsyncClient, objective: Objective, as_ada: dict[str, str], body: dict[str, Any]
) -> None:
    response = await client.patch(
        f"/v1/objectives/{objective.id}", json=body, headers=as_ada | {"If-Match": '"1"'}
    )

    assert response.status_code == 422
    assert problem_fields(response) == {f"body.{next(iter(body))}"}


async def test_unknown_ids_are_404_everywhere(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    missing = unknown_id()
    headers = as_admin | {"If-Match": '"1"'}

    objective = [
        await client.get(f"/v1/objectives/{missing}", headers=as_admin),
        await client.patch(f"/v1/objectives/{missing}", json={"title": "X"}, headers=headers),
        await client.get(f"/v1/objectives/{missing}/key-results", headers=as_admin),
        await client.post(
            f"/v1/objectives/{missing}/key-results", json=new_key_result(), headers=as_admin
        ),
    ]
    key_result = [
        await client.get(f"/v1/key-results/{missing}", headers=as_admin),
        await client.get(f"/v1/key-results/{missing}/check-ins", headers=as_admin),
        await client.post(
            f"/v1/key-results/{missing}/check-ins",
            json={"value": 1, "confidence": 5},
            headers=as_admin,
        ),
    ]

    assert {(r.status_code, r.json()["code"]) for r in objective} == {(404, "objective_not_found")}
    assert {(r.status_code, r.json()["code"]) for r in key_result} == {
        (404, "key_result_not_found")
    }
    assert objective[0].headers["content-type"] == PROBLEM_JSON


async def test_an_id_that_is_no_uuid_is_a_path_that_does_not_exist(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.get("/v1/objectives/42", headers=as_admin)

    # Ids are matched as UUIDs, so that `/…/me` or `/…/by-owner` never reach an id's route.
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_a_retried_objective_is_replayed_not_repeated(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    headers = as_ada | {"Idempotency-Key": "objective-1"}
    body = new_objective(cycle, owner_person_id=str(ada.id))
    before = await count(session, Objective)

    first = await client.post("/v1/objectives", json=body, headers=headers)
    again = await client.post("/v1/objectives", json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await count(session, Objective) == before + 1
    assert await outbox.types() == ["objective.created"]


async def test_an_idempotency_key_reused_with_another_body_is_422(
    client: httpx.AsyncClient, cycle: Cycle, ada: OrgPerson, as_ada: dict[str, str]
) -> None:
    headers = as_ada | {"Idempotency-Key": "objective-2"}
    await client.post(
        "/v1/objectives", json=new_objective(cycle, owner_person_id=str(ada.id)), headers=headers
    )

    response = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, owner_person_id=str(ada.id), title="Another"),
        headers=headers,
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


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


# --- Lists -----------------------------------------------------------------------------------


async def test_objective_pages_cover_everything_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    objectives = [await create_objective(session, cycle, ada) for _ in range(23)]

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/objectives", params=params, headers=as_ada)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [str(objective.id) for objective in objectives]


async def test_a_page_boundary_survives_new_objectives(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    older = [await create_objective(session, cycle, ada) for _ in range(4)]
    first = (await client.get("/v1/objectives", params={"limit": 2}, headers=as_ada)).json()
    newer = await create_objective(session, cycle, ada)

    rest = (
        await client.get(
            "/v1/objectives", params={"limit": 10, "cursor": first["next_cursor"]}, headers=as_ada
        )
    ).json()

    ids = [item["id"] for item in first["items"] + rest["items"]]
    assert ids == [str(objective.id) for objective in [*older, newer]]


async def test_objectives_are_filtered(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    other_cycle = await create_cycle(session)
    grace = await create_person(session)
    team = await create_team(session)
    mine = await create_objective(session, cycle, ada)
    later = await create_objective(session, other_cycle, ada)
    hers = await create_objective(session, cycle, grace)
    teams = await create_objective(session, cycle, team)

    async def ids(**params: str) -> list[str]:
        response = await client.get("/v1/objectives", params=params, headers=as_ada)
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert await ids(owner_person_id=str(ada.id)) == [str(mine.id), str(later.id)]
    assert await ids(owner_person_id=str(ada.id), cycle_id=str(cycle.id)) == [str(mine.id)]
    assert await ids(cycle_id=str(cycle.id)) == [str(mine.id), str(hers.id), str(teams.id)]
    assert await ids(owner_team_id=str(team.id)) == [str(teams.id)]


async def test_objectives_are_read_in_batches(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    first, _, third = [await create_objective(session, cycle, ada) for _ in range(3)]

    response = await client.get(
        "/v1/objectives",
        params={"id": [str(third.id), str(unknown_id()), str(first.id)], "limit": 1},
        headers=as_ada,
    )

    assert [item["id"] for item in response.json()["items"]] == [str(third.id), str(first.id)]
    assert response.json()["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "201"}, "query.limit"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"cycle_id": "q1"}, "query.cycle_id"),
        ({"id": [str(uuid.uuid4()) for _ in range(101)]}, "query.id"),
    ],
)
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, as_ada: dict[str, str], params: dict[str, Any], field: str
) -> None:
    response = await client.get("/v1/objectives", params=params, headers=as_ada)

    assert response.status_code == 422
    assert problem_fields(response) == {field}


# --- The contract ----------------------------------------------------------------------------


async def test_the_event_catalogue_lists_what_goals_publish(
    client: httpx.AsyncClient, as_ada: dict[str, str]
) -> None:
    response = await client.get("/v1/event-types", headers=as_ada)

    assert response.status_code == 200
    names = [event["name"] for event in response.json()]
    assert names == sorted(names)
    assert [name for name in names if not name.startswith(("dependency.", "alignment."))] == [
        "cycle.closed",
        "cycle.created",
        "cycle.opened",
        "cycle.reopened",
        "cycle.updated",
        "key_result.checked_in",
        "key_result.created",
        "key_result.deleted",
        "key_result.updated",
        "objective.agreed",
        "objective.created",
        "objective.updated",
    ]


async def test_the_openapi_document_describes_every_operation(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    operations = [
        (path, method, operation)
        for path, methods in response.json()["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 15
    assert [(path, method) for path, method, op in operations if not op.get("description")] == []


async def test_no_endpoint_sorts_ranks_or_filters_by_okr_figures(
    client: httpx.AsyncClient,
) -> None:
    """The OKR firewall: progress and confidence never order or select people or goals."""
    paths = (await client.get("/openapi.json")).json()["paths"]
    forbidden = ("progress", "confidence", "score", "rank", "sort", "order", "current")

    offered = sorted(
        f"{method.upper()} {path} ?{parameter['name']}"
        for path, methods in paths.items()
        for method, operation in methods.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and any(word in parameter["name"] for word in forbidden)
    )

    assert offered == []


async def test_a_date_and_a_uuid_are_ordinary_json_strings(
    client: httpx.AsyncClient,
    session: AsyncSession,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    cycle = await create_cycle(session, starts_on=date(2026, 4, 1), ends_on=date(2026, 6, 30))

    response = await client.post(
        "/v1/objectives",
        content=(
            f'{{"cycle_id": "{cycle.id}", "title": "T", "owner_person_id": "{ada.id}",'
            f' "visibility": "{Visibility.PRIVATE}"}}'
        ).encode(),
        headers=as_ada | {"Content-Type": "application/json"},
    )

    assert response.status_code == 201
    assert uuid.UUID(response.json()["cycle_id"]) == cycle.id
