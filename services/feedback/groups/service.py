"""The rules of accountability groups. Everything of a group (members, rounds, posts,
responses, the help requests that reached it) is for its members alone: managers, HR admins
and integrations never read it. People join by accepting an invitation; a group holds at most
`max_members`. Rounds open on the group's cadence (and a goal-sharing round each month) or by
hand; each member posts once per round and the others respond."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound
from kit.etag import check_if_match
from kit.events import FeedEvent, record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.repository import apply_patch, delete, save
from services.feedback.colleagues import active_colleagues
from services.feedback.groups import repository
from services.feedback.groups.events import (
    COMMITMENT_POSTED,
    ROUND_OPENED,
    CommitmentPostedPayload,
    RoundOpenedPayload,
)
from services.feedback.groups.models import (
    AccountabilityGroup,
    GroupInvitation,
    GroupMember,
    GroupPost,
    GroupResponse,
    GroupRound,
)
from services.feedback.groups.schemas import (
    GroupCadence,
    GroupCreate,
    GroupHelpRequestRead,
    GroupRead,
    GroupUpdate,
    InvitationCreate,
    InvitationRead,
    InvitationStatus,
    MemberRead,
    PostCreate,
    PostRead,
    PostUpdate,
    ResponseCreate,
    ResponseRead,
    RoundCreate,
    RoundKind,
    RoundRead,
    RoundSummaryRead,
)

CADENCE = {
    GroupCadence.WEEKLY: timedelta(days=7),
    GroupCadence.BIWEEKLY: timedelta(days=14),
    GroupCadence.MONTHLY: timedelta(days=28),
}
VISIT_BATCH = 200


def _person_of(actor: Actor) -> uuid.UUID:
    if actor.person_id is None:  # the policy lets only people through; this keeps types honest
        raise Forbidden("Only people take part in accountability groups.")
    return actor.person_id


def _group_not_found() -> NotFound:
    # The same answer for an unknown id and a group the caller is not in.
    return NotFound("No accountability group has this id.", code="group_not_found")


# --- Groups ----------------------------------------------------------------------------------


async def _group_reads(
    session: AsyncSession, rows: Sequence[AccountabilityGroup]
) -> list[GroupRead]:
    ids = [row.id for row in rows]
    members = await repository.members_of(session, ids)
    pending = await repository.pending_of(session, ids)
    return [
        GroupRead.model_validate(
            {
                **row.model_dump(),
                "members": [MemberRead.model_validate(member) for member in members[row.id]],
                "pending_invitations": [
                    InvitationRead.model_validate(invitation) for invitation in pending[row.id]
                ],
            }
        )
        for row in rows
    ]


async def _group_read(session: AsyncSession, row: AccountabilityGroup) -> GroupRead:
    (read,) = await _group_reads(session, [row])
    return read


async def _group(
    session: AsyncSession, actor: Actor, group_id: uuid.UUID, *, lock: bool = False
) -> AccountabilityGroup:
    row = await repository.group_seen(session, _person_of(actor), group_id, lock=lock)
    if row is None:
        raise _group_not_found()
    return row


async def create_group(session: AsyncSession, actor: Actor, data: GroupCreate) -> GroupRead:
    """A new group with its creator as the first member."""
    me = _person_of(actor)
    group = AccountabilityGroup.model_validate({**data.model_dump(), "created_by": me})
    await save(session, group)
    await save(session, GroupMember(group_id=group.id, person_id=me))
    return await _group_read(session, group)


async def get_group(session: AsyncSession, actor: Actor, group_id: uuid.UUID) -> GroupRead:
    return await _group_read(session, await _group(session, actor, group_id))


async def list_groups(session: AsyncSession, actor: Actor, params: PageParams) -> Page[GroupRead]:
    rows, cursor = await repository.list_groups(session, _person_of(actor), params)
    return Page(items=await _group_reads(session, rows), next_cursor=cursor)


async def read_groups(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[GroupRead]:
    rows = await repository.groups_by_ids(session, _person_of(actor), ids)
    return Page(items=await _group_reads(session, rows), next_cursor=None)


async def _seats_taken(session: AsyncSession, group_id: uuid.UUID) -> tuple[int, int]:
    members = await repository.members_of(session, [group_id])
    pending = await repository.pending_of(session, [group_id])
    return len(members[group_id]), len(pending[group_id])


async def update_group(
    session: AsyncSession,
    actor: Actor,
    group_id: uuid.UUID,
    data: GroupUpdate,
    if_match: str | None,
) -> GroupRead:
    group = await _group(session, actor, group_id, lock=True)
    check_if_match(if_match, group.version)
    if data.max_members is not None and data.max_members < sum(
        await _seats_taken(session, group.id)
    ):
        raise Conflict(
            "The group already has more members and open invitations than that.",
            code="group_too_small",
            field="body.max_members",
        )
    apply_patch(group, data.model_dump(exclude_unset=True))
    await save(session, group)
    return await _group_read(session, group)


async def leave_group(session: AsyncSession, actor: Actor, group_id: uuid.UUID) -> None:
    """The caller leaves; what they posted stays for the others. A group nobody is left in is
    read by nobody."""
    me = _person_of(actor)
    group = await _group(session, actor, group_id, lock=True)
    member = await repository.member(session, group.id, me)
    if member is not None:
        await delete(session, member)


# --- Invitations -----------------------------------------------------------------------------


async def invite(
    session: AsyncSession, actor: Actor, group_id: uuid.UUID, data: InvitationCreate
) -> InvitationRead:
    """A member invites a colleague; the group must have a seat for them (members and open
    invitations count)."""
    me = _person_of(actor)
    group = await _group(session, actor, group_id, lock=True)
    await active_colleagues(session, [data.person_id], field="body.person_id")
    if await repository.member(session, group.id, data.person_id) is not None:
        raise Conflict(
            "This person is already a member.", code="already_member", field="body.person_id"
        )
    members, pending = await _seats_taken(session, group.id)
    if members + pending >= group.max_members:
        raise Conflict(
            f"The group holds at most {group.max_members} people, invitations included.",
            code="group_full",
        )
    invitation = GroupInvitation(group_id=group.id, person_id=data.person_id, invited_by=me)
    await save(session, invitation)  # a second open invitation fails on the unique index: 409
    return InvitationRead.model_validate(invitation)


async def list_invitations(
    session: AsyncSession, actor: Actor, params: PageParams
) -> Page[InvitationRead]:
    rows, cursor = await repository.list_invitations(session, _person_of(actor), params)
    return Page(items=[InvitationRead.model_validate(row) for row in rows], next_cursor=cursor)


async def _open_invitation(
    session: AsyncSession, actor: Actor, invitation_id: uuid.UUID
) -> GroupInvitation:
    invitation = await repository.invitation_seen(session, _person_of(actor), invitation_id)
    if invitation is None:
        raise NotFound("No invitation of yours has this id.", code="invitation_not_found")
    if invitation.status is not InvitationStatus.PENDING:
        raise Conflict(f"This invitation is already {invitation.status}.", code="invitation_closed")
    return invitation


async def accept_invitation(
    session: AsyncSession, actor: Actor, invitation_id: uuid.UUID
) -> GroupRead:
    me = _person_of(actor)
    invitation = await _open_invitation(session, actor, invitation_id)
    group = await repository.lock_group(session, invitation.group_id)
    if group is None:
        raise _group_not_found()
    invitation.status, invitation.updated_at = InvitationStatus.ACCEPTED, utcnow()
    await save(session, invitation)
    if await repository.member(session, group.id, me) is None:
        members, _ = await _seats_taken(session, group.id)
        if members >= group.max_members:
            raise Conflict(
                f"The group holds at most {group.max_members} people.", code="group_full"
            )
        await save(session, GroupMember(group_id=group.id, person_id=me))
    return await _group_read(session, group)


async def decline_invitation(
    session: AsyncSession, actor: Actor, invitation_id: uuid.UUID
) -> InvitationRead:
    invitation = await _open_invitation(session, actor, invitation_id)
    invitation.status, invitation.updated_at = InvitationStatus.DECLINED, utcnow()
    await save(session, invitation)
    return InvitationRead.model_validate(invitation)


# --- Rounds ----------------------------------------------------------------------------------


async def _open_round(
    session: AsyncSession,
    group: AccountabilityGroup,
    kind: RoundKind,
    opened_by: uuid.UUID | None,
    at: datetime | None = None,
) -> GroupRound:
    # The cadence stamps its rounds with the time of its visit: the next is due from there.
    round_ = GroupRound(
        group_id=group.id, kind=kind, opened_by=opened_by, created_at=at or utcnow()
    )
    await save(session, round_)
    members = await repository.members_of(session, [group.id])
    await record_event(
        session,
        ROUND_OPENED,
        RoundOpenedPayload(
            id=round_.id,
            group_id=group.id,
            kind=kind,
            opened_by=opened_by,
            member_ids=[member.person_id for member in members[group.id]],
            created_at=round_.created_at,
        ),
    )
    return round_


async def open_round(
    session: AsyncSession, actor: Actor, group_id: uuid.UUID, data: RoundCreate
) -> RoundRead:
    group = await _group(session, actor, group_id, lock=True)
    round_ = await _open_round(session, group, data.kind, _person_of(actor))
    return RoundRead.model_validate({**round_.model_dump(), "posts": []})


async def list_rounds(
    session: AsyncSession, actor: Actor, group_id: uuid.UUID, params: PageParams
) -> Page[RoundSummaryRead]:
    group = await _group(session, actor, group_id)
    rows, cursor = await repository.list_rounds(session, group.id, params)
    return Page(items=[RoundSummaryRead.model_validate(row) for row in rows], next_cursor=cursor)


def _post_read(post: GroupPost, responses: Sequence[GroupResponse]) -> PostRead:
    return PostRead.model_validate(
        {
            **post.model_dump(),
            "responses": [ResponseRead.model_validate(response) for response in responses],
        }
    )


async def get_round(session: AsyncSession, actor: Actor, round_id: uuid.UUID) -> RoundRead:
    round_ = await repository.round_seen(session, _person_of(actor), round_id)
    if round_ is None:
        raise NotFound("No round has this id.", code="round_not_found")
    posts = await repository.posts_of(session, round_.id)
    responses = await repository.responses_of(session, [post.id for post in posts])
    return RoundRead.model_validate(
        {
            **round_.model_dump(),
            "posts": [_post_read(post, responses[post.id]) for post in posts],
        }
    )


def _due(group: AccountabilityGroup, kind: RoundKind, last: datetime | None, now: datetime) -> bool:
    if kind is RoundKind.GOAL_SHARING:
        # Once a month, from the month after the group began.
        since = last or group.created_at
        return (now.year, now.month) > (since.year, since.month)
    return last is None or now - last >= CADENCE[group.cadence]


async def open_due_rounds(session: AsyncSession, now: datetime) -> list[uuid.UUID]:
    """What the cadence worker does on each visit: open, for every group with members, the
    rounds it is due (a commitments round on its cadence, the first at once; a goal-sharing
    round each month). Groups another replica is visiting are skipped."""
    opened: list[uuid.UUID] = []
    after: tuple[datetime, uuid.UUID] | None = None
    while groups := await repository.groups_to_visit(session, after, VISIT_BATCH):
        latest = await repository.latest_rounds(session, [group.id for group in groups])
        for group in groups:
            for kind in RoundKind:
                if _due(group, kind, latest.get((group.id, kind)), now):
                    opened.append((await _open_round(session, group, kind, None, now)).id)
        after = (groups[-1].created_at, groups[-1].id)
    return opened


# --- Posts and responses ---------------------------------------------------------------------


async def post(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, data: PostCreate
) -> PostRead:
    """The caller's commitments and progress in a round: once (409 `already_posted`; change
    it with PATCH)."""
    me = _person_of(actor)
    round_ = await repository.round_seen(session, me, round_id)
    if round_ is None:
        raise NotFound("No round has this id.", code="round_not_found")
    if await repository.post_of(session, round_.id, me) is not None:
        raise Conflict("You already posted in this round; change that post.", code="already_posted")
    mine = GroupPost(
        round_id=round_.id, group_id=round_.group_id, author_id=me, **data.model_dump()
    )
    await save(session, mine)  # a concurrent twin fails on the unique index: 409
    members = await repository.members_of(session, [round_.group_id])
    await record_event(
        session,
        COMMITMENT_POSTED,
        CommitmentPostedPayload(
            id=mine.id,
            round_id=round_.id,
            group_id=round_.group_id,
            author_id=me,
            member_ids=[member.person_id for member in members[round_.group_id]],
            created_at=mine.created_at,
        ),
    )
    return _post_read(mine, [])


async def _post(
    session: AsyncSession, actor: Actor, post_id: uuid.UUID, *, lock: bool = False
) -> GroupPost:
    found = await repository.post_seen(session, _person_of(actor), post_id, lock=lock)
    if found is None:
        raise NotFound("No post has this id.", code="post_not_found")
    return found


async def update_post(
    session: AsyncSession,
    actor: Actor,
    post_id: uuid.UUID,
    data: PostUpdate,
    if_match: str | None,
) -> PostRead:
    """Its author updates commitments or progress."""
    found = await _post(session, actor, post_id, lock=True)
    if found.author_id != actor.person_id:
        raise Forbidden("Only its author changes a post.", code="not_your_post")
    check_if_match(if_match, found.version)
    apply_patch(found, data.model_dump(exclude_unset=True))
    await save(session, found)
    responses = await repository.responses_of(session, [found.id])
    return _post_read(found, responses[found.id])


async def respond(
    session: AsyncSession, actor: Actor, post_id: uuid.UUID, data: ResponseCreate
) -> ResponseRead:
    """Another member responds to a post (its author answers in the next round)."""
    me = _person_of(actor)
    found = await _post(session, actor, post_id)
    if found.author_id == me:
        raise Conflict("Responses come from the others in the group.", code="own_post")
    response = GroupResponse(post_id=found.id, author_id=me, body=data.body)
    await save(session, response)
    return ResponseRead.model_validate(response)


# --- Help requests from the goals service ----------------------------------------------------


async def list_help_requests(
    session: AsyncSession, actor: Actor, group_id: uuid.UUID, params: PageParams
) -> Page[GroupHelpRequestRead]:
    group = await _group(session, actor, group_id)
    rows, cursor = await repository.list_help_requests(session, group.id, params)
    return Page(
        items=[GroupHelpRequestRead.model_validate(row) for row in rows], next_cursor=cursor
    )


class HelpRequestOpened(BaseModel):
    """What the feedback service reads of the goals service's `help_request.opened` (ids and
    the objective's visibility; any other field is ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    objective_id: uuid.UUID
    owner_person_id: uuid.UUID | None
    visibility: str


async def on_help_request_opened(session: AsyncSession, event: FeedEvent) -> None:
    """A feed handler: the help request reaches each group its owner is a member of now.
    Only a person's own public objective's: a private objective's request would tell the group
    that the objective exists, and a team's objective is no member's own commitment."""
    opened = HelpRequestOpened.model_validate(event.payload)
    if opened.owner_person_id is None or opened.visibility != "public":
        return
    groups = await repository.groups_of(session, opened.owner_person_id)
    await repository.add_help_request(
        session, groups, opened.id, opened.objective_id, opened.owner_person_id
    )
