"""Key results and check-ins through the gateway: adding key results of each kind, checking
in (values, milestones), and the check-ins due."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.gateway.goals.operations import CHECK_IN_MILESTONES
from tests.gateway.goals.scene import Okrs, Work, global_id
from tests.gateway.support import GraphQL, Recorder
from tests.support import Tokens

pytestmark = pytest.mark.e2e


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
