"""Odd input an outsider sends to every part of the feedback service: each is a clear 4xx
problem, never a 500, and none echoes the words it carried."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.schemas import Visibility
from tests.feedback.factories import Org, create_feedback, unknown_id
from tests.feedback.support import due_in

NUL = "Great work\u0000 on the launch"


async def period(client: httpx.AsyncClient, org: Org) -> str:
    made = await client.post(
        "/v1/nomination-periods",
        json={"name": "March 2027", "starts_on": "2027-03-01", "ends_on": "2027-03-31"},
        headers=org.headers("hr_admin"),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def assert_clear_4xx(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "-1"},
        {"limit": "100000"},
        {"limit": "1e3"},
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJ4IjoxfQ"},
        {"cursor": "%00"},
        {"id": "not-an-id"},
        {"recipient_id": "not-an-id"},
        {"recipient_id": "00000000-0000-0000-0000-00000000000"},
    ],
)
async def test_bad_list_parameters_are_clear(
    client: httpx.AsyncClient, org: Org, params: dict[str, str]
) -> None:
    for path in (
        "/v1/feedback",
        "/v1/feedback-requests",
        "/v1/recognitions",
        "/v1/nomination-periods",
    ):
        response = await client.get(path, params=params, headers=org.headers("peer"))
        if "recipient_id" in params and path != "/v1/feedback" and path != "/v1/recognitions":
            continue  # not their parameter: refused as unknown, checked elsewhere
        assert_clear_4xx(response)


async def test_a_repeated_filter_is_clear(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.get(
        "/v1/feedback?visibility=public&visibility=private", headers=org.headers("peer")
    )

    assert response.status_code < 500, response.text


async def test_too_many_ids_is_clear(client: httpx.AsyncClient, org: Org) -> None:
    ids = {"id": [str(uuid.uuid4()) for _ in range(1001)]}
    for path in ("/v1/feedback", "/v1/feedback-requests", "/v1/recognitions"):
        response = await client.get(path, params=ids, headers=org.headers("peer"))
        assert_clear_4xx(response)


@pytest.mark.parametrize("per", ["0", "-1", "1000", "x"])
async def test_bad_group_sizes_are_clear(client: httpx.AsyncClient, org: Org, per: str) -> None:
    response = await client.get(
        "/v1/feedback/by-person",
        params={"person_id": str(org.recipient.id), "per_person": per},
        headers=org.headers("peer"),
    )

    assert_clear_4xx(response)


async def test_a_nul_character_in_feedback_is_clear(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        "/v1/feedback",
        json={
            "recipient_id": str(org.recipient.id),
            "body": NUL,
            "kind": "praise",
            "visibility": "private",
        },
        headers=org.headers("giver"),
    )

    assert response.status_code in (201, 422), response.text


async def test_a_nul_character_in_a_topic_is_clear(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        "/v1/feedback",
        json={
            "recipient_id": str(org.recipient.id),
            "body": "Fine.",
            "topic": NUL,
            "kind": "praise",
            "visibility": "private",
        },
        headers=org.headers("giver"),
    )

    assert response.status_code in (201, 422), response.text


async def test_a_nul_character_in_a_reply_is_clear(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.PRIVATE)

    response = await client.post(
        f"/v1/feedback/{item.id}/replies", json={"body": NUL}, headers=org.headers("recipient")
    )

    assert response.status_code in (201, 422), response.text


async def test_a_nul_character_in_a_recognition_is_clear(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.post(
        "/v1/recognitions",
        json={"recipient_ids": [str(org.recipient.id)], "message": NUL},
        headers=org.headers("giver"),
    )

    assert response.status_code in (201, 422), response.text


async def test_a_nul_character_in_a_nomination_is_clear(
    client: httpx.AsyncClient, org: Org
) -> None:
    period_id = await period(client, org)

    response = await client.put(
        f"/v1/nomination-periods/{period_id}/nomination",
        json={"nominee_id": str(org.recipient.id), "reason": NUL},
        headers=org.headers("giver"),
    )

    assert response.status_code in (201, 422), response.text


async def test_a_nul_character_in_a_request_is_clear(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        "/v1/feedback-requests",
        json={"asked_ids": [str(org.peer.id)], "topic": NUL, "due_on": due_in(45)},
        headers=org.headers("recipient"),
    )

    assert response.status_code in (201, 422), response.text


async def test_a_nul_character_in_a_value_is_clear(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        "/v1/company-values", json={"name": NUL}, headers=org.headers("hr_admin")
    )

    assert response.status_code in (201, 422), response.text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/v1/recognitions/{unknown}/reactions/applause", None),
        ("PUT", "/v1/recognitions/{unknown}/reactions/boo", None),
        ("DELETE", "/v1/recognitions/{unknown}/reactions/boo", None),
        ("GET", "/v1/recognitions/not-an-id", None),
        ("POST", "/v1/recognitions", {"recipient_ids": [], "message": "x"}),
        ("POST", "/v1/recognitions", {"recipient_ids": ["{me}"], "message": "x"}),
        ("POST", "/v1/recognitions", {"recipient_ids": ["{unknown}"], "message": "x"}),
        (
            "POST",
            "/v1/recognitions",
            {"recipient_ids": ["{peer}"], "message": "x", "value_ids": ["{unknown}"]},
        ),
        (
            "POST",
            "/v1/recognitions",
            {
                "recipient_ids": ["{peer}"],
                "message": "x",
                "learning": {"kind": "lesson", "id": "{unknown}"},
            },
        ),
        (
            "POST",
            "/v1/feedback-requests",
            {"asked_ids": ["{unknown}"], "topic": "x", "due_on": due_in(31)},
        ),
        (
            "POST",
            "/v1/feedback-requests",
            {"asked_ids": ["{peer}", "{peer}"], "topic": "x", "due_on": "2027-13-01"},
        ),
        (
            "POST",
            "/v1/feedback-requests",
            {
                "subject_id": "{unknown}",
                "asked_ids": ["{peer}"],
                "topic": "x",
                "due_on": due_in(31),
            },
        ),
        (
            "POST",
            "/v1/feedback-requests/{unknown}/answers",
            {"body": "x", "kind": "praise", "visibility": "private"},
        ),
        ("POST", "/v1/feedback-requests/{unknown}/decline", None),
        ("PATCH", "/v1/feedback-requests/{unknown}", {"due_on": due_in(31)}),
        (
            "PUT",
            "/v1/nomination-periods/{unknown}/nomination",
            {"nominee_id": "{peer}", "reason": "x"},
        ),
        ("GET", "/v1/nomination-periods/{unknown}/results", None),
        ("GET", "/v1/nomination-periods/{unknown}/my-reasons", None),
        (
            "POST",
            "/v1/feedback",
            {"recipient_id": "{peer}", "body": "x", "kind": "upward", "visibility": "public"},
        ),
        (
            "POST",
            "/v1/feedback",
            {
                "recipient_id": "{peer}",
                "body": "x" * 100_000,
                "kind": "praise",
                "visibility": "public",
            },
        ),
    ],
)
async def test_odd_writes_are_clear(
    client: httpx.AsyncClient, org: Org, method: str, path: str, body: Any
) -> None:
    names = {"{unknown}": str(unknown_id()), "{me}": str(org.giver.id), "{peer}": str(org.peer.id)}

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, list):
            return [fill(each) for each in value]
        if isinstance(value, dict):
            return {key: fill(each) for key, each in value.items()}
        return value

    for name, value in names.items():
        path = path.replace(name, value)
    response = await client.request(method, path, json=fill(body), headers=org.headers("giver"))

    assert_clear_4xx(response)


async def about_value(client: httpx.AsyncClient, org: Org, value_id: str) -> httpx.Response:
    body = {
        "recipient_id": str(org.peer.id),
        "body": "You lived our values.",
        "kind": "praise",
        "visibility": "public",
        "value_id": value_id,
    }
    return await client.post("/v1/feedback", json=body, headers=org.headers("giver"))


async def test_feedback_about_an_unknown_company_value_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await about_value(client, org, str(unknown_id()))

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unknown_value"


async def test_feedback_about_an_archived_company_value_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    made = await client.post(
        "/v1/company-values", json={"name": "Candour"}, headers=org.headers("hr_admin")
    )
    assert made.status_code == 201, made.text
    archived = await client.patch(
        f"/v1/company-values/{made.json()['id']}",
        json={"archived": True},
        headers=org.headers("hr_admin") | {"If-Match": made.headers["etag"]},
    )
    assert archived.status_code == 200, archived.text

    response = await about_value(client, org, made.json()["id"])

    assert response.status_code == 409, response.text


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"[" * 50_000 + b"]" * 50_000, "application/json"),
        (b'{"recipient_id": "x", "body": "\\ud800", "kind": "praise"}', "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"recipient_id=x&body=y", "application/x-www-form-urlencoded"),
        (b'{"body": "Thanks"}', "text/plain"),
        (b"", "application/json"),
    ],
)
async def test_an_unreadable_body_is_clear(
    client: httpx.AsyncClient, org: Org, content: bytes, content_type: str
) -> None:
    for key in (None, "unreadable-1"):
        headers = org.headers("giver") | {"Content-Type": content_type}
        if key:
            headers["Idempotency-Key"] = key
        response = await client.post("/v1/feedback", content=content, headers=headers)
        assert_clear_4xx(response)


@pytest.mark.parametrize("key", ["k" * 256, "", " ", "caf\u00e9".encode(), "a\tb"])
async def test_an_odd_idempotency_key_is_clear(
    client: httpx.AsyncClient, org: Org, key: str | bytes
) -> None:
    response = await client.post(
        "/v1/feedback",
        json={
            "recipient_id": str(org.peer.id),
            "body": "x",
            "kind": "praise",
            "visibility": "public",
        },
        headers=[
            *((name.encode(), value.encode()) for name, value in org.headers("giver").items()),
            (b"Idempotency-Key", key if isinstance(key, bytes) else key.encode()),
        ],
    )

    assert_clear_4xx(response)


@pytest.mark.parametrize(
    ("path", "name"),
    [("/v1/feedback/by-person", "person_id"), ("/v1/feedback/by-objective", "objective_id")],
)
async def test_too_many_groups_is_clear(
    client: httpx.AsyncClient, org: Org, path: str, name: str
) -> None:
    many = await client.get(
        path, params={name: [str(uuid.uuid4()) for _ in range(1001)]}, headers=org.headers("peer")
    )
    none = await client.get(path, headers=org.headers("peer"))

    assert_clear_4xx(many)
    assert_clear_4xx(none)
