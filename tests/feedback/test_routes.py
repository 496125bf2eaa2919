"""The feedback API as its callers see it: who sees what, giving, narrowing, events."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from services.feedback.models import Feedback
from services.feedback.schemas import FeedbackKind, Visibility
from tests.factories import count_rows
from tests.feedback.factories import Org, create_feedback, create_person, unknown_id
from tests.feedback.support import AUDIENCE, CALLERS, without_instance
from tests.support import Outbox, Tokens, operations, problem_fields


def new_feedback(recipient_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "recipient_id": str(recipient_id),
        "body": "Your write-up of the outage made the fix easy to follow.",
        "kind": "praise",
        "topic": "Incident review",
        "visibility": "public",
    }
    return body | overrides


def ids(response: httpx.Response) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


# --- Who sees an item ------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("caller", CALLERS)
async def test_an_item_is_seen_by_its_audience_and_by_nobody_else(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    visibility: Visibility,
    caller: str,
) -> None:
    item = await create_feedback(session, org.giver, org.recipient, visibility=visibility)
    headers = org.headers(caller)

    read = await client.get(f"/v1/feedback/{item.id}", headers=headers)
    unknown = await client.get(f"/v1/feedback/{unknown_id()}", headers=headers)
    everything = await client.get("/v1/feedback", headers=headers)
    to_recipient = await client.get(
        "/v1/feedback", params={"recipient_id": str(org.recipient.id)}, headers=headers
    )
    batch = await client.get("/v1/feedback", params={"id": str(item.id)}, headers=headers)

    listed = [ids(everything), ids(to_recipient), ids(batch)]
    if caller in AUDIENCE[visibility]:
        assert read.status_code == 200
        assert read.json()["body"] == item.body
        assert listed == [[str(item.id)]] * 3
    else:
        # Exactly what an unknown id answers: the item's existence is not revealed.
        assert read.status_code == 404
        assert read.headers["content-type"] == PROBLEM_JSON
        assert without_instance(read.json()) == without_instance(unknown.json())
        assert listed == [[], [], []]


async def test_an_hr_admin_sees_through_their_relations_not_their_role(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, tokens: Tokens
) -> None:
    report = await create_person(session, manager_id=org.hr_admin.id)
    mine = await create_feedback(session, org.giver, report, visibility=Visibility.MANAGER)
    to_me = await create_feedback(session, org.giver, org.hr_admin, visibility=Visibility.PRIVATE)
    await create_feedback(session, org.giver, org.recipient, visibility=Visibility.PRIVATE)
    await create_feedback(session, org.giver, org.recipient, visibility=Visibility.MANAGER)

    listed = await client.get("/v1/feedback", headers=org.headers("hr_admin"))

    assert ids(listed) == [str(mine.id), str(to_me.id)]


async def test_an_integration_needs_the_read_scope(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, tokens: Tokens
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)
    headers = tokens.integration("people:read")

    read = await client.get(f"/v1/feedback/{item.id}", headers=headers)
    listed = await client.get("/v1/feedback", headers=headers)

    assert (read.status_code, listed.status_code) == (403, 403)


async def test_without_a_token_the_answer_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/feedback")

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "missing_token"


async def test_people_are_known_from_the_org_copy(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    leaver = await create_person(session, active=False)

    stranger = await client.get("/v1/feedback", headers=tokens.person("nobody@example.com"))
    inactive = await client.get("/v1/feedback", headers=tokens.person(leaver.email))

    assert (stranger.status_code, stranger.json()["code"]) == (401, "unknown_person")
    assert (inactive.status_code, inactive.json()["code"]) == (403, "inactive_person")


async def test_a_look_alike_email_claim_names_nobody_in_the_org_copy(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    await create_person(session, email="kenji.watanabe@example.com", name="Kenji Watanabe")
    kelvin = "\u212a"  # KELVIN SIGN, which `lower()` folds to an ASCII "k"

    exact = await client.get("/v1/feedback", headers=tokens.person("Kenji.Watanabe@example.com"))
    look_alike = await client.get(
        "/v1/feedback", headers=tokens.person(f"{kelvin}enji.watanabe@example.com")
    )

    assert exact.status_code == 200
    assert (look_alike.status_code, look_alike.json()["code"]) == (401, "unknown_person")


# --- Lists -----------------------------------------------------------------------------------


async def test_pages_hold_only_what_one_may_see_without_gaps_or_repeats(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    visible = []
    for number in range(30):
        visibility = list(Visibility)[number % 3]
        item = await create_feedback(session, org.giver, org.recipient, visibility=visibility)
        if visibility == Visibility.PUBLIC:
            visible.append(str(item.id))
    headers = org.headers("peer")

    seen: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        page = await client.get("/v1/feedback", params=params, headers=headers)
        seen += ids(page)
        sizes.append(len(page.json()["items"]))
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    assert seen == visible
    assert sizes == [4, 4, 2]


async def test_lists_are_filtered_by_recipient_and_giver(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    to_recipient = await create_feedback(session, org.giver, org.recipient)
    to_peer = await create_feedback(session, org.giver, org.peer)
    from_peer = await create_feedback(session, org.peer, org.recipient)
    headers = org.headers("manager")

    async def listed(**params: str) -> list[str]:
        return ids(await client.get("/v1/feedback", params=params, headers=headers))

    assert await listed(recipient_id=str(org.recipient.id)) == [
        str(to_recipient.id),
        str(from_peer.id),
    ]
    assert await listed(giver_id=str(org.giver.id)) == [str(to_recipient.id), str(to_peer.id)]
    assert await listed(giver_id=str(org.peer.id), recipient_id=str(org.recipient.id)) == [
        str(from_peer.id)
    ]


async def test_a_batch_read_returns_what_one_may_see_in_the_order_asked(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    first = await create_feedback(session, org.giver, org.recipient)
    hidden = await create_feedback(session, org.giver, org.recipient, visibility="private")
    third = await create_feedback(session, org.giver, org.peer, visibility="manager")
    asked = [third.id, unknown_id(), hidden.id, first.id]

    response = await client.get(
        "/v1/feedback", params={"id": [str(id_) for id_ in asked]}, headers=org.headers("manager")
    )

    assert response.status_code == 200
    assert ids(response) == [str(third.id), str(first.id)]
    assert response.json()["next_cursor"] is None


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"cursor": "not-ours"}, {"recipient_id": "someone"}],
)
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, org: Org, params: dict[str, Any]
) -> None:
    response = await client.get("/v1/feedback", params=params, headers=org.headers("peer"))

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON


# --- Giving ----------------------------------------------------------------------------------


async def test_a_person_gives_feedback(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    body = new_feedback(org.recipient.id, kind="suggestion", visibility="manager")

    given = await client.post("/v1/feedback", json=body, headers=org.headers("giver"))

    assert given.status_code == 201
    item = given.json()
    assert item | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "giver_id": str(org.giver.id),
        "recipient_id": str(org.recipient.id),
        "body": "Your write-up of the outage made the fix easy to follow.",
        "kind": "suggestion",
        "topic": "Incident review",
        "visibility": "manager",
        "objective_id": None,
        "key_result_id": None,
        "skill_id": None,
        "value_id": None,
        "created_at": None,
        "updated_at": None,
        "version": 1,
        "replies": [],
    }
    assert given.headers["location"] == f"/v1/feedback/{item['id']}"
    assert given.headers["etag"] == '"1"'
    read = await client.get(given.headers["location"], headers=org.headers("skip_level"))
    assert read.json() == item


async def test_nobody_gives_feedback_to_themselves(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    response = await client.post(
        "/v1/feedback", json=new_feedback(org.giver.id), headers=org.headers("giver")
    )

    assert response.status_code == 409
    assert response.json()["code"] == "self_feedback"
    assert problem_fields(response) == {"body.recipient_id"}
    assert await count_rows(session, Feedback) == 0


async def test_feedback_reaches_only_someone_active_and_known(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    leaver = await create_person(session, active=False)
    headers = org.headers("giver")

    unknown = await client.post("/v1/feedback", json=new_feedback(unknown_id()), headers=headers)
    inactive = await client.post("/v1/feedback", json=new_feedback(leaver.id), headers=headers)

    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_recipient"
    assert problem_fields(unknown) == {"body.recipient_id"}
    assert inactive.status_code == 409
    assert inactive.json()["code"] == "recipient_inactive"
    assert await count_rows(session, Feedback) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": ""}, "body.body"),
        ({"body": "   "}, "body.body"),
        ({"body": "x" * 5001}, "body.body"),
        ({"kind": "criticism"}, "body.kind"),
        ({"visibility": "everyone"}, "body.visibility"),
        ({"visibility": None}, "body.visibility"),
        ({"topic": "t" * 201}, "body.topic"),
        ({"recipient_id": 42}, "body.recipient_id"),
        ({"rating": 5}, "body.rating"),
    ],
)
async def test_each_bad_field_is_422(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, change: dict[str, Any], field: str
) -> None:
    response = await client.post(
        "/v1/feedback", json=new_feedback(org.recipient.id) | change, headers=org.headers("giver")
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert problem_fields(response) == {field}
    assert await count_rows(session, Feedback) == 0


async def test_the_visibility_must_be_chosen(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    body = new_feedback(org.recipient.id)
    del body["visibility"]

    response = await client.post("/v1/feedback", json=body, headers=org.headers("giver"))

    assert response.status_code == 422
    assert problem_fields(response) == {"body.visibility"}


async def test_the_longest_body_is_5000_characters(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    response = await client.post(
        "/v1/feedback",
        json=new_feedback(org.recipient.id, body="x" * 5000, topic=None),
        headers=org.headers("giver"),
    )

    assert response.status_code == 201
    assert len(response.json()["body"]) == 5000


@pytest.mark.parametrize("caller", ["integration", "service"])
async def test_only_people_give_feedback(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, caller: str
) -> None:
    response = await client.post(
        "/v1/feedback", json=new_feedback(org.recipient.id), headers=org.headers(caller)
    )

    assert response.status_code == 403
    assert await count_rows(session, Feedback) == 0


async def test_a_retried_gift_is_replayed_not_repeated(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, org: Org
) -> None:
    headers = org.headers("giver") | {"Idempotency-Key": "thanks-rita-1"}

    first = await client.post("/v1/feedback", json=new_feedback(org.recipient.id), headers=headers)
    again = await client.post("/v1/feedback", json=new_feedback(org.recipient.id), headers=headers)
    other = await client.post(
        "/v1/feedback", json=new_feedback(org.recipient.id, body="Else."), headers=headers
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert await count_rows(session, Feedback) == 1
    assert await outbox.types() == ["feedback.given"]


# --- Narrowing -------------------------------------------------------------------------------


async def test_the_giver_narrows_with_the_current_etag(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)
    url = f"/v1/feedback/{item.id}"
    headers = org.headers("giver")
    etag = (await client.get(url, headers=headers)).headers["etag"]

    missing = await client.patch(url, json={"visibility": "manager"}, headers=headers)
    narrowed = await client.patch(
        url, json={"visibility": "manager"}, headers=headers | {"If-Match": etag}
    )
    stale = await client.patch(
        url, json={"visibility": "private"}, headers=headers | {"If-Match": etag}
    )

    assert missing.status_code == 428
    assert missing.json()["code"] == "if_match_required"
    assert narrowed.status_code == 200
    assert (narrowed.json()["visibility"], narrowed.json()["version"]) == ("manager", 2)
    assert narrowed.headers["etag"] == '"2"'
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert (await client.get(url, headers=headers)).json()["visibility"] == "manager"
    assert await outbox.events() == [
        (
            "feedback.visibility_narrowed",
            {
                "id": str(item.id),
                "giver_id": str(org.giver.id),
                "recipient_id": str(org.recipient.id),
                "old_visibility": "public",
                "new_visibility": "manager",
                "narrowed_by": str(org.giver.id),
            },
        )
    ]


async def test_once_narrowed_an_item_leaves_the_wider_audience(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)
    url = f"/v1/feedback/{item.id}"

    narrowed = await client.patch(
        url, json={"visibility": "private"}, headers=org.headers("giver") | {"If-Match": '"1"'}
    )

    assert narrowed.status_code == 200
    for caller in ("peer", "manager", "integration"):
        assert (await client.get(url, headers=org.headers(caller))).status_code == 404
        assert ids(await client.get("/v1/feedback", headers=org.headers(caller))) == []
    assert (await client.get(url, headers=org.headers("recipient"))).status_code == 200


@pytest.mark.parametrize(
    ("current", "wider"),
    [("private", "manager"), ("private", "public"), ("manager", "public")],
)
async def test_visibility_is_never_widened(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    org: Org,
    current: str,
    wider: str,
) -> None:
    item = await create_feedback(session, org.giver, org.recipient, visibility=current)

    response = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": wider},
        headers=org.headers("giver") | {"If-Match": '"1"'},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "visibility_cannot_widen"
    assert problem_fields(response) == {"body.visibility"}
    read = await client.get(f"/v1/feedback/{item.id}", headers=org.headers("giver"))
    assert (read.json()["visibility"], read.json()["version"]) == (current, 1)
    assert await outbox.events() == []


async def test_choosing_the_same_visibility_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient, visibility="manager")

    response = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": "manager"},
        headers=org.headers("giver") | {"If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert await outbox.events() == []


@pytest.mark.parametrize(
    ("caller", "status"),
    [("manager", 403), ("skip_level", 403), ("hr_admin", 404), ("peer", 404)],
)
async def test_only_the_giver_and_the_recipient_narrow(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, caller: str, status: int
) -> None:
    item = await create_feedback(session, org.giver, org.recipient, visibility="manager")

    response = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": "private"},
        headers=org.headers(caller) | {"If-Match": '"1"'},
    )

    assert response.status_code == status
    read = await client.get(f"/v1/feedback/{item.id}", headers=org.headers("giver"))
    assert read.json()["visibility"] == "manager"


async def test_the_words_never_change(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)

    response = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"body": "Something else entirely."},
        headers=org.headers("giver") | {"If-Match": '"1"'},
    )

    assert response.status_code == 422
    assert problem_fields(response) == {"body.body", "body.visibility"}


# --- Events ----------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", ["public", "manager", "private"])
async def test_feedback_is_announced_without_its_words(
    client: httpx.AsyncClient, outbox: Outbox, org: Org, visibility: str
) -> None:
    body = new_feedback(
        org.recipient.id,
        body="Please stop interrupting in meetings.",
        kind=FeedbackKind.SUGGESTION.value,
        topic="Meetings",
        visibility=visibility,
    )

    given = await client.post("/v1/feedback", json=body, headers=org.headers("giver"))

    [(type_, payload)] = await outbox.events()
    assert type_ == "feedback.given"
    assert payload | {"created_at": None} == {
        "id": given.json()["id"],
        "giver_id": str(org.giver.id),
        "recipient_id": str(org.recipient.id),
        "kind": "suggestion",
        "visibility": visibility,
        "objective_id": None,
        "key_result_id": None,
        "skill_id": None,
        "value_id": None,
        "created_at": None,
    }
    assert datetime.fromisoformat(payload["created_at"]) == datetime.fromisoformat(
        given.json()["created_at"]
    )
    assert "interrupting" not in json.dumps(payload)
    assert "Meetings" not in json.dumps(payload)


async def test_no_event_type_declares_the_words_of_feedback(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.get("/v1/event-types", headers=org.headers("peer"))

    fields = {name for event in response.json() for name in event["payload_schema"]["properties"]}
    assert not fields & {"body", "topic", "text", "note", "comment"}


async def test_the_event_catalogue_lists_what_the_service_publishes(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.get("/v1/event-types", headers=org.headers("peer"))

    assert response.status_code == 200
    assert [event["name"] for event in response.json()] == [
        "action_item.completed",
        "action_item.created",
        "feedback.given",
        "feedback.replied",
        "feedback.requested",
        "feedback.visibility_narrowed",
        "group.commitment_posted",
        "group.round_opened",
        "nomination.period_closed",
        "one_on_one.meeting_completed",
        "recognition.given",
        "weekly_check_in.replied",
        "weekly_check_in.submitted",
    ]


async def test_the_openapi_document_describes_every_operation(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    found = operations(response.json())
    assert len(found) >= 4
    assert [(path, method) for path, method, op in found if not op.get("description")] == []
