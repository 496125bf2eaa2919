"""The rules of drafting. An objective is a `draft`, then `proposed` (by anyone who works on
it), then `agreed` once both sides have signed it, neither alone:

| owner   | the owner's side                 | the manager's side                              |
|---------|----------------------------------|-------------------------------------------------|
| person  | the person                       | their manager (an HR admin if they have none)   |
| team    | a member of the team             | its lead (the nearest lead above; an HR admin)  |
| company | an HR admin                      | another HR admin                                |

The two signatures are by two different people. A change of what was signed takes the
signatures back (`service.reopen_agreement`). Comments are for everyone who may read the
objective, while its cycle is open."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Role
from kit.errors import Conflict, Forbidden
from kit.events import record_event
from kit.pagination import Page, PageParams
from services.goals import repository as core
from services.goals import service
from services.goals.drafting import repository
from services.goals.drafting.schemas import CommentCreate, CommentRead
from services.goals.events import OBJECTIVE_AGREED, ObjectiveAgreedPayload
from services.goals.models import Comment, Objective, Signature
from services.goals.schemas import ObjectiveRead, ObjectiveStatus, OwnerKind, SignatureRole
from services.goals.service import POLICY


async def _manager_side(session: AsyncSession, objective: Objective) -> uuid.UUID | None:
    """Who signs for the manager, if one person does; None when any HR admin may."""
    if objective.owner_kind == OwnerKind.PERSON:
        assert objective.owner_person_id is not None  # noqa: S101  # a person's objective
        owner = await core.org_person(session, objective.owner_person_id)
        manager = await repository.active_person(session, owner.manager_id if owner else None)
        return None if manager is None else manager.id
    if objective.owner_kind == OwnerKind.TEAM:
        assert objective.owner_team_id is not None  # noqa: S101  # a team's objective
        return await repository.nearest_lead(session, objective.owner_team_id)
    return None


async def sides_of(
    session: AsyncSession, actor: Actor, objective: Objective
) -> list[SignatureRole]:
    """The sides the actor may sign the objective for, the manager's first (a lead who is
    also a member of their team signs as the lead)."""
    person = service.person_of(actor)
    hr_admin = actor.role == Role.HR_ADMIN
    sides = []
    manager = await _manager_side(session, objective)
    if person == manager or (manager is None and hr_admin and person != objective.owner_person_id):
        sides.append(SignatureRole.MANAGER)
    if objective.owner_kind == OwnerKind.PERSON:
        owner_side = person == objective.owner_person_id
    elif objective.owner_kind == OwnerKind.TEAM:
        assert objective.owner_team_id is not None  # noqa: S101  # a team's objective
        owner_side = await core.is_member(session, objective.owner_team_id, person)
    else:
        owner_side = hr_admin
    if owner_side:
        sides.append(SignatureRole.OWNER)
    return sides


async def sign(session: AsyncSession, actor: Actor, objective_id: uuid.UUID) -> ObjectiveRead:
    """Sign a proposed objective for your side; the second side's signature agrees it."""
    signer = service.person_of(actor)
    objective, relations = await service.visible_objective(session, actor, objective_id, lock=True)
    POLICY.authorize(actor, "objective.sign", relations)
    await service.open_cycle_of(session, objective)
    if objective.status == ObjectiveStatus.DRAFT:
        raise Conflict("Propose it before signing it.", code="not_proposed")
    if objective.status == ObjectiveStatus.AGREED:
        raise Conflict("It is agreed already.", code="already_agreed")
    sides = await sides_of(session, actor, objective)
    if not sides:
        raise Forbidden(
            "Its owner and the owner's manager sign it (for a team: a member and its lead).",
            code="not_a_signer",
        )
    signed = {row.role: row.signer_id for row in await repository.signatures(session, objective.id)}
    if signer in signed.values():
        raise Conflict("You signed it already; the other side signs next.", code="already_signed")
    open_sides = [side for side in sides if side not in signed]
    if not open_sides:
        raise Conflict("Your side has signed it already.", code="side_already_signed")
    signature = Signature(objective_id=objective.id, role=open_sides[0], signer_id=signer)
    await core.save(session, signature)
    signed[signature.role] = signer
    if set(signed) == set(SignatureRole):
        objective.status = ObjectiveStatus.AGREED
        service.apply_changes(objective, {})
        await core.save(session, objective)
        payload = await service.objective_payload(session, objective)
        await record_event(
            session,
            OBJECTIVE_AGREED,
            ObjectiveAgreedPayload(
                **payload.model_dump(),
                owner_signer_id=signed[SignatureRole.OWNER],
                manager_signer_id=signed[SignatureRole.MANAGER],
                agreed_at=signature.created_at,
            ),
        )
    return await service.present_objective(session, objective)


async def add_comment(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, data: CommentCreate
) -> CommentRead:
    author = service.person_of(actor)
    objective, relations = await service.visible_objective(session, actor, objective_id)
    POLICY.authorize(actor, "objective.comment", relations)
    await service.open_cycle_of(session, objective)
    comment = Comment(objective_id=objective.id, author_id=author, body=data.body)
    await core.save(session, comment)
    return CommentRead.model_validate(comment)


async def list_comments(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, params: PageParams
) -> Page[CommentRead]:
    objective, _ = await service.visible_objective(session, actor, objective_id)
    rows, cursor = await repository.list_comments(session, objective.id, params)
    return Page(items=[CommentRead.model_validate(row) for row in rows], next_cursor=cursor)
