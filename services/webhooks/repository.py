"""Every SQL statement of the webhooks service. It reads and writes; the service decides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, text, tuple_, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects.postgresql import array, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, decode_cursor, encode_cursor, paginate
from kit.repository import delete as delete
from kit.repository import get as get
from kit.repository import save as save
from services.webhooks.models import Attempt, Event, Message, Subscription


async def log_event(session: AsyncSession, event: Event) -> bool:
    """Insert `event` unless an event of its id is logged already; whether it was new."""
    inserted = await session.scalar(
        insert(Event)
        .values(
            id=event.id,
            source=event.source,
            type=event.type,
            occurred_at=event.occurred_at,
            data=event.data,
            logged_at=event.logged_at,
            traceparent=event.traceparent,
        )
        .on_conflict_do_nothing()
        .returning(col(Event.id))
    )
    return inserted is not None


async def subscriptions_naming(
    session: AsyncSession, patterns: Sequence[str]
) -> Sequence[Subscription]:
    """The enabled subscriptions whose event types include one of `patterns` as written."""
    statement = select(Subscription).where(
        col(Subscription.enabled),
        # `?|`: the JSON array holds one of these strings.
        col(Subscription.event_types).op("?|")(array(patterns)),
    )
    return (await session.exec(statement)).all()


async def add_messages(session: AsyncSession, messages: Sequence[Message]) -> None:
    if messages:
        await session.exec(insert(Message).values([message.model_dump() for message in messages]))


async def list_events(
    session: AsyncSession,
    params: PageParams,
    *,
    exact_type: str | None,
    prefix: str | None,
    source: str | None,
    occurred_after: datetime | None,
    occurred_before: datetime | None,
    sources: Collection[str] | None,
    own: tuple[str, str, str] | None,
) -> tuple[Sequence[Event], str | None]:
    """Events in `(occurred_at, id)` order after the cursor; `prefix` takes every type of the
    service of that name or named `prefix.…`; `sources`, when given, bounds what is seen, and
    `own` (an owner's role and subject, with the source of the events about subscriptions)
    leaves out those about others' subscriptions."""
    statement = select(Event)
    if own is not None:
        role, subject, about_subscriptions = own
        theirs = select(cast(col(Subscription.id), String)).where(
            col(Subscription.owner_role) == role, col(Subscription.owner_subject) == subject
        )
        statement = statement.where(
            or_(
                col(Event.source) != about_subscriptions,
                col(Event.data)["subscription_id"].astext.in_(theirs),
            )
        )
    if exact_type is not None:
        statement = statement.where(col(Event.type) == exact_type)
    if prefix is not None:
        statement = statement.where(
            or_(
                col(Event.source) == prefix,
                col(Event.type).startswith(prefix + ".", autoescape=True),
            )
        )
    if source is not None:
        statement = statement.where(col(Event.source) == source)
    if sources is not None:
        statement = statement.where(col(Event.source).in_(sources))
    if occurred_after is not None:
        statement = statement.where(col(Event.occurred_at) >= occurred_after)
    if occurred_before is not None:
        statement = statement.where(col(Event.occurred_at) < occurred_before)
    order = (col(Event.occurred_at), col(Event.id))
    if params.cursor is not None:
        statement = statement.where(tuple_(*order) > tuple_(*decode_cursor(params.cursor)))
    rows = list((await session.exec(statement.order_by(*order).limit(params.limit + 1))).all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, encode_cursor(rows[-1].occurred_at, rows[-1].id)


async def prune_events(session: AsyncSession, before: datetime) -> int:
    """Delete the events that occurred before `before` (their messages go with them)."""
    result = await session.exec(sql_delete(Event).where(col(Event.occurred_at) < before))
    return int(result.rowcount or 0)


async def list_subscriptions(
    session: AsyncSession,
    params: PageParams,
    *,
    owner_subject: str | None,
    enabled: bool | None,
) -> tuple[Sequence[Subscription], str | None]:
    statement = select(Subscription)
    if owner_subject is not None:
        statement = statement.where(
            col(Subscription.owner_role) == "integration",
            col(Subscription.owner_subject) == owner_subject,
        )
    if enabled is not None:
        statement = statement.where(col(Subscription.enabled) == enabled)
    return await paginate(session, statement, Subscription, params)


async def list_messages(
    session: AsyncSession, params: PageParams, subscription_id: uuid.UUID, status: str | None
) -> tuple[Sequence[Message], str | None]:
    statement = select(Message).where(col(Message.subscription_id) == subscription_id)
    if status is not None:
        statement = statement.where(col(Message.status) == status)
    return await paginate(session, statement, Message, params)


async def attempts_of(
    session: AsyncSession, message_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[Attempt]]:
    """Each message's attempts, oldest first, in one query for a whole page of messages."""
    rows = await session.exec(
        select(Attempt)
        .where(col(Attempt.message_id).in_(message_ids))
        .order_by(col(Attempt.message_id), col(Attempt.attempted_at), col(Attempt.id))
    )
    attempts: dict[uuid.UUID, list[Attempt]] = defaultdict(list)
    for attempt in rows.all():
        attempts[attempt.message_id].append(attempt)
    return attempts


# --- The delivery queue ------------------------------------------------------------------------

# One statement: lock due messages of enabled subscriptions that no other dispatcher holds
# (a lease that ran out is free again), lease them, each under a token of its own; with the
# `traceparent` of the event each was made from.
_CLAIM = text(
    """
    WITH due AS (
        SELECT message.id, event.traceparent FROM message
        JOIN subscription ON subscription.id = message.subscription_id
        LEFT JOIN event ON event.id = message.event_id
        WHERE subscription.enabled AND (
            (message.status = 'pending' AND message.next_attempt_at <= :now)
            OR (message.status = 'delivering' AND message.lease_until <= :now)
        )
        ORDER BY message.next_attempt_at
        LIMIT :batch
        FOR UPDATE OF message SKIP LOCKED
    )
    UPDATE message
    SET status = 'delivering', lease_until = :lease_until, claim = gen_random_uuid(),
        updated_at = :now
    FROM due WHERE message.id = due.id
    RETURNING message.id, message.subscription_id, message.payload, message.attempts,
        message.claim, due.traceparent
    """
)


@dataclass(frozen=True)
class Claimed:
    message_id: uuid.UUID
    subscription_id: uuid.UUID
    payload: bytes
    attempts: int
    claim: uuid.UUID
    # Of the event the message was made from: the attempt continues its trace.
    traceparent: str | None


async def claim_due(
    session: AsyncSession, now: datetime, lease_until: datetime, batch: int
) -> list[Claimed]:
    connection = await session.connection()
    rows = await connection.execute(
        _CLAIM, {"now": now, "lease_until": lease_until, "batch": batch}
    )
    return [Claimed(*row) for row in rows.all()]


async def subscriptions_by_id(
    session: AsyncSession, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Subscription]:
    rows = await session.exec(select(Subscription).where(col(Subscription.id).in_(ids)))
    return {row.id: row for row in rows.all()}


async def settle_message(
    session: AsyncSession,
    message_id: uuid.UUID,
    claim: uuid.UUID,
    values: dict[str, Any],
) -> Message | None:
    """Apply `values` to the message and end its lease, if `claim` still holds it; the message
    as it is then, or None when another dispatcher holds it now."""
    result = await session.exec(
        update(Message)
        .where(col(Message.id) == message_id, col(Message.claim) == claim)
        .values(lease_until=None, claim=None, **values)
        .returning(Message)
    )
    return result.scalars().one_or_none()


async def add_attempt(session: AsyncSession, attempt: Attempt) -> None:
    session.add(attempt)
    await session.flush()


async def endpoint_succeeded(session: AsyncSession, subscription_id: uuid.UUID) -> None:
    await session.exec(
        update(Subscription)
        .where(col(Subscription.id) == subscription_id)
        .values(failing_since=None)
    )


async def endpoint_failing(
    session: AsyncSession, subscription_id: uuid.UUID, since: datetime
) -> None:
    """Keep the earlier of the stored start of the endpoint's failures and `since` (attempts
    of one endpoint settle concurrently)."""
    await session.exec(
        update(Subscription)
        .where(col(Subscription.id) == subscription_id)
        .values(
            failing_since=func.least(func.coalesce(col(Subscription.failing_since), since), since)
        )
    )


async def disable_endpoint(
    session: AsyncSession, subscription_id: uuid.UUID, now: datetime
) -> Subscription | None:
    """Disable the subscription if it is enabled; it, or None when it was not."""
    result = await session.exec(
        update(Subscription)
        .where(col(Subscription.id) == subscription_id, col(Subscription.enabled))
        .values(enabled=False, version=col(Subscription.version) + 1, updated_at=now)
        .returning(Subscription)
    )
    return result.scalars().one_or_none()


async def release_message(
    session: AsyncSession, message_id: uuid.UUID, claim: uuid.UUID, now: datetime
) -> None:
    """Give the message back unattempted, due at once, if `claim` still holds it."""
    await session.exec(
        update(Message)
        .where(col(Message.id) == message_id, col(Message.claim) == claim)
        .values(
            status="pending",
            lease_until=None,
            claim=None,
            next_attempt_at=func.least(col(Message.next_attempt_at), now),
        )
    )


async def queue_depth(session: AsyncSession) -> int:
    """Messages waiting for an attempt or in one."""
    count = await session.scalar(
        select(func.count())
        .select_from(Message)
        .where(col(Message.status).in_(("pending", "delivering")))
    )
    return int(count or 0)


async def recover_failed(
    session: AsyncSession, subscription_id: uuid.UUID, since: datetime, now: datetime
) -> int:
    """Queue again, due at `now`, every failed message of the subscription queued since
    `since`; how many."""
    result = await session.exec(
        update(Message)
        .where(
            col(Message.subscription_id) == subscription_id,
            col(Message.status) == "failed",
            col(Message.created_at) >= since,
        )
        .values(status="pending", next_attempt_at=now, updated_at=now)
    )
    return int(result.rowcount or 0)
