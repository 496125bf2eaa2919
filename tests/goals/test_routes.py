"""The goals API as its callers see it (status codes, bodies, headers, events): who may call,
objectives and their lists, and the contract. Each sub-domain's routes are tested in its own
folder."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus, Visibility
from tests.factories import count_rows
from tests.goals.factories import (
    add_member,
    create_cycle,
    create_objective,
    create_person,
    create_team,
    new_key_result,
    new_objective,
    unknown_id,
)
from tests.support import Outbox, Tokens, operations, problem_codes, problem_fields

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
    before = await count_rows(session, Objective)

    first = await client.post("/v1/objectives", json=body, headers=headers)
    again = await client.post("/v1/objectives", json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_rows(session, Objective) == before + 1
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
    # The sub-domains' own events are listed by their own tests.
    own = (
        "dependency.",
        "alignment.",
        "help_request.",
        "experiment.",
        "idea.",
        "development_goal.",
    )
    assert [name for name in names if not name.startswith(own)] == [
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

    found = operations(response.json())
    assert len(found) > 15
    assert [(path, method) for path, method, op in found if not op.get("description")] == []


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
