"""Rounds opened by the cadence (the first at once, then on the group's cadence, and a
goal-sharing round each month), and members' help requests from the goals feed reaching their
groups as ids."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.events import FeedEvent
from kit.models import utcnow
from services.feedback.groups.service import on_help_request_opened, open_due_rounds
from services.goals.help.events import HelpRequestOpenedPayload
from services.goals.help.schemas import HelpRequestSource
from services.goals.schemas import Visibility
from tests.feedback.factories import Org
from tests.feedback.groups.support import create_group, join
from tests.support import Outbox


async def _kinds(client: httpx.AsyncClient, org: Org, group_id: str) -> list[str]:
    response = await client.get(
        f"/v1/accountability-groups/{group_id}/rounds", headers=org.headers("recipient")
    )
    return [item["kind"] for item in response.json()["items"]]


async def test_the_cadence_opens_rounds_when_they_are_due(
    client: httpx.AsyncClient, org: Org, session: AsyncSession, outbox: Outbox
) -> None:
    weekly = await create_group(client, org)
    monthly = await create_group(client, org, cadence="monthly")
    now = utcnow()

    first = await open_due_rounds(session, now)
    again = await open_due_rounds(session, now + timedelta(days=1))
    week_later = await open_due_rounds(session, now + timedelta(days=7))
    month_later = await open_due_rounds(session, now + timedelta(days=35))

    assert (len(first), again, len(week_later)) == (2, [], 1)
    assert await _kinds(client, org, weekly["id"]) == ["commitments"] * 3 + ["goal_sharing"]
    assert await _kinds(client, org, monthly["id"]) == ["commitments"] * 2 + ["goal_sharing"]
    assert len(month_later) == 4
    opened = [payload for name, payload in await outbox.events() if name == "group.round_opened"]
    assert {payload["opened_by"] for payload in opened} == {None}


async def test_a_group_nobody_is_left_in_gets_no_rounds(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    group = await create_group(client, org)
    await client.post(
        f"/v1/accountability-groups/{group['id']}/leave", headers=org.headers("recipient")
    )

    assert await open_due_rounds(session, utcnow()) == []


def _help_request(
    owner: uuid.UUID | None, position: int = 1, visibility: Visibility = Visibility.PUBLIC
) -> FeedEvent:
    """The goals service's own payload of `help_request.opened`."""
    payload = HelpRequestOpenedPayload(
        id=uuid.uuid4(),
        objective_id=uuid.uuid4(),
        key_result_id=None,
        owner_person_id=owner,
        owner_team_id=None if owner else uuid.uuid4(),
        visibility=visibility,
        source=HelpRequestSource.CHECK_IN,
        check_in_id=uuid.uuid4(),
        opened_by=owner or uuid.uuid4(),
        addressee_ids=[],
    )
    return FeedEvent(
        id=uuid.uuid4(),
        position=position,
        type="help_request.opened",
        occurred_at=utcnow(),
        payload=payload.model_dump(mode="json"),
    )


async def test_a_private_or_team_objectives_help_request_reaches_no_group(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    ours = await create_group(client, org)
    await join(client, org, ours["id"], "peer")

    await on_help_request_opened(session, _help_request(org.peer.id, 1, Visibility.PRIVATE))
    await on_help_request_opened(session, _help_request(None, 2))

    response = await client.get(
        f"/v1/accountability-groups/{ours['id']}/help-requests", headers=org.headers("peer")
    )
    assert response.status_code == 200
    assert response.json()["items"] == []


async def test_a_members_help_request_reaches_each_of_their_groups_once(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    ours = await create_group(client, org)
    await join(client, org, ours["id"], "peer")
    theirs = await create_group(client, org, by="peer")
    elsewhere = await create_group(client, org, by="giver")
    event = _help_request(org.peer.id)

    await on_help_request_opened(session, event)
    await on_help_request_opened(session, event)  # delivered again

    found = {
        group["id"]: (
            await client.get(
                f"/v1/accountability-groups/{group['id']}/help-requests",
                headers=org.headers(by),
            )
        ).json()["items"]
        for group, by in ((ours, "recipient"), (theirs, "peer"), (elsewhere, "giver"))
    }
    assert [
        (item["help_request_id"], item["objective_id"], item["person_id"])
        for item in found[ours["id"]]
    ] == [(event.payload["id"], event.payload["objective_id"], str(org.peer.id))]
    assert len(found[theirs["id"]]) == 1
    assert found[elsewhere["id"]] == []
    assert "reason" not in found[ours["id"]][0]


async def test_a_help_request_of_someone_in_no_group_goes_nowhere(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    group = await create_group(client, org)

    await on_help_request_opened(session, _help_request(org.manager.id))

    response = await client.get(
        f"/v1/accountability-groups/{group['id']}/help-requests", headers=org.headers("recipient")
    )
    assert response.json()["items"] == []


async def test_outsiders_do_not_see_a_groups_help_requests(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    group = await create_group(client, org)
    await on_help_request_opened(session, _help_request(org.recipient.id))

    manager = await client.get(
        f"/v1/accountability-groups/{group['id']}/help-requests", headers=org.headers("manager")
    )
    hr_admin = await client.get(
        f"/v1/accountability-groups/{group['id']}/help-requests", headers=org.headers("hr_admin")
    )

    assert (manager.status_code, hr_admin.status_code) == (404, 404)
