"""The events the webhooks service publishes: what happened to an endpoint's deliveries. They
name subscriptions and messages by id, never an endpoint's URL or a response's body."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from kit.events import EventCatalogue, EventType


class DeliveryExhaustedPayload(BaseModel):
    subscription_id: uuid.UUID
    message_id: uuid.UUID = Field(description="The `webhook-id` of the message given up on.")
    event_id: uuid.UUID
    event_type: str
    attempts: int


class EndpointDisabledPayload(BaseModel):
    subscription_id: uuid.UUID
    reason: str = Field(
        description="`gone` (the endpoint answered 410) or `failing` (every delivery failed "
        "for 5 days)."
    )
    failing_since: datetime | None


ENDPOINT_DELIVERY_EXHAUSTED = EventType(
    "endpoint.delivery_exhausted",
    DeliveryExhaustedPayload,
    "A message failed its last attempt and will not be retried (it can be resent).",
)
ENDPOINT_DISABLED = EventType(
    "endpoint.disabled",
    EndpointDisabledPayload,
    "A subscription was disabled because its endpoint is gone or kept failing; an admin can "
    "enable it again.",
)

CATALOGUE = EventCatalogue("webhooks", [ENDPOINT_DELIVERY_EXHAUSTED, ENDPOINT_DISABLED])
