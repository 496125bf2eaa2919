"""The rules of help requests. An `off_track` check-in, or one with a confidence of 3 or
less, opens one in the check-in's own transaction (its note becomes what is blocked; what
help is wanted stays empty until the one who asked says); so can anyone working on an
objective, by hand. At most one is open per key result, and one per objective as a whole: a
later low check-in leaves the open one as it is. It is addressed to the owner's manager (for
a team's objective, its lead and the lead's manager), the contributors, and the owner when
someone else asked; any
person who sees it offers help; those who work on the objective resolve it with a note.

A help request is never a mark against anyone: nothing here counts them per person or lists
people by them. It is seen by whoever may read its objective (decided in the statement that
finds it, as for objectives), by whoever asked and by those asked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, NotFound
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page
from kit.policies import Relation
from kit.repository import apply_patch, changed
from services.goals import repository as core_repository
from services.goals import service as core
from services.goals.help import repository
from services.goals.help.events import (
    HELP_REQUEST_OPENED,
    HELP_REQUEST_RESOLVED,
    HelpRequestOpenedPayload,
    HelpRequestResolvedPayload,
)
from services.goals.help.models import HelpOffer, HelpRequest
from services.goals.help.schemas import (
    HelpOfferCreate,
    HelpOfferRead,
    HelpRequestCreate,
    HelpRequestQuery,
    HelpRequestRead,
    HelpRequestResolve,
    HelpRequestSource,
    HelpRequestState,
    HelpRequestUpdate,
    ObjectiveHelpRequestQuery,
)
from services.goals.models import CheckIn, KeyResult, Objective
from services.goals.schemas import CheckInStatus
from services.goals.service import POLICY

# A check-in at or below this confidence asks for help, whatever status it names.
LOW_CONFIDENCE = 3
_NOT_FOUND = "No help request has this id."


def asks_for_help(check_in: CheckIn) -> bool:
    return check_in.status == CheckInStatus.OFF_TRACK or check_in.confidence <= LOW_CONFIDENCE


async def present(session: AsyncSession, rows: Sequence[HelpRequest]) -> list[HelpRequestRead]:
    """The requests as read, with their offers (one statement for them all)."""
    offers = await repository.offers_of(session, [row.id for row in rows])
    return [
        HelpRequestRead.model_validate(
            {
                **row.model_dump(),
                "offers": [HelpOfferRead.model_validate(offer) for offer in offers[row.id]],
            }
        )
        for row in rows
    ]


async def _addressees(
    session: AsyncSession, objective: Objective, opened_by: uuid.UUID
) -> list[uuid.UUID]:
    """Who can help: the owner and the owner's manager (for a team: its lead and the lead's
    manager), and the contributors; never the one asking, nobody inactive."""
    owner = objective.owner_person_id
    if objective.owner_team_id is not None:
        team = await core_repository.org_team(session, objective.owner_team_id)
        owner = None if team is None else team.lead_id
    people = set() if owner is None else {owner}
    found = await repository.helpers(session, objective.id, people, manager_of=owner)
    return [person for person in found if person != opened_by]


async def _open(
    session: AsyncSession,
    objective: Objective,
    key_result_id: uuid.UUID | None,
    *,
    opened_by: uuid.UUID,
    source: HelpRequestSource,
    check_in_id: uuid.UUID | None = None,
    blocked: str | None = None,
    help_wanted: str | None = None,
) -> HelpRequest:
    row = HelpRequest(
        objective_id=objective.id,
        key_result_id=key_result_id,
        check_in_id=check_in_id,
        source=source,
        blocked=blocked,
        help_wanted=help_wanted,
        opened_by=opened_by,
        addressee_ids=await _addressees(session, objective, opened_by),
    )
    await core_repository.save(session, row)
    await record_event(
        session,
        HELP_REQUEST_OPENED,
        HelpRequestOpenedPayload(
            id=row.id,
            objective_id=objective.id,
            key_result_id=key_result_id,
            owner_person_id=objective.owner_person_id,
            owner_team_id=objective.owner_team_id,
            visibility=objective.visibility,
            source=source,
            check_in_id=check_in_id,
            opened_by=opened_by,
            addressee_ids=row.addressee_ids,
        ),
    )
    return row


async def open_for_check_in(
    session: AsyncSession, objective: Objective, key_result: KeyResult, check_in: CheckIn
) -> None:
    """Ask for help when a check-in says it is off track or its author is not confident,
    unless the key result already has an open request (the caller holds the key result)."""
    if not asks_for_help(check_in):
        return
    if await repository.open_request(session, objective.id, key_result.id) is not None:
        return
    await _open(
        session,
        objective,
        key_result.id,
        opened_by=check_in.author_id,
        source=HelpRequestSource.CHECK_IN,
        check_in_id=check_in.id,
        blocked=check_in.note,
    )


async def open_request(
    session: AsyncSession, actor: Actor, data: HelpRequestCreate
) -> HelpRequestRead:
    """Ask for help by hand on an objective or one of its key results (409
    `help_request_open` when one is open for it already)."""
    person = core.person_of(actor)
    key_result_id = data.key_result_id
    # Held: two people asking at once open one request between them.
    if key_result_id is not None:
        key_result, objective, relations = await core.visible_key_result(
            session, actor, key_result_id, lock=True
        )
        if key_result.owner_person_id == person:
            relations.add(Relation.OWNER)
    else:
        assert data.objective_id is not None  # noqa: S101  # one of the two, checked by the schema
        objective, relations = await core.visible_objective(
            session, actor, data.objective_id, lock=True
        )
    POLICY.authorize(actor, "help_request.open", relations)
    await core.open_cycle_of(session, objective)
    if await repository.open_request(session, objective.id, key_result_id) is not None:
        raise Conflict(
            "Help is already asked for here; add to the open request instead.",
            code="help_request_open",
        )
    row = await _open(
        session,
        objective,
        key_result_id,
        opened_by=person,
        source=HelpRequestSource.MANUAL,
        blocked=data.blocked,
        help_wanted=data.help_wanted,
    )
    (read,) = await present(session, [row])
    return read


async def _visible(
    session: AsyncSession, actor: Actor, help_request_id: uuid.UUID, *, lock: bool = False
) -> HelpRequest:
    row = await repository.visible_request(
        session, core.sight_of(actor), help_request_id, lock=lock
    )
    if row is None:
        raise NotFound(_NOT_FOUND, code="help_request_not_found")
    return row


async def _workable(
    session: AsyncSession, actor: Actor, help_request_id: uuid.UUID, action: str
) -> HelpRequest:
    """The request, held, if it is still open and the actor works on its objective."""
    row = await _visible(session, actor, help_request_id, lock=True)
    objective = await core_repository.get(session, Objective, row.objective_id)
    assert objective is not None  # noqa: S101  # a foreign key keeps it
    relations = await core.relations_to_objective(session, actor, objective)
    if row.opened_by == actor.person_id:
        relations.add(Relation.OWNER)
    POLICY.authorize(actor, action, relations)
    _refuse_resolved(row)
    return row


def _refuse_resolved(row: HelpRequest) -> None:
    if row.state == HelpRequestState.RESOLVED:
        raise Conflict("This help request is resolved.", code="help_request_resolved")


async def get_request(
    session: AsyncSession, actor: Actor, help_request_id: uuid.UUID
) -> HelpRequestRead:
    (read,) = await present(session, [await _visible(session, actor, help_request_id)])
    return read


async def my_requests(
    session: AsyncSession, actor: Actor, query: HelpRequestQuery
) -> Page[HelpRequestRead]:
    """The caller's own: those they asked, or were asked to help with."""
    rows, cursor = await repository.mine(
        session, core.person_of(actor), query.page(), role=query.role, state=query.state
    )
    return Page(items=await present(session, rows), next_cursor=cursor)


