"""Rounds: the audience snapshotted when a round opens, who was asked (participation) and,
apart from it, what was answered (responses without a person or a time, and their answers).

Revision ID: 0020
Revises: 0006
Create Date: 2026-12-01 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0020"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "round",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("instrument_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column(
            "mode",
            sa.Enum("anonymous", "identified", name="roundmode", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "open", "closed", name="roundstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("mode IN ('anonymous', 'identified')", name=op.f("ck_round_mode_known")),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'closed')", name=op.f("ck_round_status_known")
        ),
        sa.CheckConstraint("min_group_size >= 3", name=op.f("ck_round_min_group_size_floor")),
        sa.ForeignKeyConstraint(
            ["instrument_id"], ["instrument.id"], name=op.f("fk_round_instrument_id_instrument")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round")),
    )
    op.create_index("ix_round_created_at_id", "round", ["created_at", "id"], unique=False)
    op.create_index("ix_round_instrument_id", "round", ["instrument_id"], unique=False)
    op.create_table(
        "response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_response_round_id_round"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response")),
    )
    op.create_index(
        "ix_response_round_id_team_id", "response", ["round_id", "team_id"], unique=False
    )
    op.create_table(
        "round_team",
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
            name=op.f("fk_round_team_round_id_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "team_id", name=op.f("pk_round_team")),
    )
    op.create_table(
        "round_team_line",
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("ancestor_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
            name=op.f("fk_round_team_line_round_id_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "round_id", "team_id", "ancestor_id", name=op.f("pk_round_team_line")
        ),
    )
    op.create_table(
        "answer",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("question_id", sa.Uuid(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(score IS NULL) <> (comment IS NULL)", name=op.f("ck_answer_score_or_comment")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["question.id"], name=op.f("fk_answer_question_id_question")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_answer_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "question_id", name=op.f("pk_answer")),
    )
    op.create_table(
        "area_score",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("mean", sa.Numeric(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_area_score_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "area", name=op.f("pk_area_score")),
    )
    op.create_table(
        "participation",
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "invited",
                "saved",
                "submitted",
                name="participationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("draft", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("response_id", sa.Uuid(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status <> 'submitted' OR draft IS NULL",
            name=op.f("ck_participation_no_draft_once_submitted"),
        ),
        sa.CheckConstraint(
            "status IN ('invited', 'saved', 'submitted')",
            name=op.f("ck_participation_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name=op.f("fk_participation_response_id_response")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
            name=op.f("fk_participation_round_id_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "person_id", name=op.f("pk_participation")),
    )
    op.create_index("ix_participation_person_id", "participation", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_participation_person_id", table_name="participation")
    op.drop_table("participation")
    op.drop_table("area_score")
    op.drop_table("answer")
    op.drop_table("round_team_line")
    op.drop_table("round_team")
    op.drop_index("ix_response_round_id_team_id", table_name="response")
    op.drop_table("response")
    op.drop_index("ix_round_instrument_id", table_name="round")
    op.drop_index("ix_round_created_at_id", table_name="round")
    op.drop_table("round")
