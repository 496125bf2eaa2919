"""Every SQL statement of the feedback service. It reads and writes; the service decides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Uuid, and_, column, false, or_, true, values
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from kit.pagination import PageParams, encode_cursor, paginate
from kit.policies import Relation
from kit.repository import by_ids as by_ids
from kit.repository import get as get
from kit.repository import save as save
from services.feedback.models import Feedback, Reply
from services.feedback.schemas import Visibility


@dataclass(frozen=True)
class Sight:
    """Which feedback a caller may see: every item of some visibilities, and items of others
    only through a relation to them (OWNER: the giver, PARTICIPANT: the recipient, MANAGER and
    MANAGEMENT_CHAIN: above the recipient)."""

    person_id: uuid.UUID | None
    everything: frozenset[Visibility] = frozenset()
    through: Mapping[Visibility, frozenset[Relation]] = field(default_factory=dict)


def _related(relation: Relation, person_id: uuid.UUID) -> ColumnElement[bool]:
    # Managers are those recorded with the item when it was given, not today's.
    if relation is Relation.OWNER:
        return col(Feedback.giver_id) == person_id
    if relation is Relation.PARTICIPANT:
        return col(Feedback.recipient_id) == person_id
    if relation is Relation.MANAGER:
        return col(Feedback.audience)[1] == person_id
    if relation is Relation.MANAGEMENT_CHAIN:
        return col(Feedback.audience).contains([person_id])
    raise ValueError(f"feedback has no {relation} relation")


def visible_in(sight: Sight) -> ColumnElement[bool]:
    """The condition a row meets when `sight` includes it."""
    conditions: list[ColumnElement[bool]] = []
    if sight.everything:
        conditions.append(col(Feedback.visibility).in_(sorted(sight.everything)))
    if sight.person_id is not None:
        for visibility, relations in sorted(sight.through.items()):
            conditions += [
                and_(col(Feedback.visibility) == visibility, _related(relation, sight.person_id))
                for relation in sorted(relations)
            ]
    return or_(*conditions) if conditions else false()


async def person(session: AsyncSession, person_id: uuid.UUID) -> OrgPerson | None:
    return await session.get(OrgPerson, person_id)


async def list_feedback(
    session: AsyncSession,
    sight: Sight,
    params: PageParams,
    *,
    recipient_id: uuid.UUID | None = None,
    giver_id: uuid.UUID | None = None,
    objective_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
) -> tuple[Sequence[Feedback], str | None]:
    # Filtered in SQL, before the page is cut: a page is never short of items one may see.
    statement = select(Feedback).where(visible_in(sight))
    if recipient_id is not None:
        statement = statement.where(col(Feedback.recipient_id) == recipient_id)
    if giver_id is not None:
        statement = statement.where(col(Feedback.giver_id) == giver_id)
    if objective_id is not None:
        statement = statement.where(col(Feedback.objective_id) == objective_id)
    if person_id is not None:
        statement = statement.where(about(PARENT_COLUMNS["either"], person_id))
    return await paginate(session, statement, Feedback, params)


async def visible_one(
    session: AsyncSession, sight: Sight, feedback_id: uuid.UUID, *, lock: bool = False
) -> Feedback | None:
    """The item if `sight` includes it: found and judged by one statement, so a hidden item
    and a missing one cost the same. `lock` holds it until the transaction ends."""
    statement = select(Feedback).where(col(Feedback.id) == feedback_id, visible_in(sight))
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


@dataclass(frozen=True)
class Batch:
    """The first items of one parent, and where its list continues."""

    rows: list[Feedback]
    has_more: bool
    next_cursor: str | None


# How a grouped read matches an item to a parent id: the item's column(s) the id is in.
PARENT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "received": ("recipient_id",),
    "given": ("giver_id",),
    "either": ("recipient_id", "giver_id"),
    "objective": ("objective_id",),
}


def about(columns: Sequence[str], id_: ColumnElement[uuid.UUID] | uuid.UUID) -> ColumnElement[bool]:
    return or_(*(col(getattr(Feedback, name)) == id_ for name in columns))


async def first_of_each(
    session: AsyncSession,
    sight: Sight,
    columns: Sequence[str],
    parents: Sequence[uuid.UUID],
    limit: int,
) -> dict[uuid.UUID, Batch]:
    """The first `limit` items `sight` includes of each parent (its id in one of `columns`),
    oldest first, in one statement: a lateral page per parent, which the
    `(column, created_at, id)` indexes serve."""
    asked = values(column("id", Uuid()), name="asked").data([(id_,) for id_ in parents])
    page = (
        select(Feedback)
        .where(about(columns, asked.c.id), visible_in(sight))
        .order_by(col(Feedback.created_at), col(Feedback.id))
        .limit(limit + 1)
        .lateral("page")
    )
    item = aliased(Feedback, page)
    statement = (
        select(asked.c.id, item)
        .select_from(asked)
        .join(page, true())
        .order_by(asked.c.id, page.c.created_at, page.c.id)
    )
    found: dict[uuid.UUID, list[Feedback]] = defaultdict(list)
    for parent_id, row in (await session.exec(statement)).all():
        found[parent_id].append(row)
    batches = {}
    for parent_id in parents:
        rows = found.get(parent_id, [])
        kept = rows[:limit]
        cursor = encode_cursor(kept[-1].created_at, kept[-1].id) if len(rows) > limit else None
        batches[parent_id] = Batch(rows=kept, has_more=len(rows) > limit, next_cursor=cursor)
    return batches


async def replies_of(
    session: AsyncSession, feedback_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[Reply]]:
    """The threads of items already found visible, oldest reply first, in one statement."""
    threads: dict[uuid.UUID, list[Reply]] = defaultdict(list)
    if not feedback_ids:
        return threads
    statement = (
        select(Reply)
        .where(col(Reply.feedback_id).in_(list(feedback_ids)))
        .order_by(col(Reply.created_at), col(Reply.id))
    )
    for reply in (await session.exec(statement)).all():
        threads[reply.feedback_id].append(reply)
    return threads
