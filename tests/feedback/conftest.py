"""The feedback service on the fast tier: its app and a session on one rolled-back
transaction, an organisation in its org copy to act in, and a look at the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.events import OutboxEvent
from kit.orgcopy import OrgPerson
from tests.conftest import Tokens, asgi_client, rolled_back, service_app
from tests.feedback.factories import create_hr_admin, create_person


@pytest.fixture
async def feedback_db(fast_databases: dict[str, Database]) -> AsyncIterator[Database]:
    async with rolled_back(fast_databases["feedback"]) as database:
        yield database


@pytest.fixture
def app(feedback_db: Database) -> FastAPI:
    return service_app("feedback", feedback_db)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, "feedback") as client:
        yield client


@pytest.fixture
async def session(feedback_db: Database) -> AsyncIterator[AsyncSession]:
    """Where factories write; requests see it, being on the same connection."""
    async with feedback_db.sessionmaker() as session:
        yield session


@dataclass
class Org:
    """A slice of an organisation, as the org copy has it:

    skip_level ─ manager ─┬─ recipient        giver_manager ─ giver        hr_admin
                          └─ peer
    """

    skip_level: OrgPerson
    manager: OrgPerson
    recipient: OrgPerson
    peer: OrgPerson
    giver_manager: OrgPerson
    giver: OrgPerson
    hr_admin: OrgPerson
    tokens: Tokens

    def headers(self, caller: str) -> dict[str, str]:
        """Bearer headers of a person of this org by role, or of `integration` (allowed to
        read feedback) or `service`."""
        if caller == "integration":
            return self.tokens.integration("feedback:read")
        if caller == "service":
            return self.tokens.service("webhooks")
        person: OrgPerson = getattr(self, caller)
        return self.tokens.person(person.email)


@pytest.fixture
async def org(session: AsyncSession, tokens: Tokens) -> Org:
    skip_level = await create_person(session, name="Sam Skip")
    manager = await create_person(session, name="Mia Manager", manager_id=skip_level.id)
    giver_manager = await create_person(session, name="Gil Giver-Manager")
    return Org(
        skip_level=skip_level,
        manager=manager,
        recipient=await create_person(session, name="Rita Recipient", manager_id=manager.id),
        peer=await create_person(session, name="Pete Peer", manager_id=manager.id),
        giver_manager=giver_manager,
        giver=await create_person(session, name="Gina Giver", manager_id=giver_manager.id),
        hr_admin=await create_hr_admin(session, name="Hana HR"),
        tokens=tokens,
    )


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
