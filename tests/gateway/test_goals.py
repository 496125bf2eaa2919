"""OKRs through the gateway, over the real people and goals services: the goals service's org
copy is bootstrapped from the people service's snapshot, as in production."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kit.db import Database
from kit.orgcopy import OrgCopy, OrgPerson, OrgTeam
from kit.settings import Environment
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import (
    CycleStatus,
    ObjectiveKind,
    ObjectiveStatus,
    SignatureRole,
    Visibility,
)
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
    hr: Person
    search: Team


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
        hr = await people_rows.create_hr_admin(session, email="hr@example.com", name="Hal")
        search = await people_rows.create_team(session, name="Search", lead_id=ada.id)
        await people_rows.add_member(session, search, bob)
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
    return Okrs(ada, bob, cy, platform, cycle, closed, public, private, key_result, hr, search)


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
              objectives(first: 5) { edges { node {
                title
                keyResults(first: 5) { edges { node {
                  checkIns(first: 5) { edges { node { author { name } } } }
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


@pytest.mark.parametrize("key", ["é-not-ascii", "a\r\nX-Injected: 1", ""])
async def test_an_idempotency_key_no_header_can_carry_is_refused_as_user_input(
    graphql: GraphQL, okrs: Okrs, recorder: Recorder, tokens: Tokens, key: str
) -> None:
    variables = {"input": objective_input(okrs, idempotencyKey=key)}

    body = await graphql(CREATE, variables, headers=tokens.person("ada@example.com"))

    result = body["data"]["createObjective"]
    assert result["code"] == "invalid_idempotency_key"
    assert [sent for sent in recorder.sent if sent.method == "POST"] == []


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


# --- The rest of the OKR core: kinds, drafting, closing, milestones, due check-ins ----------


@dataclass
class Work:
    """On top of `Okrs`: Platform's aspirational objective, proposed, with Bob as contributor
    and his signature, and a milestones key result Bob owns, last touched ten days ago; Bob's
    own draft; a company objective; Ada's objective of the closed cycle, scored, with a key
    result; Search's objective."""

    team_objective: Objective
    milestones: KeyResult
    bobs: Objective
    company: Objective
    old: Objective
    old_key_result: KeyResult
    search_objective: Objective


@pytest.fixture
async def work(okrs: Okrs, goals_db: Database, recorder: Recorder) -> Work:
    async with goals_db.sessionmaker() as session:
        ada, bob = (
            await session.get(OrgPerson, okrs.ada.id),
            await session.get(OrgPerson, okrs.bob.id),
        )
        platform = await session.get(OrgTeam, okrs.platform.id)
        search = await session.get(OrgTeam, okrs.search.id)
        assert ada is not None
        assert bob is not None
        assert platform is not None
        assert search is not None
        team_objective = await goals_rows.create_objective(
            session,
            okrs.cycle,
            platform,
            title="Deploy on Fridays",
            kind=ObjectiveKind.ASPIRATIONAL,
            status=ObjectiveStatus.PROPOSED,
        )
        await goals_rows.add_contributor(session, team_objective, bob)
        await goals_rows.create_signature(session, team_objective, bob, SignatureRole.OWNER)
        ten_days_ago = datetime.now(UTC) - timedelta(days=10)
        milestones, _ = await goals_rows.create_milestones(
            session,
            team_objective,
            True,
            False,
            title="Pipeline steps",
            owner_person_id=bob.id,
            created_at=ten_days_ago,
        )
        bobs = await goals_rows.create_objective(session, okrs.cycle, bob, title="Learn Rust")
        company = await goals_rows.create_objective(session, okrs.cycle, None, title="Grow")
        old = await goals_rows.create_objective(session, okrs.closed, ada, title="Old things")
        old_key_result = await goals_rows.create_key_result(session, old, title="Old result")
        await goals_rows.create_closing(session, old, score=0.6, retrospective="Too much at once")
        search_objective = await goals_rows.create_objective(
            session, okrs.cycle, search, title="Better ranking"
        )
        await session.commit()
    recorder.clear()
    return Work(team_objective, milestones, bobs, company, old, old_key_result, search_objective)


