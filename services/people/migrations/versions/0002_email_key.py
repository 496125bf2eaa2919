"""Email addresses unique, and matched, on ASCII letters without case only (kit.auth.email_key):
`lower()` also folds look-alikes such as the KELVIN SIGN onto ASCII letters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The new key folds less than the old one: addresses unique before stay unique.
    op.create_index(
        "uq_person_email_key",
        "person",
        [sa.literal_column('lower(email COLLATE "C")')],
        unique=True,
    )
    op.drop_index("uq_person_email_lower", table_name="person")


def downgrade() -> None:
    op.create_index(
        "uq_person_email_lower", "person", [sa.literal_column("lower(email)")], unique=True
    )
    op.drop_index("uq_person_email_key", table_name="person")
