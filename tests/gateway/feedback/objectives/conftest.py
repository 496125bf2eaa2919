"""The goals service too, for feedback about objectives: its org copy bootstrapped from the
people service's snapshot, and two objectives of the recipient's (one public, one private). The
feedback service reaches it as well, to check the links feedback makes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from kit.db import Database
from kit.orgcopy import OrgCopy, OrgPerson
from services.goals.models import Objective
from services.goals.schemas import Visibility
from tests.feedback.support import feedback_beside_goals
from tests.gateway.feedback.scene import Org
from tests.gateway.support import Recorder, recorded_client
from tests.goals import factories as goals_rows
from tests.support import AUTH, service_app


@pytest.fixture
async def goals_db(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Database]:
    database = Database(await fresh_database("goals"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
async def goals_http(goals_db: Database, recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    async with recorded_client(service_app("goals", goals_db), "goals", recorder) as http:
        yield http


@pytest.fixture
async def feedback_http(
    feedback_db: Database, goals_db: Database, recorder: Recorder
) -> AsyncIterator[httpx.AsyncClient]:
    app = feedback_beside_goals(feedback_db, goals_db)
    async with recorded_client(app, "feedback", recorder) as http:
        yield http


@pytest.fixture
async def objectives(
    org: Org, people_app: FastAPI, goals_db: Database, recorder: Recorder
) -> tuple[Objective, Objective]:
    """The recipient's public objective and their private one."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=people_app), base_url="http://people"
    ) as people:
        copy = OrgCopy(service="goals", database=goals_db, client=people, auth=AUTH)
        assert await copy.bootstrap()
    async with goals_db.sessionmaker() as session:
        cycle = await goals_rows.create_cycle(session)
        owner = await session.get(OrgPerson, org.recipient.id)
        assert owner is not None
        public = await goals_rows.create_objective(session, cycle, owner, title="Ship search")
        private = await goals_rows.create_objective(
            session, cycle, owner, title="Grow as a lead", visibility=Visibility.PRIVATE
        )
        await session.commit()
    recorder.clear()
    return public, private
