"""Rows written straight to the database to set the scene of a test: the org copy (this
service's own data; an end-to-end test proves it follows the directory) and the goals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
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
from tests.factories import create_hr_admin as create_hr_admin
from tests.factories import create_person as create_person
from tests.factories import insert, numbers
from tests.factories import unknown_id as unknown_id

# --- The org copy ----------------------------------------------------------------------------


async def create_team(session: AsyncSession, **overrides: Any) -> OrgTeam:
    values: dict[str, Any] = {"id": new_id(), "name": f"Team {next(numbers)}", "kind": "team"}
    return await insert(session, OrgTeam(**(values | overrides)))


async def add_member(session: AsyncSession, team: OrgTeam, person: OrgPerson) -> OrgMembership:
    return await insert(session, OrgMembership(team_id=team.id, person_id=person.id))


# --- Goals -----------------------------------------------------------------------------------


async def create_cycle(
    session: AsyncSession, *, today: date | None = None, **overrides: Any
) -> Cycle:
    """An active cycle under way on `today` (the day the test runs unless told): begun 30
    days before it, ending 60 days after; a test that needs another moment says so."""
    today = today or utcnow().date()
    values: dict[str, Any] = {
        "name": f"Cycle {next(numbers)}",
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=60),
        "status": CycleStatus.ACTIVE,
    }
    return await insert(session, Cycle(**(values | overrides)))


async def create_objective(
    session: AsyncSession, cycle: Cycle, owner: OrgPerson | OrgTeam | None, **overrides: Any
) -> Objective:
    """An objective of `owner`: a person, a team or (None) the company; created by the
    person, or by nobody we know of for a team or the company."""
    values: dict[str, Any] = {
        "cycle_id": cycle.id,
        "title": f"Objective {next(numbers)}",
        "created_by": owner.id if isinstance(owner, OrgPerson) else new_id(),
    }
    if isinstance(owner, OrgPerson):
        values |= {"owner_kind": OwnerKind.PERSON, "owner_person_id": owner.id}
    elif isinstance(owner, OrgTeam):
        values |= {"owner_kind": OwnerKind.TEAM, "owner_team_id": owner.id}
    else:
        values["owner_kind"] = OwnerKind.COMPANY
    return await insert(session, Objective(**(values | overrides)))


async def add_contributor(
    session: AsyncSession, objective: Objective, person: OrgPerson
) -> Contributor:
    return await insert(
        session,
        Contributor(objective_id=objective.id, person_id=person.id, added_by=person.id),
    )


async def create_signature(
    session: AsyncSession, objective: Objective, signer: OrgPerson, role: SignatureRole
) -> Signature:
    return await insert(
        session, Signature(objective_id=objective.id, signer_id=signer.id, role=role)
    )


async def create_comment(
    session: AsyncSession, objective: Objective, author: OrgPerson, **overrides: Any
) -> Comment:
    values: dict[str, Any] = {"body": f"Comment {next(numbers)}"}
    return await insert(
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
    return await insert(session, Closing(**(values | overrides)))


async def create_key_result(
    session: AsyncSession, objective: Objective, **overrides: Any
) -> KeyResult:
    """A key result from `start` to `target` (0 to 100 unless told), increasing or
    decreasing as they say; another `kind` when given, with its own figures."""
    values: dict[str, Any] = {
        "objective_id": objective.id,
        "title": f"Key result {next(numbers)}",
        "start": 0.0,
        "target": 100.0,
    }
    values |= overrides
    values.setdefault("current", values["start"])
    if "kind" not in values:
        up = values["target"] > values["start"]
        values["kind"] = KeyResultKind.INCREASE_TO if up else KeyResultKind.DECREASE_TO
    return await insert(session, KeyResult(**values))


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
        await insert(
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
    return await insert(session, CheckIn(**(values | overrides)))


# --- Through the API -------------------------------------------------------------------------


def new_objective(cycle: Cycle, **overrides: Any) -> dict[str, Any]:
    """The body of a request that creates an objective in `cycle`."""
    body: dict[str, Any] = {"cycle_id": str(cycle.id), "title": "Ship the mobile app"}
    return body | overrides


def new_key_result(**overrides: Any) -> dict[str, Any]:
    """The body of a request that adds a key result."""
    body: dict[str, Any] = {
        "title": "Weekly active users",
        "start": 100,
        "target": 250,
        "unit": "users",
    }
    return body | overrides


async def add(
    client: httpx.AsyncClient, objective: Objective, headers: dict[str, str], **fields: Any
) -> httpx.Response:
    """Adds a key result to `objective`."""
    return await client.post(
        f"/v1/objectives/{objective.id}/key-results",
        json={"title": "A key result"} | fields,
        headers=headers,
    )


async def check_in(
    client: httpx.AsyncClient, key_result_id: str, headers: dict[str, str], **fields: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/key-results/{key_result_id}/check-ins",
        json={"confidence": 7} | fields,
        headers=headers,
    )
