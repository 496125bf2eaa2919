"""The directory's tables. The kit's tables come from the kit's own branch (kit_0001), on
which this revision depends.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:24:39.595496
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "kit_0001"


def upgrade() -> None:
    op.create_table(
        "role",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role")),
    )
    op.create_index("uq_role_name_lower", "role", [sa.literal_column("lower(name)")], unique=True)
    op.create_table(
        "skill",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill")),
    )
    op.create_index(op.f("ix_skill_category"), "skill", ["category"], unique=False)
    op.create_index("ix_skill_created_at_id", "skill", ["created_at", "id"], unique=False)
    op.create_index("uq_skill_name_lower", "skill", [sa.literal_column("lower(name)")], unique=True)
    op.create_table(
        "person",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("employee_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("access_role", sa.String(length=20), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=True),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "access_role IN ('employee', 'hr_admin')", name=op.f("ck_person_access_role_known")
        ),
        sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f("ck_person_status_known")),
        sa.CheckConstraint(
            "(external_id IS NULL) = (source IS NULL)",
            name=op.f("ck_person_external_id_with_source"),
        ),
        sa.CheckConstraint("manager_id <> id", name=op.f("ck_person_not_own_manager")),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["person.id"], name=op.f("fk_person_manager_id_person")
        ),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"], name=op.f("fk_person_role_id_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("employee_number", name=op.f("uq_person_employee_number")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_person_source_external_id")),
    )
    op.create_index("ix_person_created_at_id", "person", ["created_at", "id"], unique=False)
    op.create_index(op.f("ix_person_manager_id"), "person", ["manager_id"], unique=False)
    op.create_index(op.f("ix_person_role_id"), "person", ["role_id"], unique=False)
    op.create_index(op.f("ix_person_updated_at"), "person", ["updated_at"], unique=False)
    op.create_index(
        "uq_person_email_lower", "person", [sa.literal_column("lower(email)")], unique=True
    )
    op.create_table(
        "reporting_line",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["person.id"], name=op.f("fk_reporting_line_manager_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_reporting_line_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_line")),
    )
    op.create_index(
        "ix_reporting_line_person_id_created_at",
        "reporting_line",
        ["person_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('team', 'department', 'group')", name=op.f("ck_team_kind_known")
        ),
        sa.CheckConstraint("parent_id <> id", name=op.f("ck_team_not_own_parent")),
        sa.ForeignKeyConstraint(["lead_id"], ["person.id"], name=op.f("fk_team_lead_id_person")),
        sa.ForeignKeyConstraint(["parent_id"], ["team.id"], name=op.f("fk_team_parent_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
    )
    op.create_index("ix_team_created_at_id", "team", ["created_at", "id"], unique=False)
    op.create_index(op.f("ix_team_lead_id"), "team", ["lead_id"], unique=False)
    op.create_index(op.f("ix_team_parent_id"), "team", ["parent_id"], unique=False)
    op.create_table(
        "membership",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_membership_person_id_person")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_membership_team_id_team")),
        sa.PrimaryKeyConstraint("team_id", "person_id", name=op.f("pk_membership")),
    )
    op.create_index(op.f("ix_membership_person_id"), "membership", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_membership_person_id"), table_name="membership")
    op.drop_table("membership")
    op.drop_index(op.f("ix_team_parent_id"), table_name="team")
    op.drop_index(op.f("ix_team_lead_id"), table_name="team")
    op.drop_index("ix_team_created_at_id", table_name="team")
    op.drop_table("team")
    op.drop_index("ix_reporting_line_person_id_created_at", table_name="reporting_line")
    op.drop_table("reporting_line")
    op.drop_index("uq_person_email_lower", table_name="person")
    op.drop_index(op.f("ix_person_updated_at"), table_name="person")
    op.drop_index(op.f("ix_person_role_id"), table_name="person")
    op.drop_index(op.f("ix_person_manager_id"), table_name="person")
    op.drop_index("ix_person_created_at_id", table_name="person")
    op.drop_table("person")
    op.drop_index("uq_skill_name_lower", table_name="skill")
    op.drop_index("ix_skill_created_at_id", table_name="skill")
    op.drop_index(op.f("ix_skill_category"), table_name="skill")
    op.drop_table("skill")
    op.drop_index("uq_role_name_lower", table_name="role")
    op.drop_table("role")
