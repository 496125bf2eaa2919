"""The alignment rules: who links which objectives (loops and chains over `MAX_DEPTH`
refused), the roll-up switch, the alignment graph of a cycle, and what dependencies between
owners build on (`dependency_service`). Who sees and who changes an objective is the goals
service's call; each change is flushed in the caller's transaction with its event.

Roll-up serves focus and alignment, never judgement: nothing here ranks or filters people by
it (the OKR firewall)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.policies import PolicyTable, Relation
from services.goals import repository as core_repository
from services.goals import service as core
from services.goals.alignment import repository
from services.goals.alignment.events import (
    ALIGNMENT_ACCEPTED,
    ALIGNMENT_CREATED,
    ALIGNMENT_DECLINED,
    ALIGNMENT_DELETED,
    DEPENDENCY_DELETED,
    AlignmentDecidedPayload,
    AlignmentDeletedPayload,
    AlignmentPayload,
    DependencyDeletedPayload,
    DependencyPayload,
    DependencySidePayload,
)
from services.goals.alignment.models import Alignment, Dependency
from services.goals.alignment.repository import Ends, RollUpLink
from services.goals.alignment.schemas import (
    MAX_DEPTH,
    AlignmentCreate,
    AlignmentGraphRead,
    AlignmentRead,
    AlignmentsByObjectiveRead,
    AlignmentState,
    AlignmentUpdate,
    GraphEdgeRead,
    GraphKeyResultRead,
    GraphNodeRead,
    ObjectiveAlignmentsRead,
    RollUpRead,
)
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.progress import RolledUp, progress_of, rolled_up, rounded, rounded_or_none
from services.goals.repository import Sight

# Reading follows reading objectives; every change to the graph follows changing the objective
# it starts from (or, to withdraw a link or move a dependency on, the other end's too).
_READ = core.POLICY.rules["objective.read"]
_CHANGE = core.POLICY.rules["objective.update"]

POLICY = PolicyTable(
    {
        "alignment.read": _READ,
        # The child's: whoever may change an objective proposes what it supports.
        "alignment.create": _CHANGE,
        # The parent's: what counts toward an objective's progress, and how much, is the
        # call of those who may change it (accept, decline, weigh).
        "alignment.update": _CHANGE,
        # The child's, or the parent's: a parent may turn a child away.
        "alignment.delete": _CHANGE,
        "roll_up.read": _READ,
        "roll_up.update": _CHANGE,
        "dependency.read": _READ,
        # The side that depends.
        "dependency.create": _CHANGE,
        # Either side, as the state allows.
        "dependency.update": _CHANGE,
        # The side that depends.
        "dependency.delete": _CHANGE,
    }
)

_CYCLE_NOT_FOUND = "No cycle has this id."
_LINK_NOT_FOUND = "No alignment has this id."


async def objective_or_key_result(
    session: AsyncSession,
    actor: Actor,
    objective_id: uuid.UUID | None,
    key_result_id: uuid.UUID | None,
    *,
    code: str,
    fields: tuple[str, str],
) -> tuple[Objective, KeyResult | None, set[Relation]]:
    """The objective a body names, directly or by one of its key results, if the actor may
    read it, and the actor's relations to it; otherwise 404, the same for an unknown id and
    one they may not see."""
    try:
        if key_result_id is not None:
            key_result, objective, relations = await core.visible_key_result(
                session, actor, key_result_id
            )
            return objective, key_result, relations
        if objective_id is not None:
            objective, relations = await core.visible_objective(session, actor, objective_id)
            return objective, None, relations
    except NotFound:
        pass
    named, field = ("key result", fields[1]) if key_result_id else ("objective", fields[0])
    raise NotFound(f"No {named} has this id.", code=code, field=field)


async def require_cycle(session: AsyncSession, cycle_id: uuid.UUID) -> None:
    if await core_repository.get(session, Cycle, cycle_id) is None:
        raise NotFound(_CYCLE_NOT_FOUND, code="cycle_not_found")


def refuse_other_cycle(objective: Objective, other: Objective, field: str) -> None:
    if objective.cycle_id != other.cycle_id:
        raise Conflict(
            "Both objectives must be in the same cycle.", code="cycle_mismatch", field=field
        )


# --- Roll-up ---------------------------------------------------------------------------------


async def _roll_up_read(session: AsyncSession, objective_id: uuid.UUID) -> RollUpRead:
    computed = await rolled_up(session, [objective_id])
    return RollUpRead(
        objective_id=objective_id,
        enabled=objective_id in computed.rolling_up,
        own_progress=rounded_or_none(computed.own(objective_id)),
        progress=rounded_or_none(computed.served(objective_id)),
    )


async def get_roll_up(session: AsyncSession, actor: Actor, objective_id: uuid.UUID) -> RollUpRead:
    objective, _ = await core.visible_objective(session, actor, objective_id)
    return await _roll_up_read(session, objective.id)


async def set_roll_up(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, *, enabled: bool
) -> RollUpRead:
    """Opt the objective in to roll-up, or out of it; doing it twice changes nothing."""
    person = core.person_of(actor)
    objective, relations = await core.visible_objective(session, actor, objective_id)
    POLICY.authorize(actor, "roll_up.update", relations)
    await core.open_cycle_of(session, objective)
    if enabled:
        await repository.enable_roll_up(session, objective.id, person)
    else:
        await repository.disable_roll_up(session, objective.id)
    return await _roll_up_read(session, objective.id)


# --- Links -----------------------------------------------------------------------------------


def _alignment_payload(row: Alignment, child: Objective, parent: Objective) -> AlignmentPayload:
    return AlignmentPayload(
        id=row.id,
        cycle_id=child.cycle_id,
        child=side_payload(child, None),
        parent=side_payload(parent, row.parent_key_result_id),
        state=row.state,
        created_by=row.created_by,
    )


@dataclass
class _Link:
    """A link the actor may see, its two ends and the actor's relations to each."""

    row: Alignment
    child: Objective
    child_relations: set[Relation]
    parent: Objective
    parent_relations: set[Relation]


