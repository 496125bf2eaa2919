"""Drafting together: draft → proposed → agreed, co-signed by the owner's side and the
manager's side, neither alone; a change after a signature takes the signatures back; comments
for whoever may read the objective."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.goals.models import Cycle, Objective
from services.goals.schemas import ObjectiveStatus, SignatureRole, Visibility
from tests.goals.factories import (
    add_contributor,
    add_member,
    create_comment,
    create_hr_admin,
    create_objective,
    create_person,
    create_signature,
    create_team,
)
from tests.support import Outbox, Tokens, problem_fields


@dataclass
class Org:
    """boss ─ ada; team Platform (lead lea, members mia and lea) under team Company (lead
    cleo); team Orphans with no lead anywhere above; two HR admins; an outsider."""

    people: dict[str, OrgPerson]
    platform: OrgTeam
    orphans: OrgTeam

    def __getitem__(self, name: str) -> OrgPerson:
        return self.people[name]


@pytest.fixture
async def org(session: AsyncSession, admin: OrgPerson) -> Org:
    boss = await create_person(session, email="boss@example.com")
    ada = await create_person(session, email="ada@example.com", manager_id=boss.id)
    cleo = await create_person(session, email="cleo@example.com")
    lea = await create_person(session, email="lea@example.com", manager_id=cleo.id)
    mia = await create_person(session, email="mia@example.com", manager_id=lea.id)
    hugo = await create_hr_admin(session, email="hugo@example.com")
    outsider = await create_person(session, email="outsider@example.com")
    company = await create_team(session, name="Company", lead_id=cleo.id)
    platform = await create_team(session, name="Platform", parent_id=company.id, lead_id=lea.id)
    orphans = await create_team(session, name="Orphans")
    await add_member(session, platform, mia)
    await add_member(session, platform, lea)
    await add_member(session, orphans, outsider)
    people = {
        "boss": boss,
        "ada": ada,
        "cleo": cleo,
        "lea": lea,
        "mia": mia,
        "hana": admin,
        "hugo": hugo,
        "outsider": outsider,
    }
    return Org(people=people, platform=platform, orphans=orphans)


async def sign(
    client: httpx.AsyncClient, tokens: Tokens, org: Org, objective: Objective, name: str
) -> httpx.Response:
    return await client.post(
        f"/v1/objectives/{objective.id}/signatures", headers=tokens.person(org[name].email)
    )


async def propose(
    session: AsyncSession, cycle: Cycle, owner: OrgPerson | OrgTeam | None, **fields: object
) -> Objective:
    return await create_objective(session, cycle, owner, status=ObjectiveStatus.PROPOSED, **fields)


# --- From draft to proposed ------------------------------------------------------------------


async def test_a_draft_is_proposed_and_taken_back_by_whoever_works_on_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
) -> None:
    objective = await create_objective(session, cycle, org["ada"])
    url = f"/v1/objectives/{objective.id}"
    as_ada = tokens.person(org["ada"].email)

    drafted = (await client.get(url, headers=as_ada)).json()
    offered = await client.patch(
        url, json={"status": "proposed"}, headers=as_ada | {"If-Match": '"1"'}
    )
    back = await client.patch(url, json={"status": "draft"}, headers=as_ada | {"If-Match": '"2"'})

    assert drafted["status"] == "draft"
    assert (offered.status_code, offered.json()["status"]) == (200, "proposed")
    assert (back.status_code, back.json()["status"]) == (200, "draft")
    assert [payload["changed"] for _, payload in await outbox.events()] == [["status"], ["status"]]


async def test_agreed_comes_from_signatures_not_from_a_patch(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
) -> None:
    objective = await propose(session, cycle, org["ada"])

    response = await client.patch(
        f"/v1/objectives/{objective.id}",
        json={"status": "agreed"},
        headers=tokens.person(org["boss"].email) | {"If-Match": '"1"'},
    )

    assert (response.status_code, response.json()["code"]) == (409, "signatures_required")
    assert problem_fields(response) == {"body.status"}
    assert await outbox.events() == []


# --- Signing ---------------------------------------------------------------------------------


async def test_a_persons_objective_is_agreed_by_them_and_their_manager_neither_alone(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
) -> None:
    objective = await propose(session, cycle, org["ada"])

    first = await sign(client, tokens, org, objective, "ada")
    twice = await sign(client, tokens, org, objective, "ada")
    second = await sign(client, tokens, org, objective, "boss")

    assert first.status_code == 201
    assert first.json()["status"] == "proposed"  # one signature is not an agreement
    assert [(s["signer_id"], s["role"]) for s in first.json()["signatures"]] == [
        (str(org["ada"].id), "owner")
    ]
    assert (twice.status_code, twice.json()["code"]) == (409, "already_signed")
    assert (second.status_code, second.json()["status"]) == (201, "agreed")
    assert second.headers["etag"] == '"2"'
    assert [(s["signer_id"], s["role"]) for s in second.json()["signatures"]] == [
        (str(org["ada"].id), "owner"),
        (str(org["boss"].id), "manager"),
    ]
    [(type_, payload)] = await outbox.events()
    assert type_ == "objective.agreed"
    assert (payload["owner_signer_id"], payload["manager_signer_id"], payload["status"]) == (
        str(org["ada"].id),
        str(org["boss"].id),
        "agreed",
    )


async def test_the_manager_alone_does_not_agree_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
) -> None:
    objective = await propose(session, cycle, org["ada"])

    signed = await sign(client, tokens, org, objective, "boss")
    read = await client.get(
        f"/v1/objectives/{objective.id}", headers=tokens.person(org["ada"].email)
    )

    assert (signed.status_code, signed.json()["status"]) == (201, "proposed")
    assert read.json()["signatures"][0]["role"] == "manager"
    assert await outbox.events() == []


@pytest.mark.parametrize(
    ("owner", "signers", "roles"),
    [
        ("platform", ["mia", "lea"], ["owner", "manager"]),  # a member, then the lead
        ("platform", ["lea", "mia"], ["manager", "owner"]),  # the lead signs as the lead
        ("company", ["hana", "hugo"], ["manager", "owner"]),  # two HR admins
        ("orphans", ["outsider", "hugo"], ["owner", "manager"]),  # no lead: an HR admin
    ],
)
async def test_team_and_company_objectives_are_cosigned(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
    owner: str,
    signers: list[str],
    roles: list[str],
) -> None:
    owners = {"platform": org.platform, "orphans": org.orphans, "company": None}
    objective = await propose(session, cycle, owners[owner])

    answers = [await sign(client, tokens, org, objective, name) for name in signers]

    assert [r.status_code for r in answers] == [201, 201]
    assert [r.json()["status"] for r in answers] == ["proposed", "agreed"]
    assert [s["role"] for s in answers[-1].json()["signatures"]] == roles


async def test_the_lead_above_signs_for_a_team_without_a_lead(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    leadless = await create_team(session, name="Leadless", parent_id=org.platform.parent_id)
    await add_member(session, leadless, org["ada"])
    objective = await propose(session, cycle, leadless)

    answers = [await sign(client, tokens, org, objective, name) for name in ("ada", "cleo")]

    assert [r.json()["status"] for r in answers] == ["proposed", "agreed"]


@pytest.mark.parametrize(
    ("owner", "signer", "status", "code"),
    [
        ("ada", "outsider", 403, "forbidden"),  # no relation to it at all
        ("ada", "hana", 403, "not_a_signer"),  # ada has a manager: HR does not stand in
        ("ada", "cleo", 403, "forbidden"),
        ("platform", "hana", 403, "not_a_signer"),  # the team has a lead
        ("contributed", "mia", 403, "not_a_signer"),  # a contributor works on it, not signs
    ],
)
async def test_only_the_two_sides_sign(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
    owner: str,
    signer: str,
    status: int,
    code: str,
) -> None:
    owners: dict[str, OrgPerson | OrgTeam] = {
        "ada": org["ada"],
        "platform": org.platform,
        "contributed": org["ada"],
    }
    objective = await propose(session, cycle, owners[owner])
    await add_contributor(session, objective, org["mia"])

    response = await sign(client, tokens, org, objective, signer)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert await outbox.events() == []


async def test_a_second_member_does_not_sign_for_a_side_already_signed(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    objective = await propose(session, cycle, org.platform)
    await add_member(session, org.platform, org["ada"])

    await sign(client, tokens, org, objective, "mia")
    response = await sign(client, tokens, org, objective, "ada")

    assert (response.status_code, response.json()["code"]) == (409, "side_already_signed")


async def test_a_person_without_a_manager_is_countersigned_by_an_hr_admin(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    objective = await propose(session, cycle, org["hana"])  # an HR admin with no manager

    alone = await sign(client, tokens, org, objective, "hana")
    countersigned = await sign(client, tokens, org, objective, "hugo")

    assert [s["role"] for s in alone.json()["signatures"]] == ["owner"]
    assert countersigned.json()["status"] == "agreed"


@pytest.mark.parametrize(
    ("status", "code"),
    [(ObjectiveStatus.DRAFT, "not_proposed"), (ObjectiveStatus.AGREED, "already_agreed")],
)
async def test_only_a_proposed_objective_is_signed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
    status: ObjectiveStatus,
    code: str,
) -> None:
    objective = await create_objective(session, cycle, org["ada"], status=status)

    response = await sign(client, tokens, org, objective, "ada")

    assert (response.status_code, response.json()["code"]) == (409, code)


async def test_outsiders_and_integrations_cannot_sign_a_private_objective(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    objective = await propose(session, cycle, org["ada"], visibility=Visibility.PRIVATE)
    url = f"/v1/objectives/{objective.id}/signatures"

    outsider = await sign(client, tokens, org, objective, "outsider")
    integration = await client.post(url, headers=tokens.integration("goals:read"))

    assert (outsider.status_code, outsider.json()["code"]) == (404, "objective_not_found")
    assert integration.status_code == 403


# --- A change takes the signatures back ------------------------------------------------------


@pytest.mark.parametrize("status", [ObjectiveStatus.PROPOSED, ObjectiveStatus.AGREED])
async def test_a_change_after_a_signature_takes_the_signatures_back(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
    status: ObjectiveStatus,
) -> None:
    objective = await create_objective(session, cycle, org["ada"], status=status)
    await create_signature(session, objective, org["ada"], SignatureRole.OWNER)
    if status == ObjectiveStatus.AGREED:
        await create_signature(session, objective, org["boss"], SignatureRole.MANAGER)

    changed = await client.patch(
        f"/v1/objectives/{objective.id}",
        json={"description": "Also on tablets."},
        headers=tokens.person(org["ada"].email) | {"If-Match": '"1"'},
    )

    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["signatures"]) == ("proposed", [])
    [(_, payload)] = await outbox.events()
    expected = ["description", "status"] if status == ObjectiveStatus.AGREED else ["description"]
    assert payload["changed"] == expected


async def test_a_change_while_drafting_keeps_the_draft(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    objective = await create_objective(session, cycle, org["ada"])

    changed = await client.patch(
        f"/v1/objectives/{objective.id}",
        json={"title": "Sharper"},
        headers=tokens.person(org["ada"].email) | {"If-Match": '"1"'},
    )

    assert changed.json()["status"] == "draft"


async def test_taking_an_agreed_objective_back_to_draft_clears_its_signatures(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    objective = await create_objective(session, cycle, org["ada"], status=ObjectiveStatus.AGREED)
    await create_signature(session, objective, org["ada"], SignatureRole.OWNER)
    await create_signature(session, objective, org["boss"], SignatureRole.MANAGER)

    back = await client.patch(
        f"/v1/objectives/{objective.id}",
        json={"status": "draft"},
        headers=tokens.person(org["boss"].email) | {"If-Match": '"1"'},
    )

    assert (back.json()["status"], back.json()["signatures"]) == ("draft", [])


# --- Comments --------------------------------------------------------------------------------


async def test_comments_are_made_and_read_oldest_first_a_page_at_a_time(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
) -> None:
    objective = await create_objective(session, cycle, org["ada"])
    url = f"/v1/objectives/{objective.id}/comments"
    as_boss = tokens.person(org["boss"].email)

    made = [
        await client.post(url, json={"body": f"Thought {n}"}, headers=as_boss) for n in range(3)
    ]
    first = await client.get(url, params={"limit": 2}, headers=as_boss)
    rest = await client.get(
        url, params={"limit": 2, "cursor": first.json()["next_cursor"]}, headers=as_boss
    )

    assert [r.status_code for r in made] == [201] * 3
    assert made[0].json() | {"id": None, "created_at": None} == {
        "id": None,
        "objective_id": str(objective.id),
        "author_id": str(org["boss"].id),
        "body": "Thought 0",
        "created_at": None,
    }
    assert [c["body"] for c in first.json()["items"] + rest.json()["items"]] == [
        "Thought 0",
        "Thought 1",
        "Thought 2",
    ]
    assert rest.json()["next_cursor"] is None
    assert await outbox.events() == []  # a comment's text never travels in an event


async def test_comments_on_a_private_objective_are_for_those_who_may_read_it(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    objective = await create_objective(session, cycle, org["ada"], visibility=Visibility.PRIVATE)
    await create_comment(session, objective, org["ada"], body="Is this too easy?")
    url = f"/v1/objectives/{objective.id}/comments"
    as_outsider = tokens.person(org["outsider"].email)

    read = await client.get(url, headers=tokens.person(org["boss"].email))
    hidden = await client.get(url, headers=as_outsider)
    refused = await client.post(url, json={"body": "Let me in"}, headers=as_outsider)

    assert [c["body"] for c in read.json()["items"]] == ["Is this too easy?"]
    assert [r.json()["code"] for r in (hidden, refused)] == ["objective_not_found"] * 2


async def test_integrations_read_comments_of_public_objectives_but_do_not_write(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, org: Org, tokens: Tokens
) -> None:
    objective = await create_objective(session, cycle, org["ada"])
    url = f"/v1/objectives/{objective.id}/comments"
    reader = tokens.integration("goals:read")

    read = await client.get(url, headers=reader)
    written = await client.post(url, json={"body": "Bot says hi"}, headers=reader)

    assert (read.status_code, written.status_code) == (200, 403)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"body": " "}, "body.body", "string_too_short"),
        ({"body": "x" * 2001}, "body.body", "string_too_long"),
        ({"body": 5}, "body.body", "string_type"),
        ({}, "body.body", "missing"),
        ({"body": "ok", "author_id": "me"}, "body.author_id", "extra_forbidden"),
    ],
)
async def test_a_bad_comment_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    org: Org,
    tokens: Tokens,
    body: dict[str, object],
    field: str,
    code: str,
) -> None:
    objective = await create_objective(session, cycle, org["ada"])

    response = await client.post(
        f"/v1/objectives/{objective.id}/comments",
        json=body,
        headers=tokens.person(org["ada"].email),
    )

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]
