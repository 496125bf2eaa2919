"""The feedback service on the fast tier (its app, client, session and outbox come from the root
conftest), and an organisation in its org copy to act in."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.settings import ServiceUrls
from tests.feedback.factories import Org, create_hr_admin, create_person
from tests.feedback.support import NOWHERE
from tests.support import Tokens, service_app


@pytest.fixture
def service_name() -> str:
    return "feedback"


@pytest.fixture
def app(service_db: Database) -> FastAPI:
    """The feedback app; a link that needs the goals service answers 503 unless a folder's
    conftest wires one (tests/feedback/links does)."""
    return service_app("feedback", service_db, urls=ServiceUrls(goals_url=NOWHERE))


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
