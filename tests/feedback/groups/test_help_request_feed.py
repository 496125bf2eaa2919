"""The feedback service follows the goals service's real feed with the kit's consumer: a
member's `help_request.opened` reaches their group once, however often it is delivered.
The event is written with the goals service's own event type and payload, so that the two
services cannot drift apart."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import update

from kit.consumer import ConsumerOffset
from kit.db import Database
from kit.events import record_event
from services.feedback.groups.models import AccountabilityGroup, GroupMember
from services.feedback.groups.schemas import GroupCadence
from services.feedback.groups.workers import help_request_consumer
from services.goals.help.events import HELP_REQUEST_OPENED, HelpRequestOpenedPayload
from services.goals.help.schemas import HelpRequestSource
from services.goals.schemas import Visibility
from tests.factories import create_person
from tests.support import Tokens, asgi_client, service_app

pytestmark = pytest.mark.e2e


async def test_a_help_request_on_the_goals_feed_reaches_the_group_once(
    fresh_database: Callable[[str], Awaitable[str]], tokens: Tokens
) -> None:
    goals_db = Database(await fresh_database("goals"))
    feedback_db = Database(await fresh_database("feedback"))
    try:
        async with feedback_db.sessionmaker() as session:
            asker = await create_person(session, name="Priya")
            other = await create_person(session, name="Jonas")
            group = AccountabilityGroup(
                name="Ship it", cadence=GroupCadence.WEEKLY, max_members=4, created_by=asker.id
            )
            session.add(group)
            await session.flush()
            session.add_all(
                [
                    GroupMember(group_id=group.id, person_id=asker.id),
                    GroupMember(group_id=group.id, person_id=other.id),
                ]
            )
            await session.commit()
        opened = HelpRequestOpenedPayload(
            id=uuid.uuid4(),
            objective_id=uuid.uuid4(),
            key_result_id=None,
            owner_person_id=asker.id,
            owner_team_id=None,
            visibility=Visibility.PUBLIC,
            source=HelpRequestSource.MANUAL,
            check_in_id=None,
            opened_by=asker.id,
            addressee_ids=[other.id],
        )
        async with goals_db.sessionmaker() as session:
            await record_event(session, HELP_REQUEST_OPENED, opened)
            await session.commit()
        feedback = service_app("feedback", feedback_db)

        async with asgi_client(service_app("goals", goals_db), "goals") as goals:
            consumer = help_request_consumer(feedback, goals)
            first = await consumer.poll()
            async with feedback_db.sessionmaker() as session:
                await session.exec(update(ConsumerOffset).values(position=0))
                await session.commit()
            again = await consumer.poll()
        async with asgi_client(feedback, "feedback") as client:
            response = await client.get(
                f"/v1/accountability-groups/{group.id}/help-requests",
                headers=tokens.person(other.email),
            )

        assert (first, again) == (1, 0)
        assert [
            (item["help_request_id"], item["objective_id"], item["person_id"])
            for item in response.json()["items"]
        ] == [(str(opened.id), str(opened.objective_id), str(asker.id))]
    finally:
        await goals_db.dispose()
        await feedback_db.dispose()
