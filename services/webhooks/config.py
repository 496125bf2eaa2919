"""Settings of the webhooks service, from `INSPIRE_WEBHOOKS_…` environment variables."""

from __future__ import annotations

import base64
import hashlib

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from kit.settings import ConfigurationError, Environment, ServiceSettings

# Outside production only: the key that encrypts signing secrets when none is configured.
_DEVELOPMENT_KEY_ID = "development"
_DEVELOPMENT_KEY = SecretStr(
    base64.urlsafe_b64encode(hashlib.sha256(b"inspire webhooks development key").digest()).decode()
)


class WebhooksSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_WEBHOOKS_", env_nested_delimiter="__", extra="ignore"
    )

    # Fernet keys (`Fernet.generate_key()`) by key id, e.g. `{"2026-12": "…"}` as JSON. Every
    # key listed decrypts; new secrets are encrypted with `encryption_key_id`'s. To rotate: add a
    # key, point `encryption_key_id` at it; drop the old key once nothing uses it.
    encryption_keys: dict[str, SecretStr] = Field(default_factory=dict)
    encryption_key_id: str | None = None
    # Hosts an endpoint may name with plain `http://` (a receiver on this machine in
    # development); every other endpoint must use `https://`.
    insecure_hosts: list[str] = Field(default_factory=list)
    # Networks (`10.0.0.0/8`, `127.0.0.1`) and host names deliveries may reach although they are
    # not public (the SSRF guard refuses loopback, private, link-local and metadata addresses
    # otherwise). In development: this machine's loopback addresses.
    allow_list: list[str] = Field(default_factory=list)
    # The feeds whose events are logged and delivered; each is read at `INSPIRE_<NAME>_URL`.
    feeds: list[str] = Field(
        default_factory=lambda: ["people", "goals", "feedback", "assessment", "webhooks"]
    )
    event_retention_days: int = Field(default=30, ge=1)
    # How often logged events older than the retention are deleted.
    prune_interval_seconds: float = Field(default=3600.0, gt=0)
    # How long the services' event catalogues are kept before they are fetched again.
    catalogue_max_age_seconds: float = Field(default=300.0, ge=0)

    # The dispatcher (`inspire worker`): attempts in flight at once, how long a claimed attempt
    # is held (more than the 15 s timeout and the recording after it), how often it looks for
    # due attempts when nothing woke it, and how long a stopping dispatcher lets the attempts
    # in flight finish before it releases them.
    dispatch_concurrency: int = Field(default=64, ge=1, le=1000)
    dispatch_lease_seconds: float = Field(default=60.0, ge=30.0)
    dispatch_poll_seconds: float = Field(default=1.0, gt=0)
    dispatch_grace_seconds: float = Field(default=20.0, ge=0)

    def vault_keys(self) -> tuple[str, dict[str, SecretStr]]:
        """The id of the key new secrets are encrypted with, and every key by id."""
        keys = dict(self.encryption_keys)
        if not keys and self.environment != Environment.PRODUCTION:
            keys = {_DEVELOPMENT_KEY_ID: _DEVELOPMENT_KEY}
        if not keys:
            raise ConfigurationError(
                "webhooks: missing configuration: INSPIRE_WEBHOOKS_ENCRYPTION_KEYS"
            )
        current = self.encryption_key_id or sorted(keys)[-1]
        if current not in keys:
            raise ConfigurationError(
                "webhooks: INSPIRE_WEBHOOKS_ENCRYPTION_KEY_ID names no key of "
                f"INSPIRE_WEBHOOKS_ENCRYPTION_KEYS ({current})"
            )
        return current, keys

    def allows_insecure(self, host: str) -> bool:
        hosts = self.insecure_hosts
        if not hosts and self.environment == Environment.DEVELOPMENT:
            hosts = ["127.0.0.1", "localhost", "::1"]
        return host.lower() in hosts

    def allowed(self) -> list[str]:
        """The SSRF guard's allow-list entries."""
        if not self.allow_list and self.environment == Environment.DEVELOPMENT:
            return ["127.0.0.0/8", "::1", "localhost"]
        return list(self.allow_list)

    def check_ready_to_serve(self, service: str, *, needs_database: bool = True) -> None:
        super().check_ready_to_serve(service, needs_database=needs_database)
        self.vault_keys()
