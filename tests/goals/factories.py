"""Rows written straight to the database to set the scene of a test: the org copy (this
service's own data; an end-to-end test proves it follows the directory) and the goals."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id
from kit.orgcopy import OrgMembership, OrgPerson, OrgTeam
from services.goals.models import CheckIn, Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus

_numbers = itertools.count(1)
M = TypeVar("M", OrgPerson, OrgTeam, OrgMembership, Cycle, Objective, KeyResult, CheckIn)


async def _insert(session: AsyncSession, row: M) -> M:
    session.add(row)
    await session.flush()
    return row


# --- The org copy ----------------------------------------------------------------------------


async def create_person(session: AsyncSession, **overrides: Any) -> OrgPerson:
    number = next(_numbers)
    values: dict[str, Any] = {
        "id": new_id(),
        "email": f"person{number}@example.com",
        "name": f"Person {number}",
        "active": True,
        "is_hr_admin": False,
    }
    return await _insert(session, OrgPerson(**(values | overrides)))


async def create_hr_admin(session: AsyncSession, **overrides: Any) -> OrgPerson:
    return await create_person(session, is_hr_admin=True, **overrides)


async def create_team(session: AsyncSession, **overrides: Any) -> OrgTeam:
    values: dict[str, Any] = {"id": new_id(), "name": f"Team {next(_numbers)}", "kind": "team"}
    return await _insert(session, OrgTeam(**(values | overrides)))


async def add_member(session: AsyncSession, team: OrgTeam, person: OrgPerson) -> OrgMembership:
    return await _insert(session, OrgMembership(team_id=team.id, person_id=person.id))


# --- Goals -----------------------------------------------------------------------------------


async def create_cycle(session: AsyncSession, **overrides: Any) -> Cycle:
    values: dict[str, Any] = {
        "name": f"Cycle {next(_numbers)}",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 3, 31),
        "status": CycleStatus.ACTIVE,
    }
    return await _insert(session, Cycle(**(values | overrides)))


async def create_objective(
    session: AsyncSession, cycle: Cycle, owner: OrgPerson | OrgTeam, **overrides: Any
) -> Objective:
    """An objective of `owner`, a person or a team (created by the person, or by nobody we
    know of for a team)."""
    values: dict[str, Any] = {
        "cycle_id": cycle.id,
        "title": f"Objective {next(_numbers)}",
        "created_by": owner.id if isinstance(owner, OrgPerson) else new_id(),
    }
    if isinstance(owner, OrgPerson):
        values["owner_person_id"] = owner.id
    else:
        values["owner_team_id"] = owner.id
    return await _insert(session, Objective(**(values | overrides)))


async def create_key_result(
    session: AsyncSession, objective: Objective, **overrides: Any
) -> KeyResult:
    values: dict[str, Any] = {
        "objective_id": objective.id,
        "title": f"Key result {next(_numbers)}",
        "start": 0.0,
        "target": 100.0,
    }
    values |= overrides
    values.setdefault("current", values["start"])
    return await _insert(session, KeyResult(**values))


async def create_check_in(
    session: AsyncSession, key_result: KeyResult, author: OrgPerson, **overrides: Any
) -> CheckIn:
    values: dict[str, Any] = {
        "key_result_id": key_result.id,
        "value": key_result.current,
        "confidence": 7,
        "author_id": author.id,
    }
    return await _insert(session, CheckIn(**(values | overrides)))


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
