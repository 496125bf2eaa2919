"""The goals rules, called as the routes call them: a session and an actor."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Role
from kit.errors import Conflict, NotFound
from kit.orgcopy import OrgPerson
from services.goals import service
from services.goals.checkins import service as checkins
from services.goals.checkins.schemas import CheckInCreate
from services.goals.models import Cycle, KeyResult
from services.goals.schemas import CycleStatus, ObjectiveCreate
from tests.goals.factories import create_cycle, create_key_result, create_objective
from tests.support import Outbox


@pytest.fixture
def actor(admin: OrgPerson) -> Actor:
    return Actor(role=Role.HR_ADMIN, subject=admin.email, person_id=admin.id)


async def test_a_change_and_its_event_share_one_transaction(
    session: AsyncSession, outbox: Outbox, actor: Actor, admin: OrgPerson, cycle: Cycle
) -> None:
    savepoint = await session.begin_nested()
    created = await service.create_objective(
        session,
        actor,
        ObjectiveCreate(cycle_id=cycle.id, title="Focus", owner_person_id=admin.id),
    )
    assert await outbox.types() == ["objective.created"]

    await savepoint.rollback()

    assert await outbox.events() == []
    with pytest.raises(NotFound):
        await service.get_objective(session, actor, created.id)


async def test_a_refused_check_in_writes_nothing(
    session: AsyncSession, outbox: Outbox, actor: Actor, admin: OrgPerson
) -> None:
    closed = await create_cycle(session, status=CycleStatus.CLOSED)
    key_result = await create_key_result(session, await create_objective(session, closed, admin))

    with pytest.raises(Conflict) as refused:
        await checkins.check_in(
            session, actor, key_result.id, CheckInCreate(value=50.0, confidence=3)
        )

    assert refused.value.code == "cycle_closed"
    assert await outbox.events() == []
    await session.refresh(key_result)
    assert (key_result.current, key_result.confidence) == (0.0, None)


async def test_check_ins_one_after_another_each_see_the_value_before(
    session: AsyncSession, outbox: Outbox, actor: Actor, admin: OrgPerson, cycle: Cycle
) -> None:
    key_result: KeyResult = await create_key_result(
        session, await create_objective(session, cycle, admin), start=10.0, target=0.0
    )

    for value in (8.0, 5.0, 6.0):
        await checkins.check_in(
            session, actor, key_result.id, CheckInCreate(value=value, confidence=5)
        )

    moves = [(p["previous_value"], p["value"], p["progress"]) for _, p in await outbox.events()]
    assert moves == [(10.0, 8.0, 0.2), (8.0, 5.0, 0.5), (5.0, 6.0, 0.4)]
