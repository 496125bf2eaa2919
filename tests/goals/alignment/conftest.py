"""The alignment graph on the fast tier (the goals fixtures apply here too): an organisation
of two teams to align across, bearer headers of its people, and a team's and Ada's objectives."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import Cycle, KeyResult, Objective
from tests.goals.alignment.factories import As, Org
from tests.goals.factories import (
    add_member,
    create_key_result,
    create_objective,
    create_person,
    create_team,
)
from tests.support import Tokens


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


@pytest.fixture
async def team_goal(session: AsyncSession, cycle: Cycle, org: Org) -> Objective:
    return await create_objective(session, cycle, org.platform, title="A platform others build on")


@pytest.fixture
async def team_result(session: AsyncSession, team_goal: Objective) -> KeyResult:
    return await create_key_result(session, team_goal, title="p95 latency", start=400, target=200)


@pytest.fixture
async def ada_goal(session: AsyncSession, cycle: Cycle, org: Org) -> Objective:
    return await create_objective(session, cycle, org.ada, title="Faster builds")


@pytest.fixture
def as_(org: Org, tokens: Tokens) -> As:
    return As(org, tokens)
