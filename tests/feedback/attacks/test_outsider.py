"""What an outsider tries against feedback, requests, recognition and nominations: each test
is one attempt on a promise of docs/feedback.md; those that hold document it, the others are
marked xfail with what broke."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.schemas import Visibility
from tests.feedback.factories import Org, create_feedback, unknown_id
from tests.feedback.support import due_in

WORDS = "the-words-only-rita-should-read"


def problem(response: httpx.Response) -> tuple[int, dict[str, object]]:
    """A response's status and problem, without `instance` (the path asked, which differs)."""
    body = response.json()
    body.pop("instance", None)
    return response.status_code, body


def gift(recipient: uuid.UUID, **overrides: object) -> dict[str, object]:
    return {"recipient_id": str(recipient), "body": WORDS, "kind": "praise"} | overrides


# --- Unknown query parameters ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v1/feedback?visibilty=private",
        "/v1/feedback-requests?rol=requester",
        "/v1/nomination-periods?statuss=open",
        "/v1/recognitions?bogus=1",
        "/v1/company-values?bogus=1",
    ],
)
async def test_an_unknown_query_parameter_is_refused(
    client: httpx.AsyncClient, org: Org, path: str
) -> None:
    response = await client.get(path, headers=org.headers("peer"))

    assert 400 <= response.status_code < 500, response.text


async def test_an_unknown_parameter_of_a_grouped_read_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.get(
        "/v1/feedback/by-person",
        params={"person_id": str(org.recipient.id), "visibility": "private"},
        headers=org.headers("peer"),
    )

    assert 400 <= response.status_code < 500, response.text


# --- No error carries the words --------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"recipient_id": "not-an-id", "body": WORDS, "kind": "praise", "visibility": "public"},
        {"body": WORDS, "kind": "praise", "visibility": "public"},
        {"recipient_id": 7, "body": WORDS, "kind": "praise", "visibility": "public"},
        [WORDS],
        WORDS,
    ],
)
async def test_a_refused_gift_does_not_echo_its_words(
    client: httpx.AsyncClient, org: Org, body: object
) -> None:
    response = await client.post("/v1/feedback", json=body, headers=org.headers("giver"))

    assert response.status_code == 422, response.text
    assert WORDS not in response.text


async def test_a_missing_visibility_does_not_echo_the_words(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.post(
        "/v1/feedback", json=gift(org.recipient.id), headers=org.headers("giver")
    )

    assert response.status_code == 422, response.text
    assert WORDS not in response.text


async def test_an_overlong_body_is_not_echoed(client: httpx.AsyncClient, org: Org) -> None:
    words = WORDS * 200
    response = await client.post(
        "/v1/feedback",
        json=gift(org.recipient.id, body=words, visibility="private"),
        headers=org.headers("giver"),
    )

    assert response.status_code == 422, response.text
    assert WORDS not in response.text


async def test_a_refused_reply_does_not_echo_its_words(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.PRIVATE)

    response = await client.post(
        f"/v1/feedback/{item.id}/replies",
        json={"body": WORDS, "mood": "happy"},
        headers=org.headers("recipient"),
    )

    assert response.status_code == 422, response.text
    assert WORDS not in response.text


async def test_a_non_json_body_is_a_clear_4xx(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        "/v1/feedback",
        content=f'{{"body": "{WORDS}", '.encode(),
        headers=org.headers("giver") | {"Content-Type": "application/json"},
    )

    assert 400 <= response.status_code < 500, response.text
    assert WORDS not in response.text


# --- Hidden and missing answer the same ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "json", "extra"),
    [
        ("GET", "", None, {}),
        ("PATCH", "", {"visibility": "private"}, {}),
        ("PATCH", "", {"visibility": "private"}, {"If-Match": '"1"'}),
        ("PATCH", "", {"visibility": "public"}, {"If-Match": '"1"'}),
        ("POST", "/replies", {"body": "Me too."}, {}),
    ],
)
async def test_a_hidden_item_answers_as_a_missing_one(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    method: str,
    suffix: str,
    json: object,
    extra: dict[str, str],
) -> None:
    hidden = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.PRIVATE)
    headers = org.headers("manager") | extra

    on_hidden = await client.request(
        method, f"/v1/feedback/{hidden.id}{suffix}", json=json, headers=headers
    )
    on_missing = await client.request(
        method, f"/v1/feedback/{unknown_id()}{suffix}", json=json, headers=headers
    )

    assert problem(on_hidden) == problem(on_missing)
    assert WORDS not in on_hidden.text


