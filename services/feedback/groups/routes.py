"""The accountability groups API under `/v1`: groups, invitations, rounds, posts and responses,
and the help requests of members."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.feedback.groups import service
from services.feedback.groups.schemas import (
    GroupCreate,
    GroupHelpRequestRead,
    GroupRead,
    GroupUpdate,
    InvitationCreate,
    InvitationRead,
    PostCreate,
    PostRead,
    PostUpdate,
    ResponseCreate,
    ResponseRead,
    RoundCreate,
    RoundRead,
    RoundSummaryRead,
)
from services.feedback.service import POLICY

groups = service_router(prefix="/v1", tags=["accountability-groups"])


def routers() -> list[APIRouter]:
    return [groups]


Member = Annotated[Actor, Depends(POLICY.require("group.read"))]
Writer = Annotated[Actor, Depends(POLICY.require("group.write"))]
Invitee = Annotated[Actor, Depends(POLICY.require("group.invitation"))]


# --- Groups ----------------------------------------------------------------------------------


@groups.post("/accountability-groups", status_code=201)
async def create_group(
    data: GroupCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("group.create"))],
    response: Response,
) -> GroupRead:
    """Start a group (four people by default, at most eight), with you as its first member;
    invite the others. Only members ever read anything of it."""
    group = await service.create_group(session, actor, data)
    located(response, f"/v1/accountability-groups/{group.id}", group.version)
    return group


@groups.get("/accountability-groups")
async def list_groups(
    session: SessionDep, actor: Member, page: PageDep, ids: OptionalBatchIds = None
) -> Page[GroupRead]:
    """The groups you are a member of, oldest first, a page at a time; with `?id=`, exactly
    those of them (others are left out, as unknown ones are)."""
    if ids:
        return await service.read_groups(session, actor, ids)
    return await service.list_groups(session, actor, page)


@groups.get("/accountability-groups/{group_id}")
async def get_group(
    group_id: uuid.UUID, session: SessionDep, actor: Member, response: Response
) -> GroupRead:
    """A group of yours with its members and open invitations (404 for anyone outside it,
    managers and HR admins included)."""
    group = await service.get_group(session, actor, group_id)
    response.headers["ETag"] = etag(group.version)
    return group


@groups.patch("/accountability-groups/{group_id}")
async def update_group(
    group_id: uuid.UUID,
    data: GroupUpdate,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> GroupRead:
    """Rename the group, or change its purpose, cadence or size (any member; 409
    `group_too_small` below its members and open invitations). Needs `If-Match`."""
    group = await service.update_group(session, actor, group_id, data, if_match)
    response.headers["ETag"] = etag(group.version)
    return group


@groups.post("/accountability-groups/{group_id}/leave", status_code=204)
async def leave_group(group_id: uuid.UUID, session: SessionDep, actor: Writer) -> None:
    """Leave a group; what you posted stays for the others, and you read the group no more."""
    await service.leave_group(session, actor, group_id)


# --- Invitations -----------------------------------------------------------------------------


@groups.post("/accountability-groups/{group_id}/invitations", status_code=201)
async def invite(
    group_id: uuid.UUID, data: InvitationCreate, session: SessionDep, actor: Writer
) -> InvitationRead:
    """Invite an active colleague (any member): 409 `already_member`, 409 `group_full` when
    members and open invitations fill it. They join by accepting."""
    return await service.invite(session, actor, group_id, data)


@groups.get("/group-invitations")
async def list_invitations(
    session: SessionDep, actor: Invitee, page: PageDep
) -> Page[InvitationRead]:
    """Your open invitations to groups, oldest first, a page at a time."""
    return await service.list_invitations(session, actor, page)


@groups.post("/group-invitations/{invitation_id}/accept")
async def accept_invitation(
    invitation_id: uuid.UUID, session: SessionDep, actor: Invitee
) -> GroupRead:
    """Join the group you were invited to (409 `group_full` when it filled meanwhile, 409
    `invitation_closed` the second time); you now read all of it."""
    return await service.accept_invitation(session, actor, invitation_id)


@groups.post("/group-invitations/{invitation_id}/decline")
async def decline_invitation(
    invitation_id: uuid.UUID, session: SessionDep, actor: Invitee
) -> InvitationRead:
    """Decline an invitation of yours."""
    return await service.decline_invitation(session, actor, invitation_id)


# --- Rounds, posts and responses -------------------------------------------------------------


@groups.post("/accountability-groups/{group_id}/rounds", status_code=201)
async def open_round(
    group_id: uuid.UUID, data: RoundCreate, session: SessionDep, actor: Writer
) -> RoundRead:
    """Open a round by hand (any member): `commitments`, or `goal_sharing`. Rounds also open
    by themselves on the group's cadence, and a goal-sharing round each month."""
    return await service.open_round(session, actor, group_id, data)


@groups.get("/accountability-groups/{group_id}/rounds")
async def list_rounds(
    group_id: uuid.UUID, session: SessionDep, actor: Member, page: PageDep
) -> Page[RoundSummaryRead]:
    """The rounds of a group of yours, oldest first, a page at a time."""
    return await service.list_rounds(session, actor, group_id, page)


@groups.get("/group-rounds/{round_id}")
async def get_round(round_id: uuid.UUID, session: SessionDep, actor: Member) -> RoundRead:
    """A round with every member's post and the responses to each."""
    return await service.get_round(session, actor, round_id)


@groups.post("/group-rounds/{round_id}/posts", status_code=201)
async def post(
    round_id: uuid.UUID, data: PostCreate, session: SessionDep, actor: Writer
) -> PostRead:
    """Post your commitments and progress in a round, once (409 `already_posted`)."""
    return await service.post(session, actor, round_id, data)


@groups.patch("/group-posts/{post_id}")
async def update_post(
    post_id: uuid.UUID,
    data: PostUpdate,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> PostRead:
    """Update your post's commitments or progress (403 `not_your_post` for another's).
    Needs `If-Match` with the post's `version`."""
    found = await service.update_post(session, actor, post_id, data, if_match)
    response.headers["ETag"] = etag(found.version)
    return found


@groups.post("/group-posts/{post_id}/responses", status_code=201)
async def respond(
    post_id: uuid.UUID, data: ResponseCreate, session: SessionDep, actor: Writer
) -> ResponseRead:
    """Respond to another member's post (409 `own_post` for your own)."""
    return await service.respond(session, actor, post_id, data)


# --- Help requests ---------------------------------------------------------------------------


@groups.get("/accountability-groups/{group_id}/help-requests")
async def list_help_requests(
    group_id: uuid.UUID, session: SessionDep, actor: Member, page: PageDep
) -> Page[GroupHelpRequestRead]:
    """Help requests members opened in the goals service while in the group, oldest first:
    ids only. Read the objective from the goals service, which shows it only to those its
    visibility allows."""
    return await service.list_help_requests(session, actor, group_id, page)
