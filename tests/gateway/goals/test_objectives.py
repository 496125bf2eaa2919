"""Objectives through the gateway: reading them (with their key results, owners and nodes),
setting, changing, agreeing and commenting on them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.gateway.goals.operations import COMMENT
from tests.gateway.goals.scene import Okrs, Work, global_id
from tests.gateway.support import GraphQL, Recorder, codes
from tests.support import Tokens

pytestmark = pytest.mark.e2e


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


async def test_without_a_token_a_mutation_changes_nothing(graphql: GraphQL, okrs: Okrs) -> None:
    body = await graphql(CREATE, {"input": objective_input(okrs)})

    assert body["data"] is None
    assert codes(body) == [("UNAUTHENTICATED", "missing_token")]


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
