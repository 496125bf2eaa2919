"""Members act at the same moment, on committed data: a group never holds more people than
its size."""

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


async def test_two_invitations_at_once_never_overfill_a_group(
    http: httpx.AsyncClient, people: list[OrgPerson], tokens: Tokens
) -> None:
    first, _, a, b = people
    created = await http.post(
        "/v1/accountability-groups",
        json={"name": "Pair", "max_members": 2},
        headers=tokens.person(first.email),
    )
    path = f"/v1/accountability-groups/{created.json()['id']}/invitations"

    answers = await asyncio.gather(
        *(
            http.post(path, json={"person_id": str(who.id)}, headers=tokens.person(first.email))
            for who in (a, b)
        )
    )

    assert sorted(response.status_code for response in answers) == [201, 409]
    group = await http.get(
        f"/v1/accountability-groups/{created.json()['id']}", headers=tokens.person(first.email)
    )
    assert len(group.json()["pending_invitations"]) == 1
