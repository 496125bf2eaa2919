"""Settings of the gateway, from `INSPIRE_GATEWAY_…` environment variables (services are found
by the shared `INSPIRE_<SERVICE>_URL`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_GATEWAY_", env_nested_delimiter="__", extra="ignore"
    )

    # A slow service fails its own fields after this long; the rest of the answer still comes.
    service_timeout_seconds: float = Field(default=5.0, gt=0)
    service_connect_timeout_seconds: float = Field(default=1.0, gt=0)
    # Pooled connections to each service, per gateway process.
    service_max_connections: int = Field(default=100, ge=1)
    # The GraphiQL page on `GET /graphql` (assets served locally, never from a CDN).
    graphiql: bool = True
