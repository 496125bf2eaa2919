"""The people service's app and the spec the `inspire` command runs it by."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kit.api import AppParts, ServiceSpec, create_service_app
from kit.db import Database
from services.people.config import PeopleSettings
from services.people.events import CATALOGUE
from services.people.hris.worker import reconcile_hris
from services.people.models import PeopleModel
from services.people.routes import routers
from services.people.service import PeopleDirectory


def create_app(settings: PeopleSettings, database: Database | None = None) -> FastAPI:
    parts = AppParts(
        name="people",
        settings=settings,
        directory=PeopleDirectory(),
        catalogue=CATALOGUE,
        routers=routers(),
        workers=[reconcile_hris],
        description="The directory: people, teams, reporting lines, job roles and skills.",
    )
    return create_service_app(parts, database)


SPEC = ServiceSpec(
    name="people",
    settings_class=PeopleSettings,
    create_app=create_app,
    metadata=PeopleModel.metadata,
    migrations=Path(__file__).parent / "migrations",
    dev_port=8001,
)
