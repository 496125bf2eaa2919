"""The goals service's app and the spec the `inspire` command runs it by."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import Depends, FastAPI

from kit.api import AppParts, ServiceSpec, create_service_app
from kit.db import Database
from kit.events import EventCatalogue
from kit.orgcopy import ORG_METADATA, OrgDirectory, keep_org_copy
from services.goals import routes
from services.goals.alignment import routes as alignment
from services.goals.alignment.events import EVENT_TYPES as ALIGNMENT_EVENTS
from services.goals.checkins import routes as checkins
from services.goals.config import GoalsSettings
from services.goals.cycles import routes as cycles
from services.goals.development import routes as development
from services.goals.development.events import EVENT_TYPES as DEVELOPMENT_EVENTS
from services.goals.drafting import routes as drafting
from services.goals.events import CATALOGUE
from services.goals.experiments import routes as experiments
from services.goals.experiments.events import EVENT_TYPES as EXPERIMENT_EVENTS
from services.goals.help import routes as help_requests
from services.goals.help.events import EVENT_TYPES as HELP_EVENTS
from services.goals.ideas import routes as ideas
from services.goals.ideas.events import EVENT_TYPES as IDEA_EVENTS
from services.goals.keyresults import routes as keyresults
from services.goals.keyresults.events import EVENT_TYPES as KEY_RESULT_EVENTS
from services.goals.models import GoalsModel
from services.goals.people import close_people_client, people_client
from services.goals.search import routes as search


def create_app(
    settings: GoalsSettings,
    database: Database | None = None,
    people_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app; `people_transport` reaches the people service otherwise than over the network
    (tests run both apps in one process)."""
    parts = AppParts(
        name="goals",
        settings=settings,
        directory=OrgDirectory(),
        catalogue=EventCatalogue(
            "goals",
            [
                *CATALOGUE.types.values(),
                *KEY_RESULT_EVENTS,
                *ALIGNMENT_EVENTS,
                *HELP_EVENTS,
                *EXPERIMENT_EVENTS,
                *IDEA_EVENTS,
                *DEVELOPMENT_EVENTS,
            ],
        ),
        routers=[
            *cycles.routers(),
            *routes.routers(),
            *keyresults.routers(),
            *checkins.routers(),
            *drafting.routers(),
            *search.routers(),
            *alignment.routers(),
            *help_requests.routers(),
            *experiments.routers(),
            *ideas.routers(),
            *development.routers(),
        ],
        description="OKRs: cycles, objectives, key results, check-ins, drafting together.",
        workers=[keep_org_copy, close_people_client],
        # On the app, not on each router: every route is behind it, whoever adds one.
        dependencies=[Depends(routes.okr_firewall)],
    )
    app = create_service_app(parts, database)
    app.state.people = people_client(settings, people_transport)
    return app


SPEC = ServiceSpec(
    name="goals",
    settings_class=GoalsSettings,
    create_app=create_app,
    metadata=GoalsModel.metadata,
    migrations=Path(__file__).parent / "migrations",
    dev_port=8002,
    extra_metadata=(ORG_METADATA,),
)
