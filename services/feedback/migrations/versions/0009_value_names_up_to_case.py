"""Company value names are unique up to case, as the service has always checked them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint("uq_company_value_name", "company_value", type_="unique")
    op.create_index(
        "uq_company_value_name_lower",
        "company_value",
        [sa.literal_column("lower(name)")],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_company_value_name_lower", table_name="company_value")
    op.create_unique_constraint("uq_company_value_name", "company_value", ["name"])
