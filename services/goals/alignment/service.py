"""The alignment rules: who links which objectives (loops and overlong chains refused), how
progress rolls up through the links, the alignment graph of a cycle, and dependencies between
owners with their states. Who sees and who changes an objective is the goals service's call;
each change is flushed in the caller's transaction with its event.

Roll-up serves focus and alignment, never judgement: nothing here ranks or filters people by
it (the OKR firewall)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.policies import PolicyTable, Relation
from kit.repository import apply_patch, changed
from services.goals import repository as core_repository
from services.goals import service as core
from services.goals.alignment import repository
from services.goals.alignment.events import (
    ALIGNMENT_ACCEPTED,
    ALIGNMENT_CREATED,
    ALIGNMENT_DECLINED,
    ALIGNMENT_DELETED,
    DEPENDENCY_CREATED,
    DEPENDENCY_DELETED,
    DEPENDENCY_UPDATED,
    AlignmentDecidedPayload,
    AlignmentDeletedPayload,
    AlignmentPayload,
    DependencyDeletedPayload,
    DependencyPayload,
    DependencySidePayload,
    DependencyUpdatedPayload,
)
from services.goals.alignment.models import Alignment, Dependency
from services.goals.alignment.repository import MAX_DEPTH, Ends, RollUpLink
from services.goals.alignment.schemas import (
    AlignmentCreate,
    AlignmentGraph,
    AlignmentRead,
    AlignmentsByObjective,
    AlignmentState,
    AlignmentUpdate,
    DependencyCreate,
    DependencyQuery,
    DependencyRead,
    DependencySide,
    DependencyState,
    DependencyUpdate,
    GraphEdge,
    GraphKeyResult,
    GraphNode,
    ObjectiveAlignments,
    RollUpRead,
)
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.repository import Sight
from services.goals.schemas import Visibility
from services.goals.service import _shown

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
_DEPENDENCY_NOT_FOUND = "No dependency has this id."


async def _objective_or_key_result(
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


async def _cycle(session: AsyncSession, cycle_id: uuid.UUID) -> None:
    if await core_repository.get(session, Cycle, cycle_id) is None:
        raise NotFound(_CYCLE_NOT_FOUND, code="cycle_not_found")


def _refuse_other_cycle(objective: Objective, other: Objective, field: str) -> None:
    if objective.cycle_id != other.cycle_id:
        raise Conflict(
            "Both objectives must be in the same cycle.", code="cycle_mismatch", field=field
        )


# --- Progress, rolled up ---------------------------------------------------------------------


def _key_result_progress(key_result: KeyResult) -> float:
    return core.key_result_progress(
        key_result.kind, key_result.start, key_result.target, key_result.current
    )


class _Progress:
    """The progress of objectives, each computed once: their own (from their key results, as
    the goals core computes it) and as served (for one that rolls up, also from the children
    counted in it). Only public children count, so that a roll-up never reveals a private
    objective to its readers."""

    def __init__(
        self,
        key_results: Iterable[KeyResult],
        links: Iterable[RollUpLink],
        rolling_up: set[uuid.UUID],
    ) -> None:
        # `(progress, weight)` of what each objective is made of.
        self.parts: dict[uuid.UUID, list[tuple[float, float]]] = defaultdict(list)
        for key_result in key_results:
            self.parts[key_result.objective_id].append(
                (_key_result_progress(key_result), key_result.weight)
            )
        self.children: dict[uuid.UUID, list[tuple[uuid.UUID, float]]] = defaultdict(list)
        for link in links:
            if link.child_visibility == Visibility.PUBLIC:
                self.children[link.parent_id].append((link.child_id, link.weight))
        self.rolling_up = rolling_up
        self._served: dict[uuid.UUID, float | None] = {}

    def own(self, objective_id: uuid.UUID) -> float | None:
        return core.objective_progress(self.parts.get(objective_id, ()))

    def served(self, objective_id: uuid.UUID, depth: int = 0) -> float | None:
        if objective_id in self._served:
            return self._served[objective_id]
        parts = list(self.parts.get(objective_id, ()))
        # Links never make loops nor chains beyond `MAX_DEPTH`; the bound only keeps a
        # damaged graph from recursing for ever.
        if objective_id in self.rolling_up and depth < MAX_DEPTH:
            for child_id, weight in self.children.get(objective_id, ()):
                value = self.served(child_id, depth + 1)
                if value is not None:
                    parts.append((value, weight))
        self._served[objective_id] = value = core.objective_progress(parts)
        return value


def _shown_or_none(value: float | None) -> float | None:
    return None if value is None else _shown(value)


async def rolled_up_progress(
    session: AsyncSession, objective_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, float | None]:
    """Each objective's progress, unrounded: for one whose owner opted in to roll-up, the
    weighted mean of its key results and of the public children aligned to it (or to its key
    results), each child counting with its own progress as served; for the others, that of
    their key results (None without any). At most three statements for any number of
    objectives."""
    sources = await repository.roll_up_sources(session, objective_ids)
    computed = _Progress(sources.key_results, sources.links, sources.rolling_up)
    return {id_: computed.served(id_) for id_ in objective_ids}


async def _roll_up_read(session: AsyncSession, objective_id: uuid.UUID) -> RollUpRead:
    sources = await repository.roll_up_sources(session, [objective_id])
    computed = _Progress(sources.key_results, sources.links, sources.rolling_up)
    return RollUpRead(
        objective_id=objective_id,
        enabled=objective_id in sources.rolling_up,
        own_progress=_shown_or_none(computed.own(objective_id)),
        progress=_shown_or_none(computed.served(objective_id)),
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
        child=_side_payload(child, None),
        parent=_side_payload(parent, row.parent_key_result_id),
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
    above = await repository.reach(session, parent.id, upwards=True)
    if child.id in above:
        raise Conflict(
            "This link would close a loop: the parent already supports this objective, "
            "directly or through other objectives.",
            code="alignment_cycle",
            field=field,
        )
    below = await repository.reach(session, child.id, upwards=False)
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
    parent, key_result, parent_relations = await _objective_or_key_result(
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
    _refuse_other_cycle(child, parent, field)
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
    changes = changed(link.row, data.model_dump(exclude_unset=True))
    if not changes:
        return AlignmentRead.model_validate(link.row)
    await core.open_cycle_of(session, link.child)
    if "state" in changes:
        changes |= {"decided_by": person, "decided_at": utcnow()}
    apply_patch(link.row, changes)
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
    await _remove_link(session, link.row, link.child, link.parent, person)


async def _remove_link(
    session: AsyncSession, row: Alignment, child: Objective, parent: Objective, by: uuid.UUID
) -> None:
    payload = _alignment_payload(row, child, parent).model_dump()
    await core_repository.remove(session, row)
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
) -> AlignmentsByObjective:
    """The first `per_objective` parents (or children) of each objective asked."""
    objective_ids = core.distinct(objective_ids)
    batches = await repository.links_by_objective(
        session, core.sight_of(actor), objective_ids, of, per_objective
    )
    return AlignmentsByObjective(
        groups=[
            ObjectiveAlignments(
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
        await _remove_link(session, link, objectives[link.child_objective_id], objective, by)
    for dependency in dependencies:
        payload = _payload(dependency, objectives[dependency.objective_id], objective)
        await core_repository.remove(session, dependency)
        await record_event(
            session,
            DEPENDENCY_DELETED,
            DependencyDeletedPayload(**payload.model_dump(), deleted_by=by),
        )


# --- The graph of a cycle --------------------------------------------------------------------


async def cycle_alignment(
    session: AsyncSession, actor: Actor, cycle_id: uuid.UUID
) -> AlignmentGraph:
    """The objectives of the cycle the actor may read and the links between them, with their
    progress as served; a constant number of statements, however large the graph."""
    await _cycle(session, cycle_id)
    graph = await repository.cycle_graph(session, core.sight_of(actor), cycle_id)
    objectives = {objective.id: objective for objective, _, _ in graph.nodes}
    computed = _Progress(
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
    key_results: dict[uuid.UUID, list[GraphKeyResult]] = defaultdict(list)
    for key_result in graph.key_results:
        key_results[key_result.objective_id].append(
            GraphKeyResult(
                id=key_result.id,
                title=key_result.title,
                weight=key_result.weight,
                progress=_shown(_key_result_progress(key_result)),
            )
        )
    return AlignmentGraph(
        cycle_id=cycle_id,
        nodes=[
            GraphNode(
                **objective.model_dump(include=set(GraphNode.model_fields)),
                level=level,
                rolls_up=rolls_up,
                own_progress=_shown_or_none(computed.own(objective.id)),
                progress=_shown_or_none(computed.served(objective.id)),
                key_results=key_results[objective.id],
            )
            for objective, level, rolls_up in graph.nodes
        ],
        edges=[GraphEdge.model_validate(link, from_attributes=True) for link in graph.links],
    )


# --- Dependencies ----------------------------------------------------------------------------


def _owner(objective: Objective) -> tuple[Any, ...]:
    return (objective.owner_kind, objective.owner_person_id, objective.owner_team_id)


def _side_payload(objective: Objective, key_result_id: uuid.UUID | None) -> DependencySidePayload:
    return DependencySidePayload(
        objective_id=objective.id,
        key_result_id=key_result_id,
        owner_kind=objective.owner_kind,
        owner_person_id=objective.owner_person_id,
        owner_team_id=objective.owner_team_id,
        visibility=objective.visibility,
    )


def _payload(row: Dependency, objective: Objective, on: Objective) -> DependencyPayload:
    return DependencyPayload(
        id=row.id,
        cycle_id=row.cycle_id,
        objective=_side_payload(objective, None),
        on=_side_payload(on, row.on_key_result_id),
        state=row.state,
        created_by=row.created_by,
    )


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

    def side(objective_id: uuid.UUID, key_result_id: uuid.UUID | None) -> DependencySide:
        objective = objectives[objective_id]
        key_result = None if key_result_id is None else key_results[key_result_id]
        return DependencySide(
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
    POLICY.authorize(actor, "dependency.create", relations)
    fields = ("body.on_objective_id", "body.on_key_result_id")
    on, key_result, _ = await _objective_or_key_result(
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
    _refuse_other_cycle(objective, on, field)
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
    await record_event(session, DEPENDENCY_CREATED, _payload(row, objective, on))
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
    dependent_side = POLICY.permits(actor, "dependency.update", found.objective_relations)
    on_side = POLICY.permits(actor, "dependency.update", found.on_relations)
    if not (dependent_side or on_side):
        raise Forbidden("You are not allowed to perform `dependency.update` here.")
    check_if_match(if_match, row.version)
    changes = changed(row, data.model_dump(exclude_unset=True))
    if "note" in changes and not dependent_side:
        raise Forbidden("Only the side that depends changes the note.")
    if "state" in changes:
        _check_transition(row.state, changes["state"], on_side=on_side)
    if not changes:
        return await _present_dependency(session, row)
    await core.open_cycle_of(session, found.objective)
    apply_patch(row, changes)
    await core_repository.save(session, row)
    await record_event(
        session,
        DEPENDENCY_UPDATED,
        DependencyUpdatedPayload(
            **_payload(row, found.objective, found.on).model_dump(),
            changed=sorted(changes),
            changed_by=person,
        ),
    )
    return await _present_dependency(session, row)


async def delete_dependency(session: AsyncSession, actor: Actor, dependency_id: uuid.UUID) -> None:
    """Withdraw a dependency: the side that depends."""
    person = core.person_of(actor)
    found = await _dependency(session, actor, dependency_id, lock=True)
    POLICY.authorize(actor, "dependency.delete", found.objective_relations)
    await core.open_cycle_of(session, found.objective)
    payload = _payload(found.row, found.objective, found.on).model_dump()
    await core_repository.remove(session, found.row)
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
    await _cycle(session, cycle_id)
    rows, cursor = await repository.list_cycle_dependencies(
        session, core.sight_of(actor), cycle_id, query.page(), state=query.state
    )
    return Page(items=await _present_dependencies(session, rows), next_cursor=cursor)
