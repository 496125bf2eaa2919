"""The people service on the fast tier (its app, client, session and outbox come from the root
conftest), and an HR admin to act as."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Person
from tests.people.factories import create_hr_admin
from tests.support import Tokens


@pytest.fixture
def service_name() -> str:
    return "people"


@pytest.fixture
async def admin(session: AsyncSession) -> Person:
    return await create_hr_admin(session, email="hana.hr@example.com", name="Hana HR")


@pytest.fixture
def as_admin(admin: Person, tokens: Tokens) -> dict[str, str]:
    return tokens.person(admin.email)
