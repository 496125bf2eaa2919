"""The events of development goals: ids and kinds only, never a goal's words or its skills;
`sharing` lets consumers keep a private goal to the people who may read it."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from kit.events import EventType
from services.goals.development.schemas import Sharing


class DevelopmentGoalPayload(BaseModel):
    goal_id: uuid.UUID
    person_id: uuid.UUID
    sharing: Sharing = Field(description="Who reads it beyond the person's chain and HR.")
    plan_items: int = Field(description="How many items its learning plan has.")


DEVELOPMENT_GOAL_CREATED = EventType(
    "development_goal.created",
    DevelopmentGoalPayload,
    "A person set a development goal for their own growth.",
)
DEVELOPMENT_GOAL_COMPLETED = EventType(
    "development_goal.completed",
    DevelopmentGoalPayload,
    "A person completed a development goal.",
)

EVENT_TYPES = (DEVELOPMENT_GOAL_CREATED, DEVELOPMENT_GOAL_COMPLETED)
