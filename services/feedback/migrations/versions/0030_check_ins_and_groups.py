"""Weekly check-ins with their replies; accountability groups with members, invitations,
rounds, posts, responses and the help requests that reached them.

Revision ID: 0030
Revises: 0020
Create Date: 2026-12-01 17:02:53.247879
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0030"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accountability_group",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), server_default="", nullable=False),
        sa.Column("cadence", sa.String(length=20), nullable=False),
        sa.Column("max_members", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "cadence IN ('weekly', 'biweekly', 'monthly')",
            name=op.f("ck_accountability_group_cadence_known"),
        ),
        sa.CheckConstraint(
            "max_members BETWEEN 2 AND 8", name=op.f("ck_accountability_group_size")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_group")),
    )
    op.create_index(
        "ix_accountability_group_created_at_id",
        "accountability_group",
        ["created_at", "id"],
        unique=False,
    )
    op.create_table(
        "weekly_check_in",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("week", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("wins", sa.Text(), server_default="", nullable=False),
        sa.Column("blockers", sa.Text(), server_default="", nullable=False),
        sa.Column("priorities", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "answers",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'submitted') = (submitted_at IS NOT NULL)",
            name=op.f("ck_weekly_check_in_submitted"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted')", name=op.f("ck_weekly_check_in_status_known")
        ),
        sa.CheckConstraint("mood BETWEEN 1 AND 5", name=op.f("ck_weekly_check_in_mood_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_check_in")),
    )
    op.create_index(
        "ix_weekly_check_in_created_at_id", "weekly_check_in", ["created_at", "id"], unique=False
    )
    op.create_index(
        "ix_weekly_check_in_manager_id_week",
        "weekly_check_in",
        ["manager_id", "week"],
        unique=False,
    )
    op.create_index(
        "uq_weekly_check_in_person_id_week", "weekly_check_in", ["person_id", "week"], unique=True
    )
    op.create_table(
        "accountability_group_help_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("help_request_id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["accountability_group.id"],
            name=op.f("fk_accountability_group_help_request_group_id_accountability_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_group_help_request")),
    )
    op.create_index(
        "ix_accountability_group_help_request_created_at_id",
        "accountability_group_help_request",
        ["created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_accountability_group_help_request_group_id_help_request_id",
        "accountability_group_help_request",
        ["group_id", "help_request_id"],
        unique=True,
    )
    op.create_table(
        "accountability_group_invitation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined')",
            name=op.f("ck_accountability_group_invitation_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["accountability_group.id"],
            name=op.f("fk_accountability_group_invitation_group_id_accountability_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_group_invitation")),
    )
    op.create_index(
        "ix_accountability_group_invitation_created_at_id",
        "accountability_group_invitation",
        ["created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_accountability_group_invitation_person_id",
        "accountability_group_invitation",
        ["person_id"],
        unique=False,
    )
    op.create_index(
        "uq_accountability_group_invitation_pending",
        "accountability_group_invitation",
        ["group_id", "person_id"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "accountability_group_member",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["accountability_group.id"],
            name=op.f("fk_accountability_group_member_group_id_accountability_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "group_id", "person_id", name=op.f("pk_accountability_group_member")
        ),
    )
    op.create_index(
        "ix_accountability_group_member_person_id",
        "accountability_group_member",
        ["person_id"],
        unique=False,
    )
    op.create_table(
        "accountability_group_round",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("opened_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('commitments', 'goal_sharing')",
            name=op.f("ck_accountability_group_round_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["accountability_group.id"],
            name=op.f("fk_accountability_group_round_group_id_accountability_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_group_round")),
    )
    op.create_index(
        "ix_accountability_group_round_group_id_created_at",
        "accountability_group_round",
        ["group_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "weekly_check_in_reply",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("check_in_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_in_id"],
            ["weekly_check_in.id"],
            name=op.f("fk_weekly_check_in_reply_check_in_id_weekly_check_in"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_check_in_reply")),
    )
    op.create_index(
        "ix_weekly_check_in_reply_check_in_id_created_at",
        "weekly_check_in_reply",
        ["check_in_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "accountability_group_post",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("commitments", sa.Text(), nullable=False),
        sa.Column("progress", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["accountability_group_round.id"],
            name=op.f("fk_accountability_group_post_round_id_accountability_group_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_group_post")),
    )
    op.create_index(
        "uq_accountability_group_post_round_id_author_id",
        "accountability_group_post",
        ["round_id", "author_id"],
        unique=True,
    )
    op.create_table(
        "accountability_group_response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("post_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["accountability_group_post.id"],
            name=op.f("fk_accountability_group_response_post_id_accountability_group_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_group_response")),
    )
    op.create_index(
        "ix_accountability_group_response_post_id_created_at",
        "accountability_group_response",
        ["post_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_accountability_group_response_post_id_created_at",
        table_name="accountability_group_response",
    )
    op.drop_table("accountability_group_response")
    op.drop_index(
        "uq_accountability_group_post_round_id_author_id", table_name="accountability_group_post"
    )
    op.drop_table("accountability_group_post")
    op.drop_index(
        "ix_weekly_check_in_reply_check_in_id_created_at", table_name="weekly_check_in_reply"
    )
    op.drop_table("weekly_check_in_reply")
    op.drop_index(
        "ix_accountability_group_round_group_id_created_at", table_name="accountability_group_round"
    )
    op.drop_table("accountability_group_round")
    op.drop_index(
        "ix_accountability_group_member_person_id", table_name="accountability_group_member"
    )
    op.drop_table("accountability_group_member")
    op.drop_index(
        "uq_accountability_group_invitation_pending",
        table_name="accountability_group_invitation",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_index(
        "ix_accountability_group_invitation_person_id", table_name="accountability_group_invitation"
    )
    op.drop_index(
        "ix_accountability_group_invitation_created_at_id",
        table_name="accountability_group_invitation",
    )
    op.drop_table("accountability_group_invitation")
    op.drop_index(
        "uq_accountability_group_help_request_group_id_help_request_id",
        table_name="accountability_group_help_request",
    )
    op.drop_index(
        "ix_accountability_group_help_request_created_at_id",
        table_name="accountability_group_help_request",
    )
    op.drop_table("accountability_group_help_request")
    op.drop_index("uq_weekly_check_in_person_id_week", table_name="weekly_check_in")
    op.drop_index("ix_weekly_check_in_manager_id_week", table_name="weekly_check_in")
    op.drop_index("ix_weekly_check_in_created_at_id", table_name="weekly_check_in")
    op.drop_table("weekly_check_in")
    op.drop_index("ix_accountability_group_created_at_id", table_name="accountability_group")
    op.drop_table("accountability_group")
