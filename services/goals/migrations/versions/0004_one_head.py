"""One head for the goals service's own history: the alignment graph (with the OKR core) and
the revisions that made the kit's tables before they had branches of their own meet here.

Revision ID: 0004_one_head
Revises: 0002_parked_events, 0003_alignment_acceptance
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

revision: str = "0004_one_head"
down_revision: str | Sequence[str] | None = ("0002_parked_events", "0003_alignment_acceptance")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
