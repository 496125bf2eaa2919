"""Both participants write at the same moment, on committed data: one write stands, the other
is refused with 412 and nothing is lost; completing twice at once carries over once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from kit.db import Database
from tests.feedback.factories import create_person
from tests.support import Tokens, asgi_client, service_app

pytestmark = pytest.mark.e2e


@pytest.fixture
async def committed(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("feedback"), pool_size=6)
    yield database
    await database.dispose()


@pytest.fixture
async def http(committed: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(service_app("feedback", committed), "feedback") as client:
        yield client


@dataclass
class Pair:
    """Priya and Sofia, by their bearer headers; and Sofia's id."""

    headers: tuple[dict[str, str], dict[str, str]]
    sofia_id: str

    def __getitem__(self, who: int) -> dict[str, str]:
        return self.headers[who]


@pytest.fixture
async def pair(committed: Database, tokens: Tokens) -> Pair:
    async with committed.sessionmaker() as session:
        priya = await create_person(session, email="priya@example.com")
        sofia = await create_person(session, email="sofia@example.com")
        await session.commit()
    return Pair((tokens.person(priya.email), tokens.person(sofia.email)), str(sofia.id))


async def a_series(http: httpx.AsyncClient, pair: Pair) -> dict[str, Any]:
    """Priya starts a weekly series with Sofia; the series, with its first meeting."""
    response = await http.post(
        "/v1/one-on-ones",
        json={
            "with_id": pair.sofia_id,
            "relationship": "peers",
            "cadence": "weekly",
            "weekday": "monday",
            "at": "10:00",
            "time_zone": "UTC",
        },
        headers=pair[0],
    )
    assert response.status_code == 201, response.text
    series: dict[str, Any] = response.json()
    return series


async def test_two_notes_written_at_once_never_overwrite_each_other(
    http: httpx.AsyncClient, pair: Pair
) -> None:
    path = f"/v1/one-on-one-meetings/{(await a_series(http, pair))['next_meeting']['id']}"
    etag = (await http.get(path, headers=pair[0])).headers["ETag"]

    async def write(who: int, notes: str) -> int:
        response = await http.patch(
            path, json={"shared_notes": notes}, headers=pair[who] | {"If-Match": etag}
        )
        return response.status_code

    answers = await asyncio.gather(write(0, "Priya's"), write(1, "Sofia's"))
    stored = (await http.get(path, headers=pair[1])).json()["shared_notes"]

    assert sorted(answers) == [200, 412]
    assert stored == ("Priya's" if answers[0] == 200 else "Sofia's")


async def test_completing_twice_at_once_carries_over_once(
    http: httpx.AsyncClient, pair: Pair
) -> None:
    series = await a_series(http, pair)
    meeting_id = series["next_meeting"]["id"]
    await http.post(
        f"/v1/one-on-one-meetings/{meeting_id}/talking-points",
        json={"text": "Open"},
        headers=pair[0],
    )

    async def complete(who: int) -> int:
        response = await http.post(
            f"/v1/one-on-one-meetings/{meeting_id}/complete", headers=pair[who]
        )
        return response.status_code

    answers = await asyncio.gather(complete(0), complete(1))
    listed = await http.get(f"/v1/one-on-ones/{series['id']}/meetings", headers=pair[0])
    following = listed.json()["items"][1]["id"]
    agenda = (await http.get(f"/v1/one-on-one-meetings/{following}", headers=pair[1])).json()

    assert sorted(answers) == [200, 409]
    assert [m["status"] for m in listed.json()["items"]] == ["completed", "scheduled"]
    assert [point["text"] for point in agenda["agenda"]] == ["Open"]
