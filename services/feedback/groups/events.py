"""The events of accountability groups: which group, round or post, whose; never the words of
commitments, progress or responses, which only members read."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from kit.events import EventType
from services.feedback.groups.schemas import RoundKind


class RoundOpenedPayload(BaseModel):
    id: uuid.UUID = Field(description="The round.")
    group_id: uuid.UUID
    kind: RoundKind
    opened_by: uuid.UUID | None = Field(description="A member; null when the cadence opened it.")
    member_ids: list[uuid.UUID] = Field(description="Who is asked to post.")
    created_at: datetime


class CommitmentPostedPayload(BaseModel):
    id: uuid.UUID = Field(description="The post.")
    round_id: uuid.UUID
    group_id: uuid.UUID
    author_id: uuid.UUID
    member_ids: list[uuid.UUID] = Field(description="The group's members, who may respond.")
    created_at: datetime


ROUND_OPENED = EventType(
    "group.round_opened",
    RoundOpenedPayload,
    "A round of an accountability group opened: each member is asked to post.",
)
COMMITMENT_POSTED = EventType(
    "group.commitment_posted",
    CommitmentPostedPayload,
    "A member posted commitments in a round; the words are read by the group's members alone.",
)

EVENT_TYPES = (ROUND_OPENED, COMMITMENT_POSTED)
