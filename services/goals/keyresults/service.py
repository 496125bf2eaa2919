"""The rules of key results. Each has a `kind` and keeps its figures as numbers, so that
progress reads the same for all: from `start` to `target` (increase, decrease), whether the
line `target` holds (stay above, stay below), done or not (binary: 0 to 1), milestones done
of all (milestones: 0 to their number). Progress is clamped to 0..1 and explained in a
sentence; `expected_progress` is where a steady pace through the cycle would be today.

Adding, changing (but for who sees to it) or removing a key result changes what its objective
says: signatures given so far are taken back (`service.reopen_agreement`). A key result
removed takes its check-ins and milestones with it, and the links and dependencies naming it
are withdrawn (nothing is left pointing to it)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from services.goals import repository, service
from services.goals.alignment.service import withdraw_what_names
from services.goals.events import KEY_RESULT_CREATED, KeyResultPayload
from services.goals.keyresults import repository as key_result_rows
from services.goals.keyresults.events import (
    KEY_RESULT_DELETED,
    KEY_RESULT_UPDATED,
    KeyResultDeletedPayload,
    KeyResultUpdatedPayload,
)
from services.goals.keyresults.schemas import (
    LINE_KINDS,
    NUMERIC_KINDS,
    KeyResultCreate,
    KeyResultRead,
    KeyResultsByObjectiveRead,
    KeyResultUpdate,
    MilestoneRead,
    ObjectiveKeyResultsRead,
)
from services.goals.models import Cycle, KeyResult, Milestone, Objective
from services.goals.progress import key_result_progress, rounded
from services.goals.repository import Batch
from services.goals.schemas import KeyResultKind
from services.goals.service import POLICY

# --- Progress, explained ---------------------------------------------------------------------


def expected_progress(kind: KeyResultKind, cycle: Cycle, today: date) -> float | None:
    """Where a steady pace would be today: the share of the cycle gone by; a line is to be
    held all along; a yes-or-no has no pace."""
    if kind == KeyResultKind.BINARY:
        return None
    if kind in LINE_KINDS:
        return 1.0
    elapsed = (today - cycle.starts_on).days / (cycle.ends_on - cycle.starts_on).days
    return rounded(min(max(elapsed, 0.0), 1.0))


def _figure(value: float, unit: str | None = None) -> str:
    """A number as people write it: no trailing zeros, at most 4 decimals."""
    value = float(value)
    text = str(int(value)) if value.is_integer() else f"{value:.4f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit else text


def explain(key_result: KeyResult) -> str:
    """What its progress came from, in one sentence."""
    kind, unit = key_result.kind, key_result.unit
    start, target, current = key_result.start, key_result.target, key_result.current
    value = key_result_progress(kind, start, target, current)
    at = _figure(current, unit)
    if kind == KeyResultKind.MILESTONES:
        return (
            f"{_figure(current)} of {_figure(target)} milestones done: {_figure(rounded(value))}."
        )
    if kind == KeyResultKind.BINARY:
        return "Done: 1." if value == 1.0 else "Not done yet: 0."
    if kind in LINE_KINDS:
        side = "above" if kind == KeyResultKind.STAY_ABOVE else "below"
        held = "yes" if value == 1.0 else "no"
        return f"Staying {side} {_figure(target, unit)}: {held}, at {at}."
    ratio = (current - start) / (target - start)
    if ratio >= 1:
        return f"At {at}, the target of {_figure(target, unit)} is reached: 1."
    if ratio <= 0:
        return f"At {at}, no nearer to {_figure(target, unit)} than the start: 0."
    way = f"from {_figure(start, unit)} to {_figure(target, unit)}"
    return f"At {at}, on the way {way}: {_figure(rounded(value))}."


# --- Key results -----------------------------------------------------------------------------


async def present_key_results(
    session: AsyncSession, key_results: Sequence[KeyResult]
) -> list[KeyResultRead]:
    """The one place a `KeyResultRead` is made: figures, progress and what it came from,
    the pace its cycle expects today, milestones."""
    cycles = await repository.cycles_of_objectives(
        session, {row.objective_id for row in key_results}
    )
    milestones: dict[uuid.UUID, list[Milestone]] = defaultdict(list)
    listed = [row.id for row in key_results if row.kind == KeyResultKind.MILESTONES]
    if listed:
        for milestone in await repository.milestones_of(session, listed):
            milestones[milestone.key_result_id].append(milestone)
    today = utcnow().date()
    return [
        KeyResultRead.model_validate(
            {
                **row.model_dump(),
                "progress": rounded(
                    key_result_progress(row.kind, row.start, row.target, row.current)
                ),
                "progress_explanation": explain(row),
                "expected_progress": expected_progress(row.kind, cycles[row.objective_id], today),
                "milestones": (
                    [MilestoneRead.model_validate(m) for m in milestones[row.id]]
                    if row.kind == KeyResultKind.MILESTONES
                    else None
                ),
            }
        )
        for row in key_results
    ]


async def present_key_result(session: AsyncSession, key_result: KeyResult) -> KeyResultRead:
    (read,) = await present_key_results(session, [key_result])
    return read


def _figures(data: KeyResultCreate) -> tuple[float, float, float]:
    """`start`, `target` and `current` as the kind keeps them (the body is valid for it)."""
    if data.kind == KeyResultKind.BINARY:
        done = data.done if data.done is not None else data.current == 1
        return 0.0, 1.0, 1.0 if done else 0.0
    if data.kind == KeyResultKind.MILESTONES:
        milestones = data.milestones or []
        return 0.0, float(len(milestones)), float(sum(m.done for m in milestones))
    assert data.target is not None  # noqa: S101  # the body's validator saw to it
    if data.kind in LINE_KINDS:
        current = next(v for v in (data.current, data.start, data.target) if v is not None)
        return (data.start if data.start is not None else current), data.target, current
    assert data.start is not None  # noqa: S101  # the body's validator saw to it
    return data.start, data.target, (data.current if data.current is not None else data.start)


async def _check_key_result_owner(
    session: AsyncSession, objective: Objective, person_id: uuid.UUID
) -> None:
    """A key result's owner is someone who may work on (and check in on) the objective."""
    person = await service.person_in_copy(
        session, person_id, code="unknown_owner", field="body.owner_person_id"
    )
    candidate = service.as_actor(person.id, is_hr_admin=person.is_hr_admin)
    relations = await service.relations_to_objective(session, candidate, objective)
    if not person.active or not POLICY.permits(candidate, "check_in.create", relations):
        raise Unprocessable(
            "A key result's owner is its objective's owner, a contributor, or someone else "
            "who may check in on it.",
            code="owner_cannot_work_on_objective",
            field="body.owner_person_id",
        )


