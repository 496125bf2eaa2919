"""Settings of the goals service, from `INSPIRE_GOALS_…` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class GoalsSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIRE_GOALS_", env_nested_delimiter="__", extra="ignore"
    )

    # A key result of an active cycle is due for a check-in once it has had none for this
    # many days (`INSPIRE_GOALS_CHECK_IN_DUE_DAYS`).
    check_in_due_days: int = Field(default=7, ge=1, le=365)