async def _link(
    session: AsyncSession, actor: Actor, alignment_id: uuid.UUID, *, lock: bool = False
) -> _Link:
    row = await core_repository.get(session, Alignment, alignment_id, lock=lock)
    if row is None:
        raise NotFound(_LINK_NOT_FOUND, code="alignment_not_found")
    try:
        child, child_relations = await core.visible_objective(
            session, actor, row.child_objective_id
        )
        parent, parent_relations = await core.visible_objective(
            session, actor, row.parent_objective_id
        )
    except NotFound:
        raise NotFound(_LINK_NOT_FOUND, code="alignment_not_found") from None
    return _Link(row, child, child_relations, parent, parent_relations)


async def _refuse_loop_or_overlong_chain(
    session: AsyncSession, child: Objective, parent: Objective, field: str
) -> None:
    """A link may close no loop (the parent supporting the child, however indirectly), and
    make no chain longer than `MAX_DEPTH` links."""
    if child.id == parent.id:
        raise Conflict(
            "An objective cannot support itself, nor one of its own key results.",
            code="alignment_cycle",
            field=field,
        )
    above = await repository.reach(session, parent.id, upwards=True, max_depth=MAX_DEPTH)
    if child.id in above:
        raise Conflict(
            "This link would close a loop: the parent already supports this objective, "
            "directly or through other objectives.",
            code="alignment_cycle",
            field=field,
        )
    below = await repository.reach(session, child.id, upwards=False, max_depth=MAX_DEPTH)
    if max(above.values()) + 1 + max(below.values()) > MAX_DEPTH:
        raise Conflict(
            f"A chain of alignments is at most {MAX_DEPTH} links long; this one would make "
            "a longer one.",
            code="alignment_too_deep",
            field=field,
        )


async def create_alignment(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, data: AlignmentCreate
) -> AlignmentRead:
    """Say that the objective supports a parent objective or key result."""
    creator = core.person_of(actor)
    child, relations = await core.visible_objective(session, actor, objective_id)
    POLICY.authorize(actor, "alignment.create", relations)
    fields = ("body.parent_objective_id", "body.parent_key_result_id")
    parent, key_result, parent_relations = await objective_or_key_result(
        session,
        actor,
        data.parent_objective_id,
        data.parent_key_result_id,
        code="parent_not_found",
        fields=fields,
    )
    field = fields[0] if key_result is None else fields[1]
    # Made by the parent's side too, the link is decided at once; otherwise it is a proposal,
    # and what it weighs is the parent's side's call alone.
    parent_side = POLICY.permits(actor, "alignment.update", parent_relations)
    if not parent_side and "weight" in data.model_fields_set:
        raise Forbidden(
            "The parent's side sets a link's weight when it accepts the link; propose the link "
            "without one.",
            code="weight_set_by_parent",
            field="body.weight",
        )
    refuse_other_cycle(child, parent, field)
    await core.open_cycle_of(session, child)
    await repository.lock_links_of_cycle(session, child.cycle_id)
    if await repository.link(session, child.id, parent.id) is not None:
        raise Conflict(
            "This objective already supports that objective (or one of its key results); "
            "change or remove that link instead.",
            code="already_aligned",
            field=field,
        )
    await _refuse_loop_or_overlong_chain(session, child, parent, field)
    row = Alignment(
        child_objective_id=child.id,
        parent_objective_id=parent.id,
        parent_key_result_id=None if key_result is None else key_result.id,
        weight=data.weight,
        state=AlignmentState.ACCEPTED if parent_side else AlignmentState.PENDING,
        created_by=creator,
        decided_by=creator if parent_side else None,
        decided_at=utcnow() if parent_side else None,
    )
    await core_repository.save(session, row)
    await record_event(session, ALIGNMENT_CREATED, _alignment_payload(row, child, parent))
    return AlignmentRead.model_validate(row)


