"""Feedback items. The org copy's tables and the kit's come from the kit's branches
(orgcopy_0001, kit_0001), on which this revision depends.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:42:00.499417
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
        "feedback",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("giver_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('praise', 'suggestion')", name=op.f("ck_feedback_kind_known")),
        sa.CheckConstraint(
            "visibility IN ('private', 'manager', 'public')",
            name=op.f("ck_feedback_visibility_known"),
        ),
        sa.CheckConstraint("giver_id <> recipient_id", name=op.f("ck_feedback_not_to_self")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_created_at_id", "feedback", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_feedback_giver_id_created_at_id",
        "feedback",
        ["giver_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_feedback_recipient_id_created_at_id",
        "feedback",
        ["recipient_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_recipient_id_created_at_id", table_name="feedback")
    op.drop_index("ix_feedback_giver_id_created_at_id", table_name="feedback")
    op.drop_index("ix_feedback_created_at_id", table_name="feedback")
    op.drop_table("feedback")
