"""The feedback service beside the people service for the gateway's feedback tests (the
gateway's client of it replaces the one to nowhere), its org copy bootstrapped from the people
service's snapshot as in production, and the scene they share (`tests.gateway.feedback.scene`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from kit.db import Database
from kit.orgcopy import OrgCopy
from tests.gateway.feedback.scene import Org
from tests.gateway.support import Recorder, recorded_client
from tests.people import factories as people_rows
from tests.support import AUTH, Tokens, service_app


@pytest.fixture
async def feedback_db(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("feedback"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
async def feedback_http(
    feedback_db: Database, recorder: Recorder
) -> AsyncIterator[httpx.AsyncClient]:
    app = service_app("feedback", feedback_db)
    async with recorded_client(app, "feedback", recorder) as http:
        yield http


@pytest.fixture
async def org(
    people_db: Database,
    people_app: FastAPI,
    feedback_db: Database,
    recorder: Recorder,
    tokens: Tokens,
) -> Org:
    async with people_db.sessionmaker() as session:
        skip = await people_rows.create_person(session, email="skip@example.com", name="Skip")
        manager = await people_rows.create_person(
            session, email="mia@example.com", name="Mia", manager_id=skip.id
        )
        recipient = await people_rows.create_person(
            session, email="rita@example.com", name="Rita", manager_id=manager.id
        )
        peer = await people_rows.create_person(
            session, email="pete@example.com", name="Pete", manager_id=manager.id
        )
        giver = await people_rows.create_person(session, email="gina@example.com", name="Gina")
        hr = await people_rows.create_hr_admin(session, email="hana@example.com", name="Hana")
        newcomer = await people_rows.create_person(session, email="nora@example.com", name="Nora")
        outsider = await people_rows.create_person(session, email="otto@example.com", name="Otto")
        await session.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=people_app), base_url="http://people"
    ) as people:
        copy = OrgCopy(service="feedback", database=feedback_db, client=people, auth=AUTH)
        assert await copy.bootstrap()
    recorder.clear()
    return Org(skip, manager, recipient, peer, giver, hr, newcomer, outsider, tokens)
