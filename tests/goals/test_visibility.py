"""Who sees and who works on which objective, decided from the org copy: one organisation,
every caller, every way of reading (one by one, lists, batches) giving the same answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import Visibility
from tests.goals.factories import (
    add_member,
    create_check_in,
    create_hr_admin,
    create_key_result,
    create_objective,
    create_person,
    create_team,
    unknown_id,
)
from tests.support import Outbox, Statements, Tokens


@dataclass
class Org:
    """ceo ─ manager ─ alice, bob;  ceo ─ carol ─ dave ─ erin;  outsider alone; hr.
    Team platform (lead carol; member alice) above team api (lead dave; member erin)."""

    people: dict[str, OrgPerson]
    platform: OrgTeam
    api: OrgTeam


@pytest.fixture
async def org(session: AsyncSession) -> Org:
    ceo = await create_person(session, email="ceo@example.com")
    manager = await create_person(session, email="manager@example.com", manager_id=ceo.id)
    alice = await create_person(session, email="alice@example.com", manager_id=manager.id)
    bob = await create_person(session, email="bob@example.com", manager_id=manager.id)
    carol = await create_person(session, email="carol@example.com", manager_id=ceo.id)
    dave = await create_person(session, email="dave@example.com", manager_id=carol.id)
    erin = await create_person(session, email="erin@example.com", manager_id=dave.id)
    outsider = await create_person(session, email="outsider@example.com")
    hr = await create_hr_admin(session, email="hr@example.com")
    platform = await create_team(session, name="Platform", lead_id=carol.id)
    api = await create_team(session, name="API", lead_id=dave.id, parent_id=platform.id)
    await add_member(session, platform, alice)
    await add_member(session, api, erin)
    people = {
        "ceo": ceo,
        "manager": manager,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "erin": erin,
        "outsider": outsider,
        "hr": hr,
    }
    return Org(people=people, platform=platform, api=api)


EVERYONE = ["ceo", "manager", "alice", "bob", "carol", "dave", "erin", "outsider", "hr"]

# Who sees each private objective, by owner.
PRIVATE_READERS = {
    "alice": {"alice", "manager", "ceo", "hr"},
    "platform": {"alice", "carol", "ceo", "hr"},
    "api": {"erin", "dave", "carol", "ceo", "hr"},
}


@dataclass
class Goals:
    private: dict[str, Objective]
    public: Objective
    key_results: dict[str, KeyResult]


@pytest.fixture
async def goals(session: AsyncSession, org: Org, cycle: Cycle) -> Goals:
    owners: dict[str, OrgPerson | OrgTeam] = {
        "alice": org.people["alice"],
        "platform": org.platform,
        "api": org.api,
    }
    private = {
        name: await create_objective(session, cycle, owner, visibility=Visibility.PRIVATE)
        for name, owner in owners.items()
    }
    public = await create_objective(session, cycle, org.people["bob"])
    key_results = {
        name: await create_key_result(session, objective)
        for name, objective in [*private.items(), ("public", public)]
    }
    for name, key_result in key_results.items():
        await create_check_in(session, key_result, org.people["hr"], note=name)
    return Goals(private=private, public=public, key_results=key_results)


def headers(tokens: Tokens, org: Org, name: str) -> dict[str, str]:
    return tokens.person(org.people[name].email)


def expected(name: str, goals: Goals) -> set[str]:
    """Ids of the objectives `name` sees."""
    seen = {str(goals.public.id)}
    for owner, readers in PRIVATE_READERS.items():
        if name in readers:
            seen.add(str(goals.private[owner].id))
    return seen


@pytest.mark.parametrize("name", EVERYONE)
async def test_one_by_one_a_private_objective_is_404_to_those_who_may_not_see_it(
    client: httpx.AsyncClient, tokens: Tokens, org: Org, goals: Goals, name: str
) -> None:
    as_them = headers(tokens, org, name)
    objectives = [*goals.private.values(), goals.public]

    answers = {
        str(objective.id): (await client.get(f"/v1/objectives/{objective.id}", headers=as_them))
        for objective in objectives
    }

    assert {id_ for id_, answer in answers.items() if answer.status_code == 200} == expected(
        name, goals
    )
    hidden = [answer for answer in answers.values() if answer.status_code != 200]
    assert {(answer.status_code, answer.json()["code"]) for answer in hidden} <= {
        (404, "objective_not_found")
    }


@pytest.mark.parametrize("name", EVERYONE)
async def test_lists_and_batches_leave_out_what_one_by_one_hides(
    client: httpx.AsyncClient, tokens: Tokens, org: Org, goals: Goals, name: str
) -> None:
    as_them = headers(tokens, org, name)
    every_id = [str(o.id) for o in [*goals.private.values(), goals.public]]

    listed = (await client.get("/v1/objectives", headers=as_them)).json()
    batch = (await client.get("/v1/objectives", params={"id": every_id}, headers=as_them)).json()
    by_owner = (
        await client.get(
            "/v1/objectives/by-owner",
            params={
                "owner_person_id": [str(org.people["alice"].id), str(org.people["bob"].id)],
                "owner_team_id": [str(org.platform.id), str(org.api.id)],
            },
            headers=as_them,
        )
    ).json()

    assert {item["id"] for item in listed["items"]} == expected(name, goals)
    assert {item["id"] for item in batch["items"]} == expected(name, goals)
    assert {item["id"] for group in by_owner["groups"] for item in group["items"]} == expected(
        name, goals
    )


@pytest.mark.parametrize("name", EVERYONE)
async def test_key_results_and_check_ins_follow_their_objective(
    client: httpx.AsyncClient, tokens: Tokens, org: Org, goals: Goals, name: str
) -> None:
    as_them = headers(tokens, org, name)
    key_results = goals.key_results
    visible = {"public"} | {owner for owner, who in PRIVATE_READERS.items() if name in who}
    ids = {owner: str(key_result.id) for owner, key_result in key_results.items()}
    objective_of = {owner: str(kr.objective_id) for owner, kr in key_results.items()}

    one_by_one = {
        owner: (await client.get(f"/v1/key-results/{id_}", headers=as_them)).status_code
        for owner, id_ in ids.items()
    }
    check_ins = {
        owner: (await client.get(f"/v1/key-results/{id_}/check-ins", headers=as_them)).status_code
        for owner, id_ in ids.items()
    }
    of_objective = {
        owner: (await client.get(f"/v1/objectives/{id_}/key-results", headers=as_them)).status_code
        for owner, id_ in objective_of.items()
    }
    batch = (
        await client.get("/v1/key-results", params={"id": list(ids.values())}, headers=as_them)
    ).json()
    by_objective = (
        await client.get(
            "/v1/key-results/by-objective",
            params={"objective_id": list(objective_of.values())},
            headers=as_them,
        )
    ).json()
    by_key_result = (
        await client.get(
            "/v1/check-ins/by-key-result",
            params={"key_result_id": list(ids.values())},
            headers=as_them,
        )
    ).json()

    shown = {owner: 200 if owner in visible else 404 for owner in ids}
    assert (one_by_one, check_ins, of_objective) == (shown, shown, shown)
    assert {item["id"] for item in batch["items"]} == {ids[owner] for owner in visible}
    assert {group["objective_id"] for group in by_objective["groups"] if group["items"]} == {
        objective_of[owner] for owner in visible
    }
    assert {item["note"] for group in by_key_result["groups"] for item in group["items"]} == visible


@pytest.mark.parametrize(
    "path",
    [
        "/v1/objectives/{objective}",
        "/v1/objectives/{objective}/key-results",
        "/v1/objectives/{objective}/closing",
        "/v1/objectives/{objective}/comments",
        "/v1/key-results/{key_result}/check-ins",
    ],
)
@pytest.mark.parametrize("name", ["bob", "outsider", "erin"])
async def test_a_hidden_private_objective_takes_the_very_path_of_an_unknown_id(
    client: httpx.AsyncClient,
    tokens: Tokens,
    org: Org,
    goals: Goals,
    statements: Statements,
    path: str,
    name: str,
) -> None:
    as_them = headers(tokens, org, name)
    hidden = {"objective": goals.private["alice"].id, "key_result": goals.key_results["alice"].id}
    unknown = {"objective": unknown_id(), "key_result": unknown_id()}
    answers, sent = [], []
    for ids in (hidden, unknown):
        statements.sent.clear()
        answers.append(await client.get(path.format(**ids), headers=as_them))
        # Savepoints are numbered as they come; the rest must be the same, one for one.
        sent.append([re.sub(r"sa_savepoint_\d+", "sa_savepoint", sql) for sql in statements.sent])

    hidden_answer, unknown_answer = [(r.status_code, r.json()["code"]) for r in answers]
    assert hidden_answer == unknown_answer
    assert hidden_answer[0] == 404
    assert sent[0] == sent[1]
    assert len(sent[0]) >= 1


@pytest.mark.parametrize(
    ("reader", "sees_private"),
    [(("goals:read",), False), ("service", True)],
)
async def test_integrations_read_public_objectives_and_our_services_all(
    client: httpx.AsyncClient,
    tokens: Tokens,
    goals: Goals,
    reader: tuple[str, ...] | str,
    sees_private: bool,
) -> None:
    as_them = tokens.service() if reader == "service" else tokens.integration(*reader)
    private = goals.private["alice"]

    listed = (await client.get("/v1/objectives", headers=as_them)).json()
    one = await client.get(f"/v1/objectives/{private.id}", headers=as_them)

    private_ids = {str(objective.id) for objective in goals.private.values()}
    assert bool({item["id"] for item in listed["items"]} & private_ids) is sees_private
    assert one.status_code == (200 if sees_private else 404)


# --- Who works on an objective ---------------------------------------------------------------

# Who may change an objective (and add key results, check in), by owner.
CONTRIBUTORS = {
    "alice": {"alice", "manager", "ceo", "hr"},
    "platform": {"alice", "carol", "ceo", "hr"},
    "api": {"erin", "dave", "carol", "ceo", "hr"},
}


@pytest.fixture
async def public_goals(session: AsyncSession, org: Org, cycle: Cycle) -> dict[str, Objective]:
    owners: dict[str, OrgPerson | OrgTeam] = {
        "alice": org.people["alice"],
        "platform": org.platform,
        "api": org.api,
    }
    return {name: await create_objective(session, cycle, owner) for name, owner in owners.items()}


@pytest.mark.parametrize("owner", sorted(CONTRIBUTORS))
@pytest.mark.parametrize("name", EVERYONE)
async def test_only_the_owner_their_chain_their_team_and_hr_work_on_an_objective(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    org: Org,
    public_goals: dict[str, Objective],
    owner: str,
    name: str,
) -> None:
    objective = public_goals[owner]
    key_result = await create_key_result(session, objective)
    as_them = headers(tokens, org, name)

    update = await client.patch(
        f"/v1/objectives/{objective.id}",
        json={"description": "Why it matters."},
        headers=as_them | {"If-Match": '"1"'},
    )
    add = await client.post(
        f"/v1/objectives/{objective.id}/key-results",
        json={"title": "K", "start": 0, "target": 1},
        headers=as_them,
    )
    check_in = await client.post(
        f"/v1/key-results/{key_result.id}/check-ins",
        json={"value": 1, "confidence": 8},
        headers=as_them,
    )

    status = 201 if name in CONTRIBUTORS[owner] else 403
    assert (update.status_code, add.status_code, check_in.status_code) == (
        200 if status == 201 else 403,
        status,
        status,
    )


async def test_outsiders_get_404_not_403_when_working_on_a_private_objective(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    org: Org,
    goals: Goals,
    outbox: Outbox,
) -> None:
    as_bob = headers(tokens, org, "bob")
    objective = goals.private["alice"]
    before = await outbox.events()

    answers = [
        await client.patch(
            f"/v1/objectives/{objective.id}",
            json={"title": "Mine now"},
            headers=as_bob | {"If-Match": '"1"'},
        ),
        await client.post(
            f"/v1/objectives/{objective.id}/key-results",
            json={"title": "K", "start": 0, "target": 1},
            headers=as_bob,
        ),
        await client.post(
            f"/v1/key-results/{goals.key_results['alice'].id}/check-ins",
            json={"value": 1, "confidence": 1},
            headers=as_bob,
        ),
    ]

    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert await outbox.events() == before


@pytest.mark.parametrize(
    ("creator", "owner", "status"),
    [
        ("alice", "alice", 201),
        ("alice", "bob", 403),
        ("manager", "alice", 201),
        ("ceo", "alice", 403),  # a skip-level manager does not set your goals
        ("alice", "platform", 201),  # a member
        ("carol", "platform", 201),  # its lead
        ("carol", "api", 201),  # the lead of the team above
        ("dave", "platform", 403),
        ("erin", "platform", 403),
        ("hr", "outsider", 201),
        ("outsider", "api", 403),
    ],
)
async def test_objectives_are_set_for_yourself_your_team_or_your_reports(
    client: httpx.AsyncClient,
    tokens: Tokens,
    org: Org,
    cycle: Cycle,
    outbox: Outbox,
    creator: str,
    owner: str,
    status: int,
) -> None:
    teams = {"platform": org.platform, "api": org.api}
    owner_field = (
        {"owner_team_id": str(teams[owner].id)}
        if owner in teams
        else {"owner_person_id": str(org.people[owner].id)}
    )

    response = await client.post(
        "/v1/objectives",
        json={"cycle_id": str(cycle.id), "title": "Focus"} | owner_field,
        headers=headers(tokens, org, creator),
    )

    assert response.status_code == status
    assert await outbox.types() == (["objective.created"] if status == 201 else [])
    if status == 201:
        assert response.json()["created_by"] == str(org.people[creator].id)


async def test_a_manager_sees_a_private_objective_once_the_report_moves_to_them(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, org: Org, goals: Goals
) -> None:
    """Rights follow the org copy as it is now, not as it was when the objective was set."""
    objective = goals.private["alice"]
    as_carol = headers(tokens, org, "carol")
    before = await client.get(f"/v1/objectives/{objective.id}", headers=as_carol)

    org.people["alice"].manager_id = org.people["carol"].id
    session.add(org.people["alice"])
    await session.flush()
    after = await client.get(f"/v1/objectives/{objective.id}", headers=as_carol)

    assert (before.status_code, after.status_code) == (404, 200)
