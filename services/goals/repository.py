"""Every SQL statement of the goals core (objectives, key results, what they are drafted and
closed with, search), the org copy's included. It reads and writes; the service decides (who
sees what comes in as a `Sight`, made by the service from its policy). The sub-domains keep
their own statements beside their rules (`cycles/`, `checkins/`, `drafting/`)."""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

import sqlalchemy
from sqlalchemy import (
    CTE,
    ColumnElement,
    RowMapping,
    exists,
    func,
    inspect,
    or_,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.orgcopy import OrgMembership, OrgPerson, OrgTeam, below
from kit.pagination import PageParams, encode_cursor, paginate
from kit.policies import Relation
from kit.repository import by_ids, walk
from kit.repository import delete as delete
from kit.repository import get as get
from kit.repository import save as save
from services.goals.models import (
    CheckIn,
    Closing,
    Contributor,
    Cycle,
    KeyResult,
    Milestone,
    Objective,
    Signature,
)
from services.goals.schemas import (
    CheckInStatus,
    KeyResultKind,
    ObjectiveKind,
    ObjectiveStatus,
    OwnerKind,
    Visibility,
)

Dated = TypeVar("Dated", Objective, KeyResult, CheckIn)
# What an objective is made of and read with, oldest first.
Part = TypeVar("Part", KeyResult, Contributor, Signature, Closing)

# Deeper than any real organisation; bounds the walk should the copy ever hold a loop.
MAX_DEPTH = 64
RISKY = (CheckInStatus.AT_RISK, CheckInStatus.OFF_TRACK)


# --- The org copy ----------------------------------------------------------------------------


async def org_person(session: AsyncSession, person_id: uuid.UUID) -> OrgPerson | None:
    return await session.get(OrgPerson, person_id)


async def org_team(session: AsyncSession, team_id: uuid.UUID) -> OrgTeam | None:
    return await session.get(OrgTeam, team_id)


async def org_people(session: AsyncSession, ids: Collection[uuid.UUID]) -> list[OrgPerson]:
    statement = select(OrgPerson).where(col(OrgPerson.id).in_(list(ids)))
    return list((await session.exec(statement)).all())


async def is_member(session: AsyncSession, team_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    return await session.get(OrgMembership, (team_id, person_id)) is not None


# --- Who sees which objectives -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sight:
    """Which objectives a caller sees: every public one, and the private ones of everybody
    (`everything`) or of the owners to whom `person_id` stands in one of `relations` (a
    contributor is a participant of the objective)."""

    everything: bool = False
    person_id: uuid.UUID | None = None
    relations: frozenset[Relation] = field(default_factory=frozenset)


def _led_teams(person_id: uuid.UUID) -> CTE:
    """The teams `person_id` leads and every team under them."""
    led = col(OrgTeam.lead_id) == person_id
    return walk("led_teams", col(OrgTeam.id), col(OrgTeam.parent_id), led, MAX_DEPTH)


def _owned_by_relation(person_id: uuid.UUID, relations: frozenset[Relation]) -> list[Any]:
    """Conditions matching the objectives to which `person_id` stands in one of `relations`,
    as the service finds them one by one (`kit.orgcopy.relations_to_person` /
    `relations_to_team`, the management chain of a team's lead, contributors)."""
    person, team = col(Objective.owner_person_id), col(Objective.owner_team_id)
    conditions: list[Any] = []
    if Relation.OWNER in relations:
        conditions.append(person == person_id)
    if Relation.MANAGER in relations:
        conditions.append(
            person.in_(select(OrgPerson.id).where(col(OrgPerson.manager_id) == person_id))
        )
    if Relation.MANAGEMENT_CHAIN in relations:
        reports = below(person_id)
        conditions.append(person.in_(select(reports.c.id)))
        conditions.append(
            team.in_(select(OrgTeam.id).where(col(OrgTeam.lead_id).in_(select(reports.c.id))))
        )
    if Relation.PARTICIPANT in relations:
        conditions.append(
            team.in_(select(OrgMembership.team_id).where(col(OrgMembership.person_id) == person_id))
        )
        conditions.append(
            col(Objective.id).in_(
                select(Contributor.objective_id).where(col(Contributor.person_id) == person_id)
            )
        )
    if Relation.TEAM_LEAD in relations:
        conditions.append(team.in_(select(_led_teams(person_id).c.id)))
    return conditions


# Building the condition (its walks through the org copy) costs more than the read itself, and
# a viewer's requests come in bursts (a page and its batch reads): the same condition serves
# them all. An expression is immutable, so sharing it is safe.
@functools.lru_cache(maxsize=512)
def visible(sight: Sight) -> ColumnElement[bool]:
    """The objectives `sight` sees, as a condition on `Objective`."""
    if sight.everything:
        return true()
    conditions = [col(Objective.visibility) == Visibility.PUBLIC]
    if sight.person_id is not None:
        conditions += _owned_by_relation(sight.person_id, sight.relations)
    return or_(*conditions)


async def visible_objective(
    session: AsyncSession, sight: Sight, objective_id: uuid.UUID, *, lock: bool = False
) -> Objective | None:
    """The objective if `sight` sees it, decided in the statement that finds it: a private
    objective hidden from the caller costs what an unknown id costs, and takes the same path."""
    statement = select(Objective).where(col(Objective.id) == objective_id, visible(sight))
    if lock:
        statement = statement.with_for_update(of=Objective).execution_options(
            populate_existing=True
        )
    return (await session.exec(statement)).first()


async def visible_key_result(
    session: AsyncSession, sight: Sight, key_result_id: uuid.UUID, *, lock: bool = False
) -> tuple[KeyResult, Objective] | None:
    """The key result and its objective if `sight` sees the objective, in one statement
    (`lock` holds the key result)."""
    statement = (
        select(KeyResult, Objective)
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .where(col(KeyResult.id) == key_result_id, visible(sight))
    )
    if lock:
        statement = statement.with_for_update(of=KeyResult).execution_options(
            populate_existing=True
        )
    row = (await session.exec(statement)).first()
    return None if row is None else (row[0], row[1])


# --- Batches with a limit per parent -----------------------------------------------------------


@dataclass
class Batch:
    """The first rows of one parent, and where its list continues."""

    rows: list[Any]
    has_more: bool
    next_cursor: str | None


async def first_per_parent(
    session: AsyncSession,
    statement: SelectOfScalar[Dated],
    model: type[Dated],
    parent: str,
    parents: Sequence[uuid.UUID],
    limit: int,
    *,
    columns: bool = False,
) -> dict[uuid.UUID, Batch]:
    """The first `limit` rows of `statement` for each parent (the column named `parent`), in
    `(created_at, id)` order; one round trip whatever the number of parents. With `columns`,
    mappings of the table's columns rather than ORM objects (cheaper where many are read)."""
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
    selected: Any = sqlalchemy.select(inspect(model).local_table) if columns else select(model)
    rows = (
        await session.exec(
            selected.join(ranked, col(model.id) == ranked.c.id)
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
        # Rows of columns when `columns`: their mappings.
        served: list[Any] = [cast(Any, row)._mapping for row in kept] if columns else kept
        batches[parent_id] = Batch(rows=served, has_more=has_more, next_cursor=cursor)
    return batches


# --- Objectives ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ObjectiveFilters:
    """Narrowing of an objective list; every one given applies. None of them is a figure."""

    cycle_id: uuid.UUID | None = None
    owner_kind: OwnerKind | None = None
    owner_person_id: uuid.UUID | None = None
    owner_team_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    status: ObjectiveStatus | None = None
    kind: ObjectiveKind | None = None
    at_risk: bool | None = None
    updated_since: datetime | None = None


def _at_risk() -> ColumnElement[bool]:
    return exists(
        select(KeyResult.id).where(
            col(KeyResult.objective_id) == col(Objective.id), col(KeyResult.status).in_(RISKY)
        )
    )


def _objectives(
    sight: Sight, filters: ObjectiveFilters = ObjectiveFilters(), *, columns: bool = True
) -> Any:
    """The objectives `sight` sees and `filters` keep; as rows of their columns unless told
    otherwise: a page or a batch makes no ORM object per objective (`present_objectives`
    takes rows)."""
    table = sqlalchemy.select(inspect(Objective).local_table) if columns else select(Objective)
    statement = table.where(visible(sight))
    equal = {
        Objective.cycle_id: filters.cycle_id,
        Objective.owner_kind: filters.owner_kind,
        Objective.owner_person_id: filters.owner_person_id,
        Objective.owner_team_id: filters.owner_team_id,
        Objective.status: filters.status,
        Objective.kind: filters.kind,
    }
    for column, value in equal.items():
        if value is not None:
            statement = statement.where(col(column) == value)
    if filters.team_id is not None:
        members = select(OrgMembership.person_id).where(
            col(OrgMembership.team_id) == filters.team_id
        )
        statement = statement.where(
            or_(
                col(Objective.owner_team_id) == filters.team_id,
                col(Objective.owner_person_id).in_(members),
            )
        )
    if filters.at_risk is not None:
        statement = statement.where(_at_risk() if filters.at_risk else ~_at_risk())
    if filters.updated_since is not None:
        statement = statement.where(col(Objective.updated_at) >= filters.updated_since)
    return statement


async def list_objectives(
    session: AsyncSession, sight: Sight, params: PageParams, filters: ObjectiveFilters
) -> tuple[list[RowMapping], str | None]:
    # `paginate` orders and cuts any statement over the table, and reads the cursor off the
    # last row, which a row of columns has as an ORM object does.
    rows, cursor = await paginate(session, _objectives(sight, filters), Objective, params)
    return [row._mapping for row in rows], cursor


async def objectives_by_ids(
    session: AsyncSession, sight: Sight, ids: Collection[uuid.UUID]
) -> list[Objective]:
    return await by_ids(session, Objective, ids, within=_objectives(sight, columns=False))


async def objective_rows_by_ids(
    session: AsyncSession, sight: Sight, ids: Collection[uuid.UUID]
) -> list[RowMapping]:
    """As `objectives_by_ids`, as rows of their columns (what a batch read presents)."""
    rows: list[Any] = await by_ids(session, Objective, ids, within=_objectives(sight))
    return [row._mapping for row in rows]


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
    statement = _objectives(sight, ObjectiveFilters(cycle_id=cycle_id))
    people = (
        await first_per_parent(
            session, statement, Objective, "owner_person_id", person_ids, per_owner, columns=True
        )
        if person_ids
        else {}
    )
    teams = (
        await first_per_parent(
            session, statement, Objective, "owner_team_id", team_ids, per_owner, columns=True
        )
        if team_ids
        else {}
    )
    return people, teams


async def of_objectives(
    session: AsyncSession, model: type[Part], objective_ids: Collection[uuid.UUID]
) -> Sequence[Part]:
    """The rows of `model` that belong to these objectives (a handful each), oldest first."""
    statement = select(model).where(col(model.objective_id).in_(objective_ids))
    return (await session.exec(statement.order_by(col(model.created_at)))).all()


async def is_contributor(
    session: AsyncSession, objective_id: uuid.UUID, person_id: uuid.UUID
) -> bool:
    return await session.get(Contributor, (objective_id, person_id)) is not None


async def clear_signatures(session: AsyncSession, objective_id: uuid.UUID) -> int:
    """Forget every signature of the objective; how many there were."""
    result = await session.exec(
        sqlalchemy.delete(Signature).where(col(Signature.objective_id) == objective_id)
    )
    return int(result.rowcount)


# --- Key results -----------------------------------------------------------------------------


def _key_results(sight: Sight) -> SelectOfScalar[KeyResult]:
    return (
        select(KeyResult)
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .where(visible(sight))
    )


async def list_key_results(
    session: AsyncSession, objective_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[KeyResult], str | None]:
    statement = select(KeyResult).where(col(KeyResult.objective_id) == objective_id)
    return await paginate(session, statement, KeyResult, params)


async def key_results_by_ids(
    session: AsyncSession, sight: Sight, ids: Collection[uuid.UUID]
) -> list[KeyResult]:
    return await by_ids(session, KeyResult, ids, within=_key_results(sight))


async def key_results_by_objective(
    session: AsyncSession, sight: Sight, objective_ids: Sequence[uuid.UUID], per_objective: int
) -> dict[uuid.UUID, Batch]:
    return await first_per_parent(
        session,
        _key_results(sight),
        KeyResult,
        "objective_id",
        objective_ids,
        per_objective,
    )


async def milestones_of(
    session: AsyncSession, key_result_ids: Collection[uuid.UUID], *, lock: bool = False
) -> Sequence[Milestone]:
    statement = (
        select(Milestone)
        .where(col(Milestone.key_result_id).in_(key_result_ids))
        .order_by(col(Milestone.key_result_id), col(Milestone.position))
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).all()


async def cycles_of_objectives(
    session: AsyncSession, objective_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Cycle]:
    """The cycle of each objective, by objective id."""
    statement = select(col(Objective.id), Cycle).join(
        Cycle, col(Cycle.id) == col(Objective.cycle_id)
    )
    rows = await session.exec(statement.where(col(Objective.id).in_(objective_ids)))
    return dict(rows.all())


# --- What an objective is read with ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyResultFigures:
    """What a key result adds to its objective's progress."""

    objective_id: uuid.UUID
    kind: KeyResultKind
    start: float
    target: float
    current: float
    weight: float


@dataclass(frozen=True, slots=True)
class RollUpLink:
    parent_id: uuid.UUID
    child_id: uuid.UUID
    weight: float
    child_visibility: Visibility


@dataclass
class ObjectiveParts:
    """What objectives are read with: for the objectives asked, their contributors (oldest
    first), signatures and closing; for those and every objective their roll-up reaches, the
    figures of their key results; which of them roll up, and the accepted links into those."""

    rolling_up: set[uuid.UUID] = field(default_factory=set)
    links: list[RollUpLink] = field(default_factory=list)
    key_results: list[KeyResultFigures] = field(default_factory=list)
    contributors: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    signatures: dict[uuid.UUID, list[dict[str, Any]]] = field(default_factory=dict)
    closings: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)


# One statement for any number of objectives, its text always the same (the ids travel as one
# array), so that PostgreSQL and the driver prepare it once. The walk goes down accepted links
# into objectives that roll up only; children come as arrays of rows, typed by the driver.
_PARTS = sqlalchemy.text(
    """
    WITH RECURSIVE walk(id, depth) AS (
        SELECT asked.id, 0 FROM unnest(CAST(:ids AS uuid[])) AS asked(id)
        UNION
        SELECT a.child_objective_id, w.depth + 1
        FROM walk AS w
        JOIN objective_roll_up AS r ON r.objective_id = w.id
        JOIN alignment AS a ON a.parent_objective_id = w.id AND a.state = 'accepted'
        WHERE w.depth < :max_depth
    ),
    reached AS (SELECT id, min(depth) = 0 AS asked FROM walk GROUP BY id)
    SELECT
        reached.id,
        reached.asked,
        r.objective_id IS NOT NULL,
        ARRAY(
            SELECT ROW(k.kind, k.start, k.target, k.current, k.weight)
            FROM key_result AS k WHERE k.objective_id = reached.id
            ORDER BY k.created_at, k.id
        ),
        ARRAY(
            SELECT ROW(a.child_objective_id, a.weight, o.visibility)
            FROM alignment AS a JOIN objective AS o ON o.id = a.child_objective_id
            WHERE r.objective_id IS NOT NULL
                AND a.parent_objective_id = reached.id AND a.state = 'accepted'
        ),
        ARRAY(
            SELECT c.person_id FROM objective_contributor AS c
            WHERE reached.asked AND c.objective_id = reached.id ORDER BY c.created_at
        ),
        ARRAY(
            SELECT ROW(s.signer_id, s.role, s.created_at) FROM objective_signature AS s
            WHERE reached.asked AND s.objective_id = reached.id ORDER BY s.created_at
        ),
        (
            SELECT ROW(
                cl.objective_id, cl.score, cl.retrospective, cl.source, cl.submitted_by,
                cl.updated_at, cl.version
            )
            FROM objective_closing AS cl WHERE reached.asked AND cl.objective_id = reached.id
        )
    FROM reached LEFT JOIN objective_roll_up AS r ON r.objective_id = reached.id
    """
).bindparams(sqlalchemy.bindparam("ids", type_=postgresql.ARRAY(sqlalchemy.Uuid)))
_CLOSING = (
    "objective_id",
    "score",
    "retrospective",
    "source",
    "submitted_by",
    "updated_at",
    "version",
)


async def objective_parts(
    session: AsyncSession, objective_ids: Collection[uuid.UUID], *, max_depth: int
) -> ObjectiveParts:
    """Everything `ObjectiveParts` holds, in one statement however many objectives and however
    deep their roll-up. A link the parent's side has not accepted counts nowhere."""
    parts = ObjectiveParts()
    connection = await session.connection()
    found = await connection.execute(_PARTS, {"ids": list(objective_ids), "max_depth": max_depth})
    for id_, asked, rolls_up, key_results, links, contributors, signatures, closing in found:
        if rolls_up:
            parts.rolling_up.add(id_)
        parts.key_results += [
            KeyResultFigures(id_, KeyResultKind(kind), start, target, current, weight)
            for kind, start, target, current, weight in key_results
        ]
        parts.links += [
            RollUpLink(id_, child, weight, Visibility(visibility))
            for child, weight, visibility in links
        ]
        if not asked:
            continue
        parts.contributors[id_] = list(contributors)
        parts.signatures[id_] = [
            {"signer_id": signer, "role": role, "signed_at": at} for signer, role, at in signatures
        ]
        if closing is not None:
            parts.closings[id_] = dict(zip(_CLOSING, closing, strict=True))
    return parts
