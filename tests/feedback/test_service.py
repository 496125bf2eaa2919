"""The feedback rules, called as the routes call them: a session and an actor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Role
from kit.errors import NotFound
from kit.orgcopy import OrgPerson
from kit.pagination import PageParams
from kit.policies import Relation
from services.feedback import service
from services.feedback.goals import GoalLinks
from services.feedback.models import Feedback
from services.feedback.repository import Sight
from services.feedback.schemas import FeedbackQuery, Visibility
from tests.feedback.factories import Org, create_feedback, create_person, unknown_id
from tests.feedback.support import NOWHERE

EVERYTHING = PageParams(limit=200, cursor=None)
NO_FILTERS = FeedbackQuery()


@asynccontextmanager
async def no_goals() -> AsyncIterator[GoalLinks]:
    """The goals service out of reach: these items link no objective, so it is never asked."""
    async with httpx.AsyncClient(base_url=NOWHERE) as client:
        yield GoalLinks(client, "")


def as_person(person: OrgPerson) -> Actor:
    role = Role.HR_ADMIN if person.is_hr_admin else Role.EMPLOYEE
    return Actor(role=role, subject=person.email, person_id=person.id)


async def readable(session: AsyncSession, actor: Actor, item: Feedback) -> bool:
    try:
        async with no_goals() as goals:
            await service.get_feedback(session, actor, item.id, goals)
    except NotFound:
        return False
    return True


async def listed(session: AsyncSession, actor: Actor) -> list[str]:
    async with no_goals() as goals:
        page = await service.list_feedback(session, actor, NO_FILTERS, EVERYTHING, goals)
    return [str(item.id) for item in page.items]


def test_what_a_caller_may_list_comes_from_the_policy_table(org: Org) -> None:
    person = as_person(org.peer)
    reader = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"feedback:read"}))
    unscoped = Actor(role=Role.INTEGRATION, subject="tool")

    assert service.sight(person) == Sight(
        person_id=org.peer.id,
        everything=frozenset({Visibility.PUBLIC}),
        through={
            Visibility.MANAGER: frozenset(
                {Relation.OWNER, Relation.PARTICIPANT, Relation.MANAGEMENT_CHAIN}
            ),
            Visibility.PRIVATE: frozenset({Relation.OWNER, Relation.PARTICIPANT}),
        },
    )
    assert service.sight(reader) == Sight(person_id=None, everything=frozenset({Visibility.PUBLIC}))
    assert service.sight(unscoped) == Sight(person_id=None)


async def test_lists_and_single_reads_agree_for_everyone(session: AsyncSession, org: Org) -> None:
    people = org.people()
    items = [
        await create_feedback(session, giver, recipient, visibility=visibility)
        for giver in people
        for recipient in people
        if giver is not recipient
        for visibility in Visibility
    ]

    for person in people:
        actor = as_person(person)
        seen = [str(item.id) for item in items if await readable(session, actor, item)]

        assert await listed(session, actor) == seen, person.name


async def test_a_manager_sees_through_every_level_below(session: AsyncSession, org: Org) -> None:
    deep = await create_person(session, manager_id=org.recipient.id)
    deeper = await create_person(session, manager_id=deep.id)
    item = await create_feedback(session, org.giver, deeper, visibility=Visibility.MANAGER)

    seen_by = [
        person.name
        for person in (org.skip_level, org.manager, org.recipient, deep, org.peer)
        if await readable(session, as_person(person), item)
    ]

    assert seen_by == [org.skip_level.name, org.manager.name, org.recipient.name, deep.name]
    assert await listed(session, as_person(org.skip_level)) == [str(item.id)]


async def test_the_managers_who_see_are_those_of_the_day_it_was_given(
    session: AsyncSession, org: Org
) -> None:
    before = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.MANAGER)
    new_manager = await create_person(session)

    # HR (or an HRIS) moves the recipient: the people feed updates the org copy.
    org.recipient.manager_id = new_manager.id
    session.add(org.recipient)
    await session.flush()
    after = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.MANAGER)

    assert [await readable(session, as_person(org.manager), item) for item in (before, after)] == [
        True,
        False,
    ]
    assert [await readable(session, as_person(new_manager), item) for item in (before, after)] == [
        False,
        True,
    ]
    assert await listed(session, as_person(org.manager)) == [str(before.id)]
    assert await listed(session, as_person(org.skip_level)) == [str(before.id)]
    assert await listed(session, as_person(new_manager)) == [str(after.id)]


async def test_a_loop_in_the_copied_hierarchy_does_not_hang_a_read(
    session: AsyncSession, org: Org
) -> None:
    first = await create_person(session)
    second = await create_person(session, manager_id=first.id)
    first.manager_id = second.id
    session.add(first)
    await session.flush()
    item = await create_feedback(session, org.giver, first, visibility=Visibility.MANAGER)

    assert await readable(session, as_person(second), item)
    assert await listed(session, as_person(second)) == [str(item.id)]
    assert not await readable(session, as_person(org.peer), item)


async def test_an_unknown_id_and_a_hidden_item_are_the_same_404(
    session: AsyncSession, org: Org
) -> None:
    item = await create_feedback(session, org.giver, org.recipient, visibility=Visibility.PRIVATE)
    outsider = as_person(org.peer)

    async with no_goals() as goals:
        with pytest.raises(NotFound) as hidden:
            await service.get_feedback(session, outsider, item.id, goals)
        with pytest.raises(NotFound) as unknown:
            await service.get_feedback(session, outsider, unknown_id(), goals)

    assert (hidden.value.code, hidden.value.detail) == (unknown.value.code, unknown.value.detail)
    assert hidden.value.code == "feedback_not_found"