async def get_alignment(
    session: AsyncSession, actor: Actor, alignment_id: uuid.UUID
) -> AlignmentRead:
    """One link, if the actor may read both of its ends."""
    return AlignmentRead.model_validate((await _link(session, actor, alignment_id)).row)


async def update_alignment(
    session: AsyncSession,
    actor: Actor,
    alignment_id: uuid.UUID,
    data: AlignmentUpdate,
    if_match: str | None,
) -> AlignmentRead:
    """Accept or decline a link, or change its weight: the parent's side (those who may
    change the parent objective)."""
    person = core.person_of(actor)
    link = await _link(session, actor, alignment_id, lock=True)
    if not POLICY.permits(actor, "alignment.update", link.parent_relations):
        raise Forbidden(
            "Only the parent's side accepts, declines or weighs a link to it.",
            code="parent_side_only",
        )
    check_if_match(if_match, link.row.version)
    changes = core.changes_of(link.row, data.model_dump(exclude_unset=True))
    if not changes:
        return AlignmentRead.model_validate(link.row)
    await core.open_cycle_of(session, link.child)
    if "state" in changes:
        changes |= {"decided_by": person, "decided_at": utcnow()}
    core.apply_changes(link.row, changes)
    await core_repository.save(session, link.row)
    if "state" in changes:
        accepted = link.row.state == AlignmentState.ACCEPTED
        await record_event(
            session,
            ALIGNMENT_ACCEPTED if accepted else ALIGNMENT_DECLINED,
            AlignmentDecidedPayload(
                **_alignment_payload(link.row, link.child, link.parent).model_dump(),
                decided_by=person,
            ),
        )
    return AlignmentRead.model_validate(link.row)


async def delete_alignment(session: AsyncSession, actor: Actor, alignment_id: uuid.UUID) -> None:
    """Withdraw a link: those who may change the child, or the parent."""
    person = core.person_of(actor)
    link = await _link(session, actor, alignment_id, lock=True)
    if not (
        POLICY.permits(actor, "alignment.delete", link.child_relations)
        or POLICY.permits(actor, "alignment.delete", link.parent_relations)
    ):
        raise Forbidden("You are not allowed to perform `alignment.delete` here.")
    await core.open_cycle_of(session, link.child)
    await _delete_link(session, link.row, link.child, link.parent, person)


async def _delete_link(
    session: AsyncSession, row: Alignment, child: Objective, parent: Objective, by: uuid.UUID
) -> None:
    payload = _alignment_payload(row, child, parent).model_dump()
    await core_repository.delete(session, row)
    deleted = AlignmentDeletedPayload(**payload, deleted_by=by)
    await record_event(session, ALIGNMENT_DELETED, deleted)


async def list_links(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, of: Ends, params: PageParams
) -> Page[AlignmentRead]:
    """The objective's `parents` or `children` whose other end the actor may read."""
    await core.visible_objective(session, actor, objective_id)
    sight = core.sight_of(actor)
    rows, cursor = await repository.list_links(session, sight, objective_id, of, params)
    return Page(items=[AlignmentRead.model_validate(row) for row in rows], next_cursor=cursor)


