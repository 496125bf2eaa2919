"""Development goals: a person's goals for their own growth (skills as ids of the
directory's catalogue, sharing) and the learning items of their plans.

Revision ID: 0011_development
Revises: 0010_ideas
Create Date: 2026-12-01 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_development"
down_revision: str | None = "0010_ideas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "development_goal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column(
            "skill_ids", postgresql.ARRAY(sa.Uuid()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active", "completed", name="developmentgoalstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column(
            "sharing",
            sa.Enum(
                "private", "people", "organisation", name="sharing", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column(
            "shared_with",
            postgresql.ARRAY(sa.Uuid()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("completion_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(sharing = 'people') = (cardinality(shared_with) > 0)",
            name=op.f("ck_development_goal_shared_with_people"),
        ),
        sa.CheckConstraint(
            "(status = 'completed') = (completed_at IS NOT NULL)",
            name=op.f("ck_development_goal_completed_when"),
        ),
        sa.CheckConstraint(
            "sharing IN ('private', 'people', 'organisation')",
            name=op.f("ck_development_goal_sharing_known"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'completed')", name=op.f("ck_development_goal_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_goal")),
    )
    op.create_index(
        "ix_development_goal_created_at_id", "development_goal", ["created_at", "id"], unique=False
    )
    op.create_index(
        "ix_development_goal_person_id_created_at_id",
        "development_goal",
        ["person_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_development_goal_shared_with",
        "development_goal",
        ["shared_with"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "learning_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "course",
                "mentoring",
                "stretch_assignment",
                "on_the_job",
                "reading",
                name="learningkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "dropped",
                name="learningstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("evidence_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('course', 'mentoring', 'stretch_assignment', 'on_the_job', 'reading')",
            name=op.f("ck_learning_item_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'dropped')",
            name=op.f("ck_learning_item_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["development_goal.id"],
            name=op.f("fk_learning_item_goal_id_development_goal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_item")),
    )
    op.create_index(
        "ix_learning_item_goal_id_created_at_id",
        "learning_item",
        ["goal_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_learning_item_goal_id_created_at_id", table_name="learning_item")
    op.drop_table("learning_item")
    op.drop_index(
        "ix_development_goal_shared_with", table_name="development_goal", postgresql_using="gin"
    )
    op.drop_index("ix_development_goal_person_id_created_at_id", table_name="development_goal")
    op.drop_index("ix_development_goal_created_at_id", table_name="development_goal")
    op.drop_table("development_goal")
