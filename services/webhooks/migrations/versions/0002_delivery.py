"""Delivery: each message keeps the bytes it sends (`payload`, serialised once at fan-out) and
the token of the dispatcher's lease on it (`claim`). Messages queued before get a payload built
from their event.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 16:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("message", sa.Column("payload", sa.LargeBinary(), nullable=True))
    op.add_column("message", sa.Column("claim", sa.Uuid(), nullable=True))
    op.execute(
        """
        UPDATE message SET payload = convert_to(
            jsonb_build_object(
                'type', event.type,
                'timestamp', to_char(
                    event.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
                ),
                'data', event.data
            )::text,
            'UTF8'
        )
        FROM event WHERE event.id = message.event_id
        """
    )
    op.alter_column("message", "payload", nullable=False)


def downgrade() -> None:
    op.drop_column("message", "claim")
    op.drop_column("message", "payload")
