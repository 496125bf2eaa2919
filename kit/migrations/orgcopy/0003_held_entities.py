"""The org copy's held entities: closed while one of their events is parked.

Each service that keeps an org copy made this table in the revision that made the kit's parked
events (goals `0002_parked_events`, feedback and assessment `0004`), as here, until the kit's
tables had branches of their own; that revision now depends on this one.

Revision ID: orgcopy_0003
Revises: orgcopy_0002
Create Date: 2026-12-01 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "orgcopy_0003"
down_revision: str | None = "orgcopy_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org_held",
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("saved", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entity"),
    )


def downgrade() -> None:
    op.drop_table("org_held")
