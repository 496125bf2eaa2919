"""Rows of the alignment graph written straight to the database (alignments, roll-ups,
dependencies), the organisation its tests align across, and its people's bearer headers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.goals.alignment.models import Alignment, Dependency, RollUp
from services.goals.alignment.schemas import AlignmentState
from services.goals.models import KeyResult, Objective
from tests.factories import insert
from tests.support import Tokens


async def align(
    session: AsyncSession,
    child: Objective,
    parent: Objective | KeyResult,
    **overrides: Any,
) -> Alignment:
    """`child` supports `parent`: an objective, or a key result (and so its objective);
    accepted by the parent's side unless `state` says otherwise."""
    values: dict[str, Any] = {
        "child_objective_id": child.id,
        "created_by": child.created_by,
        "state": AlignmentState.ACCEPTED,
    }
    if isinstance(parent, KeyResult):
        values |= {"parent_objective_id": parent.objective_id, "parent_key_result_id": parent.id}
    else:
        values["parent_objective_id"] = parent.id
    return await insert(session, Alignment(**(values | overrides)))


async def roll_up(session: AsyncSession, *objectives: Objective) -> None:
    for objective in objectives:
        session.add(RollUp(objective_id=objective.id, enabled_by=objective.created_by))
    await session.flush()


async def depend(
    session: AsyncSession, objective: Objective, on: Objective | KeyResult, **overrides: Any
) -> Dependency:
    values: dict[str, Any] = {
        "cycle_id": objective.cycle_id,
        "objective_id": objective.id,
        "note": "We need the new API by May.",
        "created_by": objective.created_by,
    }
    if isinstance(on, KeyResult):
        values |= {"on_objective_id": on.objective_id, "on_key_result_id": on.id}
    else:
        values["on_objective_id"] = on.id
    return await insert(session, Dependency(**(values | overrides)))


@dataclass
class Org:
    """ceo ─ lea (lead of platform; ada a member), ceo ─ sam (lead of sales; bob a member);
    eve on her own; hr, an HR admin."""

    ceo: OrgPerson
    lea: OrgPerson
    ada: OrgPerson
    sam: OrgPerson
    bob: OrgPerson
    eve: OrgPerson
    platform: OrgTeam
    sales: OrgTeam

    def person(self, name: str) -> OrgPerson:
        person: OrgPerson = getattr(self, name)
        return person


class As:
    """Bearer headers of the people of `Org`, by name."""

    def __init__(self, org: Org, tokens: Tokens) -> None:
        self.org = org
        self.tokens = tokens

    def __getattr__(self, name: str) -> dict[str, str]:
        return self.tokens.person(self.org.person(name).email)