async def links_by_objective(
    session: AsyncSession,
    actor: Actor,
    objective_ids: Sequence[uuid.UUID],
    of: Ends,
    per_objective: int,
) -> AlignmentsByObjectiveRead:
    """The first `per_objective` parents (or children) of each objective asked."""
    objective_ids = core.distinct(objective_ids)
    batches = await repository.links_by_objective(
        session, core.sight_of(actor), objective_ids, of, per_objective
    )
    return AlignmentsByObjectiveRead(
        groups=[
            ObjectiveAlignmentsRead(
                objective_id=objective_id,
                items=[AlignmentRead.model_validate(row) for row in batches[objective_id].rows],
                has_more=batches[objective_id].has_more,
                next_cursor=batches[objective_id].next_cursor,
            )
            for objective_id in objective_ids
        ]
    )


async def withdraw_what_names(
    session: AsyncSession, key_result: KeyResult, objective: Objective, by: uuid.UUID
) -> None:
    """Before a key result goes: the links to it and the dependencies on it are withdrawn,
    each announced as any withdrawal (`alignment.deleted`, `dependency.deleted`), so that
    nothing is left pointing to it. Withdrawn rather than refused: some may come from private
    objectives that whoever removes the key result may not see, nor so withdraw themselves.
    The caller holds the key result's row: a link or dependency being made to it meanwhile
    waits for it, then finds it gone (its foreign key refuses it)."""
    links, dependencies = await repository.naming_key_result(session, key_result.id)
    if not links and not dependencies:
        return
    others = {row.child_objective_id for row in links} | {row.objective_id for row in dependencies}
    objectives = {
        other.id: other
        for other in await core_repository.objectives_by_ids(
            session, Sight(everything=True), others
        )
    }
    for link in links:
        await _delete_link(session, link, objectives[link.child_objective_id], objective, by)
    for dependency in dependencies:
        payload = dependency_payload(dependency, objectives[dependency.objective_id], objective)
        await core_repository.delete(session, dependency)
        await record_event(
            session,
            DEPENDENCY_DELETED,
            DependencyDeletedPayload(**payload.model_dump(), deleted_by=by),
        )


# --- The graph of a cycle --------------------------------------------------------------------


async def cycle_alignment(
    session: AsyncSession, actor: Actor, cycle_id: uuid.UUID
) -> AlignmentGraphRead:
    """The objectives of the cycle the actor may read and the links between them, with their
    progress as served; a constant number of statements, however large the graph."""
    await require_cycle(session, cycle_id)
    graph = await repository.cycle_graph(
        session, core.sight_of(actor), cycle_id, max_depth=MAX_DEPTH
    )
    objectives = {objective.id: objective for objective, _, _ in graph.nodes}
    computed = RolledUp(
        graph.key_results,
        [
            RollUpLink(
                parent_id=link.parent_objective_id,
                child_id=link.child_objective_id,
                weight=link.weight,
                child_visibility=objectives[link.child_objective_id].visibility,
            )
            for link in graph.links
            if link.state == AlignmentState.ACCEPTED
        ],
        {objective.id for objective, _, rolls_up in graph.nodes if rolls_up},
    )
    key_results: dict[uuid.UUID, list[GraphKeyResultRead]] = defaultdict(list)
    for key_result in graph.key_results:
        key_results[key_result.objective_id].append(
            GraphKeyResultRead(
                id=key_result.id,
                title=key_result.title,
                weight=key_result.weight,
                progress=rounded(progress_of(key_result)),
            )
        )
    return AlignmentGraphRead(
        cycle_id=cycle_id,
        nodes=[
            GraphNodeRead(
                **objective.model_dump(include=set(GraphNodeRead.model_fields)),
                level=level,
                rolls_up=rolls_up,
                own_progress=rounded_or_none(computed.own(objective.id)),
                progress=rounded_or_none(computed.served(objective.id)),
                key_results=key_results[objective.id],
            )
            for objective, level, rolls_up in graph.nodes
        ],
        edges=[GraphEdgeRead.model_validate(link, from_attributes=True) for link in graph.links],
    )


# --- Event payloads --------------------------------------------------------------------------


def side_payload(objective: Objective, key_result_id: uuid.UUID | None) -> DependencySidePayload:
    return DependencySidePayload(
        objective_id=objective.id,
        key_result_id=key_result_id,
        owner_kind=objective.owner_kind,
        owner_person_id=objective.owner_person_id,
        owner_team_id=objective.owner_team_id,
        visibility=objective.visibility,
    )


def dependency_payload(row: Dependency, objective: Objective, on: Objective) -> DependencyPayload:
    return DependencyPayload(
        id=row.id,
        cycle_id=row.cycle_id,
        objective=side_payload(objective, None),
        on=side_payload(on, row.on_key_result_id),
        state=row.state,
        created_by=row.created_by,
    )
