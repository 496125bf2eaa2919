"""Who may do what with a help request: those who work on the objective ask, edit and resolve;
any person who sees it offers; a private objective's help requests are as private as it is,
404 to outsiders on every path."""

from __future__ import annotations

import httpx
import pytest

from tests.goals.help.support import Cast

# Who: the owner, her manager, a contributor, a peer, an HR admin, an integration (reader).
WHO = ["ada", "mia", "cole", "pete", "hana", "reader"]


def _headers(people: Cast, who: str) -> dict[str, str]:
    return people.reader() if who == "reader" else people.as_(getattr(people, who))


async def _open(client: httpx.AsyncClient, people: Cast) -> str:
    asked = await client.post(
        "/v1/help-requests",
        json={"key_result_id": str(people.key_result.id), "blocked": "Stuck"},
        headers=people.as_(people.ada),
    )
    assert asked.status_code == 201
    return str(asked.json()["id"])


@pytest.mark.parametrize(
    ("who", "status"),
    [("ada", 201), ("mia", 201), ("cole", 201), ("pete", 403), ("hana", 201), ("reader", 403)],
)
async def test_help_is_asked_by_those_who_work_on_the_objective(
    client: httpx.AsyncClient, people: Cast, who: str, status: int
) -> None:
    asked = await client.post(
        "/v1/help-requests",
        json={"objective_id": str(people.objective.id)},
        headers=_headers(people, who),
    )

    assert asked.status_code == status


@pytest.mark.parametrize(
    ("who", "offer", "resolve"),
    [
        ("ada", 409, 200),  # her own: she resolves it, she does not offer on it
        ("mia", 201, 200),
        ("cole", 201, 200),
        ("pete", 201, 403),
        ("hana", 201, 200),
        ("reader", 403, 403),
    ],
)
async def test_anyone_who_sees_it_offers_those_who_work_on_it_resolve(
    client: httpx.AsyncClient, people: Cast, who: str, offer: int, resolve: int
) -> None:
    path = f"/v1/help-requests/{await _open(client, people)}"
    headers = _headers(people, who)

    offered = await client.post(f"{path}/offers", json={"message": "Here"}, headers=headers)
    resolved = await client.post(f"{path}/resolution", json={"note": "Done"}, headers=headers)

    assert (offered.status_code, resolved.status_code) == (offer, resolve)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("ada", True),
        ("mia", True),
        ("cole", True),
        ("pete", False),
        ("hana", True),
        ("reader", False),
    ],
)
async def test_a_private_objectives_help_request_is_as_private_as_it(
    client: httpx.AsyncClient, private: Cast, who: str, sees: bool
) -> None:
    help_id = await _open(client, private)
    headers = _headers(private, who)
    path = f"/v1/help-requests/{help_id}"

    reads = [
        await client.get(path, headers=headers),
        await client.get(f"/v1/objectives/{private.objective.id}/help-requests", headers=headers),
    ]
    writes = [
        await client.post(f"{path}/offers", json={"message": "Hi"}, headers=headers),
        await client.patch(path, json={"blocked": "x"}, headers=headers | {"If-Match": "*"}),
        await client.post(f"{path}/resolution", json={"note": "x"}, headers=headers),
    ]

    if sees:
        assert [read.status_code for read in reads] == [200, 200]
    else:
        assert [read.status_code for read in reads] == [404, 404]
        # An integration is refused before anything is looked for; a person learns nothing.
        expected = 403 if who == "reader" else 404
        assert [write.status_code for write in writes] == [expected] * 3


async def test_someone_asked_still_sees_it_when_the_objective_turns_private(
    client: httpx.AsyncClient, people: Cast
) -> None:
    help_id = await _open(client, people)
    read = await client.get(f"/v1/objectives/{people.objective.id}", headers=people.as_(people.ada))
    await client.patch(
        f"/v1/objectives/{people.objective.id}",
        json={"visibility": "private"},
        headers=people.as_(people.ada) | {"If-Match": read.headers["ETag"]},
    )

    peer = await client.get(f"/v1/help-requests/{help_id}", headers=people.as_(people.pete))
    contributor = await client.get(f"/v1/help-requests/{help_id}", headers=people.as_(people.cole))

    assert (peer.status_code, contributor.status_code) == (404, 200)
