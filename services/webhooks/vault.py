"""Signing secrets: made (`whsec_` + base64 of 24 random bytes), encrypted with a configured
Fernet key whose id is stored beside the ciphertext (so keys can rotate), and read back for
signing: the current secret, and the previous one during the day after a rotation."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr

from kit.settings import ConfigurationError
from services.webhooks.models import Subscription

SECRET_PREFIX = "whsec_"  # noqa: S105  # the Standard Webhooks prefix, not a secret
SECRET_BYTES = 24
# How long a rotated-out secret keeps signing beside the new one.
PREVIOUS_SECRET_LIFETIME = timedelta(hours=24)


def shown(key: bytes) -> str:
    """The secret `key` stands for as its owner sees it: `whsec_` + base64."""
    return SECRET_PREFIX + base64.b64encode(key).decode()


def new_secret() -> tuple[str, bytes]:
    """A secret as shown to its owner (`whsec_…`) and the key bytes it stands for."""
    key = secrets.token_bytes(SECRET_BYTES)
    return shown(key), key


@dataclass(frozen=True)
class Sealed:
    key_id: str
    ciphertext: str


class Vault:
    """Encrypts with the current key; decrypts with whichever key a ciphertext names."""

    def __init__(self, current: str, keys: Mapping[str, SecretStr]) -> None:
        try:
            self._keys = {key_id: Fernet(key.get_secret_value()) for key_id, key in keys.items()}
        except ValueError as exc:
            raise ConfigurationError(
                "webhooks: each key of INSPIRE_WEBHOOKS_ENCRYPTION_KEYS must be a Fernet key "
                "(32 url-safe base64-encoded bytes)"
            ) from exc
        self.current = current

    def seal(self, secret: bytes) -> Sealed:
        return Sealed(self.current, self._keys[self.current].encrypt(secret).decode())

    def open(self, key_id: str, ciphertext: str) -> bytes:
        fernet = self._keys.get(key_id)
        if fernet is None:
            raise ConfigurationError(f"webhooks: a secret is encrypted with unknown key {key_id}")
        try:
            return fernet.decrypt(ciphertext.encode())
        except InvalidToken as exc:
            raise ConfigurationError(f"webhooks: key {key_id} does not decrypt a secret") from exc


def signing_secrets(subscription: Subscription, now: datetime, vault: Vault) -> list[bytes]:
    """The HMAC keys a message to `subscription` is signed with at `now`: the current secret
    first, then the previous one while it has not expired (each gives one signature)."""
    found = [vault.open(subscription.secret_key_id, subscription.secret)]
    if (
        subscription.previous_secret is not None
        and subscription.previous_secret_key_id is not None
        and subscription.previous_secret_expires_at is not None
        and now < subscription.previous_secret_expires_at
    ):
        found.append(vault.open(subscription.previous_secret_key_id, subscription.previous_secret))
    return found
