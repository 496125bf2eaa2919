"""The experiments API contract: an experiment on a key result (hypothesis, what was tried,
the result, the learning, the outcome), and the search of learnings. A failed experiment with
a good learning is as visible as a success: nothing is ordered or ranked by outcome."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kit.fields import omitted
from services.goals.schemas import Lax, ListQuery, LongText, Remark, StrictInput, refuse_null


class ExperimentOutcome(StrEnum):
    """What the result said of the hypothesis; null while the experiment runs."""

    VALIDATED = "validated"
    INVALIDATED = "invalidated"
    INCONCLUSIVE = "inconclusive"


class ExperimentCreate(StrictInput):
    hypothesis: Remark = Field(description="What we believe, and why trying it would tell.")
    tried: LongText | None = Field(default=None, description="What was tried.")
    result: LongText | None = Field(default=None, description="What happened.")
    learning: LongText | None = Field(default=None, description="What we learnt, for others.")
    outcome: Annotated[ExperimentOutcome, Lax] | None = Field(
        default=None, description="Null while it runs."
    )


class ExperimentUpdate(StrictInput):
    """Only the fields sent change; `null` clears any but the hypothesis."""

    hypothesis: Remark | None = omitted()
    tried: LongText | None = None
    result: LongText | None = None
    learning: LongText | None = None
    outcome: Annotated[ExperimentOutcome, Lax] | None = None

    _not_null = field_validator("hypothesis")(refuse_null)


class ExperimentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    objective_id: uuid.UUID
    key_result_id: uuid.UUID | None = Field(description="Null once its key result was removed.")
    hypothesis: str
    tried: str | None
    result: str | None
    learning: str | None
    outcome: ExperimentOutcome | None
    recorded_by: uuid.UUID
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="The `ETag` of single reads; `PATCH` sends it back.")


class LearningQuery(ListQuery):
    q: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = Field(
        default=None,
        description="Words to find (each as the start of a word) in the hypothesis, what was "
        "tried, the result and the learning; without it, every learning.",
    )
