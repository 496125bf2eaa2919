"""The goals tables (cycles, objectives, key results, check-ins), the org copy (people, teams,
memberships) and the kit's: outbox, idempotency keys, consumer offsets.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:43:53.711583
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
