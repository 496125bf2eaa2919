"""The goals service's app and the spec the `inspire` command runs it by."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kit.api import AppParts, ServiceSpec, create_service_app
from kit.db import Database
from kit.orgcopy import ORG_METADATA, OrgDirectory, keep_org_copy
from services.goals.config import GoalsSettings
from services.goals.events import CATALOGUE
from services.goals.models import GoalsModel
from services.goals.routes import routers


def create_app(settings: GoalsSettings, database: Database | None = None) -> FastAPI:
    parts = AppParts(
        name="goals",
        settings=settings,
        directory=OrgDirectory(),
        catalogue=CATALOGUE,
        routers=routers(),
        description="OKRs: cycles, objectives, key results and check-ins.",
        workers=[keep_org_copy],
    )
    return create_service_app(parts, database)


SPEC = ServiceSpec(
    name="goals",
    settings_class=GoalsSettings,
    create_app=create_app,
    metadata=GoalsModel.metadata,
    migrations=Path(__file__).parent / "migrations",
    dev_port=8002,
    extra_metadata=(ORG_METADATA,),
)
