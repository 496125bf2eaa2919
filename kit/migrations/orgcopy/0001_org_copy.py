"""The org copy's tables, in the database of every service that keeps one: people, teams and
memberships as the people service's feed tells them, and the entities held while one of their
events is parked.

Until this branch, each service's own revisions created them, as here. The first revision of a
service that keeps an org copy depends on this one, so Alembic counts it as applied wherever
that revision is: a database migrated before holds these tables, or gets the held entities and
the ASCII email key from the service's revisions that made them then.

Revision ID: orgcopy_0001
Revises:
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

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
    # Unique, and matched, on ASCII letters without case only (kit.auth.email_key): `lower()`
    # also folds look-alikes such as the KELVIN SIGN onto ASCII letters.
    op.create_index(
        "org_person_email_ascii_key",
        "org_person",
        [sa.literal_column('lower(email COLLATE "C")')],
        unique=True,
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
    op.create_table(
        "org_held",
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("saved", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entity"),
    )


def downgrade() -> None:
    op.drop_table("org_held")
    op.drop_index(op.f("ix_org_team_parent_id"), table_name="org_team")
    op.drop_index(op.f("ix_org_team_lead_id"), table_name="org_team")
    op.drop_table("org_team")
    op.drop_index("org_person_email_ascii_key", table_name="org_person")
    op.drop_index(op.f("ix_org_person_manager_id"), table_name="org_person")
    op.drop_index(op.f("ix_org_person_external_id"), table_name="org_person")
    op.drop_index(op.f("ix_org_person_employee_number"), table_name="org_person")
    op.drop_table("org_person")
    op.drop_index(op.f("ix_org_membership_person_id"), table_name="org_membership")
    op.drop_table("org_membership")
