"""Probing for a private objective through links: a key result one may see beside an
objective one may not, a hidden key result beside a visible objective, and the same probe as
a request or a learning. Each answer is the one an unknown id gets."""

from __future__ import annotations

from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.models import Feedback
from tests.factories import count_rows
from tests.feedback.factories import Org, unknown_id
from tests.feedback.links.support import Goals


def gift(org: Org, **links: str) -> dict[str, Any]:
    return {
        "recipient_id": str(org.recipient.id),
        "body": "Your search demo taught me a lot.",
        "kind": "praise",
        "visibility": "public",
        **links,
    }


async def test_a_visible_key_result_does_not_vouch_for_a_hidden_objective(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, goals: Goals
) -> None:
    visible_kr = str(goals.public_key_result.id)

    def answers(objective: str) -> dict[str, Any]:
        return gift(org, objective_id=objective, key_result_id=visible_kr)

    hidden = await client.post(
        "/v1/feedback", json=answers(str(goals.private.id)), headers=org.headers("giver")
    )
    unknown = await client.post(
        "/v1/feedback", json=answers(str(unknown_id())), headers=org.headers("giver")
    )

    assert hidden.status_code == 422
    assert hidden.json() == unknown.json()
    assert await count_rows(session, Feedback) == 0


async def test_a_hidden_key_result_beside_a_visible_objective_is_an_unknown_one(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, goals: Goals
) -> None:
    public = str(goals.public.id)

    hidden = await client.post(
        "/v1/feedback",
        json=gift(org, objective_id=public, key_result_id=str(goals.private_key_result.id)),
        headers=org.headers("giver"),
    )
    unknown = await client.post(
        "/v1/feedback",
        json=gift(org, objective_id=public, key_result_id=str(unknown_id())),
        headers=org.headers("giver"),
    )

    assert (hidden.status_code, hidden.json()["code"]) == (422, "unknown_key_result")
    assert hidden.json() == unknown.json()
    assert await count_rows(session, Feedback) == 0


async def test_feedback_about_a_hidden_objective_cannot_be_listed_by_it(
    client: httpx.AsyncClient, org: Org, goals: Goals
) -> None:
    # The owner's manager links feedback to the private objective; the giver, who may not see
    # it, filters by it and gets exactly what an unknown id gives: nothing.
    made = await client.post(
        "/v1/feedback",
        json=gift(org, objective_id=str(goals.private.id)) | {"visibility": "private"},
        headers=org.headers("manager"),
    )
    assert made.status_code == 201, made.text

    by_hidden = await client.get(
        "/v1/feedback", params={"objective_id": str(goals.private.id)}, headers=org.headers("giver")
    )
    by_unknown = await client.get(
        "/v1/feedback", params={"objective_id": str(unknown_id())}, headers=org.headers("giver")
    )

    assert by_hidden.json()["items"] == by_unknown.json()["items"] == []
