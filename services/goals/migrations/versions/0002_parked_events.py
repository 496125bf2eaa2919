"""The kit's parked events and the org copy's held entities: made by the kit's branches now
(kit_0002, orgcopy_0003), on which this revision depends. Kept, empty, for the databases at this
revision.

Revision ID: 0002_parked_events
Revises: 0002_org_email_key
Create Date: 2026-12-01 10:20:00.000000
"""

from collections.abc import Sequence

revision: str = "0002_parked_events"
down_revision: str | None = "0002_org_email_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("kit_0002", "orgcopy_0003")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
