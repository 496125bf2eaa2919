"""Webhooks in the graph, for HR admins (and integrations, their own): subscriptions with their
deliveries and attempts, and the changes to make to them. The secret appears only in the
payloads of creating a subscription and of rotating its secret."""

from __future__ import annotations

import strawberry

from gateway.types.common import NodeResolver
from gateway.types.webhooks import subscriptions
from gateway.types.webhooks.mutations import deliveries as operating
from gateway.types.webhooks.mutations import subscriptions as subscribing

NODES: dict[str, NodeResolver] = {
    "WebhookSubscription": subscriptions.load_webhook_subscription,
}


@strawberry.type
class WebhooksQuery:
    webhook_subscription = subscriptions.webhook_subscription
    webhook_subscriptions = subscriptions.webhook_subscriptions


@strawberry.type
class WebhooksMutation:
    create_webhook_subscription = subscribing.create_webhook_subscription
    update_webhook_subscription = subscribing.update_webhook_subscription
    enable_webhook_subscription = subscribing.enable_webhook_subscription
    disable_webhook_subscription = subscribing.disable_webhook_subscription
    rotate_webhook_secret = subscribing.rotate_webhook_secret
    resend_webhook_delivery = operating.resend_webhook_delivery
    recover_webhook_deliveries = operating.recover_webhook_deliveries
    send_webhook_test = operating.send_webhook_test


__all__ = ["NODES", "WebhooksMutation", "WebhooksQuery"]
