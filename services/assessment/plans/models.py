"""The tables of action plans: a plan per team and round, and its items."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Uuid
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.assessment.models import AssessmentModel
from services.assessment.plans.schemas import ItemKind, ItemStatus


class Plan(AssessmentModel, table=True):
    """What a team (or a round's whole audience, `team_id` none) does after a round."""

    __tablename__ = "plan"
    __table_args__ = (Index("ix_plan_team_id_round_id", "team_id", "round_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    round_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("round.id", ondelete="CASCADE"), nullable=False)
    )
    team_id: uuid.UUID | None = None
    created_by: uuid.UUID | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class PlanItem(AssessmentModel, table=True):
    __tablename__ = "plan_item"
    __table_args__ = (Index("ix_plan_item_plan_id_position", "plan_id", "position"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    plan_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("plan.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    kind: ItemKind = Field(sa_type=stored_as_text(ItemKind))
    text: str = Field(max_length=500)
    owner_id: uuid.UUID | None = None
    status: ItemStatus = Field(default=ItemStatus.OPEN, sa_type=stored_as_text(ItemStatus))
