"""While one of its events is parked, a person or team of the org copy grants nothing; its
values come back, exactly, before its events are replayed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kit.db import Database
from kit.events import FeedEvent
from kit.orgcopy import (
    OrgHeld,
    OrgHolds,
    OrgMembership,
    OrgPerson,
    OrgTeam,
    team_ids_of,
)


def _event(type_: str, **payload: object) -> FeedEvent:
    return FeedEvent(
        id=uuid.uuid4(),
        position=1,
        type=type_,
        occurred_at=datetime.now(UTC),
        payload={k: str(v) for k, v in payload.items()},
    )


def test_events_are_ordered_per_person_and_per_team() -> None:
    person, team = uuid.uuid4(), uuid.uuid4()
    holds = OrgHolds()

    assert holds.entity_of(_event("person.updated", id=person)) == f"person:{person}"
    assert holds.entity_of(_event("person.manager_changed", person_id=person)) == (
        f"person:{person}"
    )
    # A membership belongs to the person: `person.*` events carry their teams too
    assert holds.entity_of(_event("team.member_removed", team_id=team, person_id=person)) == (
        f"person:{person}"
    )
    assert holds.entity_of(_event("team.updated", id=team)) == f"team:{team}"
    assert holds.entity_of(_event("team.updated", id="not an id")) is None
    assert holds.entity_of(_event("objective.created", id=team)) is None


async def test_a_held_person_and_team_grant_nothing_until_released(toy_db: Database) -> None:
    # Given Eve, an HR admin reporting to Mia, in a team led by Mia under another team
    mia, eve = uuid.uuid4(), uuid.uuid4()
    parent, team = uuid.uuid4(), uuid.uuid4()
    async with toy_db.sessionmaker() as session:
        session.add(OrgTeam(id=parent, name="Eng", kind="department"))
        session.add(OrgTeam(id=team, name="Platform", kind="team", parent_id=parent, lead_id=mia))
        for id_, email, manager in ((mia, "mia@example.com", None), (eve, "eve@example.com", mia)):
            session.add(
                OrgPerson(
                    id=id_, email=email, name=email, manager_id=manager, active=True,
                    is_hr_admin=id_ == eve,
                )
            )  # fmt: skip
        session.add(OrgMembership(team_id=team, person_id=eve))
        await session.commit()
    holds = OrgHolds()

    # When both are held
    async with toy_db.sessionmaker() as session:
        await holds.hold(session, f"person:{eve}")
        await holds.hold(session, f"team:{team}")
        await holds.hold(session, f"person:{eve}")  # a second hold changes nothing
        await session.commit()

    # Then Eve is closed: inactive, no admin, no manager, no team; the team has no lead or parent
    async with toy_db.sessionmaker() as session:
        eve_copy = await session.get(OrgPerson, eve)
        team_copy = await session.get(OrgTeam, team)
        assert eve_copy is not None
        assert team_copy is not None
        assert (eve_copy.active, eve_copy.is_hr_admin, eve_copy.manager_id) == (False, False, None)
        assert await team_ids_of(session, eve) == []
        assert (team_copy.lead_id, team_copy.parent_id) == (None, None)

    # When both are released
    async with toy_db.sessionmaker() as session:
        await holds.release(session, f"person:{eve}")
        await holds.release(session, f"team:{team}")
        await session.commit()

    # Then they are as they were, and nothing is held
    async with toy_db.sessionmaker() as session:
        eve_copy = await session.get(OrgPerson, eve)
        team_copy = await session.get(OrgTeam, team)
        assert eve_copy is not None
        assert team_copy is not None
        assert (eve_copy.active, eve_copy.is_hr_admin, eve_copy.manager_id) == (True, True, mia)
        assert await team_ids_of(session, eve) == [team]
        assert (team_copy.lead_id, team_copy.parent_id) == (mia, parent)
        assert await session.get(OrgHeld, f"person:{eve}") is None


async def test_holding_someone_not_copied_yet_keeps_nothing_to_restore(toy_db: Database) -> None:
    newcomer = uuid.uuid4()
    holds = OrgHolds()

    async with toy_db.sessionmaker() as session:
        await holds.hold(session, f"person:{newcomer}")
        held = await session.get(OrgHeld, f"person:{newcomer}")
        assert held is not None
        assert held.saved is None
        await holds.release(session, f"person:{newcomer}")
        assert await session.get(OrgPerson, newcomer) is None
        assert await session.get(OrgHeld, f"person:{newcomer}") is None
