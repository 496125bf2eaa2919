"""Rows written straight to the database to set the scene of a test: the org copy (this
service's own data; an end-to-end test proves it follows the directory) and the goals."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id, utcnow
from kit.orgcopy import OrgMembership, OrgPerson, OrgTeam
from services.goals.models import (
    CheckIn,
    Closing,
    Comment,
    Contributor,
    Cycle,
    KeyResult,
    Milestone,
    Objective,
    Signature,
)
from services.goals.schemas import (
    CheckInStatus,
    ClosingSource,
    CycleStatus,
    KeyResultKind,
    OwnerKind,
    SignatureRole,
)

_numbers = itertools.count(1)
M = TypeVar(
    "M",
    OrgPerson,
    OrgTeam,
    OrgMembership,
    Cycle,
    Objective,
    Contributor,
    Signature,
    Comment,
    Closing,
    KeyResult,
    Milestone,
    CheckIn,
)


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


async def create_cycle(
    session: AsyncSession, *, today: date | None = None, **overrides: Any
) -> Cycle:
    """An active cycle under way on `today` (the day the test runs unless told): begun 30
    days before it, ending 60 days after; a test that needs another moment says so."""
    today = today or utcnow().date()
    values: dict[str, Any] = {
        "name": f"Cycle {next(_numbers)}",
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=60),
        "status": CycleStatus.ACTIVE,
    }
    return await _insert(session, Cycle(**(values | overrides)))


async def create_objective(
    session: AsyncSession, cycle: Cycle, owner: OrgPerson | OrgTeam | None, **overrides: Any
) -> Objective:
    """An objective of `owner`: a person, a team or (None) the company; created by the
    person, or by nobody we know of for a team or the company."""
    values: dict[str, Any] = {
        "cycle_id": cycle.id,
        "title": f"Objective {next(_numbers)}",
        "created_by": owner.id if isinstance(owner, OrgPerson) else new_id(),
    }
    if isinstance(owner, OrgPerson):
        values |= {"owner_kind": OwnerKind.PERSON, "owner_person_id": owner.id}
    elif isinstance(owner, OrgTeam):
        values |= {"owner_kind": OwnerKind.TEAM, "owner_team_id": owner.id}
    else:
        values["owner_kind"] = OwnerKind.COMPANY
    return await _insert(session, Objective(**(values | overrides)))


async def add_contributor(
    session: AsyncSession, objective: Objective, person: OrgPerson
) -> Contributor:
    return await _insert(
        session,
        Contributor(objective_id=objective.id, person_id=person.id, added_by=person.id),
    )


async def create_signature(
    session: AsyncSession, objective: Objective, signer: OrgPerson, role: SignatureRole
) -> Signature:
    return await _insert(
        session, Signature(objective_id=objective.id, signer_id=signer.id, role=role)
    )


async def create_comment(
    session: AsyncSession, objective: Objective, author: OrgPerson, **overrides: Any
) -> Comment:
    values: dict[str, Any] = {"body": f"Comment {next(_numbers)}"}
    return await _insert(
        session,
        Comment(objective_id=objective.id, author_id=author.id, **(values | overrides)),
    )


async def create_closing(session: AsyncSession, objective: Objective, **overrides: Any) -> Closing:
    values: dict[str, Any] = {
        "objective_id": objective.id,
        "score": 0.5,
        "retrospective": "What we learnt.",
        "source": ClosingSource.SUBMITTED,
    }
    return await _insert(session, Closing(**(values | overrides)))


async def create_key_result(
    session: AsyncSession, objective: Objective, **overrides: Any
) -> KeyResult:
    """A key result from `start` to `target` (0 to 100 unless told), increasing or
    decreasing as they say; another `kind` when given, with its own figures."""
    values: dict[str, Any] = {
        "objective_id": objective.id,
        "title": f"Key result {next(_numbers)}",
        "start": 0.0,
        "target": 100.0,
    }
    values |= overrides
    values.setdefault("current", values["start"])
    if "kind" not in values:
        up = values["target"] > values["start"]
        values["kind"] = KeyResultKind.INCREASE_TO if up else KeyResultKind.DECREASE_TO
    return await _insert(session, KeyResult(**values))


async def create_milestones(
    session: AsyncSession, objective: Objective, *done: bool, **overrides: Any
) -> tuple[KeyResult, list[Milestone]]:
    """A `milestones` key result with one milestone per flag, done or not."""
    key_result = await create_key_result(
        session,
        objective,
        kind=KeyResultKind.MILESTONES,
        start=0.0,
        target=float(len(done)),
        current=float(sum(done)),
        **overrides,
    )
    milestones = [
        await _insert(
            session,
            Milestone(
                key_result_id=key_result.id, position=position, title=f"Step {position}", done=flag
            ),
        )
        for position, flag in enumerate(done, start=1)
    ]
    return key_result, milestones


async def create_check_in(
    session: AsyncSession, key_result: KeyResult, author: OrgPerson, **overrides: Any
) -> CheckIn:
    values: dict[str, Any] = {
        "key_result_id": key_result.id,
        "value": key_result.current,
        "confidence": 7,
        "status": CheckInStatus.ON_TRACK,
        "author_id": author.id,
    }
    return await _insert(session, CheckIn(**(values | overrides)))


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
