"""Company values and recognitions, with their recipients, values and reactions.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_value",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_value")),
        sa.UniqueConstraint("name", name=op.f("uq_company_value_name")),
    )
    op.create_index("ix_company_value_created_at_id", "company_value", ["created_at", "id"])
    op.create_table(
        "recognition",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("giver_id", sa.Uuid(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("learning_kind", sa.String(length=20), nullable=True),
        sa.Column("learning_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(learning_kind IS NULL) = (learning_id IS NULL)",
            name=op.f("ck_recognition_learning_whole"),
        ),
        sa.CheckConstraint(
            "learning_kind IS NULL OR learning_kind IN ('experiment', 'objective')",
            name=op.f("ck_recognition_learning_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition")),
    )
    op.create_index("ix_recognition_created_at_id", "recognition", ["created_at", "id"])
    op.create_index("ix_recognition_giver_id", "recognition", ["giver_id"])
    op.create_table(
        "recognition_recipient",
        sa.Column("recognition_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recognition_id"],
            ["recognition.id"],
            name=op.f("fk_recognition_recipient_recognition_id_recognition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "recognition_id", "person_id", name=op.f("pk_recognition_recipient")
        ),
    )
    op.create_index("ix_recognition_recipient_person_id", "recognition_recipient", ["person_id"])
    op.create_table(
        "recognition_value",
        sa.Column("recognition_id", sa.Uuid(), nullable=False),
        sa.Column("value_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recognition_id"],
            ["recognition.id"],
            name=op.f("fk_recognition_value_recognition_id_recognition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["value_id"],
            ["company_value.id"],
            name=op.f("fk_recognition_value_value_id_company_value"),
        ),
        sa.PrimaryKeyConstraint("recognition_id", "value_id", name=op.f("pk_recognition_value")),
    )
    op.create_index("ix_recognition_value_value_id", "recognition_value", ["value_id"])
    op.create_table(
        "recognition_reaction",
        sa.Column("recognition_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('applause', 'heart', 'celebrate', 'insightful')",
            name=op.f("ck_recognition_reaction_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["recognition_id"],
            ["recognition.id"],
            name=op.f("fk_recognition_reaction_recognition_id_recognition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "recognition_id", "person_id", "kind", name=op.f("pk_recognition_reaction")
        ),
    )


def downgrade() -> None:
    op.drop_table("recognition_reaction")
    op.drop_table("recognition_value")
    op.drop_table("recognition_recipient")
    op.drop_table("recognition")
    op.drop_table("company_value")
