"""Ideas: proposals anyone makes, their peers' reviews (one per reviewer, on impact,
evidence and feasibility) and the allocation that resourced one.

Revision ID: 0010_ideas
Revises: 0004_one_head
Create Date: 2026-12-01 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010_ideas"
down_revision: str | None = "0004_one_head"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idea",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("headline", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("problem", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("proposal", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("expected_impact", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("time_person_days", sa.Float(), nullable=True),
        sa.Column("budget_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("budget_currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "under_review",
                "allocated",
                "declined",
                "withdrawn",
                name="ideastatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("proposer_id", sa.Uuid(), nullable=False),
        sa.Column("closing_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'under_review', 'allocated', 'declined', 'withdrawn')",
            name=op.f("ck_idea_status_known"),
        ),
        sa.CheckConstraint(
            "(budget_amount IS NULL) = (budget_currency IS NULL)",
            name=op.f("ck_idea_budget_in_one_currency"),
        ),
        sa.CheckConstraint(
            "time_person_days IS NOT NULL OR budget_amount IS NOT NULL",
            name=op.f("ck_idea_asks_something"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea")),
    )
    op.create_index("ix_idea_created_at_id", "idea", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_idea_proposer_id_created_at_id",
        "idea",
        ["proposer_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_idea_status_created_at_id", "idea", ["status", "created_at", "id"], unique=False
    )
    op.create_table(
        "idea_allocation",
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("time_person_days", sa.Float(), nullable=True),
        sa.Column("budget_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("budget_currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("allocated_by", sa.Uuid(), nullable=False),
        sa.Column(
            "spawned_kind",
            sa.Enum("experiment", "objective", name="spawnedkind", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("spawned_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "spawned_kind IS NULL OR spawned_kind IN ('experiment', 'objective')",
            name=op.f("ck_idea_allocation_spawned_kind_known"),
        ),
        sa.CheckConstraint(
            "(budget_amount IS NULL) = (budget_currency IS NULL)",
            name=op.f("ck_idea_allocation_budget_in_one_currency"),
        ),
        sa.CheckConstraint(
            "(spawned_kind IS NULL) = (spawned_id IS NULL)",
            name=op.f("ck_idea_allocation_spawned_both"),
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["idea.id"], name=op.f("fk_idea_allocation_idea_id_idea")
        ),
        sa.PrimaryKeyConstraint("idea_id", name=op.f("pk_idea_allocation")),
    )
    op.create_table(
        "idea_review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Integer(), nullable=False),
        sa.Column("feasibility", sa.Integer(), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("evidence BETWEEN 1 AND 5", name=op.f("ck_idea_review_evidence_range")),
        sa.CheckConstraint(
            "feasibility BETWEEN 1 AND 5", name=op.f("ck_idea_review_feasibility_range")
        ),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_idea_review_impact_range")),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], name=op.f("fk_idea_review_idea_id_idea")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_review")),
        sa.UniqueConstraint(
            "idea_id", "reviewer_id", name=op.f("uq_idea_review_idea_id_reviewer_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("idea_review")
    op.drop_table("idea_allocation")
    op.drop_index("ix_idea_status_created_at_id", table_name="idea")
    op.drop_index("ix_idea_proposer_id_created_at_id", table_name="idea")
    op.drop_index("ix_idea_created_at_id", table_name="idea")
    op.drop_table("idea")
