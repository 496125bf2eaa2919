"""HRIS in: the inbox of signed deliveries (one row per change, unique per webhook id), the
links from HRIS ids to people and teams with the values last received, and sync reports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "hris_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("integration", _TEXT(length=100), nullable=False),
        sa.Column("webhook_id", _TEXT(length=255), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source", _TEXT(length=100), nullable=False),
        sa.Column("kind", _TEXT(length=40), nullable=False),
        sa.Column("external_id", _TEXT(length=255), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", _TEXT(length=20), nullable=False),
        sa.Column("note", _TEXT(length=500), nullable=True),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'held', 'applied', 'failed')",
            name=op.f("ck_hris_event_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hris_event")),
        sa.UniqueConstraint(
            "integration",
            "webhook_id",
            "seq",
            name=op.f("uq_hris_event_integration_webhook_id_seq"),
        ),
    )
    op.create_index("ix_hris_event_status_effective_at", "hris_event", ["status", "effective_at"])
    op.create_index("ix_hris_event_created_at_id", "hris_event", ["created_at", "id"])
    op.create_table(
        "hris_link",
        sa.Column("source", _TEXT(length=100), nullable=False),
        sa.Column("kind", _TEXT(length=10), nullable=False),
        sa.Column("external_id", _TEXT(length=255), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("seen", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("kind IN ('person', 'team')", name=op.f("ck_hris_link_kind_known")),
        sa.PrimaryKeyConstraint("source", "kind", "external_id", name=op.f("pk_hris_link")),
    )
    op.create_table(
        "hris_sync",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", _TEXT(length=100), nullable=False),
        sa.Column("requested_by_person_id", sa.Uuid(), nullable=True),
        sa.Column("requested_by_integration", _TEXT(length=255), nullable=True),
        sa.Column("outcome", _TEXT(length=20), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("refusals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("counts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("warnings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('dry_run', 'applied', 'refused')", name=op.f("ck_hris_sync_outcome_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hris_sync")),
    )
    op.create_index("ix_hris_sync_created_at_id", "hris_sync", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_hris_sync_created_at_id", table_name="hris_sync")
    op.drop_table("hris_sync")
    op.drop_table("hris_link")
    op.drop_index("ix_hris_event_created_at_id", table_name="hris_event")
    op.drop_index("ix_hris_event_status_effective_at", table_name="hris_event")
    op.drop_table("hris_event")
