"""Feedback requests as their callers see them: who may ask about whom, who sees a request and
which parts, answering through the core's feedback, declining, the subject reading answers."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.models import Feedback
from services.feedback.requests.models import FeedbackRequest
from tests.factories import count_rows
from tests.feedback.factories import Org, create_person, unknown_id
from tests.feedback.requests.support import answer, ask, new_request
from tests.feedback.support import due_in
from tests.support import Outbox, Statements


def ids(response: httpx.Response) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


# --- Asking ----------------------------------------------------------------------------------


async def test_a_manager_asks_about_a_direct_report(
    client: httpx.AsyncClient, outbox: Outbox, org: Org
) -> None:
    body = new_request(
        org.peer.id,
        org.giver.id,
        subject_id=str(org.recipient.id),
        work="Q1 planning deck",
    )

    response = await client.post("/v1/feedback-requests", json=body, headers=org.headers("manager"))

    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/v1/feedback-requests/{created['id']}"
    assert created["requester_id"] == str(org.manager.id)
    assert created["subject_id"] == str(org.recipient.id)
    assert created["due_on"] == due_in(17)
    assert sorted(part["person_id"] for part in created["parts"]) == sorted(
        [str(org.peer.id), str(org.giver.id)]
    )
    assert {part["status"] for part in created["parts"]} == {"open"}
    [(type_, payload)] = await outbox.events()
    assert type_ == "feedback.requested"
    assert payload["id"] == created["id"]
    assert sorted(payload["asked_ids"]) == sorted([str(org.peer.id), str(org.giver.id)])
    assert "planning" not in json.dumps(payload).lower()


async def test_a_person_asks_about_themselves_by_default(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.post(
        "/v1/feedback-requests", json=new_request(org.peer.id), headers=org.headers("giver")
    )

    assert response.status_code == 201
    assert response.json()["subject_id"] == str(org.giver.id)


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("recipient", 201),
        ("manager", 201),
        ("skip_level", 403),
        ("peer", 403),
        ("hr_admin", 403),
        ("integration", 403),
    ],
)
async def test_only_the_subject_and_their_manager_ask_about_them(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, caller: str, status: int
) -> None:
    body = new_request(org.giver.id, subject_id=str(org.recipient.id))

    response = await client.post("/v1/feedback-requests", json=body, headers=org.headers(caller))

    assert response.status_code == status, response.text
    assert await count_rows(session, FeedbackRequest) == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("asked", "status", "code"),
    [
        ("recipient", 409, "asked_self"),
        ("manager", 409, "asked_self"),
        ("unknown", 422, "unknown_person"),
        ("inactive", 409, "person_inactive"),
    ],
)
async def test_the_people_asked_are_others_known_and_active(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    asked: str,
    status: int,
    code: str,
) -> None:
    people = {
        "recipient": org.recipient.id,
        "manager": org.manager.id,
        "unknown": unknown_id(),
        "inactive": (await create_person(session, active=False)).id,
    }
    body = new_request(people[asked], subject_id=str(org.recipient.id))

    response = await client.post("/v1/feedback-requests", json=body, headers=org.headers("manager"))

    assert response.status_code == status
    assert response.json()["code"] == code
    assert await count_rows(session, FeedbackRequest) == 0


async def test_bad_fields_are_422(client: httpx.AsyncClient, org: Org) -> None:
    body = {"asked_ids": [], "topic": " ", "due_on": 20261218, "extra": 1}

    response = await client.post("/v1/feedback-requests", json=body, headers=org.headers("giver"))

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"body.asked_ids", "body.topic", "body.due_on", "body.extra"}


async def test_a_retried_request_is_replayed_not_repeated(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    headers = org.headers("giver") | {"Idempotency-Key": "ask-peer-1"}

    first = await client.post(
        "/v1/feedback-requests", json=new_request(org.peer.id), headers=headers
    )
    again = await client.post(
        "/v1/feedback-requests", json=new_request(org.peer.id), headers=headers
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_rows(session, FeedbackRequest) == 1


# --- Who sees a request ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "status", "parts"),
    [
        ("manager", 200, 2),  # the requester
        ("recipient", 200, 2),  # the subject
        ("peer", 200, 1),  # asked: their own part only
        ("skip_level", 404, 0),
        ("giver_manager", 404, 0),
        ("hr_admin", 404, 0),
        ("integration", 403, 0),
        ("service", 403, 0),
    ],
)
async def test_a_request_is_seen_by_those_taking_part_only(
    client: httpx.AsyncClient, org: Org, caller: str, status: int, parts: int
) -> None:
    request = await ask(client, org)
    headers = org.headers(caller)

    single = await client.get(f"/v1/feedback-requests/{request['id']}", headers=headers)
    listed = await client.get("/v1/feedback-requests", headers=headers)
    batch = await client.get("/v1/feedback-requests", params={"id": request["id"]}, headers=headers)
    answers = await client.get(f"/v1/feedback-requests/{request['id']}/answers", headers=headers)

    assert single.status_code == status
    assert answers.status_code == status
    if status == 200:
        assert len(single.json()["parts"]) == parts
        assert single.headers["etag"] == '"1"'
        assert ids(listed) == ids(batch) == [request["id"]]
    elif status == 404:
        assert single.json()["code"] == "feedback_request_not_found"
        assert ids(listed) == ids(batch) == []
    else:
        assert listed.status_code == batch.status_code == 403


async def test_an_unknown_request_is_404_like_a_hidden_one(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.get(
        f"/v1/feedback-requests/{unknown_id()}", headers=org.headers("peer")
    )

    assert response.status_code == 404
    assert response.json()["code"] == "feedback_request_not_found"


async def test_lists_are_filtered_by_role_and_own_status(
    client: httpx.AsyncClient, org: Org
) -> None:
    about_recipient = await ask(client, org)
    own = await ask(client, org, "peer", subject_id=str(org.peer.id), asked_ids=[str(org.giver.id)])
    await client.post(
        f"/v1/feedback-requests/{about_recipient['id']}/decline", headers=org.headers("giver")
    )

    def listed(caller: str, **params: str) -> Any:
        return client.get("/v1/feedback-requests", params=params, headers=org.headers(caller))

    assert ids(await listed("peer", role="asked")) == [about_recipient["id"]]
    assert ids(await listed("peer", role="requester")) == [own["id"]]
    assert ids(await listed("peer", role="subject")) == [own["id"]]
    assert ids(await listed("recipient", role="subject")) == [about_recipient["id"]]
    assert ids(await listed("giver", role="asked", status="open")) == [own["id"]]
    assert ids(await listed("giver", status="declined")) == [about_recipient["id"]]
    assert (await listed("giver", role="boss")).status_code == 422


async def test_pages_neither_skip_nor_repeat(client: httpx.AsyncClient, org: Org) -> None:
    made = [(await ask(client, org))["id"] for _ in range(3)]

    first = await client.get(
        "/v1/feedback-requests", params={"limit": 2}, headers=org.headers("peer")
    )
    second = await client.get(
        "/v1/feedback-requests",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=org.headers("peer"),
    )

    assert ids(first) + ids(second) == made
    assert second.json()["next_cursor"] is None


# --- Answering and declining -----------------------------------------------------------------


async def test_an_answer_is_feedback_to_the_subject_that_fulfils_a_part(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, org: Org
) -> None:
    request = await ask(client, org)

    response = await client.post(
        f"/v1/feedback-requests/{request['id']}/answers",
        json=answer("manager"),
        headers=org.headers("peer"),
    )
    again = await client.post(
        f"/v1/feedback-requests/{request['id']}/answers", json=answer(), headers=org.headers("peer")
    )
    decline = await client.post(
        f"/v1/feedback-requests/{request['id']}/decline", headers=org.headers("peer")
    )
    read = await client.get(
        f"/v1/feedback-requests/{request['id']}", headers=org.headers("manager")
    )
    still_open = await client.get(
        "/v1/feedback-requests",
        params={"role": "asked", "status": "open"},
        headers=org.headers("peer"),
    )

    assert response.status_code == 201
    item = response.json()
    assert response.headers["location"] == f"/v1/feedback/{item['id']}"
    assert (item["giver_id"], item["recipient_id"]) == (str(org.peer.id), str(org.recipient.id))
    assert item["topic"] == "How I ran the planning workshop"
    assert item["visibility"] == "manager"
    assert again.status_code == decline.status_code == 409
    assert again.json()["code"] == "request_part_closed"
    parts = {part["person_id"]: part for part in read.json()["parts"]}
    assert parts[str(org.peer.id)]["status"] == "answered"
    assert parts[str(org.peer.id)]["feedback_id"] == item["id"]
    assert parts[str(org.giver.id)]["status"] == "open"
    assert ids(still_open) == []
    assert await count_rows(session, Feedback) == 1
    assert await outbox.types() == ["feedback.requested", "feedback.given"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("recipient", 403),  # the subject
        ("manager", 403),  # the requester
        ("skip_level", 404),
        ("hr_admin", 404),
        ("integration", 403),
    ],
)
async def test_only_the_people_asked_answer_or_decline(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, caller: str, status: int
) -> None:
    request = await ask(client, org)
    headers = org.headers(caller)

    answered = await client.post(
        f"/v1/feedback-requests/{request['id']}/answers", json=answer(), headers=headers
    )
    declined = await client.post(f"/v1/feedback-requests/{request['id']}/decline", headers=headers)

    assert (answered.status_code, declined.status_code) == (status, status)
    assert await count_rows(session, Feedback) == 0


async def test_an_asked_person_declines(client: httpx.AsyncClient, org: Org) -> None:
    request = await ask(client, org)

    response = await client.post(
        f"/v1/feedback-requests/{request['id']}/decline", headers=org.headers("giver")
    )
    late = await client.post(
        f"/v1/feedback-requests/{request['id']}/answers",
        json=answer(),
        headers=org.headers("giver"),
    )

    assert response.status_code == 200
    [part] = response.json()["parts"]
    assert (part["person_id"], part["status"]) == (str(org.giver.id), "declined")
    assert part["closed_at"] is not None
    assert late.status_code == 409


async def test_the_subject_reads_every_answer_with_its_audience(
    client: httpx.AsyncClient, org: Org
) -> None:
    request = await ask(client, org)
    url = f"/v1/feedback-requests/{request['id']}/answers"
    private = await client.post(url, json=answer("private"), headers=org.headers("peer"))
    public = await client.post(url, json=answer("public"), headers=org.headers("giver"))

    subject = await client.get(url, headers=org.headers("recipient"))
    requester = await client.get(url, headers=org.headers("manager"))

    assert [(item["id"], item["visibility"]) for item in subject.json()["items"]] == [
        (private.json()["id"], "private"),
        (public.json()["id"], "public"),
    ]
    assert ids(requester) == [public.json()["id"]]


# --- Moving the due date ---------------------------------------------------------------------


async def test_the_requester_moves_the_due_date_with_the_current_etag(
    client: httpx.AsyncClient, org: Org
) -> None:
    request = await ask(client, org)
    url = f"/v1/feedback-requests/{request['id']}"
    body = {"due_on": due_in(38)}

    missing = await client.patch(url, json=body, headers=org.headers("manager"))
    stale = await client.patch(url, json=body, headers=org.headers("manager") | {"If-Match": '"9"'})
    moved = await client.patch(url, json=body, headers=org.headers("manager") | {"If-Match": '"1"'})
    by_subject = await client.patch(
        url, json=body, headers=org.headers("recipient") | {"If-Match": '"2"'}
    )
    by_outsider = await client.patch(
        url, json=body, headers=org.headers("hr_admin") | {"If-Match": '"2"'}
    )

    assert (missing.status_code, stale.status_code, moved.status_code) == (428, 412, 200)
    assert moved.json()["due_on"] == body["due_on"]
    assert moved.headers["etag"] == '"2"'
    assert (by_subject.status_code, by_outsider.status_code) == (403, 404)


# --- Reads are fast by shape -----------------------------------------------------------------


async def test_a_page_of_requests_costs_the_statements_of_one(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    await ask(client, org)
    statements.sent.clear()
    await client.get("/v1/feedback-requests", headers=org.headers("recipient"))
    one = statements.count
    for _ in range(4):
        await ask(client, org)

    statements.sent.clear()
    page = await client.get("/v1/feedback-requests", headers=org.headers("recipient"))

    assert len(ids(page)) == 5
    assert statements.count == one


async def test_a_hidden_request_takes_the_very_path_of_an_unknown_id(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    request = await ask(client, org)
    answers, sent = [], []
    for request_id in (request["id"], str(unknown_id())):
        for path in ("", "/answers"):
            statements.sent.clear()
            answers.append(
                await client.get(
                    f"/v1/feedback-requests/{request_id}{path}", headers=org.headers("hr_admin")
                )
            )
            sent.append(
                [re.sub(r"sa_savepoint_\d+", "sa_savepoint", sql) for sql in statements.sent]
            )

    assert {(answer.status_code, answer.json()["code"]) for answer in answers} == {
        (404, "feedback_request_not_found")
    }
    assert sent[:2] == sent[2:]
