"""The directory's rules, called as the routes call them: a session and an actor."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Identity
from kit.auth import Role as ActorRole
from kit.errors import Conflict, NotFound
from kit.pagination import PageParams
from services.people import service
from services.people.models import Person
from services.people.schemas import (
    AccessRole,
    PersonCreate,
    PersonStatus,
    PersonUpdate,
    TeamUpdate,
)
from tests.people.factories import create_person, create_team, unknown_id
from tests.support import Outbox

FIRST_PAGE = PageParams(limit=50, cursor=None)


@pytest.fixture
def actor(admin: Person) -> Actor:
    return Actor(role=ActorRole.HR_ADMIN, subject=admin.email, person_id=admin.id)


# --- The directory behind authentication ---------------------------------------------------


async def test_the_directory_finds_a_person_by_each_claim(session: AsyncSession) -> None:
    person = await create_person(
        session,
        email="Ada@Example.com",
        employee_number="E-1",
        external_id="hris-1",
        source="personio",
        access_role=AccessRole.HR_ADMIN,
    )
    directory = service.PeopleDirectory()
    expected = Identity(person_id=person.id, active=True, is_hr_admin=True)

    found = [
        await directory.find_identity(session, "email", "ada@example.COM"),
        await directory.find_identity(session, "employee_number", "E-1"),
        await directory.find_identity(session, "sub", "hris-1"),
    ]

    assert found == [expected] * 3


async def test_the_directory_names_nobody_rather_than_guess(session: AsyncSession) -> None:
    await create_person(session, external_id="7", source="personio")
    await create_person(session, external_id="7", source="workday")
    directory = service.PeopleDirectory()

    assert await directory.find_identity(session, "sub", "7") is None
    assert await directory.find_identity(session, "email", "nobody@example.com") is None
    assert await directory.find_identity(session, "phone", "+44 20 7946 0000") is None


async def test_the_directory_knows_who_is_inactive(session: AsyncSession) -> None:
    leaver = await create_person(session, status=PersonStatus.INACTIVE)

    identity = await service.PeopleDirectory().find_identity(session, "email", leaver.email)

    assert identity == Identity(person_id=leaver.id, active=False, is_hr_admin=False)


# --- Changes and their events --------------------------------------------------------------


async def test_a_change_and_its_event_share_one_transaction(
    session: AsyncSession, outbox: Outbox, actor: Actor
) -> None:
    savepoint = await session.begin_nested()
    created = await service.create_person(
        session, actor, PersonCreate(email="ada@example.com", name="Ada")
    )
    assert await outbox.types() == ["person.created"]

    await savepoint.rollback()

    assert await outbox.events() == []
    with pytest.raises(NotFound):
        await service.get_person(session, actor, created.id)


async def test_a_refused_change_writes_no_event(
    session: AsyncSession, outbox: Outbox, actor: Actor
) -> None:
    await create_person(session, email="ada@example.com")

    with pytest.raises(Conflict) as refused:
        await service.create_person(
            session, actor, PersonCreate(email="ADA@example.com", name="Ada again")
        )

    assert refused.value.code == "email_taken"
    assert await outbox.events() == []


async def test_a_loop_is_refused_however_long(session: AsyncSession, actor: Actor) -> None:
    top = await create_person(session)
    chain = [top]
    for _ in range(8):
        chain.append(await create_person(session, manager_id=chain[-1].id))

    with pytest.raises(Conflict) as refused:
        await service.update_person(
            session, actor, top.id, PersonUpdate(manager_id=chain[-1].id), '"1"'
        )

    assert refused.value.code == "management_cycle"
    above = await service.management_chain(session, actor, chain[-1].id)
    assert [person.id for person in above] == [person.id for person in reversed(chain[:-1])]


async def test_moving_someone_within_the_same_line_is_no_loop(
    session: AsyncSession, actor: Actor
) -> None:
    top = await create_person(session)
    middle = await create_person(session, manager_id=top.id)
    bottom = await create_person(session, manager_id=middle.id)

    moved = await service.update_person(
        session, actor, bottom.id, PersonUpdate(manager_id=top.id), '"1"'
    )

    assert moved.manager_id == top.id
    assert [person.id for person in await service.management_chain(session, actor, bottom.id)] == [
        top.id
    ]


async def test_clearing_a_manager_is_recorded(
    session: AsyncSession, outbox: Outbox, actor: Actor
) -> None:
    boss = await create_person(session)
    person = await create_person(session, manager_id=boss.id)

    await service.update_person(session, actor, person.id, PersonUpdate(manager_id=None), '"1"')

    lines = await service.reporting_lines(session, actor, person.id, FIRST_PAGE)
    assert [line.manager_id for line in lines.items] == [None]
    _, change = (await outbox.events())[-1]
    assert (change["old_manager_id"], change["new_manager_id"]) == (str(boss.id), None)


async def test_a_team_loop_is_refused_however_deep(session: AsyncSession, actor: Actor) -> None:
    teams = [await create_team(session)]
    for _ in range(5):
        teams.append(await create_team(session, parent_id=teams[-1].id))

    with pytest.raises(Conflict) as refused:
        await service.update_team(
            session, actor, teams[0].id, TeamUpdate(parent_id=teams[-1].id), '"1"'
        )

    assert refused.value.code == "team_cycle"


async def test_an_unknown_team_is_not_found(session: AsyncSession, actor: Actor) -> None:
    with pytest.raises(NotFound):
        await service.delete_team(session, actor, unknown_id())
