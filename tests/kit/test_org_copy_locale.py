"""The org copy keeps the locale each person reads in, as the directory's `person.*` events and
snapshots give it; a payload from before locales were copied reads as English."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from kit.db import Database
from kit.events import FeedEvent
from kit.orgcopy import HANDLERS, DirectorySnapshot, OrgPerson, upsert_person


def person_event(type_: str, person_id: uuid.UUID, **changes: Any) -> FeedEvent:
    payload: dict[str, Any] = {
        "id": str(person_id),
        "email": f"{person_id}@example.com",
        "name": "Sara Lind",
        "team_ids": [],
        "status": "active",
        "access_role": "employee",
        "time_zone": "Europe/Stockholm",
    }
    return FeedEvent(
        id=uuid.uuid4(),
        position=1,
        type=type_,
        occurred_at=datetime.now(UTC),
        payload=payload | changes,
    )


async def test_person_events_carry_the_locale_into_the_copy(toy_db: Database) -> None:
    sara = uuid.uuid4()

    async with toy_db.sessionmaker() as session:
        await HANDLERS["person.created"](session, person_event("person.created", sara, locale="sv"))
        created = await session.get(OrgPerson, sara)
        assert created is not None
        assert created.locale == "sv"

        await HANDLERS["person.updated"](
            session, person_event("person.updated", sara, locale="en-GB", changed=["locale"])
        )
        await session.refresh(created)
        assert created.locale == "en-GB"


async def test_a_payload_without_a_locale_reads_as_english(toy_db: Database) -> None:
    old = uuid.uuid4()

    async with toy_db.sessionmaker() as session:
        await HANDLERS["person.created"](session, person_event("person.created", old))
        person = await session.get(OrgPerson, old)

    assert person is not None
    assert person.locale == "en"


async def test_a_snapshot_carries_the_locale_too(toy_db: Database) -> None:
    kim = uuid.uuid4()
    snapshot = DirectorySnapshot.model_validate(
        {
            "position": 7,
            "people": [person_event("person.created", kim, locale="sv-FI").payload],
            "teams": [],
            "memberships": [],
        }
    )

    async with toy_db.sessionmaker() as session:
        for person in snapshot.people:
            await upsert_person(session, person)
        copied = await session.get(OrgPerson, kim)

    assert copied is not None
    assert copied.locale == "sv-FI"
