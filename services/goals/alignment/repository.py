"""Every SQL statement of the alignment graph. The walks through it are recursive queries in
the database; who sees what comes in as the goals service's `Sight`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Uuid, exists, func, literal
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.pagination import PageParams, paginate
from services.goals.alignment.models import Alignment, Dependency, RollUp
from services.goals.alignment.schemas import DependencyState
from services.goals.models import KeyResult, Objective
from services.goals.repository import Batch, Sight, first_per_parent, visible

# Links as roll-up reads them; the core reads them with what objectives are read with.
from services.goals.repository import RollUpLink as RollUpLink

# With a cycle's id, the advisory lock under which links of that cycle are checked and made.
_LINKS_LOCK = 0x1A5E_0A11


def _visible_ids(sight: Sight) -> Any:
    return select(col(Objective.id)).where(visible(sight))


# --- Links -----------------------------------------------------------------------------------


async def lock_links_of_cycle(session: AsyncSession, cycle_id: uuid.UUID) -> None:
    """Until the transaction ends, no one else checks or makes links in this cycle: two links
    made at once cannot close a loop that neither would alone."""
    await session.exec(
        select(func.pg_advisory_xact_lock(_LINKS_LOCK, func.hashtext(str(cycle_id))))
    )


async def link(
    session: AsyncSession, child_id: uuid.UUID, parent_id: uuid.UUID
) -> Alignment | None:
    statement = select(Alignment).where(
        col(Alignment.child_objective_id) == child_id,
        col(Alignment.parent_objective_id) == parent_id,
    )
    return (await session.exec(statement)).first()


async def reach(
    session: AsyncSession, objective_id: uuid.UUID, *, upwards: bool, max_depth: int
) -> dict[uuid.UUID, int]:
    """Every objective `objective_id` supports, however indirectly (`upwards`), or every one
    supporting it (downwards); each with the length of the longest chain to it, itself at 0.
    Chains are followed one link beyond `max_depth`, to notice a longer one."""
    here, there = (
        (col(Alignment.child_objective_id), col(Alignment.parent_objective_id))
        if upwards
        else (col(Alignment.parent_objective_id), col(Alignment.child_objective_id))
    )
    walk = select(literal(objective_id, type_=Uuid).label("id"), literal(0).label("depth")).cte(
        "walk", recursive=True
    )
    walk = walk.union(
        select(there, walk.c.depth + 1)
        .join(walk, here == walk.c.id)
        .where(walk.c.depth <= max_depth)
    )
    rows = await session.exec(select(walk.c.id, func.max(walk.c.depth)).group_by(walk.c.id))
    return dict(rows.all())


def _links_among(objective_ids: Any) -> SelectOfScalar[Alignment]:
    """Links whose two ends are among `objective_ids` (a query of them)."""
    return select(Alignment).where(
        col(Alignment.child_objective_id).in_(objective_ids),
        col(Alignment.parent_objective_id).in_(objective_ids),
    )


def _links(sight: Sight) -> SelectOfScalar[Alignment]:
    """Links whose two ends the sight takes in."""
    return _links_among(_visible_ids(sight))


# An objective's `parents` are the links it makes; its `children`, the links made to it.
Ends = Literal["parents", "children"]
_END: dict[Ends, str] = {"parents": "child_objective_id", "children": "parent_objective_id"}


async def list_links(
    session: AsyncSession, sight: Sight, objective_id: uuid.UUID, of: Ends, params: PageParams
) -> tuple[Sequence[Alignment], str | None]:
    statement = _links(sight).where(col(getattr(Alignment, _END[of])) == objective_id)
    return await paginate(session, statement, Alignment, params)


async def links_by_objective(
    session: AsyncSession,
    sight: Sight,
    objective_ids: Sequence[uuid.UUID],
    of: Ends,
    per_objective: int,
) -> dict[uuid.UUID, Batch]:
    # Any table with `created_at` and `id` does; the core's type names only its own.
    return await first_per_parent(  # type: ignore[type-var]
        session, _links(sight), Alignment, _END[of], objective_ids, per_objective
    )


async def naming_key_result(
    session: AsyncSession, key_result_id: uuid.UUID
) -> tuple[Sequence[Alignment], Sequence[Dependency]]:
    """The links to a key result and the dependencies on it, each row locked."""
    links = await session.exec(
        select(Alignment)
        .where(col(Alignment.parent_key_result_id) == key_result_id)
        .order_by(col(Alignment.created_at), col(Alignment.id))
        .with_for_update()
    )
    dependencies = await session.exec(
        select(Dependency)
        .where(col(Dependency.on_key_result_id) == key_result_id)
        .order_by(col(Dependency.created_at), col(Dependency.id))
        .with_for_update()
    )
    return links.all(), dependencies.all()


# --- Roll-up ---------------------------------------------------------------------------------


async def roll_up(session: AsyncSession, objective_id: uuid.UUID) -> RollUp | None:
    return await session.get(RollUp, objective_id)


async def enable_roll_up(
    session: AsyncSession, objective_id: uuid.UUID, enabled_by: uuid.UUID
) -> None:
    await session.exec(
        insert(RollUp)
        .values(objective_id=objective_id, enabled_by=enabled_by)
        .on_conflict_do_nothing()
    )


async def disable_roll_up(session: AsyncSession, objective_id: uuid.UUID) -> None:
    await session.exec(delete(RollUp).where(col(RollUp.objective_id) == objective_id))


# --- The graph of a cycle --------------------------------------------------------------------


@dataclass
class CycleGraph:
    """The objectives of a cycle a sight takes in, each with its level and whether it rolls
    up; the links between them and their key results, oldest first."""

    nodes: list[tuple[Objective, int, bool]]
    links: Sequence[Alignment]
    key_results: Sequence[KeyResult]


async def cycle_graph(
    session: AsyncSession, sight: Sight, cycle_id: uuid.UUID, *, max_depth: int
) -> CycleGraph:
    """Three statements, however large the graph: the levels come from a recursive walk down
    from the objectives that support none (of those seen)."""
    # One query of the objectives seen, so that its parts are written once per statement.
    seen = _visible_ids(sight).where(col(Objective.cycle_id) == cycle_id)
    links = _links_among(seen)
    edges = links.with_only_columns(
        col(Alignment.child_objective_id).label("child"),
        col(Alignment.parent_objective_id).label("parent"),
    ).cte("edges")
    tops = seen.where(~exists().where(edges.c.child == col(Objective.id)))
    levels = tops.add_columns(literal(0).label("depth")).cte("levels", recursive=True)
    levels = levels.union(
        select(edges.c.child, levels.c.depth + 1)
        .join(levels, edges.c.parent == levels.c.id)
        .where(levels.c.depth < max_depth)
    )
    level = func.max(levels.c.depth)
    rows = await session.exec(
        select(Objective, level, col(RollUp.objective_id).is_not(None))
        .join(levels, levels.c.id == col(Objective.id))
        .outerjoin(RollUp, col(RollUp.objective_id) == col(Objective.id))
        .group_by(col(Objective.id), col(RollUp.objective_id))
        .order_by(level, col(Objective.created_at), col(Objective.id))
    )
    nodes = [(objective, depth, rolls_up) for objective, depth, rolls_up in rows.all()]
    ordered = (col(Alignment.created_at), col(Alignment.id))
    found_links = (await session.exec(links.order_by(*ordered))).all()
    key_results = (
        await session.exec(
            select(KeyResult)
            .where(col(KeyResult.objective_id).in_(seen))
            .order_by(col(KeyResult.created_at), col(KeyResult.id))
        )
    ).all()
    return CycleGraph(nodes=nodes, links=found_links, key_results=key_results)


# --- Dependencies ----------------------------------------------------------------------------


async def dependency_on(
    session: AsyncSession,
    objective_id: uuid.UUID,
    on_objective_id: uuid.UUID,
    on_key_result_id: uuid.UUID | None,
) -> Dependency | None:
    statement = select(Dependency).where(
        col(Dependency.objective_id) == objective_id,
        col(Dependency.on_objective_id) == on_objective_id,
        col(Dependency.on_key_result_id).is_not_distinct_from(on_key_result_id),
    )
    return (await session.exec(statement)).first()


def _dependencies(sight: Sight) -> SelectOfScalar[Dependency]:
    """Dependencies whose two sides the sight takes in."""
    seen = _visible_ids(sight)
    return select(Dependency).where(
        col(Dependency.objective_id).in_(seen),
        col(Dependency.on_objective_id).in_(seen),
    )


async def list_dependencies_of(
    session: AsyncSession, sight: Sight, objective_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Dependency], str | None]:
    """The objective's dependencies, on either side."""
    statement = _dependencies(sight).where(
        (col(Dependency.objective_id) == objective_id)
        | (col(Dependency.on_objective_id) == objective_id)
    )
    return await paginate(session, statement, Dependency, params)


async def list_cycle_dependencies(
    session: AsyncSession,
    sight: Sight,
    cycle_id: uuid.UUID,
    params: PageParams,
    *,
    state: DependencyState | None = None,
) -> tuple[Sequence[Dependency], str | None]:
    statement = _dependencies(sight).where(col(Dependency.cycle_id) == cycle_id)
    if state is not None:
        statement = statement.where(col(Dependency.state) == state)
    return await paginate(session, statement, Dependency, params)
