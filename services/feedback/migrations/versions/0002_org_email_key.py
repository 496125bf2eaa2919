"""The org copy's email addresses unique, and matched, on ASCII letters without case only, as
in the directory (kit.auth.email_key): `lower()` also folds look-alikes such as the KELVIN SIGN
onto ASCII letters.

Since then the org copy's tables have a branch of their own (orgcopy_0001), which makes the
new key: only a database migrated before still has the old one to replace.

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
    indexes = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("org_person")}
    if "org_person_email_key" not in indexes:
        return
    op.create_index(
        "org_person_email_ascii_key",
        "org_person",
        [sa.literal_column('lower(email COLLATE "C")')],
        unique=True,
    )
    op.drop_index("org_person_email_key", table_name="org_person")


def downgrade() -> None:
    # The key is the org copy branch's now.
    pass
