"""The event log keeps the W3C `traceparent` each event was served with: a webhook attempt
continues the trace of the request that wrote its event. Events logged before have none.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 17:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("event", sa.Column("traceparent", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("event", "traceparent")
