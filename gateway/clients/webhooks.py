"""The webhooks service as the gateway calls it: subscriptions and their deliveries in pages,
and the changes the graph offers HR admins (the service decides who may make them)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from gateway.clients.base import Caller, ServiceClient, Write
from kit.pagination import Page
from services.webhooks.schemas import (
    MessageRead,
    MessageStatus,
    RecoverRead,
    RecoverRequest,
    SecretRotationRead,
    SubscriptionCreate,
    SubscriptionRead,
    SubscriptionSecretRead,
    SubscriptionUpdate,
)


class WebhooksClient(ServiceClient):
    service = "webhooks"

    create = Write("POST", "/v1/subscriptions", SubscriptionCreate, SubscriptionSecretRead)
    update = Write("PATCH", "/v1/subscriptions/{}", SubscriptionUpdate, SubscriptionRead)
    enable: Write[BaseModel, SubscriptionRead] = Write(
        "POST", "/v1/subscriptions/{}/enable", None, SubscriptionRead
    )
    disable: Write[BaseModel, SubscriptionRead] = Write(
        "POST", "/v1/subscriptions/{}/disable", None, SubscriptionRead
    )
    rotate: Write[BaseModel, SecretRotationRead] = Write(
        "POST", "/v1/subscriptions/{}/secret/rotate", None, SecretRotationRead
    )
    resend: Write[BaseModel, MessageRead] = Write(
        "POST", "/v1/subscriptions/{}/messages/{}/resend", None, MessageRead
    )
    recover = Write("POST", "/v1/subscriptions/{}/recover", RecoverRequest, RecoverRead)
    send_test: Write[BaseModel, MessageRead] = Write(
        "POST", "/v1/subscriptions/{}/test", None, MessageRead
    )

    async def subscription(self, caller: Caller, subscription_id: uuid.UUID) -> SubscriptionRead:
        return await self._get(caller, f"/v1/subscriptions/{subscription_id}", SubscriptionRead)

    async def subscriptions(
        self, caller: Caller, enabled: bool | None, limit: int, cursor: str | None
    ) -> Page[SubscriptionRead]:
        flag = None if enabled is None else str(enabled).lower()
        return await self._page(
            caller, "/v1/subscriptions", Page[SubscriptionRead], limit, cursor, enabled=flag
        )

    async def messages(
        self,
        caller: Caller,
        subscription_id: uuid.UUID,
        status: MessageStatus | None,
        limit: int,
        cursor: str | None,
    ) -> Page[MessageRead]:
        """A page of a subscription's messages, each with its attempts."""
        return await self._page(
            caller,
            f"/v1/subscriptions/{subscription_id}/messages",
            Page[MessageRead],
            limit,
            cursor,
            status=None if status is None else status.value,
        )
