"""Feedback of every kind (`upward`, `peer` besides praise and suggestions), links to an
objective, key result, skill or company value, the audience fixed when an item was given, and
the replies of threads.

Existing items get, as their audience, the recipient's management chain as the org copy has it
when this revision runs: the copy keeps no history of reporting lines and the service recorded
none, so this is the best record there is (docs/feedback.md, "The audience is fixed").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Upwards from each recipient; the depth bound stops a loop in the copied hierarchy.
_FIX_AUDIENCE = """
UPDATE feedback AS f SET audience = COALESCE((
    WITH RECURSIVE chain(id, depth) AS (
        SELECT p.manager_id, 1 FROM org_person p WHERE p.id = f.recipient_id
        UNION ALL
        SELECT p.manager_id, c.depth + 1 FROM org_person p JOIN chain c ON p.id = c.id
        WHERE c.depth < 64
    )
    SELECT array_agg(id ORDER BY depth) FROM chain WHERE id IS NOT NULL
), '{}')
"""


def upgrade() -> None:
    op.add_column(
        "feedback",
        sa.Column(
            "audience",
            postgresql.ARRAY(sa.Uuid()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    for name in ("objective_id", "key_result_id", "skill_id", "value_id"):
        op.add_column("feedback", sa.Column(name, sa.Uuid(), nullable=True))
    op.drop_constraint(op.f("ck_feedback_kind_known"), "feedback", type_="check")
    op.create_check_constraint(
        op.f("ck_feedback_kind_known"),
        "feedback",
        "kind IN ('praise', 'suggestion', 'upward', 'peer')",
    )
    op.execute(_FIX_AUDIENCE)
    op.create_index("ix_feedback_audience", "feedback", ["audience"], postgresql_using="gin")
    op.create_index(
        "ix_feedback_objective_id_created_at_id",
        "feedback",
        ["objective_id", "created_at", "id"],
    )
    op.create_table(
        "feedback_reply",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("feedback_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_feedback_reply_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_reply")),
    )
    op.create_index(
        "ix_feedback_reply_feedback_id_created_at_id",
        "feedback_reply",
        ["feedback_id", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_reply_feedback_id_created_at_id", table_name="feedback_reply")
    op.drop_table("feedback_reply")
    op.drop_index("ix_feedback_objective_id_created_at_id", table_name="feedback")
    op.drop_index("ix_feedback_audience", table_name="feedback", postgresql_using="gin")
    op.execute("DELETE FROM feedback WHERE kind IN ('upward', 'peer')")
    op.drop_constraint(op.f("ck_feedback_kind_known"), "feedback", type_="check")
    op.create_check_constraint(
        op.f("ck_feedback_kind_known"), "feedback", "kind IN ('praise', 'suggestion')"
    )
    for name in ("value_id", "skill_id", "key_result_id", "objective_id", "audience"):
        op.drop_column("feedback", name)
