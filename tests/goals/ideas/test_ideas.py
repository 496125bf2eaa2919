"""Ideas through the API: anyone proposes one, everyone reads them, oldest first; nothing of
the proposer's position is in them, and bad ones are refused with what to fix."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.orgcopy import OrgPerson
from tests.goals.ideas.support import new_idea, review
from tests.support import Outbox, Tokens, problem_codes, problem_fields

# Words of a person's position in the organisation: none may name a field of an idea.
_POSITION = {"rank", "title", "job_title", "level", "grade", "position", "seniority", "role"}


def keys(value: Any) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys(item)}
    return set()


async def test_anyone_proposes_an_idea_and_it_starts_proposed(
    client: httpx.AsyncClient, outbox: Outbox, ada: OrgPerson, as_ada: dict[str, str]
) -> None:
    response = await client.post("/v1/ideas", json=new_idea(), headers=as_ada)

    assert response.status_code == 201, response.text
    idea = response.json()
    assert response.headers["location"] == f"/v1/ideas/{idea['id']}"
    assert idea | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "headline": "Shared test data for every team",
        "problem": "Each team builds its own fixtures; they drift apart.",
        "proposal": "One generated data set, versioned with the schema.",
        "expected_impact": "Fewer broken releases; a day a month saved per team.",
        "resources": {
            "time_person_days": 15.0,
            "budget_amount": "1200.50",
            "budget_currency": "EUR",
        },
        "status": "proposed",
        "proposer_id": str(ada.id),
        "standing": {
            "review_count": 0,
            "impact": None,
            "evidence": None,
            "feasibility": None,
            "overall": None,
        },
        "allocation": None,
        "closing_note": None,
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert await outbox.events() == [
        ("idea.proposed", {"idea_id": idea["id"], "proposer_id": str(ada.id), "status": "proposed"})
    ]


async def test_no_idea_output_names_the_proposers_position(
    client: httpx.AsyncClient,
    tokens: Tokens,
    idea: dict[str, Any],
    reviewers: list[OrgPerson],
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    for reviewer in reviewers:
        assert (await review(client, tokens, reviewer, idea)).status_code == 201
    allocated = await client.post(
        f"/v1/ideas/{idea['id']}/allocation",
        json={"granted": {"time_person_days": 10}},
        headers=as_admin,
    )
    reads = [
        allocated.json(),
        (await client.get(f"/v1/ideas/{idea['id']}", headers=as_ada)).json(),
        (await client.get("/v1/ideas", headers=as_ada)).json(),
        (await client.get(f"/v1/ideas/{idea['id']}/reviews", headers=as_ada)).json(),
    ]

    assert allocated.status_code == 201
    for read in reads:
        assert keys(read) & _POSITION == set()


@pytest.mark.parametrize(
    ("resources", "code"),
    [
        ({}, "resources_required"),
        ({"budget_amount": 100}, "budget_needs_currency"),
        ({"budget_currency": "EUR"}, "budget_needs_currency"),
        ({"time_person_days": 0}, "greater_than"),
        ({"time_person_days": 3, "budget_amount": "1.234", "budget_currency": "EUR"}, None),
        ({"budget_amount": 5, "budget_currency": "euro"}, "string_pattern_mismatch"),
    ],
)
async def test_what_an_idea_asks_for_is_checked(
    client: httpx.AsyncClient,
    as_ada: dict[str, str],
    resources: dict[str, Any],
    code: str | None,
) -> None:
    response = await client.post("/v1/ideas", json=new_idea(resources=resources), headers=as_ada)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    if code is not None:
        assert code in problem_codes(response)
    assert all(field.startswith("body.resources") for field in problem_fields(response))


async def test_an_integration_reads_ideas_but_proposes_none(
    client: httpx.AsyncClient, tokens: Tokens, idea: dict[str, Any]
) -> None:
    reader = tokens.integration("goals:read")

    read = await client.get(f"/v1/ideas/{idea['id']}", headers=reader)
    proposed = await client.post("/v1/ideas", json=new_idea(), headers=reader)
    unscoped = await client.get("/v1/ideas", headers=tokens.integration("people:read"))

    assert read.status_code == 200
    assert proposed.status_code == 403
    assert unscoped.status_code == 403


async def test_ideas_list_oldest_first_by_status_and_in_batches(
    client: httpx.AsyncClient,
    tokens: Tokens,
    as_ada: dict[str, str],
    reviewers: list[OrgPerson],
) -> None:
    ids = []
    for number in range(3):
        body = new_idea(headline=f"Idea {number}")
        ids.append((await client.post("/v1/ideas", json=body, headers=as_ada)).json()["id"])
    await review(client, tokens, reviewers[0], {"id": ids[1]})

    first = (await client.get("/v1/ideas?limit=2", headers=as_ada)).json()
    rest = await client.get(f"/v1/ideas?limit=2&cursor={first['next_cursor']}", headers=as_ada)
    reviewed = await client.get("/v1/ideas?status=under_review", headers=as_ada)
    batch = await client.get(f"/v1/ideas?id={ids[2]}&id={ids[0]}", headers=as_ada)

    assert [item["id"] for item in first["items"] + rest.json()["items"]] == ids
    assert [item["id"] for item in reviewed.json()["items"]] == [ids[1]]
    assert [item["id"] for item in batch.json()["items"]] == [ids[2], ids[0]]


@pytest.mark.parametrize("parameter", ["sort=standing", "order_by=score", "rank=1"])
async def test_ideas_are_never_ordered_by_score_or_rank(
    client: httpx.AsyncClient, as_ada: dict[str, str], parameter: str
) -> None:
    response = await client.get(f"/v1/ideas?{parameter}", headers=as_ada)

    assert response.status_code == 422
    assert response.json()["code"] in {"okr_firewall", "validation_failed"}


async def test_an_unknown_idea_is_404(client: httpx.AsyncClient, as_ada: dict[str, str]) -> None:
    unknown = "00000000-0000-7000-8000-000000000000"

    read = await client.get(f"/v1/ideas/{unknown}", headers=as_ada)
    reviews = await client.get(f"/v1/ideas/{unknown}/reviews", headers=as_ada)

    assert (read.status_code, read.json()["code"]) == (404, "idea_not_found")
    assert reviews.status_code == 404


async def test_the_proposer_withdraws_an_open_idea_nobody_else_does(
    client: httpx.AsyncClient,
    tokens: Tokens,
    idea: dict[str, Any],
    reviewers: list[OrgPerson],
    as_ada: dict[str, str],
) -> None:
    path = f"/v1/ideas/{idea['id']}/withdraw"

    by_other = await client.post(path, json={}, headers=tokens.person(reviewers[0].email))
    withdrawn = await client.post(path, json={"note": "Another team does it."}, headers=as_ada)
    again = await client.post(path, json={}, headers=as_ada)

    assert (by_other.status_code, by_other.json()["code"]) == (403, "not_proposer")
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["closing_note"]) == (
        "withdrawn",
        "Another team does it.",
    )
    assert (again.status_code, again.json()["code"]) == (409, "idea_decided")


async def test_hr_admins_decline_an_idea_employees_do_not(
    client: httpx.AsyncClient,
    idea: dict[str, Any],
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    path = f"/v1/ideas/{idea['id']}/decline"

    by_employee = await client.post(path, json={}, headers=as_ada)
    declined = await client.post(path, json={"note": "Not this year."}, headers=as_admin)

    assert by_employee.status_code == 403
    assert (declined.status_code, declined.json()["status"]) == (200, "declined")
