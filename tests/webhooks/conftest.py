"""The webhooks service on the fast tier (its client, session and outbox come from the root
conftest), reaching the other services' real apps in process for their event catalogues; and
the people who call it: an HR admin, an employee, an integration."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.orgcopy import OrgPerson
from kit.settings import Environment
from services.webhooks.app import create_app
from services.webhooks.config import WebhooksSettings
from tests.support import AUTH, Tokens, service_app
from tests.webhooks.delivery.support import Pointed
from tests.webhooks.factories import create_hr_admin, create_person
from tests.webhooks.support import SOURCES, URLS, catalogue_client, integration


@pytest.fixture
def service_name() -> str:
    return "webhooks"


@pytest.fixture(scope="session")
def source_apps(fast_databases: dict[str, Database]) -> dict[str, FastAPI]:
    """The other services' real apps, whose catalogues the webhooks service gathers."""
    return {name: service_app(name, fast_databases[name]) for name in SOURCES}


WebhooksApp = Callable[..., FastAPI]

# What the tests' endpoint names resolve to: subscriptions are checked against the SSRF guard
# when saved. A name not listed does not resolve (and is accepted: delivery checks again).
NAMES = {
    "hris.example.com": ["93.184.215.14"],
    "internal.example.com": ["127.0.0.1"],
    "mixed.example.com": ["93.184.215.14", "10.0.0.7"],
}


@pytest.fixture
def webhooks_app(service_db: Database, source_apps: dict[str, FastAPI]) -> WebhooksApp:
    """`webhooks_app(**settings)`: the real app on the test's database, seeing `source_apps`
    (or the apps given as `sources=`)."""

    def make(sources: dict[str, FastAPI] | None = None, **overrides: object) -> FastAPI:
        settings = WebhooksSettings.model_validate(
            {
                "database_url": service_db.url.render_as_string(hide_password=False),
                "environment": Environment.TEST,
                "auth": AUTH,
                "urls": URLS,
                **overrides,
            }
        )
        apps = source_apps if sources is None else sources
        return create_app(
            settings,
            database=service_db,
            catalogue_client=catalogue_client(apps),
            resolver=Pointed(NAMES),
        )

    return make


@pytest.fixture
def app(webhooks_app: WebhooksApp) -> FastAPI:
    return webhooks_app(insecure_hosts=["receiver.test"])


@pytest.fixture
async def admin(session: AsyncSession) -> OrgPerson:
    return await create_hr_admin(session, email="hana.hr@example.com")


@pytest.fixture
def as_admin(admin: OrgPerson, tokens: Tokens) -> dict[str, str]:
    return tokens.person(admin.email)


@pytest.fixture
async def as_employee(session: AsyncSession, tokens: Tokens) -> dict[str, str]:
    employee = await create_person(session, email="eve.employee@example.com")
    return tokens.person(employee.email)


@pytest.fixture
def as_integration() -> dict[str, str]:
    """The integration `hris`."""
    return integration("hris")
