"""What the tests of feedback requests share: the bodies they send and the usual request."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.feedback.factories import Org
from tests.feedback.support import due_in


def new_request(*asked: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "asked_ids": [str(person_id) for person_id in asked],
        "topic": "How I ran the planning workshop",
        "due_on": due_in(17),
    }
    return body | overrides


def answer(visibility: str = "public", **overrides: Any) -> dict[str, Any]:
    body = {"body": "You kept the room on time.", "kind": "praise", "visibility": visibility}
    return body | overrides


async def ask(
    client: httpx.AsyncClient, org: Org, requester: str = "manager", **overrides: Any
) -> dict[str, Any]:
    """The manager asks the peer and the giver about the recipient (their direct report)."""
    body = new_request(org.peer.id, org.giver.id, subject_id=str(org.recipient.id)) | overrides
    response = await client.post("/v1/feedback-requests", json=body, headers=org.headers(requester))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created