async def create_key_result(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, data: KeyResultCreate
) -> KeyResultRead:
    """Add a key result. It changes what the objective says: signatures given so far are
    taken back."""
    objective, relations = await service.visible_objective(session, actor, objective_id, lock=True)
    POLICY.authorize(actor, "key_result.create", relations)
    await service.open_cycle_of(session, objective)
    if data.owner_person_id is not None:
        await _check_key_result_owner(session, objective, data.owner_person_id)
    assert data.kind is not None  # noqa: S101  # the body's validator settles it
    start, target, current = _figures(data)
    key_result = KeyResult(
        objective_id=objective.id,
        title=data.title,
        kind=data.kind,
        unit=data.unit,
        owner_person_id=data.owner_person_id,
        weight=data.weight,
        start=start,
        target=target,
        current=current,
    )
    await repository.save(session, key_result)
    for position, milestone in enumerate(data.milestones or [], start=1):
        await repository.save(
            session,
            Milestone(
                key_result_id=key_result.id,
                position=position,
                title=milestone.title,
                done=milestone.done,
                done_at=key_result.created_at if milestone.done else None,
            ),
        )
    await _take_signatures_back(session, objective)
    await record_event(session, KEY_RESULT_CREATED, _payload(key_result, objective))
    return await present_key_result(session, key_result)


def _payload(key_result: KeyResult, objective: Objective) -> KeyResultPayload:
    return KeyResultPayload(
        id=key_result.id,
        objective_id=objective.id,
        owner_person_id=objective.owner_person_id,
        owner_team_id=objective.owner_team_id,
        visibility=objective.visibility,
        kind=key_result.kind,
        key_result_owner_id=key_result.owner_person_id,
        start=key_result.start,
        target=key_result.target,
        current=key_result.current,
        unit=key_result.unit,
        weight=key_result.weight,
    )


async def _take_signatures_back(session: AsyncSession, objective: Objective) -> None:
    """What the objective says changed: signatures given so far go (recorded if any did)."""
    if await service.reopen_agreement(session, objective):
        service.apply_changes(objective, {})
        await repository.save(session, objective)
        await service.record_objective_updated(session, objective, ["status"])


# Who sees to a key result is no part of what was agreed; everything else is.
_UNSIGNED_FIELDS = frozenset({"owner_person_id"})


