"""The tables of accountability groups: groups, members, invitations, rounds, posts and the
responses to them, and the help requests that reached a group (ids only)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Text, Uuid, text
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.feedback.groups.schemas import (
    MAX_MEMBERS,
    GroupCadence,
    InvitationStatus,
    RoundKind,
)
from services.feedback.models import FeedbackModel


def _fk(table: str) -> Column[uuid.UUID]:
    return Column(Uuid, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


class AccountabilityGroup(FeedbackModel, table=True):
    """A few people holding each other to commitments; only its members read anything of it."""

    __tablename__ = "accountability_group"
    __table_args__ = (
        Index("ix_accountability_group_created_at_id", "created_at", "id"),
        CheckConstraint(f"max_members BETWEEN 2 AND {MAX_MEMBERS}", name="size"),
        CheckConstraint("cadence IN ('weekly', 'biweekly', 'monthly')", name="cadence_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=120)
    purpose: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    cadence: GroupCadence = Field(sa_type=stored_as_text(GroupCadence))
    max_members: int
    created_by: uuid.UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class GroupMember(FeedbackModel, table=True):
    __tablename__ = "accountability_group_member"
    __table_args__ = (Index("ix_accountability_group_member_person_id", "person_id"),)

    group_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("accountability_group.id", ondelete="CASCADE"), primary_key=True
        )
    )
    person_id: uuid.UUID = Field(primary_key=True)
    joined_at: datetime = timestamp_field()


class GroupInvitation(FeedbackModel, table=True):
    __tablename__ = "accountability_group_invitation"
    __table_args__ = (
        Index("ix_accountability_group_invitation_created_at_id", "created_at", "id"),
        Index("ix_accountability_group_invitation_person_id", "person_id"),
        # One open invitation per person and group, races included.
        Index(
            "uq_accountability_group_invitation_pending",
            "group_id",
            "person_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    group_id: uuid.UUID = Field(sa_column=_fk("accountability_group"))
    person_id: uuid.UUID
    invited_by: uuid.UUID
    status: InvitationStatus = Field(
        default=InvitationStatus.PENDING, sa_type=stored_as_text(InvitationStatus)
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class GroupRound(FeedbackModel, table=True):
    __tablename__ = "accountability_group_round"
    __table_args__ = (
        Index("ix_accountability_group_round_group_id_created_at", "group_id", "created_at"),
        CheckConstraint("kind IN ('commitments', 'goal_sharing')", name="kind_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    group_id: uuid.UUID = Field(sa_column=_fk("accountability_group"))
    kind: RoundKind = Field(sa_type=stored_as_text(RoundKind))
    # Null when the cadence opened it.
    opened_by: uuid.UUID | None = None
    created_at: datetime = timestamp_field()


class GroupPost(FeedbackModel, table=True):
    """A member's commitments and progress in a round: one each."""

    __tablename__ = "accountability_group_post"
    __table_args__ = (
        Index(
            "uq_accountability_group_post_round_id_author_id", "round_id", "author_id", unique=True
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    round_id: uuid.UUID = Field(sa_column=_fk("accountability_group_round"))
    group_id: uuid.UUID
    author_id: uuid.UUID
    commitments: str = Field(sa_column=Column(Text, nullable=False))
    progress: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class GroupResponse(FeedbackModel, table=True):
    """Another member's answer to a post."""

    __tablename__ = "accountability_group_response"
    __table_args__ = (
        Index("ix_accountability_group_response_post_id_created_at", "post_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    post_id: uuid.UUID = Field(sa_column=_fk("accountability_group_post"))
    author_id: uuid.UUID
    body: str = Field(max_length=5000)
    created_at: datetime = timestamp_field()


class GroupHelpRequest(FeedbackModel, table=True):
    """A member's help request as it reached one of their groups: ids, never words."""

    __tablename__ = "accountability_group_help_request"
    __table_args__ = (
        Index("ix_accountability_group_help_request_created_at_id", "created_at", "id"),
        Index(
            "uq_accountability_group_help_request_group_id_help_request_id",
            "group_id",
            "help_request_id",
            unique=True,
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    group_id: uuid.UUID = Field(sa_column=_fk("accountability_group"))
    help_request_id: uuid.UUID
    objective_id: uuid.UUID
    person_id: uuid.UUID
    created_at: datetime = timestamp_field()
