"""The consumers' parked events: those whose handler kept failing.

Each service made this table in a revision of its own (people `0004`, goals
`0002_parked_events`, feedback and assessment `0004`), as here, until the kit's tables had a
branch of their own; that revision now depends on this one.

Revision ID: kit_0002
Revises: kit_0001
Create Date: 2026-12-01 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "kit_0002"
down_revision: str | None = "kit_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
        "ix_parked_event_consumer_position",
        "parked_event",
        ["consumer", "position"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_parked_event_consumer_position", table_name="parked_event")
    op.drop_index("ix_parked_event_consumer_entity", table_name="parked_event")
    op.drop_table("parked_event")
