"""The goals service on the fast tier: its app and a session on one rolled-back transaction,
an HR admin in the org copy to act as, and a look at the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.events import OutboxEvent
from kit.models import utcnow
from kit.orgcopy import OrgPerson
from kit.settings import Environment
from services.goals.app import create_app
from services.goals.config import GoalsSettings
from services.goals.models import Cycle
from tests.conftest import AUTH, Tokens, rolled_back
from tests.goals.factories import create_cycle, create_hr_admin


@pytest.fixture
async def goals_db(fast_databases: dict[str, Database]) -> AsyncIterator[Database]:
    async with rolled_back(fast_databases["goals"]) as database:
        yield database


@pytest.fixture
def app(goals_db: Database) -> FastAPI:
    settings = GoalsSettings(
        database_url=goals_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
    )
    return create_app(settings, database=goals_db)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://goals"
    ) as client:
        yield client


@pytest.fixture
async def session(goals_db: Database) -> AsyncIterator[AsyncSession]:
    """Where factories write; requests see it, being on the same connection."""
    async with goals_db.sessionmaker() as session:
        yield session


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


def problem_fields(response: httpx.Response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def problem_codes(response: httpx.Response) -> set[str]:
    return {error["code"] for error in response.json()["errors"]}
