"""The assessment service on the fast tier (its app, client, session and outbox come from the
root conftest), and an HR admin and an employee in its org copy."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from tests.assessment.factories import create_hr_admin, create_person
from tests.support import Tokens


@pytest.fixture
def service_name() -> str:
    return "assessment"


@pytest.fixture
async def admin(session: AsyncSession) -> OrgPerson:
    return await create_hr_admin(session, email="hana.hr@example.com")


@pytest.fixture
def as_admin(admin: OrgPerson, tokens: Tokens) -> dict[str, str]:
    return tokens.person(admin.email)


@pytest.fixture
async def as_employee(session: AsyncSession, tokens: Tokens) -> dict[str, str]:
    employee = await create_person(session, email="eve.employee@example.com")
    return tokens.person(employee.email)
