"""The webhooks API contract: the event log, the event catalogue, subscriptions and their
messages with each attempt."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kit.fields import DateTimeText, omitted

# An exact event type (`person.created`) or every type of a service (`people.*`).
EventTypeName = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,48}\.([a-z][a-z0-9_]{0,48}|\*)$")
]
Url = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Description = Annotated[str, StringConstraints(max_length=500)]
MAX_EVENT_TYPES = 100
EventTypes = Annotated[list[EventTypeName], Field(min_length=1, max_length=MAX_EVENT_TYPES)]


class StrictInput(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _refuse_null(value: Any) -> Any:
    # Validators run only for values sent: an omitted field stays unchanged, a `null` is refused.
    if value is None:
        raise ValueError("may not be null")
    return value


# --- The event log ----------------------------------------------------------------------------


class EventRead(BaseModel):
    """A logged event: what its source service published, as it published it."""

    id: uuid.UUID = Field(description="The event's id in its source feed.")
    source: str = Field(description="The service that published it, e.g. `goals`.")
    type: str
    occurred_at: datetime
    data: dict[str, Any] = Field(description="The payload (ids and kinds, never people's words).")


class EventQuery(BaseModel):
    """Narrows `GET /v1/events`; all given filters apply together."""

    type: EventTypeName | None = Field(
        default=None,
        description="An exact type (`objective.created`), or `X.*`: every type of service `X` "
        "(`goals.*`) or every type named `X.…` (`person.*`).",
    )
    source: str | None = Field(default=None, max_length=100, description="A service's name.")
    occurred_after: Annotated[AwareDatetime, DateTimeText] | None = Field(
        default=None, description="At or after this moment (with its offset)."
    )
    occurred_before: Annotated[AwareDatetime, DateTimeText] | None = Field(
        default=None, description="Before this moment (with its offset)."
    )


# --- The event catalogue ----------------------------------------------------------------------


class EventTypeRead(BaseModel):
    service: str = Field(description="The service that publishes it.")
    name: str
    description: str
    okr: bool = Field(
        description="An OKR event: a subscription receives it only when it names it exactly "
        "(a wildcard never includes it)."
    )
    scope: str = Field(description="The scope an integration needs to subscribe to it.")
    payload_schema: dict[str, Any] = Field(description="JSON Schema of its `data`.")


class EventTypesRead(BaseModel):
    items: list[EventTypeRead]
    unavailable: list[str] = Field(
        description="Services whose catalogue could not be fetched (their types are missing)."
    )


# --- Subscriptions ----------------------------------------------------------------------------


class SubscriptionCreate(StrictInput):
    url: Url = Field(description="`https://` (plain `http://` only for allowed hosts).")
    description: Description | None = None
    event_types: EventTypes = Field(
        description="Exact types (`person.created`) and `service.*` wildcards; OKR events "
        "(`cycle.…`, `objective.…`, `key_result.…`) only by their exact names."
    )
    enabled: bool = True


class SubscriptionUpdate(StrictInput):
    """Only the fields sent change; `null` clears the description."""

    url: Url | None = omitted()
    description: Description | None = None
    event_types: EventTypes | None = omitted()
    enabled: bool | None = omitted()

    _not_null = field_validator("url", "event_types", "enabled")(_refuse_null)


class SubscriptionQuery(BaseModel):
    """Narrows `GET /v1/subscriptions`."""

    enabled: bool | None = None


class SubscriptionRead(BaseModel):
    id: uuid.UUID
    url: str
    description: str | None
    event_types: list[str]
    enabled: bool
    owner: str = Field(description="`hr_admin`, or `integration:<its name>`.")
    failing_since: datetime | None = Field(
        description="Since when every delivery failed; null while deliveries succeed."
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


ON_REPLAY = (
    " Null in the replay of a request with the same `Idempotency-Key` (the header "
    "`Idempotent-Replay-Redacted: secret` says so): a secret is never stored in clear, rotate it "
    "to get a new one."
)


class SubscriptionSecretRead(SubscriptionRead):
    secret: str | None = Field(
        description="The signing secret (`whsec_…`): shown this once, store it now. Verify "
        "deliveries with it per the Standard Webhooks specification." + ON_REPLAY
    )


class SecretRotationRead(BaseModel):
    secret: str | None = Field(
        description="The new signing secret (`whsec_…`), shown this once." + ON_REPLAY
    )
    previous_secret_expires_at: datetime = Field(
        description="Until then deliveries carry a signature by the previous secret too."
    )


# --- Messages ---------------------------------------------------------------------------------


class MessageStatus(StrEnum):
    PENDING = "pending"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    FAILED = "failed"


class AttemptRead(BaseModel):
    id: uuid.UUID
    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int
    response_body: str = Field(description="The first KiB of the endpoint's answer.")
    outcome: str


class MessageRead(BaseModel):
    id: uuid.UUID = Field(description="The `webhook-id` of every attempt.")
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    updated_at: datetime
    attempt_log: list[AttemptRead] = Field(description="Every attempt, oldest first.")


class MessageQuery(BaseModel):
    """Narrows `GET /v1/subscriptions/{id}/messages`."""

    status: MessageStatus | None = None


class RecoverRequest(BaseModel):
    # Not strict: a date and time comes as JSON text (DateTimeText refuses any other input).
    model_config = ConfigDict(extra="forbid")

    since: Annotated[AwareDatetime, DateTimeText] = Field(
        description="Every failed message queued at or after this moment (with its offset) is "
        "sent again."
    )


class RecoverRead(BaseModel):
    recovered: int = Field(description="How many failed messages are queued again.")
