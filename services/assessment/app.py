"""The assessment service's app and the spec the `inspire` command runs it by."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kit.api import AppParts, ServiceSpec, create_service_app
from kit.db import Database
from kit.orgcopy import ORG_METADATA, OrgDirectory, keep_org_copy
from services.assessment.config import AssessmentSettings
from services.assessment.events import CATALOGUE
from services.assessment.models import AssessmentModel
from services.assessment.reports.clock import keep_round_clock
from services.assessment.routes import routers


def create_app(settings: AssessmentSettings, database: Database | None = None) -> FastAPI:
    parts = AppParts(
        name="assessment",
        settings=settings,
        directory=OrgDirectory(),
        catalogue=CATALOGUE,
        routers=routers(),
        description="Assessment instruments: the question banks of maturity, trust and needs "
        "surveys, built in or licensed.",
        workers=[keep_org_copy, keep_round_clock],
    )
    return create_service_app(parts, database)


SPEC = ServiceSpec(
    name="assessment",
    settings_class=AssessmentSettings,
    create_app=create_app,
    metadata=AssessmentModel.metadata,
    extra_metadata=(ORG_METADATA,),
    migrations=Path(__file__).parent / "migrations",
    dev_port=8004,
)
