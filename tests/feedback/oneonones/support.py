"""What the 1:1 tests share: a series between two people of the org, started through the API,
and its meetings."""

from __future__ import annotations

from typing import Any

import httpx

from tests.feedback.factories import Org

WORDS = "the-words-only-the-two-should-read"
PRIVATE = "the-words-only-their-author-should-read"


def series_body(org: Org, with_: str = "giver", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "with_id": str(getattr(org, with_).id),
        "relationship": "peers",
        "cadence": "weekly",
        "weekday": "tuesday",
        "at": "09:30",
        "time_zone": "Europe/Stockholm",
    }
    return body | overrides


async def start(
    client: httpx.AsyncClient, org: Org, by: str = "recipient", with_: str = "giver", **body: Any
) -> dict[str, Any]:
    """`by` starts a series with `with_`; the series as created."""
    response = await client.post(
        "/v1/one-on-ones", json=series_body(org, with_, **body), headers=org.headers(by)
    )
    assert response.status_code == 201, response.text
    series: dict[str, Any] = response.json()
    return series


async def meetings(
    client: httpx.AsyncClient, org: Org, series_id: str, by: str = "recipient"
) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/one-on-ones/{series_id}/meetings", headers=org.headers(by))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def meeting(
    client: httpx.AsyncClient, org: Org, meeting_id: str, by: str = "recipient"
) -> dict[str, Any]:
    response = await client.get(f"/v1/one-on-one-meetings/{meeting_id}", headers=org.headers(by))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def first_meeting(
    client: httpx.AsyncClient, org: Org, by: str = "recipient", with_: str = "giver"
) -> dict[str, Any]:
    series = await start(client, org, by, with_)
    (only,) = await meetings(client, org, series["id"], by)
    return await meeting(client, org, only["id"], by)


async def add_point(
    client: httpx.AsyncClient, org: Org, meeting_id: str, text: str, by: str = "recipient"
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/one-on-one-meetings/{meeting_id}/talking-points",
        json={"text": text},
        headers=org.headers(by),
    )
    assert response.status_code == 201, response.text
    point: dict[str, Any] = response.json()
    return point
