"""Settings of the gateway, from `INSPIRE_GATEWAY_…` environment variables (services are found
by the shared `INSPIRE_<SERVICE>_URL`)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import Environment, ServiceSettings


@dataclass(frozen=True, slots=True)
class GraphQLPolicy:
    """What one operation may ask, and what errors may reveal; the schema is built once per
    policy (hashable, so that it can key that cache)."""

    max_document_bytes: int = 32_768
    max_tokens: int = 2_000
    max_depth: int = 15
    max_aliases: int = 30
    max_cost: int = 50_000
    max_page_size: int = 100
    introspection: bool = True
    field_suggestions: bool = True


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

    # Everyone may send a request (schema-only ones need no token): every bound below is
    # checked before the work it protects, so that one request cannot hold back the others.
    # The request: its body (413 beyond), and the nesting of its JSON (variables included).
    max_body_bytes: int = Field(default=262_144, ge=1_024)
    max_json_depth: int = Field(default=32, ge=4)
    # The document, before it is parsed: bytes, then GraphQL tokens.
    max_document_bytes: int = Field(default=32_768, ge=256)
    max_tokens: int = Field(default=2_000, ge=50)
    # The operation, before it runs: nesting of fields, aliases, estimated cost (fields
    # multiplied by the `first` of the lists they are in), and the largest page one list asks.
    max_depth: int = Field(default=15, ge=2)
    max_aliases: int = Field(default=30, ge=0)
    max_cost: int = Field(default=50_000, ge=10)
    max_page_size: int = Field(default=100, ge=1, le=100)
    # Introspection (`__schema`, `__type`): the schema is public, committed in the repository.
    introspection: bool = True
    # "Did you mean …?" in errors: on outside production unless set.
    field_suggestions: bool | None = None

    @property
    def graphql_policy(self) -> GraphQLPolicy:
        suggestions = self.field_suggestions
        if suggestions is None:
            suggestions = self.environment != Environment.PRODUCTION
        return GraphQLPolicy(
            max_document_bytes=self.max_document_bytes,
            max_tokens=self.max_tokens,
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_cost=self.max_cost,
            max_page_size=self.max_page_size,
            introspection=self.introspection,
            field_suggestions=suggestions,
        )
