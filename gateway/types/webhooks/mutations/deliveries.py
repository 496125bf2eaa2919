"""Operating deliveries: resending one, recovering the failed ones since a time, sending a
test event."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from gateway.clients import WebhooksClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, input_id, resolver_field
from gateway.types.webhooks.contracts import RecoverRequest
from gateway.types.webhooks.mutations.subscriptions import (
    WebhookSubscriptionInput,
    subscription_id,
)
from gateway.types.webhooks.subscriptions import WebhookDelivery, webhooks_client


@strawberry.input(description="A delivery to attempt again now.")
class ResendWebhookDeliveryInput:
    subscription_id: strawberry.ID = strawberry.field(description="A `WebhookSubscription` id.")
    delivery_id: strawberry.ID = strawberry.field(description="One of its `WebhookDelivery` ids.")


@strawberry.type(description="The delivery is queued now, with its `webhook-id` and body.")
class WebhookDeliveryPayload:
    delivery: WebhookDelivery = strawberry.field(description="The delivery.")


@strawberry.type(
    description="Nothing was queued: e.g. `forbidden`, `subscription_not_found`, "
    "`message_not_found`, `message_in_delivery`, `subscription_disabled`, `invalid_id`."
)
class WebhookDeliveryError(UserError):
    pass


WebhookDeliveryResult = Annotated[
    WebhookDeliveryPayload | WebhookDeliveryError,
    strawberry.union("WebhookDeliveryResult", description="The delivery, or why not."),
]


@strawberry.input(description="The failed deliveries of a subscription to send again.")
class RecoverWebhookDeliveriesInput:
    subscription_id: strawberry.ID = strawberry.field(description="A `WebhookSubscription` id.")
    since: datetime = strawberry.field(description="Those queued at or after this moment.")


@strawberry.type(description="The failed deliveries are queued again.")
class RecoverWebhookDeliveriesPayload:
    recovered: int = strawberry.field(description="How many.")


RecoverWebhookDeliveriesResult = Annotated[
    RecoverWebhookDeliveriesPayload | WebhookDeliveryError,
    strawberry.union("RecoverWebhookDeliveriesResult", description="How many, or why not."),
]


@resolver_field("Attempt a delivery again now, with the same `webhook-id` and body.")
async def resend_webhook_delivery(
    info: Info,
    input: Annotated[ResendWebhookDeliveryInput, strawberry.argument(description="Which.")],
) -> WebhookDeliveryResult | None:
    async def change() -> WebhookDeliveryPayload:
        delivery = input_id("WebhookDelivery", input.delivery_id, "deliveryId").id
        resent = await webhooks_client(info).write(
            info.context.caller,
            WebhooksClient.resend,
            subscription_id(input.subscription_id),
            delivery,
        )
        return WebhookDeliveryPayload(delivery=WebhookDelivery.from_record(resent))

    return await mutate(WebhookDeliveryError, change)


@resolver_field("Send again every failed delivery of a subscription queued since a moment.")
async def recover_webhook_deliveries(
    info: Info,
    input: Annotated[RecoverWebhookDeliveriesInput, strawberry.argument(description="Which.")],
) -> RecoverWebhookDeliveriesResult | None:
    async def change() -> RecoverWebhookDeliveriesPayload:
        recovered = await webhooks_client(info).write(
            info.context.caller,
            WebhooksClient.recover,
            subscription_id(input.subscription_id),
            body=RecoverRequest.model_construct(since=input.since),
        )
        return RecoverWebhookDeliveriesPayload(recovered=recovered.recovered)

    return await mutate(WebhookDeliveryError, change)


@resolver_field("Send a `webhook.test` event to this subscription alone.")
async def send_webhook_test(
    info: Info,
    input: Annotated[WebhookSubscriptionInput, strawberry.argument(description="Which.")],
) -> WebhookDeliveryResult | None:
    async def change() -> WebhookDeliveryPayload:
        sent = await webhooks_client(info).write(
            info.context.caller, WebhooksClient.send_test, subscription_id(input.subscription_id)
        )
        return WebhookDeliveryPayload(delivery=WebhookDelivery.from_record(sent))

    return await mutate(WebhookDeliveryError, change)
