"""The goals service on the fast tier (its app, client, session and outbox come from the root
conftest), an HR admin and Ada in the org copy to act as, the day the test runs, and a cycle
under way with Ada's objective and a key result of it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, KeyResult, Objective
from tests.goals.factories import (
    create_cycle,
    create_hr_admin,
    create_key_result,
    create_objective,
    create_person,
)
from tests.support import Tokens


@pytest.fixture
def service_name() -> str:
    return "goals"


@pytest.fixture
async def admin(session: AsyncSession) -> OrgPerson:
    return await create_hr_admin(session, email="hana.hr@example.com", name="Hana HR")


@pytest.fixture
def as_admin(admin: OrgPerson, tokens: Tokens) -> dict[str, str]:
    return tokens.person(admin.email)


@pytest.fixture
def now() -> datetime:
    """The moment the test runs: what a test expects is reckoned from it, never from a date
    written down, so the suite says the same whatever day it runs."""
    return utcnow()


@pytest.fixture
def today(now: datetime) -> date:
    return now.date()


@pytest.fixture
async def cycle(session: AsyncSession, today: date) -> Cycle:
    """An active cycle under way today."""
    return await create_cycle(session, today=today)


@pytest.fixture
async def ada(session: AsyncSession) -> OrgPerson:
    """An employee, nobody's manager."""
    return await create_person(session, email="ada@example.com", name="Ada")


@pytest.fixture
def as_ada(ada: OrgPerson, tokens: Tokens) -> dict[str, str]:
    return tokens.person(ada.email)


@pytest.fixture
async def objective(session: AsyncSession, cycle: Cycle, ada: OrgPerson) -> Objective:
    return await create_objective(session, cycle, ada, title="Grow the community")


@pytest.fixture
async def key_result(session: AsyncSession, objective: Objective) -> KeyResult:
    return await create_key_result(session, objective, start=0.0, target=100.0)