async def objective_requests(
    session: AsyncSession,
    actor: Actor,
    objective_id: uuid.UUID,
    query: ObjectiveHelpRequestQuery,
) -> Page[HelpRequestRead]:
    """An objective's help requests, for whoever may read the objective."""
    await core.visible_objective(session, actor, objective_id)
    rows, cursor = await repository.of_objective(
        session, objective_id, query.page(), state=query.state
    )
    return Page(items=await present(session, rows), next_cursor=cursor)


async def update_request(
    session: AsyncSession,
    actor: Actor,
    help_request_id: uuid.UUID,
    data: HelpRequestUpdate,
    if_match: str | None,
) -> HelpRequestRead:
    """Say what is blocked and what help is wanted, while it is open."""
    row = await _workable(session, actor, help_request_id, "help_request.update")
    check_if_match(if_match, row.version)
    apply_patch(row, changed(row, data.model_dump(exclude_unset=True)))
    await core_repository.save(session, row)
    (read,) = await present(session, [row])
    return read


async def offer_help(
    session: AsyncSession, actor: Actor, help_request_id: uuid.UUID, data: HelpOfferCreate
) -> HelpRequestRead:
    """Offer help on an open request you see (not on your own: 409 `own_help_request`)."""
    person = core.person_of(actor)
    row = await _visible(session, actor, help_request_id, lock=True)
    _refuse_resolved(row)
    if row.opened_by == person:
        raise Conflict("You asked for this help yourself.", code="own_help_request")
    offer = HelpOffer(help_request_id=row.id, person_id=person, message=data.message)
    apply_patch(row, {})
    await core_repository.save(session, offer, row)
    (read,) = await present(session, [row])
    return read


async def resolve_request(
    session: AsyncSession, actor: Actor, help_request_id: uuid.UUID, data: HelpRequestResolve
) -> HelpRequestRead:
    """Resolve an open request with a note: a new one can then be opened for its subject."""
    row = await _workable(session, actor, help_request_id, "help_request.resolve")
    resolver = core.person_of(actor)
    now = utcnow()
    apply_patch(
        row,
        {
            "state": HelpRequestState.RESOLVED,
            "resolution_note": data.note,
            "resolved_by": resolver,
            "resolved_at": now,
        },
    )
    await core_repository.save(session, row)
    objective = await core_repository.get(session, Objective, row.objective_id)
    assert objective is not None  # noqa: S101  # a foreign key keeps it
    await record_event(
        session,
        HELP_REQUEST_RESOLVED,
        HelpRequestResolvedPayload(
            id=row.id,
            objective_id=row.objective_id,
            key_result_id=row.key_result_id,
            owner_person_id=objective.owner_person_id,
            owner_team_id=objective.owner_team_id,
            visibility=objective.visibility,
            resolved_by=resolver,
        ),
    )
    (read,) = await present(session, [row])
    return read