async def test_a_grouped_read_does_not_count_what_is_hidden(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    await create_feedback(session, org.giver, org.recipient)
    await create_feedback(session, org.giver, org.recipient, visibility=Visibility.PRIVATE)

    response = await client.get(
        "/v1/feedback/by-person",
        params={"person_id": str(org.recipient.id), "per_person": 1},
        headers=org.headers("peer"),
    )

    assert response.status_code == 200, response.text
    [group] = response.json()["groups"]
    assert len(group["items"]) == 1
    assert group["has_more"] is False
    assert group["next_cursor"] is None


async def test_a_list_page_does_not_count_what_is_hidden(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    await create_feedback(session, org.giver, org.recipient)
    await create_feedback(session, org.giver, org.recipient, visibility=Visibility.PRIVATE)

    response = await client.get(
        "/v1/feedback",
        params={"recipient_id": str(org.recipient.id), "limit": 1},
        headers=org.headers("peer"),
    )

    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == 1
    assert response.json()["next_cursor"] is None


# --- Visibility only narrows; HR admins and integrations read no private words -----------------


async def test_a_retried_narrowing_cannot_widen_back(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)
    headers = org.headers("giver") | {"Idempotency-Key": "narrow-1"}

    narrowed = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": "private"},
        headers=headers | {"If-Match": '"1"'},
    )
    widened = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": "public"},
        headers=org.headers("recipient") | {"If-Match": '"2"'},
    )

    assert narrowed.status_code == 200, narrowed.text
    assert widened.status_code == 409, widened.text
    seen = await client.get(f"/v1/feedback/{item.id}", headers=org.headers("hr_admin"))
    assert seen.status_code == 404


@pytest.mark.parametrize("visibility", ["PRIVATE", "Private", " private", 2, None, ["private"]])
async def test_an_odd_visibility_is_422(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, visibility: object
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)

    response = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": visibility},
        headers=org.headers("giver") | {"If-Match": '"1"'},
    )

    assert response.status_code == 422, response.text


@pytest.mark.parametrize("if_match", ['"abc"', "1", '""', '"99999999999999999999"'])
async def test_an_odd_if_match_is_a_clear_4xx(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, if_match: str
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)

    response = await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": "private"},
        headers=org.headers("giver") | {"If-Match": if_match},
    )

    assert 400 <= response.status_code < 500, response.text


async def test_an_integration_reads_no_private_item_through_a_batch(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    hidden = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.MANAGER)

    response = await client.get(
        "/v1/feedback", params={"id": str(hidden.id)}, headers=org.headers("integration")
    )

    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


# --- Idempotency keys belong to their actor --------------------------------------------------


async def test_a_key_of_someone_else_replays_nothing(client: httpx.AsyncClient, org: Org) -> None:
    key = {"Idempotency-Key": "shared-key"}
    mine = await client.post(
        "/v1/feedback",
        json=gift(org.recipient.id, visibility="private"),
        headers=org.headers("giver") | key,
    )
    theirs = await client.post(
        "/v1/feedback",
        json=gift(org.recipient.id, visibility="private"),
        headers=org.headers("peer") | key,
    )

    assert mine.status_code == 201, mine.text
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["id"] != mine.json()["id"]
    assert theirs.json()["giver_id"] == str(org.peer.id)
    assert "idempotent-replayed" not in theirs.headers


async def test_a_replayed_reply_is_not_replayed_to_someone_who_lost_sight(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)
    key = {"Idempotency-Key": "reply-1"}
    first = await client.post(
        f"/v1/feedback/{item.id}/replies",
        json={"body": "Thanks!"},
        headers=org.headers("giver") | key,
    )
    await client.patch(
        f"/v1/feedback/{item.id}",
        json={"visibility": "private"},
        headers=org.headers("recipient") | {"If-Match": '"1"'},
    )
    # The manager reuses the giver's key: a fresh request of theirs, refused as hidden.
    other = await client.post(
        f"/v1/feedback/{item.id}/replies",
        json={"body": "Thanks!"},
        headers=org.headers("manager") | key,
    )

    assert first.status_code == 201, first.text
    assert other.status_code == 404, other.text


# --- Feedback requests -----------------------------------------------------------------------


async def ask(
    client: httpx.AsyncClient, org: Org, requester: str, subject: str | None = None
) -> httpx.Response:
    """`requester` asks the peer for feedback about `subject` (themselves by default)."""
    body = {"asked_ids": [str(org.peer.id)], "topic": "The launch", "due_on": due_in(45)}
    if subject is not None:
        body["subject_id"] = str(getattr(org, subject).id)
    return await client.post("/v1/feedback-requests", json=body, headers=org.headers(requester))


