"""The rules of nominations. HR admins open and close periods. While a period is open, each
active person names the colleague who helped them most (one nomination, replaced if given
again) with a reason. Nobody reads counts before the period closes, HR admins included; then
only nominees named at least twice are revealed, with their counts, and each of them reads
the reasons without names. Who nominated whom is never revealed: a nominator reads their own
nomination, nobody else's; no event or error names a nominator with a nominee."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.repository import apply_patch, by_ids, get, save
from services.feedback.colleagues import active_colleagues
from services.feedback.nominations import repository
from services.feedback.nominations.events import NOMINATION_PERIOD_CLOSED, PeriodClosedPayload
from services.feedback.nominations.models import Nomination, NominationPeriod
from services.feedback.nominations.schemas import (
    MIN_REVEALED,
    NominationPeriodCreate,
    NominationPeriodQuery,
    NominationPeriodRead,
    NominationRead,
    NominationResultsRead,
    NominationSubmit,
    NomineeRead,
    PeriodStatus,
    ReasonsRead,
)


def _person(actor: Actor) -> uuid.UUID:
    if actor.person_id is None:  # the policy lets only people through; this keeps types honest
        raise Forbidden("Only people nominate.")
    return actor.person_id


async def _period(
    session: AsyncSession, period_id: uuid.UUID, *, lock: bool = False, share: bool = False
) -> NominationPeriod:
    period = await get(session, NominationPeriod, period_id, lock=lock, share=share)
    if period is None:
        raise NotFound("No nomination period has this id.", code="period_not_found")
    return period


async def create_period(
    session: AsyncSession, actor: Actor, data: NominationPeriodCreate
) -> NominationPeriodRead:
    if data.ends_on < data.starts_on:
        raise Unprocessable(
            "`ends_on` may not be before `starts_on`.",
            code="ends_before_start",
            field="body.ends_on",
        )
    period = NominationPeriod.model_validate(data.model_dump())
    await save(session, period)
    return NominationPeriodRead.model_validate(period)


async def get_period(
    session: AsyncSession, actor: Actor, period_id: uuid.UUID
) -> NominationPeriodRead:
    return NominationPeriodRead.model_validate(await _period(session, period_id))


async def list_periods(
    session: AsyncSession,
    actor: Actor,
    filters: NominationPeriodQuery,
    params: PageParams,
    ids: Sequence[uuid.UUID] | None,
) -> Page[NominationPeriodRead]:
    if ids:
        rows: Sequence[NominationPeriod] = await by_ids(session, NominationPeriod, ids)
        cursor = None
    else:
        rows, cursor = await repository.list_periods(session, params, status=filters.status)
    return Page(
        items=[NominationPeriodRead.model_validate(row) for row in rows], next_cursor=cursor
    )


async def close_period(
    session: AsyncSession, actor: Actor, period_id: uuid.UUID, if_match: str | None
) -> NominationPeriodRead:
    """Close a period for good and reveal what it may."""
    period = await _period(session, period_id, lock=True)
    check_if_match(if_match, period.version)
    if period.status is PeriodStatus.CLOSED:
        raise Conflict("This period is closed already.", code="period_closed")
    apply_patch(period, {"status": PeriodStatus.CLOSED, "closed_at": utcnow()})
    await save(session, period)
    assert period.closed_at is not None  # noqa: S101  # set just above
    await record_event(
        session,
        NOMINATION_PERIOD_CLOSED,
        PeriodClosedPayload(
            id=period.id,
            closed_at=period.closed_at,
            nominees=await _revealed(session, period.id),
        ),
    )
    return NominationPeriodRead.model_validate(period)


async def nominate(
    session: AsyncSession, actor: Actor, period_id: uuid.UUID, data: NominationSubmit
) -> tuple[NominationRead, bool]:
    """The caller's nomination in an open period, made or replaced; True when made."""
    me = _person(actor)
    # Shared: closing waits for this nomination, so none lands in a closed period.
    period = await _period(session, period_id, share=True)
    if period.status is not PeriodStatus.OPEN:
        raise Conflict("This period is closed.", code="period_closed")
    if data.nominee_id == me:
        raise Conflict("Nominate someone else.", code="self_nomination", field="body.nominee_id")
    await active_colleagues(session, [data.nominee_id], field="body.nominee_id")
    nomination = await get(session, Nomination, (period_id, me), lock=True)
    made = nomination is None
    if nomination is None:
        nomination = Nomination(period_id=period_id, nominator_id=me, **data.model_dump())
    else:
        nomination.nominee_id, nomination.reason = data.nominee_id, data.reason
        nomination.updated_at = utcnow()
    await save(session, nomination)
    return NominationRead.model_validate(nomination), made


async def my_nomination(
    session: AsyncSession, actor: Actor, period_id: uuid.UUID
) -> NominationRead:
    me = _person(actor)
    await _period(session, period_id)
    nomination = await get(session, Nomination, (period_id, me))
    if nomination is None:
        raise NotFound("You have not nominated anyone in this period.", code="no_nomination")
    return NominationRead.model_validate(nomination)


async def _revealed(session: AsyncSession, period_id: uuid.UUID) -> list[NomineeRead]:
    rows = await repository.revealed_of(session, [period_id], MIN_REVEALED)
    return [NomineeRead(nominee_id=nominee_id, nominations=count) for _, nominee_id, count in rows]


async def _closed_period(session: AsyncSession, period_id: uuid.UUID) -> NominationPeriod:
    period = await _period(session, period_id)
    if period.status is not PeriodStatus.CLOSED:
        raise Conflict("Nominations are revealed when the period closes.", code="period_open")
    return period


async def results(
    session: AsyncSession, actor: Actor, period_id: uuid.UUID
) -> NominationResultsRead:
    await _closed_period(session, period_id)
    return NominationResultsRead(period_id=period_id, nominees=await _revealed(session, period_id))


async def results_of(
    session: AsyncSession, actor: Actor, period_ids: Sequence[uuid.UUID]
) -> Page[NominationResultsRead]:
    """The results of those of `period_ids` that are closed, in the order asked; open and
    unknown periods are left out. Two statements whatever the number of periods."""
    wanted = list(dict.fromkeys(period_ids))
    closed = set(await repository.closed_among(session, wanted))
    nominees: dict[uuid.UUID, list[NomineeRead]] = {period_id: [] for period_id in closed}
    for period_id, nominee_id, count in await repository.revealed_of(
        session, list(closed), MIN_REVEALED
    ):
        nominees[period_id].append(NomineeRead(nominee_id=nominee_id, nominations=count))
    return Page(
        items=[
            NominationResultsRead(period_id=period_id, nominees=nominees[period_id])
            for period_id in wanted
            if period_id in closed
        ],
        next_cursor=None,
    )


async def my_reasons(session: AsyncSession, actor: Actor, period_id: uuid.UUID) -> ReasonsRead:
    """The reasons the caller was nominated for, once closed and if named at least twice."""
    me = _person(actor)
    await _closed_period(session, period_id)
    reasons = await repository.reasons_for(session, period_id, me, MIN_REVEALED)
    return ReasonsRead(period_id=period_id, reasons=list(reasons))
