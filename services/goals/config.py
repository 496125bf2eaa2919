"""Settings of the goals service, from `INSPIRE_GOALS_…` environment variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class GoalsSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_GOALS_", env_nested_delimiter="__", extra="ignore"
    )
