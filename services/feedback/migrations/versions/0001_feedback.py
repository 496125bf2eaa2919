"""Feedback items, the org copy (people, teams, memberships) and the kit's tables: outbox,
idempotency keys, consumer offsets.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:42:00.499417
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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
    op.create_table(
        "org_membership",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "person_id"),
    )
    op.create_index(
        op.f("ix_org_membership_person_id"), "org_membership", ["person_id"], unique=False
    )
    op.create_table(
        "org_person",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("employee_number", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_hr_admin", sa.Boolean(), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_org_person_employee_number"), "org_person", ["employee_number"], unique=False
    )
    op.create_index(op.f("ix_org_person_external_id"), "org_person", ["external_id"], unique=False)
    op.create_index(op.f("ix_org_person_manager_id"), "org_person", ["manager_id"], unique=False)
    op.create_index(
        "org_person_email_key", "org_person", [sa.literal_column("lower(email)")], unique=True
    )
    op.create_table(
        "org_team",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_org_team_lead_id"), "org_team", ["lead_id"], unique=False)
    op.create_index(op.f("ix_org_team_parent_id"), "org_team", ["parent_id"], unique=False)
    op.create_table(
        "consumed_event",
        sa.Column("consumer", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("consumed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "consumer_offset",
        sa.Column("consumer", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer"),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
    )
    op.create_table(
        "outbox_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("position"),
        sa.UniqueConstraint("seq"),
    )


def downgrade() -> None:
    op.drop_table("outbox_event")
    op.drop_table("idempotency_record")
    op.drop_table("consumer_offset")
    op.drop_table("consumed_event")
    op.drop_index(op.f("ix_org_team_parent_id"), table_name="org_team")
    op.drop_index(op.f("ix_org_team_lead_id"), table_name="org_team")
    op.drop_table("org_team")
    op.drop_index("org_person_email_key", table_name="org_person")
    op.drop_index(op.f("ix_org_person_manager_id"), table_name="org_person")
    op.drop_index(op.f("ix_org_person_external_id"), table_name="org_person")
    op.drop_index(op.f("ix_org_person_employee_number"), table_name="org_person")
    op.drop_table("org_person")
    op.drop_index(op.f("ix_org_membership_person_id"), table_name="org_membership")
    op.drop_table("org_membership")
    op.drop_index("ix_feedback_recipient_id_created_at_id", table_name="feedback")
    op.drop_index("ix_feedback_giver_id_created_at_id", table_name="feedback")
    op.drop_index("ix_feedback_created_at_id", table_name="feedback")
    op.drop_table("feedback")
