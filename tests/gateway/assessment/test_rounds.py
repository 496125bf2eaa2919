"""Answering through the graph: the viewer's open rounds with their own part and the questions
in their language, batched; saving and submitting (`answerRound`), refusals as typed errors."""

from __future__ import annotations

import uuid

import pytest

from tests.gateway.assessment.scene import Org, global_id, raw_id
from tests.gateway.support import GraphQL, Recorder, codes

pytestmark = pytest.mark.e2e

OPEN_ROUNDS = """{
  viewer {
    openRounds {
      edges { node { id name status
        myResponse { status mode answers { questionId value } }
        instrument { key name language { requested served fallback }
                     questions { id kind text } } } }
    }
  }
}"""

ANSWER = """mutation ($input: AnswerRoundInput!) {
  answerRound(input: $input) {
    __typename
    ... on AnswerRoundPayload { myResponse { status answers { value } } }
    ... on AnswerRoundError { code field }
  }
}"""


async def test_open_rounds_come_with_my_part_and_swedish_questions_in_one_request_per_level(
    graphql: GraphQL, org: Org, recorder: Recorder
) -> None:
    first = await org.open_round("Spring")
    second = await org.open_round("Autumn")
    recorder.clear()

    body = await graphql(OPEN_ROUNDS, headers=org.headers(org.big_members[0]))

    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["viewer"]["openRounds"]["edges"]]
    assert [(n["id"], n["name"], n["status"]) for n in nodes] == [
        (global_id("AssessmentRound", first), "Spring", "OPEN"),
        (global_id("AssessmentRound", second), "Autumn", "OPEN"),
    ]
    assert all(
        n["myResponse"] == {"status": "INVITED", "mode": "ANONYMOUS", "answers": []} for n in nodes
    )
    instrument = nodes[0]["instrument"]
    assert instrument["key"] == "maturity"
    assert instrument["name"] == "Organisatorisk mognad"
    assert instrument["language"] == {"requested": "sv-se", "served": "sv", "fallback": False}
    assessment = sorted(s.path for s in recorder.sent if s.service == "assessment")
    assert assessment == ["/v1/instruments", "/v1/my-responses", "/v1/rounds"]
    by_round = next(s for s in recorder.sent if s.path == "/v1/my-responses")
    assert sorted(uuid.UUID(v) for _, v in by_round.params) == sorted(
        uuid.UUID(r) for r in (first, second)
    )


async def test_a_person_saves_then_submits_and_submitted_answers_are_final(
    graphql: GraphQL, org: Org
) -> None:
    round_id = await org.open_round("Spring")
    member = org.big_members[0]
    rounds = await graphql(OPEN_ROUNDS, headers=org.headers(member))
    node = rounds["data"]["viewer"]["openRounds"]["edges"][0]["node"]
    rating = [q["id"] for q in node["instrument"]["questions"] if q["kind"] == "RATING"]
    answers = [{"questionId": q, "value": 3} for q in rating]
    round_gid = global_id("AssessmentRound", round_id)

    saved = await graphql(
        ANSWER,
        {"input": {"roundId": round_gid, "answers": answers[:2]}},
        headers=org.headers(member),
    )
    incomplete = await graphql(
        ANSWER, {"input": {"roundId": round_gid, "submit": True}}, headers=org.headers(member)
    )
    submitted = await graphql(
        ANSWER,
        {
            "input": {
                "roundId": round_gid,
                "answers": answers,
                "submit": True,
                "idempotencyKey": "answer-spring-1",
            }
        },
        headers=org.headers(member),
    )
    again = await graphql(
        ANSWER, {"input": {"roundId": round_gid, "answers": answers}}, headers=org.headers(member)
    )

    assert saved["data"]["answerRound"] == {
        "__typename": "AnswerRoundPayload",
        "myResponse": {"status": "SAVED", "answers": [{"value": 3}, {"value": 3}]},
    }
    assert incomplete["data"]["answerRound"]["code"] == "answers_incomplete"
    # Once submitted, an anonymous round shows no answers: nothing links them to the person.
    assert submitted["data"]["answerRound"] == {
        "__typename": "AnswerRoundPayload",
        "myResponse": {"status": "SUBMITTED", "answers": []},
    }
    assert again["data"]["answerRound"]["code"] == "already_submitted"
    participation = await org.rest("GET", f"/v1/rounds/{round_id}/participation", org.hr)
    assert (participation["submitted"], raw_id(round_gid)) == (1, uuid.UUID(round_id))


async def test_people_not_asked_and_malformed_ids_get_typed_errors(
    graphql: GraphQL, org: Org
) -> None:
    round_id = await org.open_round("Spring")
    round_gid = global_id("AssessmentRound", round_id)
    # Created after the round opened: not in its audience.
    integration = org.tokens.integration("assessment:read")

    not_asked = await graphql(
        ANSWER, {"input": {"roundId": round_gid, "submit": True}}, headers=integration
    )
    wrong_id = await graphql(
        ANSWER,
        {"input": {"roundId": global_id("Team", org.big.id), "submit": True}},
        headers=org.headers(org.outsider),
    )
    nothing = await graphql(
        ANSWER, {"input": {"roundId": round_gid}}, headers=org.headers(org.outsider)
    )
    integration_rounds = await graphql(OPEN_ROUNDS, headers=integration)

    assert not_asked["data"]["answerRound"]["__typename"] == "AnswerRoundError"
    assert wrong_id["data"]["answerRound"] == {
        "__typename": "AnswerRoundError",
        "code": "wrong_id_type",
        "field": ["input", "roundId"],
    }
    assert nothing["data"]["answerRound"]["code"] == "nothing_to_do"
    assert integration_rounds["data"] is None or integration_rounds["data"]["viewer"] is None
    assert codes(integration_rounds)
