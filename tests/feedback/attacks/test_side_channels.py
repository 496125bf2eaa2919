"""Side channels an outsider measures: a hidden item or request and a missing one cost the
same SQL statements for every write and read that refuses them."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.schemas import Visibility
from tests.feedback.factories import Org, create_feedback, unknown_id
from tests.feedback.support import due_in
from tests.support import Statements


async def cost(
    client: httpx.AsyncClient,
    statements: Statements,
    method: str,
    path: str,
    headers: dict[str, str],
    json: object,
) -> tuple[int, int]:
    statements.sent.clear()
    response = await client.request(method, path, json=json, headers=headers)
    return response.status_code, len(statements.queries)


@pytest.mark.parametrize(
    ("method", "suffix", "json", "extra"),
    [
        ("GET", "", None, {}),
        ("PATCH", "", {"visibility": "private"}, {"If-Match": '"1"'}),
        ("PATCH", "", {"visibility": "private"}, {}),
        ("POST", "/replies", {"body": "Me too."}, {}),
    ],
)
async def test_a_hidden_item_costs_what_a_missing_one_does(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    statements: Statements,
    method: str,
    suffix: str,
    json: object,
    extra: dict[str, str],
) -> None:
    hidden = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.MANAGER)
    headers = org.headers("peer") | extra

    on_hidden = await cost(
        client, statements, method, f"/v1/feedback/{hidden.id}{suffix}", headers, json
    )
    on_missing = await cost(
        client, statements, method, f"/v1/feedback/{unknown_id()}{suffix}", headers, json
    )

    assert on_hidden == on_missing


@pytest.mark.parametrize(
    ("method", "suffix", "json", "extra"),
    [
        ("GET", "", None, {}),
        ("GET", "/answers", None, {}),
        pytest.param("PATCH", "", {"due_on": due_in(62)}, {"If-Match": '"1"'}),
        pytest.param(
            "POST",
            "/answers",
            {"body": "Well done.", "kind": "praise", "visibility": "public"},
            {},
        ),
        pytest.param("POST", "/decline", None, {}),
    ],
)
async def test_a_request_one_takes_no_part_in_costs_what_a_missing_one_does(
    client: httpx.AsyncClient,
    org: Org,
    statements: Statements,
    method: str,
    suffix: str,
    json: object,
    extra: dict[str, str],
) -> None:
    made = await client.post(
        "/v1/feedback-requests",
        json={"asked_ids": [str(org.peer.id)], "topic": "The launch", "due_on": due_in(45)},
        headers=org.headers("recipient"),
    )
    assert made.status_code == 201, made.text
    headers = org.headers("manager") | extra

    on_hidden = await cost(
        client,
        statements,
        method,
        f"/v1/feedback-requests/{made.json()['id']}{suffix}",
        headers,
        json,
    )
    on_missing = await cost(
        client, statements, method, f"/v1/feedback-requests/{unknown_id()}{suffix}", headers, json
    )

    assert on_hidden[0] == 404
    assert on_hidden == on_missing
