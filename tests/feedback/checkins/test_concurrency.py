"""A person sends the same week's check-in twice at the same moment, on committed data: one
stands, the other is refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from kit.db import Database
from kit.orgcopy import OrgPerson
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


@pytest.fixture
async def people(committed: Database) -> list[OrgPerson]:
    async with committed.sessionmaker() as session:
        found = [await create_person(session) for _ in range(4)]
        await session.commit()
    return found


async def test_two_check_ins_of_one_week_at_once_make_one(
    http: httpx.AsyncClient, people: list[OrgPerson], tokens: Tokens
) -> None:
    me = tokens.person(people[0].email)

    answers = await asyncio.gather(
        *(
            http.post("/v1/weekly-check-ins", json={"week": "2026-W49"}, headers=me)
            for _ in range(2)
        )
    )
    listed = await http.get("/v1/weekly-check-ins", headers=me)

    assert sorted(response.status_code for response in answers) == [201, 409]
    assert len(listed.json()["items"]) == 1
