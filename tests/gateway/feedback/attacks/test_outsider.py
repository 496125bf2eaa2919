"""What an outsider tries through the gateway: a hidden feedback answers as a missing one in
every mutation and read, ids of the wrong type are refused, and no error echoes the words."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest

from tests.gateway.feedback.operations import NARROW, given, reply
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL

pytestmark = pytest.mark.e2e

WORDS = "the-words-only-rita-should-read"


async def narrow(graphql: GraphQL, org: Org, caller: str, feedback_id: str) -> dict[str, Any]:
    values = {"feedbackId": feedback_id, "version": 1, "visibility": "PRIVATE"}
    answer = await graphql(NARROW, {"input": values}, headers=org.headers(caller))
    result: dict[str, Any] = answer["data"]["narrowFeedbackVisibility"]
    return result


async def test_hidden_feedback_answers_as_missing_feedback(graphql: GraphQL, org: Org) -> None:
    hidden = (await given(graphql, org, "giver", visibility="PRIVATE"))["id"]
    missing = global_id("Feedback", uuid.uuid4())

    replies = [await reply(graphql, org, "manager", id_, "Hello?") for id_ in (hidden, missing)]
    narrowings = [await narrow(graphql, org, "manager", id_) for id_ in (hidden, missing)]
    reads = [
        await graphql(
            "query ($id: ID!) { feedback(id: $id) { id } node(id: $id) { id } }",
            {"id": id_},
            headers=org.headers("manager"),
        )
        for id_ in (hidden, missing)
    ]

    assert replies[0] == replies[1]
    assert replies[0]["code"] == "feedback_not_found"
    assert narrowings[0] == narrowings[1]
    assert reads[0] == reads[1] == {"data": {"feedback": None, "node": None}}


@pytest.mark.parametrize("type_name", ["Person", "Objective", "Nonsense"])
async def test_an_id_of_another_type_is_refused_not_followed(
    graphql: GraphQL, org: Org, type_name: str
) -> None:
    feedback = await given(graphql, org, "giver", visibility="PRIVATE")
    raw = base64.b64decode(feedback["id"]).decode().split(":", 1)[1]
    wrong = global_id(type_name, uuid.UUID(raw))

    answered = await reply(graphql, org, "recipient", wrong, "Thanks!")
    read = await graphql(
        "query ($id: ID!) { feedback(id: $id) { id } }", {"id": wrong}, headers=org.headers("peer")
    )

    assert answered["__typename"] == "ReplyToFeedbackError"
    assert answered["code"] in ("wrong_id_type", "invalid_id")
    assert read.get("data") in (None, {"feedback": None})
    assert all("nternal" not in error["message"] for error in read.get("errors", []))


@pytest.mark.parametrize("body", [WORDS * 200, "   "])
async def test_a_refused_reply_does_not_echo_its_words(
    graphql: GraphQL, org: Org, body: str
) -> None:
    feedback = await given(graphql, org, "giver", visibility="PRIVATE")

    answered = await reply(graphql, org, "recipient", feedback["id"], body)

    assert answered["__typename"] == "ReplyToFeedbackError"
    assert WORDS not in str(answered)
