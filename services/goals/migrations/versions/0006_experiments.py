"""Experiments on key results, and the full-text index their learnings are searched by.

Revision ID: 0006_experiments
Revises: 0005_help
Create Date: 2026-12-01 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006_experiments"
down_revision: str | Sequence[str] | None = "0005_help"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString(length=2000)


def upgrade() -> None:
    op.create_table(
        "experiment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("key_result_id", sa.Uuid(), nullable=True),
        sa.Column("hypothesis", _TEXT, nullable=False),
        sa.Column("tried", _TEXT, nullable=True),
        sa.Column("result", _TEXT, nullable=True),
        sa.Column("learning", _TEXT, nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('validated', 'invalidated', 'inconclusive')",
            name=op.f("ck_experiment_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objective.id"], name=op.f("fk_experiment_objective_id_objective")
        ),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_result.id"],
            name=op.f("fk_experiment_key_result_id_key_result"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment")),
    )
    op.create_index("ix_experiment_created_at_id", "experiment", ["created_at", "id"])
    op.create_index(
        "ix_experiment_key_result_id_created_at_id",
        "experiment",
        ["key_result_id", "created_at", "id"],
    )
    op.create_index("ix_experiment_objective_id", "experiment", ["objective_id"])
    op.create_index(
        "ix_experiment_search",
        "experiment",
        [
            sa.literal_column(
                "to_tsvector('simple'::regconfig, "
                "(((((coalesce(hypothesis, '') || ' ') || coalesce(tried, '')) || ' ') "
                "|| coalesce(result, '')) || ' ') || coalesce(learning, ''))"
            )
        ],
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_table("experiment")
