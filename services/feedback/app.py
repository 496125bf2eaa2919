"""The feedback service's app and the spec the `inspire` command runs it by."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from kit.api import AppParts, ServiceSpec, create_service_app
from kit.db import Database
from kit.events import EventCatalogue
from kit.orgcopy import ORG_METADATA, OrgDirectory, keep_org_copy
from services.feedback.checkins import routes as checkins
from services.feedback.checkins.events import EVENT_TYPES as CHECK_IN_EVENTS
from services.feedback.config import FeedbackSettings
from services.feedback.events import CATALOGUE
from services.feedback.goals import close_goals_client, goals_client
from services.feedback.groups import routes as groups
from services.feedback.groups.events import EVENT_TYPES as GROUP_EVENTS
from services.feedback.groups.workers import follow_help_requests, open_rounds_on_cadence
from services.feedback.models import FeedbackModel
from services.feedback.nominations import routes as nominations
from services.feedback.nominations.events import EVENT_TYPES as NOMINATION_EVENTS
from services.feedback.oneonones import routes as oneonones
from services.feedback.oneonones.events import EVENT_TYPES as ONE_ON_ONE_EVENTS
from services.feedback.recognition import routes as recognition
from services.feedback.recognition.events import EVENT_TYPES as RECOGNITION_EVENTS
from services.feedback.requests import routes as requests
from services.feedback.requests.events import EVENT_TYPES as REQUEST_EVENTS
from services.feedback.routes import routers


def create_app(
    settings: FeedbackSettings,
    database: Database | None = None,
    goals_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app; `goals_transport` reaches the goals service otherwise than over the network
    (tests run both apps in one process)."""
    parts = AppParts(
        name="feedback",
        settings=settings,
        directory=OrgDirectory(),
        catalogue=EventCatalogue(
            "feedback",
            [
                *CATALOGUE.types.values(),
                *REQUEST_EVENTS,
                *RECOGNITION_EVENTS,
                *NOMINATION_EVENTS,
                *ONE_ON_ONE_EVENTS,
                *CHECK_IN_EVENTS,
                *GROUP_EVENTS,
            ],
        ),
        routers=[
            *routers(),
            *requests.routers(),
            *recognition.routers(),
            *nominations.routers(),
            *oneonones.routers(),
            *checkins.routers(),
            *groups.routers(),
        ],
        description="Praise and suggestions between people, seen only by whom the giver chose.",
        workers=[
            keep_org_copy,
            close_goals_client,
            follow_help_requests,
            open_rounds_on_cadence,
        ],
    )
    app = create_service_app(parts, database)
    app.state.goals = goals_client(settings, goals_transport)
    return app


SPEC = ServiceSpec(
    name="feedback",
    settings_class=FeedbackSettings,
    create_app=create_app,
    metadata=FeedbackModel.metadata,
    extra_metadata=(ORG_METADATA,),
    migrations=Path(__file__).parent / "migrations",
    dev_port=8003,
)
