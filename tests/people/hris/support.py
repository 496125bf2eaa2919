"""Signing deliveries as the real senders do: Standard Webhooks through its own library,
BambooHR by its documented recipe (HMAC-SHA256 of the body followed by the timestamp)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from standardwebhooks.webhooks import Webhook

from kit.models import utcnow
from services.people.hris.models import HrisEvent
from services.people.hris.settings import Format, HrisSettings, Integration

WORKDAY_SECRET = "whsec_" + "c2VjcmV0LW9mLXRoZS1nZW5lcmljLWhyaXM="
MERGE_SECRET = "whsec_" + "c2VjcmV0LW9mLXRoZS11bmlmaWVkLWFwaQ=="
BAMBOO_KEY = "6f1b7d0c2a5e4f8a9b3c1d2e3f405162"

HRIS = HrisSettings.model_validate(
    {
        "integrations": {
            "workday": Integration(secret=WORKDAY_SECRET, source="workday"),
            "merge": Integration(secret=MERGE_SECRET, format=Format.UNIFIED, source="merge"),
            "bamboo": Integration(secret=BAMBOO_KEY, format=Format.BAMBOOHR, source="bamboohr"),
        }
    }
)


def standard(
    body: dict[str, Any] | str,
    *,
    secret: str = WORKDAY_SECRET,
    webhook_id: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """`content` and `headers` of a delivery signed with Standard Webhooks."""
    text = body if isinstance(body, str) else json.dumps(body)
    webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    at = at or utcnow()
    signature = Webhook(secret).sign(webhook_id, at, text)
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }
    return {"content": text.encode(), "headers": headers}


def bamboohr(
    body: dict[str, Any], *, key: str = BAMBOO_KEY, at: datetime | None = None
) -> dict[str, Any]:
    text = json.dumps(body).encode()
    timestamp = (at or utcnow()).strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = hmac.new(key.encode(), text + timestamp.encode(), hashlib.sha256).hexdigest()
    headers = {
        "X-BambooHR-Signature": signature,
        "X-BambooHR-Timestamp": timestamp,
        "content-type": "application/json",
    }
    return {"content": text, "headers": headers}


def person_event(kind: str, external_id: str, **fields: Any) -> dict[str, Any]:
    effective_at = fields.pop("effective_at", None)
    event: dict[str, Any] = {"type": kind, "person": {"external_id": external_id, **fields}}
    if effective_at is not None:
        event["effective_at"] = effective_at.isoformat()
    return event


async def inbox(session: AsyncSession) -> list[HrisEvent]:
    rows = await session.exec(select(HrisEvent).order_by(col(HrisEvent.created_at)))
    return list(rows.all())
