"""The goals rules: who sees and changes which objective (from the org copy, never by asking
the directory), how progress is computed, when a cycle takes no more work; each change is
written with its event, in the caller's transaction (flushed, never committed).

OKR progress and confidence serve focus and conversation, not judgement: nothing here sorts,
ranks or filters people by them (DOMAIN.md §4, the OKR firewall)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.orgcopy import management_chain, relations_to_person, relations_to_team
from kit.pagination import MAX_BATCH_IDS, Page, PageParams
from kit.policies import RESOURCE_RELATIONS, PolicyTable, Relation, Rule
from services.goals import repository
from services.goals.events import (
    CYCLE_CREATED,
    CYCLE_UPDATED,
    KEY_RESULT_CHECKED_IN,
    KEY_RESULT_CREATED,
    OBJECTIVE_CREATED,
    OBJECTIVE_UPDATED,
    CheckedInPayload,
    CyclePayload,
    CycleUpdatedPayload,
    KeyResultPayload,
    ObjectivePayload,
    ObjectiveUpdatedPayload,
)
from services.goals.models import CheckIn, Cycle, KeyResult, Objective
from services.goals.repository import Batch, Sight
from services.goals.schemas import (
    CheckInCreate,
    CheckInRead,
    CheckInsByKeyResult,
    CycleCreate,
    CycleFilters,
    CycleRead,
    CycleStatus,
    CycleUpdate,
    KeyResultCheckIns,
    KeyResultCreate,
    KeyResultRead,
    KeyResultsByObjective,
    ObjectiveCreate,
    ObjectiveFilters,
    ObjectiveKeyResults,
    ObjectiveRead,
    ObjectivesByOwner,
    ObjectiveUpdate,
    OwnerObjectives,
    Visibility,
)

# Reading: everyone signed in, integrations with `goals:read` and our services; private
# objectives further need `objective.read_private`, checked with the objective in hand.
_READ = Rule.of(Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE, scope="goals:read")
# Working on an objective: its owner (for a team: members and leads), the owner's management
# chain (for a team: its lead's) and HR admins.
_CONTRIBUTE = Rule.of(
    Relation.OWNER,
    Relation.PARTICIPANT,
    Relation.TEAM_LEAD,
    Relation.MANAGEMENT_CHAIN,
    Relation.HR_ADMIN,
)

POLICY = PolicyTable(
    {
        "cycle.read": _READ,
        "cycle.create": Rule.of(Relation.HR_ADMIN),
        "cycle.update": Rule.of(Relation.HR_ADMIN),
        "objective.read": _READ,
        # Object level only (no route names it): who sees a private objective.
        "objective.read_private": Rule.of(
            Relation.OWNER,
            Relation.PARTICIPANT,
            Relation.TEAM_LEAD,
            Relation.MANAGEMENT_CHAIN,
            Relation.HR_ADMIN,
            Relation.SERVICE,
        ),
        # For yourself, a team you lead or belong to, a direct report; HR admins for anyone.
        "objective.create": Rule.of(
            Relation.OWNER,
            Relation.PARTICIPANT,
            Relation.TEAM_LEAD,
            Relation.MANAGER,
            Relation.HR_ADMIN,
        ),
        "objective.update": _CONTRIBUTE,
        "key_result.read": _READ,
        "key_result.create": _CONTRIBUTE,
        "check_in.read": _READ,
        "check_in.create": _CONTRIBUTE,
    }
)

# Actions checked inside the service only, with the resource in hand.
OBJECT_LEVEL_ACTIONS = frozenset({"objective.read_private"})

# Decimal places of the progress figures served.
_PRECISION = 4


# --- Progress --------------------------------------------------------------------------------


def progress(start: float, target: float, current: float) -> float:
    """How far `current` has come from `start` towards `target`, from 0 to 1; works the same
    for a decrease (`target` below `start`) and stays within 0 and 1 beyond either end."""
    ratio = (current - start) / (target - start)
    return min(max(ratio, 0.0), 1.0)


def objective_progress(figures: Iterable[tuple[float, float, float, float]]) -> float | None:
    """The weighted mean of the key results' progress, from `(start, target, current, weight)`;
    None without key results."""
    total = weighted = 0.0
    for start, target, current, weight in figures:
        total += weight
        weighted += weight * progress(start, target, current)
    return weighted / total if total else None


def _shown(value: float) -> float:
    return round(value, _PRECISION)


# --- Who the caller is to an objective -------------------------------------------------------


def _person_of(actor: Actor) -> uuid.UUID:
    if actor.person_id is None:
        raise Forbidden("Only a person can do this.")
    return actor.person_id


async def _relations(
    session: AsyncSession,
    actor: Actor,
    *,
    person_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
) -> set[Relation]:
    """How the actor stands to an owner: a person (themselves, manager, chain above), or a
    team (member, lead of it or of a team above, the management chain of its lead)."""
    if actor.person_id is None:
        return set()
    if person_id is not None:
        return await relations_to_person(session, actor, person_id)
    if team_id is None:
        return set()
    relations = await relations_to_team(session, actor, team_id)
    team = await repository.org_team(session, team_id)
    if (
        team is not None
        and team.lead_id is not None
        and actor.person_id in await management_chain(session, team.lead_id)
    ):
        relations.add(Relation.MANAGEMENT_CHAIN)
    return relations


async def _objective_relations(
    session: AsyncSession, actor: Actor, objective: Objective
) -> set[Relation]:
    return await _relations(
        session,
        actor,
        person_id=objective.owner_person_id,
        team_id=objective.owner_team_id,
    )


def _sight(actor: Actor) -> Sight:
    """Which objectives the actor sees in lists and batches: the same as one by one."""
    if POLICY.permits(actor, "objective.read_private"):
        return Sight(everything=True)
    if actor.person_id is None:
        return Sight()
    relations = POLICY.rules["objective.read_private"].allow & RESOURCE_RELATIONS
    return Sight(person_id=actor.person_id, relations=relations)


_OBJECTIVE_NOT_FOUND = "No objective has this id."
_KEY_RESULT_NOT_FOUND = "No key result has this id."


async def _objective(
    session: AsyncSession,
    actor: Actor,
    objective_id: uuid.UUID,
    *,
    lock: bool = False,
) -> tuple[Objective, set[Relation]]:
    """The objective if the actor may see it, and their relations to it. A private one they
    may not see answers exactly as an unknown id does."""
    objective = await repository.get(session, Objective, objective_id, lock=lock)
    if objective is None:
        raise NotFound(_OBJECTIVE_NOT_FOUND, code="objective_not_found")
    relations = await _objective_relations(session, actor, objective)
    if objective.visibility == Visibility.PRIVATE and not POLICY.permits(
        actor, "objective.read_private", relations
    ):
        raise NotFound(_OBJECTIVE_NOT_FOUND, code="objective_not_found")
    return objective, relations


async def _key_result(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, *, lock: bool = False
) -> tuple[KeyResult, Objective, set[Relation]]:
    key_result = await repository.get(session, KeyResult, key_result_id, lock=lock)
    if key_result is None:
        raise NotFound(_KEY_RESULT_NOT_FOUND, code="key_result_not_found")
    try:
        objective, relations = await _objective(session, actor, key_result.objective_id)
    except NotFound:
        raise NotFound(_KEY_RESULT_NOT_FOUND, code="key_result_not_found") from None
    return key_result, objective, relations


async def _held_cycle(session: AsyncSession, cycle_id: uuid.UUID) -> Cycle | None:
    """The cycle, kept from changing (being closed) until this transaction ends."""
    return await repository.get(session, Cycle, cycle_id, share=True)


def _refuse_closed(cycle: Cycle | None) -> None:
    if cycle is not None and cycle.status == CycleStatus.CLOSED:
        raise Conflict("This cycle is closed: it takes no more work.", code="cycle_closed")


def _distinct(ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    return list(dict.fromkeys(ids))


def _changes(row: Cycle | Objective, sent: dict[str, Any]) -> dict[str, Any]:
    """The fields sent whose values differ from the row's."""
    return {name: value for name, value in sent.items() if getattr(row, name) != value}


