"""The goals tables (cycles, objectives, key results, check-ins). The org copy's tables and the
kit's come from the kit's branches (orgcopy_0001, kit_0001), on which this revision depends.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:43:53.711583
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("kit_0001", "orgcopy_0001")


def upgrade() -> None:
    op.create_table(
        "cycle",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planning', 'active', 'closed')", name=op.f("ck_cycle_status_known")
        ),
        sa.CheckConstraint("ends_on > starts_on", name=op.f("ck_cycle_ends_after_start")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle")),
    )
    op.create_index("ix_cycle_created_at_id", "cycle", ["created_at", "id"], unique=False)
    op.create_table(
        "objective",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("owner_person_id", sa.Uuid(), nullable=True),
        sa.Column("owner_team_id", sa.Uuid(), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('public', 'private')", name=op.f("ck_objective_visibility_known")
        ),
        sa.CheckConstraint(
            "(owner_person_id IS NULL) <> (owner_team_id IS NULL)",
            name=op.f("ck_objective_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_objective_cycle_id_cycle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objective")),
    )
    op.create_index("ix_objective_created_at_id", "objective", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_objective_cycle_id_created_at_id",
        "objective",
        ["cycle_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_objective_owner_person_id_created_at_id",
        "objective",
        ["owner_person_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_objective_owner_team_id_created_at_id",
        "objective",
        ["owner_team_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "key_result",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("current", sa.Float(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "confidence BETWEEN 0 AND 10", name=op.f("ck_key_result_confidence_range")
        ),
        sa.CheckConstraint("target <> start", name=op.f("ck_key_result_target_differs_from_start")),
        sa.CheckConstraint("weight > 0", name=op.f("ck_key_result_weight_positive")),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objective.id"], name=op.f("fk_key_result_objective_id_objective")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_result")),
    )
    op.create_index(
        "ix_key_result_objective_id_created_at_id",
        "key_result",
        ["objective_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "check_in",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key_result_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "confidence BETWEEN 0 AND 10", name=op.f("ck_check_in_confidence_range")
        ),
        sa.ForeignKeyConstraint(
            ["key_result_id"], ["key_result.id"], name=op.f("fk_check_in_key_result_id_key_result")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in")),
    )
    op.create_index(
        "ix_check_in_key_result_id_created_at_id",
        "check_in",
        ["key_result_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_check_in_key_result_id_created_at_id", table_name="check_in")
    op.drop_table("check_in")
    op.drop_index("ix_key_result_objective_id_created_at_id", table_name="key_result")
    op.drop_table("key_result")
    op.drop_index("ix_objective_owner_team_id_created_at_id", table_name="objective")
    op.drop_index("ix_objective_owner_person_id_created_at_id", table_name="objective")
    op.drop_index("ix_objective_cycle_id_created_at_id", table_name="objective")
    op.drop_index("ix_objective_created_at_id", table_name="objective")
    op.drop_table("objective")
    op.drop_index("ix_cycle_created_at_id", table_name="cycle")
    op.drop_table("cycle")
