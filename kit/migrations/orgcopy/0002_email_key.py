"""The org copy's email addresses unique, and matched, on ASCII letters without case only, as
in the directory (kit.auth.email_key): `lower()` also folds look-alikes such as the KELVIN SIGN
onto ASCII letters.

Each service that keeps an org copy made this change in a revision of its own (goals
`0002_org_email_key`, feedback `0002`, assessment `0003`), as here, until the kit's tables had
branches of their own; that revision now depends on this one.

Revision ID: orgcopy_0002
Revises: orgcopy_0001
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "orgcopy_0002"
down_revision: str | None = "orgcopy_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "org_person_email_ascii_key",
        "org_person",
        [sa.literal_column('lower(email COLLATE "C")')],
        unique=True,
    )
    op.drop_index("org_person_email_key", table_name="org_person")


def downgrade() -> None:
    op.create_index(
        "org_person_email_key", "org_person", [sa.literal_column("lower(email)")], unique=True
    )
    op.drop_index("org_person_email_ascii_key", table_name="org_person")
