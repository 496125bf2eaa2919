"""The org copy's tables, in the database of every service that keeps one: people, teams and
memberships as the people service's feed tells them.

The first revision of each such service made them, as here, until the kit's tables had a
branch of their own; that revision now depends on this one, which Alembic therefore counts as
applied in every database migrated before.

Revision ID: orgcopy_0001
Revises:
Create Date: 2026-11-25 12:42:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "orgcopy_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("orgcopy",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org_membership",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "person_id"),
    )
    op.create_index(
        op.f("ix_org_membership_person_id"), "org_membership", ["person_id"], unique=False
    )
    op.create_table(
        "org_person",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("employee_number", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_hr_admin", sa.Boolean(), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_org_person_employee_number"), "org_person", ["employee_number"], unique=False
    )
    op.create_index(op.f("ix_org_person_external_id"), "org_person", ["external_id"], unique=False)
    op.create_index(op.f("ix_org_person_manager_id"), "org_person", ["manager_id"], unique=False)
    op.create_index(
        "org_person_email_key", "org_person", [sa.literal_column("lower(email)")], unique=True
    )
    op.create_table(
        "org_team",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_org_team_lead_id"), "org_team", ["lead_id"], unique=False)
    op.create_index(op.f("ix_org_team_parent_id"), "org_team", ["parent_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_org_team_parent_id"), table_name="org_team")
    op.drop_index(op.f("ix_org_team_lead_id"), table_name="org_team")
    op.drop_table("org_team")
    op.drop_index("org_person_email_key", table_name="org_person")
    op.drop_index(op.f("ix_org_person_manager_id"), table_name="org_person")
    op.drop_index(op.f("ix_org_person_external_id"), table_name="org_person")
    op.drop_index(op.f("ix_org_person_employee_number"), table_name="org_person")
    op.drop_table("org_person")
    op.drop_index(op.f("ix_org_membership_person_id"), table_name="org_membership")
    op.drop_table("org_membership")
