"""The alignment graph on the fast tier (the goals fixtures apply here too): an organisation
of two teams to align across, rows written straight to the database, and a count of SQL
statements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.orgcopy import OrgPerson, OrgTeam
from services.goals.alignment.models import Alignment, Dependency, RollUp
from services.goals.alignment.schemas import AlignmentState
from services.goals.models import KeyResult, Objective
from tests.conftest import Tokens
from tests.goals.factories import add_member, create_person, create_team


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
    row = Alignment(**(values | overrides))
    session.add(row)
    await session.flush()
    return row


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
    row = Dependency(**(values | overrides))
    session.add(row)
    await session.flush()
    return row


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


@pytest.fixture
async def org(session: AsyncSession) -> Org:
    ceo = await create_person(session, email="ceo@example.com")
    lea = await create_person(session, email="lea@example.com", manager_id=ceo.id)
    ada = await create_person(session, email="ada@example.com", manager_id=lea.id)
    sam = await create_person(session, email="sam@example.com", manager_id=ceo.id)
    bob = await create_person(session, email="bob@example.com", manager_id=sam.id)
    eve = await create_person(session, email="eve@example.com")
    platform = await create_team(session, name="Platform", lead_id=lea.id)
    sales = await create_team(session, name="Sales", lead_id=sam.id)
    await add_member(session, platform, ada)
    await add_member(session, sales, bob)
    return Org(ceo=ceo, lea=lea, ada=ada, sam=sam, bob=bob, eve=eve, platform=platform, sales=sales)


class As:
    """Bearer headers of the people of `Org`, by name."""

    def __init__(self, org: Org, tokens: Tokens) -> None:
        self.org = org
        self.tokens = tokens

    def __getattr__(self, name: str) -> dict[str, str]:
        return self.tokens.person(self.org.person(name).email)


@pytest.fixture
def as_(org: Org, tokens: Tokens) -> As:
    return As(org, tokens)


class Statements:
    """Counts the SQL statements the goals database runs."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: Any) -> None:
        self.count += 1


@pytest.fixture
def statements(fast_databases: dict[str, Database]) -> Iterator[Statements]:
    counter = Statements()
    engine = fast_databases["goals"].engine.sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)
