"""What the check-in tests share: a check-in written and submitted through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.feedback.factories import Org

WORDS = "the-words-only-the-person-and-their-manager-read"


def form(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "week": "2026-W49",
        "mood": 4,
        "wins": WORDS,
        "blockers": "waiting on data access",
        "priorities": "ship the report",
        "answers": [{"question": "What did you learn?", "answer": WORDS}],
    }
    return body | overrides


async def draft(
    client: httpx.AsyncClient, org: Org, by: str = "recipient", **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/weekly-check-ins", json=form(**overrides), headers=org.headers(by)
    )
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


async def submitted(
    client: httpx.AsyncClient, org: Org, by: str = "recipient", **overrides: Any
) -> dict[str, Any]:
    written = await draft(client, org, by, **overrides)
    response = await client.post(
        f"/v1/weekly-check-ins/{written['id']}/submit", headers=org.headers(by)
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found
