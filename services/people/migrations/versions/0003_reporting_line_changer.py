"""The reporting-line history names who made each change as the directory knows them (a
person's id, or an integration's name) instead of the raw `sub` of their token, which every
employee could read. Old rows keep their author when `changed_by` names exactly one person (by
email as `kit.auth.email_key` folds it, HRIS id or employee number); otherwise their author is
unknown, rather than showing a token's subject.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reporting_line", sa.Column("changed_by_person_id", sa.Uuid(), nullable=True))
    op.add_column(
        "reporting_line",
        sa.Column(
            "changed_by_integration",
            sqlmodel.sql.sqltypes.AutoString(length=255),
            nullable=True,
        ),
    )
    op.create_foreign_key(
        op.f("fk_reporting_line_changed_by_person_id_person"),
        "reporting_line",
        "person",
        ["changed_by_person_id"],
        ["id"],
    )
    op.create_check_constraint(
        op.f("ck_reporting_line_one_changer"),
        "reporting_line",
        "changed_by_person_id IS NULL OR changed_by_integration IS NULL",
    )
    op.execute(
        """
        UPDATE reporting_line AS line SET changed_by_person_id = (
            SELECT min(p.id::text)::uuid FROM person AS p
            WHERE lower(p.email COLLATE "C") = lower(line.changed_by COLLATE "C")
               OR p.external_id = line.changed_by
               OR p.employee_number = line.changed_by
            HAVING count(*) = 1
        )
        """
    )
    op.drop_column("reporting_line", "changed_by")


def downgrade() -> None:
    op.add_column(
        "reporting_line",
        sa.Column(
            "changed_by",
            sqlmodel.sql.sqltypes.AutoString(length=255),
            nullable=False,
            server_default="unknown",
        ),
    )
    op.alter_column("reporting_line", "changed_by", server_default=None)
    op.execute(
        """
        UPDATE reporting_line AS line SET changed_by = coalesce(
            line.changed_by_integration,
            (SELECT p.email FROM person AS p WHERE p.id = line.changed_by_person_id),
            'unknown'
        )
        """
    )
    op.drop_constraint(op.f("ck_reporting_line_one_changer"), "reporting_line", type_="check")
    op.drop_constraint(
        op.f("fk_reporting_line_changed_by_person_id_person"), "reporting_line", type_="foreignkey"
    )
    op.drop_column("reporting_line", "changed_by_integration")
    op.drop_column("reporting_line", "changed_by_person_id")
