"""Kinds, links, the audience fixed when an item is given, reply threads and grouped reads, as
callers of the API see them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.schemas import Visibility
from tests.feedback.factories import Org, create_feedback, create_person, unknown_id
from tests.feedback.support import AUDIENCE, CALLERS
from tests.support import Outbox, problem_fields


def gift(recipient_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "recipient_id": str(recipient_id),
        "body": "The demo went well thanks to your rehearsal.",
        "kind": "praise",
        "visibility": "manager",
    }
    return body | overrides


async def given(client: httpx.AsyncClient, org: Org, giver: str, **overrides: Any) -> str:
    response = await client.post(
        "/v1/feedback", json=gift(org.recipient.id, **overrides), headers=org.headers(giver)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def replied(client: httpx.AsyncClient, org: Org, caller: str, item: str, text: str) -> str:
    response = await client.post(
        f"/v1/feedback/{item}/replies", json={"body": text}, headers=org.headers(caller)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def replies(item: dict[str, Any]) -> list[str]:
    return [reply["body"] for reply in item["replies"]]


# --- Kinds and links -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["praise", "suggestion", "peer"])
async def test_each_kind_goes_to_anyone(client: httpx.AsyncClient, org: Org, kind: str) -> None:
    item = await given(client, org, "giver", kind=kind)

    read = await client.get(f"/v1/feedback/{item}", headers=org.headers("recipient"))

    assert read.json()["kind"] == kind


async def test_upward_feedback_goes_to_ones_own_manager_only(
    client: httpx.AsyncClient, org: Org
) -> None:
    to_manager = await client.post(
        "/v1/feedback",
        json=gift(org.giver_manager.id, kind="upward"),
        headers=org.headers("giver"),
    )
    to_someone_else = await client.post(
        "/v1/feedback", json=gift(org.recipient.id, kind="upward"), headers=org.headers("giver")
    )
    to_skip_level = await client.post(
        "/v1/feedback",
        json=gift(org.skip_level.id, kind="upward"),
        headers=org.headers("recipient"),
    )

    assert to_manager.status_code == 201
    assert to_manager.json()["kind"] == "upward"
    assert [to_someone_else.status_code, to_skip_level.status_code] == [409, 409]
    assert to_someone_else.json()["code"] == "upward_not_to_manager"
    assert problem_fields(to_someone_else) == {"body.recipient_id"}


async def test_an_item_links_to_what_it_is_about(client: httpx.AsyncClient, org: Org) -> None:
    value = await client.post(
        "/v1/company-values", json={"name": "Candour"}, headers=org.headers("hr_admin")
    )
    assert value.status_code == 201, value.text
    # Objectives and key results are checked with the goals service: see tests/feedback/links.
    links = {"skill_id": str(uuid.uuid4()), "value_id": value.json()["id"]}
    item = await given(client, org, "giver", **links)

    read = await client.get(f"/v1/feedback/{item}", headers=org.headers("recipient"))

    assert {name: read.json()[name] for name in links} == links


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "rating"}, "body.kind"),
        ({"kind": "anonymous"}, "body.kind"),
        ({"objective_id": "not-an-id"}, "body.objective_id"),
        ({"score": 5}, "body.score"),
        ({"anonymous": True}, "body.anonymous"),
    ],
)
async def test_no_score_no_anonymity_and_no_malformed_link(
    client: httpx.AsyncClient, org: Org, change: dict[str, Any], field: str
) -> None:
    response = await client.post(
        "/v1/feedback", json=gift(org.recipient.id, **change), headers=org.headers("giver")
    )

    assert response.status_code == 422
    assert problem_fields(response) == {field}


# --- The audience is fixed when the item is given --------------------------------------------


async def test_a_manager_change_hands_no_old_feedback_to_the_new_manager(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    before = await given(client, org, "giver")
    new_manager = await create_person(session, name="Nora New")
    # HR (or an HRIS) moves the recipient; the people feed brings it into the org copy.
    org.recipient.manager_id = new_manager.id
    session.add(org.recipient)
    await session.flush()
    after = await given(client, org, "giver")
    as_new = org.tokens.person(new_manager.email)

    def seen(response: httpx.Response) -> list[str]:
        return [item["id"] for item in response.json()["items"]]

    old_list = await client.get("/v1/feedback", headers=org.headers("manager"))
    new_list = await client.get("/v1/feedback", headers=as_new)
    new_batch = await client.get("/v1/feedback", params={"id": [before, after]}, headers=as_new)
    new_get = await client.get(f"/v1/feedback/{before}", headers=as_new)
    old_get = await client.get(f"/v1/feedback/{after}", headers=org.headers("manager"))

    assert seen(old_list) == [before]
    assert seen(new_list) == [after]
    assert seen(new_batch) == [after]
    assert (new_get.status_code, old_get.status_code) == (404, 404)


# --- Threads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("caller", CALLERS)
async def test_a_thread_is_read_by_the_items_audience_only(
    client: httpx.AsyncClient, org: Org, visibility: Visibility, caller: str
) -> None:
    item = await given(client, org, "giver", visibility=visibility.value)
    await replied(client, org, "recipient", item, "Thank you, that means a lot.")
    await replied(client, org, "giver", item, "You earned it.")
    headers = org.headers(caller)

    read = await client.get(f"/v1/feedback/{item}", headers=headers)
    listed = await client.get("/v1/feedback", headers=headers)
    batch = await client.get("/v1/feedback", params={"id": item}, headers=headers)
    grouped = await client.get(
        "/v1/feedback/by-person", params={"person_id": str(org.recipient.id)}, headers=headers
    )

    thread = ["Thank you, that means a lot.", "You earned it."]
    [group] = grouped.json()["groups"]
    if caller in AUDIENCE[visibility]:
        assert replies(read.json()) == thread
        assert [replies(found) for found in listed.json()["items"]] == [thread]
        assert [replies(found) for found in batch.json()["items"]] == [thread]
        assert [replies(found) for found in group["items"]] == [thread]
    else:
        assert read.status_code == 404
        assert listed.json()["items"] == batch.json()["items"] == group["items"] == []


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("recipient", 201),
        ("giver", 201),
        ("manager", 403),
        ("skip_level", 403),
        ("peer", 404),
        ("hr_admin", 404),
        ("integration", 403),
    ],
)
async def test_only_the_two_write_in_a_thread(
    client: httpx.AsyncClient, org: Org, caller: str, status: int
) -> None:
    item = await given(client, org, "giver")

    response = await client.post(
        f"/v1/feedback/{item}/replies", json={"body": "Noted."}, headers=org.headers(caller)
    )

    assert response.status_code == status


async def test_a_reply_is_announced_without_its_words(
    client: httpx.AsyncClient, org: Org, outbox: Outbox
) -> None:
    item = await given(client, org, "giver", kind="suggestion")

    reply = await replied(client, org, "recipient", item, "Fair point about the slides.")

    [_, (type_, payload)] = await outbox.events()
    assert type_ == "feedback.replied"
    assert payload | {"created_at": None} == {
        "id": reply,
        "feedback_id": item,
        "author_id": str(org.recipient.id),
        "giver_id": str(org.giver.id),
        "recipient_id": str(org.recipient.id),
        "kind": "suggestion",
        "visibility": "manager",
        "created_at": None,
    }


async def test_a_retried_reply_is_replayed_not_repeated(
    client: httpx.AsyncClient, org: Org, outbox: Outbox
) -> None:
    item = await given(client, org, "giver")
    url = f"/v1/feedback/{item}/replies"
    headers = org.headers("recipient") | {"Idempotency-Key": "reply-1"}

    first = await client.post(url, json={"body": "Thanks!"}, headers=headers)
    again = await client.post(url, json={"body": "Thanks!"}, headers=headers)
    read = await client.get(f"/v1/feedback/{item}", headers=org.headers("giver"))

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert replies(read.json()) == ["Thanks!"]
    assert await outbox.types() == ["feedback.given", "feedback.replied"]


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 5001}])
async def test_a_bad_reply_is_422(
    client: httpx.AsyncClient, org: Org, body: dict[str, Any]
) -> None:
    item = await given(client, org, "giver")

    response = await client.post(
        f"/v1/feedback/{item}/replies", json=body, headers=org.headers("recipient")
    )

    assert response.status_code == 422
    assert problem_fields(response) == {"body.body"}


async def test_a_reply_to_an_unknown_item_is_404(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        f"/v1/feedback/{unknown_id()}/replies", json={"body": "Hi"}, headers=org.headers("giver")
    )

    assert (response.status_code, response.json()["code"]) == (404, "feedback_not_found")


# --- Narrowing -------------------------------------------------------------------------------


@pytest.mark.parametrize("narrower", ["giver", "recipient"])
async def test_the_giver_or_the_recipient_narrows_and_nobody_widens(
    client: httpx.AsyncClient, org: Org, narrower: str
) -> None:
    item = await given(client, org, "giver", visibility="public")
    url = f"/v1/feedback/{item}"
    headers = org.headers(narrower)

    narrowed = await client.patch(
        url, json={"visibility": "manager"}, headers=headers | {"If-Match": '"1"'}
    )
    widened = await client.patch(
        url, json={"visibility": "public"}, headers=headers | {"If-Match": '"2"'}
    )
    peer = await client.get(url, headers=org.headers("peer"))
    manager = await client.get(url, headers=org.headers("manager"))

    assert narrowed.status_code == 200
    assert (widened.status_code, widened.json()["code"]) == (409, "visibility_cannot_widen")
    assert (peer.status_code, manager.status_code) == (404, 200)


# --- Grouped reads ---------------------------------------------------------------------------


async def test_grouped_reads_give_each_parent_its_first_items(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    # Grouped by objective: tests/feedback/links/test_shown_links.py, beside the goals service.
    first, second, third = [
        str(
            (
                await create_feedback(
                    session, getattr(org, giver), org.recipient, visibility=Visibility.MANAGER
                )
            ).id
        )
        for giver in ("giver", "peer", "giver")
    ]
    hidden = await create_feedback(session, org.giver, org.peer, visibility=Visibility.PRIVATE)
    headers = org.headers("recipient")

    by_recipient = await client.get(
        "/v1/feedback/by-person",
        params={"person_id": [str(org.peer.id), str(org.recipient.id)], "role": "received"},
        headers=headers,
    )
    by_giver = await client.get(
        "/v1/feedback/by-person",
        params={"person_id": [str(org.giver.id), str(org.peer.id)], "role": "given"},
        headers=headers,
    )

    assert [
        (g["person_id"], [item["id"] for item in g["items"]]) for g in by_recipient.json()["groups"]
    ] == [(str(org.peer.id), []), (str(org.recipient.id), [first, second, third])]
    assert [[item["id"] for item in g["items"]] for g in by_giver.json()["groups"]] == [
        [first, third],
        [second],
    ]
    assert str(hidden.id) not in by_recipient.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "query.person_id"),
        ({"person_id": "nope"}, "query.person_id.0"),
        ({"person_id": str(uuid.uuid4()), "per_person": 0}, "query.per_person"),
        ({"person_id": str(uuid.uuid4()), "per_person": 101}, "query.per_person"),
        ({"person_id": str(uuid.uuid4()), "role": "manager"}, "query.role"),
    ],
)
async def test_bad_grouped_reads_are_422(
    client: httpx.AsyncClient, org: Org, params: dict[str, Any], field: str
) -> None:
    response = await client.get(
        "/v1/feedback/by-person", params=params, headers=org.headers("giver")
    )

    assert response.status_code == 422
    assert problem_fields(response) == {field}
