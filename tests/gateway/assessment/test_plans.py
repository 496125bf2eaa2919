"""Action plans through the graph: a team's lead adopts one from the team's report, adds and
tracks items (with the plan's version, as `If-Match`); others are refused with typed errors."""

from __future__ import annotations

from typing import Any

import pytest

from services.people.models import Person
from tests.gateway.assessment.scene import Org, global_id
from tests.gateway.support import GraphQL

pytestmark = pytest.mark.e2e

ADOPT = """mutation ($input: AdoptActionPlanInput!) {
  adoptActionPlan(input: $input) {
    __typename
    ... on AdoptActionPlanPayload { actionPlan { id version items { id kind text status } } }
    ... on AdoptActionPlanError { code field }
  }
}"""

ADD = """mutation ($input: AddActionPlanItemInput!) {
  addActionPlanItem(input: $input) {
    __typename
    ... on AddActionPlanItemPayload { actionPlan { items { kind text status position } } }
    ... on AddActionPlanItemError { code }
  }
}"""

UPDATE = """mutation ($input: UpdateActionPlanItemInput!) {
  updateActionPlanItem(input: $input) {
    __typename
    ... on UpdateActionPlanItemPayload { actionPlan { items { status } } }
    ... on UpdateActionPlanItemError { code }
  }
}"""

PLAN = """query ($team: ID!, $round: ID!) {
  node(id: $team) { ... on Team { actionPlan(round: $round) { version items { text status } } } }
}"""


async def adopt(graphql: GraphQL, org: Org, caller: Person, round_id: str) -> dict[str, Any]:
    variables = {
        "input": {
            "roundId": global_id("AssessmentRound", round_id),
            "teamId": global_id("Team", org.big.id),
            "items": [
                {"kind": "STOP", "text": "Approving every purchase."},
                {"kind": "START", "text": "Deciding where the knowledge is."},
            ],
            "idempotencyKey": "adopt-big-spring",
        }
    }
    return await graphql(ADOPT, variables, headers=org.headers(caller))


async def test_a_lead_adopts_a_plan_and_tracks_it_to_the_next_round(
    graphql: GraphQL, org: Org
) -> None:
    round_id = await org.closed_round()
    lead = org.headers(org.lead)

    adopted = await adopt(graphql, org, org.lead, round_id)
    retried = await adopt(graphql, org, org.lead, round_id)
    plan = adopted["data"]["adoptActionPlan"]["actionPlan"]
    added = await graphql(
        ADD,
        {"input": {"actionPlanId": plan["id"], "item": {"kind": "CONTINUE", "text": "Retros."}}},
        headers=lead,
    )
    stale = await graphql(
        UPDATE,
        {
            "input": {
                "actionPlanId": plan["id"],
                "itemId": plan["items"][0]["id"],
                "version": plan["version"],
                "status": "DONE",
            }
        },
        headers=lead,
    )
    variables = {
        "team": global_id("Team", org.big.id),
        "round": global_id("AssessmentRound", round_id),
    }
    current = (await graphql(PLAN, variables, headers=lead))["data"]["node"]["actionPlan"]
    done = await graphql(
        UPDATE,
        {
            "input": {
                "actionPlanId": plan["id"],
                "itemId": plan["items"][0]["id"],
                "version": current["version"],
                "status": "DONE",
            }
        },
        headers=lead,
    )
    after = (await graphql(PLAN, variables, headers=lead))["data"]["node"]["actionPlan"]

    assert [(i["kind"], i["status"]) for i in plan["items"]] == [
        ("STOP", "OPEN"),
        ("START", "OPEN"),
    ]
    assert retried["data"]["adoptActionPlan"]["actionPlan"]["id"] == plan["id"]
    assert added["data"]["addActionPlanItem"]["actionPlan"]["items"][-1] == {
        "kind": "CONTINUE",
        "text": "Retros.",
        "status": "OPEN",
        "position": 3,
    }
    assert stale["data"]["updateActionPlanItem"] == {
        "__typename": "UpdateActionPlanItemError",
        "code": "stale_version",
    }
    assert done["data"]["updateActionPlanItem"]["actionPlan"]["items"][0] == {"status": "DONE"}
    assert [(i["text"], i["status"]) for i in after["items"]] == [
        ("Approving every purchase.", "DONE"),
        ("Deciding where the knowledge is.", "OPEN"),
        ("Retros.", "OPEN"),
    ]


async def test_members_and_outsiders_cannot_adopt_and_a_second_plan_is_refused(
    graphql: GraphQL, org: Org
) -> None:
    round_id = await org.closed_round()

    member = await adopt(graphql, org, org.big_members[0], round_id)
    outsider = await adopt(graphql, org, org.outsider, round_id)
    await adopt(graphql, org, org.hr, round_id)
    second = await graphql(
        ADOPT,
        {
            "input": {
                "roundId": global_id("AssessmentRound", round_id),
                "teamId": global_id("Team", org.big.id),
                "items": [{"kind": "START", "text": "Again."}],
            }
        },
        headers=org.headers(org.lead),
    )

    assert member["data"]["adoptActionPlan"]["__typename"] == "AdoptActionPlanError"
    assert outsider["data"]["adoptActionPlan"]["__typename"] == "AdoptActionPlanError"
    assert second["data"]["adoptActionPlan"]["code"] == "plan_exists"
