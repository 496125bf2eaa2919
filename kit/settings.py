"""Settings from `INSPIRE_…` environment variables: a base for every service, and auth keys."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ConfigurationError(RuntimeError):
    """The process cannot start safely with the configuration it was given."""


# RFC 7518 §3.2: an HMAC key at least as long as the hash output (SHA-256: 32 bytes); a shorter
# one can be guessed offline from any token it signed.
MIN_HS256_SECRET_BYTES = 32


class AuthSettings(BaseSettings):
    """How bearer tokens are verified; shared by every service."""

    model_config = SettingsConfigDict(env_prefix="INSPIRE_AUTH_", extra="ignore")

    # People and integration tokens: either a shared secret (HS256) or an IdP's JWKS.
    jwt_secret: SecretStr | None = None
    jwks_url: str | None = None
    algorithms: list[str] = Field(default_factory=lambda: ["HS256"])
    issuer: str = "inspire"
    audience: str = "inspire"
    leeway_seconds: int = 30
    jwks_refresh_seconds: int = 300
    # Which claim names the person in the directory.
    identity_claim: Literal["sub", "email", "employee_number"] = "email"
    # Calls between our own services carry tokens signed with this key.
    service_secret: SecretStr | None = None

    def missing_for_production(self) -> list[str]:
        missing = []
        if self.jwt_secret is None and self.jwks_url is None:
            missing.append("INSPIRE_AUTH_JWT_SECRET or INSPIRE_AUTH_JWKS_URL")
        if self.service_secret is None:
            missing.append("INSPIRE_AUTH_SERVICE_SECRET")
        return missing

    def too_short(self) -> list[str]:
        """The secrets set but too short to sign HS256 tokens safely (named, never shown)."""
        secrets = {
            "INSPIRE_AUTH_JWT_SECRET": self.jwt_secret,
            "INSPIRE_AUTH_SERVICE_SECRET": self.service_secret,
        }
        return [
            f"{name} is shorter than {MIN_HS256_SECRET_BYTES} bytes"
            for name, secret in secrets.items()
            if secret is not None
            and len(secret.get_secret_value().encode()) < MIN_HS256_SECRET_BYTES
        ]


class TracingSettings(BaseSettings):
    """OpenTelemetry tracing (`INSPIRE_TRACING_…`), shared by every service; off without an
    endpoint."""

    model_config = SettingsConfigDict(env_prefix="INSPIRE_TRACING_", extra="ignore")

    # An OTLP/HTTP collector, e.g. `http://otel-collector:4318`; spans go to `<it>/v1/traces`.
    otlp_endpoint: str | None = None
    # Share of new traces recorded; a request from another service follows its caller's choice.
    sample_ratio: float = Field(default=1.0, ge=0, le=1)
    # `service.name` of the spans; `inspire-<service>` when unset.
    service_name: str | None = None


class ServiceUrls(BaseSettings):
    """How to reach each service (`INSPIRE_<SERVICE>_URL`), for calls and event feeds."""

    model_config = SettingsConfigDict(env_prefix="INSPIRE_", extra="ignore")

    people_url: str = "http://127.0.0.1:8001"
    goals_url: str = "http://127.0.0.1:8002"
    feedback_url: str = "http://127.0.0.1:8003"
    assessment_url: str = "http://127.0.0.1:8004"
    webhooks_url: str = "http://127.0.0.1:8005"


class ServiceSettings(BaseSettings):
    """Base for each service's settings; subclasses set `env_prefix="INSPIRE_<SERVICE>_"`."""

    # `INSPIRE_<SERVICE>_AUTH__JWKS_URL` overrides a shared `INSPIRE_AUTH_JWKS_URL` for one service.
    model_config = SettingsConfigDict(extra="ignore", env_nested_delimiter="__")

    database_url: str | None = None
    environment: Environment = Environment.PRODUCTION
    # Connections kept open, and the most a process uses (no overflow): above the requests it
    # serves at once (a connection each), its relay, listener and consumers.
    pool_size: int = Field(default=20, ge=1)
    log_level: str = "INFO"
    # The OpenAPI document and its pages, unauthenticated: on outside production unless set.
    api_docs: bool | None = None
    # Largest request body taken, in bytes; a larger one is 413 before anything parses it.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # Longest a feed long-poll may hold a request open.
    feed_max_wait_seconds: float = 30.0
    # An event whose handler fails this many times (waiting 0.5 s, 1 s, 2 s… between) is
    # parked, and the consumer moves on.
    consumer_max_attempts: int = Field(default=5, ge=1)
    consumer_retry_delay_seconds: float = Field(default=0.5, ge=0)
    # On SIGTERM: readiness fails and requests are still taken for this long, then the server
    # stops taking them and gives those in flight up to `shutdown_timeout_seconds` to finish.
    # Together, under the pod's terminationGracePeriodSeconds less its preStop sleep.
    drain_seconds: float = Field(default=2.0, ge=0)
    shutdown_timeout_seconds: float = Field(default=15.0, ge=0)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    tracing: TracingSettings = Field(default_factory=TracingSettings)
    urls: ServiceUrls = Field(default_factory=ServiceUrls)

    @property
    def serves_api_docs(self) -> bool:
        if self.api_docs is not None:
            return self.api_docs
        return self.environment != Environment.PRODUCTION

    def check_ready_to_serve(self, service: str, *, needs_database: bool = True) -> None:
        """Refuse to run without a database and keys: defaults exist only in development."""
        missing = []
        if needs_database and not self.database_url:
            missing.append(f"INSPIRE_{service.upper()}_DATABASE_URL")
        missing += self.auth.missing_for_production()
        if missing:
            raise ConfigurationError(
                f"{service}: missing configuration: {', '.join(missing)}",
            )
        if weak := self.auth.too_short():
            raise ConfigurationError(f"{service}: {'; '.join(weak)}")
        if needs_database and not (self.database_url or "").startswith(
            ("postgresql://", "postgresql+asyncpg://", "postgres://"),
        ):
            raise ConfigurationError(f"{service}: the database URL must be a PostgreSQL URL")
