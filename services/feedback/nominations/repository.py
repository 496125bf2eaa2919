"""The SQL of nominations. Counts and reasons are read only through statements that require
the period closed and the nominee named at least `minimum` times, so the rule is in the
statement: an open period or a lone nomination yields no row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from services.feedback.nominations.models import Nomination, NominationPeriod
from services.feedback.nominations.schemas import PeriodStatus


async def list_periods(
    session: AsyncSession, params: PageParams, *, status: PeriodStatus | None = None
) -> tuple[Sequence[NominationPeriod], str | None]:
    statement = select(NominationPeriod)
    if status is not None:
        statement = statement.where(col(NominationPeriod.status) == status)
    return await paginate(session, statement, NominationPeriod, params)


def _closed(period_id: uuid.UUID) -> ColumnElement[bool]:
    return col(Nomination.period_id).in_(
        select(NominationPeriod.id).where(
            col(NominationPeriod.id) == period_id,
            col(NominationPeriod.status) == PeriodStatus.CLOSED,
        )
    )


async def closed_among(
    session: AsyncSession, period_ids: Sequence[uuid.UUID]
) -> Sequence[uuid.UUID]:
    """Those of `period_ids` that name a closed period."""
    statement = select(NominationPeriod.id).where(
        col(NominationPeriod.id).in_(period_ids),
        col(NominationPeriod.status) == PeriodStatus.CLOSED,
    )
    return (await session.exec(statement)).all()


async def revealed_of(
    session: AsyncSession, period_ids: Sequence[uuid.UUID], minimum: int
) -> Sequence[tuple[uuid.UUID, uuid.UUID, int]]:
    """`revealed` for several periods in one statement: (period, nominee, count) of the
    closed ones among `period_ids`."""
    count = func.count()
    closed = select(NominationPeriod.id).where(
        col(NominationPeriod.id).in_(period_ids),
        col(NominationPeriod.status) == PeriodStatus.CLOSED,
    )
    statement = (
        select(col(Nomination.period_id), col(Nomination.nominee_id), count)
        .where(col(Nomination.period_id).in_(closed))
        .group_by(col(Nomination.period_id), col(Nomination.nominee_id))
        .having(count >= minimum)
        .order_by(col(Nomination.period_id), col(Nomination.nominee_id))
    )
    return (await session.exec(statement)).all()


async def reasons_for(
    session: AsyncSession, period_id: uuid.UUID, nominee_id: uuid.UUID, minimum: int
) -> Sequence[str]:
    """The reasons given for one nominee of a closed period, if named at least `minimum`
    times; ordered by their words, so that no order hints at who wrote which."""
    named = (
        select(func.count())
        .where(col(Nomination.period_id) == period_id, col(Nomination.nominee_id) == nominee_id)
        .scalar_subquery()
    )
    statement = (
        select(col(Nomination.reason))
        .where(_closed(period_id), col(Nomination.nominee_id) == nominee_id, named >= minimum)
        .order_by(col(Nomination.reason))
    )
    return (await session.exec(statement)).all()
