"""How the HRIS connections are configured: one secret per integration, which source its
people come from, who owns each field and where the roster guards stand."""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator


class Format(StrEnum):
    """How an integration signs and words its deliveries."""

    INSPIRE = "inspire"  # Standard Webhooks headers, the generic Inspire events
    UNIFIED = "unified"  # Standard Webhooks headers, `{Model}.added/changed/removed` bodies
    BAMBOOHR = "bamboohr"  # BambooHR's own signature headers and employee payloads


class Owner(StrEnum):
    """Which writer a person's field belongs to."""

    HRIS = "hris"
    SCIM = "scim"
    LOCAL = "local"


class Integration(BaseModel):
    secret: SecretStr = Field(
        description="Standard Webhooks secret (`whsec_` + base64) or, for BambooHR, the "
        "webhook's private key as BambooHR shows it."
    )
    format: Format = Format.INSPIRE
    source: str = Field(
        min_length=1, max_length=100, description="The `source` its people are kept under."
    )

    @model_validator(mode="after")
    def _readable_secret(self) -> Self:
        if self.format == Format.BAMBOOHR:
            return self
        try:
            base64.b64decode(self.secret.get_secret_value().removeprefix("whsec_"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("a Standard Webhooks secret is `whsec_` and base64") from exc
        return self


# The fields an HRIS may write, and who owns them unless configured otherwise.
DEFAULT_OWNERS = {
    "email": Owner.HRIS,
    "name": Owner.HRIS,
    "title": Owner.HRIS,
    "employee_number": Owner.HRIS,
    "manager_id": Owner.HRIS,
    "locale": Owner.LOCAL,
    "time_zone": Owner.LOCAL,
}


class HrisSettings(BaseModel):
    """`INSPIRE_PEOPLE_HRIS__INTEGRATIONS='{"bamboo": {"secret": "…", "format": "bamboohr",
    "source": "bamboohr"}}'`, `INSPIRE_PEOPLE_HRIS__OWNERS='{"title": "local"}'`."""

    integrations: dict[str, Integration] = Field(default_factory=dict)
    owners: dict[str, Owner] = Field(default_factory=dict)
    # How far a delivery's timestamp may be from our clock, either way.
    tolerance_seconds: int = Field(default=300, ge=1)
    # A roster that would deactivate more than this share of the source's active people, or
    # change more than this share of its people's emails, is refused unless forced.
    max_deactivated_share: float = Field(default=0.40, ge=0, le=1)
    max_email_changed_share: float = Field(default=0.05, ge=0, le=1)
    # A roster that would remove more than this share of the source's teams is refused too.
    max_removed_team_share: float = Field(default=0.40, ge=0, le=1)

    @field_validator("owners")
    @classmethod
    def _known_fields(cls, owners: dict[str, Owner]) -> dict[str, Owner]:
        unknown = sorted(set(owners) - set(DEFAULT_OWNERS))
        if unknown:
            raise ValueError(f"unknown fields {unknown}; known: {sorted(DEFAULT_OWNERS)}")
        return owners

    def owner(self, field: str) -> Owner:
        return self.owners.get(field, DEFAULT_OWNERS[field])
