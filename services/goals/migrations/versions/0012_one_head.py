"""One head for the goals service: help requests and experiments (0005, 0006) and ideas and
development goals (0010, 0011) meet here.

Revision ID: 0012_one_head
Revises: 0006_experiments, 0011_development
Create Date: 2026-12-01 17:40:00
"""

from collections.abc import Sequence

revision: str = "0012_one_head"
down_revision: str | Sequence[str] | None = ("0006_experiments", "0011_development")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
