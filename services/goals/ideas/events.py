"""The events of ideas: ids and kinds only. No words of an idea or a review, no score, and
never who reviewed (nobody can read that through the API either)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from kit.events import EventType
from services.goals.ideas.schemas import IdeaStatus, SpawnedKind


class IdeaPayload(BaseModel):
    idea_id: uuid.UUID
    proposer_id: uuid.UUID
    status: IdeaStatus


class IdeaReviewedPayload(IdeaPayload):
    review_count: int = Field(description="How many reviews the idea has now.")
    first: bool = Field(description="A new review (true) or a reviewer's change (false).")


class IdeaAllocatedPayload(IdeaPayload):
    allocated_by: uuid.UUID
    spawned_kind: SpawnedKind | None
    spawned_id: uuid.UUID | None


IDEA_PROPOSED = EventType("idea.proposed", IdeaPayload, "Someone proposed an idea.")
IDEA_REVIEWED = EventType(
    "idea.reviewed", IdeaReviewedPayload, "A peer reviewed an idea, or changed their review."
)
IDEA_ALLOCATED = EventType(
    "idea.allocated",
    IdeaAllocatedPayload,
    "An idea was granted resources, and may have started an experiment or an objective.",
)

EVENT_TYPES = (IDEA_PROPOSED, IDEA_REVIEWED, IDEA_ALLOCATED)
