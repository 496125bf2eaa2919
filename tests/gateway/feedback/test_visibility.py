"""Who sees which feedback and which reply through the gateway, over the real people and
feedback services: `node`, `nodes`, aliases, `feedback(id)`, people's lists and the viewer's,
after the recipient's manager changed. The scene is this folder's conftest's."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from kit.db import Database
from kit.orgcopy import OrgPerson
from tests.gateway.feedback.operations import given, reply
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL, Recorder

pytestmark = pytest.mark.e2e

CALLERS = [
    "giver",
    "recipient",
    "manager",  # the recipient's manager when the feedback was given
    "skip",
    "newcomer",  # the recipient's manager now
    "peer",
    "hr",
    "integration",
    "outsider",
]
AUDIENCE = {
    "PRIVATE": {"giver", "recipient"},
    "MANAGER": {"giver", "recipient", "manager", "skip"},
    "PUBLIC": set(CALLERS),
}
THREAD = ["Thanks!", "Glad it helped."]

BY_ID = """query ($id: ID!, $ids: [ID!]!) {
  node(id: $id) { ... on Feedback { id replies { body } } }
  nodes(ids: $ids) { ... on Feedback { id replies { body } } }
  first: feedback(id: $id) { id body }
  again: node(id: $id) { id }
}"""

OF_PEOPLE = """query ($recipient: ID!, $giver: ID!) {
  recipient: person(id: $recipient) {
    feedback { edges { node { id replies { body } } } }
    feedbackReceived { edges { node { id } } }
  }
  giver: person(id: $giver) { feedbackGiven { edges { node { id } } } }
}"""

VIEWER = """{ viewer {
  feedbackReceived { edges { node { id replies { body } } } }
  feedbackGiven { edges { node { id } } }
} }"""


async def move_recipient(feedback_db: Database, org: Org) -> None:
    """HR (or an HRIS) gives the recipient a new manager; the people feed brings it into the
    feedback service's org copy."""
    async with feedback_db.sessionmaker() as session:
        await session.exec(
            update(OrgPerson)
            .where(OrgPerson.id == org.recipient.id)  # type: ignore[arg-type]  # SQLModel column
            .values(manager_id=org.newcomer.id)
        )
        await session.commit()


@pytest.fixture
async def items(
    graphql: GraphQL, org: Org, feedback_db: Database, recorder: Recorder
) -> dict[str, str]:
    """One item of each visibility from the giver to the recipient, each with a reply from the
    recipient and one from the giver; then the recipient moves to the newcomer."""
    made = {}
    for visibility in AUDIENCE:
        item = await given(graphql, org, "giver", visibility=visibility)
        for caller, text in zip(["recipient", "giver"], THREAD, strict=True):
            answer = await reply(graphql, org, caller, item["id"], text)
            assert answer["__typename"] == "ReplyToFeedbackPayload", answer
        made[visibility] = item["id"]
    await move_recipient(feedback_db, org)
    recorder.clear()
    return made


def ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


@pytest.mark.parametrize("visibility", list(AUDIENCE))
@pytest.mark.parametrize("caller", CALLERS)
async def test_node_nodes_and_aliases_show_feedback_to_its_audience_only(
    graphql: GraphQL, org: Org, items: dict[str, str], caller: str, visibility: str
) -> None:
    item = items[visibility]
    unknown = global_id("Feedback", org.outsider.id)

    answer = await graphql(BY_ID, {"id": item, "ids": [item, unknown]}, headers=org.headers(caller))

    assert "errors" not in answer, answer
    data = answer["data"]
    if caller in AUDIENCE[visibility]:
        assert data["node"] == {"id": item, "replies": [{"body": text} for text in THREAD]}
        assert data["nodes"] == [data["node"], None]
        assert data["first"]["id"] == data["again"]["id"] == item
    else:
        # Exactly what an unknown id answers.
        assert data == {"node": None, "nodes": [None, None], "first": None, "again": None}


@pytest.mark.parametrize("caller", [c for c in CALLERS if c != "integration"])
async def test_peoples_lists_hold_what_the_caller_may_see(
    graphql: GraphQL, org: Org, items: dict[str, str], caller: str
) -> None:
    answer = await graphql(
        OF_PEOPLE,
        {"recipient": org.id("recipient"), "giver": org.id("giver")},
        headers=org.headers(caller),
    )

    assert "errors" not in answer, answer
    seen = [items[v] for v in AUDIENCE if caller in AUDIENCE[v]]
    recipient = answer["data"]["recipient"]
    assert ids(recipient["feedback"]) == seen
    assert ids(recipient["feedbackReceived"]) == seen
    assert ids(answer["data"]["giver"]["feedbackGiven"]) == seen
    replies = [[r["body"] for r in e["node"]["replies"]] for e in recipient["feedback"]["edges"]]
    assert replies == [THREAD] * len(seen)


async def test_the_viewer_reads_what_they_received_and_gave(
    graphql: GraphQL, org: Org, items: dict[str, str], recorder: Recorder
) -> None:
    as_recipient = await graphql(VIEWER, headers=org.headers("recipient"))
    as_giver = await graphql(VIEWER, headers=org.headers("giver"))

    everything = list(items.values())
    assert ids(as_recipient["data"]["viewer"]["feedbackReceived"]) == everything
    assert ids(as_recipient["data"]["viewer"]["feedbackGiven"]) == []
    assert ids(as_giver["data"]["viewer"]["feedbackGiven"]) == everything
    # One grouped read per list of each operation.
    assert recorder.paths("feedback") == ["/v1/feedback/by-person"] * 4


async def test_new_feedback_reaches_the_manager_of_the_day(
    graphql: GraphQL, org: Org, items: dict[str, str]
) -> None:
    later = await given(graphql, org, "peer", visibility="MANAGER")

    as_new = await graphql(
        BY_ID, {"id": later["id"], "ids": [items["MANAGER"]]}, headers=org.headers("newcomer")
    )
    as_old = await graphql(
        BY_ID, {"id": later["id"], "ids": [items["MANAGER"]]}, headers=org.headers("manager")
    )

    assert as_new["data"]["node"]["id"] == later["id"]
    assert as_new["data"]["nodes"] == [None]
    assert as_old["data"]["node"] is None
    assert as_old["data"]["nodes"][0]["id"] == items["MANAGER"]


PEOPLE = """{ people(first: 20) { edges { node {
  name
  feedbackReceived(first: 5) { edges { node { id } } }
  alias: feedbackReceived(first: 5) { edges { node { id } } }
} } } }"""


async def test_a_level_of_people_costs_one_grouped_read(
    graphql: GraphQL, org: Org, items: dict[str, str], recorder: Recorder
) -> None:
    answer = await graphql(PEOPLE, headers=org.headers("manager"))

    received = {
        edge["node"]["name"]: ids(edge["node"]["feedbackReceived"])
        for edge in answer["data"]["people"]["edges"]
    }
    assert received["Rita"] == [items["MANAGER"], items["PUBLIC"]]
    assert {name: seen for name, seen in received.items() if seen} == {"Rita": received["Rita"]}
    assert recorder.paths("feedback") == ["/v1/feedback/by-person"]
