"""The webhooks REST API under `/v1`: parse, call the service, answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.idempotency import redacted_on_replay
from kit.pagination import Page, PageDep
from services.webhooks import service
from services.webhooks.context import Webhooks
from services.webhooks.schemas import (
    EventQuery,
    EventRead,
    EventTypesRead,
    MessageQuery,
    MessageRead,
    RecoverRead,
    RecoverRequest,
    SecretRotationRead,
    SubscriptionCreate,
    SubscriptionQuery,
    SubscriptionRead,
    SubscriptionSecretRead,
    SubscriptionUpdate,
)
from services.webhooks.service import POLICY


def _webhooks(request: Request) -> Webhooks:
    webhooks: Webhooks = request.app.state.webhooks
    return webhooks


WebhooksDep = Annotated[Webhooks, Depends(_webhooks)]

events = service_router(prefix="/v1", tags=["events"])
subscriptions = service_router(prefix="/v1", tags=["subscriptions"])


def routers() -> list[APIRouter]:
    return [events, subscriptions]


@events.get("/event-types")
async def list_event_types(
    actor: Annotated[Actor, Depends(POLICY.require("event_type.read"))],
    webhooks: WebhooksDep,
) -> EventTypesRead:
    """Every event type of every service, with the JSON Schema of its `data`, the scope an
    integration needs to receive it and whether it is an OKR event (received only when named
    exactly). Gathered from each service's own catalogue; a service that cannot be reached is
    listed in `unavailable`."""
    return await service.list_event_types(actor, webhooks)


@events.get("/events")
async def list_events(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("event.read"))],
    webhooks: WebhooksDep,
    filters: Annotated[EventQuery, Query()],
    page: PageDep,
) -> Page[EventRead]:
    """The events of the last 30 days, oldest first, as their services published them. Filter
    by `type` (exact, or `goals.*`: every type of a service, `person.*`: every type so named),
    `source` and a time range. An integration sees the events of the services its scopes may
    read (`goals:read` for the goals service's…)."""
    return await service.list_events(session, actor, webhooks, filters, page)


# A secret is shown once: the answer kept for an `Idempotency-Key` replay never holds it.
SECRET_NOT_KEPT = [Depends(redacted_on_replay("secret"))]


@subscriptions.post("/subscriptions", status_code=201, dependencies=SECRET_NOT_KEPT)
async def create_subscription(
    data: SubscriptionCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.create"))],
    webhooks: WebhooksDep,
    response: Response,
) -> SubscriptionSecretRead:
    """Subscribe an endpoint to event types. The answer holds the signing secret, shown this
    once. An integration (scope `webhooks:write`) owns what it creates and may subscribe only
    to the types its scopes may read (403 `event_type_not_permitted`). With `Idempotency-Key`,
    a retry returns the first answer instead of subscribing twice, with `secret: null` (and
    `Idempotent-Replay-Redacted: secret`): the secret is never kept in clear; rotate it. An
    endpoint on a non-public address, in any notation, is 422 `address_not_allowed`."""
    created = await service.create_subscription(session, actor, webhooks, data)
    located(response, f"/v1/subscriptions/{created.id}", created.version)
    response.headers["Cache-Control"] = "no-store"
    return created


@subscriptions.get("/subscriptions")
async def list_subscriptions(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.read"))],
    filters: Annotated[SubscriptionQuery, Query()],
    page: PageDep,
) -> Page[SubscriptionRead]:
    """Subscriptions, oldest first: all of them for HR admins, its own for an integration."""
    return await service.list_subscriptions(session, actor, filters, page)


@subscriptions.get("/subscriptions/{subscription_id}")
async def get_subscription(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.read"))],
    response: Response,
) -> SubscriptionRead:
    """One subscription (never its secret); the `ETag` header is what `PATCH` wants in
    `If-Match`."""
    subscription = await service.get_subscription(session, actor, subscription_id)
    response.headers["ETag"] = etag(subscription.version)
    return subscription


@subscriptions.patch("/subscriptions/{subscription_id}")
async def update_subscription(
    subscription_id: uuid.UUID,
    data: SubscriptionUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.update"))],
    webhooks: WebhooksDep,
    if_match: IfMatch,
    response: Response,
) -> SubscriptionRead:
    """Change the URL, description, event types or `enabled`. Needs `If-Match` (428 without
    it, 412 when it changed since)."""
    subscription = await service.update_subscription(
        session, actor, webhooks, subscription_id, data, if_match
    )
    response.headers["ETag"] = etag(subscription.version)
    return subscription


@subscriptions.delete("/subscriptions/{subscription_id}", status_code=204)
async def delete_subscription(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.delete"))],
) -> None:
    """Delete a subscription with its messages and their delivery log; nothing more is sent."""
    await service.delete_subscription(session, actor, subscription_id)


@subscriptions.post("/subscriptions/{subscription_id}/enable")
async def enable_subscription(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.update"))],
    response: Response,
) -> SubscriptionRead:
    """Deliver to it again (also one the service disabled after its endpoint kept failing)."""
    subscription = await service.set_enabled(session, actor, subscription_id, enabled=True)
    response.headers["ETag"] = etag(subscription.version)
    return subscription


@subscriptions.post("/subscriptions/{subscription_id}/disable")
async def disable_subscription(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.update"))],
    response: Response,
) -> SubscriptionRead:
    """Stop queueing events for it; what was queued stays in its log."""
    subscription = await service.set_enabled(session, actor, subscription_id, enabled=False)
    response.headers["ETag"] = etag(subscription.version)
    return subscription


@subscriptions.post("/subscriptions/{subscription_id}/secret/rotate", dependencies=SECRET_NOT_KEPT)
async def rotate_secret(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("subscription.update"))],
    webhooks: WebhooksDep,
    response: Response,
) -> SecretRotationRead:
    """A new signing secret, shown this once. For 24 hours every delivery carries a signature
    by the previous secret too, so receivers can switch without losing one."""
    rotated = await service.rotate_secret(session, actor, webhooks, subscription_id)
    response.headers["Cache-Control"] = "no-store"
    return rotated


