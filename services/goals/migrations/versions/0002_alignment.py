"""The alignment graph: links from an objective to the objective (or key result) it supports,
with a weight; the roll-up switch; dependencies between owners' objectives, with a state.

Revision ID: 0002_alignment
Revises: 0001
Create Date: 2026-11-25 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002_alignment"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alignment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_objective_id", sa.Uuid(), nullable=False),
        sa.Column("parent_objective_id", sa.Uuid(), nullable=False),
        sa.Column("parent_key_result_id", sa.Uuid(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "child_objective_id <> parent_objective_id", name=op.f("ck_alignment_not_self")
        ),
        sa.CheckConstraint("weight > 0", name=op.f("ck_alignment_weight_positive")),
        sa.ForeignKeyConstraint(
            ["child_objective_id"],
            ["objective.id"],
            name=op.f("fk_alignment_child_objective_id_objective"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_objective_id"],
            ["objective.id"],
            name=op.f("fk_alignment_parent_objective_id_objective"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_key_result_id"],
            ["key_result.id"],
            name=op.f("fk_alignment_parent_key_result_id_key_result"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignment")),
        sa.UniqueConstraint(
            "child_objective_id",
            "parent_objective_id",
            name=op.f("uq_alignment_child_objective_id_parent_objective_id"),
        ),
    )
    op.create_index(
        "ix_alignment_parent_objective_id_created_at_id",
        "alignment",
        ["parent_objective_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_alignment_parent_key_result_id", "alignment", ["parent_key_result_id"], unique=False
    )
    op.create_table(
        "objective_roll_up",
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("enabled_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objective.id"],
            name=op.f("fk_objective_roll_up_objective_id_objective"),
        ),
        sa.PrimaryKeyConstraint("objective_id", name=op.f("pk_objective_roll_up")),
    )
    op.create_table(
        "dependency",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("on_objective_id", sa.Uuid(), nullable=False),
        sa.Column("on_key_result_id", sa.Uuid(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("objective_id <> on_objective_id", name=op.f("ck_dependency_not_self")),
        sa.CheckConstraint(
            "state IN ('open', 'agreed', 'resolved')", name=op.f("ck_dependency_state_known")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_dependency_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objective.id"], name=op.f("fk_dependency_objective_id_objective")
        ),
        sa.ForeignKeyConstraint(
            ["on_objective_id"],
            ["objective.id"],
            name=op.f("fk_dependency_on_objective_id_objective"),
        ),
        sa.ForeignKeyConstraint(
            ["on_key_result_id"],
            ["key_result.id"],
            name=op.f("fk_dependency_on_key_result_id_key_result"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dependency")),
    )
    for column in ("cycle_id", "objective_id", "on_objective_id"):
        op.create_index(
            f"ix_dependency_{column}_created_at_id",
            "dependency",
            [column, "created_at", "id"],
            unique=False,
        )
    op.create_index(
        "uq_dependency_objective_id_on_objective_id",
        "dependency",
        ["objective_id", "on_objective_id"],
        unique=True,
        postgresql_where=sa.text("on_key_result_id IS NULL"),
    )
    op.create_index(
        "uq_dependency_objective_id_on_key_result_id",
        "dependency",
        ["objective_id", "on_key_result_id"],
        unique=True,
        postgresql_where=sa.text("on_key_result_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_table("dependency")
    op.drop_table("objective_roll_up")
    op.drop_table("alignment")