async def test_a_skip_level_manager_may_not_ask_about_a_report_of_a_report(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await ask(client, org, "skip_level", subject="recipient")

    assert response.status_code == 403, response.text


async def test_a_request_is_not_read_by_the_subjects_skip_level_nor_hr(
    client: httpx.AsyncClient, org: Org
) -> None:
    made = await ask(client, org, "recipient")
    assert made.status_code == 201, made.text
    request_id = made.json()["id"]

    for caller in ("manager", "skip_level", "hr_admin", "giver"):
        for path in (
            f"/v1/feedback-requests/{request_id}",
            f"/v1/feedback-requests/{request_id}/answers",
        ):
            seen = await client.get(path, headers=org.headers(caller))
            missing = await client.get(
                path.replace(request_id, str(unknown_id())), headers=org.headers(caller)
            )
            assert problem(seen) == problem(missing)
        listed = await client.get(
            "/v1/feedback-requests", params={"id": request_id}, headers=org.headers(caller)
        )
        assert listed.status_code == 200, listed.text
        assert listed.json()["items"] == []


async def test_a_private_answer_is_not_read_by_the_requester(
    client: httpx.AsyncClient, org: Org
) -> None:
    made = await ask(client, org, "manager", subject="recipient")
    assert made.status_code == 201, made.text
    request_id = made.json()["id"]
    answered = await client.post(
        f"/v1/feedback-requests/{request_id}/answers",
        json={"body": WORDS, "kind": "suggestion", "visibility": "private"},
        headers=org.headers("peer"),
    )
    assert answered.status_code == 201, answered.text

    by_manager = await client.get(
        f"/v1/feedback-requests/{request_id}/answers", headers=org.headers("manager")
    )
    by_subject = await client.get(
        f"/v1/feedback-requests/{request_id}/answers", headers=org.headers("recipient")
    )

    assert by_manager.status_code == 200, by_manager.text
    assert WORDS not in by_manager.text
    assert WORDS in by_subject.text


@pytest.mark.parametrize(
    ("method", "path", "json"),
    [
        ("GET", "/v1/feedback/{item}?expand=audience", None),
        ("PATCH", "/v1/feedback/{item}?force=true", {"visibility": "private"}),
        ("POST", "/v1/feedback/{item}/replies?notify=false", {"body": "Thanks!"}),
        ("POST", "/v1/feedback?draft=true", "gift"),
        ("GET", "/v1/feedback/by-objective?objective_id={item}&sort=desc", None),
        ("GET", "/v1/feedback-requests/{item}?x=1", None),
        ("GET", "/v1/feedback-requests/{item}/answers?x=1", None),
        ("GET", "/v1/nomination-periods/{item}/results?include=nominators", None),
        ("GET", "/v1/nomination-periods/{item}/my-reasons?x=1", None),
        ("GET", "/v1/nomination-periods/{item}/nomination?x=1", None),
        ("GET", "/v1/recognitions/{item}?x=1", None),
        ("PUT", "/v1/recognitions/{item}/reactions/heart?x=1", None),
        ("GET", "/v1/company-values/{item}?x=1", None),
    ],
)
async def test_an_unknown_query_parameter_of_any_route_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    method: str,
    path: str,
    json: object,
) -> None:
    item = await create_feedback(session, org.giver, org.recipient)
    body = gift(org.peer.id, visibility="public") if json == "gift" else json

    response = await client.request(
        method,
        path.replace("{item}", str(item.id)),
        json=body,
        headers=org.headers("recipient") | {"If-Match": '"1"'},
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["code"] == "extra_forbidden"


@pytest.mark.parametrize(
    "body",
    [
        {"body": WORDS * 200, "kind": "praise", "visibility": "private"},
        {"body": WORDS, "kind": "praise"},
        {"body": WORDS, "kind": "praise", "visibility": "private", "anonymous": True},
    ],
)
async def test_a_refused_answer_does_not_echo_its_words(
    client: httpx.AsyncClient, org: Org, body: dict[str, object]
) -> None:
    made = await ask(client, org, "recipient")

    response = await client.post(
        f"/v1/feedback-requests/{made.json()['id']}/answers",
        json=body,
        headers=org.headers("peer"),
    )

    assert response.status_code == 422, response.text
    assert WORDS not in response.text