OBJECTIVE_DETAIL = """query ($id: ID!) {
  objective(id: $id) {
    title ownerKind kind successThreshold successExplanation status version
    owner { __typename ... on Team { name } }
    contributors { edges { node { name } } }
    signatures { role signer { name } }
    closing { score retrospective source submittedBy { name } }
    keyResults { edges { node {
      title kind current target progress progressExplanation expectedProgress status
      owner { name }
      milestones { position title done }
    } } }
  }
}"""


async def test_an_objective_shows_its_kind_drafting_contributors_and_key_result_kinds(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    body = await graphql(
        OBJECTIVE_DETAIL,
        {"id": global_id("Objective", work.team_objective.id)},
        headers=tokens.person("cy@example.com"),
    )

    assert "errors" not in body
    objective = body["data"]["objective"]
    assert objective["ownerKind"] == "TEAM"
    assert objective["owner"] == {"__typename": "Team", "name": "Platform"}
    assert (objective["kind"], objective["successThreshold"]) == ("ASPIRATIONAL", 0.7)
    assert objective["successExplanation"]
    assert objective["status"] == "PROPOSED"
    assert objective["contributors"]["edges"] == [{"node": {"name": "Bob"}}]
    assert objective["signatures"] == [{"role": "OWNER", "signer": {"name": "Bob"}}]
    assert objective["closing"] is None
    (key_result,) = [edge["node"] for edge in objective["keyResults"]["edges"]]
    assert key_result["kind"] == "MILESTONES"
    assert (key_result["current"], key_result["target"], key_result["progress"]) == (1, 2, 0.5)
    assert key_result["progressExplanation"]
    assert 0 <= key_result["expectedProgress"] <= 1
    assert key_result["status"] is None
    assert key_result["owner"] == {"name": "Bob"}
    assert key_result["milestones"] == [
        {"position": 1, "title": "Step 1", "done": True},
        {"position": 2, "title": "Step 2", "done": False},
    ]


async def test_a_closed_objective_shows_its_score_and_the_company_s_has_no_owner(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    headers = tokens.person("cy@example.com")

    old = await graphql(
        OBJECTIVE_DETAIL, {"id": global_id("Objective", work.old.id)}, headers=headers
    )
    company = await graphql(
        OBJECTIVE_DETAIL, {"id": global_id("Objective", work.company.id)}, headers=headers
    )

    assert old["data"]["objective"]["closing"] == {
        "score": 0.6,
        "retrospective": "Too much at once",
        "source": "SUBMITTED",
        "submittedBy": None,
    }
    assert (company["data"]["objective"]["ownerKind"], company["data"]["objective"]["owner"]) == (
        "COMPANY",
        None,
    )


async def test_the_objectives_of_a_page_of_teams_are_one_batch_request_per_level(
    graphql: GraphQL, okrs: Okrs, work: Work, recorder: Recorder, tokens: Tokens
) -> None:
    body = await graphql(
        """{ viewer { teams { edges { node {
              name
              objectives(first: 5) { edges { node {
                title keyResults { edges { node { title } } }
              } } }
            } } } } }""",
        headers=tokens.person("bob@example.com"),
    )

    assert "errors" not in body
    teams = {
        edge["node"]["name"]: [o["node"]["title"] for o in edge["node"]["objectives"]["edges"]]
        for edge in body["data"]["viewer"]["teams"]["edges"]
    }
    assert teams == {"Platform": ["Deploy on Fridays"], "Search": ["Better ranking"]}
    assert recorder.paths("goals") == ["/v1/objectives/by-owner", "/v1/key-results/by-objective"]
    (by_owner,) = [sent for sent in recorder.sent if sent.path == "/v1/objectives/by-owner"]
    asked = {value for key, value in by_owner.params if key == "owner_team_id"}
    assert asked == {str(okrs.platform.id), str(okrs.search.id)}
    assert ("per_owner", "5") in by_owner.params


DUE = """{ viewer { name dueCheckIns { edges { cursor node {
  dueSince lastCheckedInAt keyResult { title objective { title } }
} } pageInfo { hasNextPage } } } }"""


async def test_the_viewer_s_due_check_ins(
    graphql: GraphQL, okrs: Okrs, work: Work, recorder: Recorder, tokens: Tokens
) -> None:
    body = await graphql(DUE, headers=tokens.person("bob@example.com"))

    assert "errors" not in body
    viewer = body["data"]["viewer"]
    (due,) = [edge["node"] for edge in viewer["dueCheckIns"]["edges"]]
    assert due["keyResult"] == {
        "title": "Pipeline steps",
        "objective": {"title": "Deploy on Fridays"},
    }
    assert due["lastCheckedInAt"] is None
    assert due["dueSince"]
    assert viewer["dueCheckIns"]["pageInfo"] == {"hasNextPage": False}
    (sent,) = [sent for sent in recorder.sent if sent.path == "/v1/check-ins/due"]
    assert ("person_id", str(okrs.bob.id)) in sent.params


async def test_a_team_s_due_check_ins(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    body = await graphql(
        """query ($id: ID!) { node(id: $id) { ... on Team {
              dueCheckIns { edges { node { keyResult { title } } } } } } }""",
        {"id": global_id("Team", okrs.platform.id)},
        headers=tokens.person("ada@example.com"),
    )

    assert body["data"]["node"]["dueCheckIns"]["edges"] == [
        {"node": {"keyResult": {"title": "Pipeline steps"}}}
    ]


ADD_KEY_RESULT = """mutation ($input: AddKeyResultInput!) {
  addKeyResult(input: $input) {
    __typename
    ... on AddKeyResultPayload {
      keyResult { id title kind progress owner { name } milestones { title } }
    }
    ... on UserError { code field }
  }
}"""


async def test_adding_key_results_of_each_kind(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    headers = tokens.person("ada@example.com")
    objective = global_id("Objective", okrs.public.id)

    latency = await graphql(
        ADD_KEY_RESULT,
        {
            "input": {
                "objectiveId": objective,
                "title": "p99 latency",
                "kind": "DECREASE_TO",
                "start": 300,
                "target": 100,
                "unit": "ms",
                "ownerId": global_id("Person", okrs.ada.id),
                "idempotencyKey": "add-latency-1",
            }
        },
        headers=headers,
    )
    steps = await graphql(
        ADD_KEY_RESULT,
        {
            "input": {
                "objectiveId": objective,
                "title": "Launch",
                "kind": "MILESTONES",
                "milestones": [{"title": "Beta"}, {"title": "GA", "done": False}],
            }
        },
        headers=headers,
    )

    assert latency["data"]["addKeyResult"] | {"keyResult": None} == {
        "__typename": "AddKeyResultPayload",
        "keyResult": None,
    }
    assert latency["data"]["addKeyResult"]["keyResult"] | {"id": None} == {
        "id": None,
        "title": "p99 latency",
        "kind": "DECREASE_TO",
        "progress": 0.0,
        "owner": {"name": "Ada"},
        "milestones": None,
    }
    assert steps["data"]["addKeyResult"]["keyResult"]["milestones"] == [
        {"title": "Beta"},
        {"title": "GA"},
    ]


@pytest.mark.parametrize(
    ("who", "overrides", "code", "field"),
    [
        ("ada", {"kind": "INCREASE_TO", "start": 10, "target": 5}, "target_not_above_start", None),
        ("ada", {"start": None, "target": None}, "kind_required", None),
        ("cy", {}, "forbidden", None),
        ("ada", {"objectiveId": "nope"}, "invalid_id", ["input", "objectiveId"]),
        (
            "ada",
            {"ownerId": global_id("Team", uuid.uuid4())},
            "wrong_id_type",
            ["input", "ownerId"],
        ),
        ("ada", {"weight": 0}, "validation_failed", ["input", "weight"]),
    ],
)
async def test_a_refused_key_result_is_the_mutation_s_error(
    graphql: GraphQL,
    okrs: Okrs,
    tokens: Tokens,
    who: str,
    overrides: dict[str, Any],
    code: str,
    field: list[str] | None,
) -> None:
    given = {
        "objectiveId": global_id("Objective", okrs.public.id),
        "title": "Signups",
        "start": 0,
        "target": 10,
    } | overrides

    body = await graphql(
        ADD_KEY_RESULT, {"input": given}, headers=tokens.person(f"{who}@example.com")
    )

    assert "errors" not in body
    error = body["data"]["addKeyResult"]
    assert (error["__typename"], error["code"], error["field"]) == (
        "AddKeyResultError",
        code,
        field,
    )


CHECK_IN_MILESTONES = """mutation ($input: CheckInInput!) {
  checkIn(input: $input) {
    __typename
    ... on CheckInPayload { checkIn {
      status milestones { milestoneId done }
      keyResult { current progress status confidence }
    } }
    ... on UserError { code field }
  }
}"""


async def test_a_check_in_marks_milestones_and_says_how_it_goes(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    headers = tokens.person("bob@example.com")
    detail = await graphql(
        "query ($id: ID!) { node(id: $id) { ... on KeyResult { milestones { id done } } } }",
        {"id": global_id("KeyResult", work.milestones.id)},
        headers=headers,
    )
    second = detail["data"]["node"]["milestones"][1]["id"]

    body = await graphql(
        CHECK_IN_MILESTONES,
        {
            "input": {
                "keyResultId": global_id("KeyResult", work.milestones.id),
                "milestones": [{"milestoneId": second, "done": True}],
                "confidence": 9,
                "status": "AT_RISK",
            }
        },
        headers=headers,
    )
    due = await graphql(DUE, headers=headers)

    assert body["data"]["checkIn"] == {
        "__typename": "CheckInPayload",
        "checkIn": {
            "status": "AT_RISK",
            "milestones": [{"milestoneId": second, "done": True}],
            "keyResult": {"current": 2.0, "progress": 1.0, "status": "AT_RISK", "confidence": 9},
        },
    }
    assert due["data"]["viewer"]["dueCheckIns"]["edges"] == []


async def test_a_check_in_on_a_closed_cycle_is_the_mutation_s_error(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    body = await graphql(
        CHECK_IN_MILESTONES,
        {
            "input": {
                "keyResultId": global_id("KeyResult", work.old_key_result.id),
                "value": 50,
                "confidence": 5,
            }
        },
        headers=tokens.person("ada@example.com"),
    )
    bad_milestone = await graphql(
        CHECK_IN_MILESTONES,
        {
            "input": {
                "keyResultId": global_id("KeyResult", work.milestones.id),
                "milestones": [{"milestoneId": "nope", "done": True}],
                "confidence": 5,
            }
        },
        headers=tokens.person("bob@example.com"),
    )

    assert "errors" not in body
    assert body["data"]["checkIn"]["__typename"] == "CheckInError"
    assert body["data"]["checkIn"]["code"] == "cycle_closed"
    assert bad_milestone["data"]["checkIn"] == {
        "__typename": "CheckInError",
        "code": "invalid_id",
        "field": ["input", "milestones", "0", "milestoneId"],
    }


UPDATE = """mutation ($input: UpdateObjectiveInput!) {
  updateObjective(input: $input) {
    __typename
    ... on UpdateObjectivePayload { objective { title description kind version } }
    ... on UserError { code field }
  }
}"""


async def test_an_objective_is_changed_at_the_version_read_and_never_over_a_newer_one(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    headers = tokens.person("ada@example.com")
    objective = global_id("Objective", okrs.public.id)
    read = await graphql(
        "query ($id: ID!) { objective(id: $id) { version description } }",
        {"id": objective},
        headers=headers,
    )
    version = read["data"]["objective"]["version"]

    changed = await graphql(
        UPDATE,
        {
            "input": {
                "objectiveId": objective,
                "version": version,
                "title": "Ship search everywhere",
                "kind": "ASPIRATIONAL",
            }
        },
        headers=headers,
    )
    stale = await graphql(
        UPDATE,
        {"input": {"objectiveId": objective, "version": version, "title": "Something else"}},
        headers=headers,
    )

    assert changed["data"]["updateObjective"]["__typename"] == "UpdateObjectivePayload"
    result = changed["data"]["updateObjective"]["objective"]
    assert (result["title"], result["kind"]) == ("Ship search everywhere", "ASPIRATIONAL")
    assert result["description"] == read["data"]["objective"]["description"]
    assert result["version"] > version
    assert stale["data"]["updateObjective"] == {
        "__typename": "UpdateObjectiveError",
        "code": "stale_version",
        "field": None,
    }


PROPOSE = """mutation ($input: ProposeObjectiveInput!) {
  proposeObjective(input: $input) {
    __typename
    ... on ProposeObjectivePayload { objective { status version } }
    ... on UserError { code }
  }
}"""

SIGN = """mutation ($input: SignObjectiveInput!) {
  signObjective(input: $input) {
    __typename
    ... on SignObjectivePayload { objective { status signatures { role signer { name } } } }
    ... on UserError { code }
  }
}"""


async def test_an_objective_is_agreed_by_its_owner_and_their_manager_never_by_one_alone(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    bob, ada = tokens.person("bob@example.com"), tokens.person("ada@example.com")
    objective = global_id("Objective", work.bobs.id)
    early = await graphql(SIGN, {"input": {"objectiveId": objective}}, headers=bob)
    read = await graphql(
        "query ($id: ID!) { objective(id: $id) { version } }", {"id": objective}, headers=bob
    )

    proposed = await graphql(
        PROPOSE,
        {"input": {"objectiveId": objective, "version": read["data"]["objective"]["version"]}},
        headers=bob,
    )
    by_owner = await graphql(SIGN, {"input": {"objectiveId": objective}}, headers=bob)
    again = await graphql(SIGN, {"input": {"objectiveId": objective}}, headers=bob)
    outsider = await graphql(
        SIGN, {"input": {"objectiveId": objective}}, headers=tokens.person("cy@example.com")
    )
    by_manager = await graphql(SIGN, {"input": {"objectiveId": objective}}, headers=ada)

    assert early["data"]["signObjective"] == {
        "__typename": "SignObjectiveError",
        "code": "not_proposed",
    }
    assert proposed["data"]["proposeObjective"]["objective"]["status"] == "PROPOSED"
    assert by_owner["data"]["signObjective"]["objective"] == {
        "status": "PROPOSED",
        "signatures": [{"role": "OWNER", "signer": {"name": "Bob"}}],
    }
    assert again["data"]["signObjective"]["code"] == "already_signed"
    assert outsider["data"]["signObjective"]["code"] == "forbidden"
    assert by_manager["data"]["signObjective"]["objective"]["status"] == "AGREED"
    roles = {s["role"] for s in by_manager["data"]["signObjective"]["objective"]["signatures"]}
    assert roles == {"OWNER", "MANAGER"}


COMMENT = """mutation ($input: CommentOnObjectiveInput!) {
  commentOnObjective(input: $input) {
    __typename
    ... on CommentOnObjectivePayload { comment { body author { name } objective { title } } }
    ... on UserError { code }
  }
}"""


async def test_comments_on_objectives_and_what_an_outsider_cannot_reach(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    cy = tokens.person("cy@example.com")

    said = await graphql(
        COMMENT,
        {"input": {"objectiveId": global_id("Objective", okrs.public.id), "body": "Count me in"}},
        headers=cy,
    )
    private = await graphql(
        COMMENT,
        {"input": {"objectiveId": global_id("Objective", okrs.private.id), "body": "Hm"}},
        headers=cy,
    )
    private_read = await graphql(
        OBJECTIVE_DETAIL, {"id": global_id("Objective", okrs.private.id)}, headers=cy
    )

    assert said["data"]["commentOnObjective"] == {
        "__typename": "CommentOnObjectivePayload",
        "comment": {
            "body": "Count me in",
            "author": {"name": "Cy"},
            "objective": {"title": "Ship search"},
        },
    }
    assert private["data"]["commentOnObjective"] == {
        "__typename": "CommentOnObjectiveError",
        "code": "objective_not_found",
    }
    assert private_read["data"] == {"objective": None}
    assert "errors" not in private_read


CLOSING = """mutation ($input: SubmitClosingInput!) {
  submitClosing(input: $input) {
    __typename
    ... on SubmitClosingPayload {
      closing { score source version submittedBy { name } }
      objective { closing { score retrospective } }
    }
    ... on UserError { code }
  }
}"""

CLOSE = """mutation ($input: CloseCycleInput!) {
  closeCycle(input: $input) {
    __typename
    ... on CloseCyclePayload { cycle { status closedAt } }
    ... on UserError { code }
  }
}"""


async def test_scores_are_submitted_then_the_cycle_is_closed_by_hr(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada, hr = tokens.person("ada@example.com"), tokens.person("hr@example.com")
    objective = global_id("Objective", okrs.public.id)
    cycle = global_id("Cycle", okrs.cycle.id)

    first = await graphql(
        CLOSING,
        {"input": {"objectiveId": objective, "score": 0.7, "retrospective": "Good"}},
        headers=ada,
    )
    blind = await graphql(
        CLOSING,
        {"input": {"objectiveId": objective, "score": 0.8, "retrospective": "Better"}},
        headers=ada,
    )
    version = first["data"]["submitClosing"]["closing"]["version"]
    replaced = await graphql(
        CLOSING,
        {
            "input": {
                "objectiveId": objective,
                "score": 0.8,
                "retrospective": "Better",
                "version": version,
            }
        },
        headers=ada,
    )
    read = await graphql(
        "query ($id: ID!) { node(id: $id) { ... on Cycle { version } } }", {"id": cycle}, headers=hr
    )
    cycle_version = read["data"]["node"]["version"]
    not_hr = await graphql(
        CLOSE, {"input": {"cycleId": cycle, "version": cycle_version}}, headers=ada
    )
    closed = await graphql(
        CLOSE, {"input": {"cycleId": cycle, "version": cycle_version}}, headers=hr
    )
    late = await graphql(
        CHECK_IN_MILESTONES,
        {
            "input": {
                "keyResultId": global_id("KeyResult", okrs.key_result.id),
                "value": 90,
                "confidence": 9,
            }
        },
        headers=ada,
    )

    assert first["data"]["submitClosing"] | {"closing": None} == {
        "__typename": "SubmitClosingPayload",
        "closing": None,
        "objective": {"closing": {"score": 0.7, "retrospective": "Good"}},
    }
    assert first["data"]["submitClosing"]["closing"]["submittedBy"] == {"name": "Ada"}
    assert blind["data"]["submitClosing"]["code"] == "if_match_required"
    assert replaced["data"]["submitClosing"]["objective"]["closing"]["score"] == 0.8
    assert not_hr["data"]["closeCycle"] == {"__typename": "CloseCycleError", "code": "forbidden"}
    assert closed["data"]["closeCycle"]["cycle"]["status"] == "CLOSED"
    assert closed["data"]["closeCycle"]["cycle"]["closedAt"]
    assert late["data"]["checkIn"]["code"] == "cycle_closed"
