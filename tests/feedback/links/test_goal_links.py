"""Links to objectives and key results are checked with the goals service when they are made:
one its author may see is taken; one they may not see is refused exactly as an unknown id is
(422, the same body), so that no answer tells a private objective exists. Feedback, requests
about an objective and recognised learnings alike; nothing is saved when refused."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.settings import ServiceUrls
from services.feedback.models import Feedback
from services.feedback.recognition.models import Recognition
from services.feedback.requests.models import FeedbackRequest
from tests.factories import count_rows
from tests.feedback.factories import Org, unknown_id
from tests.feedback.links.support import Goals
from tests.feedback.support import NOWHERE, due_in
from tests.support import asgi_client, service_app


def gift(org: Org, **links: Any) -> dict[str, Any]:
    return {
        "recipient_id": str(org.recipient.id),
        "body": "Your search demo taught me a lot.",
        "kind": "praise",
        "visibility": "public",
    } | links


def request_about(org: Org, objective_id: uuid.UUID) -> dict[str, Any]:
    return {
        "asked_ids": [str(org.peer.id)],
        "topic": "How the search work went",
        "objective_id": str(objective_id),
        "due_on": due_in(14),
    }


def recognition_of(org: Org, objective_id: uuid.UUID) -> dict[str, Any]:
    return {
        "recipient_ids": [str(org.peer.id)],
        "message": "What we learnt shipping search.",
        "learning": {"kind": "objective", "id": str(objective_id)},
    }


# --- Feedback --------------------------------------------------------------------------------


async def test_feedback_links_what_its_giver_may_see(
    client: httpx.AsyncClient, org: Org, goals: Goals
) -> None:
    links = {
        "objective_id": str(goals.public.id),
        "key_result_id": str(goals.public_key_result.id),
    }

    response = await client.post(
        "/v1/feedback", json=gift(org, **links), headers=org.headers("giver")
    )
    about = await client.get(
        "/v1/feedback",
        params={"objective_id": str(goals.public.id)},
        headers=org.headers("recipient"),
    )

    assert response.status_code == 201, response.text
    assert {name: response.json()[name] for name in links} == links
    assert [item["id"] for item in about.json()["items"]] == [response.json()["id"]]


@pytest.mark.parametrize("caller", ["recipient", "manager", "skip_level", "hr_admin"])
async def test_those_who_see_a_private_objective_may_link_it(
    client: httpx.AsyncClient, org: Org, goals: Goals, caller: str
) -> None:
    # Its owner, the owner's management chain and HR admins read a private objective in goals.
    to = "peer" if caller == "recipient" else "recipient"
    body = gift(org, objective_id=str(goals.private.id)) | {
        "recipient_id": str(getattr(org, to).id)
    }

    response = await client.post("/v1/feedback", json=body, headers=org.headers(caller))

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("field", "hidden", "code"),
    [
        ("objective_id", "private", "unknown_objective"),
        ("key_result_id", "private_key_result", "unknown_key_result"),
    ],
)
@pytest.mark.parametrize("caller", ["giver", "peer", "giver_manager"])
async def test_a_hidden_link_is_refused_as_an_unknown_one_is(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    goals: Goals,
    caller: str,
    field: str,
    hidden: str,
    code: str,
) -> None:
    hidden_id = getattr(goals, hidden).id
    headers = org.headers(caller)

    to_hidden = await client.post(
        "/v1/feedback", json=gift(org, **{field: str(hidden_id)}), headers=headers
    )
    to_unknown = await client.post(
        "/v1/feedback", json=gift(org, **{field: str(unknown_id())}), headers=headers
    )

    assert to_hidden.status_code == 422, to_hidden.text
    assert to_hidden.json() == to_unknown.json()
    assert to_hidden.json()["code"] == code
    assert [error["field"] for error in to_hidden.json()["errors"]] == [f"body.{field}"]
    assert str(hidden_id) not in to_hidden.text
    assert await count_rows(session, Feedback) == 0


async def test_a_link_is_checked_only_once_the_rest_is_right(
    client: httpx.AsyncClient, org: Org, goals: Goals
) -> None:
    to_self = gift(org, objective_id=str(goals.private.id)) | {"recipient_id": str(org.giver.id)}

    response = await client.post("/v1/feedback", json=to_self, headers=org.headers("giver"))

    assert (response.status_code, response.json()["code"]) == (409, "self_feedback")


# --- Requests about an objective -------------------------------------------------------------


async def test_a_request_names_an_objective_its_requester_may_see(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, goals: Goals
) -> None:
    own = await client.post(
        "/v1/feedback-requests",
        json=request_about(org, goals.private.id),
        headers=org.headers("recipient"),
    )
    by_manager = await client.post(
        "/v1/feedback-requests",
        json=request_about(org, goals.private.id) | {"subject_id": str(org.recipient.id)},
        headers=org.headers("manager"),
    )
    # The giver asks about themselves, naming the recipient's private objective.
    hidden = await client.post(
        "/v1/feedback-requests",
        json=request_about(org, goals.private.id) | {"asked_ids": [str(org.peer.id)]},
        headers=org.headers("giver"),
    )
    unknown = await client.post(
        "/v1/feedback-requests",
        json=request_about(org, unknown_id()) | {"asked_ids": [str(org.peer.id)]},
        headers=org.headers("giver"),
    )

    assert (own.status_code, by_manager.status_code) == (201, 201), own.text
    assert own.json()["objective_id"] == str(goals.private.id)
    assert (hidden.status_code, hidden.json()["code"]) == (422, "unknown_objective")
    assert hidden.json() == unknown.json()
    assert [error["field"] for error in hidden.json()["errors"]] == ["body.objective_id"]
    assert await count_rows(session, FeedbackRequest) == 2


async def test_answering_a_request_about_an_objective_asks_the_goals_service_nothing(
    client: httpx.AsyncClient, org: Org, goals: Goals
) -> None:
    # The answer is feedback on the request's topic: the objective was checked when asked.
    made = await client.post(
        "/v1/feedback-requests",
        json=request_about(org, goals.private.id),
        headers=org.headers("recipient"),
    )

    answered = await client.post(
        f"/v1/feedback-requests/{made.json()['id']}/answers",
        json={"body": "Steady work.", "kind": "peer", "visibility": "private"},
        headers=org.headers("peer"),
    )

    assert answered.status_code == 201, answered.text
    assert answered.json()["objective_id"] is None


# --- Recognised learnings --------------------------------------------------------------------


async def test_a_learning_names_an_objective_its_giver_may_see(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, goals: Goals
) -> None:
    public = await client.post(
        "/v1/recognitions", json=recognition_of(org, goals.public.id), headers=org.headers("giver")
    )
    hidden = await client.post(
        "/v1/recognitions", json=recognition_of(org, goals.private.id), headers=org.headers("giver")
    )
    unknown = await client.post(
        "/v1/recognitions", json=recognition_of(org, unknown_id()), headers=org.headers("giver")
    )
    experiment = await client.post(
        "/v1/recognitions",
        json=recognition_of(org, unknown_id())
        | {"learning": {"kind": "experiment", "id": str(unknown_id())}},
        headers=org.headers("giver"),
    )

    assert public.status_code == 201, public.text
    assert (hidden.status_code, hidden.json()["code"]) == (422, "unknown_objective")
    assert hidden.json() == unknown.json()
    assert [error["field"] for error in hidden.json()["errors"]] == ["body.learning.id"]
    # The goals service keeps no experiments yet: their ids are taken as given.
    assert experiment.status_code == 201, experiment.text
    assert await count_rows(session, Recognition) == 2


# --- When the goals service cannot answer ----------------------------------------------------


async def test_no_goals_service_is_503_and_nothing_is_saved(
    service_db: Database, session: AsyncSession, org: Org
) -> None:
    app = service_app("feedback", service_db, urls=ServiceUrls(goals_url=NOWHERE))
    async with asgi_client(app, "feedback") as client:
        linked = await client.post(
            "/v1/feedback",
            json=gift(org, objective_id=str(unknown_id())),
            headers=org.headers("giver"),
        )
        plain = await client.post("/v1/feedback", json=gift(org), headers=org.headers("giver"))

    assert (linked.status_code, linked.json()["code"]) == (503, "goals_unavailable")
    assert plain.status_code == 201, plain.text
    assert await count_rows(session, Feedback) == 1


async def test_a_giver_the_goals_service_does_not_know_yet_is_503(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    # Without the `goals` fixture the goals service's org copy is empty: it refuses the token,
    # as it would for someone its copy has not caught up with. That is no answer about the link.
    response = await client.post(
        "/v1/feedback", json=gift(org, objective_id=str(unknown_id())), headers=org.headers("giver")
    )

    assert (response.status_code, response.json()["code"]) == (503, "goals_unavailable")
    assert await count_rows(session, Feedback) == 0
