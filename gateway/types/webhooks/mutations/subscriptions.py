"""Subscribing an endpoint, changing it, enabling and disabling it, rotating its secret. The
secret is in the payload of the create and of the rotation only, shown that once."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from gateway.clients import WebhooksClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, input_id, resolver_field
from gateway.types.webhooks.contracts import SubscriptionCreate, SubscriptionUpdate
from gateway.types.webhooks.subscriptions import (
    WebhookSubscription,
    load_webhook_subscription,
    webhooks_client,
)


def subscription_id(value: str) -> uuid.UUID:
    return input_id("WebhookSubscription", value, "subscriptionId").id


@strawberry.input(description="An endpoint to subscribe.")
class CreateWebhookSubscriptionInput:
    url: str = strawberry.field(description="`https://` (plain `http://` only to allowed hosts).")
    event_types: list[str] = strawberry.field(
        description="Exact types (`person.created`) and `service.*` wildcards; OKR events only "
        "by their exact names."
    )
    description: str | None = strawberry.field(default=None, description="What it is for.")
    enabled: bool = strawberry.field(default=True, description="Deliver to it from now on.")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Send the same key to retry safely: the subscription is made once (a "
        "replay answers without the secret).",
    )


@strawberry.type(description="The endpoint was subscribed; store the secret now.")
class CreateWebhookSubscriptionPayload:
    subscription: WebhookSubscription = strawberry.field(description="The new subscription.")
    secret: str | None = strawberry.field(
        description="The signing secret (`whsec_…`), shown this once; null in the replay of "
        "an idempotent retry (rotate it to get a new one)."
    )


@strawberry.type(
    description="Nothing was subscribed: e.g. `forbidden`, `invalid_url`, `https_required`, "
    "`address_not_allowed`, `unknown_event_type`, `okr_events_by_name`, "
    "`event_type_not_permitted`, `validation_failed`."
)
class CreateWebhookSubscriptionError(UserError):
    pass


CreateWebhookSubscriptionResult = Annotated[
    CreateWebhookSubscriptionPayload | CreateWebhookSubscriptionError,
    strawberry.union("CreateWebhookSubscriptionResult", description="It, or why not."),
]


@strawberry.input(
    description="What to change in a subscription (only the fields given), at the version read."
)
class UpdateWebhookSubscriptionInput:
    subscription_id: strawberry.ID = strawberry.field(description="A `WebhookSubscription` id.")
    version: int = strawberry.field(description="The `WebhookSubscription.version` you read.")
    url: str | None = strawberry.field(default=None, description="A new endpoint URL.")
    event_types: list[str] | None = strawberry.field(default=None, description="New types.")
    description: str | None = strawberry.field(default=None, description="A new description.")


@strawberry.type(description="A subscription as it is after the change.")
class WebhookSubscriptionPayload:
    subscription: WebhookSubscription = strawberry.field(description="The subscription.")


@strawberry.type(
    description="Nothing changed: e.g. `forbidden`, `subscription_not_found`, `stale_version`, "
    "`invalid_url`, `https_required`, `address_not_allowed`, `unknown_event_type`, "
    "`validation_failed`, `invalid_id`."
)
class WebhookSubscriptionError(UserError):
    pass


WebhookSubscriptionResult = Annotated[
    WebhookSubscriptionPayload | WebhookSubscriptionError,
    strawberry.union("WebhookSubscriptionResult", description="The subscription, or why not."),
]


@strawberry.input(description="Which subscription.")
class WebhookSubscriptionInput:
    subscription_id: strawberry.ID = strawberry.field(description="A `WebhookSubscription` id.")


@strawberry.type(description="A new secret; the previous one signs beside it for 24 hours.")
class RotateWebhookSecretPayload:
    secret: str | None = strawberry.field(
        description="The new signing secret (`whsec_…`), shown this once."
    )
    previous_secret_expires_at: datetime = strawberry.field(
        description="Until then deliveries carry a signature by the previous secret too."
    )
    subscription: WebhookSubscription | None = strawberry.field(description="The subscription.")


RotateWebhookSecretResult = Annotated[
    RotateWebhookSecretPayload | WebhookSubscriptionError,
    strawberry.union("RotateWebhookSecretResult", description="The new secret, or why not."),
]


@resolver_field(
    "Subscribe an endpoint to event types (HR admins; integrations, for themselves). The "
    "payload holds the signing secret, shown this once."
)
async def create_webhook_subscription(
    info: Info,
    input: Annotated[
        CreateWebhookSubscriptionInput, strawberry.argument(description="The subscription.")
    ],
) -> CreateWebhookSubscriptionResult | None:
    async def change() -> CreateWebhookSubscriptionPayload:
        made = await webhooks_client(info).write(
            info.context.caller,
            WebhooksClient.create,
            body=SubscriptionCreate.model_construct(
                url=input.url,
                description=input.description,
                event_types=input.event_types,
                enabled=input.enabled,
            ),
            idempotency_key=input.idempotency_key,
        )
        return CreateWebhookSubscriptionPayload(
            subscription=WebhookSubscription.from_record(made), secret=made.secret
        )

    return await mutate(CreateWebhookSubscriptionError, change)


@resolver_field("Change a subscription's URL, description or event types.")
async def update_webhook_subscription(
    info: Info,
    input: Annotated[UpdateWebhookSubscriptionInput, strawberry.argument(description="Changes.")],
) -> WebhookSubscriptionResult | None:
    async def change() -> WebhookSubscriptionPayload:
        fields = {
            "url": input.url,
            "event_types": input.event_types,
            "description": input.description,
        }
        body = SubscriptionUpdate.model_construct(
            **{name: value for name, value in fields.items() if value is not None}  # type: ignore[arg-type]
        )
        changed = await webhooks_client(info).write(
            info.context.caller,
            WebhooksClient.update,
            subscription_id(input.subscription_id),
            body=body,
            version=input.version,
        )
        return WebhookSubscriptionPayload(subscription=WebhookSubscription.from_record(changed))

    return await mutate(WebhookSubscriptionError, change)


async def _switch(
    info: Info, input: WebhookSubscriptionInput, *, enabled: bool
) -> WebhookSubscriptionPayload | WebhookSubscriptionError:
    async def change() -> WebhookSubscriptionPayload:
        switched = await webhooks_client(info).write(
            info.context.caller,
            WebhooksClient.enable if enabled else WebhooksClient.disable,
            subscription_id(input.subscription_id),
        )
        return WebhookSubscriptionPayload(subscription=WebhookSubscription.from_record(switched))

    return await mutate(WebhookSubscriptionError, change)


@resolver_field(
    "Deliver to a subscription again (also one disabled for failing); its waiting deliveries "
    "resume."
)
async def enable_webhook_subscription(
    info: Info,
    input: Annotated[WebhookSubscriptionInput, strawberry.argument(description="Which.")],
) -> WebhookSubscriptionResult | None:
    return await _switch(info, input, enabled=True)


@resolver_field("Stop delivering to a subscription; its deliveries wait until it is enabled.")
async def disable_webhook_subscription(
    info: Info,
    input: Annotated[WebhookSubscriptionInput, strawberry.argument(description="Which.")],
) -> WebhookSubscriptionResult | None:
    return await _switch(info, input, enabled=False)


@resolver_field(
    "A new signing secret, shown this once; the previous one keeps signing for 24 hours."
)
async def rotate_webhook_secret(
    info: Info,
    input: Annotated[WebhookSubscriptionInput, strawberry.argument(description="Which.")],
) -> RotateWebhookSecretResult | None:
    async def change() -> RotateWebhookSecretPayload:
        target = subscription_id(input.subscription_id)
        rotated = await webhooks_client(info).write(
            info.context.caller, WebhooksClient.rotate, target
        )
        return RotateWebhookSecretPayload(
            secret=rotated.secret,
            previous_secret_expires_at=rotated.previous_secret_expires_at,
            subscription=await load_webhook_subscription(info, target),
        )

    return await mutate(WebhookSubscriptionError, change)
