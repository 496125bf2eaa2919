"""Accountability groups: started, joined by accepted invitation, left; never over their size;
rounds opened by hand, each member posting once and the others responding."""

from __future__ import annotations

import json

import httpx

from tests.feedback.factories import Org
from tests.feedback.groups.support import WORDS, create_group, invite, join, open_round, post
from tests.support import Outbox


async def test_a_group_starts_with_its_creator_and_four_seats(
    client: httpx.AsyncClient, org: Org
) -> None:
    group = await create_group(client, org)

    assert group["max_members"] == 4
    assert group["cadence"] == "weekly"
    assert [member["person_id"] for member in group["members"]] == [str(org.recipient.id)]


async def test_people_join_by_accepting_an_invitation(client: httpx.AsyncClient, org: Org) -> None:
    group = await create_group(client, org)
    invited = await invite(client, org, group["id"], "peer")

    mine = await client.get("/v1/group-invitations", headers=org.headers("peer"))
    before = await client.get(
        f"/v1/accountability-groups/{group['id']}", headers=org.headers("peer")
    )
    accepted = await client.post(
        f"/v1/group-invitations/{invited.json()['id']}/accept", headers=org.headers("peer")
    )
    again = await client.post(
        f"/v1/group-invitations/{invited.json()['id']}/accept", headers=org.headers("peer")
    )
    after = await client.get(
        f"/v1/accountability-groups/{group['id']}", headers=org.headers("peer")
    )

    assert [item["id"] for item in mine.json()["items"]] == [invited.json()["id"]]
    assert before.status_code == 404
    assert [member["person_id"] for member in accepted.json()["members"]] == [
        str(org.recipient.id),
        str(org.peer.id),
    ]
    assert (again.status_code, again.json()["code"]) == (409, "invitation_closed")
    assert after.status_code == 200
    assert after.json()["pending_invitations"] == []


async def test_a_declined_invitation_adds_no_one(client: httpx.AsyncClient, org: Org) -> None:
    group = await create_group(client, org)
    invited = await invite(client, org, group["id"], "peer")

    declined = await client.post(
        f"/v1/group-invitations/{invited.json()['id']}/decline", headers=org.headers("peer")
    )
    by_another = await client.post(
        f"/v1/group-invitations/{invited.json()['id']}/accept", headers=org.headers("giver")
    )
    read = await client.get(
        f"/v1/accountability-groups/{group['id']}", headers=org.headers("recipient")
    )

    assert declined.json()["status"] == "declined"
    assert (by_another.status_code, by_another.json()["code"]) == (404, "invitation_not_found")
    assert len(read.json()["members"]) == 1


async def test_a_group_never_holds_more_than_its_size(client: httpx.AsyncClient, org: Org) -> None:
    group = await create_group(client, org, max_members=3)
    await join(client, org, group["id"], "peer")
    await invite(client, org, group["id"], "giver")

    full = await invite(client, org, group["id"], "manager")
    member = await invite(client, org, group["id"], "peer")
    twice = await invite(client, org, group["id"], "giver")
    shrink = await client.patch(
        f"/v1/accountability-groups/{group['id']}",
        json={"max_members": 2},
        headers=org.headers("peer") | {"If-Match": "*"},
    )

    assert (full.status_code, full.json()["code"]) == (409, "group_full")
    assert (member.status_code, member.json()["code"]) == (409, "already_member")
    assert twice.status_code == 409
    assert (shrink.status_code, shrink.json()["code"]) == (409, "group_too_small")


