"""OKRs through the gateway, over the real people and goals services: the goals service's org
copy is bootstrapped from the people service's snapshot, as in production."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kit.db import Database
from kit.orgcopy import OrgCopy, OrgPerson
from kit.settings import Environment
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus, Visibility
from services.people.models import Person, Team
from tests.conftest import AUTH, Tokens
from tests.gateway.conftest import GraphQL, Recorder, codes, recorded_client
from tests.goals import factories as goals_rows
from tests.people import factories as people_rows

pytestmark = pytest.mark.e2e


def global_id(type_name: str, id_: uuid.UUID) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


@pytest.fixture
async def goals_db(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Database]:
    database = Database(await fresh_database("goals"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
def goals_app(goals_db: Database) -> FastAPI:
    settings = GoalsSettings(
        database_url=goals_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
    )
    return create_goals(settings, database=goals_db)


@pytest.fixture
async def goals_http(goals_app: FastAPI, recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    async with recorded_client(goals_app, "goals", recorder) as http:
        yield http


@dataclass
class Okrs:
    """Ada leads Platform and manages Bob; Cy is elsewhere. An active and a closed cycle; Ada
    has a public objective (with a key result Bob checked in on) and a private one."""

    ada: Person
    bob: Person
    cy: Person
    platform: Team
    cycle: Cycle
    closed: Cycle
    public: Objective
    private: Objective
    key_result: KeyResult


@pytest.fixture
async def okrs(
    people_db: Database, people_app: FastAPI, goals_db: Database, recorder: Recorder
) -> Okrs:
    async with people_db.sessionmaker() as session:
        ada = await people_rows.create_person(session, email="ada@example.com", name="Ada")
        bob = await people_rows.create_person(
            session, email="bob@example.com", name="Bob", manager_id=ada.id
        )
        cy = await people_rows.create_person(session, email="cy@example.com", name="Cy")
        platform = await people_rows.create_team(session, name="Platform", lead_id=ada.id)
        await people_rows.add_member(session, platform, bob)
        await session.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=people_app), base_url="http://people"
    ) as people:
        org = OrgCopy(service="goals", database=goals_db, client=people, auth=AUTH)
        assert await org.bootstrap()
    async with goals_db.sessionmaker() as session:
        cycle = await goals_rows.create_cycle(session, name="2026 Q1")
        closed = await goals_rows.create_cycle(session, name="2025 Q4", status=CycleStatus.CLOSED)
        owner = await session.get(OrgPerson, ada.id)
        assert owner is not None
        public = await goals_rows.create_objective(session, cycle, owner, title="Ship search")
        private = await goals_rows.create_objective(
            session, cycle, owner, title="Grow as a lead", visibility=Visibility.PRIVATE
        )
        key_result = await goals_rows.create_key_result(
            session, public, title="Queries served", start=0.0, target=100.0, current=25.0
        )
        author = await session.get(OrgPerson, bob.id)
        assert author is not None
        await goals_rows.create_check_in(session, key_result, author, value=25.0, confidence=6)
        await session.commit()
    recorder.clear()
    return Okrs(ada, bob, cy, platform, cycle, closed, public, private, key_result)


OBJECTIVES = """query ($id: ID!) {
  person(id: $id) {
    objectives {
      edges { node {
        title visibility progress
        cycle { name status }
        owner { __typename ... on Person { name } }
        keyResults { edges { node {
          title current progress confidence
          checkIns { edges { node { value confidence author { name } } } }
        } } }
      } }
    }
  }
}"""


async def test_a_person_s_objectives_with_key_results_and_check_ins(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    body = await graphql(
        OBJECTIVES,
        {"id": global_id("Person", okrs.ada.id)},
        headers=tokens.person("ada@example.com"),
    )

    assert "errors" not in body
    objectives = [edge["node"] for edge in body["data"]["person"]["objectives"]["edges"]]
    assert [objective["title"] for objective in objectives] == ["Ship search", "Grow as a lead"]
    search = objectives[0]
    assert search["cycle"] == {"name": "2026 Q1", "status": "ACTIVE"}
    assert search["owner"] == {"__typename": "Person", "name": "Ada"}
    assert search["progress"] == 0.25
    (key_result,) = [edge["node"] for edge in search["keyResults"]["edges"]]
    assert key_result["title"] == "Queries served"
    assert key_result["checkIns"]["edges"] == [
        {"node": {"value": 25.0, "confidence": 6, "author": {"name": "Bob"}}}
    ]


async def test_someone_else_s_private_objective_is_simply_absent(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    headers = tokens.person("cy@example.com")

    listed = await graphql(OBJECTIVES, {"id": global_id("Person", okrs.ada.id)}, headers=headers)
    asked = await graphql(
        "query ($id: ID!) { node(id: $id) { id } }",
        {"id": global_id("Objective", okrs.private.id)},
        headers=headers,
    )

    titles = [edge["node"]["title"] for edge in listed["data"]["person"]["objectives"]["edges"]]
    assert titles == ["Ship search"]
    assert asked == {"data": {"node": None}}


async def test_each_level_is_one_request_per_service(
    graphql: GraphQL, okrs: Okrs, recorder: Recorder, tokens: Tokens
) -> None:
    body = await graphql(
        """{ people(first: 10) { edges { node {
              name
              objectives { edges { node {
                title
                keyResults { edges { node {
                  checkIns { edges { node { author { name } } } }
                } } }
              } } }
            } } } }""",
        headers=tokens.person("ada@example.com"),
    )

    assert "errors" not in body
    assert recorder.paths("people") == ["/v1/people"]
    assert recorder.paths("goals") == [
        "/v1/objectives/by-owner",
        "/v1/key-results/by-objective",
        "/v1/check-ins/by-key-result",
    ]


async def test_nodes_of_the_goals_service(graphql: GraphQL, okrs: Okrs, tokens: Tokens) -> None:
    body = await graphql(
        """query ($ids: [ID!]!) { nodes(ids: $ids) {
              __typename
              ... on Cycle { name }
              ... on Objective { title }
              ... on KeyResult { title objective { title } }
            } }""",
        {
            "ids": [
                global_id("Cycle", okrs.cycle.id),
                global_id("Objective", okrs.public.id),
                global_id("KeyResult", okrs.key_result.id),
            ]
        },
        headers=tokens.person("cy@example.com"),
    )

    assert body == {
        "data": {
            "nodes": [
                {"__typename": "Cycle", "name": "2026 Q1"},
                {"__typename": "Objective", "title": "Ship search"},
                {
                    "__typename": "KeyResult",
                    "title": "Queries served",
                    "objective": {"title": "Ship search"},
                },
            ]
        }
    }


CREATE = """mutation ($input: CreateObjectiveInput!) {
  createObjective(input: $input) {
    __typename
    ... on CreateObjectivePayload { objective { id title owner { ... on Team { name } } } }
    ... on UserError { message code field }
  }
}"""


def objective_input(okrs: Okrs, **overrides: Any) -> dict[str, Any]:
    return {
        "cycleId": global_id("Cycle", okrs.cycle.id),
        "ownerId": global_id("Team", okrs.platform.id),
        "title": "Faster builds",
    } | overrides


async def test_a_lead_sets_an_objective_for_their_team(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    headers = tokens.person("ada@example.com")

    body = await graphql(CREATE, {"input": objective_input(okrs)}, headers=headers)

    result = body["data"]["createObjective"]
    assert result["__typename"] == "CreateObjectivePayload"
    assert result["objective"]["title"] == "Faster builds"
    assert result["objective"]["owner"] == {"name": "Platform"}
    team = await graphql(
        """query ($id: ID!) {
          node(id: $id) { ... on Team { objectives { edges { node { id } } } } }
        }""",
        {"id": global_id("Team", okrs.platform.id)},
        headers=headers,
    )
    assert team["data"]["node"]["objectives"]["edges"] == [
        {"node": {"id": result["objective"]["id"]}}
    ]


async def test_a_retried_creation_with_its_key_sets_one_objective(
    graphql: GraphQL, okrs: Okrs, recorder: Recorder, tokens: Tokens
) -> None:
    headers = tokens.person("ada@example.com")
    variables = {"input": objective_input(okrs, idempotencyKey="create-faster-builds-1")}

    first = await graphql(CREATE, variables, headers=headers)
    again = await graphql(CREATE, variables, headers=headers)

    created = first["data"]["createObjective"]["objective"]["id"]
    assert again["data"]["createObjective"]["objective"]["id"] == created
    posts = [sent for sent in recorder.sent if sent.method == "POST"]
    assert len(posts) == 2
    team = await graphql(
        "query ($id: ID!) { node(id: $id) { ... on Team { objectives { edges { cursor } } } } }",
        {"id": global_id("Team", okrs.platform.id)},
        headers=headers,
    )
    assert len(team["data"]["node"]["objectives"]["edges"]) == 1


@pytest.mark.parametrize(
    ("who", "overrides", "code", "field"),
    [
        ("cy", {}, "forbidden", None),
        ("ada", {"cycle": "closed"}, "cycle_closed", None),
        (
            "ada",
            {"cycleId": global_id("Cycle", uuid.uuid4())},
            "unknown_cycle",
            ["input", "cycleId"],
        ),
        ("ada", {"ownerId": "nope"}, "invalid_id", ["input", "ownerId"]),
        (
            "ada",
            {"ownerId": global_id("Cycle", uuid.uuid4())},
            "wrong_id_type",
            ["input", "ownerId"],
        ),
        ("ada", {"cycleId": "nope"}, "invalid_id", ["input", "cycleId"]),
        ("ada", {"title": ""}, "validation_failed", ["input", "title"]),
    ],
)
async def test_a_refused_objective_is_the_mutation_s_error(
    graphql: GraphQL,
    okrs: Okrs,
    tokens: Tokens,
    who: str,
    overrides: dict[str, Any],
    code: str,
    field: list[str] | None,
) -> None:
    if overrides.pop("cycle", None) == "closed":
        overrides["cycleId"] = global_id("Cycle", okrs.closed.id)

    body = await graphql(
        CREATE,
        {"input": objective_input(okrs, **overrides)},
        headers=tokens.person(f"{who}@example.com"),
    )

    assert "errors" not in body
    error = body["data"]["createObjective"]
    assert error["__typename"] == "CreateObjectiveError"
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


CHECK_IN = """mutation ($input: CheckInInput!) {
  checkIn(input: $input) {
    __typename
    ... on CheckInPayload {
      checkIn { value confidence author { name } keyResult { current progress } }
    }
    ... on UserError { code field }
  }
}"""


async def test_a_check_in_moves_the_key_result(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    body = await graphql(
        CHECK_IN,
        {
            "input": {
                "keyResultId": global_id("KeyResult", okrs.key_result.id),
                "value": 60,
                "confidence": 8,
                "note": "Index rebuilt",
            }
        },
        headers=tokens.person("ada@example.com"),
    )

    assert body["data"]["checkIn"] == {
        "__typename": "CheckInPayload",
        "checkIn": {
            "value": 60.0,
            "confidence": 8,
            "author": {"name": "Ada"},
            "keyResult": {"current": 60.0, "progress": 0.6},
        },
    }


async def test_a_refused_check_in_says_which_field(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    key_result = global_id("KeyResult", okrs.key_result.id)
    headers = tokens.person("ada@example.com")

    too_sure = await graphql(
        CHECK_IN,
        {"input": {"keyResultId": key_result, "value": 1, "confidence": 11}},
        headers=headers,
    )
    stranger = await graphql(
        CHECK_IN,
        {"input": {"keyResultId": key_result, "value": 1, "confidence": 5}},
        headers=tokens.person("cy@example.com"),
    )

    assert too_sure["data"]["checkIn"] == {
        "__typename": "CheckInError",
        "code": "validation_failed",
        "field": ["input", "confidence"],
    }
    assert stranger["data"]["checkIn"]["code"] == "forbidden"


async def test_without_a_token_a_mutation_changes_nothing(graphql: GraphQL, okrs: Okrs) -> None:
    body = await graphql(CREATE, {"input": objective_input(okrs)})

    assert body["data"] is None
    assert codes(body) == [("UNAUTHENTICATED", "missing_token")]
