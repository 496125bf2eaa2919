"""The gateway's way to the services: one typed client per service, all opened together for
the life of the process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from gateway.clients.assessment import AssessmentClient
from gateway.clients.base import (
    Caller,
    Conflict,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    Rejected,
    ServiceClient,
    ServiceError,
    Unavailable,
)
from gateway.clients.feedback import FeedbackClient
from gateway.clients.goals import GoalsClient
from gateway.clients.people import PeopleClient
from gateway.clients.webhooks import WebhooksClient
from gateway.config import GatewaySettings
from kit.observability import client_hooks


@dataclass(frozen=True, slots=True)
class Clients:
    """One client per service, shared by every request of the process."""

    people: PeopleClient
    goals: GoalsClient
    feedback: FeedbackClient
    assessment: AssessmentClient
    # None only where the gateway is built without it (tests of other services): its fields
    # then fail as unavailable.
    webhooks: WebhooksClient | None = None


def http_client(base_url: str, settings: GatewaySettings) -> httpx.AsyncClient:
    """A pooled client to one service: bounded waits, the request id passed on."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(
            settings.service_timeout_seconds, connect=settings.service_connect_timeout_seconds
        ),
        limits=httpx.Limits(
            max_connections=settings.service_max_connections,
            max_keepalive_connections=settings.service_max_connections,
        ),
        event_hooks=client_hooks(),
    )


@contextlib.asynccontextmanager
async def open_clients(settings: GatewaySettings) -> AsyncIterator[Clients]:
    async with contextlib.AsyncExitStack() as stack:
        people = await stack.enter_async_context(http_client(settings.urls.people_url, settings))
        goals = await stack.enter_async_context(http_client(settings.urls.goals_url, settings))
        feedback = await stack.enter_async_context(
            http_client(settings.urls.feedback_url, settings)
        )
        webhooks = await stack.enter_async_context(
            http_client(settings.urls.webhooks_url, settings)
        )
        assessment = await stack.enter_async_context(
            http_client(settings.urls.assessment_url, settings)
        )
        yield Clients(
            people=PeopleClient(people),
            goals=GoalsClient(goals),
            feedback=FeedbackClient(feedback),
            assessment=AssessmentClient(assessment),
            webhooks=WebhooksClient(webhooks),
        )


__all__ = [
    "AssessmentClient",
    "Caller",
    "Clients",
    "Conflict",
    "FeedbackClient",
    "GoalsClient",
    "NotAllowed",
    "NotAuthenticated",
    "NotFound",
    "PeopleClient",
    "Rejected",
    "ServiceClient",
    "ServiceError",
    "Unavailable",
    "WebhooksClient",
    "http_client",
    "open_clients",
]