@subscriptions.get("/subscriptions/{subscription_id}/messages")
async def list_messages(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("message.read"))],
    filters: Annotated[MessageQuery, Query()],
    page: PageDep,
) -> Page[MessageRead]:
    """The messages queued for a subscription, oldest first, each with every attempt to
    deliver it (status, latency, the first KiB of the answer)."""
    return await service.list_messages(session, actor, subscription_id, filters, page)


@subscriptions.get("/subscriptions/{subscription_id}/messages/{message_id}")
async def get_message(
    subscription_id: uuid.UUID,
    message_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("message.read"))],
) -> MessageRead:
    """One message with its delivery log: every attempt, oldest first, with its status code,
    error, latency and the first KiB of the answer."""
    return await service.get_message(session, actor, subscription_id, message_id)


@subscriptions.post(
    "/subscriptions/{subscription_id}/messages/{message_id}/resend", status_code=202
)
async def resend_message(
    subscription_id: uuid.UUID,
    message_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("message.send"))],
) -> MessageRead:
    """Attempt the message again now, with the same `webhook-id` and body (receivers
    deduplicate on it). 409 `message_in_delivery` while an attempt is under way, 409
    `subscription_disabled` while the subscription is disabled."""
    return await service.resend_message(session, actor, subscription_id, message_id)


@subscriptions.post("/subscriptions/{subscription_id}/recover", status_code=202)
async def recover_messages(
    subscription_id: uuid.UUID,
    data: RecoverRequest,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("message.send"))],
) -> RecoverRead:
    """Send again every failed message of the subscription queued since `since` (after an
    outage of the receiver, once it is back)."""
    return await service.recover_messages(session, actor, subscription_id, data)


@subscriptions.post("/subscriptions/{subscription_id}/test", status_code=202)
async def send_test_event(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("message.send"))],
) -> MessageRead:
    """Send a `webhook.test` event (`data: {subscription_id}`) to this subscription alone,
    to check that the endpoint receives and verifies deliveries; the answer is its message."""
    return await service.send_test_event(session, actor, subscription_id)
