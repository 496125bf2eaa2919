"""The people service on the fast tier: its app and a session on one rolled-back transaction,
an HR admin to act as, and a look at the outbox."""

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
from services.people.models import Person
from tests.conftest import Tokens, asgi_client, rolled_back, service_app
from tests.people.factories import create_hr_admin


@pytest.fixture
async def people_db(fast_databases: dict[str, Database]) -> AsyncIterator[Database]:
    async with rolled_back(fast_databases["people"]) as database:
        yield database


@pytest.fixture
def app(people_db: Database) -> FastAPI:
    return service_app("people", people_db)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, "people") as client:
        yield client


@pytest.fixture
async def session(people_db: Database) -> AsyncIterator[AsyncSession]:
    """Where factories write; requests see it, being on the same connection."""
    async with people_db.sessionmaker() as session:
        yield session


@pytest.fixture
async def admin(session: AsyncSession) -> Person:
    return await create_hr_admin(session, email="hana.hr@example.com", name="Hana HR")


@pytest.fixture
def as_admin(admin: Person, tokens: Tokens) -> dict[str, str]:
    return tokens.person(admin.email)


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
