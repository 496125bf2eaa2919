"""A requester whose request was answered for an audience without them: every read tells them the
part is answered, none gives them the answer's words, whichever path they take (the request,
lists and batch reads of requests, its answers, the feedback by id, lists, batch and grouped
reads of feedback)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.feedback.factories import Org, unknown_id
from tests.feedback.support import due_in

WORDS = "only-the-subject-reads-these-words"


@pytest.fixture
async def answered(client: httpx.AsyncClient, org: Org) -> dict[str, Any]:
    """The manager asked the peer and the giver about the recipient (their report); the peer
    answered for the recipient alone. The request and the answer."""
    made = await client.post(
        "/v1/feedback-requests",
        json={
            "subject_id": str(org.recipient.id),
            "asked_ids": [str(org.peer.id), str(org.giver.id)],
            "topic": "The launch",
            "due_on": due_in(10),
        },
        headers=org.headers("manager"),
    )
    assert made.status_code == 201, made.text
    answer = await client.post(
        f"/v1/feedback-requests/{made.json()['id']}/answers",
        json={"body": WORDS, "kind": "suggestion", "visibility": "private"},
        headers=org.headers("peer"),
    )
    assert answer.status_code == 201, answer.text
    return {"request": made.json(), "answer": answer.json()}


def answered_parts(request: dict[str, Any]) -> dict[str, str]:
    return {part["person_id"]: part["status"] for part in request["parts"]}


async def test_the_requester_sees_answered_and_never_the_words(
    client: httpx.AsyncClient, org: Org, answered: dict[str, Any]
) -> None:
    request_id, answer_id = answered["request"]["id"], answered["answer"]["id"]
    headers = org.headers("manager")

    one = await client.get(f"/v1/feedback-requests/{request_id}", headers=headers)
    listed = await client.get(
        "/v1/feedback-requests", params={"role": "requester"}, headers=headers
    )
    batch = await client.get("/v1/feedback-requests", params={"id": request_id}, headers=headers)
    answers = await client.get(f"/v1/feedback-requests/{request_id}/answers", headers=headers)

    expected = {str(org.peer.id): "answered", str(org.giver.id): "open"}
    assert answered_parts(one.json()) == expected
    assert [answered_parts(item) for item in listed.json()["items"]] == [expected]
    assert [answered_parts(item) for item in batch.json()["items"]] == [expected]
    [peer_part] = [p for p in one.json()["parts"] if p["person_id"] == str(org.peer.id)]
    assert peer_part["feedback_id"] == answer_id
    assert answers.json()["items"] == []
    for response in (one, listed, batch, answers):
        assert response.status_code == 200, response.text
        assert WORDS not in response.text


async def test_the_answer_itself_is_hidden_from_the_requester_on_every_feedback_read(
    client: httpx.AsyncClient, org: Org, answered: dict[str, Any]
) -> None:
    answer_id = answered["answer"]["id"]
    headers = org.headers("manager")

    by_id = await client.get(f"/v1/feedback/{answer_id}", headers=headers)
    unknown = await client.get(f"/v1/feedback/{unknown_id()}", headers=headers)
    reads = [
        await client.get(path, params=params, headers=headers)
        for path, params in [
            ("/v1/feedback", {"id": answer_id}),
            ("/v1/feedback", {}),
            ("/v1/feedback", {"recipient_id": str(org.recipient.id)}),
            ("/v1/feedback", {"giver_id": str(org.peer.id)}),
            ("/v1/feedback/by-person", {"person_id": str(org.recipient.id)}),
            ("/v1/feedback/by-person", {"person_id": str(org.peer.id), "role": "given"}),
        ]
    ]

    assert (by_id.status_code, by_id.json()["code"]) == (404, unknown.json()["code"])
    assert by_id.json()["detail"] == unknown.json()["detail"]
    for read in reads:
        assert read.status_code == 200, read.text
        assert WORDS not in read.text
        assert answer_id not in read.text


@pytest.mark.parametrize("reader", ["recipient", "peer"])
async def test_the_subject_and_the_answerer_read_the_words(
    client: httpx.AsyncClient, org: Org, answered: dict[str, Any], reader: str
) -> None:
    request_id = answered["request"]["id"]

    answers = await client.get(
        f"/v1/feedback-requests/{request_id}/answers", headers=org.headers(reader)
    )
    item = await client.get(f"/v1/feedback/{answered['answer']['id']}", headers=org.headers(reader))

    # The same reads as the requester's above, by those the answer's audience holds.
    assert WORDS in answers.text
    assert WORDS in item.text
