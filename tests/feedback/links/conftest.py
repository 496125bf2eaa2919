"""The goals service beside the feedback service, in one process: the feedback app reaches the
real goals app over in-process HTTP, each on its fast-tier database rolled back at the end. The
goals service's org copy holds the same people as the feedback service's (as both copy the one
directory), and the recipient has a public objective and a private one, each with a key
result."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.orgcopy import OrgPerson
from services.goals.schemas import Visibility
from tests.factories import insert
from tests.feedback.factories import Org
from tests.feedback.links.support import Goals
from tests.feedback.support import feedback_beside_goals
from tests.goals import factories as goals_rows
from tests.support import rolled_back


@pytest.fixture
async def goals_db(fast_databases: dict[str, Database]) -> AsyncIterator[Database]:
    async with rolled_back(fast_databases["goals"]) as database:
        yield database


@pytest.fixture
def app(service_db: Database, goals_db: Database) -> FastAPI:
    return feedback_beside_goals(service_db, goals_db)


@pytest.fixture
async def goals(org: Org, goals_db: Database) -> Goals:
    async with goals_db.sessionmaker() as session:
        await _copy_people(session, org)
        cycle = await goals_rows.create_cycle(session)
        owner = await session.get(OrgPerson, org.recipient.id)
        public = await goals_rows.create_objective(session, cycle, owner, title="Ship search")
        private = await goals_rows.create_objective(
            session, cycle, owner, title="Grow as a lead", visibility=Visibility.PRIVATE
        )
        made = Goals(
            public,
            private,
            await goals_rows.create_key_result(session, public),
            await goals_rows.create_key_result(session, private),
        )
        # Within the test's transaction, which is rolled back at the end.
        await session.commit()
        return made


async def _copy_people(session: AsyncSession, org: Org) -> None:
    for person in org.people():
        await insert(session, OrgPerson(**person.model_dump()))
