"""Help requests: asked on an objective or one of its key results (at most one open for each),
addressed to the people who can help, with the help offered on them.

Revision ID: 0005_help
Revises: 0004_one_head
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_help"
down_revision: str | Sequence[str] | None = "0004_one_head"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "help_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("key_result_id", sa.Uuid(), nullable=True),
        sa.Column("check_in_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("blocked", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("help_wanted", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("opened_by", sa.Uuid(), nullable=False),
        sa.Column("addressee_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("resolution_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'resolved')", name=op.f("ck_help_request_state_known")
        ),
        sa.CheckConstraint(
            "source IN ('check_in', 'manual')", name=op.f("ck_help_request_source_known")
        ),
        sa.CheckConstraint(
            "(state = 'open') = (resolved_at IS NULL)",
            name=op.f("ck_help_request_resolved_when_resolved"),
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objective.id"], name=op.f("fk_help_request_objective_id_objective")
        ),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_result.id"],
            name=op.f("fk_help_request_key_result_id_key_result"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["check_in_id"],
            ["check_in.id"],
            name=op.f("fk_help_request_check_in_id_check_in"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
    )
    op.create_index(
        "ix_help_request_objective_id_created_at_id",
        "help_request",
        ["objective_id", "created_at", "id"],
    )
    op.create_index(
        "ix_help_request_opened_by_created_at_id",
        "help_request",
        ["opened_by", "created_at", "id"],
    )
    op.create_index(
        "ix_help_request_addressee_ids", "help_request", ["addressee_ids"], postgresql_using="gin"
    )
    op.create_index(
        "uq_help_request_key_result_id_open",
        "help_request",
        ["key_result_id"],
        unique=True,
        postgresql_where=sa.text("state = 'open' AND key_result_id IS NOT NULL"),
    )
    op.create_index(
        "uq_help_request_objective_id_open",
        "help_request",
        ["objective_id"],
        unique=True,
        postgresql_where=sa.text("state = 'open' AND key_result_id IS NULL"),
    )
    op.create_table(
        "help_offer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("help_request_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_help_offer_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_offer")),
    )
    op.create_index(
        "ix_help_offer_help_request_id_created_at_id",
        "help_offer",
        ["help_request_id", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_table("help_offer")
    op.drop_table("help_request")
