"""The SQL of accountability groups. Membership is part of the statement that finds a group,
round or post: a non-member's id and an unknown one cost the same."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from kit.repository import by_ids
from services.feedback.groups.models import (
    AccountabilityGroup,
    GroupHelpRequest,
    GroupInvitation,
    GroupMember,
    GroupPost,
    GroupResponse,
    GroupRound,
)
from services.feedback.groups.schemas import InvitationStatus, RoundKind


def is_member(person_id: uuid.UUID, group_id: Mapped[uuid.UUID]) -> ColumnElement[bool]:
    return exists().where(
        col(GroupMember.group_id) == group_id, col(GroupMember.person_id) == person_id
    )


async def group_seen(
    session: AsyncSession, person_id: uuid.UUID, group_id: uuid.UUID, *, lock: bool = False
) -> AccountabilityGroup | None:
    statement = select(AccountabilityGroup).where(
        col(AccountabilityGroup.id) == group_id,
        is_member(person_id, col(AccountabilityGroup.id)),
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def lock_group(session: AsyncSession, group_id: uuid.UUID) -> AccountabilityGroup | None:
    statement = (
        select(AccountabilityGroup)
        .where(col(AccountabilityGroup.id) == group_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(statement)).first()


async def list_groups(
    session: AsyncSession, person_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[AccountabilityGroup], str | None]:
    statement = select(AccountabilityGroup).where(is_member(person_id, col(AccountabilityGroup.id)))
    return await paginate(session, statement, AccountabilityGroup, params)


async def groups_by_ids(
    session: AsyncSession, person_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> list[AccountabilityGroup]:
    return await by_ids(
        session, AccountabilityGroup, ids, is_member(person_id, col(AccountabilityGroup.id))
    )


async def members_of(
    session: AsyncSession, group_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[GroupMember]]:
    statement = (
        select(GroupMember)
        .where(col(GroupMember.group_id).in_(list(group_ids)))
        .order_by(col(GroupMember.joined_at), col(GroupMember.person_id))
    )
    found: dict[uuid.UUID, list[GroupMember]] = {id_: [] for id_ in group_ids}
    for member in (await session.exec(statement)).all():
        found[member.group_id].append(member)
    return found


async def pending_of(
    session: AsyncSession, group_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[GroupInvitation]]:
    statement = (
        select(GroupInvitation)
        .where(
            col(GroupInvitation.group_id).in_(list(group_ids)),
            col(GroupInvitation.status) == InvitationStatus.PENDING,
        )
        .order_by(col(GroupInvitation.created_at), col(GroupInvitation.id))
    )
    found: dict[uuid.UUID, list[GroupInvitation]] = {id_: [] for id_ in group_ids}
    for invitation in (await session.exec(statement)).all():
        found[invitation.group_id].append(invitation)
    return found


async def member(
    session: AsyncSession, group_id: uuid.UUID, person_id: uuid.UUID
) -> GroupMember | None:
    return await session.get(GroupMember, (group_id, person_id))


async def invitation_seen(
    session: AsyncSession, person_id: uuid.UUID, invitation_id: uuid.UUID
) -> GroupInvitation | None:
    """An invitation, locked, if `person_id` is its invitee."""
    statement = (
        select(GroupInvitation)
        .where(
            col(GroupInvitation.id) == invitation_id, col(GroupInvitation.person_id) == person_id
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(statement)).first()


async def list_invitations(
    session: AsyncSession, person_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[GroupInvitation], str | None]:
    statement = select(GroupInvitation).where(
        col(GroupInvitation.person_id) == person_id,
        col(GroupInvitation.status) == InvitationStatus.PENDING,
    )
    return await paginate(session, statement, GroupInvitation, params)


async def round_seen(
    session: AsyncSession, person_id: uuid.UUID, round_id: uuid.UUID
) -> GroupRound | None:
    statement = select(GroupRound).where(
        col(GroupRound.id) == round_id, is_member(person_id, col(GroupRound.group_id))
    )
    return (await session.exec(statement)).first()


async def list_rounds(
    session: AsyncSession, group_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[GroupRound], str | None]:
    statement = select(GroupRound).where(col(GroupRound.group_id) == group_id)
    return await paginate(session, statement, GroupRound, params)


async def posts_of(session: AsyncSession, round_id: uuid.UUID) -> Sequence[GroupPost]:
    statement = (
        select(GroupPost)
        .where(col(GroupPost.round_id) == round_id)
        .order_by(col(GroupPost.created_at), col(GroupPost.id))
    )
    return (await session.exec(statement)).all()


async def responses_of(
    session: AsyncSession, post_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[GroupResponse]]:
    statement = (
        select(GroupResponse)
        .where(col(GroupResponse.post_id).in_(list(post_ids)))
        .order_by(col(GroupResponse.created_at), col(GroupResponse.id))
    )
    found: dict[uuid.UUID, list[GroupResponse]] = {id_: [] for id_ in post_ids}
    for response in (await session.exec(statement)).all():
        found[response.post_id].append(response)
    return found


async def post_of(
    session: AsyncSession, round_id: uuid.UUID, author_id: uuid.UUID
) -> GroupPost | None:
    statement = select(GroupPost).where(
        col(GroupPost.round_id) == round_id, col(GroupPost.author_id) == author_id
    )
    return (await session.exec(statement)).first()


async def post_seen(
    session: AsyncSession, person_id: uuid.UUID, post_id: uuid.UUID, *, lock: bool = False
) -> GroupPost | None:
    statement = select(GroupPost).where(
        col(GroupPost.id) == post_id, is_member(person_id, col(GroupPost.group_id))
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def list_help_requests(
    session: AsyncSession, group_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[GroupHelpRequest], str | None]:
    statement = select(GroupHelpRequest).where(col(GroupHelpRequest.group_id) == group_id)
    return await paginate(session, statement, GroupHelpRequest, params)


async def groups_of(session: AsyncSession, person_id: uuid.UUID) -> list[uuid.UUID]:
    statement = select(GroupMember.group_id).where(col(GroupMember.person_id) == person_id)
    return list((await session.exec(statement)).all())


async def add_help_request(
    session: AsyncSession,
    group_ids: Collection[uuid.UUID],
    help_request_id: uuid.UUID,
    objective_id: uuid.UUID,
    person_id: uuid.UUID,
) -> None:
    """One item per group, once: the same help request arriving again changes nothing."""
    if not group_ids:
        return
    rows = [
        GroupHelpRequest(
            group_id=group_id,
            help_request_id=help_request_id,
            objective_id=objective_id,
            person_id=person_id,
        ).model_dump()
        for group_id in group_ids
    ]
    await session.exec(insert(GroupHelpRequest).values(rows).on_conflict_do_nothing())


async def groups_to_visit(
    session: AsyncSession, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[AccountabilityGroup]:
    """Groups with members after `after` in `(created_at, id)` order, locked; those another
    replica holds are skipped."""
    statement = select(AccountabilityGroup).where(
        exists().where(col(GroupMember.group_id) == col(AccountabilityGroup.id))
    )
    if after is not None:
        statement = statement.where(
            tuple_(col(AccountabilityGroup.created_at), col(AccountabilityGroup.id))
            > tuple_(*after)
        )
    statement = (
        statement.order_by(col(AccountabilityGroup.created_at), col(AccountabilityGroup.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.exec(statement)).all()


async def latest_rounds(
    session: AsyncSession, group_ids: Collection[uuid.UUID]
) -> dict[tuple[uuid.UUID, RoundKind], datetime]:
    """When each group last opened a round of each kind: one statement."""
    statement = (
        select(GroupRound.group_id, GroupRound.kind, func.max(GroupRound.created_at))
        .where(col(GroupRound.group_id).in_(list(group_ids)))
        .group_by(col(GroupRound.group_id), col(GroupRound.kind))
    )
    rows = (await session.exec(statement)).all()
    return {(group_id, RoundKind(kind)): at for group_id, kind, at in rows}
