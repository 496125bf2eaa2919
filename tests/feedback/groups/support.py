"""What the group tests share: a group started, members invited and joined, through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.feedback.factories import Org

WORDS = "the-words-only-the-group-reads"


async def create_group(
    client: httpx.AsyncClient, org: Org, by: str = "recipient", **overrides: Any
) -> dict[str, Any]:
    body = {"name": "Ship it", "purpose": "Hold each other to the quarter"} | overrides
    response = await client.post("/v1/accountability-groups", json=body, headers=org.headers(by))
    assert response.status_code == 201, response.text
    group: dict[str, Any] = response.json()
    return group


async def invite(
    client: httpx.AsyncClient, org: Org, group_id: str, who: str, by: str = "recipient"
) -> httpx.Response:
    return await client.post(
        f"/v1/accountability-groups/{group_id}/invitations",
        json={"person_id": str(getattr(org, who).id)},
        headers=org.headers(by),
    )


async def join(
    client: httpx.AsyncClient, org: Org, group_id: str, who: str, by: str = "recipient"
) -> dict[str, Any]:
    invited = await invite(client, org, group_id, who, by)
    assert invited.status_code == 201, invited.text
    accepted = await client.post(
        f"/v1/group-invitations/{invited.json()['id']}/accept", headers=org.headers(who)
    )
    assert accepted.status_code == 200, accepted.text
    group: dict[str, Any] = accepted.json()
    return group


async def open_round(
    client: httpx.AsyncClient,
    org: Org,
    group_id: str,
    by: str = "recipient",
    kind: str = "commitments",
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/accountability-groups/{group_id}/rounds", json={"kind": kind}, headers=org.headers(by)
    )
    assert response.status_code == 201, response.text
    round_: dict[str, Any] = response.json()
    return round_


async def post(
    client: httpx.AsyncClient, org: Org, round_id: str, by: str = "recipient"
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/group-rounds/{round_id}/posts",
        json={"commitments": WORDS, "progress": "half done"},
        headers=org.headers(by),
    )
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found
