"""The event log, subscriptions, and the messages and attempts of their deliveries. The org
copy's tables and the kit's come from the kit's branches (orgcopy_0001, kit_0001), on which this
revision depends.

Revision ID: 0001
Revises:
Create Date: 2026-12-01 16:02:29.560443
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("kit_0001", "orgcopy_0001")


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index("ix_event_occurred_at_id", "event", ["occurred_at", "id"], unique=False)
    op.create_index(
        "ix_event_source_occurred_at_id", "event", ["source", "occurred_at", "id"], unique=False
    )
    op.create_index(
        "ix_event_type_occurred_at_id", "event", ["type", "occurred_at", "id"], unique=False
    )
    op.create_table(
        "subscription",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("event_types", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("owner_role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("owner_subject", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("owner_scopes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("secret_key_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column(
            "previous_secret_key_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True
        ),
        sa.Column("previous_secret", sa.Text(), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription")),
    )
    op.create_index(
        "ix_subscription_created_at_id", "subscription", ["created_at", "id"], unique=False
    )
    op.create_index(
        "ix_subscription_owner_subject_created_at_id",
        "subscription",
        ["owner_subject", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status in ('pending', 'delivering', 'delivered', 'failed')",
            name=op.f("ck_message_known_status"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_message_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscription.id"],
            name=op.f("fk_message_subscription_id_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    op.create_index(op.f("ix_message_event_id"), "message", ["event_id"], unique=False)
    op.create_index(
        "ix_message_status_next_attempt_at", "message", ["status", "next_attempt_at"], unique=False
    )
    op.create_index(
        "ix_message_subscription_id_created_at_id",
        "message",
        ["subscription_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "attempt",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("response_body", sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_attempt_message_id_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt")),
    )
    op.create_index(
        "ix_attempt_message_id_attempted_at",
        "attempt",
        ["message_id", "attempted_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_attempt_message_id_attempted_at", table_name="attempt")
    op.drop_table("attempt")
    op.drop_index("ix_message_subscription_id_created_at_id", table_name="message")
    op.drop_index("ix_message_status_next_attempt_at", table_name="message")
    op.drop_index(op.f("ix_message_event_id"), table_name="message")
    op.drop_table("message")
    op.drop_index("ix_subscription_owner_subject_created_at_id", table_name="subscription")
    op.drop_index("ix_subscription_created_at_id", table_name="subscription")
    op.drop_table("subscription")
    op.drop_index("ix_event_type_occurred_at_id", table_name="event")
    op.drop_index("ix_event_source_occurred_at_id", table_name="event")
    op.drop_index("ix_event_occurred_at_id", table_name="event")
    op.drop_table("event")
