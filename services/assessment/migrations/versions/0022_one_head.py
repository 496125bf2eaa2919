"""One head for the assessment service: instruments in several languages (0007) and the rounds,
answers, reports and action plans (0020, 0021) meet here.

Revision ID: 0022
Revises: 0007, 0021
Create Date: 2026-12-01 16:50:00
"""

from collections.abc import Sequence

revision: str = "0022"
down_revision: str | Sequence[str] | None = ("0007", "0021")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