def _check_figures(key_result: KeyResult, changes: dict[str, Any]) -> None:
    """`start` and `target` as the kind takes them, in its direction."""
    sent = sorted({"start", "target"} & changes.keys())
    if not sent:
        return
    kind = key_result.kind
    if kind not in NUMERIC_KINDS | LINE_KINDS:
        raise Unprocessable(
            f"A `{kind}` key result takes no `start` or `target`.",
            code="not_for_this_kind",
            field=f"body.{sent[0]}",
        )
    start = changes.get("start", key_result.start)
    target = changes.get("target", key_result.target)
    if kind == KeyResultKind.INCREASE_TO and not target > start:
        raise Unprocessable(
            "To increase, `target` must be above `start`.",
            code="target_not_above_start",
            field="body.target",
        )
    if kind == KeyResultKind.DECREASE_TO and not target < start:
        raise Unprocessable(
            "To decrease, `target` must be below `start`.",
            code="target_not_below_start",
            field="body.target",
        )


async def update_key_result(
    session: AsyncSession,
    actor: Actor,
    key_result_id: uuid.UUID,
    data: KeyResultUpdate,
    if_match: str | None,
) -> KeyResultRead:
    """Change its title, figures, unit, owner or weight (those who may add key results to its
    objective), at the version read. Signatures given so far are taken back, unless only its
    owner changed."""
    person = service.person_of(actor)
    key_result, objective, relations = await service.visible_key_result(
        session, actor, key_result_id, lock=True
    )
    POLICY.authorize(actor, "key_result.update", relations)
    check_if_match(if_match, key_result.version)
    await service.open_cycle_of(session, objective)
    changes = service.changes_of(key_result, data.model_dump(exclude_unset=True))
    if not changes:
        return await present_key_result(session, key_result)
    _check_figures(key_result, changes)
    if changes.get("owner_person_id") is not None:
        await _check_key_result_owner(session, objective, changes["owner_person_id"])
    service.apply_changes(key_result, changes)
    await repository.save(session, key_result)
    if changes.keys() - _UNSIGNED_FIELDS:
        await _take_signatures_back(session, objective)
    await record_event(
        session,
        KEY_RESULT_UPDATED,
        KeyResultUpdatedPayload(
            **_payload(key_result, objective).model_dump(),
            changed=sorted(changes),
            changed_by=person,
        ),
    )
    return await present_key_result(session, key_result)


async def delete_key_result(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, if_match: str | None
) -> None:
    """Remove a key result (those who may add key results to its objective), at the version
    read: its check-ins and milestones go with it, the links and dependencies naming it are
    withdrawn, and signatures given so far are taken back."""
    person = service.person_of(actor)
    key_result, objective, relations = await service.visible_key_result(
        session, actor, key_result_id, lock=True
    )
    POLICY.authorize(actor, "key_result.delete", relations)
    check_if_match(if_match, key_result.version)
    await service.open_cycle_of(session, objective)
    await withdraw_what_names(session, key_result, objective, person)
    payload = _payload(key_result, objective)
    await key_result_rows.delete_history(session, key_result.id)
    await repository.delete(session, key_result)
    await _take_signatures_back(session, objective)
    await record_event(
        session,
        KEY_RESULT_DELETED,
        KeyResultDeletedPayload(**payload.model_dump(), deleted_by=person),
    )


async def get_key_result(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID
) -> KeyResultRead:
    key_result, _, _ = await service.visible_key_result(session, actor, key_result_id)
    return await present_key_result(session, key_result)


async def list_key_results(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, params: PageParams
) -> Page[KeyResultRead]:
    await service.visible_objective(session, actor, objective_id)
    rows, cursor = await repository.list_key_results(session, objective_id, params)
    return Page(items=await present_key_results(session, rows), next_cursor=cursor)


async def read_key_results(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[KeyResultRead]:
    """Those among `ids` that exist and whose objective the actor may see, in the order asked."""
    rows = await repository.key_results_by_ids(session, service.sight_of(actor), ids)
    return Page(items=await present_key_results(session, rows), next_cursor=None)


async def key_results_by_objective(
    session: AsyncSession, actor: Actor, objective_ids: Sequence[uuid.UUID], per_objective: int
) -> KeyResultsByObjectiveRead:
    """The first `per_objective` key results of each objective asked."""
    objective_ids = service.distinct(objective_ids)
    batches: dict[uuid.UUID, Batch] = await repository.key_results_by_objective(
        session, service.sight_of(actor), objective_ids, per_objective
    )
    reads = iter(
        await present_key_results(
            session, [row for id_ in objective_ids for row in batches[id_].rows]
        )
    )
    return KeyResultsByObjectiveRead(
        groups=[
            ObjectiveKeyResultsRead(
                objective_id=objective_id,
                items=[next(reads) for _ in batches[objective_id].rows],
                has_more=batches[objective_id].has_more,
                next_cursor=batches[objective_id].next_cursor,
            )
            for objective_id in objective_ids
        ]
    )
