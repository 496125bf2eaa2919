"""The org copy's email addresses unique, and matched, on ASCII letters without case only: made by
the kit's branches now (orgcopy_0002), on which this revision depends. Kept, empty, for the
databases at this revision.

Revision ID: 0002_org_email_key
Revises: 0001
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

revision: str = "0002_org_email_key"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "orgcopy_0002"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
