"""The org copy keeps each person's locale, the language they read in, so that a service can
answer in it without asking the directory. People copied before it read English until their
next `person.*` event or snapshot.

Revision ID: orgcopy_0004
Revises: orgcopy_0003
Create Date: 2026-12-01 16:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "orgcopy_0004"
down_revision: str | None = "orgcopy_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "org_person",
        sa.Column(
            "locale",
            sqlmodel.sql.sqltypes.AutoString(length=35),
            server_default="en",
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("org_person", "locale")
