"""Reads are fast by shape: the caller, then one statement for a person, a page or a batch,
their teams included, however many people it returns."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Person
from tests.people.factories import add_member, create_person, create_team
from tests.support import Statements

# The caller, found by the token's claim; the people with their teams.
READ = 2


@pytest.fixture
async def people(session: AsyncSession, admin: Person) -> list[Person]:
    """Twelve people, each in two teams (and the admin in one)."""
    teams = [await create_team(session) for _ in range(3)]
    await add_member(session, teams[0], admin)
    found = [await create_person(session, manager_id=admin.id) for _ in range(12)]
    for index, person in enumerate(found):
        await add_member(session, teams[index % 3], person)
        await add_member(session, teams[(index + 1) % 3], person)
    return found


async def test_me_and_one_person_cost_two_statements(
    client: httpx.AsyncClient,
    as_admin: dict[str, str],
    people: list[Person],
    statements: Statements,
) -> None:
    assert await statements.of_read(client, "/v1/people/me", as_admin) == READ
    assert await statements.of_read(client, f"/v1/people/{people[0].id}", as_admin) == READ


async def test_an_unknown_person_costs_what_a_known_one_does(
    client: httpx.AsyncClient, as_admin: dict[str, str], statements: Statements
) -> None:
    statements.sent.clear()
    response = await client.get(f"/v1/people/{uuid.uuid4()}", headers=as_admin)
    assert response.status_code == 404
    assert len(statements.queries) == READ


@pytest.mark.parametrize(
    "path", ["/v1/people?limit={n}", "/v1/people?{ids}", "/v1/people?team_id={team}&limit={n}"]
)
async def test_a_page_or_batch_costs_the_same_statements_for_one_person_or_many(
    client: httpx.AsyncClient,
    as_admin: dict[str, str],
    people: list[Person],
    statements: Statements,
    path: str,
) -> None:
    team = (await client.get(f"/v1/people/{people[0].id}", headers=as_admin)).json()["team_ids"][0]

    def of(count: int) -> str:
        ids = "&".join(f"id={person.id}" for person in people[:count])
        return path.format(n=count, ids=ids, team=team)

    assert await statements.of_read(client, of(1), as_admin) == READ
    assert await statements.of_read(client, of(len(people)), as_admin) == READ
