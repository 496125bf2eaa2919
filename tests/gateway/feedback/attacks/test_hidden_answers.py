"""A requester whose request was answered for an audience without them, through the gateway:
the part reads as answered, its `answer` as null, and the words are in no answer, whichever
field, alias or id they take to reach them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.feedback.support import due_in
from tests.gateway.feedback.scene import Org
from tests.gateway.support import GraphQL

pytestmark = pytest.mark.e2e

WORDS = "only-rita-reads-these-words"

ASK = """mutation ($input: RequestFeedbackInput!) {
  requestFeedback(input: $input) { ... on RequestFeedbackPayload { feedbackRequest { id } } }
}"""

ANSWER = """mutation ($input: AnswerFeedbackRequestInput!) {
  answerFeedbackRequest(input: $input) { ... on AnswerFeedbackRequestPayload { feedback { id } } }
}"""

PARTS = "parts { status person { name } answer { id body replies { body } } }"

READS = f"""query ($request: ID!, $answer: ID!, $rita: ID!) {{
  feedbackRequest(id: $request) {{ {PARTS} }}
  asNode: node(id: $request) {{ ... on FeedbackRequest {{ {PARTS} }} }}
  asNodes: nodes(ids: [$request, $answer]) {{
    ... on FeedbackRequest {{ {PARTS} }}
    ... on Feedback {{ body }}
  }}
  viewer {{
    feedbackRequests(role: REQUESTER) {{ edges {{ node {{ {PARTS} }} }} }}
    feedbackGiven {{ edges {{ node {{ body }} }} }}
  }}
  feedback(id: $answer) {{ body }}
  again: node(id: $answer) {{ ... on Feedback {{ body }} }}
  rita: person(id: $rita) {{
    feedback {{ edges {{ node {{ body }} }} }}
    feedbackReceived {{ edges {{ node {{ body }} }} }}
  }}
}}"""


@pytest.fixture
async def answered(graphql: GraphQL, org: Org) -> dict[str, str]:
    """Mia asked Pete and Gina about Rita, her report; Pete answered for Rita alone."""
    values = {
        "subjectId": org.id("recipient"),
        "askedIds": [org.id("peer"), org.id("giver")],
        "topic": "The launch",
        "dueOn": due_in(10),
    }
    made = await graphql(ASK, {"input": values}, headers=org.headers("manager"))
    request_id = made["data"]["requestFeedback"]["feedbackRequest"]["id"]
    answer = {
        "feedbackRequestId": request_id,
        "kind": "SUGGESTION",
        "body": WORDS,
        "visibility": "PRIVATE",
    }
    given = await graphql(ANSWER, {"input": answer}, headers=org.headers("peer"))
    answer_id = given["data"]["answerFeedbackRequest"]["feedback"]["id"]
    return {"request": request_id, "answer": answer_id}


def statuses(request: dict[str, Any]) -> list[tuple[str, str, Any]]:
    return [(p["person"]["name"], p["status"], p["answer"]) for p in request["parts"]]


async def test_the_requester_reads_answered_and_never_the_words(
    graphql: GraphQL, org: Org, answered: dict[str, str]
) -> None:
    variables = {"request": answered["request"], "answer": answered["answer"]}

    body = await graphql(
        READS, variables | {"rita": org.id("recipient")}, headers=org.headers("manager")
    )

    assert "errors" not in body, body
    data = body["data"]
    expected = [("Pete", "ANSWERED", None), ("Gina", "OPEN", None)]
    assert statuses(data["feedbackRequest"]) == expected
    assert statuses(data["asNode"]) == expected
    assert statuses(data["asNodes"][0]) == expected
    assert data["asNodes"][1] is None
    assert [statuses(e["node"]) for e in data["viewer"]["feedbackRequests"]["edges"]] == [expected]
    assert (data["feedback"], data["again"]) == (None, None)
    assert data["rita"] == {"feedback": {"edges": []}, "feedbackReceived": {"edges": []}}
    assert WORDS not in str(body)


async def test_the_subject_reads_the_answer_in_the_same_fields(
    graphql: GraphQL, org: Org, answered: dict[str, str]
) -> None:
    variables = {"request": answered["request"], "answer": answered["answer"]}

    body = await graphql(
        READS, variables | {"rita": org.id("recipient")}, headers=org.headers("recipient")
    )

    assert "errors" not in body, body
    [pete, gina] = body["data"]["feedbackRequest"]["parts"]
    assert (pete["status"], pete["answer"]["body"]) == ("ANSWERED", WORDS)
    assert gina["answer"] is None
    assert body["data"]["feedback"] == {"body": WORDS}
