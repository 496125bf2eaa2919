"""A link to an objective or key result is shown only to a reader who may see it in the goals
service: public feedback about a private objective reads, for anyone outside the objective's
audience, as feedback about nothing, and filtering by that objective finds what an unknown id
finds. The goals service is asked once per answer, with the reader's own token; when it cannot
answer, the links are hidden, never the feedback."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.settings import ServiceUrls
from services.feedback.schemas import Visibility
from tests.feedback.factories import Org, create_feedback, unknown_id
from tests.feedback.links.support import Goals
from tests.feedback.support import NOWHERE, due_in
from tests.support import asgi_client, service_app

# Inside the private objective's audience (its owner, the owner's chain, HR admins in goals),
# and outside it; the objective's owner is the recipient, and the giver is her manager.
INSIDE = ["manager", "recipient", "skip_level", "hr_admin"]
OUTSIDE = ["peer", "giver", "giver_manager", "integration"]


def goals_paths(app: FastAPI) -> list[str]:
    """The paths the feedback app asks the goals service, as it asks them."""
    paths: list[str] = []

    async def heard(response: httpx.Response) -> None:
        paths.append(response.request.url.path)

    app.state.goals.event_hooks["response"].append(heard)
    return paths


async def about_private(client: httpx.AsyncClient, org: Org, goals: Goals) -> dict[str, Any]:
    """Public feedback from the recipient's manager about her private objective and its key
    result: the manager may see both."""
    made = await client.post(
        "/v1/feedback",
        json={
            "recipient_id": str(org.recipient.id),
            "body": "The way you grew the team this quarter shows.",
            "kind": "praise",
            "visibility": "public",
            "objective_id": str(goals.private.id),
            "key_result_id": str(goals.private_key_result.id),
        },
        headers=org.headers("manager"),
    )
    assert made.status_code == 201, made.text
    item: dict[str, Any] = made.json()
    return item


def links(item: dict[str, Any]) -> tuple[str | None, str | None]:
    return item["objective_id"], item["key_result_id"]


@pytest.mark.parametrize("caller", INSIDE + OUTSIDE)
async def test_a_linked_id_is_shown_only_to_those_who_may_see_the_objective(
    client: httpx.AsyncClient, org: Org, goals: Goals, caller: str
) -> None:
    item = await about_private(client, org, goals)
    headers = org.headers(caller)
    expected = (
        (str(goals.private.id), str(goals.private_key_result.id))
        if caller in INSIDE
        else (None, None)
    )

    one = await client.get(f"/v1/feedback/{item['id']}", headers=headers)
    batch = await client.get("/v1/feedback", params={"id": item["id"]}, headers=headers)
    listed = await client.get(
        "/v1/feedback", params={"recipient_id": str(org.recipient.id)}, headers=headers
    )
    grouped = await client.get(
        "/v1/feedback/by-person", params={"person_id": str(org.recipient.id)}, headers=headers
    )

    assert one.status_code == 200, one.text
    assert links(one.json()) == expected
    assert [links(found) for found in batch.json()["items"]] == [expected]
    assert [links(found) for found in listed.json()["items"]] == [expected]
    assert [links(found) for found in grouped.json()["groups"][0]["items"]] == [expected]
    # The words stay: it is public feedback, only the link is not theirs to see.
    assert one.json()["body"] == item["body"]
    if caller in OUTSIDE:
        assert str(goals.private.id) not in one.text + listed.text + grouped.text
        assert str(goals.private_key_result.id) not in one.text + listed.text + grouped.text


@pytest.mark.parametrize("caller", OUTSIDE)
async def test_filtering_by_a_hidden_objective_finds_what_an_unknown_one_finds(
    client: httpx.AsyncClient, org: Org, goals: Goals, caller: str
) -> None:
    await about_private(client, org, goals)
    headers = org.headers(caller)

    def by(objective: uuid.UUID) -> Any:
        return client.get("/v1/feedback", params={"objective_id": str(objective)}, headers=headers)

    def grouped(objective: uuid.UUID) -> Any:
        return client.get(
            "/v1/feedback/by-objective", params={"objective_id": str(objective)}, headers=headers
        )

    hidden, unknown = await by(goals.private.id), await by(unknown_id())
    hidden_group, unknown_group = await grouped(goals.private.id), await grouped(unknown_id())

    assert hidden.status_code == unknown.status_code == 200, hidden.text
    assert hidden.json() == unknown.json() == {"items": [], "next_cursor": None}
    [group] = hidden_group.json()["groups"]
    [other] = unknown_group.json()["groups"]
    assert {**group, "objective_id": None} == {**other, "objective_id": None}
    assert group == {
        "objective_id": str(goals.private.id),
        "items": [],
        "has_more": False,
        "next_cursor": None,
    }


@pytest.mark.parametrize("caller", INSIDE)
async def test_those_who_see_the_objective_find_its_feedback_by_it(
    client: httpx.AsyncClient, org: Org, goals: Goals, caller: str
) -> None:
    item = await about_private(client, org, goals)
    headers = org.headers(caller)

    listed = await client.get(
        "/v1/feedback", params={"objective_id": str(goals.private.id)}, headers=headers
    )
    grouped = await client.get(
        "/v1/feedback/by-objective",
        params={"objective_id": [str(goals.private.id), str(goals.public.id)]},
        headers=headers,
    )

    assert [found["id"] for found in listed.json()["items"]] == [item["id"]]
    assert [[found["id"] for found in g["items"]] for g in grouped.json()["groups"]] == [
        [item["id"]],
        [],
    ]


async def test_grouped_reads_by_objective_give_each_objective_its_first_items(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, goals: Goals
) -> None:
    objective = str(goals.public.id)
    first, second, third = [
        str(
            (
                await create_feedback(
                    session,
                    getattr(org, giver),
                    org.recipient,
                    objective_id=goals.public.id,
                    visibility=Visibility.MANAGER,
                )
            ).id
        )
        for giver in ("giver", "peer", "giver")
    ]
    empty = str(unknown_id())
    headers = org.headers("recipient")

    by_objective = await client.get(
        "/v1/feedback/by-objective",
        params={"objective_id": [objective, empty], "per_objective": 2},
        headers=headers,
    )
    [group, nothing] = by_objective.json()["groups"]
    rest = await client.get(
        "/v1/feedback",
        params={"objective_id": objective, "limit": 2, "cursor": group["next_cursor"]},
        headers=headers,
    )

    assert [item["id"] for item in group["items"]] == [first, second]
    assert (group["objective_id"], group["has_more"]) == (objective, True)
    assert nothing == {"objective_id": empty, "items": [], "has_more": False, "next_cursor": None}
    assert [item["id"] for item in rest.json()["items"]] == [third]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/feedback", lambda org, goals: {"limit": 100}),
        ("/v1/feedback", lambda org, goals: {"objective_id": str(goals.public.id)}),
        ("/v1/feedback/by-person", lambda org, goals: {"person_id": str(org.recipient.id)}),
        (
            "/v1/feedback/by-objective",
            lambda org, goals: {"objective_id": [str(goals.public.id), str(goals.private.id)]},
        ),
    ],
)
async def test_one_goals_read_of_each_kind_serves_a_whole_answer(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    goals: Goals,
    path: str,
    params: Callable[[Org, Goals], dict[str, Any]],
) -> None:
    for objective, key_result in [
        (goals.public, goals.public_key_result),
        (goals.private, goals.private_key_result),
    ] * 15:
        await create_feedback(
            session,
            org.giver,
            org.recipient,
            objective_id=objective.id,
            key_result_id=key_result.id,
        )
    asked = goals_paths(app)

    response = await client.get(path, params=params(org, goals), headers=org.headers("peer"))

    assert response.status_code == 200, response.text
    # Thirty items, two objectives, two key results: one batch read of each kind, however
    # many items (a filter's or a group's objectives are known from the first).
    assert asked == ["/v1/objectives", "/v1/key-results"]


async def test_no_goals_service_hides_the_links_not_the_feedback(
    service_db: Database, session: AsyncSession, org: Org, goals: Goals
) -> None:
    item = await create_feedback(
        session,
        org.manager,
        org.recipient,
        objective_id=goals.public.id,
        key_result_id=goals.public_key_result.id,
    )
    app = service_app("feedback", service_db, urls=ServiceUrls(goals_url=NOWHERE))
    async with asgi_client(app, "feedback") as client:
        one = await client.get(f"/v1/feedback/{item.id}", headers=org.headers("recipient"))
        listed = await client.get("/v1/feedback", headers=org.headers("recipient"))
        filtered = await client.get(
            "/v1/feedback",
            params={"objective_id": str(goals.public.id)},
            headers=org.headers("recipient"),
        )

    assert one.status_code == 200, one.text
    assert links(one.json()) == (None, None)
    assert [(found["id"], links(found)) for found in listed.json()["items"]] == [
        (str(item.id), (None, None))
    ]
    # Failing closed: without the goals service's word, no objective is one they may see.
    assert filtered.status_code == 200, filtered.text
    assert filtered.json() == {"items": [], "next_cursor": None}


# --- Requests and recognised learnings -------------------------------------------------------


async def test_a_request_shows_its_objective_only_to_those_who_may_see_it(
    client: httpx.AsyncClient, org: Org, goals: Goals
) -> None:
    # The recipient asks the peer about her private objective: the peer may not see it.
    made = await client.post(
        "/v1/feedback-requests",
        json={
            "asked_ids": [str(org.peer.id)],
            "topic": "How I led the team",
            "objective_id": str(goals.private.id),
            "due_on": due_in(14),
        },
        headers=org.headers("recipient"),
    )
    assert made.status_code == 201, made.text
    url = f"/v1/feedback-requests/{made.json()['id']}"

    as_owner = await client.get(url, headers=org.headers("recipient"))
    as_peer = await client.get(url, headers=org.headers("peer"))
    peer_list = await client.get(
        "/v1/feedback-requests", params={"role": "asked"}, headers=org.headers("peer")
    )
    declined = await client.post(f"{url}/decline", headers=org.headers("peer"))

    assert made.json()["objective_id"] == str(goals.private.id)
    assert as_owner.json()["objective_id"] == str(goals.private.id)
    assert as_peer.status_code == 200, as_peer.text
    assert as_peer.json()["objective_id"] is None
    assert [item["objective_id"] for item in peer_list.json()["items"]] == [None]
    assert declined.json()["objective_id"] is None
    assert str(goals.private.id) not in as_peer.text + peer_list.text + declined.text


@pytest.mark.parametrize(("caller", "shown"), [("recipient", True), ("peer", False)])
async def test_a_learning_of_a_hidden_objective_is_not_shown(
    client: httpx.AsyncClient, org: Org, goals: Goals, caller: str, shown: bool
) -> None:
    made = await client.post(
        "/v1/recognitions",
        json={
            "recipient_ids": [str(org.peer.id)],
            "message": "What we learnt growing the team.",
            "learning": {"kind": "objective", "id": str(goals.private.id)},
        },
        headers=org.headers("recipient"),
    )
    assert made.status_code == 201, made.text
    url = f"/v1/recognitions/{made.json()['id']}"
    learning = {"kind": "objective", "id": str(goals.private.id)} if shown else None

    one = await client.get(url, headers=org.headers(caller))
    feed = await client.get("/v1/recognitions", headers=org.headers(caller))
    reacted = await client.put(f"{url}/reactions/heart", headers=org.headers(caller))

    assert one.json()["learning"] == learning
    assert [item["learning"] for item in feed.json()["items"]] == [learning]
    assert reacted.json()["learning"] == learning
    assert one.json()["message"] == "What we learnt growing the team."
