"""The OKR firewall (DOMAIN.md §4): no endpoint sorts, ranks, filters or aggregates people by
OKR score, progress or confidence, and an attempt is told so; reports aggregate by team and
above; OKR events are their own types and carry no final score."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.cycles.schemas import CycleReportRead, TeamScoresRead
from services.goals.events import CATALOGUE
from services.goals.models import Cycle
from tests.goals.factories import create_key_result, create_objective

ATTEMPTS = [
    ("sort", "progress"),
    ("sort", "-confidence"),
    ("order_by", "score"),
    ("order", "final_score desc"),
    ("sort_by", "current"),
    ("min_progress", "0.5"),
    ("max_score", "0.3"),
    ("confidence", "7"),
    ("rank", "1"),
    ("top", "progress"),
    ("performance", "high"),
]


@pytest.fixture
async def reads(
    session: AsyncSession, cycle: Cycle, ada: OrgPerson
) -> list[tuple[str, dict[str, str]]]:
    """Every kind of read, each with the parameters it needs."""
    objective = await create_objective(session, cycle, ada)
    key_result = await create_key_result(session, objective)
    return [
        ("/v1/objectives", {}),
        ("/v1/objectives", {"id": str(objective.id)}),
        ("/v1/objectives/by-owner", {"owner_person_id": str(ada.id)}),
        (f"/v1/objectives/{objective.id}", {}),
        (f"/v1/objectives/{objective.id}/key-results", {}),
        (f"/v1/objectives/{objective.id}/comments", {}),
        ("/v1/key-results", {"id": str(key_result.id)}),
        ("/v1/key-results/by-objective", {"objective_id": str(objective.id)}),
        (f"/v1/key-results/{key_result.id}/check-ins", {}),
        ("/v1/check-ins/by-key-result", {"key_result_id": str(key_result.id)}),
        ("/v1/check-ins/due", {"person_id": str(ada.id)}),
        ("/v1/search", {"q": "objective"}),
        ("/v1/cycles", {}),
        (f"/v1/cycles/{cycle.id}/report", {}),
    ]


@pytest.mark.parametrize(("name", "value"), ATTEMPTS)
async def test_sorting_ranking_or_filtering_by_an_okr_figure_is_refused_everywhere(
    client: httpx.AsyncClient,
    as_ada: dict[str, str],
    reads: list[tuple[str, dict[str, str]]],
    name: str,
    value: str,
) -> None:
    answers = [
        await client.get(path, params=params | {name: value}, headers=as_ada)
        for path, params in reads
    ]

    assert [(r.status_code, r.json()["code"]) for r in answers] == [(422, "okr_firewall")] * len(
        reads
    )
    assert {r.json()["errors"][0]["field"] for r in answers} == {f"query.{name}"}
    assert "OKR firewall" in answers[0].json()["detail"]


def _every_route(app: FastAPI) -> list[tuple[str, str]]:
    """Each method and path the app serves, its path parameters filled with fresh ids."""
    return [
        (method, re.sub(r"{[^}]+}", lambda _: str(uuid.uuid4()), str(context.path)))
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in sorted(context.methods or ())
    ]


@pytest.mark.parametrize(("name", "value"), [("sort", "progress"), ("min_confidence", "7")])
async def test_every_route_of_the_app_is_behind_the_firewall(
    app: FastAPI, client: httpx.AsyncClient, as_admin: dict[str, str], name: str, value: str
) -> None:
    routes = _every_route(app)

    answers = {
        f"{method} {path}": await client.request(
            method, path, params={name: value}, headers=as_admin
        )
        for method, path in routes
    }

    refused = {
        route: r.status_code == 422 and r.json()["code"] == "okr_firewall"
        for route, r in answers.items()
    }
    assert refused == dict.fromkeys(answers, True)
    assert any("/alignment" in path for _, path in routes)
    assert len(routes) > 40


async def test_the_same_reads_answer_without_the_attempt(
    client: httpx.AsyncClient, as_ada: dict[str, str], reads: list[tuple[str, dict[str, str]]]
) -> None:
    answers = [await client.get(path, params=params, headers=as_ada) for path, params in reads]

    assert [r.status_code for r in answers] == [200] * len(reads)


@pytest.mark.parametrize("path_index", [0, 2, 4, 6, 7, 8, 9, 10, 11, 12])
async def test_lists_refuse_any_parameter_they_do_not_name(
    client: httpx.AsyncClient,
    as_ada: dict[str, str],
    reads: list[tuple[str, dict[str, str]]],
    path_index: int,
) -> None:
    path, params = reads[path_index]

    response = await client.get(path, params=params | {"sort": "created_at"}, headers=as_ada)

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("query.sort", "extra_forbidden")
    ]


async def test_the_firewall_answers_after_authentication(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/objectives", params={"sort": "progress"})

    assert (response.status_code, response.json()["code"]) == (401, "missing_token")


def test_okr_events_are_their_own_types_and_carry_no_final_score() -> None:
    names = set(CATALOGUE.types)
    properties = {
        name: set(event.payload.model_json_schema()["properties"])
        for name, event in CATALOGUE.types.items()
    }

    assert {name.split(".")[0] for name in names} == {"cycle", "objective", "key_result"}
    assert not any(name.startswith("person.") for name in names)
    assert {
        name: fields & {"score", "final_score", "scores", "rating", "retrospective"}
        for name, fields in properties.items()
    } == {name: set() for name in names}


def test_the_report_holds_no_figure_of_a_person() -> None:
    row = set(TeamScoresRead.model_json_schema()["properties"])
    report = set(CycleReportRead.model_json_schema()["properties"])

    assert row == {"team_id", "objectives", "progress", "final_score", "at_risk"}
    assert report == {"cycle_id", "status", "people_objectives", "teams"}
    assert not any("person" in field for field in row)
