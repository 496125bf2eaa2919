"""Every SQL statement of the goals service, the org copy's included. It reads and writes; the
service decides (who sees what comes in as a `Sight`, made by the service from its policy)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, inspect, literal, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.orgcopy import OrgMembership, OrgPerson, OrgTeam
from kit.pagination import PageParams, encode_cursor, paginate
from kit.policies import Relation
from services.goals.models import CheckIn, Cycle, GoalsModel, KeyResult, Objective
from services.goals.schemas import CycleStatus, Visibility

T = TypeVar("T", bound=GoalsModel)
Dated = TypeVar("Dated", Objective, KeyResult, CheckIn)

# Deeper than any real organisation; bounds the walk should the copy ever hold a loop.
MAX_DEPTH = 64


async def save(session: AsyncSession, row: GoalsModel) -> None:
    session.add(row)
    await session.flush()


async def get(
    session: AsyncSession,
    model: type[T],
    id_: uuid.UUID,
    *,
    lock: bool = False,
    share: bool = False,
) -> T | None:
    """One row by id; `lock` holds it until the transaction ends (read, check, then write);
    `share` only keeps others from changing it meanwhile, while they may read and share it."""
    key = inspect(model).primary_key[0]
    statement = select(model).where(key == id_)
    if lock or share:
        statement = statement.with_for_update(read=not lock).execution_options(
            populate_existing=True
        )
    return (await session.exec(statement)).first()


def _in_order_asked(rows: Sequence[T], ids: Collection[uuid.UUID]) -> list[T]:
    found = {row.id: row for row in rows}  # type: ignore[attr-defined]  # every table has an id
    return [found[id_] for id_ in dict.fromkeys(ids) if id_ in found]


# --- The org copy ----------------------------------------------------------------------------


async def org_person(session: AsyncSession, person_id: uuid.UUID) -> OrgPerson | None:
    return await session.get(OrgPerson, person_id)


async def org_team(session: AsyncSession, team_id: uuid.UUID) -> OrgTeam | None:
    return await session.get(OrgTeam, team_id)


# --- Who sees which objectives -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sight:
    """Which objectives a caller sees: every public one, and the private ones of everybody
    (`everything`) or of the owners to whom `person_id` stands in one of `relations`."""

    everything: bool = False
    person_id: uuid.UUID | None = None
    relations: frozenset[Relation] = field(default_factory=frozenset)


def _reports(person_id: uuid.UUID) -> Any:
    """Everyone below `person_id` in the reporting lines, however deep."""
    reports = (
        select(col(OrgPerson.id).label("id"), literal(1).label("depth"))
        .where(col(OrgPerson.manager_id) == person_id)
        .cte("reports", recursive=True)
    )
    return reports.union_all(
        select(col(OrgPerson.id), reports.c.depth + 1)
        .join(reports, col(OrgPerson.manager_id) == reports.c.id)
        .where(reports.c.depth < MAX_DEPTH)
    )


def _led_teams(person_id: uuid.UUID) -> Any:
    """The teams `person_id` leads and every team under them."""
    led = (
        select(col(OrgTeam.id).label("id"), literal(1).label("depth"))
        .where(col(OrgTeam.lead_id) == person_id)
        .cte("led_teams", recursive=True)
    )
    return led.union_all(
        select(col(OrgTeam.id), led.c.depth + 1)
        .join(led, col(OrgTeam.parent_id) == led.c.id)
        .where(led.c.depth < MAX_DEPTH)
    )


def _owned_by_relation(person_id: uuid.UUID, relations: frozenset[Relation]) -> list[Any]:
    """Conditions matching the objectives whose owner `person_id` stands to in one of
    `relations`, as `kit.orgcopy.relations_to_person` / `relations_to_team` would find them
    (plus the management chain of a team's lead)."""
    person, team = col(Objective.owner_person_id), col(Objective.owner_team_id)
    conditions: list[Any] = []
    if Relation.OWNER in relations:
        conditions.append(person == person_id)
    if Relation.MANAGER in relations:
        conditions.append(
            person.in_(select(OrgPerson.id).where(col(OrgPerson.manager_id) == person_id))
        )
    if Relation.MANAGEMENT_CHAIN in relations:
        reports = _reports(person_id)
        conditions.append(person.in_(select(reports.c.id)))
        conditions.append(
            team.in_(select(OrgTeam.id).where(col(OrgTeam.lead_id).in_(select(reports.c.id))))
        )
    if Relation.PARTICIPANT in relations:
        conditions.append(
            team.in_(select(OrgMembership.team_id).where(col(OrgMembership.person_id) == person_id))
        )
    if Relation.TEAM_LEAD in relations:
        conditions.append(team.in_(select(_led_teams(person_id).c.id)))
    return conditions


def _visible(sight: Sight) -> ColumnElement[bool]:
    if sight.everything:
        return true()
    conditions = [col(Objective.visibility) == Visibility.PUBLIC]
    if sight.person_id is not None:
        conditions += _owned_by_relation(sight.person_id, sight.relations)
    return or_(*conditions)


# --- Batches with a limit per parent -----------------------------------------------------------


@dataclass
class Batch:
    """The first rows of one parent, and where its list continues."""

    rows: list[Any]
    has_more: bool
    next_cursor: str | None


async def _first_per_parent(
    session: AsyncSession,
    statement: SelectOfScalar[Dated],
    model: type[Dated],
    parent: str,
    parents: Sequence[uuid.UUID],
    limit: int,
) -> dict[uuid.UUID, Batch]:
    """The first `limit` rows of `statement` for each parent (the column named `parent`), in
    `(created_at, id)` order; one round trip whatever the number of parents."""
    parent_column = col(getattr(model, parent))
    order = (col(model.created_at), col(model.id))
    ranked = (
        statement.where(parent_column.in_(parents))
        .with_only_columns(
            col(model.id),
            func.row_number().over(partition_by=parent_column, order_by=order).label("n"),
        )
        .subquery()
    )
    rows = (
        await session.exec(
            select(model)
            .join(ranked, col(model.id) == ranked.c.id)
            .where(ranked.c.n <= limit + 1)
            .order_by(parent_column, *order)
        )
    ).all()
    found: dict[uuid.UUID, list[Dated]] = defaultdict(list)
    for row in rows:
        found[getattr(row, parent)].append(row)
    batches = {}
    for parent_id in parents:
        kept = found.get(parent_id, [])
        has_more = len(kept) > limit
        kept = kept[:limit]
        cursor = encode_cursor(kept[-1].created_at, kept[-1].id) if has_more else None
        batches[parent_id] = Batch(rows=kept, has_more=has_more, next_cursor=cursor)
    return batches


# --- Cycles ------------------------------------------------------------------------------------


async def list_cycles(
    session: AsyncSession, params: PageParams, *, status: CycleStatus | None = None
) -> tuple[Sequence[Cycle], str | None]:
    statement = select(Cycle)
    if status is not None:
        statement = statement.where(col(Cycle.status) == status)
    return await paginate(session, statement, Cycle, params)


async def cycles_by_ids(session: AsyncSession, ids: Collection[uuid.UUID]) -> list[Cycle]:
    rows = (await session.exec(select(Cycle).where(col(Cycle.id).in_(ids)))).all()
    return _in_order_asked(rows, ids)


# --- Objectives ------------------------------------------------------------------------------


def _objectives(
    sight: Sight,
    *,
    cycle_id: uuid.UUID | None = None,
    owner_person_id: uuid.UUID | None = None,
    owner_team_id: uuid.UUID | None = None,
) -> SelectOfScalar[Objective]:
    statement = select(Objective).where(_visible(sight))
    if cycle_id is not None:
        statement = statement.where(col(Objective.cycle_id) == cycle_id)
    if owner_person_id is not None:
        statement = statement.where(col(Objective.owner_person_id) == owner_person_id)
    if owner_team_id is not None:
        statement = statement.where(col(Objective.owner_team_id) == owner_team_id)
    return statement


async def list_objectives(
    session: AsyncSession,
    sight: Sight,
    params: PageParams,
    *,
    cycle_id: uuid.UUID | None = None,
    owner_person_id: uuid.UUID | None = None,
    owner_team_id: uuid.UUID | None = None,
) -> tuple[Sequence[Objective], str | None]:
    statement = _objectives(
        sight, cycle_id=cycle_id, owner_person_id=owner_person_id, owner_team_id=owner_team_id
    )
    return await paginate(session, statement, Objective, params)


async def objectives_by_ids(
    session: AsyncSession, sight: Sight, ids: Collection[uuid.UUID]
) -> list[Objective]:
    statement = _objectives(sight).where(col(Objective.id).in_(ids))
    return _in_order_asked((await session.exec(statement)).all(), ids)


async def objectives_by_owner(
    session: AsyncSession,
    sight: Sight,
    *,
    person_ids: Sequence[uuid.UUID],
    team_ids: Sequence[uuid.UUID],
    cycle_id: uuid.UUID | None,
    per_owner: int,
) -> tuple[dict[uuid.UUID, Batch], dict[uuid.UUID, Batch]]:
    """The first objectives of each person and of each team."""
    statement = _objectives(sight, cycle_id=cycle_id)
    people = (
        await _first_per_parent(
            session, statement, Objective, "owner_person_id", person_ids, per_owner
        )
        if person_ids
        else {}
    )
    teams = (
        await _first_per_parent(session, statement, Objective, "owner_team_id", team_ids, per_owner)
        if team_ids
        else {}
    )
    return people, teams


async def key_results_of(
    session: AsyncSession, objective_ids: Collection[uuid.UUID]
) -> Sequence[KeyResult]:
    """The key results of these objectives (a handful each), to compute their progress."""
    statement = select(KeyResult).where(col(KeyResult.objective_id).in_(objective_ids))
    return (await session.exec(statement)).all()


# --- Key results -----------------------------------------------------------------------------


def _key_results(sight: Sight) -> SelectOfScalar[KeyResult]:
    return (
        select(KeyResult)
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .where(_visible(sight))
    )


async def list_key_results(
    session: AsyncSession, objective_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[KeyResult], str | None]:
    statement = select(KeyResult).where(col(KeyResult.objective_id) == objective_id)
    return await paginate(session, statement, KeyResult, params)


async def key_results_by_ids(
    session: AsyncSession, sight: Sight, ids: Collection[uuid.UUID]
) -> list[KeyResult]:
    statement = _key_results(sight).where(col(KeyResult.id).in_(ids))
    return _in_order_asked((await session.exec(statement)).all(), ids)


async def key_results_by_objective(
    session: AsyncSession, sight: Sight, objective_ids: Sequence[uuid.UUID], per_objective: int
) -> dict[uuid.UUID, Batch]:
    return await _first_per_parent(
        session,
        _key_results(sight),
        KeyResult,
        "objective_id",
        objective_ids,
        per_objective,
    )


# --- Check-ins -------------------------------------------------------------------------------


async def list_check_ins(
    session: AsyncSession, key_result_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[CheckIn], str | None]:
    statement = select(CheckIn).where(col(CheckIn.key_result_id) == key_result_id)
    return await paginate(session, statement, CheckIn, params)


async def check_ins_by_key_result(
    session: AsyncSession, sight: Sight, key_result_ids: Sequence[uuid.UUID], per_key_result: int
) -> dict[uuid.UUID, Batch]:
    statement = (
        select(CheckIn)
        .join(KeyResult, col(KeyResult.id) == col(CheckIn.key_result_id))
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .where(_visible(sight))
    )
    return await _first_per_parent(
        session, statement, CheckIn, "key_result_id", key_result_ids, per_key_result
    )
