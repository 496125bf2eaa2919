"""Dependencies between owners: one objective needs another owner's objective or key result,
and the two sides move it on (`open` → `agreed` → `resolved`). Built on the alignment rules
(who sees and changes either side, the same cycle); each change is flushed in the caller's
transaction with its event."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound
from kit.etag import check_if_match
from kit.events import record_event
from kit.pagination import Page, PageParams
from kit.policies import Relation
from services.goals import repository as core_repository
from services.goals import service as core
from services.goals.alignment import repository
from services.goals.alignment import service as alignment
from services.goals.alignment.events import (
    DEPENDENCY_CREATED,
    DEPENDENCY_DELETED,
    DEPENDENCY_UPDATED,
    DependencyDeletedPayload,
    DependencyUpdatedPayload,
)
from services.goals.alignment.models import Dependency
from services.goals.alignment.schemas import (
    DependencyCreate,
    DependencyQuery,
    DependencyRead,
    DependencySideRead,
    DependencyState,
    DependencyUpdate,
)
from services.goals.models import Objective
from services.goals.repository import Sight

_DEPENDENCY_NOT_FOUND = "No dependency has this id."


def _owner(objective: Objective) -> tuple[Any, ...]:
    return (objective.owner_kind, objective.owner_person_id, objective.owner_team_id)


async def _present_dependencies(
    session: AsyncSession, rows: Sequence[Dependency]
) -> list[DependencyRead]:
    """Dependencies with both their sides; at most two statements for any number of them."""
    everything = Sight(everything=True)
    objective_ids = {id_ for row in rows for id_ in (row.objective_id, row.on_objective_id)}
    objectives = {
        objective.id: objective
        for objective in await core_repository.objectives_by_ids(session, everything, objective_ids)
    }
    key_result_ids = {row.on_key_result_id for row in rows if row.on_key_result_id is not None}
    key_results = {
        key_result.id: key_result
        for key_result in (
            await core_repository.key_results_by_ids(session, everything, key_result_ids)
            if key_result_ids
            else []
        )
    }

    def side(objective_id: uuid.UUID, key_result_id: uuid.UUID | None) -> DependencySideRead:
        objective = objectives[objective_id]
        key_result = None if key_result_id is None else key_results[key_result_id]
        return DependencySideRead(
            objective_id=objective.id,
            objective_title=objective.title,
            owner_kind=objective.owner_kind,
            owner_person_id=objective.owner_person_id,
            owner_team_id=objective.owner_team_id,
            key_result_id=key_result_id,
            key_result_title=None if key_result is None else key_result.title,
        )

    return [
        DependencyRead(
            id=row.id,
            cycle_id=row.cycle_id,
            objective=side(row.objective_id, None),
            on=side(row.on_objective_id, row.on_key_result_id),
            note=row.note,
            state=row.state,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
        )
        for row in rows
    ]


async def _present_dependency(session: AsyncSession, row: Dependency) -> DependencyRead:
    (read,) = await _present_dependencies(session, [row])
    return read


@dataclass
class _Dependency:
    """A dependency the actor may see, its two sides and the actor's relations to each."""

    row: Dependency
    objective: Objective
    objective_relations: set[Relation]
    on: Objective
    on_relations: set[Relation]


async def _dependency(
    session: AsyncSession, actor: Actor, dependency_id: uuid.UUID, *, lock: bool = False
) -> _Dependency:
    row = await core_repository.get(session, Dependency, dependency_id, lock=lock)
    if row is None:
        raise NotFound(_DEPENDENCY_NOT_FOUND, code="dependency_not_found")
    try:
        objective, objective_relations = await core.visible_objective(
            session, actor, row.objective_id
        )
        on, on_relations = await core.visible_objective(session, actor, row.on_objective_id)
    except NotFound:
        raise NotFound(_DEPENDENCY_NOT_FOUND, code="dependency_not_found") from None
    return _Dependency(row, objective, objective_relations, on, on_relations)


async def create_dependency(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, data: DependencyCreate
) -> DependencyRead:
    """Declare that the objective depends on another owner's objective or key result."""
    creator = core.person_of(actor)
    objective, relations = await core.visible_objective(session, actor, objective_id)
    alignment.POLICY.authorize(actor, "dependency.create", relations)
    fields = ("body.on_objective_id", "body.on_key_result_id")
    on, key_result, _ = await alignment.objective_or_key_result(
        session,
        actor,
        data.on_objective_id,
        data.on_key_result_id,
        code="target_not_found",
        fields=fields,
    )
    field = fields[0] if key_result is None else fields[1]
    if _owner(on) == _owner(objective):
        raise Conflict(
            "A dependency is on another owner's objective or key result; this one has the "
            "same owner.",
            code="same_owner",
            field=field,
        )
    alignment.refuse_other_cycle(objective, on, field)
    await core.open_cycle_of(session, objective)
    on_key_result_id = None if key_result is None else key_result.id
    if await repository.dependency_on(session, objective.id, on.id, on_key_result_id):
        raise Conflict(
            "This objective already depends on that; change the existing dependency instead.",
            code="already_depends",
            field=field,
        )
    row = Dependency(
        cycle_id=objective.cycle_id,
        objective_id=objective.id,
        on_objective_id=on.id,
        on_key_result_id=on_key_result_id,
        note=data.note,
        created_by=creator,
    )
    await core_repository.save(session, row)
    await record_event(
        session, DEPENDENCY_CREATED, alignment.dependency_payload(row, objective, on)
    )
    return await _present_dependency(session, row)


