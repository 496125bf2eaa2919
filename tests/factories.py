"""Rows written straight to a database to set the scene of a test, shared by the services: the
org copy's people, as the people feed would have copied them (every service but people keeps
one)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any, TypeVar

from sqlmodel import SQLModel, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id
from kit.orgcopy import OrgPerson

numbers = itertools.count(1)
"""A number no other row of this run has had, for names and emails that must not clash."""

Row = TypeVar("Row", bound=SQLModel)


async def insert(session: AsyncSession, row: Row) -> Row:
    session.add(row)
    await session.flush()
    return row


async def count_rows(session: AsyncSession, model: type[SQLModel]) -> int:
    """How many rows of `model` the test's transaction sees."""
    return (await session.exec(select(func.count()).select_from(model))).one()


async def create_person(session: AsyncSession, **overrides: Any) -> OrgPerson:
    number = next(numbers)
    values: dict[str, Any] = {
        "id": new_id(),
        "email": f"person{number}@example.com",
        "name": f"Person {number}",
        "active": True,
        "is_hr_admin": False,
    }
    return await insert(session, OrgPerson(**(values | overrides)))


async def create_hr_admin(session: AsyncSession, **overrides: Any) -> OrgPerson:
    return await create_person(session, is_hr_admin=True, **overrides)


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