def _apply(row: Cycle | Objective, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_at = utcnow()


# --- Cycles ----------------------------------------------------------------------------------


def _cycle_payload(cycle: Cycle) -> CyclePayload:
    return CyclePayload.model_validate(cycle.model_dump(include=set(CyclePayload.model_fields)))


async def _cycle(session: AsyncSession, cycle_id: uuid.UUID, *, lock: bool = False) -> Cycle:
    cycle = await repository.get(session, Cycle, cycle_id, lock=lock)
    if cycle is None:
        raise NotFound("No cycle has this id.", code="cycle_not_found")
    return cycle


async def create_cycle(session: AsyncSession, actor: Actor, data: CycleCreate) -> CycleRead:
    cycle = Cycle.model_validate(data.model_dump())
    await repository.save(session, cycle)
    await record_event(session, CYCLE_CREATED, _cycle_payload(cycle))
    return CycleRead.model_validate(cycle)


async def get_cycle(session: AsyncSession, actor: Actor, cycle_id: uuid.UUID) -> CycleRead:
    return CycleRead.model_validate(await _cycle(session, cycle_id))


async def list_cycles(
    session: AsyncSession, actor: Actor, filters: CycleFilters, params: PageParams
) -> Page[CycleRead]:
    rows, cursor = await repository.list_cycles(session, params, **filters.model_dump())
    return Page(items=[CycleRead.model_validate(row) for row in rows], next_cursor=cursor)


async def read_cycles(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[CycleRead]:
    rows = await repository.cycles_by_ids(session, ids)
    return Page(items=[CycleRead.model_validate(row) for row in rows], next_cursor=None)


async def update_cycle(
    session: AsyncSession,
    actor: Actor,
    cycle_id: uuid.UUID,
    data: CycleUpdate,
    if_match: str | None,
) -> CycleRead:
    """Rename, move or change the status of a cycle; closing it stops check-ins."""
    cycle = await _cycle(session, cycle_id, lock=True)
    check_if_match(if_match, cycle.version)
    changes = _changes(cycle, data.model_dump(exclude_unset=True))
    if not changes:
        return CycleRead.model_validate(cycle)
    starts_on = changes.get("starts_on", cycle.starts_on)
    ends_on = changes.get("ends_on", cycle.ends_on)
    if ends_on <= starts_on:
        raise Unprocessable(
            "`ends_on` must be after `starts_on`.",
            code="end_not_after_start",
            field="body.ends_on" if "ends_on" in changes else "body.starts_on",
        )
    _apply(cycle, changes)
    await repository.save(session, cycle)
    await record_event(
        session,
        CYCLE_UPDATED,
        CycleUpdatedPayload(**_cycle_payload(cycle).model_dump(), changed=sorted(changes)),
    )
    return CycleRead.model_validate(cycle)


# --- Objectives ------------------------------------------------------------------------------


def _objective_payload(objective: Objective) -> ObjectivePayload:
    return ObjectivePayload.model_validate(
        objective.model_dump(include=set(ObjectivePayload.model_fields))
    )


async def _present(session: AsyncSession, objectives: Sequence[Objective]) -> list[ObjectiveRead]:
    figures: dict[uuid.UUID, list[tuple[float, float, float, float]]] = defaultdict(list)
    for key_result in await repository.key_results_of(session, [row.id for row in objectives]):
        figures[key_result.objective_id].append(
            (key_result.start, key_result.target, key_result.current, key_result.weight)
        )
    reads = []
    for objective in objectives:
        value = objective_progress(figures.get(objective.id, []))
        reads.append(
            ObjectiveRead.model_validate(
                {
                    **objective.model_dump(),
                    "progress": None if value is None else _shown(value),
                }
            )
        )
    return reads


async def _present_one(session: AsyncSession, objective: Objective) -> ObjectiveRead:
    (read,) = await _present(session, [objective])
    return read


async def _check_owner(session: AsyncSession, data: ObjectiveCreate) -> None:
    """The owner is in the org copy."""
    if data.owner_person_id is not None:
        if await repository.org_person(session, data.owner_person_id) is None:
            raise Unprocessable(
                "No person has this id.", code="unknown_owner", field="body.owner_person_id"
            )
    elif data.owner_team_id is not None:
        if await repository.org_team(session, data.owner_team_id) is None:
            raise Unprocessable(
                "No team has this id.", code="unknown_owner", field="body.owner_team_id"
            )


async def _check_owner_active(session: AsyncSession, data: ObjectiveCreate) -> None:
    if data.owner_person_id is None:
        return
    person = await repository.org_person(session, data.owner_person_id)
    if person is not None and not person.active:
        raise Conflict(
            "An inactive person cannot own a new objective.",
            code="owner_inactive",
            field="body.owner_person_id",
        )


async def create_objective(
    session: AsyncSession, actor: Actor, data: ObjectiveCreate
) -> ObjectiveRead:
    creator = _person_of(actor)
    cycle = await _held_cycle(session, data.cycle_id)
    if cycle is None:
        raise Unprocessable("No cycle has this id.", code="unknown_cycle", field="body.cycle_id")
    await _check_owner(session, data)
    relations = await _relations(
        session, actor, person_id=data.owner_person_id, team_id=data.owner_team_id
    )
    POLICY.authorize(actor, "objective.create", relations)
    await _check_owner_active(session, data)
    _refuse_closed(cycle)
    objective = Objective.model_validate({**data.model_dump(), "created_by": creator})
    await repository.save(session, objective)
    await record_event(session, OBJECTIVE_CREATED, _objective_payload(objective))
    return await _present_one(session, objective)


async def get_objective(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID
) -> ObjectiveRead:
    objective, _ = await _objective(session, actor, objective_id)
    return await _present_one(session, objective)


async def list_objectives(
    session: AsyncSession, actor: Actor, filters: ObjectiveFilters, params: PageParams
) -> Page[ObjectiveRead]:
    """Objectives the actor may see; private ones of others are left out, not refused."""
    rows, cursor = await repository.list_objectives(
        session, _sight(actor), params, **filters.model_dump()
    )
    return Page(items=await _present(session, rows), next_cursor=cursor)


async def read_objectives(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[ObjectiveRead]:
    """Those among `ids` that exist and the actor may see, in the order asked."""
    rows = await repository.objectives_by_ids(session, _sight(actor), ids)
    return Page(items=await _present(session, rows), next_cursor=None)


async def objectives_by_owner(
    session: AsyncSession,
    actor: Actor,
    *,
    person_ids: Sequence[uuid.UUID],
    team_ids: Sequence[uuid.UUID],
    cycle_id: uuid.UUID | None,
    per_owner: int,
) -> ObjectivesByOwner:
    """The first `per_owner` objectives of each owner asked (that the actor may see)."""
    person_ids, team_ids = _distinct(person_ids), _distinct(team_ids)
    if not person_ids and not team_ids:
        raise Unprocessable(
            "Name at least one owner: `owner_person_id` or `owner_team_id`.",
            code="owner_required",
            field="query.owner_person_id",
        )
    if len(person_ids) + len(team_ids) > MAX_BATCH_IDS:
        raise Unprocessable(
            f"At most {MAX_BATCH_IDS} owners at once.",
            code="too_many_owners",
            field="query.owner_person_id",
        )
    people, teams = await repository.objectives_by_owner(
        session,
        _sight(actor),
        person_ids=person_ids,
        team_ids=team_ids,
        cycle_id=cycle_id,
        per_owner=per_owner,
    )
    batches: list[tuple[uuid.UUID | None, uuid.UUID | None, Batch]]
    batches = [(id_, None, people[id_]) for id_ in person_ids]
    batches += [(None, id_, teams[id_]) for id_ in team_ids]
    reads = iter(await _present(session, [row for *_, batch in batches for row in batch.rows]))
    return ObjectivesByOwner(
        groups=[
            OwnerObjectives(
                owner_person_id=person_id,
                owner_team_id=team_id,
                items=[next(reads) for _ in batch.rows],
                has_more=batch.has_more,
                next_cursor=batch.next_cursor,
            )
            for person_id, team_id, batch in batches
        ]
    )


async def update_objective(
    session: AsyncSession,
    actor: Actor,
    objective_id: uuid.UUID,
    data: ObjectiveUpdate,
    if_match: str | None,
) -> ObjectiveRead:
    objective, relations = await _objective(session, actor, objective_id, lock=True)
    POLICY.authorize(actor, "objective.update", relations)
    check_if_match(if_match, objective.version)
    changes = _changes(objective, data.model_dump(exclude_unset=True))
    if not changes:
        return await _present_one(session, objective)
    _apply(objective, changes)
    await repository.save(session, objective)
    await record_event(
        session,
        OBJECTIVE_UPDATED,
        ObjectiveUpdatedPayload(
            **_objective_payload(objective).model_dump(), changed=sorted(changes)
        ),
    )
    return await _present_one(session, objective)


# --- Key results -----------------------------------------------------------------------------


def _present_key_result(key_result: KeyResult) -> KeyResultRead:
    value = progress(key_result.start, key_result.target, key_result.current)
    return KeyResultRead.model_validate({**key_result.model_dump(), "progress": _shown(value)})


async def create_key_result(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, data: KeyResultCreate
) -> KeyResultRead:
    objective, relations = await _objective(session, actor, objective_id)
    POLICY.authorize(actor, "key_result.create", relations)
    _refuse_closed(await _held_cycle(session, objective.cycle_id))
    values = data.model_dump()
    if values["current"] is None:
        values["current"] = values["start"]
    key_result = KeyResult.model_validate({**values, "objective_id": objective.id})
    await repository.save(session, key_result)
    await record_event(
        session,
        KEY_RESULT_CREATED,
        KeyResultPayload(
            id=key_result.id,
            objective_id=objective.id,
            owner_person_id=objective.owner_person_id,
            owner_team_id=objective.owner_team_id,
            visibility=objective.visibility,
            start=key_result.start,
            target=key_result.target,
            current=key_result.current,
            unit=key_result.unit,
            weight=key_result.weight,
        ),
    )
    return _present_key_result(key_result)


async def get_key_result(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID
) -> KeyResultRead:
    key_result, _, _ = await _key_result(session, actor, key_result_id)
    return _present_key_result(key_result)


async def list_key_results(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, params: PageParams
) -> Page[KeyResultRead]:
    await _objective(session, actor, objective_id)
    rows, cursor = await repository.list_key_results(session, objective_id, params)
    return Page(items=[_present_key_result(row) for row in rows], next_cursor=cursor)


async def read_key_results(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[KeyResultRead]:
    """Those among `ids` that exist and whose objective the actor may see, in the order asked."""
    rows = await repository.key_results_by_ids(session, _sight(actor), ids)
    return Page(items=[_present_key_result(row) for row in rows], next_cursor=None)


async def key_results_by_objective(
    session: AsyncSession, actor: Actor, objective_ids: Sequence[uuid.UUID], per_objective: int
) -> KeyResultsByObjective:
    """The first `per_objective` key results of each objective asked."""
    objective_ids = _distinct(objective_ids)
    batches: dict[uuid.UUID, Batch] = await repository.key_results_by_objective(
        session, _sight(actor), objective_ids, per_objective
    )
    return KeyResultsByObjective(
        groups=[
            ObjectiveKeyResults(
                objective_id=objective_id,
                items=[_present_key_result(row) for row in batches[objective_id].rows],
                has_more=batches[objective_id].has_more,
                next_cursor=batches[objective_id].next_cursor,
            )
            for objective_id in objective_ids
        ]
    )


# --- Check-ins -------------------------------------------------------------------------------


async def check_in(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, data: CheckInCreate
) -> CheckInRead:
    """Record where a key result stands: its `current` value, and so its progress and its
    objective's, follow the check-in."""
    author = _person_of(actor)
    # Locked: concurrent check-ins on one key result apply one after the other.
    key_result, objective, relations = await _key_result(session, actor, key_result_id, lock=True)
    POLICY.authorize(actor, "check_in.create", relations)
    _refuse_closed(await _held_cycle(session, objective.cycle_id))
    entry = CheckIn(
        key_result_id=key_result.id,
        value=data.value,
        confidence=data.confidence,
        note=data.note,
        author_id=author,
    )
    await repository.save(session, entry)
    previous = key_result.current
    key_result.current = entry.value
    key_result.confidence = entry.confidence
    key_result.checked_in_at = entry.created_at
    key_result.updated_at = utcnow()
    await repository.save(session, key_result)
    await record_event(
        session,
        KEY_RESULT_CHECKED_IN,
        CheckedInPayload(
            check_in_id=entry.id,
            key_result_id=key_result.id,
            objective_id=objective.id,
            owner_person_id=objective.owner_person_id,
            owner_team_id=objective.owner_team_id,
            visibility=objective.visibility,
            author_id=author,
            previous_value=previous,
            value=entry.value,
            progress=_shown(progress(key_result.start, key_result.target, key_result.current)),
            confidence=entry.confidence,
            checked_in_at=entry.created_at,
        ),
    )
    return CheckInRead.model_validate(entry)


async def list_check_ins(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, params: PageParams
) -> Page[CheckInRead]:
    await _key_result(session, actor, key_result_id)
    rows, cursor = await repository.list_check_ins(session, key_result_id, params)
    return Page(items=[CheckInRead.model_validate(row) for row in rows], next_cursor=cursor)


async def check_ins_by_key_result(
    session: AsyncSession, actor: Actor, key_result_ids: Sequence[uuid.UUID], per_key_result: int
) -> CheckInsByKeyResult:
    """The first `per_key_result` check-ins of each key result asked."""
    key_result_ids = _distinct(key_result_ids)
    batches = await repository.check_ins_by_key_result(
        session, _sight(actor), key_result_ids, per_key_result
    )
    return CheckInsByKeyResult(
        groups=[
            KeyResultCheckIns(
                key_result_id=key_result_id,
                items=[CheckInRead.model_validate(row) for row in batches[key_result_id].rows],
                has_more=batches[key_result_id].has_more,
                next_cursor=batches[key_result_id].next_cursor,
            )
            for key_result_id in key_result_ids
        ]
    )
