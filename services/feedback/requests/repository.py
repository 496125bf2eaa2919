"""The SQL of feedback requests. Who sees a request is part of each statement that finds it:
its requester, its subject and the people asked; an asked person sees only their own part."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, exists, func, or_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from kit.repository import by_ids
from services.feedback.requests.models import FeedbackRequest, RequestPart
from services.feedback.requests.schemas import PartStatus, RequestRole


def _asked(person_id: uuid.UUID, status: PartStatus | None = None) -> ColumnElement[bool]:
    part = select(RequestPart).where(
        col(RequestPart.request_id) == col(FeedbackRequest.id),
        col(RequestPart.person_id) == person_id,
    )
    if status is not None:
        part = part.where(col(RequestPart.status) == status)
    return exists(part)


def seen_by(person_id: uuid.UUID) -> ColumnElement[bool]:
    return or_(
        col(FeedbackRequest.requester_id) == person_id,
        col(FeedbackRequest.subject_id) == person_id,
        _asked(person_id),
    )


async def list_requests(
    session: AsyncSession,
    person_id: uuid.UUID,
    params: PageParams,
    *,
    role: RequestRole | None = None,
    status: PartStatus | None = None,
) -> tuple[Sequence[FeedbackRequest], str | None]:
    statement = select(FeedbackRequest).where(seen_by(person_id))
    if role is RequestRole.REQUESTER:
        statement = statement.where(col(FeedbackRequest.requester_id) == person_id)
    elif role is RequestRole.SUBJECT:
        statement = statement.where(col(FeedbackRequest.subject_id) == person_id)
    if role is RequestRole.ASKED or status is not None:
        statement = statement.where(_asked(person_id, status))
    return await paginate(session, statement, FeedbackRequest, params)


async def request_seen(
    session: AsyncSession, person_id: uuid.UUID, request_id: uuid.UUID, *, lock: bool = False
) -> FeedbackRequest | None:
    """The request if `person_id` takes part in it: one statement, whether it exists or not."""
    statement = select(FeedbackRequest).where(
        col(FeedbackRequest.id) == request_id, seen_by(person_id)
    )
    if lock:
        statement = statement.with_for_update()
    return (await session.exec(statement)).first()


async def requests_by_ids(
    session: AsyncSession, person_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> list[FeedbackRequest]:
    return await by_ids(session, FeedbackRequest, ids, seen_by(person_id))


async def parts_seen(
    session: AsyncSession, person_id: uuid.UUID, request_ids: Collection[uuid.UUID]
) -> Sequence[RequestPart]:
    """The parts of these requests the person sees: all of them as requester or subject,
    their own as an asked person."""
    statement = (
        select(RequestPart)
        .join(FeedbackRequest, col(FeedbackRequest.id) == col(RequestPart.request_id))
        .where(
            col(RequestPart.request_id).in_(list(request_ids)),
            or_(
                col(FeedbackRequest.requester_id) == person_id,
                col(FeedbackRequest.subject_id) == person_id,
                col(RequestPart.person_id) == person_id,
            ),
        )
        .order_by(col(RequestPart.person_id))
    )
    return (await session.exec(statement)).all()


async def answer_ids(
    session: AsyncSession, person_id: uuid.UUID, request_id: uuid.UUID
) -> list[uuid.UUID] | None:
    """The answers of a request the person takes part in, in the order they were given; None
    when they take no part in it (or it does not exist): one statement either way."""
    given = (
        select(
            func.array_agg(
                aggregate_order_by(col(RequestPart.feedback_id), col(RequestPart.closed_at))
            )
        )
        .where(
            col(RequestPart.request_id) == col(FeedbackRequest.id),
            col(RequestPart.feedback_id).is_not(None),
        )
        .scalar_subquery()
    )
    statement = select(col(FeedbackRequest.id), given).where(
        col(FeedbackRequest.id) == request_id, seen_by(person_id)
    )
    found = (await session.exec(statement)).first()
    if found is None:
        return None
    return list(found[1] or [])
