"""Every SQL statement of the directory. It reads and writes; the service decides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

import sqlalchemy
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    ColumnExpressionArgument,
    Row,
    RowMapping,
    Select,
    Uuid,
    any_,
    func,
    inspect,
    literal,
    literal_column,
    or_,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.auth import email_key, email_key_of
from kit.events import OutboxEvent
from kit.pagination import PageParams, encode_cursor, paginate
from kit.repository import by_ids as by_ids
from kit.repository import delete as delete
from kit.repository import get as get
from kit.repository import save as save
from kit.repository import walk
from services.people.models import (
    Membership,
    PeopleModel,
    Person,
    ReportingLine,
    Role,
    Skill,
    Team,
)
from services.people.schemas import AccessRole, PersonStatus, TeamKind

T = TypeVar("T", bound=PeopleModel)
# The two catalogues, alike but for a skill's category.
Entry = TypeVar("Entry", Role, Skill)

# Deeper than any real organisation; bounds the walk should the data ever hold a loop.
MAX_DEPTH = 100


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def lock_hierarchy(session: AsyncSession, name: str) -> None:
    """Serialise changes to one hierarchy for this transaction, so that two concurrent moves
    cannot together close a loop that each alone would not."""
    await session.scalar(select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0))))


# --- People ----------------------------------------------------------------------------------


def _look_alike(address: ColumnExpressionArgument[str]) -> ColumnElement[str]:
    # Compatibility forms folded (the KELVIN SIGN becomes K), then every case: broad on
    # purpose, to refuse an address that would pass for another; never to find a person.
    return func.lower(func.normalize(address, literal_column("NFKC")))


async def person_by_email(
    session: AsyncSession, email: str, *, other_than: uuid.UUID | None = None
) -> Person | None:
    """The person whose address is `email`, or looks like it."""
    statement = select(Person).where(
        or_(
            email_key_of(col(Person.email)) == email_key(email),
            _look_alike(col(Person.email)) == _look_alike(literal(email)),
        )
    )
    if other_than is not None:
        statement = statement.where(col(Person.id) != other_than)
    return (await session.exec(statement)).first()


async def person_by_employee_number(
    session: AsyncSession, number: str, *, other_than: uuid.UUID | None = None
) -> Person | None:
    statement = select(Person).where(col(Person.employee_number) == number)
    if other_than is not None:
        statement = statement.where(col(Person.id) != other_than)
    return (await session.exec(statement)).first()


async def person_by_external_id(
    session: AsyncSession, source: str, external_id: str, *, other_than: uuid.UUID | None = None
) -> Person | None:
    statement = select(Person).where(
        col(Person.source) == source, col(Person.external_id) == external_id
    )
    if other_than is not None:
        statement = statement.where(col(Person.id) != other_than)
    return (await session.exec(statement)).first()


def _claim_condition(claim: str, value: str) -> ColumnElement[bool] | None:
    if claim == "email":
        return email_key_of(col(Person.email)) == email_key(value)
    if claim == "employee_number":
        return col(Person.employee_number) == value
    if claim == "sub":
        return col(Person.external_id) == value
    return None


async def people_by_claim(
    session: AsyncSession, claim: str, value: str
) -> Sequence[Row[uuid.UUID, PersonStatus, AccessRole]]:
    """The id, status and access role of the people a token claim may name (at most two:
    enough to tell a match from an ambiguity); on every request, so no more than that."""
    condition = _claim_condition(claim, value)
    if condition is None:
        return []
    statement = sqlalchemy.select(
        col(Person.id), col(Person.status), col(Person.access_role)
    ).where(condition)
    connection = await session.connection()
    return (await connection.execute(statement.limit(2))).all()


# --- People as they are read -------------------------------------------------------------------

# A person's teams, oldest membership first, read in the statement that reads the person.
_TEAM_IDS = (
    sqlalchemy.select(
        func.array_agg(
            aggregate_order_by(
                col(Membership.team_id), col(Membership.since), col(Membership.team_id)
            )
        )
    )
    .where(col(Membership.person_id) == col(Person.id))
    # Only the person comes from outside, also when the outer statement joins memberships.
    .correlate(Person)
    .scalar_subquery()
    .label("team_ids")
)


def readable() -> Select[Any]:
    """People with the ids of their teams (`team_ids`, null for none), one row each: what a
    `PersonRead` is made of, without an ORM object per row."""
    return sqlalchemy.select(inspect(Person).local_table, _TEAM_IDS)


async def read_people(
    session: AsyncSession, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, RowMapping]:
    """The people among `ids` that exist, by id: one statement, its text the same for any
    number of ids (they travel as one array)."""
    within = col(Person.id) == any_(literal(list(ids), type_=ARRAY(Uuid)))
    connection = await session.connection()
    rows = await connection.execute(readable().where(within))
    return {row["id"]: row for row in rows.mappings()}


async def feed_position(session: AsyncSession) -> int:
    """The newest position of this service's event feed."""
    top = await session.scalar(select(func.max(col(OutboxEvent.position))))
    return int(top or 0)


