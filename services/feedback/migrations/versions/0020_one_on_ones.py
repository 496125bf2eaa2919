"""1:1s: series, meetings, talking points, action items, sealed private notes and calendar
feed tokens.

Revision ID: 0020
Revises: 0009
Create Date: 2026-12-01 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0020"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "one_on_one_series",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organizer_id", sa.Uuid(), nullable=False),
        sa.Column("invitee_id", sa.Uuid(), nullable=False),
        sa.Column("relationship", sa.String(length=20), nullable=False),
        sa.Column("title", AutoString(length=120), nullable=False),
        sa.Column("cadence", sa.String(length=20), nullable=False),
        sa.Column("weekday", sa.String(length=20), nullable=False),
        sa.Column("at", sa.Time(), nullable=False),
        sa.Column("time_zone", AutoString(length=64), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "organizer_id <> invitee_id", name=op.f("ck_one_on_one_series_two_people")
        ),
        sa.CheckConstraint(
            "relationship IN ('manager', 'mentoring', 'peers')",
            name=op.f("ck_one_on_one_series_relationship_known"),
        ),
        sa.CheckConstraint(
            "cadence IN ('weekly', 'biweekly', 'monthly')",
            name=op.f("ck_one_on_one_series_cadence_known"),
        ),
        sa.CheckConstraint(
            "weekday IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',"
            " 'sunday')",
            name=op.f("ck_one_on_one_series_weekday_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_on_one_series")),
    )
    op.create_index("ix_one_on_one_series_created_at_id", "one_on_one_series", ["created_at", "id"])
    op.create_index("ix_one_on_one_series_organizer_id", "one_on_one_series", ["organizer_id"])
    op.create_index("ix_one_on_one_series_invitee_id", "one_on_one_series", ["invitee_id"])

    op.create_table(
        "one_on_one_meeting",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("series_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("grow_goal", sa.Text(), server_default="", nullable=False),
        sa.Column("grow_reality", sa.Text(), server_default="", nullable=False),
        sa.Column("grow_options", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "grow_will",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("shared_notes", sa.Text(), server_default="", nullable=False),
        *_stamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'completed') = (completed_at IS NOT NULL)",
            name=op.f("ck_one_on_one_meeting_completed"),
        ),
        sa.CheckConstraint(
            "status IN ('scheduled', 'completed')", name=op.f("ck_one_on_one_meeting_status_known")
        ),
        _fk("one_on_one_meeting", "series_id", "one_on_one_series"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_on_one_meeting")),
    )
    op.create_index(
        "ix_one_on_one_meeting_series_id_starts_at",
        "one_on_one_meeting",
        ["series_id", "starts_at"],
    )
    op.create_index(
        "ix_one_on_one_meeting_created_at_id", "one_on_one_meeting", ["created_at", "id"]
    )

    op.create_table(
        "one_on_one_talking_point",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("origin_meeting_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("text", AutoString(length=500), nullable=False),
        sa.Column("ref_kind", sa.String(length=20), nullable=True),
        sa.Column("ref_id", sa.Uuid(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_stamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(ref_kind IS NULL) = (ref_id IS NULL)",
            name=op.f("ck_one_on_one_talking_point_ref_whole"),
        ),
        sa.CheckConstraint(
            "ref_kind IN ('objective', 'key_result', 'help_request', 'development_goal')",
            name=op.f("ck_one_on_one_talking_point_ref_kind_known"),
        ),
        _fk("one_on_one_talking_point", "meeting_id", "one_on_one_meeting"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_on_one_talking_point")),
    )
    op.create_index(
        "ix_one_on_one_talking_point_meeting_id_position",
        "one_on_one_talking_point",
        ["meeting_id", "position"],
    )

    op.create_table(
        "one_on_one_action_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("series_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("origin_meeting_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("text", AutoString(length=500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "done = (completed_at IS NOT NULL)", name=op.f("ck_one_on_one_action_item_completed")
        ),
        _fk("one_on_one_action_item", "series_id", "one_on_one_series"),
        _fk("one_on_one_action_item", "meeting_id", "one_on_one_meeting"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_on_one_action_item")),
    )
    op.create_index(
        "ix_one_on_one_action_item_meeting_id_created_at",
        "one_on_one_action_item",
        ["meeting_id", "created_at"],
    )
    op.create_index(
        "ix_one_on_one_action_item_series_id_done",
        "one_on_one_action_item",
        ["series_id", "done"],
    )

    op.create_table(
        "one_on_one_private_note",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("key_id", AutoString(length=64), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        *_stamps(),
        _fk("one_on_one_private_note", "meeting_id", "one_on_one_meeting"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_on_one_private_note")),
        sa.UniqueConstraint(
            "meeting_id",
            "author_id",
            name=op.f("uq_one_on_one_private_note_meeting_id_author_id"),
        ),
    )

    op.create_table(
        "one_on_one_calendar_token",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_one_on_one_calendar_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_one_on_one_calendar_token_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("one_on_one_calendar_token")
    op.drop_table("one_on_one_private_note")
    op.drop_table("one_on_one_action_item")
    op.drop_table("one_on_one_talking_point")
    op.drop_table("one_on_one_meeting")
    op.drop_table("one_on_one_series")