async def test_a_group_holds_at_most_eight(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        "/v1/accountability-groups",
        json={"name": "Too many", "max_members": 9},
        headers=org.headers("recipient"),
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["body.max_members"]


async def test_a_member_who_leaves_reads_the_group_no_more(
    client: httpx.AsyncClient, org: Org
) -> None:
    group = await create_group(client, org)
    await join(client, org, group["id"], "peer")
    round_ = await open_round(client, org, group["id"])
    await post(client, org, round_["id"], by="peer")

    left = await client.post(
        f"/v1/accountability-groups/{group['id']}/leave", headers=org.headers("peer")
    )
    gone = await client.get(f"/v1/group-rounds/{round_['id']}", headers=org.headers("peer"))
    stays = await client.get(f"/v1/group-rounds/{round_['id']}", headers=org.headers("recipient"))

    assert left.status_code == 204
    assert gone.status_code == 404
    assert [item["author_id"] for item in stays.json()["posts"]] == [str(org.peer.id)]


async def test_members_post_once_a_round_and_the_others_respond(
    client: httpx.AsyncClient, org: Org, outbox: Outbox
) -> None:
    group = await create_group(client, org)
    await join(client, org, group["id"], "peer")
    round_ = await open_round(client, org, group["id"], kind="goal_sharing")
    mine = await post(client, org, round_["id"])

    twice = await client.post(
        f"/v1/group-rounds/{round_['id']}/posts",
        json={"commitments": "again"},
        headers=org.headers("recipient"),
    )
    response = await client.post(
        f"/v1/group-posts/{mine['id']}/responses",
        json={"body": "You got this"},
        headers=org.headers("peer"),
    )
    own = await client.post(
        f"/v1/group-posts/{mine['id']}/responses",
        json={"body": "me"},
        headers=org.headers("recipient"),
    )
    progress = await client.patch(
        f"/v1/group-posts/{mine['id']}",
        json={"progress": "all done"},
        headers=org.headers("recipient") | {"If-Match": f'"{mine["version"]}"'},
    )
    not_theirs = await client.patch(
        f"/v1/group-posts/{mine['id']}",
        json={"progress": "nope"},
        headers=org.headers("peer") | {"If-Match": "*"},
    )
    read = await client.get(f"/v1/group-rounds/{round_['id']}", headers=org.headers("peer"))

    assert round_["kind"] == "goal_sharing"
    assert (twice.status_code, twice.json()["code"]) == (409, "already_posted")
    assert response.status_code == 201
    assert (own.status_code, own.json()["code"]) == (409, "own_post")
    assert progress.json()["progress"] == "all done"
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "not_your_post")
    [shown] = read.json()["posts"]
    assert (shown["commitments"], shown["progress"]) == (WORDS, "all done")
    assert [item["body"] for item in shown["responses"]] == ["You got this"]
    events = await outbox.events()
    assert [name for name, _ in events] == ["group.round_opened", "group.commitment_posted"]
    assert events[0][1]["member_ids"] == [str(org.recipient.id), str(org.peer.id)]
    assert WORDS not in json.dumps(events)


async def test_a_retried_create_makes_one_group(client: httpx.AsyncClient, org: Org) -> None:
    headers = org.headers("recipient") | {"Idempotency-Key": "group-1"}

    first = await client.post("/v1/accountability-groups", json={"name": "A"}, headers=headers)
    again = await client.post("/v1/accountability-groups", json={"name": "A"}, headers=headers)
    listed = await client.get("/v1/accountability-groups", headers=org.headers("recipient"))

    assert again.headers["Idempotent-Replayed"] == "true"
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]


async def test_groups_and_rounds_come_in_keyset_pages(client: httpx.AsyncClient, org: Org) -> None:
    made = [(await create_group(client, org, name=f"G{n}"))["id"] for n in range(3)]
    rounds = [(await open_round(client, org, made[0]))["id"] for _ in range(3)]

    first = await client.get("/v1/accountability-groups?limit=2", headers=org.headers("recipient"))
    rest = await client.get(
        f"/v1/accountability-groups?limit=2&cursor={first.json()['next_cursor']}",
        headers=org.headers("recipient"),
    )
    round_pages = [
        await client.get(
            f"/v1/accountability-groups/{made[0]}/rounds?limit=2", headers=org.headers("recipient")
        )
    ]
    round_pages.append(
        await client.get(
            f"/v1/accountability-groups/{made[0]}/rounds?limit=2"
            f"&cursor={round_pages[0].json()['next_cursor']}",
            headers=org.headers("recipient"),
        )
    )
    bad = await client.get(
        "/v1/accountability-groups?cursor=nope", headers=org.headers("recipient")
    )

    assert [item["id"] for item in first.json()["items"] + rest.json()["items"]] == made
    assert [item["id"] for page in round_pages for item in page.json()["items"]] == rounds
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")