async def everything(session: AsyncSession, model: type[T]) -> Sequence[T]:
    return (await session.exec(select(model).order_by(*inspect(model).primary_key))).all()


async def team_ids_by_person(
    session: AsyncSession, person_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    rows = await session.exec(
        select(Membership.person_id, Membership.team_id)
        .where(col(Membership.person_id).in_(person_ids))
        .order_by(col(Membership.since), col(Membership.team_id))
    )
    teams: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for person_id, team_id in rows.all():
        teams[person_id].append(team_id)
    return teams


async def list_people(
    session: AsyncSession,
    params: PageParams,
    *,
    status: PersonStatus | None = None,
    team_id: uuid.UUID | None = None,
    manager_id: uuid.UUID | None = None,
    q: str | None = None,
    updated_since: datetime | None = None,
) -> tuple[list[RowMapping], str | None]:
    """A page of people as they are read (`readable`), in one statement."""
    statement = readable()
    if status is not None:
        statement = statement.where(col(Person.status) == status)
    if team_id is not None:
        statement = statement.join(Membership, col(Membership.person_id) == col(Person.id)).where(
            col(Membership.team_id) == team_id
        )
    if manager_id is not None:
        statement = statement.where(col(Person.manager_id) == manager_id)
    if q:
        pattern = _contains(q)
        statement = statement.where(
            or_(col(Person.name).ilike(pattern), col(Person.email).ilike(pattern))
        )
    if updated_since is not None:
        statement = statement.where(col(Person.updated_at) >= updated_since)
    # `paginate` orders and cuts any statement over the table, and reads the cursor off the
    # last row, which a row of columns has as an ORM object does.
    rows, cursor = await paginate(session, cast(Any, statement), Person, params)
    return [row._mapping for row in rows], cursor


async def list_reports(
    session: AsyncSession, manager_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Person], str | None]:
    statement = select(Person).where(col(Person.manager_id) == manager_id)
    return await paginate(session, statement, Person, params)


async def first_reports(
    session: AsyncSession, manager_ids: Collection[uuid.UUID], per_manager: int
) -> dict[uuid.UUID, tuple[list[Person], str | None]]:
    """For each manager that has reports: the first `per_manager` of them in `(created_at, id)`
    order, and the cursor of the rest (None when there are no more). One statement for all."""
    rank = (
        func.row_number()
        .over(
            partition_by=col(Person.manager_id),
            order_by=(col(Person.created_at), col(Person.id)),
        )
        .label("rank")
    )
    ranked = select(Person, rank).where(col(Person.manager_id).in_(manager_ids)).subquery()
    report = aliased(Person, ranked)
    # One row past the limit tells whether a next page exists.
    statement = (
        select(report)
        .where(ranked.c.rank <= per_manager + 1)
        .order_by(ranked.c.manager_id, ranked.c.rank)
    )
    grouped: dict[uuid.UUID | None, list[Person]] = defaultdict(list)
    for person in (await session.exec(statement)).all():
        grouped[person.manager_id].append(person)
    found: dict[uuid.UUID, tuple[list[Person], str | None]] = {}
    for manager_id, people in grouped.items():
        if manager_id is None:
            continue
        page = people[:per_manager]
        last = page[-1]
        found[manager_id] = (
            page,
            encode_cursor(last.created_at, last.id) if len(people) > per_manager else None,
        )
    return found


