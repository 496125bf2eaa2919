"""Rows of the directory written straight to the database, to set the scene of a test."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Membership, Person, Role, Skill, Team
from services.people.schemas import AccessRole
from tests.factories import insert, numbers
from tests.factories import unknown_id as unknown_id


async def create_person(session: AsyncSession, **overrides: Any) -> Person:
    number = next(numbers)
    values: dict[str, Any] = {
        "email": f"person{number}@example.com",
        "name": f"Person {number}",
        "locale": "en-GB",
        "time_zone": "Europe/London",
    }
    return await insert(session, Person(**(values | overrides)))


async def create_hr_admin(session: AsyncSession, **overrides: Any) -> Person:
    return await create_person(session, access_role=AccessRole.HR_ADMIN, **overrides)


async def create_team(session: AsyncSession, **overrides: Any) -> Team:
    return await insert(session, Team(**({"name": f"Team {next(numbers)}"} | overrides)))


async def add_member(session: AsyncSession, team: Team, person: Person) -> Membership:
    return await insert(session, Membership(team_id=team.id, person_id=person.id))


async def create_role(session: AsyncSession, **overrides: Any) -> Role:
    return await insert(session, Role(**({"name": f"Role {next(numbers)}"} | overrides)))


async def create_skill(session: AsyncSession, **overrides: Any) -> Skill:
    return await insert(session, Skill(**({"name": f"Skill {next(numbers)}"} | overrides)))


def new_person(**overrides: Any) -> dict[str, Any]:
    """The body of a request that creates a person."""
    body: dict[str, Any] = {
        "email": "ada.lovelace@example.com",
        "name": "Ada Lovelace",
        "title": "Engineer",
        "locale": "en-GB",
        "time_zone": "Europe/London",
    }
    return body | overrides
