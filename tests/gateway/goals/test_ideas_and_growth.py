"""Ideas and development goals through the gateway, over the real people and goals services:
proposing, reviewing (never one's own; a manager never reads how a report scored) and
allocating ideas; a development goal hidden as null from whoever may not read it."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.gateway.goals.scene import Okrs, global_id
from tests.gateway.support import GraphQL
from tests.people import factories as people_rows
from tests.support import Tokens

pytestmark = pytest.mark.e2e

PROPOSE = """mutation ($input: ProposeIdeaInput!) {
  proposeIdea(input: $input) {
    __typename
    ... on ProposeIdeaPayload { idea { id status resources { budgetAmount budgetCurrency } } }
    ... on UserError { code field }
  }
}"""

REVIEW = """mutation ($input: ReviewIdeaInput!) {
  reviewIdea(input: $input) {
    __typename
    ... on ReviewIdeaPayload { review { id impact version } }
    ... on UserError { code field }
  }
}"""

ALLOCATE = """mutation ($input: AllocateIdeaInput!) {
  allocateIdea(input: $input) {
    __typename
    ... on AllocateIdeaPayload {
      idea { status allocation { spawnedKind spawnedId allocatedBy { name } } }
    }
    ... on UserError { code field }
  }
}"""

IDEAS = """query ($status: IdeaStatus) {
  ideas(first: 10, status: $status) {
    edges { node {
      id headline status proposer { name }
      standing { reviewCount impact evidence feasibility overall }
      reviews { mine { impact comment } comments }
    } }
  }
}"""

CREATE_GOAL = """mutation ($input: CreateDevelopmentGoalInput!) {
  createDevelopmentGoal(input: $input) {
    __typename
    ... on DevelopmentGoalPayload {
      developmentGoal { id title sharing version plan { id kind status version } }
    }
    ... on UserError { code field }
  }
}"""

GOALS_OF = """query ($id: ID!) {
  person(id: $id) { developmentGoals { edges { node { id title person { name } } } } }
}"""

NODE = """query ($id: ID!) { node(id: $id) { id ... on DevelopmentGoal { title } } }"""


def idea_body(**overrides: Any) -> dict[str, Any]:
    return {
        "headline": "Pair rotation across teams",
        "problem": "Knowledge stays in silos.",
        "proposal": "Rotate one pair a month between teams.",
        "expectedImpact": "Fewer single points of failure.",
        "resources": {"timePersonDays": 4, "budgetAmount": "300", "budgetCurrency": "EUR"},
    } | overrides


def decoded(global_id_: str) -> str:
    return base64.b64decode(global_id_).decode().split(":")[0]


async def test_an_idea_is_proposed_reviewed_by_peers_and_allocated(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    cy, bob, ada = (tokens.person(f"{n}@example.com") for n in ("cy", "bob", "ada"))
    hr = tokens.person("hr@example.com")
    proposed = (await graphql(PROPOSE, {"input": idea_body()}, headers=cy))["data"]["proposeIdea"]
    idea_id = proposed["idea"]["id"]
    # Bob (Ada's report) scores it 1; Ada, his manager, and HR score it 5.
    reviews = [
        await graphql(
            REVIEW,
            {
                "input": {
                    "ideaId": idea_id,
                    "impact": impact,
                    "evidence": 3,
                    "feasibility": 4,
                    "comment": comment,
                }
            },
            headers=who,
        )
        for who, impact, comment in ((bob, 1, "Costly"), (ada, 5, "Yes"), (hr, 5, "Good"))
    ]
    own = await graphql(
        REVIEW,
        {
            "input": {
                "ideaId": idea_id,
                "impact": 5,
                "evidence": 5,
                "feasibility": 5,
                "comment": "Mine",
            }
        },
        headers=cy,
    )

    as_manager = await graphql(IDEAS, {"status": "UNDER_REVIEW"}, headers=ada)
    as_bob = await graphql(IDEAS, headers=bob)
    refused = await graphql(
        ALLOCATE, {"input": {"ideaId": idea_id, "granted": {"timePersonDays": 2}}}, headers=ada
    )
    allocated = await graphql(
        ALLOCATE,
        {
            "input": {
                "ideaId": idea_id,
                "granted": {"timePersonDays": 2},
                "objective": {
                    "cycleId": global_id("Cycle", okrs.cycle.id),
                    "title": "Rotate pairs",
                    "ownerId": global_id("Person", okrs.cy.id),
                },
            }
        },
        headers=hr,
    )

    assert proposed["__typename"] == "ProposeIdeaPayload"
    assert proposed["idea"]["resources"] == {"budgetAmount": "300.00", "budgetCurrency": "EUR"}
    assert [r["data"]["reviewIdea"]["__typename"] for r in reviews] == ["ReviewIdeaPayload"] * 3
    assert own["data"]["reviewIdea"] | {"field": None} == {
        "__typename": "ReviewIdeaError",
        "code": "own_idea",
        "field": None,
    }
    [seen] = [edge["node"] for edge in as_manager["data"]["ideas"]["edges"]]
    assert seen["proposer"] == {"name": "Cy"}
    assert seen["standing"] == {
        "reviewCount": 3,
        "impact": 3.67,
        "evidence": 3.0,
        "feasibility": 4.0,
        "overall": 3.56,
    }
    # Ada reads her own review whole, and only the comments of the others: never Bob's 1.
    assert seen["reviews"]["mine"] == {"impact": 5, "comment": "Yes"}
    assert sorted(seen["reviews"]["comments"]) == ["Costly", "Good", "Yes"]
    [for_bob] = [edge["node"] for edge in as_bob["data"]["ideas"]["edges"]]
    assert for_bob["reviews"]["mine"] == {"impact": 1, "comment": "Costly"}
    assert refused["data"]["allocateIdea"]["__typename"] == "AllocateIdeaError"
    assert refused["data"]["allocateIdea"]["code"] == "forbidden"
    result = allocated["data"]["allocateIdea"]
    assert result["idea"]["status"] == "ALLOCATED"
    allocation = result["idea"]["allocation"]
    assert (allocation["spawnedKind"], allocation["allocatedBy"]) == ("OBJECTIVE", {"name": "Hal"})
    assert decoded(allocation["spawnedId"]) == "Objective"
    objective = await graphql(
        "query ($id: ID!) { node(id: $id) { ... on Objective { title } } }",
        {"id": allocation["spawnedId"]},
        headers=cy,
    )
    assert objective["data"]["node"] == {"title": "Rotate pairs"}


async def test_a_bad_idea_or_review_is_a_typed_error(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    cy = tokens.person("cy@example.com")

    no_currency = await graphql(
        PROPOSE, {"input": idea_body(resources={"budgetAmount": "10"})}, headers=cy
    )
    bad_amount = await graphql(
        PROPOSE,
        {"input": idea_body(resources={"budgetAmount": "ten", "budgetCurrency": "EUR"})},
        headers=cy,
    )
    wrong_id = await graphql(
        REVIEW,
        {
            "input": {
                "ideaId": global_id("Cycle", okrs.cycle.id),
                "impact": 3,
                "evidence": 3,
                "feasibility": 3,
                "comment": "x",
            }
        },
        headers=cy,
    )

    assert no_currency["data"]["proposeIdea"]["__typename"] == "ProposeIdeaError"
    assert no_currency["data"]["proposeIdea"]["code"] == "validation_failed"
    assert bad_amount["data"]["proposeIdea"] | {"__typename": None} == {
        "__typename": None,
        "code": "invalid_amount",
        "field": ["input", "resources", "budgetAmount"],
    }
    assert wrong_id["data"]["reviewIdea"]["code"] == "wrong_id_type"


async def test_a_development_goal_is_null_to_whoever_may_not_read_it(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens, session: AsyncSession
) -> None:
    bob, ada, cy = (tokens.person(f"{n}@example.com") for n in ("bob", "ada", "cy"))
    skill = await people_rows.create_skill(session, name="Design reviews")
    await session.commit()
    body = {
        "title": "Lead a design review",
        "skillIds": [str(skill.id)],
        "plan": [{"kind": "MENTORING", "title": "With Ada"}],
    }
    created = (await graphql(CREATE_GOAL, {"input": body}, headers=bob))["data"]
    goal = created["createDevelopmentGoal"]["developmentGoal"]
    bobs = {"id": global_id("Person", okrs.bob.id)}

    as_manager = await graphql(GOALS_OF, bobs, headers=ada)
    as_outsider = await graphql(GOALS_OF, bobs, headers=cy)
    node_for_manager = await graphql(NODE, {"id": goal["id"]}, headers=ada)
    node_for_outsider = await graphql(NODE, {"id": goal["id"]}, headers=cy)
    node_for_hr = await graphql(NODE, {"id": goal["id"]}, headers=tokens.person("hr@example.com"))

    assert (goal["title"], goal["sharing"]) == ("Lead a design review", "PRIVATE")
    assert [(i["kind"], i["status"]) for i in goal["plan"]] == [("MENTORING", "PLANNED")]
    [edge] = as_manager["data"]["person"]["developmentGoals"]["edges"]
    assert edge["node"]["person"] == {"name": "Bob"}
    assert as_outsider["data"]["person"]["developmentGoals"]["edges"] == []
    assert node_for_manager["data"]["node"]["title"] == "Lead a design review"
    assert node_for_hr["data"]["node"]["title"] == "Lead a design review"
    assert node_for_outsider["data"]["node"] is None


async def test_the_person_plans_changes_shares_and_completes_their_goal(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    bob, ada, cy = (tokens.person(f"{n}@example.com") for n in ("bob", "ada", "cy"))
    body = {"title": "Write Rust", "plan": [{"kind": "COURSE", "title": "The book"}]}
    goal = (await graphql(CREATE_GOAL, {"input": body}, headers=bob))["data"][
        "createDevelopmentGoal"
    ]["developmentGoal"]
    item = goal["plan"][0]

    added = await graphql(
        """mutation ($input: AddPlanItemInput!) { addPlanItem(input: $input) {
          __typename ... on PlanItemPayload { item { kind title status } }
          ... on UserError { code } } }""",
        {
            "input": {
                "developmentGoalId": goal["id"],
                "kind": "STRETCH_ASSIGNMENT",
                "title": "Port a service",
            }
        },
        headers=bob,
    )
    done = await graphql(
        """mutation ($input: UpdatePlanItemInput!) { updatePlanItem(input: $input) {
          __typename ... on PlanItemPayload { item { status evidenceUrl version } }
          ... on UserError { code } } }""",
        {
            "input": {
                "itemId": item["id"],
                "version": item["version"],
                "status": "DONE",
                "evidenceUrl": "https://example.com/cert",
            }
        },
        headers=bob,
    )
    by_manager = await graphql(
        """mutation ($input: UpdateDevelopmentGoalInput!) { updateDevelopmentGoal(input: $input) {
          __typename ... on UserError { code } } }""",
        {"input": {"developmentGoalId": goal["id"], "version": goal["version"], "title": "X"}},
        headers=ada,
    )
    shared = await graphql(
        """mutation ($input: UpdateDevelopmentGoalInput!) { updateDevelopmentGoal(input: $input) {
          __typename ... on DevelopmentGoalPayload { developmentGoal { sharing version } }
          ... on UserError { code } } }""",
        {"input": {"developmentGoalId": goal["id"], "version": 3, "sharing": "ORGANISATION"}},
        headers=bob,
    )
    seen_by_cy = await graphql(NODE, {"id": goal["id"]}, headers=cy)
    completed = await graphql(
        """mutation ($input: CompleteDevelopmentGoalInput!) {
          completeDevelopmentGoal(input: $input) {
            __typename ... on DevelopmentGoalPayload { developmentGoal { status completionNote } }
            ... on UserError { code } } }""",
        {"input": {"developmentGoalId": goal["id"], "note": "Shipped it"}},
        headers=bob,
    )

    assert added["data"]["addPlanItem"]["item"] == {
        "kind": "STRETCH_ASSIGNMENT",
        "title": "Port a service",
        "status": "PLANNED",
    }
    assert done["data"]["updatePlanItem"]["item"] == {
        "status": "DONE",
        "evidenceUrl": "https://example.com/cert",
        "version": 2,
    }
    assert by_manager["data"]["updateDevelopmentGoal"] == {
        "__typename": "UpdateDevelopmentGoalError",
        "code": "forbidden",
    }
    assert shared["data"]["updateDevelopmentGoal"]["developmentGoal"]["sharing"] == "ORGANISATION"
    assert seen_by_cy["data"]["node"]["title"] == "Write Rust"
    assert completed["data"]["completeDevelopmentGoal"]["developmentGoal"] == {
        "status": "COMPLETED",
        "completionNote": "Shipped it",
    }
