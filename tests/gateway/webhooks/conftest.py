"""The webhooks service beside the people service for the gateway's webhooks tests: its org
copy bootstrapped from the people service, its event catalogue read from the people service,
endpoint names resolved by the tests, and the people who call: an HR admin and an employee."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from gateway.clients import (
    AssessmentClient,
    Clients,
    FeedbackClient,
    GoalsClient,
    PeopleClient,
    WebhooksClient,
)
from kit.db import Database
from kit.orgcopy import OrgCopy
from kit.settings import Environment
from services.webhooks.app import create_app
from services.webhooks.config import WebhooksSettings
from tests.gateway.support import Recorder, recorded_client
from tests.gateway.webhooks.scene import Callers
from tests.people import factories as people_rows
from tests.support import AUTH, Tokens
from tests.webhooks.delivery.support import Pointed
from tests.webhooks.support import URLS, catalogue_client


@pytest.fixture
async def webhooks_db(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("webhooks"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
async def webhooks_http(
    webhooks_db: Database, people_app: FastAPI, recorder: Recorder
) -> AsyncIterator[httpx.AsyncClient]:
    settings = WebhooksSettings(
        database_url=webhooks_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
        urls=URLS,
    )
    app = create_app(
        settings,
        database=webhooks_db,
        catalogue_client=catalogue_client({"people": people_app}),
        resolver=Pointed({"hris.example.com": ["93.184.215.14"], "inside.test": ["10.1.2.3"]}),
    )
    async with recorded_client(app, "webhooks", recorder) as http:
        yield http


@pytest.fixture
def clients(
    people_http: httpx.AsyncClient,
    goals_http: httpx.AsyncClient,
    feedback_http: httpx.AsyncClient,
    assessment_http: httpx.AsyncClient,
    webhooks_http: httpx.AsyncClient,
) -> Clients:
    return Clients(
        people=PeopleClient(people_http),
        goals=GoalsClient(goals_http),
        feedback=FeedbackClient(feedback_http),
        assessment=AssessmentClient(assessment_http),
        webhooks=WebhooksClient(webhooks_http),
    )


@pytest.fixture
async def callers(
    people_db: Database, people_app: FastAPI, webhooks_db: Database, tokens: Tokens
) -> Callers:
    async with people_db.sessionmaker() as session:
        await people_rows.create_hr_admin(session, email="hana@example.com", name="Hana")
        await people_rows.create_person(session, email="eve@example.com", name="Eve")
        await session.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=people_app), base_url="http://people"
    ) as people:
        copy = OrgCopy(service="webhooks", database=webhooks_db, client=people, auth=AUTH)
        assert await copy.bootstrap()
    return Callers(tokens.person("hana@example.com"), tokens.person("eve@example.com"))
