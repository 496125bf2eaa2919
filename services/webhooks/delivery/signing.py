"""Standard Webhooks signatures (https://www.standardwebhooks.com): the body is serialised once
and the bytes signed are the bytes sent, so a receiver verifying the raw body always agrees.
During a secret rotation every current secret signs, and the receiver accepts any one."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pydantic_core

SECRET_PREFIX = "whsec_"  # noqa: S105  # the secrets' prefix, not a secret
# The spec asks for 24 to 64 random bytes; we make 32 (SHA-256's own size) and accept any size
# in that range from secrets another system made.
SECRET_BYTES = 32
_MIN_KEY, _MAX_KEY = 24, 64


class InvalidSecret(ValueError):
    """A secret that is not `whsec_` followed by base64 of 24 to 64 bytes."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key a `whsec_…` secret stands for."""
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidSecret("a webhook secret starts with whsec_")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as error:
        raise InvalidSecret("a webhook secret is base64 after whsec_") from error
    if not _MIN_KEY <= len(key) <= _MAX_KEY:
        raise InvalidSecret(f"a webhook secret holds {_MIN_KEY} to {_MAX_KEY} bytes")
    return key


def rfc3339(moment: datetime) -> str:
    """`moment` in UTC with a `Z`, as receivers in any language parse it."""
    if moment.tzinfo is None:
        raise ValueError("a webhook timestamp needs a time zone")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def body(event_type: str, occurred_at: datetime, data: Mapping[str, Any]) -> bytes:
    """The payload `{type, timestamp, data}` as the bytes that are signed and sent, compact and
    in a stable key order."""
    return pydantic_core.to_json(
        {"type": event_type, "timestamp": rfc3339(occurred_at), "data": data}
    )


def signature(msg_id: str, timestamp: int, payload: bytes, keys: Iterable[bytes]) -> str:
    """The `webhook-signature` value: `v1,<base64 HMAC-SHA256>` per key, space-separated."""
    signed = f"{msg_id}.{timestamp}.".encode() + payload
    return " ".join(
        "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")
        for key in keys
    )


def headers(msg_id: str, timestamp: int, payload: bytes, keys: Iterable[bytes]) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt; `timestamp` is whole seconds."""
    keys = list(keys)
    if not keys:
        raise InvalidSecret("a webhook is signed with at least one secret")
    if any(separator in msg_id for separator in ". "):
        # The id is part of the signed string, joined with dots: one with a dot is ambiguous.
        raise ValueError("a webhook id holds no dot or space")
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(msg_id, timestamp, payload, keys),
    }
