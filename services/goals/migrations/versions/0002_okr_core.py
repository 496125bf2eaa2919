"""The OKR core: objectives owned by a person, a team or the company, with a kind, a drafting
status, contributors, signatures, comments and a closing; key results of six kinds with
milestones and an owner; check-ins with a status; full-text search over titles.

Existing rows keep their meaning: an objective's owner kind follows its owner id, it is
`committed` and a `draft`; a key result increases or decreases by its start and target; a
check-in's status follows its confidence (7-10 on track, 4-6 at risk, 0-3 off track).

Revision ID: 0002_okr_core
Revises: 0001
Create Date: 2026-11-25 13:18:30.234914
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_okr_core"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK_IN_STATUSES = "status IN ('on_track', 'at_risk', 'off_track')"


def _text_column(table: str, column: str, backfill: str, *, nullable: bool = False) -> None:
    """A VARCHAR(20) column, filled for the rows there are by the SQL expression `backfill`."""
    op.add_column(table, sa.Column(column, sa.String(length=20), nullable=True))
    op.execute(f"UPDATE {table} SET {column} = {backfill}")  # noqa: S608  # constants only
    if not nullable:
        op.alter_column(table, column, nullable=False)


def upgrade() -> None:
    # --- Cycles --------------------------------------------------------------------------
    op.add_column("cycle", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("cycle", sa.Column("closed_by", sa.Uuid(), nullable=True))

    # --- Objectives ----------------------------------------------------------------------
    _text_column(
        "objective",
        "owner_kind",
        "CASE WHEN owner_person_id IS NOT NULL THEN 'person' ELSE 'team' END",
    )
    _text_column("objective", "kind", "'committed'")
    _text_column("objective", "status", "'draft'")
    op.drop_constraint(op.f("ck_objective_one_owner"), "objective", type_="check")
    op.create_check_constraint(
        op.f("ck_objective_owner_matches_kind"),
        "objective",
        "(owner_kind = 'person' AND owner_person_id IS NOT NULL AND owner_team_id IS NULL)"
        " OR (owner_kind = 'team' AND owner_team_id IS NOT NULL AND owner_person_id IS NULL)"
        " OR (owner_kind = 'company' AND owner_person_id IS NULL AND owner_team_id IS NULL)",
    )
    op.create_check_constraint(
        op.f("ck_objective_company_public"),
        "objective",
        "owner_kind <> 'company' OR visibility = 'public'",
    )
    op.create_check_constraint(
        op.f("ck_objective_owner_kind_known"),
        "objective",
        "owner_kind IN ('person', 'team', 'company')",
    )
    op.create_check_constraint(
        op.f("ck_objective_kind_known"), "objective", "kind IN ('committed', 'aspirational')"
    )
    op.create_check_constraint(
        op.f("ck_objective_status_known"),
        "objective",
        "status IN ('draft', 'proposed', 'agreed')",
    )
    op.create_index(
        "ix_objective_search",
        "objective",
        [
            sa.literal_column(
                "to_tsvector('simple'::regconfig, "
                "coalesce(title, '') || ' ' || coalesce(description, ''))"
            )
        ],
        unique=False,
        postgresql_using="gin",
    )

    op.create_table(
        "objective_contributor",
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objective.id"],
            name=op.f("fk_objective_contributor_objective_id_objective"),
        ),
        sa.PrimaryKeyConstraint("objective_id", "person_id", name=op.f("pk_objective_contributor")),
    )
    op.create_index(
        "ix_objective_contributor_person_id", "objective_contributor", ["person_id"], unique=False
    )
    op.create_table(
        "objective_signature",
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("signer_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('owner', 'manager')", name=op.f("ck_objective_signature_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objective.id"],
            name=op.f("fk_objective_signature_objective_id_objective"),
        ),
        sa.PrimaryKeyConstraint("objective_id", "role", name=op.f("pk_objective_signature")),
        sa.UniqueConstraint(
            "objective_id", "signer_id", name=op.f("uq_objective_signature_objective_id_signer_id")
        ),
    )
    op.create_table(
        "objective_comment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objective.id"],
            name=op.f("fk_objective_comment_objective_id_objective"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objective_comment")),
    )
    op.create_index(
        "ix_objective_comment_objective_id_created_at_id",
        "objective_comment",
        ["objective_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "objective_closing",
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("retrospective", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "source IN ('submitted', 'progress')", name=op.f("ck_objective_closing_source_known")
        ),
        sa.CheckConstraint("score BETWEEN 0 AND 1", name=op.f("ck_objective_closing_score_range")),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objective.id"],
            name=op.f("fk_objective_closing_objective_id_objective"),
        ),
        sa.PrimaryKeyConstraint("objective_id", name=op.f("pk_objective_closing")),
    )

    # --- Key results ---------------------------------------------------------------------
    _text_column(
        "key_result",
        "kind",
        "CASE WHEN target > start THEN 'increase_to' ELSE 'decrease_to' END",
    )
    op.add_column("key_result", sa.Column("owner_person_id", sa.Uuid(), nullable=True))
    _text_column(
        "key_result",
        "status",
        "CASE WHEN confidence IS NULL THEN NULL WHEN confidence >= 7 THEN 'on_track' "
        "WHEN confidence >= 4 THEN 'at_risk' ELSE 'off_track' END",
        nullable=True,
    )
    op.drop_constraint(op.f("ck_key_result_target_differs_from_start"), "key_result", type_="check")
    op.create_check_constraint(
        op.f("ck_key_result_kind_known"),
        "key_result",
        "kind IN ('increase_to', 'decrease_to', 'stay_above', 'stay_below', 'binary', "
        "'milestones')",
    )
    op.create_check_constraint(
        op.f("ck_key_result_increase_goes_up"),
        "key_result",
        "kind <> 'increase_to' OR target > start",
    )
    op.create_check_constraint(
        op.f("ck_key_result_decrease_goes_down"),
        "key_result",
        "kind <> 'decrease_to' OR target < start",
    )
    op.create_check_constraint(
        op.f("ck_key_result_binary_is_0_or_1"),
        "key_result",
        "kind <> 'binary' OR (start = 0 AND target = 1 AND current IN (0, 1))",
    )
    op.create_check_constraint(
        op.f("ck_key_result_milestones_counted"),
        "key_result",
        "kind <> 'milestones' OR (start = 0 AND target >= 1 AND current BETWEEN 0 AND target)",
    )
    op.create_check_constraint(
        op.f("ck_key_result_status_known"),
        "key_result",
        f"status IS NULL OR {CHECK_IN_STATUSES}",
    )
    op.create_index(
        "ix_key_result_owner_person_id", "key_result", ["owner_person_id"], unique=False
    )
    op.create_index(
        "ix_key_result_search",
        "key_result",
        [sa.literal_column("to_tsvector('simple'::regconfig, coalesce(title, ''))")],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "milestone",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key_result_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_result_id"], ["key_result.id"], name=op.f("fk_milestone_key_result_id_key_result")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
        sa.UniqueConstraint(
            "key_result_id", "position", name=op.f("uq_milestone_key_result_id_position")
        ),
    )

    # --- Check-ins -----------------------------------------------------------------------
    _text_column(
        "check_in",
        "status",
        "CASE WHEN confidence >= 7 THEN 'on_track' WHEN confidence >= 4 THEN 'at_risk' "
        "ELSE 'off_track' END",
    )
    op.create_check_constraint(op.f("ck_check_in_status_known"), "check_in", CHECK_IN_STATUSES)
    op.add_column(
        "check_in",
        sa.Column("milestone_updates", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("check_in", "milestone_updates")
    op.drop_constraint(op.f("ck_check_in_status_known"), "check_in", type_="check")
    op.drop_column("check_in", "status")

    op.drop_table("milestone")
    op.drop_index("ix_key_result_search", table_name="key_result", postgresql_using="gin")
    op.drop_index("ix_key_result_owner_person_id", table_name="key_result")
    # Key results of the new kinds have no meaning before this revision.
    op.execute(
        "DELETE FROM check_in WHERE key_result_id IN (SELECT id FROM key_result "
        "WHERE kind NOT IN ('increase_to', 'decrease_to'))"
    )
    op.execute("DELETE FROM key_result WHERE kind NOT IN ('increase_to', 'decrease_to')")
    for name in (
        "status_known",
        "milestones_counted",
        "binary_is_0_or_1",
        "decrease_goes_down",
        "increase_goes_up",
        "kind_known",
    ):
        op.drop_constraint(op.f(f"ck_key_result_{name}"), "key_result", type_="check")
    op.create_check_constraint(
        op.f("ck_key_result_target_differs_from_start"), "key_result", "target <> start"
    )
    op.drop_column("key_result", "status")
    op.drop_column("key_result", "owner_person_id")
    op.drop_column("key_result", "kind")

    op.drop_table("objective_closing")
    op.drop_index("ix_objective_comment_objective_id_created_at_id", table_name="objective_comment")
    op.drop_table("objective_comment")
    op.drop_table("objective_signature")
    op.drop_index("ix_objective_contributor_person_id", table_name="objective_contributor")
    op.drop_table("objective_contributor")
    op.drop_index("ix_objective_search", table_name="objective", postgresql_using="gin")
    # Company objectives have no owner before this revision.
    op.execute(
        "DELETE FROM check_in WHERE key_result_id IN (SELECT k.id FROM key_result k "
        "JOIN objective o ON o.id = k.objective_id WHERE o.owner_kind = 'company')"
    )
    op.execute(
        "DELETE FROM key_result WHERE objective_id IN "
        "(SELECT id FROM objective WHERE owner_kind = 'company')"
    )
    op.execute("DELETE FROM objective WHERE owner_kind = 'company'")
    for name in ("status_known", "kind_known", "owner_kind_known", "company_public"):
        op.drop_constraint(op.f(f"ck_objective_{name}"), "objective", type_="check")
    op.drop_constraint(op.f("ck_objective_owner_matches_kind"), "objective", type_="check")
    op.create_check_constraint(
        op.f("ck_objective_one_owner"),
        "objective",
        "(owner_person_id IS NULL) <> (owner_team_id IS NULL)",
    )
    op.drop_column("objective", "status")
    op.drop_column("objective", "kind")
    op.drop_column("objective", "owner_kind")

    op.drop_column("cycle", "closed_by")
    op.drop_column("cycle", "closed_at")
