"""The assessment service on the fast tier: its app and a session on one rolled-back
transaction, an HR admin and an employee in its org copy, and a look at the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.events import OutboxEvent
from kit.orgcopy import OrgPerson
from tests.assessment.factories import create_person
from tests.conftest import Tokens, asgi_client, rolled_back, service_app


@pytest.fixture
async def assessment_db(fast_databases: dict[str, Database]) -> AsyncIterator[Database]:
    async with rolled_back(fast_databases["assessment"]) as database:
        yield database


@pytest.fixture
def app(assessment_db: Database) -> FastAPI:
    return service_app("assessment", assessment_db)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, "assessment") as client:
        yield client


@pytest.fixture
async def session(assessment_db: Database) -> AsyncIterator[AsyncSession]:
    """Where factories write; requests see it, being on the same connection."""
    async with assessment_db.sessionmaker() as session:
        yield session


@pytest.fixture
async def admin(session: AsyncSession) -> OrgPerson:
    return await create_person(session, email="hana.hr@example.com", is_hr_admin=True)


@pytest.fixture
def as_admin(admin: OrgPerson, tokens: Tokens) -> dict[str, str]:
    return tokens.person(admin.email)


@pytest.fixture
async def as_employee(session: AsyncSession, tokens: Tokens) -> dict[str, str]:
    employee = await create_person(session, email="eve.employee@example.com")
    return tokens.person(employee.email)


class Outbox:
    """The events written so far in this test, oldest first."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def events(self) -> list[tuple[str, dict[str, Any]]]:
        rows = await self.session.exec(select(OutboxEvent).order_by(col(OutboxEvent.seq)))
        return [(row.type, row.payload) for row in rows.all()]

    async def types(self) -> list[str]:
        return [type_ for type_, _ in await self.events()]


@pytest.fixture
def outbox(session: AsyncSession) -> Outbox:
    return Outbox(session)
