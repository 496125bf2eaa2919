"""The experiments table, on the goals service's metadata. Its text is searched through a
GIN index on the same `tsvector` expression the search statement uses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, func, text
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.goals.experiments.schemas import ExperimentOutcome
from services.goals.models import SEARCH_CONFIG, GoalsModel

# What a learning is found by.
SEARCHED = ("hypothesis", "tried", "result", "learning")


def learning_document(table: str = "") -> Any:
    """The `tsvector` a learning search matches against (the GIN index's expression), written
    as PostgreSQL prints it back, so that the migrations check agrees."""
    first, *rest = (f"coalesce({table}{column}, '')" for column in SEARCHED)
    document = first
    for part in rest:
        document = f"(({document} || ' ') || {part})"
    # Printed back without its outermost parentheses.
    document = document.removeprefix("(").removesuffix(")")
    return func.to_tsvector(text(f"'{SEARCH_CONFIG}'::regconfig"), text(document))


class Experiment(GoalsModel, table=True):
    """Something tried on a key result to learn whether a hypothesis holds. It stays with its
    objective when its key result is removed: a learning outlives what it was learnt on."""

    __tablename__ = "experiment"
    __table_args__ = (
        Index("ix_experiment_created_at_id", "created_at", "id"),
        Index("ix_experiment_key_result_id_created_at_id", "key_result_id", "created_at", "id"),
        Index("ix_experiment_objective_id", "objective_id"),
        Index("ix_experiment_search", learning_document(), postgresql_using="gin"),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('validated', 'invalidated', 'inconclusive')",
            name="outcome_known",
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    objective_id: uuid.UUID = Field(foreign_key="objective.id")
    key_result_id: uuid.UUID | None = Field(
        default=None, foreign_key="key_result.id", ondelete="SET NULL"
    )
    hypothesis: str = Field(max_length=2000)
    tried: str | None = Field(default=None, max_length=2000)
    result: str | None = Field(default=None, max_length=2000)
    learning: str | None = Field(default=None, max_length=2000)
    outcome: ExperimentOutcome | None = Field(
        default=None, sa_type=stored_as_text(ExperimentOutcome)
    )
    recorded_by: uuid.UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1
