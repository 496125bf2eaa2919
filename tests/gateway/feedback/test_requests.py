"""Feedback requests through the gateway, over the real people and feedback services: asking,
the viewer's lists, answering and declining, who sees a request (its requester, subject and
those asked; nobody else), bad input as each mutation's error, and one request per service per
level."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.feedback.support import due_in
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL, Recorder

pytestmark = pytest.mark.e2e

REQUEST = (
    "id topic work dueOn version requester { name } subject { name } "
    "parts { status person { name } answer { body recipient { name } } }"
)

ASK = f"""mutation ($input: RequestFeedbackInput!) {{
  requestFeedback(input: $input) {{
    __typename
    ... on RequestFeedbackPayload {{ feedbackRequest {{ {REQUEST} }} }}
    ... on RequestFeedbackError {{ code field message }}
  }}
}}"""

ANSWER = f"""mutation ($input: AnswerFeedbackRequestInput!) {{
  answerFeedbackRequest(input: $input) {{
    __typename
    ... on AnswerFeedbackRequestPayload {{
      feedback {{ body kind giver {{ name }} recipient {{ name }} }}
      feedbackRequest {{ {REQUEST} }}
    }}
    ... on AnswerFeedbackRequestError {{ code field message }}
  }}
}}"""

DECLINE = f"""mutation ($input: DeclineFeedbackRequestInput!) {{
  declineFeedbackRequest(input: $input) {{
    __typename
    ... on DeclineFeedbackRequestPayload {{ feedbackRequest {{ {REQUEST} }} }}
    ... on DeclineFeedbackRequestError {{ code field message }}
  }}
}}"""

VIEWER = """query ($role: FeedbackRequestRole, $status: FeedbackRequestPartStatus) {
  viewer { feedbackRequests(role: $role, status: $status) { edges { node { id topic } } } }
}"""

BY_ID = """query ($id: ID!) {
  feedbackRequest(id: $id) { id topic }
  node(id: $id) { ... on FeedbackRequest { id } }
}"""


async def ask(graphql: GraphQL, org: Org, caller: str, **fields: Any) -> dict[str, Any]:
    values = {
        "askedIds": [org.id("peer"), org.id("giver")],
        "topic": "The launch demo",
        "dueOn": due_in(60),
    }
    answer = await graphql(ASK, {"input": values | fields}, headers=org.headers(caller))
    result: dict[str, Any] = answer["data"]["requestFeedback"]
    return result


async def asked(graphql: GraphQL, org: Org, caller: str = "recipient", **fields: Any) -> str:
    result = await ask(graphql, org, caller, **fields)
    assert result["__typename"] == "RequestFeedbackPayload", result
    request_id: str = result["feedbackRequest"]["id"]
    return request_id


async def answer_it(
    graphql: GraphQL, org: Org, caller: str, request_id: str, **fields: Any
) -> dict[str, Any]:
    values = {
        "feedbackRequestId": request_id,
        "kind": "PEER",
        "body": "The demo was clear.",
        "visibility": "PRIVATE",
    }
    answer = await graphql(ANSWER, {"input": values | fields}, headers=org.headers(caller))
    result: dict[str, Any] = answer["data"]["answerFeedbackRequest"]
    return result


async def decline(graphql: GraphQL, org: Org, caller: str, request_id: str) -> dict[str, Any]:
    answer = await graphql(
        DECLINE, {"input": {"feedbackRequestId": request_id}}, headers=org.headers(caller)
    )
    result: dict[str, Any] = answer["data"]["declineFeedbackRequest"]
    return result


async def viewers(graphql: GraphQL, org: Org, caller: str, **filters: str) -> list[str]:
    answer = await graphql(VIEWER, filters, headers=org.headers(caller))
    edges = answer["data"]["viewer"]["feedbackRequests"]["edges"]
    return [edge["node"]["id"] for edge in edges]


async def test_a_request_is_made_with_an_open_part_for_each_asked(
    graphql: GraphQL, org: Org
) -> None:
    result = await ask(graphql, org, "recipient", work="https://example.com/demo")

    request = result["feedbackRequest"]
    assert request | {"id": None} == {
        "id": None,
        "topic": "The launch demo",
        "work": "https://example.com/demo",
        "dueOn": due_in(60),
        "version": 1,
        "requester": {"name": "Rita"},
        "subject": {"name": "Rita"},
        "parts": [
            {"status": "OPEN", "person": {"name": "Pete"}, "answer": None},
            {"status": "OPEN", "person": {"name": "Gina"}, "answer": None},
        ],
    }


async def test_a_manager_asks_about_a_report_only(graphql: GraphQL, org: Org) -> None:
    about_report = await ask(graphql, org, "manager", subjectId=org.id("recipient"))
    about_other = await ask(graphql, org, "manager", subjectId=org.id("giver"))

    assert about_report["feedbackRequest"]["subject"] == {"name": "Rita"}
    assert (about_other["__typename"], about_other["code"]) == (
        "RequestFeedbackError",
        "not_your_report",
    )


async def test_answering_closes_the_part_with_a_feedback_to_the_subject(
    graphql: GraphQL, org: Org
) -> None:
    request_id = await asked(graphql, org)

    answered = await answer_it(graphql, org, "peer", request_id)
    again = await answer_it(graphql, org, "peer", request_id)

    assert answered["feedback"] == {
        "body": "The demo was clear.",
        "kind": "PEER",
        "giver": {"name": "Pete"},
        "recipient": {"name": "Rita"},
    }
    # An asked person sees their own part, with their answer.
    assert answered["feedbackRequest"]["parts"] == [
        {
            "status": "ANSWERED",
            "person": {"name": "Pete"},
            "answer": {"body": "The demo was clear.", "recipient": {"name": "Rita"}},
        }
    ]
    assert (again["__typename"], again["code"]) == (
        "AnswerFeedbackRequestError",
        "request_part_closed",
    )


async def test_declining_closes_the_part_without_an_answer(graphql: GraphQL, org: Org) -> None:
    request_id = await asked(graphql, org)

    declined = await decline(graphql, org, "giver", request_id)
    answered = await answer_it(graphql, org, "giver", request_id)

    assert declined["feedbackRequest"]["parts"] == [
        {"status": "DECLINED", "person": {"name": "Gina"}, "answer": None}
    ]
    assert answered["code"] == "request_part_closed"


async def test_the_viewer_lists_what_they_made_and_what_waits_for_them(
    graphql: GraphQL, org: Org
) -> None:
    first = await asked(graphql, org)
    second = await asked(graphql, org, topic="The retro")
    await decline(graphql, org, "peer", second)

    assert await viewers(graphql, org, "recipient") == [first, second]
    assert await viewers(graphql, org, "recipient", role="REQUESTER") == [first, second]
    assert await viewers(graphql, org, "peer", role="ASKED", status="OPEN") == [first]
    assert await viewers(graphql, org, "giver", role="ASKED", status="OPEN") == [first, second]
    assert await viewers(graphql, org, "outsider") == []


@pytest.mark.parametrize("caller", ["outsider", "skip", "hr", "integration"])
async def test_outsiders_see_no_request(graphql: GraphQL, org: Org, caller: str) -> None:
    request_id = await asked(graphql, org)

    found = await graphql(BY_ID, {"id": request_id}, headers=org.headers(caller))
    of_someone = await graphql(
        "query ($id: ID!) { person(id: $id) { feedbackRequests { edges { node { id } } } } }",
        {"id": org.id("recipient")},
        headers=org.headers(caller),
    )
    answered = await answer_it(graphql, org, "outsider", request_id)

    assert found["data"] == {"feedbackRequest": None, "node": None}
    # (An integration reads no people at all.)
    assert (of_someone["data"]["person"] or {}).get("feedbackRequests") is None
    assert (answered["code"], answered["field"]) == ("feedback_request_not_found", None)


@pytest.mark.parametrize("caller", ["recipient", "peer", "giver"])
async def test_those_taking_part_see_it_by_id(graphql: GraphQL, org: Org, caller: str) -> None:
    request_id = await asked(graphql, org)

    found = await graphql(BY_ID, {"id": request_id}, headers=org.headers(caller))

    assert found["data"] == {
        "feedbackRequest": {"id": request_id, "topic": "The launch demo"},
        "node": {"id": request_id},
    }


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"askedIds": ["nonsense"]}, "invalid_id", ["input", "askedIds", "0"]),
        ({"askedIds": [global_id("Feedback", uuid.uuid4())]}, "wrong_id_type", None),
        ({"subjectId": "nonsense"}, "invalid_id", ["input", "subjectId"]),
        ({"objectiveId": "nonsense"}, "invalid_id", ["input", "objectiveId"]),
        ({"askedIds": []}, "validation_failed", ["input", "askedIds"]),
        ({"topic": "   "}, "validation_failed", ["input", "topic"]),
    ],
)
async def test_each_bad_request_is_the_mutations_error(
    graphql: GraphQL, org: Org, fields: dict[str, Any], code: str, field: list[str] | None
) -> None:
    result = await ask(graphql, org, "recipient", **fields)

    assert result["__typename"] == "RequestFeedbackError"
    assert result["code"] == code
    if field is not None:
        assert result["field"] == field


async def test_asking_oneself_is_refused(graphql: GraphQL, org: Org) -> None:
    result = await ask(graphql, org, "recipient", askedIds=[org.id("recipient")])

    assert (result["code"], result["field"]) == ("asked_self", ["input", "askedIds"])


async def test_a_bad_answer_is_the_mutations_error(graphql: GraphQL, org: Org) -> None:
    request_id = await asked(graphql, org)

    bad_id = await answer_it(graphql, org, "peer", "nonsense")
    empty = await answer_it(graphql, org, "peer", request_id, body="  ")
    declined = await decline(graphql, org, "peer", global_id("Feedback", uuid.uuid4()))

    assert (bad_id["code"], bad_id["field"]) == ("invalid_id", ["input", "feedbackRequestId"])
    assert (empty["code"], empty["field"]) == ("validation_failed", ["input", "body"])
    assert (declined["__typename"], declined["code"]) == (
        "DeclineFeedbackRequestError",
        "wrong_id_type",
    )


async def test_one_request_per_service_per_level(
    graphql: GraphQL, org: Org, recorder: Recorder
) -> None:
    first = await asked(graphql, org)
    second = await asked(graphql, org, topic="The retro")
    await answer_it(graphql, org, "peer", first)
    await answer_it(graphql, org, "giver", second)
    recorder.clear()

    answer = await graphql(
        """{ viewer { feedbackRequests { edges { node {
          requester { name } subject { name }
          parts { person { name } answer { body giver { name } } }
        } } } } }""",
        headers=org.headers("recipient"),
    )

    assert len(answer["data"]["viewer"]["feedbackRequests"]["edges"]) == 2
    assert recorder.paths("feedback") == ["/v1/feedback-requests", "/v1/feedback"]
    # The viewer, then those asked at the parts' level, in one read (the viewer is known, and
    # so are the answers' givers by then).
    assert recorder.paths("people") == ["/v1/people/me", "/v1/people"]


MOVE = f"""mutation ($input: ChangeFeedbackRequestDueDateInput!) {{
  changeFeedbackRequestDueDate(input: $input) {{
    __typename
    ... on ChangeFeedbackRequestDueDatePayload {{ feedbackRequest {{ {REQUEST} }} }}
    ... on ChangeFeedbackRequestDueDateError {{ code field message }}
  }}
}}"""


async def move(
    graphql: GraphQL, org: Org, caller: str, request_id: str, **fields: Any
) -> dict[str, Any]:
    values = {"feedbackRequestId": request_id, "version": 1, "dueOn": due_in(90)}
    answer = await graphql(MOVE, {"input": values | fields}, headers=org.headers(caller))
    assert "errors" not in answer, answer
    result: dict[str, Any] = answer["data"]["changeFeedbackRequestDueDate"]
    return result


async def test_the_requester_moves_the_due_date_at_the_version_read(
    graphql: GraphQL, org: Org
) -> None:
    request_id = await asked(graphql, org, "manager", subjectId=org.id("recipient"))

    by_subject = await move(graphql, org, "recipient", request_id)
    by_asked = await move(graphql, org, "peer", request_id)
    by_outsider = await move(graphql, org, "outsider", request_id)
    moved = await move(graphql, org, "manager", request_id)
    stale = await move(graphql, org, "manager", request_id, dueOn=due_in(30))
    read = await graphql(BY_ID, {"id": request_id}, headers=org.headers("manager"))

    assert moved["__typename"] == "ChangeFeedbackRequestDueDatePayload", moved
    assert (moved["feedbackRequest"]["dueOn"], moved["feedbackRequest"]["version"]) == (
        due_in(90),
        2,
    )
    assert [by_subject["code"], by_asked["code"]] == ["forbidden", "forbidden"]
    assert by_outsider["code"] == "feedback_request_not_found"
    assert (stale["__typename"], stale["code"]) == (
        "ChangeFeedbackRequestDueDateError",
        "stale_version",
    )
    assert read["data"]["feedbackRequest"]["id"] == request_id


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"dueOn": due_in(-1)}, "due_date_past", ["input", "dueOn"]),
        ({"dueOn": "0001-01-01"}, "due_date_past", ["input", "dueOn"]),
        ({"dueOn": due_in(800)}, "due_date_too_far", ["input", "dueOn"]),
        ({"feedbackRequestId": "nonsense"}, "invalid_id", ["input", "feedbackRequestId"]),
        (
            {"feedbackRequestId": global_id("FeedbackRequest", uuid.uuid4())},
            "feedback_request_not_found",
            None,
        ),
    ],
)
async def test_each_bad_move_is_the_mutations_error(
    graphql: GraphQL, org: Org, fields: dict[str, Any], code: str, field: list[str] | None
) -> None:
    request_id = await asked(graphql, org)

    result = await move(graphql, org, "recipient", request_id, **fields)

    assert (result["__typename"], result["code"], result["field"]) == (
        "ChangeFeedbackRequestDueDateError",
        code,
        field,
    )


async def test_someone_asked_twice_is_the_requests_error(graphql: GraphQL, org: Org) -> None:
    twice = [org.id("peer"), org.id("giver"), org.id("peer")]

    result = await ask(graphql, org, "recipient", askedIds=twice)

    assert (result["__typename"], result["code"], result["field"]) == (
        "RequestFeedbackError",
        "asked_twice",
        ["input", "askedIds", "2"],
    )
