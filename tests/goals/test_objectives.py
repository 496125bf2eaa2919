"""Objectives of a person, a team or the company; committed or aspirational; contributors who
see and work on them; and the filters of the list."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.goals.models import Cycle, Objective
from services.goals.schemas import (
    CheckInStatus,
    ObjectiveKind,
    ObjectiveStatus,
    OwnerKind,
    Visibility,
)
from tests.goals.factories import (
    add_contributor,
    add_member,
    create_cycle,
    create_key_result,
    create_objective,
    create_person,
    create_team,
    new_objective,
)
from tests.support import Outbox, Tokens, problem_codes, problem_fields


def ids(response: httpx.Response) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


# --- Owners ----------------------------------------------------------------------------------


async def test_an_hr_admin_sets_a_company_objective_everyone_reads(
    client: httpx.AsyncClient,
    outbox: Outbox,
    cycle: Cycle,
    as_admin: dict[str, str],
    as_ada: dict[str, str],
) -> None:
    created = await client.post(
        "/v1/objectives", json=new_objective(cycle, owner_kind="company"), headers=as_admin
    )

    assert created.status_code == 201
    objective = created.json()
    assert (objective["owner_kind"], objective["owner_person_id"], objective["owner_team_id"]) == (
        "company",
        None,
        None,
    )
    assert (
        await client.get(f"/v1/objectives/{objective['id']}", headers=as_ada)
    ).status_code == 200
    [(type_, payload)] = await outbox.events()
    assert (type_, payload["owner_kind"]) == ("objective.created", "company")


async def test_only_hr_admins_set_company_objectives(
    client: httpx.AsyncClient, outbox: Outbox, cycle: Cycle, as_ada: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/objectives", json=new_objective(cycle, owner_kind="company"), headers=as_ada
    )

    assert response.status_code == 403
    assert await outbox.events() == []


async def test_company_objectives_are_public(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    as_admin: dict[str, str],
) -> None:
    created = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, owner_kind="company", visibility="private"),
        headers=as_admin,
    )
    company = await create_objective(session, cycle, None)
    changed = await client.patch(
        f"/v1/objectives/{company.id}",
        json={"visibility": "private"},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert created.status_code == 422
    assert problem_codes(created) == {"company_objectives_are_public"}
    assert (changed.status_code, changed.json()["code"]) == (422, "company_objectives_are_public")


@pytest.mark.parametrize(
    "owner",
    [
        {},
        {"owner_kind": "company", "owner_person_id": "ADA"},
        {"owner_kind": "person"},
        {"owner_kind": "person", "owner_team_id": "TEAM"},
        {"owner_kind": "team", "owner_person_id": "ADA"},
        {"owner_person_id": "ADA", "owner_team_id": "TEAM"},
    ],
)
async def test_the_owner_kind_and_the_owner_id_agree(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_admin: dict[str, str],
    owner: dict[str, str],
) -> None:
    team = await create_team(session)
    named = {"ADA": str(ada.id), "TEAM": str(team.id)}
    fields = {key: named.get(value, value) for key, value in owner.items()}

    response = await client.post(
        "/v1/objectives", json=new_objective(cycle, **fields), headers=as_admin
    )

    assert response.status_code == 422
    assert (problem_fields(response), problem_codes(response)) == ({"body"}, {"one_owner"})


async def test_a_bad_owner_kind_or_kind_is_422(
    client: httpx.AsyncClient, cycle: Cycle, ada: OrgPerson, as_ada: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, owner_kind="family", kind="hopeful", owner_person_id=str(ada.id)),
        headers=as_ada,
    )

    assert response.status_code == 422
    assert problem_fields(response) == {"body.owner_kind", "body.kind"}


@pytest.mark.parametrize(
    ("kind", "threshold", "words"),
    [("committed", 1.0, "met in full"), ("aspirational", 0.7, "about 0.7 is success")],
)
async def test_the_kind_says_what_success_is(
    client: httpx.AsyncClient,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    kind: str,
    threshold: float,
    words: str,
) -> None:
    response = await client.post(
        "/v1/objectives",
        json=new_objective(cycle, kind=kind, owner_person_id=str(ada.id)),
        headers=as_ada,
    )

    assert response.status_code == 201
    read = response.json()
    assert (read["kind"], read["success_threshold"]) == (kind, threshold)
    assert words in read["success_explanation"]


async def test_the_kind_changes_with_the_objective(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    objective = await create_objective(session, cycle, ada)

    response = await client.patch(
        f"/v1/objectives/{objective.id}",
        json={"kind": "aspirational"},
        headers=as_ada | {"If-Match": '"1"'},
    )

    assert (response.json()["kind"], response.json()["success_threshold"]) == ("aspirational", 0.7)
    [(_, payload)] = await outbox.events()
    assert (payload["kind"], payload["changed"]) == ("aspirational", ["kind"])


# --- Contributors ----------------------------------------------------------------------------


async def test_a_contributor_is_added_sees_the_private_objective_and_works_on_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    tokens: Tokens,
) -> None:
    objective = await create_objective(session, cycle, ada, visibility=Visibility.PRIVATE)
    key_result = await create_key_result(session, objective)
    bea = await create_person(session)
    as_bea = tokens.person(bea.email)
    url = f"/v1/objectives/{objective.id}"
    hidden = await client.get(url, headers=as_bea)

    added = await client.post(
        f"{url}/contributors", json={"person_id": str(bea.id)}, headers=as_ada
    )

    assert (hidden.status_code, added.status_code) == (404, 201)
    assert added.json()["contributor_ids"] == [str(bea.id)]
    assert (await client.get(url, headers=as_bea)).status_code == 200
    listed = await client.get("/v1/objectives", headers=as_bea)
    assert ids(listed) == [str(objective.id)]
    checked = await client.post(
        f"/v1/key-results/{key_result.id}/check-ins",
        json={"value": 10, "confidence": 8},
        headers=as_bea,
    )
    edited = await client.patch(
        url, json={"title": "Ours now"}, headers=as_bea | {"If-Match": '"1"'}
    )
    assert (checked.status_code, edited.status_code) == (201, 200)
    [(type_, payload), *_] = await outbox.events()
    assert (type_, payload["changed"], payload["contributor_ids"]) == (
        "objective.updated",
        ["contributor_ids"],
        [str(bea.id)],
    )


async def test_a_contributor_removed_no_longer_sees_a_private_objective(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    tokens: Tokens,
) -> None:
    objective = await create_objective(session, cycle, ada, visibility=Visibility.PRIVATE)
    bea = await create_person(session)
    await add_contributor(session, objective, bea)
    url = f"/v1/objectives/{objective.id}/contributors/{bea.id}"

    removed = await client.delete(url, headers=as_ada)
    again = await client.delete(url, headers=as_ada)

    assert removed.status_code == 204
    assert (again.status_code, again.json()["code"]) == (404, "contributor_not_found")
    gone = await client.get(f"/v1/objectives/{objective.id}", headers=tokens.person(bea.email))
    assert gone.status_code == 404
    assert await outbox.types() == ["objective.updated"]


@pytest.fixture
async def circle(session: AsyncSession, ada: OrgPerson, admin: OrgPerson) -> dict[str, OrgPerson]:
    """Everyone who may work on ada's objectives or her team's (`team` in `owners`), and a
    newcomer to add."""
    lead = await create_person(session, name="Lead")
    manager = await create_person(session, name="Manager")
    ada.manager_id = manager.id
    session.add(ada)
    return {
        "ada": ada,
        "lead": lead,
        "manager": manager,
        "member": await create_person(session, name="Member"),
        "contributor": await create_person(session, name="Contributor"),
        "admin": admin,
        "newcomer": await create_person(session, name="Newcomer"),
    }


@pytest.fixture
async def owners(
    session: AsyncSession, circle: dict[str, OrgPerson]
) -> dict[str, OrgPerson | OrgTeam | None]:
    team = await create_team(session, lead_id=circle["lead"].id)
    await add_member(session, team, circle["ada"])
    await add_member(session, team, circle["member"])
    return {"ada": circle["ada"], "team": team, "company": None}


@pytest.mark.parametrize(
    ("owner", "who", "expected"),
    [
        ("ada", "ada", 200),
        ("ada", "contributor", 403),
        ("ada", "manager", 403),
        ("ada", "admin", 403),
        ("team", "lead", 200),
        ("team", "member", 403),
        ("team", "ada", 403),
        ("team", "contributor", 403),
    ],
)
async def test_only_the_owner_makes_a_private_objective_public(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    circle: dict[str, OrgPerson],
    owners: dict[str, OrgPerson | OrgTeam | None],
    tokens: Tokens,
    owner: str,
    who: str,
    expected: int,
) -> None:
    objective = await create_objective(session, cycle, owners[owner], visibility=Visibility.PRIVATE)
    await add_contributor(session, objective, circle["contributor"])
    url = f"/v1/objectives/{objective.id}"

    widened = await client.patch(
        url,
        json={"visibility": "public"},
        headers=tokens.person(circle[who].email) | {"If-Match": '"1"'},
    )

    assert widened.status_code == expected
    if expected == 403:
        assert widened.json()["code"] == "owner_only"
    outsider = tokens.person(circle["newcomer"].email)
    assert (await client.get(url, headers=outsider)).status_code == (
        200 if expected == 200 else 404
    )


@pytest.mark.parametrize(
    ("owner", "who", "expected"),
    [
        ("ada", "ada", 201),
        ("ada", "contributor", 403),
        ("ada", "manager", 403),
        ("team", "lead", 201),
        ("team", "member", 403),
        ("company", "admin", 201),
        ("company", "contributor", 403),
    ],
)
async def test_only_the_owner_adds_a_contributor(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    circle: dict[str, OrgPerson],
    owners: dict[str, OrgPerson | OrgTeam | None],
    tokens: Tokens,
    owner: str,
    who: str,
    expected: int,
) -> None:
    objective = await create_objective(session, cycle, owners[owner])
    await add_contributor(session, objective, circle["contributor"])

    added = await client.post(
        f"/v1/objectives/{objective.id}/contributors",
        json={"person_id": str(circle["newcomer"].id)},
        headers=tokens.person(circle[who].email),
    )

    assert added.status_code == expected
    if expected == 403:
        assert added.json()["code"] == "owner_only"


async def test_those_who_work_on_an_objective_still_narrow_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    circle: dict[str, OrgPerson],
    tokens: Tokens,
) -> None:
    objective = await create_objective(session, cycle, circle["ada"])
    await add_contributor(session, objective, circle["contributor"])
    as_contributor = tokens.person(circle["contributor"].email)
    url = f"/v1/objectives/{objective.id}"

    narrowed = await client.patch(
        url, json={"visibility": "private"}, headers=as_contributor | {"If-Match": '"1"'}
    )
    removed = await client.delete(
        f"{url}/contributors/{circle['contributor'].id}", headers=as_contributor
    )

    assert (narrowed.status_code, removed.status_code) == (200, 204)


async def test_contributors_are_set_with_the_objective(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    bea, cai = await create_person(session), await create_person(session)

    created = await client.post(
        "/v1/objectives",
        json=new_objective(
            cycle,
            owner_person_id=str(ada.id),
            contributor_ids=[str(bea.id), str(cai.id), str(bea.id)],
        ),
        headers=as_ada,
    )

    assert created.status_code == 201
    assert created.json()["contributor_ids"] == [str(bea.id), str(cai.id)]


async def test_bad_contributors_are_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    objective = await create_objective(session, cycle, ada)
    bea = await create_person(session)
    leaver = await create_person(session, active=False)
    await add_contributor(session, objective, bea)
    url = f"/v1/objectives/{objective.id}/contributors"

    answers = [
        await client.post(url, json={"person_id": str(person)}, headers=as_ada)
        for person in (ada.id, bea.id, leaver.id, "00000000-0000-0000-0000-000000000000")
    ]
    bad = await client.post(url, json={"person_id": 7}, headers=as_ada)

    assert [(r.status_code, r.json()["code"]) for r in answers] == [
        (422, "contributor_is_owner"),
        (409, "already_contributor"),
        (409, "contributor_inactive"),
        (422, "unknown_person"),
    ]
    assert (bad.status_code, problem_fields(bad)) == (422, {"body.person_id"})
    assert await outbox.events() == []


async def test_outsiders_do_not_add_contributors(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, ada: OrgPerson, tokens: Tokens
) -> None:
    public = await create_objective(session, cycle, ada)
    private = await create_objective(session, cycle, ada, visibility=Visibility.PRIVATE)
    stranger = await create_person(session)
    as_stranger = tokens.person(stranger.email)

    answers = [
        await client.post(
            f"/v1/objectives/{objective.id}/contributors",
            json={"person_id": str(stranger.id)},
            headers=as_stranger,
        )
        for objective in (public, private)
    ]

    assert [r.status_code for r in answers] == [403, 404]


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
async def spread(session: AsyncSession, cycle: Cycle, ada: OrgPerson) -> dict[str, Objective]:
    """Objectives of every kind of owner, kind, status and risk, in one cycle and another."""
    team = await create_team(session, name="Platform")
    bea = await create_person(session)
    await add_member(session, team, bea)
    later = await create_cycle(session)
    found = {
        "ada": await create_objective(session, cycle, ada),
        "bea": await create_objective(
            session, cycle, bea, kind=ObjectiveKind.ASPIRATIONAL, status=ObjectiveStatus.AGREED
        ),
        "team": await create_objective(session, cycle, team, status=ObjectiveStatus.PROPOSED),
        "company": await create_objective(session, cycle, None, kind=ObjectiveKind.ASPIRATIONAL),
        "later": await create_objective(session, later, ada),
    }
    await create_key_result(session, found["bea"], status=CheckInStatus.OFF_TRACK)
    await create_key_result(session, found["team"], status=CheckInStatus.AT_RISK)
    await create_key_result(session, found["ada"], status=CheckInStatus.ON_TRACK)
    return found


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["ada", "bea", "team", "company", "later"]),
        ({"cycle_id": "CYCLE"}, ["ada", "bea", "team", "company"]),
        ({"owner_kind": "company"}, ["company"]),
        ({"owner_kind": "team"}, ["team"]),
        ({"owner_person_id": "ADA"}, ["ada", "later"]),
        ({"owner_team_id": "TEAM"}, ["team"]),
        ({"team_id": "TEAM"}, ["bea", "team"]),  # the team's and its members'
        ({"status": "agreed"}, ["bea"]),
        ({"status": "draft", "cycle_id": "CYCLE"}, ["ada", "company"]),
        ({"kind": "aspirational"}, ["bea", "company"]),
        ({"at_risk": "true", "owner_kind": "team"}, ["team"]),
        ({"at_risk": "false", "owner_kind": "company"}, ["company"]),
        ({"at_risk": "true", "owner_team_id": "TEAM"}, ["team"]),
        ({"at_risk": "false", "owner_person_id": "ADA"}, ["ada", "later"]),
        ({"at_risk": "true", "owner_person_id": "ADA", "owner_kind": "person"}, []),
    ],
)
async def test_objectives_are_filtered(
    client: httpx.AsyncClient,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    spread: dict[str, Objective],
    filters: dict[str, str],
    expected: list[str],
) -> None:
    named = {
        "CYCLE": str(cycle.id),
        "ADA": str(ada.id),
        "TEAM": str(spread["team"].owner_team_id),
    }
    params = {key: named.get(value, value) for key, value in filters.items()}

    response = await client.get("/v1/objectives", params=params, headers=as_ada)

    assert response.status_code == 200
    assert ids(response) == [str(spread[name].id) for name in expected]


async def test_objectives_are_filtered_by_when_they_changed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    now: datetime,
) -> None:
    await create_objective(session, cycle, ada, updated_at=now - timedelta(days=3))
    recent = await create_objective(session, cycle, ada, updated_at=now - timedelta(hours=1))
    since = (now - timedelta(days=1)).isoformat()

    response = await client.get("/v1/objectives", params={"updated_since": since}, headers=as_ada)
    naive = await client.get(
        "/v1/objectives", params={"updated_since": "2026-01-01T00:00:00"}, headers=as_ada
    )

    assert ids(response) == [str(recent.id)]
    assert (naive.status_code, problem_fields(naive)) == (422, {"query.updated_since"})


@pytest.mark.parametrize(
    "filters",
    [
        {"at_risk": "true"},
        {"at_risk": "false"},
        {"at_risk": "true", "owner_kind": "person"},
        {"at_risk": "true", "owner_person_id": "BEA"},
        {"at_risk": "false", "owner_person_id": "BEA", "owner_kind": "person"},
        {"at_risk": "true", "team_id": "TEAM"},
        {"at_risk": "true", "owner_team_id": "TEAM", "owner_kind": "person"},
        {"at_risk": "true", "id": "BEA_OBJECTIVE"},
    ],
)
async def test_risk_never_picks_out_other_people(
    client: httpx.AsyncClient,
    as_ada: dict[str, str],
    spread: dict[str, Objective],
    filters: dict[str, str],
) -> None:
    named = {
        "BEA": str(spread["bea"].owner_person_id),
        "BEA_OBJECTIVE": str(spread["bea"].id),
        "TEAM": str(spread["team"].owner_team_id),
    }
    params = {key: named.get(value, value) for key, value in filters.items()}

    response = await client.get("/v1/objectives", params=params, headers=as_ada)

    assert (response.status_code, response.json()["code"]) == (422, "okr_firewall")
    assert problem_fields(response) == {"query.at_risk"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"owner_kind": "family"}, "query.owner_kind"),
        ({"status": "done"}, "query.status"),
        ({"kind": "stretch"}, "query.kind"),
        ({"at_risk": "maybe"}, "query.at_risk"),
        ({"team_id": "platform"}, "query.team_id"),
        ({"colour": "blue"}, "query.colour"),
    ],
)
async def test_bad_or_unknown_filters_are_422(
    client: httpx.AsyncClient, as_ada: dict[str, str], params: dict[str, str], field: str
) -> None:
    response = await client.get("/v1/objectives", params=params, headers=as_ada)

    assert response.status_code == 422
    assert problem_fields(response) == {field}


async def test_filters_never_reveal_private_objectives(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    tokens: Tokens,
) -> None:
    team = await create_team(session)
    await add_member(session, team, ada)
    private = await create_objective(session, cycle, team, visibility=Visibility.PRIVATE)
    await create_key_result(session, private, status=CheckInStatus.OFF_TRACK)
    stranger = tokens.person((await create_person(session)).email)

    response = await client.get(
        "/v1/objectives",
        params={"owner_team_id": str(team.id), "at_risk": "true"},
        headers=stranger,
    )

    assert response.json()["items"] == []


def test_the_owner_kinds_are_a_person_a_team_and_the_company() -> None:
    assert [kind.value for kind in OwnerKind] == ["person", "team", "company"]
