"""The kit's parked events (a consumer's events whose handler kept failing) and the org
copy's held entities (closed while one of their events is parked).

Since then the kit's tables have branches of their own (kit_0001, orgcopy_0001), which make them:
only a database migrated before gets them here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("parked_event"):
        return
    op.create_table(
        "parked_event",
        sa.Column("consumer", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("feed", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retry_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_index(
        "ix_parked_event_consumer_entity", "parked_event", ["consumer", "entity"], unique=False
    )
    op.create_index(
        "ix_parked_event_consumer_position", "parked_event", ["consumer", "position"], unique=False
    )
    op.create_table(
        "org_held",
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("saved", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entity"),
    )


def downgrade() -> None:
    # The tables are the kit's branches' now.
    pass
