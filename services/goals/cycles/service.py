"""The rules of cycles. A cycle moves `planning` → `active` → `closed`, never back, except
that an HR admin may reopen a closed cycle (→ `active`). Closing gives every objective of the
cycle its final score: the one submitted for it (with a retrospective), or else its progress
at that moment; then the cycle takes no more work (edits, key results, check-ins, signatures,
comments, closings) until reopened; closing it again keeps the scores submitted and takes
progress again for the others.

Scores are aggregated by team and for the company only, never by person (the OKR firewall)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page
from services.goals import repository as core
from services.goals import service
from services.goals.cycles import repository
from services.goals.cycles.schemas import (
    ClosingSubmit,
    CycleCreate,
    CycleQuery,
    CycleRead,
    CycleReportRead,
    CycleUpdate,
    TeamScoresRead,
)
from services.goals.events import (
    CYCLE_CLOSED,
    CYCLE_CREATED,
    CYCLE_OPENED,
    CYCLE_REOPENED,
    CYCLE_UPDATED,
    CycleClosedPayload,
    CyclePayload,
    CycleUpdatedPayload,
)
from services.goals.models import Closing, Cycle, Objective
from services.goals.schemas import ClosingRead, ClosingSource, CycleStatus
from services.goals.service import POLICY

# The moves a cycle may make; any other is refused.
_MOVES = {
    (CycleStatus.PLANNING, CycleStatus.ACTIVE),
    (CycleStatus.ACTIVE, CycleStatus.CLOSED),
    (CycleStatus.CLOSED, CycleStatus.ACTIVE),
}


def _payload(cycle: Cycle) -> CyclePayload:
    return CyclePayload.model_validate(cycle.model_dump(include=set(CyclePayload.model_fields)))


async def _cycle(session: AsyncSession, cycle_id: uuid.UUID, *, lock: bool = False) -> Cycle:
    cycle = await core.get(session, Cycle, cycle_id, lock=lock)
    if cycle is None:
        raise NotFound("No cycle has this id.", code="cycle_not_found")
    return cycle


async def create_cycle(session: AsyncSession, actor: Actor, data: CycleCreate) -> CycleRead:
    cycle = Cycle.model_validate(data.model_dump())
    await core.save(session, cycle)
    await record_event(session, CYCLE_CREATED, _payload(cycle))
    if cycle.status == CycleStatus.ACTIVE:
        await record_event(session, CYCLE_OPENED, _payload(cycle))
    return CycleRead.model_validate(cycle)


async def get_cycle(session: AsyncSession, actor: Actor, cycle_id: uuid.UUID) -> CycleRead:
    return CycleRead.model_validate(await _cycle(session, cycle_id))


async def list_cycles(session: AsyncSession, actor: Actor, query: CycleQuery) -> Page[CycleRead]:
    if query.id:
        rows = await repository.cycles_by_ids(session, query.id)
        return Page(items=[CycleRead.model_validate(row) for row in rows], next_cursor=None)
    found, cursor = await repository.list_cycles(session, query.page(), status=query.status)
    return Page(items=[CycleRead.model_validate(row) for row in found], next_cursor=cursor)


def _check_move(cycle: Cycle, changes: dict[str, object]) -> CycleStatus | None:
    """The status the cycle moves to, if it moves; refuses what may not be."""
    status = changes.get("status")
    if cycle.status == CycleStatus.CLOSED and set(changes) != {"status"}:
        raise Conflict(
            "This cycle is closed: reopen it (`status: active`) before changing it.",
            code="cycle_closed",
        )
    if status is None:
        return None
    assert isinstance(status, CycleStatus)  # noqa: S101  # the body's type
    if (cycle.status, status) not in _MOVES:
        raise Conflict(
            f"A cycle moves planning → active → closed (and a closed one may be reopened); "
            f"not {cycle.status} → {status}.",
            code="invalid_status_change",
            field="body.status",
        )
    return status


async def update_cycle(
    session: AsyncSession,
    actor: Actor,
    cycle_id: uuid.UUID,
    data: CycleUpdate,
    if_match: str | None,
) -> CycleRead:
    """Rename or move a cycle, or move it on: opening it, closing it (every objective gets
    its final score) or reopening it."""
    cycle = await _cycle(session, cycle_id, lock=True)
    check_if_match(if_match, cycle.version)
    changes = service.changes_of(cycle, data.model_dump(exclude_unset=True))
    if not changes:
        return CycleRead.model_validate(cycle)
    status = _check_move(cycle, changes)
    starts_on = changes.get("starts_on", cycle.starts_on)
    ends_on = changes.get("ends_on", cycle.ends_on)
    if ends_on <= starts_on:
        raise Unprocessable(
            "`ends_on` must be after `starts_on`.",
            code="end_not_after_start",
            field="body.ends_on" if "ends_on" in changes else "body.starts_on",
        )
    previous = cycle.status
    service.apply_changes(cycle, changes)
    closed = None
    if status == CycleStatus.CLOSED:
        closed = await _close(session, service.person_of(actor), cycle)
    await core.save(session, cycle)
    await record_event(
        session,
        CYCLE_UPDATED,
        CycleUpdatedPayload(**_payload(cycle).model_dump(), changed=sorted(changes)),
    )
    if closed is not None:
        await record_event(session, CYCLE_CLOSED, closed)
    elif status == CycleStatus.ACTIVE:
        reopened = previous == CycleStatus.CLOSED
        await record_event(session, CYCLE_REOPENED if reopened else CYCLE_OPENED, _payload(cycle))
    return CycleRead.model_validate(cycle)


async def _close(session: AsyncSession, closer: uuid.UUID, cycle: Cycle) -> CycleClosedPayload:
    """Score every objective of the cycle that has no submitted score by its progress now;
    closing again after a reopening takes progress again (it may have moved meanwhile)."""
    objectives = await repository.objectives_of_cycle(session, cycle.id)
    ids = [objective.id for objective in objectives]
    closings = {closing.objective_id: closing for closing in await core.closings_of(session, ids)}
    by_hand = {
        id_ for id_, closing in closings.items() if closing.source == ClosingSource.SUBMITTED
    }
    missing = [objective for objective in objectives if objective.id not in by_hand]
    # The progress everyone sees on the objective is the score it keeps.
    for read in await service.present_objectives(session, missing):
        score = read.progress or 0.0
        earlier = closings.get(read.id)
        if earlier is None:
            await core.save(
                session,
                Closing(objective_id=read.id, score=score, source=ClosingSource.PROGRESS),
            )
        elif earlier.score != score:
            service.apply_changes(earlier, {"score": score})
            await core.save(session, earlier)
    cycle.closed_at = utcnow()
    cycle.closed_by = closer
    return CycleClosedPayload(
        **_payload(cycle).model_dump(),
        closed_at=cycle.closed_at,
        closed_by=closer,
        objectives=len(ids),
        scored_from_progress=len(missing),
    )


# --- Closings --------------------------------------------------------------------------------


async def submit_closing(
    session: AsyncSession,
    actor: Actor,
    objective_id: uuid.UUID,
    data: ClosingSubmit,
    if_match: str | None,
) -> tuple[ClosingRead, bool]:
    """Give the objective its final score and retrospective while its cycle is active (a
    replacement needs `If-Match`); True when it is the first."""
    submitter = service.person_of(actor)
    objective, relations = await service.visible_objective(session, actor, objective_id)
    POLICY.authorize(actor, "closing.submit", relations)
    cycle = await service.open_cycle_of(session, objective)
    if cycle.status != CycleStatus.ACTIVE:
        raise Conflict("Final scores are given once the cycle is active.", code="cycle_not_active")
    closing = await core.get(session, Closing, objective.id, lock=True)
    if closing is None:
        closing = Closing(
            objective_id=objective.id,
            score=data.score,
            retrospective=data.retrospective,
            source=ClosingSource.SUBMITTED,
            submitted_by=submitter,
        )
        await core.save(session, closing)
        return ClosingRead.model_validate(closing), True
    check_if_match(if_match, closing.version)
    service.apply_changes(
        closing,
        {
            "score": data.score,
            "retrospective": data.retrospective,
            "source": ClosingSource.SUBMITTED,
            "submitted_by": submitter,
        },
    )
    await core.save(session, closing)
    return ClosingRead.model_validate(closing), False


async def get_closing(session: AsyncSession, actor: Actor, objective_id: uuid.UUID) -> ClosingRead:
    objective, _ = await service.visible_objective(session, actor, objective_id)
    closing = await core.get(session, Closing, objective.id)
    if closing is None:
        raise NotFound("No final score was given for it yet.", code="closing_not_found")
    return ClosingRead.model_validate(closing)


# --- The report ------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float | None:
    return round(fmean(values), 4) if values else None


async def cycle_report(session: AsyncSession, actor: Actor, cycle_id: uuid.UUID) -> CycleReportRead:
    """The cycle by team (each with its sub-teams), and for the company: how many objectives,
    their mean progress and final score, how many are at risk. People's own objectives are
    counted, never scored: no figure here belongs to one person."""
    cycle = await _cycle(session, cycle_id)
    sight = service.sight_of(actor)
    objectives = await repository.team_and_company_objectives(session, sight, cycle.id)
    ids = [objective.id for objective in objectives]
    progress = {
        read.id: read.progress for read in await service.present_objectives(session, objectives)
    }
    closings = {
        closing.objective_id: closing.score for closing in await core.closings_of(session, ids)
    }
    risky = {
        key_result.objective_id
        for key_result in await core.key_results_of(session, ids)
        if key_result.status in core.RISKY
    }
    # A team's figures take in its sub-teams' (however deep): each objective counts for the
    # team owning it and every team above; the company's row is its own objectives.
    above = await repository.teams_above(
        session, {o.owner_team_id for o in objectives if o.owner_team_id is not None}
    )
    by_owner: dict[uuid.UUID | None, list[Objective]] = defaultdict(list)
    for objective in objectives:
        team_id = objective.owner_team_id
        for owner in [None] if team_id is None else above[team_id]:
            by_owner[owner].append(objective)
    owners = sorted(by_owner, key=lambda team_id: (team_id is not None, str(team_id)))
    teams = []
    for team_id in owners:
        owned = by_owner[team_id]
        figures = [value for o in owned if (value := progress[o.id]) is not None]
        scores = [closings[o.id] for o in owned if o.id in closings]
        teams.append(
            TeamScoresRead(
                team_id=team_id,
                objectives=len(owned),
                progress=_mean(figures),
                final_score=_mean(scores) if cycle.status == CycleStatus.CLOSED else None,
                at_risk=sum(o.id in risky for o in owned),
            )
        )
    return CycleReportRead(
        cycle_id=cycle.id,
        status=cycle.status,
        people_objectives=await repository.count_people_objectives(session, sight, cycle.id),
        teams=teams,
    )
