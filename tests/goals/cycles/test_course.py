"""A cycle's course: planning → active → closed (and reopened by HR); closing gives every
objective its final score, submitted or taken from progress, and locks the cycle; the report
aggregates by team, never by person."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CheckInStatus, CycleStatus, Visibility
from tests.goals.factories import (
    add_member,
    create_closing,
    create_cycle,
    create_key_result,
    create_objective,
    create_person,
    create_team,
)
from tests.support import Outbox, Tokens, problem_codes


async def move(
    client: httpx.AsyncClient, cycle: Cycle, headers: dict[str, str], **changes: Any
) -> httpx.Response:
    """PATCH the cycle with its current `ETag`."""
    url = f"/v1/cycles/{cycle.id}"
    tag = (await client.get(url, headers=headers)).headers["etag"]
    return await client.patch(url, json=changes, headers=headers | {"If-Match": tag})


# --- Its course ------------------------------------------------------------------------------


async def test_a_cycle_opens_then_closes_each_move_announced(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    cycle = await create_cycle(session, status=CycleStatus.PLANNING)

    opened = await move(client, cycle, as_admin, status="active")
    closed = await move(client, cycle, as_admin, status="closed")

    assert (opened.status_code, opened.json()["status"]) == (200, "active")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert closed.json()["closed_at"] is not None
    assert await outbox.types() == [
        "cycle.updated",
        "cycle.opened",
        "cycle.updated",
        "cycle.closed",
    ]


async def test_a_cycle_created_active_is_announced_as_opened(
    client: httpx.AsyncClient, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    body = {"name": "Q3", "starts_on": "2026-07-01", "ends_on": "2026-09-30", "status": "active"}

    created = await client.post("/v1/cycles", json=body, headers=as_admin)

    assert created.status_code == 201
    assert await outbox.types() == ["cycle.created", "cycle.opened"]


async def test_a_cycle_is_not_created_closed(
    client: httpx.AsyncClient, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    body = {"name": "Q3", "starts_on": "2026-07-01", "ends_on": "2026-09-30", "status": "closed"}

    response = await client.post("/v1/cycles", json=body, headers=as_admin)

    assert response.status_code == 422
    assert problem_codes(response) == {"created_closed"}
    assert await outbox.events() == []


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (CycleStatus.PLANNING, "closed"),  # open it first
        (CycleStatus.ACTIVE, "planning"),
        (CycleStatus.CLOSED, "planning"),
    ],
)
async def test_a_cycle_does_not_go_back_nor_skip_a_step(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    as_admin: dict[str, str],
    start: CycleStatus,
    to: str,
) -> None:
    cycle = await create_cycle(session, status=start)

    response = await move(client, cycle, as_admin, status=to)

    assert (response.status_code, response.json()["code"]) == (409, "invalid_status_change")
    assert await outbox.events() == []


async def test_an_hr_admin_reopens_a_closed_cycle_and_its_scores_stay(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    ada: OrgPerson,
    as_admin: dict[str, str],
    as_ada: dict[str, str],
) -> None:
    cycle = await create_cycle(session, status=CycleStatus.CLOSED)
    objective = await create_objective(session, cycle, ada)
    await create_closing(session, objective, score=0.6)

    reopened = await move(client, cycle, as_admin, status="active")
    renamed = await move(client, cycle, as_admin, name="Q1 again")

    assert (reopened.status_code, reopened.json()["status"]) == (200, "active")
    assert renamed.status_code == 200
    assert await outbox.types() == ["cycle.updated", "cycle.reopened", "cycle.updated"]
    read = (await client.get(f"/v1/objectives/{objective.id}", headers=as_ada)).json()
    assert read["closing"]["score"] == 0.6


async def test_closing_again_takes_progress_again_and_keeps_submitted_scores(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    moving, submitted = [await create_objective(session, cycle, ada) for _ in range(2)]
    key_result = await create_key_result(session, moving, current=50.0)
    await create_closing(session, submitted, score=0.6)
    assert (await move(client, cycle, as_admin, status="closed")).status_code == 200
    assert (await move(client, cycle, as_admin, status="active")).status_code == 200
    checked_in = await client.post(
        f"/v1/key-results/{key_result.id}/check-ins",
        json={"value": 80.0, "confidence": 8},
        headers=as_ada,
    )
    assert checked_in.status_code == 201

    closed_again = await move(client, cycle, as_admin, status="closed")

    assert closed_again.status_code == 200
    closings = [
        (await client.get(f"/v1/objectives/{id_}", headers=as_ada)).json()["closing"]
        for id_ in (moving.id, submitted.id)
    ]
    assert [(c["score"], c["source"]) for c in closings] == [
        (0.8, "progress"),
        (0.6, "submitted"),
    ]
    *_, (type_, payload) = await outbox.events()
    assert (type_, payload["objectives"], payload["scored_from_progress"]) == (
        "cycle.closed",
        2,
        1,
    )


async def test_a_closed_cycle_is_not_renamed_or_moved_until_reopened(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    cycle = await create_cycle(session, status=CycleStatus.CLOSED)

    renamed = await move(client, cycle, as_admin, name="Renamed")
    reopened_and_moved = await move(client, cycle, as_admin, status="active", name="Renamed")

    assert (renamed.status_code, renamed.json()["code"]) == (409, "cycle_closed")
    assert (reopened_and_moved.status_code, reopened_and_moved.json()["code"]) == (
        409,
        "cycle_closed",
    )
    assert await outbox.events() == []


async def test_an_employee_may_not_close_a_cycle(
    client: httpx.AsyncClient, cycle: Cycle, outbox: Outbox, as_ada: dict[str, str]
) -> None:
    response = await client.patch(
        f"/v1/cycles/{cycle.id}", json={"status": "closed"}, headers=as_ada | {"If-Match": '"1"'}
    )

    assert response.status_code == 403
    assert await outbox.events() == []


# --- Closing ---------------------------------------------------------------------------------


async def test_closing_keeps_submitted_scores_and_takes_progress_for_the_others(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    scored, halfway, empty = [await create_objective(session, cycle, ada) for _ in range(3)]
    await create_key_result(session, scored, current=20.0)
    await create_key_result(session, halfway, current=50.0)
    submitted = await client.put(
        f"/v1/objectives/{scored.id}/closing",
        json={"score": 0.7, "retrospective": "Aimed high; learnt a lot."},
        headers=as_ada,
    )
    assert submitted.status_code == 201

    closed = await move(client, cycle, as_admin, status="closed")

    assert closed.status_code == 200
    closings = {
        id_: (await client.get(f"/v1/objectives/{id_}", headers=as_ada)).json()["closing"]
        for id_ in (scored.id, halfway.id, empty.id)
    }
    assert [
        (c["score"], c["source"], c["retrospective"], c["submitted_by"]) for c in closings.values()
    ] == [
        (0.7, "submitted", "Aimed high; learnt a lot.", str(ada.id)),
        (0.5, "progress", None, None),
        (0.0, "progress", None, None),  # no key results: nothing achieved to show
    ]
    *_, (type_, payload) = await outbox.events()
    assert type_ == "cycle.closed"
    assert (payload["objectives"], payload["scored_from_progress"]) == (3, 2)
    assert not {"score", "scores", "progress"} & set(payload)


async def test_a_closed_cycle_takes_no_more_work(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    objective = await create_objective(session, cycle, ada)
    key_result = await create_key_result(session, objective)
    other = await create_person(session)
    assert (await move(client, cycle, as_admin, status="closed")).status_code == 200
    before = await outbox.events()
    url = f"/v1/objectives/{objective.id}"

    attempts = [
        await client.patch(url, json={"title": "Later"}, headers=as_ada | {"If-Match": '"1"'}),
        await client.post(
            f"{url}/key-results", json={"title": "KR", "start": 0, "target": 1}, headers=as_ada
        ),
        await client.post(
            f"/v1/key-results/{key_result.id}/check-ins",
            json={"value": 5, "confidence": 5},
            headers=as_ada,
        ),
        await client.post(f"{url}/contributors", json={"person_id": str(other.id)}, headers=as_ada),
        await client.post(f"{url}/comments", json={"body": "Too late?"}, headers=as_ada),
        await client.post(f"{url}/signatures", headers=as_ada),
        await client.put(
            f"{url}/closing", json={"score": 1.0, "retrospective": "Done."}, headers=as_ada
        ),
    ]

    assert [(r.status_code, r.json()["code"]) for r in attempts] == [(409, "cycle_closed")] * 7
    assert await outbox.events() == before


async def test_a_final_score_is_given_while_the_cycle_is_active(
    client: httpx.AsyncClient, session: AsyncSession, ada: OrgPerson, as_ada: dict[str, str]
) -> None:
    planning = await create_cycle(session, status=CycleStatus.PLANNING)
    objective = await create_objective(session, planning, ada)

    response = await client.put(
        f"/v1/objectives/{objective.id}/closing",
        json={"score": 0.5, "retrospective": "Early."},
        headers=as_ada,
    )

    assert (response.status_code, response.json()["code"]) == (409, "cycle_not_active")


async def test_a_final_score_is_replaced_with_if_match(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    objective = await create_objective(session, cycle, ada)
    url = f"/v1/objectives/{objective.id}/closing"
    body = {"score": 0.4, "retrospective": "First thoughts."}

    before = await client.get(url, headers=as_ada)
    first = await client.put(url, json=body, headers=as_ada)
    missing = await client.put(url, json=body | {"score": 0.6}, headers=as_ada)
    replaced = await client.put(
        url, json=body | {"score": 0.6}, headers=as_ada | {"If-Match": first.headers["etag"]}
    )
    stale = await client.put(url, json=body, headers=as_ada | {"If-Match": first.headers["etag"]})

    assert (before.status_code, before.json()["code"]) == (404, "closing_not_found")
    assert (first.status_code, first.headers["etag"]) == (201, '"1"')
    assert (missing.status_code, missing.json()["code"]) == (428, "if_match_required")
    assert (replaced.status_code, replaced.json()["score"], replaced.headers["etag"]) == (
        200,
        0.6,
        '"2"',
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    read = await client.get(url, headers=as_ada)
    assert (read.json()["score"], read.json()["version"]) == (0.6, 2)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"score": 1.1, "retrospective": "x"}, "body.score", "less_than_equal"),
        ({"score": -0.1, "retrospective": "x"}, "body.score", "greater_than_equal"),
        ({"score": "0.5", "retrospective": "x"}, "body.score", "float_type"),
        ({"score": 0.5}, "body.retrospective", "missing"),
        ({"score": 0.5, "retrospective": " "}, "body.retrospective", "string_too_short"),
        ({"score": 0.5, "retrospective": "x" * 2001}, "body.retrospective", "string_too_long"),
        ({"score": 0.5, "retrospective": "x", "rating": 3}, "body.rating", "extra_forbidden"),
    ],
)
async def test_a_bad_final_score_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    body: dict[str, Any],
    field: str,
    code: str,
) -> None:
    objective = await create_objective(session, cycle, ada)

    response = await client.put(f"/v1/objectives/{objective.id}/closing", json=body, headers=as_ada)

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


async def test_only_those_who_work_on_it_give_a_final_score(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, ada: OrgPerson, tokens: Tokens
) -> None:
    public = await create_objective(session, cycle, ada)
    private = await create_objective(session, cycle, ada, visibility=Visibility.PRIVATE)
    stranger = tokens.person((await create_person(session)).email)
    body = {"score": 0.5, "retrospective": "Not mine."}

    on_public = await client.put(f"/v1/objectives/{public.id}/closing", json=body, headers=stranger)
    on_private = await client.put(
        f"/v1/objectives/{private.id}/closing", json=body, headers=stranger
    )

    assert on_public.status_code == 403
    assert (on_private.status_code, on_private.json()["code"]) == (404, "objective_not_found")


# --- The report ------------------------------------------------------------------------------


@pytest.fixture
async def teams(session: AsyncSession) -> tuple[OrgTeam, OrgTeam]:
    return await create_team(session, name="Platform"), await create_team(session, name="Apps")


async def risky(session: AsyncSession, objective: Objective, **figures: Any) -> KeyResult:
    return await create_key_result(session, objective, status=CheckInStatus.OFF_TRACK, **figures)


async def test_the_report_aggregates_by_team_and_never_by_person(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    as_admin: dict[str, str],
    teams: tuple[OrgTeam, OrgTeam],
) -> None:
    platform, apps = teams
    first, second = [await create_objective(session, cycle, platform) for _ in range(2)]
    await create_key_result(session, first, current=20.0)
    await risky(session, second, current=60.0)
    await create_key_result(session, await create_objective(session, cycle, apps), current=100.0)
    await create_key_result(session, await create_objective(session, cycle, None), current=50.0)
    mine = await create_objective(session, cycle, ada)
    await create_key_result(session, mine, current=90.0)

    active = await client.get(f"/v1/cycles/{cycle.id}/report", headers=as_ada)
    await move(client, cycle, as_admin, status="closed")
    closed = await client.get(f"/v1/cycles/{cycle.id}/report", headers=as_ada)

    assert active.status_code == 200
    report = active.json()
    assert (report["status"], report["people_objectives"]) == ("active", 1)
    by_team = {row["team_id"]: row for row in report["teams"]}
    assert list(by_team) == [None, *sorted([str(platform.id), str(apps.id)])]
    assert by_team[str(platform.id)] == {
        "team_id": str(platform.id),
        "objectives": 2,
        "progress": 0.4,
        "final_score": None,
        "at_risk": 1,
    }
    assert by_team[None]["progress"] == 0.5
    assert str(ada.id) not in active.text
    closed_by_team = {row["team_id"]: row for row in closed.json()["teams"]}
    assert closed_by_team[str(apps.id)]["final_score"] == 1.0
    assert closed_by_team[str(platform.id)]["final_score"] == 0.4


async def test_a_teams_figures_in_the_report_take_in_its_sub_teams(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    engineering = await create_team(session, name="Engineering")
    platform = await create_team(session, name="Platform", parent_id=engineering.id)
    apps = await create_team(session, name="Apps", parent_id=engineering.id)
    mobile = await create_team(session, name="Mobile", parent_id=apps.id)
    await create_key_result(session, await create_objective(session, cycle, platform), current=20.0)
    await risky(session, await create_objective(session, cycle, mobile), current=60.0)
    await create_key_result(session, await create_objective(session, cycle, apps), current=100.0)
    await create_key_result(session, await create_objective(session, cycle, ada), current=0.0)

    response = await client.get(f"/v1/cycles/{cycle.id}/report", headers=as_ada)

    assert response.status_code == 200
    rows = {
        row["team_id"]: (row["objectives"], row["progress"], row["at_risk"])
        for row in response.json()["teams"]
    }
    assert rows == {
        str(engineering.id): (3, 0.6, 1),
        str(platform.id): (1, 0.2, 0),
        str(apps.id): (2, 0.8, 1),
        str(mobile.id): (1, 0.6, 1),
    }
    assert response.json()["people_objectives"] == 1


async def test_the_report_leaves_out_team_objectives_you_may_not_see(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    tokens: Tokens,
    teams: tuple[OrgTeam, OrgTeam],
) -> None:
    platform, _ = teams
    member = await create_person(session)
    await add_member(session, platform, member)
    await create_objective(session, cycle, platform, visibility=Visibility.PRIVATE)
    outsider = await create_person(session)

    seen = await client.get(f"/v1/cycles/{cycle.id}/report", headers=tokens.person(member.email))
    unseen = await client.get(
        f"/v1/cycles/{cycle.id}/report", headers=tokens.person(outsider.email)
    )

    assert [row["objectives"] for row in seen.json()["teams"]] == [1]
    assert unseen.json()["teams"] == []


async def test_the_report_of_an_unknown_cycle_is_404(
    client: httpx.AsyncClient, as_ada: dict[str, str]
) -> None:
    response = await client.get(
        "/v1/cycles/00000000-0000-0000-0000-000000000000/report", headers=as_ada
    )

    assert (response.status_code, response.json()["code"]) == (404, "cycle_not_found")
