"""The search API contract: words to find in objectives and key results, and what was found."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from services.goals.keyresults.schemas import KeyResultRead
from services.goals.schemas import ListQuery, ObjectiveRead


class SearchQuery(ListQuery):
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = (
        Field(description="Words to find (each as a prefix) in titles and descriptions.")
    )
    cycle_id: uuid.UUID | None = Field(default=None, description="Only in this cycle.")


class SearchHitRead(BaseModel):
    """An objective, or a key result with its objective, whose text matches."""

    type: Literal["objective", "key_result"]
    objective: ObjectiveRead
    key_result: KeyResultRead | None = Field(description="The key result found, if one was.")
