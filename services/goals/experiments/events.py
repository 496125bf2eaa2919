"""The events of experiments: ids and the outcome, never the hypothesis or the learning (read
them through the API, with the reader's rights). The feedback service's recognition of
learnings refers to experiments by id."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from kit.events import EventType
from services.goals.experiments.schemas import ExperimentOutcome
from services.goals.schemas import Visibility


class ExperimentPayload(BaseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    key_result_id: uuid.UUID | None
    owner_person_id: uuid.UUID | None = Field(description="The objective's owner.")
    owner_team_id: uuid.UUID | None = Field(description="The objective's owner.")
    visibility: Visibility = Field(description="The objective's visibility.")
    outcome: ExperimentOutcome | None = Field(description="Null while it runs.")
    recorded_by: uuid.UUID


EXPERIMENT_RECORDED = EventType(
    "experiment.recorded", ExperimentPayload, "An experiment was recorded on a key result."
)

EVENT_TYPES = (EXPERIMENT_RECORDED,)
