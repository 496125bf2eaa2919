"""Questions are of a kind: `rating` (scored on the scale, as every question so far) or
`comment` (free text, never scored).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "question",
        sa.Column(
            "kind",
            sqlmodel.sql.sqltypes.AutoString(length=16),
            server_default="rating",
            nullable=False,
        ),
    )
    op.create_check_constraint(
        op.f("ck_question_kind_known"), "question", "kind IN ('rating', 'comment')"
    )
    op.create_check_constraint(
        op.f("ck_question_only_ratings_reversed"),
        "question",
        "kind = 'rating' OR NOT reverse_scored",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_question_only_ratings_reversed"), "question", type_="check")
    op.drop_constraint(op.f("ck_question_kind_known"), "question", type_="check")
    op.drop_column("question", "kind")
