"""The SQL of help requests: one found with the reader's sight decided in the same statement,
the caller's own, an objective's, the open one of a key result or an objective, and the
offers of a page of requests at once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.orgcopy import OrgPerson
from kit.pagination import PageParams, paginate
from services.goals.help.models import HelpOffer, HelpRequest
from services.goals.help.schemas import HelpRequestRole, HelpRequestState
from services.goals.models import Contributor, Objective
from services.goals.repository import Sight, visible


def _seen(sight: Sight) -> ColumnElement[bool]:
    """The help requests `sight` sees: those of the objectives it sees (a private objective's
    are as private as it is), and those its person asked or was asked to help with."""
    if sight.everything:
        return true()
    if sight.person_id is None:
        return visible(sight)
    return or_(
        visible(sight),
        col(HelpRequest.opened_by) == sight.person_id,
        col(HelpRequest.addressee_ids).contains([sight.person_id]),
    )


def _requests(sight: Sight) -> SelectOfScalar[HelpRequest]:
    return (
        select(HelpRequest)
        .join(Objective, col(Objective.id) == col(HelpRequest.objective_id))
        .where(_seen(sight))
    )


async def visible_request(
    session: AsyncSession, sight: Sight, help_request_id: uuid.UUID, *, lock: bool = False
) -> HelpRequest | None:
    statement = _requests(sight).where(col(HelpRequest.id) == help_request_id)
    if lock:
        statement = statement.with_for_update(of=HelpRequest).execution_options(
            populate_existing=True
        )
    return (await session.exec(statement)).first()


async def open_request(
    session: AsyncSession, objective_id: uuid.UUID, key_result_id: uuid.UUID | None
) -> HelpRequest | None:
    """The open request of the key result (or, without one, of the objective as a whole)."""
    subject = (
        col(HelpRequest.key_result_id) == key_result_id
        if key_result_id is not None
        else col(HelpRequest.key_result_id).is_(None)
    )
    statement = select(HelpRequest).where(
        col(HelpRequest.objective_id) == objective_id,
        subject,
        col(HelpRequest.state) == HelpRequestState.OPEN,
    )
    return (await session.exec(statement)).first()


async def mine(
    session: AsyncSession,
    person_id: uuid.UUID,
    params: PageParams,
    *,
    role: HelpRequestRole | None,
    state: HelpRequestState | None,
) -> tuple[Sequence[HelpRequest], str | None]:
    """The requests `person_id` asked, or was asked to help with, oldest first."""
    asked = col(HelpRequest.opened_by) == person_id
    addressed = col(HelpRequest.addressee_ids).contains([person_id])
    which = {HelpRequestRole.MINE: asked, HelpRequestRole.ADDRESSED: addressed}
    statement = select(HelpRequest).where(or_(asked, addressed) if role is None else which[role])
    if state is not None:
        statement = statement.where(col(HelpRequest.state) == state)
    return await paginate(session, statement, HelpRequest, params)


async def of_objective(
    session: AsyncSession,
    objective_id: uuid.UUID,
    params: PageParams,
    *,
    state: HelpRequestState | None,
) -> tuple[Sequence[HelpRequest], str | None]:
    statement = select(HelpRequest).where(col(HelpRequest.objective_id) == objective_id)
    if state is not None:
        statement = statement.where(col(HelpRequest.state) == state)
    return await paginate(session, statement, HelpRequest, params)


async def offers_of(
    session: AsyncSession, help_request_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[HelpOffer]]:
    """The offers of these requests, oldest first, in one statement."""
    found: dict[uuid.UUID, list[HelpOffer]] = defaultdict(list)
    if not help_request_ids:
        return found
    statement = (
        select(HelpOffer)
        .where(col(HelpOffer.help_request_id).in_(list(help_request_ids)))
        .order_by(col(HelpOffer.created_at), col(HelpOffer.id))
    )
    for offer in (await session.exec(statement)).all():
        found[offer.help_request_id].append(offer)
    return found


async def helpers(
    session: AsyncSession,
    objective_id: uuid.UUID,
    people: Collection[uuid.UUID],
    *,
    manager_of: uuid.UUID | None,
) -> list[uuid.UUID]:
    """The active people among an objective's contributors, `people`, and the manager of
    `manager_of`, in one statement."""
    contributors = select(Contributor.person_id).where(
        col(Contributor.objective_id) == objective_id
    )
    conditions = [col(OrgPerson.id).in_(contributors), col(OrgPerson.id).in_(list(people))]
    if manager_of is not None:
        manager = select(OrgPerson.manager_id).where(col(OrgPerson.id) == manager_of)
        conditions.append(col(OrgPerson.id).in_(manager))
    statement = select(OrgPerson.id).where(or_(*conditions), col(OrgPerson.active))
    return list((await session.exec(statement.order_by(col(OrgPerson.id)))).all())
