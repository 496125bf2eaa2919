"""Settings of the feedback service, from `INSPIRE_FEEDBACK_…` environment variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class FeedbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_FEEDBACK_", env_nested_delimiter="__", extra="ignore"
    )
