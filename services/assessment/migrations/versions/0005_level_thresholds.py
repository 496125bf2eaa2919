"""Each instrument keeps the four thresholds that map an area's mean to a level of the 5-level
model; existing instruments get the equal bins.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "instrument",
        sa.Column(
            "level_thresholds",
            postgresql.ARRAY(sa.Numeric(3, 2)),
            server_default=sa.text("'{1.8,2.6,3.4,4.2}'"),
            nullable=False,
        ),
    )
    op.create_check_constraint(
        op.f("ck_instrument_level_thresholds_rise"),
        "instrument",
        "cardinality(level_thresholds) = 4 AND level_thresholds[1] > 1"
        " AND level_thresholds[1] < level_thresholds[2]"
        " AND level_thresholds[2] < level_thresholds[3]"
        " AND level_thresholds[3] < level_thresholds[4] AND level_thresholds[4] < 5",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_instrument_level_thresholds_rise"), "instrument", type_="check")
    op.drop_column("instrument", "level_thresholds")
