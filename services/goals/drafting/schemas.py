"""The drafting API contract: comments on an objective while it is drafted (signatures are
read with the objective)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from services.goals.schemas import Remark, StrictInput


class CommentCreate(StrictInput):
    body: Remark


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    objective_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    created_at: datetime