async def get_dependency(
    session: AsyncSession, actor: Actor, dependency_id: uuid.UUID
) -> DependencyRead:
    """One dependency, if the actor may read both of its sides."""
    found = await _dependency(session, actor, dependency_id)
    return await _present_dependency(session, found.row)


# Who may move a dependency from one state to another: the side depended on (`on`), or either.
_TRANSITIONS = {
    (DependencyState.OPEN, DependencyState.AGREED): "on",
    (DependencyState.OPEN, DependencyState.RESOLVED): "either",
    (DependencyState.AGREED, DependencyState.RESOLVED): "either",
    (DependencyState.AGREED, DependencyState.OPEN): "either",
    (DependencyState.RESOLVED, DependencyState.OPEN): "either",
}


def _check_transition(current: DependencyState, new: DependencyState, *, on_side: bool) -> None:
    who = _TRANSITIONS.get((current, new))
    if who is None:
        raise Conflict(
            f"A dependency cannot go from `{current}` to `{new}`.",
            code="invalid_transition",
            field="body.state",
        )
    if who == "on" and not on_side:
        raise Forbidden("Only the side depended on agrees to a dependency.")


async def update_dependency(
    session: AsyncSession,
    actor: Actor,
    dependency_id: uuid.UUID,
    data: DependencyUpdate,
    if_match: str | None,
) -> DependencyRead:
    """Move a dependency on (`state`) or reword it (`note`)."""
    person = core.person_of(actor)
    found = await _dependency(session, actor, dependency_id, lock=True)
    row = found.row
    dependent_side = alignment.POLICY.permits(actor, "dependency.update", found.objective_relations)
    on_side = alignment.POLICY.permits(actor, "dependency.update", found.on_relations)
    if not (dependent_side or on_side):
        raise Forbidden("You are not allowed to perform `dependency.update` here.")
    check_if_match(if_match, row.version)
    changes = core.changes_of(row, data.model_dump(exclude_unset=True))
    if "note" in changes and not dependent_side:
        raise Forbidden("Only the side that depends changes the note.")
    if "state" in changes:
        _check_transition(row.state, changes["state"], on_side=on_side)
    if not changes:
        return await _present_dependency(session, row)
    await core.open_cycle_of(session, found.objective)
    core.apply_changes(row, changes)
    await core_repository.save(session, row)
    await record_event(
        session,
        DEPENDENCY_UPDATED,
        DependencyUpdatedPayload(
            **alignment.dependency_payload(row, found.objective, found.on).model_dump(),
            changed=sorted(changes),
            changed_by=person,
        ),
    )
    return await _present_dependency(session, row)


async def delete_dependency(session: AsyncSession, actor: Actor, dependency_id: uuid.UUID) -> None:
    """Withdraw a dependency: the side that depends."""
    person = core.person_of(actor)
    found = await _dependency(session, actor, dependency_id, lock=True)
    alignment.POLICY.authorize(actor, "dependency.delete", found.objective_relations)
    await core.open_cycle_of(session, found.objective)
    payload = alignment.dependency_payload(found.row, found.objective, found.on).model_dump()
    await core_repository.delete(session, found.row)
    await record_event(
        session, DEPENDENCY_DELETED, DependencyDeletedPayload(**payload, deleted_by=person)
    )


async def dependencies_of(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, params: PageParams
) -> Page[DependencyRead]:
    """The objective's dependencies, on either side, whose other side the actor may read."""
    await core.visible_objective(session, actor, objective_id)
    rows, cursor = await repository.list_dependencies_of(
        session, core.sight_of(actor), objective_id, params
    )
    return Page(items=await _present_dependencies(session, rows), next_cursor=cursor)


async def cycle_dependencies(
    session: AsyncSession, actor: Actor, cycle_id: uuid.UUID, query: DependencyQuery
) -> Page[DependencyRead]:
    """Every dependency of the cycle whose two sides the actor may read: the alignment
    event's view, where teams agree on what they need from each other."""
    await alignment.require_cycle(session, cycle_id)
    rows, cursor = await repository.list_cycle_dependencies(
        session, core.sight_of(actor), cycle_id, query.page(), state=query.state
    )
    return Page(items=await _present_dependencies(session, rows), next_cursor=cursor)
