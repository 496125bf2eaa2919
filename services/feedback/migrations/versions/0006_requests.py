"""Feedback requests and the part of each person asked (linked to their answer).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("requester_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=True),
        sa.Column("work", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_request")),
    )
    op.create_index("ix_feedback_request_created_at_id", "feedback_request", ["created_at", "id"])
    op.create_index("ix_feedback_request_requester_id", "feedback_request", ["requester_id"])
    op.create_index("ix_feedback_request_subject_id", "feedback_request", ["subject_id"])
    op.create_table(
        "feedback_request_part",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("feedback_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'answered', 'declined')",
            name=op.f("ck_feedback_request_part_status_known"),
        ),
        sa.CheckConstraint(
            "(status = 'answered') = (feedback_id IS NOT NULL)",
            name=op.f("ck_feedback_request_part_answer_linked"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["feedback_request.id"],
            name=op.f("fk_feedback_request_part_request_id_feedback_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_feedback_request_part_feedback_id_feedback"),
        ),
        sa.PrimaryKeyConstraint("request_id", "person_id", name=op.f("pk_feedback_request_part")),
        sa.UniqueConstraint("feedback_id", name=op.f("uq_feedback_request_part_feedback_id")),
    )
    op.create_index(
        "ix_feedback_request_part_person_id_status",
        "feedback_request_part",
        ["person_id", "status"],
    )


def downgrade() -> None:
    op.drop_table("feedback_request_part")
    op.drop_table("feedback_request")
