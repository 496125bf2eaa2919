"""Recognition of a learning through the gateway, over the real people, goals and feedback
services: an objective's lesson links to the objective as far as the reader may see it, an
experiment's by its id; never a score."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.goals.models import Objective
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL

pytestmark = pytest.mark.e2e

LEARNING = "learning { kind experimentId objective { title } }"

RECOGNIZE = f"""mutation ($input: RecognizeInput!) {{
  recognize(input: $input) {{
    __typename
    ... on RecognizePayload {{ recognition {{ id {LEARNING} }} }}
    ... on RecognizeError {{ code field message }}
  }}
}}"""

READ = f"""query ($id: ID!) {{
  recognition(id: $id) {{ {LEARNING} }}
  node(id: $id) {{ ... on Recognition {{ again: {LEARNING} }} }}
}}"""


async def recognize(
    graphql: GraphQL, org: Org, caller: str, recipient: str, learning: dict[str, str] | None
) -> dict[str, Any]:
    values: dict[str, Any] = {"recipientIds": [org.id(recipient)], "message": "We learnt a lot."}
    if learning is not None:
        values["learning"] = learning
    answer = await graphql(RECOGNIZE, {"input": values}, headers=org.headers(caller))
    assert "errors" not in answer, answer
    result: dict[str, Any] = answer["data"]["recognize"]
    return result


async def test_an_objectives_lesson_links_to_the_objective_as_far_as_one_may_see_it(
    graphql: GraphQL, org: Org, objectives: tuple[Objective, Objective]
) -> None:
    public, private = objectives
    # The recipient recognises the peer for what they learnt together on two of her objectives.
    made = [
        await recognize(
            graphql,
            org,
            "recipient",
            "peer",
            {"kind": "OBJECTIVE", "id": global_id("Objective", objective.id)},
        )
        for objective in (public, private)
    ]
    ids = [result["recognition"]["id"] for result in made]

    as_owner = [await graphql(READ, {"id": id_}, headers=org.headers("recipient")) for id_ in ids]
    as_peer = [await graphql(READ, {"id": id_}, headers=org.headers("peer")) for id_ in ids]

    assert made[0]["recognition"]["learning"] == {
        "kind": "OBJECTIVE",
        "experimentId": None,
        "objective": {"title": "Ship search"},
    }
    assert [a["data"]["recognition"]["learning"]["objective"] for a in as_owner] == [
        {"title": "Ship search"},
        {"title": "Grow as a lead"},
    ]
    # The peer reads the recognition (it is public) but not the private objective it names:
    # not even that it recognises an objective's lesson.
    assert [a["data"]["recognition"]["learning"] for a in as_peer] == [
        {"kind": "OBJECTIVE", "experimentId": None, "objective": {"title": "Ship search"}},
        None,
    ]
    assert [a["data"]["node"]["again"] for a in as_peer] == [
        a["data"]["recognition"]["learning"] for a in as_peer
    ]


async def test_an_experiments_lesson_is_named_by_its_id(graphql: GraphQL, org: Org) -> None:
    experiment = uuid.uuid4()

    made = await recognize(
        graphql, org, "giver", "peer", {"kind": "EXPERIMENT", "id": str(experiment)}
    )
    plain = await recognize(graphql, org, "giver", "peer", None)
    read = await graphql(READ, {"id": made["recognition"]["id"]}, headers=org.headers("outsider"))

    assert read["data"]["recognition"]["learning"] == {
        "kind": "EXPERIMENT",
        "experimentId": str(experiment),
        "objective": None,
    }
    assert plain["recognition"]["learning"] is None


@pytest.mark.parametrize(
    ("learning", "code", "field"),
    [
        ({"kind": "OBJECTIVE", "id": "nonsense"}, "invalid_id", ["input", "learning", "id"]),
        ({"kind": "EXPERIMENT", "id": "nonsense"}, "invalid_id", ["input", "learning", "id"]),
        (
            {"kind": "OBJECTIVE", "id": global_id("Person", uuid.uuid4())},
            "wrong_id_type",
            ["input", "learning", "id"],
        ),
    ],
)
async def test_a_malformed_learning_is_the_mutations_error(
    graphql: GraphQL, org: Org, learning: dict[str, str], code: str, field: list[str]
) -> None:
    result = await recognize(graphql, org, "giver", "peer", learning)

    assert (result["__typename"], result["code"], result["field"]) == (
        "RecognizeError",
        code,
        field,
    )
