"""Settings of the people service, from `INSPIRE_PEOPLE_…` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings
from services.people.hris.settings import HrisSettings


class PeopleSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_PEOPLE_", env_nested_delimiter="__", extra="ignore"
    )

    hris: HrisSettings = Field(default_factory=HrisSettings)
