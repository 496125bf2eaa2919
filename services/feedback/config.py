"""Settings of the feedback service, from `INSPIRE_FEEDBACK_…` environment variables."""

from __future__ import annotations

import base64
import binascii

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from kit.settings import ConfigurationError, Environment, ServiceSettings

# Seals 1:1 private notes in development and tests only: it is published here, so it protects
# nothing, and a production process refuses it.
DEVELOPMENT_NOTE_KEY_ID = "dev"
DEVELOPMENT_NOTE_KEY = "ZGV2ZWxvcG1lbnQtb25seS1ub3RlLWtleS0zMmJ5dGU="
NOTE_KEY_BYTES = 32


def _note_key(key_id: str, value: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != NOTE_KEY_BYTES:
        raise ConfigurationError(
            f"note key {key_id!r} is not {NOTE_KEY_BYTES} bytes in URL-safe base64"
        )
    return key


class FeedbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_FEEDBACK_", env_nested_delimiter="__", extra="ignore"
    )

    # Keys that seal 1:1 private notes, by key id: a JSON object of URL-safe base64 32-byte
    # AES keys (`INSPIRE_FEEDBACK_NOTE_KEYS='{"2026-12": "…"}'`). Keep old ones to read notes
    # sealed with them; new notes use `note_key_id`.
    note_keys: dict[str, SecretStr] = Field(default_factory=dict)
    note_key_id: str | None = Field(default=None, max_length=64)

    def sealing_keys(self) -> tuple[str, dict[str, bytes]]:
        """The id of the key new notes are sealed with, and every key by id (the development
        key outside production when none is configured)."""
        raw = {key_id: secret.get_secret_value() for key_id, secret in self.note_keys.items()}
        if not raw and self.environment is not Environment.PRODUCTION:
            raw = {DEVELOPMENT_NOTE_KEY_ID: DEVELOPMENT_NOTE_KEY}
        if not raw:
            raise ConfigurationError("feedback: missing configuration: INSPIRE_FEEDBACK_NOTE_KEYS")
        current = self.note_key_id or next(reversed(raw))
        if current not in raw:
            raise ConfigurationError(
                "feedback: INSPIRE_FEEDBACK_NOTE_KEY_ID names no key of INSPIRE_FEEDBACK_NOTE_KEYS"
            )
        return current, {key_id: _note_key(key_id, value) for key_id, value in raw.items()}

    def check_ready_to_serve(self, service: str, *, needs_database: bool = True) -> None:
        super().check_ready_to_serve(service, needs_database=needs_database)
        # Refuses, in production, to run without keys; anywhere, keys that are not 32 bytes
        # or a current key id naming none of them.
        _, keys = self.sealing_keys()
        # Production seals with keys of its own, never the published development key.
        if (
            self.environment is Environment.PRODUCTION
            and _note_key(DEVELOPMENT_NOTE_KEY_ID, DEVELOPMENT_NOTE_KEY) in keys.values()
        ):
            raise ConfigurationError(
                f"{service}: INSPIRE_FEEDBACK_NOTE_KEYS holds the development key"
            )
