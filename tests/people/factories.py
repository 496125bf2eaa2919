"""Rows of the directory written straight to the database, to set the scene of a test."""

from __future__ import annotations

import itertools
import uuid
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Membership, Person, Role, Skill, Team
from services.people.schemas import AccessRole

_numbers = itertools.count(1)
M = TypeVar("M", Person, Team, Membership, Role, Skill)


async def _insert(session: AsyncSession, row: M) -> M:
    session.add(row)
    await session.flush()
    return row


async def create_person(session: AsyncSession, **overrides: Any) -> Person:
    number = next(_numbers)
    values: dict[str, Any] = {
        "email": f"person{number}@example.com",
        "name": f"Person {number}",
        "locale": "en-GB",
        "time_zone": "Europe/London",
    }
    return await _insert(session, Person(**(values | overrides)))


async def create_hr_admin(session: AsyncSession, **overrides: Any) -> Person:
    return await create_person(session, access_role=AccessRole.HR_ADMIN, **overrides)


async def create_team(session: AsyncSession, **overrides: Any) -> Team:
    return await _insert(session, Team(**({"name": f"Team {next(_numbers)}"} | overrides)))


async def add_member(session: AsyncSession, team: Team, person: Person) -> Membership:
    return await _insert(session, Membership(team_id=team.id, person_id=person.id))


async def create_role(session: AsyncSession, **overrides: Any) -> Role:
    return await _insert(session, Role(**({"name": f"Role {next(_numbers)}"} | overrides)))


async def create_skill(session: AsyncSession, **overrides: Any) -> Skill:
    return await _insert(session, Skill(**({"name": f"Skill {next(_numbers)}"} | overrides)))


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
