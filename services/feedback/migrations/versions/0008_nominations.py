"""Nomination periods and nominations.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nomination_period",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'closed')", name=op.f("ck_nomination_period_status_known")
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_nomination_period_ends_after_start")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination_period")),
    )
    op.create_index("ix_nomination_period_created_at_id", "nomination_period", ["created_at", "id"])
    op.create_table(
        "nomination",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("nominator_id", sa.Uuid(), nullable=False),
        sa.Column("nominee_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("nominator_id <> nominee_id", name=op.f("ck_nomination_not_self")),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["nomination_period.id"],
            name=op.f("fk_nomination_period_id_nomination_period"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period_id", "nominator_id", name=op.f("pk_nomination")),
    )
    op.create_index("ix_nomination_period_id_nominee_id", "nomination", ["period_id", "nominee_id"])


def downgrade() -> None:
    op.drop_table("nomination")
    op.drop_table("nomination_period")
