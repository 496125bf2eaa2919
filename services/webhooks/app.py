"""The webhooks service's app and the spec the `inspire` command runs it by."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from kit.api import AppParts, ServiceSpec, create_service_app
from kit.db import Database
from kit.orgcopy import ORG_METADATA, OrgDirectory, keep_org_copy
from services.webhooks.catalogue import ClientFactory
from services.webhooks.config import WebhooksSettings
from services.webhooks.context import Webhooks
from services.webhooks.delivery.ssrf import Resolver, system_resolver
from services.webhooks.eventlog import log_events, prune_event_log
from services.webhooks.events import CATALOGUE
from services.webhooks.models import WebhooksModel
from services.webhooks.routes import routers

_KIT_CATALOGUE_PATH = "/v1/event-types"


def _remove_kit_catalogue(router: APIRouter) -> None:
    """Take the kit's `GET /v1/event-types` out of `router` and the routers included in it
    (included lazily by FastAPI: this runs before the first request builds its tables)."""
    for route in list(router.routes):
        included = getattr(route, "original_router", None)
        if isinstance(included, APIRouter):
            _remove_kit_catalogue(included)
        elif (
            isinstance(route, APIRoute)
            and route.path == _KIT_CATALOGUE_PATH
            and route.endpoint.__module__ == "kit.feed"
        ):
            router.routes.remove(route)


def create_app(
    settings: WebhooksSettings,
    database: Database | None = None,
    catalogue_client: ClientFactory | None = None,
    resolver: Resolver = system_resolver,
) -> FastAPI:
    parts = AppParts(
        name="webhooks",
        settings=settings,
        directory=OrgDirectory(),
        catalogue=CATALOGUE,
        routers=routers(),
        description="Outbound webhooks: the event log of every service, subscriptions and "
        "signed, retried deliveries per the Standard Webhooks specification.",
        workers=[keep_org_copy, log_events, prune_event_log],
    )
    app = create_service_app(parts, database)
    # The kit serves each service's own catalogue at this path; here the path serves every
    # service's (routes.list_event_types), so the kit's route gives way.
    _remove_kit_catalogue(app.router)
    app.state.webhooks = Webhooks.of(settings, catalogue_client, resolver)
    return app


SPEC = ServiceSpec(
    name="webhooks",
    settings_class=WebhooksSettings,
    create_app=create_app,
    metadata=WebhooksModel.metadata,
    extra_metadata=(ORG_METADATA,),
    migrations=Path(__file__).parent / "migrations",
    dev_port=8005,
)