async def management_chain(session: AsyncSession, person_id: uuid.UUID) -> list[Person]:
    """The person's manager, that manager's manager, and so on to the top."""
    chain = walk(
        "chain", col(Person.manager_id), col(Person.id), col(Person.id) == person_id, MAX_DEPTH
    )
    statement: SelectOfScalar[Person] = (
        select(Person).join(chain, col(Person.id) == chain.c.id).order_by(chain.c.depth)
    )
    return list((await session.exec(statement)).all())


async def list_reporting_lines(
    session: AsyncSession, person_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[ReportingLine], str | None]:
    statement = select(ReportingLine).where(col(ReportingLine.person_id) == person_id)
    return await paginate(session, statement, ReportingLine, params)


# --- Teams -----------------------------------------------------------------------------------


async def list_teams(
    session: AsyncSession,
    params: PageParams,
    *,
    kind: TeamKind | None = None,
    parent_id: uuid.UUID | None = None,
    q: str | None = None,
) -> tuple[Sequence[Team], str | None]:
    statement = select(Team)
    if kind is not None:
        statement = statement.where(col(Team.kind) == kind)
    if parent_id is not None:
        statement = statement.where(col(Team.parent_id) == parent_id)
    if q:
        statement = statement.where(col(Team.name).ilike(_contains(q)))
    return await paginate(session, statement, Team, params)


async def team_ancestors(session: AsyncSession, team_id: uuid.UUID) -> list[uuid.UUID]:
    """Ids of the team's parent, grandparent, and so on to the top."""
    chain = walk("ancestors", col(Team.parent_id), col(Team.id), col(Team.id) == team_id, MAX_DEPTH)
    rows = await session.exec(
        select(chain.c.id).where(chain.c.id.is_not(None)).order_by(chain.c.depth)
    )
    return list(rows.all())


async def has_sub_teams(session: AsyncSession, team_id: uuid.UUID) -> bool:
    statement = select(Team.id).where(col(Team.parent_id) == team_id).limit(1)
    return (await session.exec(statement)).first() is not None


async def has_members(session: AsyncSession, team_id: uuid.UUID) -> bool:
    statement = select(Membership.person_id).where(col(Membership.team_id) == team_id).limit(1)
    return (await session.exec(statement)).first() is not None


async def membership(
    session: AsyncSession, team_id: uuid.UUID, person_id: uuid.UUID
) -> Membership | None:
    return await session.get(Membership, (team_id, person_id))


async def list_members(
    session: AsyncSession, team_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Person], str | None]:
    statement = (
        select(Person)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(col(Membership.team_id) == team_id)
    )
    return await paginate(session, statement, Person, params)


async def list_sub_teams(
    session: AsyncSession, team_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Team], str | None]:
    statement = select(Team).where(col(Team.parent_id) == team_id)
    return await paginate(session, statement, Team, params)


# --- Job roles and skills --------------------------------------------------------------------


async def entry_by_name(
    session: AsyncSession, model: type[Entry], name: str, *, other_than: uuid.UUID
) -> Entry | None:
    """The catalogue's entry named `name`, whatever its case, other than `other_than`."""
    statement = select(model).where(
        func.lower(col(model.name)) == name.lower(), col(model.id) != other_than
    )
    return (await session.exec(statement)).first()


async def list_entries(
    session: AsyncSession,
    model: type[Entry],
    params: PageParams,
    *,
    q: str | None = None,
    category: str | None = None,
) -> tuple[Sequence[Entry], str | None]:
    statement = select(model)
    if q:
        statement = statement.where(col(model.name).ilike(_contains(q)))
    if category is not None:
        # Only skills have one; the roles' filters do not offer it.
        column = inspect(model).columns["category"]
        statement = statement.where(func.lower(column) == category.lower())
    return await paginate(session, statement, model, params)
