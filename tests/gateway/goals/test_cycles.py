"""Cycles through the gateway: final scores submitted, then the cycle closed by HR."""

from __future__ import annotations

import pytest

from tests.gateway.goals.operations import CHECK_IN_MILESTONES
from tests.gateway.goals.scene import Okrs, global_id
from tests.gateway.support import GraphQL
from tests.support import Tokens

pytestmark = pytest.mark.e2e


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
