"""Settings of the people service, from `INSPIRE_PEOPLE_…` environment variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class PeopleSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_PEOPLE_", env_nested_delimiter="__", extra="ignore"
    )
