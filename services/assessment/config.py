"""Settings of the assessment service, from `INSPIRE_ASSESSMENT_…` environment variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class AssessmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_ASSESSMENT_", env_nested_delimiter="__", extra="ignore"
    )
