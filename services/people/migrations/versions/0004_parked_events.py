"""The kit's parked events: made by the kit's branches now (kit_0002), on which this revision
depends. Kept, empty, for the databases at this revision.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:20:00.000000
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "kit_0002"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
