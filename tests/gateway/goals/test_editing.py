"""Changing and removing key results, withdrawing dependencies and reading a cycle's report through
the gateway, over the real people and goals services. The scene is this folder's conftest's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.goals.scene import Okrs, Work, global_id
from tests.gateway.support import GraphQL, Recorder
from tests.support import Tokens

pytestmark = pytest.mark.e2e


UPDATE_KEY_RESULT = """mutation ($input: UpdateKeyResultInput!) {
  updateKeyResult(input: $input) {
    __typename
    ... on UpdateKeyResultPayload { keyResult {
      title target unit weight progress version owner { name } objective { progress }
    } }
    ... on UpdateKeyResultError { code field }
  }
}"""

DELETE_KEY_RESULT = """mutation ($input: DeleteKeyResultInput!) {
  deleteKeyResult(input: $input) {
    __typename
    ... on DeleteKeyResultPayload { keyResultId objective { title progress } }
    ... on DeleteKeyResultError { code field }
  }
}"""

DECLARE = """mutation ($input: DeclareDependencyInput!) {
  declareDependency(input: $input) {
    __typename
    ... on DeclareDependencyPayload { dependency { id } }
  }
}"""

WITHDRAW_DEPENDENCY = """mutation ($input: WithdrawDependencyInput!) {
  withdrawDependency(input: $input) {
    __typename
    ... on WithdrawDependencyPayload { dependencyId }
    ... on WithdrawDependencyError { code field }
  }
}"""

REPORT = """query ($id: ID!) {
  node(id: $id) { ... on Cycle {
    report {
      status peopleObjectives
      teams { teamId objectives progress finalScore atRisk team { name } }
    }
  } }
}"""


def result(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    value: dict[str, Any] = next(iter(body["data"].values()))
    return value


async def test_a_key_result_is_changed_at_the_version_read(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada, cy = tokens.person("ada@example.com"), tokens.person("cy@example.com")
    key_result = global_id("KeyResult", okrs.key_result.id)

    changed = result(
        await graphql(
            UPDATE_KEY_RESULT,
            {
                "input": {
                    "keyResultId": key_result,
                    "version": 1,
                    "title": "Queries served a day",
                    "target": 50,
                    "unit": "k",
                    "ownerId": global_id("Person", okrs.ada.id),
                }
            },
            headers=ada,
        )
    )
    stale = result(
        await graphql(
            UPDATE_KEY_RESULT, {"input": {"keyResultId": key_result, "version": 1}}, headers=ada
        )
    )
    by_outsider = result(
        await graphql(
            UPDATE_KEY_RESULT,
            {"input": {"keyResultId": key_result, "version": 2, "title": "Mine"}},
            headers=cy,
        )
    )
    backwards = result(
        await graphql(
            UPDATE_KEY_RESULT,
            {"input": {"keyResultId": key_result, "version": 2, "target": -1}},
            headers=ada,
        )
    )
    stranger = result(
        await graphql(
            UPDATE_KEY_RESULT,
            {
                "input": {
                    "keyResultId": key_result,
                    "version": 2,
                    "ownerId": global_id("Person", okrs.cy.id),
                }
            },
            headers=ada,
        )
    )
    cleared = result(
        await graphql(
            UPDATE_KEY_RESULT,
            {"input": {"keyResultId": key_result, "version": 2, "unit": None, "ownerId": None}},
            headers=ada,
        )
    )
    malformed = result(
        await graphql(UPDATE_KEY_RESULT, {"input": {"keyResultId": "x", "version": 1}}, headers=ada)
    )

    assert changed == {
        "__typename": "UpdateKeyResultPayload",
        "keyResult": {
            "title": "Queries served a day",
            "target": 50.0,
            "unit": "k",
            "weight": 1.0,
            "progress": 0.5,
            "version": 2,
            "owner": {"name": "Ada"},
            "objective": {"progress": 0.5},
        },
    }
    assert (stale["code"], stale["field"]) == ("stale_version", None)
    assert by_outsider["code"] == "forbidden"
    assert (backwards["code"], backwards["field"]) == (
        "target_not_above_start",
        ["input", "target"],
    )
    assert (stranger["code"], stranger["field"]) == (
        "owner_cannot_work_on_objective",
        ["input", "ownerId"],
    )
    assert (cleared["keyResult"]["unit"], cleared["keyResult"]["owner"]) == (None, None)
    assert (malformed["code"], malformed["field"]) == ("invalid_id", ["input", "keyResultId"])


async def test_a_key_result_is_removed_at_the_version_read(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada, cy = tokens.person("ada@example.com"), tokens.person("cy@example.com")
    key_result = global_id("KeyResult", okrs.key_result.id)

    by_outsider = result(
        await graphql(
            DELETE_KEY_RESULT, {"input": {"keyResultId": key_result, "version": 1}}, headers=cy
        )
    )
    stale = result(
        await graphql(
            DELETE_KEY_RESULT, {"input": {"keyResultId": key_result, "version": 3}}, headers=ada
        )
    )
    removed = result(
        await graphql(
            DELETE_KEY_RESULT, {"input": {"keyResultId": key_result, "version": 1}}, headers=ada
        )
    )
    again = result(
        await graphql(
            DELETE_KEY_RESULT, {"input": {"keyResultId": key_result, "version": 1}}, headers=ada
        )
    )
    gone = await graphql(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": key_result}, headers=ada
    )

    assert by_outsider["code"] == "forbidden"
    assert stale["code"] == "stale_version"
    assert removed == {
        "__typename": "DeleteKeyResultPayload",
        "keyResultId": key_result,
        "objective": {"title": "Ship search", "progress": None},
    }
    assert again["code"] == "key_result_not_found"
    assert gone["data"] == {"node": None}


async def test_the_side_that_depends_withdraws_a_dependency(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    bob, cy = tokens.person("bob@example.com"), tokens.person("cy@example.com")
    declared = result(
        await graphql(
            DECLARE,
            {
                "input": {
                    "objectiveId": global_id("Objective", work.bobs.id),
                    "onKeyResultId": global_id("KeyResult", okrs.key_result.id),
                    "note": "Queries to learn from.",
                }
            },
            headers=bob,
        )
    )
    dependency = {"dependencyId": declared["dependency"]["id"]}

    by_outsider = result(await graphql(WITHDRAW_DEPENDENCY, {"input": dependency}, headers=cy))
    withdrawn = result(await graphql(WITHDRAW_DEPENDENCY, {"input": dependency}, headers=bob))
    again = result(await graphql(WITHDRAW_DEPENDENCY, {"input": dependency}, headers=bob))
    malformed = result(
        await graphql(WITHDRAW_DEPENDENCY, {"input": {"dependencyId": "nope"}}, headers=bob)
    )

    assert by_outsider == {
        "__typename": "WithdrawDependencyError",
        "code": "forbidden",
        "field": None,
    }
    assert withdrawn == {"__typename": "WithdrawDependencyPayload", **dependency}
    assert again["code"] == "dependency_not_found"
    assert (malformed["code"], malformed["field"]) == ("invalid_id", ["input", "dependencyId"])


async def test_a_cycle_s_report_is_by_team_never_by_person(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens, recorder: Recorder
) -> None:
    body = await graphql(
        REPORT, {"id": global_id("Cycle", okrs.cycle.id)}, headers=tokens.person("ada@example.com")
    )

    assert "errors" not in body, body
    report = body["data"]["node"]["report"]
    assert (report["status"], report["peopleObjectives"]) == ("ACTIVE", 3)
    rows = {row["team"]["name"] if row["team"] else None: row for row in report["teams"]}
    assert rows[None] == {
        "teamId": None,
        "objectives": 1,
        "progress": None,
        "finalScore": None,
        "atRisk": 0,
        "team": None,
    }
    assert rows["Platform"] == {
        "teamId": global_id("Team", okrs.platform.id),
        "objectives": 1,
        "progress": 0.5,
        "finalScore": None,
        "atRisk": 0,
        "team": {"name": "Platform"},
    }
    assert not {"person", "owner", "people"} & set(report["teams"][0])
    assert recorder.paths("goals").count(f"/v1/cycles/{okrs.cycle.id}/report") == 1
