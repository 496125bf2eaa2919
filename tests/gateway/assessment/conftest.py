"""The assessment service beside the people service for the gateway's assessment tests (the
gateway's client of it replaces the one to nowhere), its org copy bootstrapped from the people
service's snapshot, and the scene they share (`tests.gateway.assessment.scene`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from kit.db import Database
from kit.orgcopy import OrgCopy
from tests.gateway.assessment.scene import Org, write_org
from tests.gateway.support import Recorder, recorded_client
from tests.support import AUTH, Tokens, service_app


@pytest.fixture
async def assessment_db(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("assessment"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
def assessment_app(assessment_db: Database) -> FastAPI:
    return service_app("assessment", assessment_db)


@pytest.fixture
async def assessment_http(
    assessment_app: FastAPI, recorder: Recorder
) -> AsyncIterator[httpx.AsyncClient]:
    async with recorded_client(assessment_app, "assessment", recorder) as http:
        yield http


@pytest.fixture
async def assessment(assessment_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The service's REST API, to set the scene (rounds opened, answered, closed)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=assessment_app), base_url="http://assessment"
    ) as client:
        yield client


@pytest.fixture
async def org(
    people_db: Database,
    people_app: FastAPI,
    assessment_db: Database,
    assessment: httpx.AsyncClient,
    recorder: Recorder,
    tokens: Tokens,
) -> Org:
    async with people_db.sessionmaker() as session:
        org = await write_org(session, tokens, assessment)
        await session.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=people_app), base_url="http://people"
    ) as people:
        copy = OrgCopy(service="assessment", database=assessment_db, client=people, auth=AUTH)
        assert await copy.bootstrap()
    recorder.clear()
    return org
