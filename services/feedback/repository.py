"""Every SQL statement of the feedback service. It reads and writes; the service decides."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.orgcopy import OrgPerson
from kit.pagination import PageParams, paginate
from kit.policies import Relation
from kit.repository import by_ids as by_ids
from kit.repository import get as get
from kit.repository import save as save
from services.feedback.models import Feedback
from services.feedback.schemas import Visibility


@dataclass(frozen=True)
class Sight:
    """Which feedback a caller may see: every item of some visibilities, and items of others
    only through a relation to them (OWNER: the giver, PARTICIPANT: the recipient, MANAGER and
    MANAGEMENT_CHAIN: above the recipient)."""

    person_id: uuid.UUID | None
    everything: frozenset[Visibility] = frozenset()
    through: Mapping[Visibility, frozenset[Relation]] = field(default_factory=dict)


def _reports(manager_id: uuid.UUID) -> ColumnElement[bool]:
    direct = select(col(OrgPerson.id)).where(col(OrgPerson.manager_id) == manager_id)
    return col(Feedback.recipient_id).in_(direct)


def _below(manager_id: uuid.UUID) -> ColumnElement[bool]:
    """The recipient reports to `manager_id`, directly or through others."""
    return col(Feedback.recipient_id).in_(select(orgcopy.below(manager_id).c.id))


def _related(relation: Relation, person_id: uuid.UUID) -> ColumnElement[bool]:
    if relation is Relation.OWNER:
        return col(Feedback.giver_id) == person_id
    if relation is Relation.PARTICIPANT:
        return col(Feedback.recipient_id) == person_id
    if relation is Relation.MANAGER:
        return _reports(person_id)
    if relation is Relation.MANAGEMENT_CHAIN:
        return _below(person_id)
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
) -> tuple[Sequence[Feedback], str | None]:
    # Filtered in SQL, before the page is cut: a page is never short of items one may see.
    statement = select(Feedback).where(visible_in(sight))
    if recipient_id is not None:
        statement = statement.where(col(Feedback.recipient_id) == recipient_id)
    if giver_id is not None:
        statement = statement.where(col(Feedback.giver_id) == giver_id)
    return await paginate(session, statement, Feedback, params)
