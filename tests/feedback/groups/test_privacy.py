"""Everything of a group is for its members alone: the managers of members, HR admins and
outsiders get 404, integrations 403, by every route."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.feedback.factories import Org
from tests.feedback.groups.support import WORDS, create_group, invite, join, open_round, post

MEMBERS = ("recipient", "peer")
# The members' manager, an HR admin, someone outside, a skip-level manager.
OTHERS = ("manager", "hr_admin", "giver_manager", "skip_level")


@dataclass
class Scene:
    group: str
    round: str
    post: str
    invitation: str

    def path(self, template: str) -> str:
        return template.format(
            group=self.group, round=self.round, post=self.post, invitation=self.invitation
        )


@pytest.fixture
async def scene(client: httpx.AsyncClient, org: Org) -> Scene:
    group = await create_group(client, org)
    await join(client, org, group["id"], "peer")
    invited = await invite(client, org, group["id"], "giver")
    round_ = await open_round(client, org, group["id"])
    found = await post(client, org, round_["id"], by="peer")
    return Scene(group["id"], round_["id"], found["id"], invited.json()["id"])


ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/v1/accountability-groups/{group}", None),
    ("PATCH", "/v1/accountability-groups/{group}", {"name": "Ours"}),
    ("POST", "/v1/accountability-groups/{group}/invitations", {"person_id": "{manager}"}),
    ("POST", "/v1/accountability-groups/{group}/rounds", {"kind": "commitments"}),
    ("GET", "/v1/accountability-groups/{group}/rounds", None),
    ("GET", "/v1/accountability-groups/{group}/help-requests", None),
    ("GET", "/v1/group-rounds/{round}", None),
    ("POST", "/v1/group-rounds/{round}/posts", {"commitments": "x"}),
    ("PATCH", "/v1/group-posts/{post}", {"progress": "x"}),
    ("POST", "/v1/group-posts/{post}/responses", {"body": "x"}),
    ("POST", "/v1/accountability-groups/{group}/leave", None),
]


def _body(body: dict[str, Any] | None, org: Org) -> dict[str, Any] | None:
    if body is None:
        return None
    return {
        key: str(org.manager.id) if value == "{manager}" else value for key, value in body.items()
    }


@pytest.mark.parametrize(("method", "template", "body"), ROUTES)
@pytest.mark.parametrize("caller", [*MEMBERS, *OTHERS, "giver", "integration"])
async def test_only_members_reach_a_group_by_any_route(
    client: httpx.AsyncClient,
    org: Org,
    scene: Scene,
    caller: str,
    method: str,
    template: str,
    body: dict[str, Any] | None,
) -> None:
    response = await client.request(
        method,
        scene.path(template),
        json=_body(body, org),
        headers=org.headers(caller) | {"If-Match": "*"},
    )

    if caller == "integration":
        assert response.status_code == 403, response.text
    elif caller in (*OTHERS, "giver"):  # the giver is invited, not yet a member
        assert response.status_code == 404, response.text
        assert WORDS not in response.text
    elif (caller, method, template) == ("recipient", "PATCH", "/v1/group-posts/{post}"):
        assert response.status_code == 403, response.text  # the peer's post
    elif (caller, template) == ("peer", "/v1/group-rounds/{round}/posts"):
        assert response.status_code == 409, response.text  # posted already
    elif (caller, template) == ("peer", "/v1/group-posts/{post}/responses"):
        assert response.status_code == 409, response.text  # their own post
    else:
        assert response.status_code < 300, response.text


@pytest.mark.parametrize("caller", [*OTHERS, "giver"])
async def test_lists_and_batch_reads_show_others_nothing(
    client: httpx.AsyncClient, org: Org, scene: Scene, caller: str
) -> None:
    listed = await client.get("/v1/accountability-groups", headers=org.headers(caller))
    batch = await client.get(
        f"/v1/accountability-groups?id={scene.group}", headers=org.headers(caller)
    )

    assert listed.json()["items"] == batch.json()["items"] == []


@pytest.mark.parametrize("caller", [*MEMBERS, *OTHERS])
async def test_an_invitation_is_answered_by_its_invitee_alone(
    client: httpx.AsyncClient, org: Org, scene: Scene, caller: str
) -> None:
    for action in ("accept", "decline"):
        response = await client.post(
            f"/v1/group-invitations/{scene.invitation}/{action}", headers=org.headers(caller)
        )

        assert response.status_code == 404, response.text
    listed = await client.get("/v1/group-invitations", headers=org.headers(caller))
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/accountability-groups"),
        ("POST", "/v1/accountability-groups"),
        ("GET", "/v1/group-invitations"),
        ("POST", "/v1/group-invitations/{invitation}/accept"),
    ],
)
async def test_integrations_reach_no_group(
    client: httpx.AsyncClient, org: Org, scene: Scene, method: str, path: str
) -> None:
    response = await client.request(
        method, scene.path(path), json={"name": "x"}, headers=org.headers("integration")
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
