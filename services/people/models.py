"""The directory's tables: people, teams and memberships, reporting lines, job roles, skills."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, MetaData, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kit.auth import EMAIL_KEY_SQL
from kit.models import new_id, stored_as_text, timestamp_field
from services.people.schemas import AccessRole, PersonStatus, TeamKind

# Stable constraint names, so that migrations can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class PeopleModel(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """Base of this service's tables, on a metadata of its own."""


class Role(PeopleModel, table=True):
    """A job profile, e.g. "Senior engineer"."""

    __tablename__ = "role"
    __table_args__ = (Index("uq_role_name_lower", text("lower(name)"), unique=True),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    level: int | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Skill(PeopleModel, table=True):
    """An entry of the skills catalogue; other services refer to skills by id."""

    __tablename__ = "skill"
    __table_args__ = (
        Index("uq_skill_name_lower", text("lower(name)"), unique=True),
        Index("ix_skill_created_at_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    category: str | None = Field(default=None, max_length=200, index=True)
    description: str | None = Field(default=None, max_length=2000)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Person(PeopleModel, table=True):
    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        # kit.auth.email_key: ASCII letters without case, everything else as written.
        Index("uq_person_email_key", text(EMAIL_KEY_SQL), unique=True),
        Index("ix_person_created_at_id", "created_at", "id"),
        CheckConstraint("(external_id IS NULL) = (source IS NULL)", name="external_id_with_source"),
        CheckConstraint("access_role IN ('employee', 'hr_admin')", name="access_role_known"),
        CheckConstraint("status IN ('active', 'inactive')", name="status_known"),
        CheckConstraint("manager_id <> id", name="not_own_manager"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # The person's id in the HRIS named by `source`.
    external_id: str | None = Field(default=None, max_length=255)
    source: str | None = Field(default=None, max_length=100)
    employee_number: str | None = Field(default=None, max_length=64, unique=True)
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    title: str | None = Field(default=None, max_length=200)
    access_role: AccessRole = Field(default=AccessRole.EMPLOYEE, sa_type=stored_as_text(AccessRole))
    role_id: uuid.UUID | None = Field(default=None, foreign_key="role.id", index=True)
    manager_id: uuid.UUID | None = Field(default=None, foreign_key="person.id", index=True)
    status: PersonStatus = Field(default=PersonStatus.ACTIVE, sa_type=stored_as_text(PersonStatus))
    locale: str = Field(default="en", max_length=35)
    time_zone: str = Field(default="UTC", max_length=64)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(index=True)
    version: int = 1


class ReportingLine(PeopleModel, table=True):
    """Who a person reported to from `effective_at` on; one row per change, never updated."""

    __tablename__ = "reporting_line"
    __table_args__ = (
        Index("ix_reporting_line_person_id_created_at", "person_id", "created_at"),
        CheckConstraint(
            "changed_by_person_id IS NULL OR changed_by_integration IS NULL",
            name="one_changer",
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    person_id: uuid.UUID = Field(foreign_key="person.id")
    manager_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    effective_at: datetime = timestamp_field()
    # Who made the change: a person of the directory (shown by their name), or an integration
    # (by the name its token carries); neither for old changes whose author is unknown. Never a
    # person's token subject, which colleagues reading the history have no business seeing.
    changed_by_person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    changed_by_integration: str | None = Field(default=None, max_length=255)
    created_at: datetime = timestamp_field()


class Team(PeopleModel, table=True):
    __tablename__ = "team"
    __table_args__ = (
        Index("ix_team_created_at_id", "created_at", "id"),
        CheckConstraint("kind IN ('team', 'department', 'group')", name="kind_known"),
        CheckConstraint("parent_id <> id", name="not_own_parent"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    kind: TeamKind = Field(default=TeamKind.TEAM, sa_type=stored_as_text(TeamKind))
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    lead_id: uuid.UUID | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Membership(PeopleModel, table=True):
    """A person in a team; a person may belong to several teams."""

    __tablename__ = "membership"

    team_id: uuid.UUID = Field(foreign_key="team.id", primary_key=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", primary_key=True, index=True)
    since: datetime = timestamp_field()
