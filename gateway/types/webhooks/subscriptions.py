"""Webhook subscriptions as HR admins (and integrations, their own) read them: the endpoint,
the event types, whether it is enabled and failing, and its deliveries with every attempt.
Never a secret: only the payloads of creating one and of rotating its secret hold it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from gateway.clients import NotFound, Unavailable, WebhooksClient
from gateway.context import Info
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.webhooks.contracts import (
    AttemptRead,
    MessageRead,
    MessageStatus,
    SubscriptionRead,
)


def webhooks_client(info: Info) -> WebhooksClient:
    client = info.context.clients.webhooks
    if client is None:
        raise Unavailable("webhooks", status=503, code="service_unavailable")
    return client


@strawberry.enum(name="WebhookDeliveryStatus", description="Where a delivery stands.")
class WebhookDeliveryStatusEnum(Enum):
    PENDING = strawberry.enum_value("pending", description="Waiting for its next attempt.")
    DELIVERING = strawberry.enum_value("delivering", description="An attempt is under way.")
    DELIVERED = strawberry.enum_value("delivered", description="The endpoint answered 2xx.")
    FAILED = strawberry.enum_value(
        "failed", description="Given up (no attempt left, or the endpoint answered 410)."
    )


@strawberry.type(description="One try at delivering: what the endpoint answered, or why not.")
class WebhookAttempt:
    attempted_at: datetime = strawberry.field(description="When it was made.")
    status_code: int | None = strawberry.field(description="The HTTP status; null: no answer.")
    error: str | None = strawberry.field(description="Why it failed; null when it succeeded.")
    latency_ms: int = strawberry.field(description="How long it took, in milliseconds.")
    response_body: str = strawberry.field(description="The first KiB of the answer.")
    outcome: str = strawberry.field(description="`delivered`, `gone` or `failed`.")

    @classmethod
    def from_record(cls, record: AttemptRead) -> WebhookAttempt:
        return cls(
            attempted_at=record.attempted_at,
            status_code=record.status_code,
            error=record.error,
            latency_ms=record.latency_ms,
            response_body=record.response_body,
            outcome=record.outcome,
        )


@strawberry.type(description="One event delivered (or to deliver) to one subscription.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="A `WebhookDelivery` id.")
    webhook_id: str = strawberry.field(
        description="The `webhook-id` header of every attempt (receivers deduplicate on it)."
    )
    event_type: str = strawberry.field(description="E.g. `person.created`.")
    status: WebhookDeliveryStatusEnum = strawberry.field(description="Where it stands.")
    attempts: int = strawberry.field(description="How many attempts were made.")
    next_attempt_at: datetime = strawberry.field(description="When it is next due.")
    created_at: datetime = strawberry.field(description="When it was queued.")
    attempt_log: list[WebhookAttempt] = strawberry.field(description="Every attempt, oldest first.")

    @classmethod
    def from_record(cls, record: MessageRead) -> WebhookDelivery:
        return cls(
            id=GlobalId("WebhookDelivery", record.id).encode(),
            webhook_id=str(record.id),
            event_type=record.event_type,
            status=WebhookDeliveryStatusEnum(record.status.value),
            attempts=record.attempts,
            next_attempt_at=record.next_attempt_at,
            created_at=record.created_at,
            attempt_log=[WebhookAttempt.from_record(a) for a in record.attempt_log],
        )


@strawberry.type(
    description="An endpoint and the event types it receives, signed per Standard Webhooks."
)
class WebhookSubscription(Node):
    url: str = strawberry.field(description="Where deliveries are sent.")
    description: str | None = strawberry.field(description="What it is for.")
    event_types: list[str] = strawberry.field(
        description="Exact types (`person.created`) and `service.*` wildcards."
    )
    enabled: bool = strawberry.field(description="Whether events are delivered to it.")
    owner: str = strawberry.field(description="`hr_admin`, or `integration:<its name>`.")
    failing_since: datetime | None = strawberry.field(
        description="Since when every delivery failed; null while deliveries succeed."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    version: int = strawberry.field(
        description="Changes on every update; `updateWebhookSubscription` takes it."
    )
    record: strawberry.Private[SubscriptionRead]

    @classmethod
    def from_record(cls, record: SubscriptionRead) -> WebhookSubscription:
        return cls(
            id=GlobalId("WebhookSubscription", record.id).encode(),
            url=record.url,
            description=record.description,
            event_types=list(record.event_types),
            enabled=record.enabled,
            owner=record.owner,
            failing_since=record.failing_since,
            created_at=record.created_at,
            updated_at=record.updated_at,
            version=record.version,
            record=record,
        )

    @resolver_field(
        "Its deliveries, oldest first, each with every attempt. One request per "
        "subscription: ask it of few."
    )
    async def deliveries(
        self,
        info: Info,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        status: Annotated[
            WebhookDeliveryStatusEnum | None,
            strawberry.argument(description="Only the deliveries in this state."),
        ] = None,
    ) -> Connection[WebhookDelivery] | None:
        page = await webhooks_client(info).messages(
            info.context.caller,
            self.record.id,
            None if status is None else MessageStatus[status.name],
            page_size(first),
            after,
        )
        return page_connection(page, WebhookDelivery.from_record, after)


async def load_webhook_subscription(
    info: Info, subscription_id: uuid.UUID | None
) -> WebhookSubscription | None:
    if subscription_id is None:
        return None
    try:
        found = await webhooks_client(info).subscription(info.context.caller, subscription_id)
    except NotFound:
        return None
    return WebhookSubscription.from_record(found)


@resolver_field("A webhook subscription by id; null when there is none you may see.")
async def webhook_subscription(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A `WebhookSubscription` id.")],
) -> WebhookSubscription | None:
    return await load_webhook_subscription(info, GlobalId.decode_as("WebhookSubscription", id))


@resolver_field(
    "Webhook subscriptions, oldest first: all of them for HR admins, its own for an "
    "integration; refused to everyone else."
)
async def webhook_subscriptions(
    info: Info,
    first: First = DEFAULT_PAGE_SIZE,
    after: After = None,
    enabled: Annotated[
        bool | None, strawberry.argument(description="Only enabled ones, or only disabled ones.")
    ] = None,
) -> Connection[WebhookSubscription] | None:
    page = await webhooks_client(info).subscriptions(
        info.context.caller, enabled, page_size(first), after
    )
    return page_connection(page, WebhookSubscription.from_record, after)
