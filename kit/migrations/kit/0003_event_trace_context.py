"""The trace context of the request that wrote each outbox event.

Revision ID: kit_0003
Revises: kit_0002
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "kit_0003"
down_revision: str | None = "kit_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "outbox_event",
        sa.Column("traceparent", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("outbox_event", "traceparent")
