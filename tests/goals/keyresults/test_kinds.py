"""Key results of six kinds: the figures each takes, the progress each computes and explains, the
pace its cycle expects; their owners and weights; changing and removing one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id, utcnow
from kit.orgcopy import OrgPerson
from services.goals.keyresults.service import explain
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.progress import key_result_progress
from services.goals.schemas import (
    CycleStatus,
    KeyResultKind,
    ObjectiveStatus,
    SignatureRole,
    Visibility,
)
from tests.goals.factories import (
    add,
    add_contributor,
    check_in,
    create_cycle,
    create_key_result,
    create_milestones,
    create_objective,
    create_person,
    create_signature,
)
from tests.support import Outbox, Tokens, problem_codes, problem_fields

# --- Kinds and their figures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "figures", "progress", "explanation"),
    [
        (
            {"kind": "increase_to", "start": 40, "target": 80, "current": 62, "unit": "%"},
            (40.0, 80.0, 62.0),
            0.55,
            "At 62 %, on the way from 40 % to 80 %: 0.55.",
        ),
        (
            {"kind": "decrease_to", "start": 8, "target": 4, "current": 7, "unit": "%"},
            (8.0, 4.0, 7.0),
            0.25,
            "At 7 %, on the way from 8 % to 4 %: 0.25.",
        ),
        (
            {"start": 8, "target": 4, "current": 3},  # no kind: a decrease, by its figures
            (8.0, 4.0, 3.0),
            1.0,
            "At 3, the target of 4 is reached: 1.",
        ),
        (
            {"kind": "stay_above", "target": 95, "current": 97, "unit": "%"},
            (97.0, 95.0, 97.0),
            1.0,
            "Staying above 95 %: yes, at 97 %.",
        ),
        (
            {"kind": "stay_below", "target": 2, "current": 3.5, "unit": "incidents"},
            (3.5, 2.0, 3.5),
            0.0,
            "Staying below 2 incidents: no, at 3.5 incidents.",
        ),
        (
            {"kind": "stay_above", "target": 95},
            (95.0, 95.0, 95.0),
            1.0,
            "Staying above 95: yes, at 95.",
        ),
        ({"kind": "binary"}, (0.0, 1.0, 0.0), 0.0, "Not done yet: 0."),
        ({"kind": "binary", "done": True}, (0.0, 1.0, 1.0), 1.0, "Done: 1."),
        (
            {"kind": "binary", "start": 0, "target": 1, "current": 1},
            (0.0, 1.0, 1.0),
            1.0,
            "Done: 1.",
        ),
    ],
)
async def test_each_kind_keeps_its_figures_and_explains_its_progress(
    client: httpx.AsyncClient,
    objective: Objective,
    as_ada: dict[str, str],
    fields: dict[str, Any],
    figures: tuple[float, float, float],
    progress: float,
    explanation: str,
) -> None:
    response = await add(client, objective, as_ada, **fields)

    assert response.status_code == 201
    read = response.json()
    assert (read["start"], read["target"], read["current"]) == figures
    assert (read["progress"], read["progress_explanation"]) == (progress, explanation)


async def test_milestones_are_kept_in_order_and_count_as_done_of_total(
    client: httpx.AsyncClient, outbox: Outbox, objective: Objective, as_ada: dict[str, str]
) -> None:
    steps = [{"title": "Design", "done": True}, {"title": "Build"}, {"title": "Launch"}]

    response = await add(client, objective, as_ada, kind="milestones", milestones=steps)

    assert response.status_code == 201
    read = response.json()
    assert [(m["position"], m["title"], m["done"]) for m in read["milestones"]] == [
        (1, "Design", True),
        (2, "Build", False),
        (3, "Launch", False),
    ]
    assert read["milestones"][0]["done_at"] is not None
    assert (read["start"], read["target"], read["current"]) == (0.0, 3.0, 1.0)
    assert (read["progress"], read["progress_explanation"]) == (
        0.3333,
        "1 of 3 milestones done: 0.3333.",
    )
    fetched = await client.get(f"/v1/key-results/{read['id']}", headers=as_ada)
    assert fetched.json() == read
    [(_, payload)] = await outbox.events()
    assert (payload["kind"], payload["target"]) == ("milestones", 3.0)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "increase_to", "start": 10, "target": 5}, "target_not_above_start"),
        ({"kind": "decrease_to", "start": 5, "target": 10}, "target_not_below_start"),
        ({"kind": "increase_to", "target": 10}, "start_and_target_required"),
        ({"start": 5, "target": 5}, "start_equals_target"),
        ({"title": "No figures at all"}, "kind_required"),
        ({"kind": "stay_above", "current": 3}, "threshold_required"),
        ({"kind": "binary", "start": 0, "target": 10}, "binary_is_0_or_1"),
        ({"kind": "binary", "current": 0.5}, "binary_is_0_or_1"),
        ({"kind": "binary", "current": 1, "done": False}, "binary_is_0_or_1"),
        ({"kind": "milestones"}, "milestones_only"),
        ({"kind": "milestones", "milestones": [{"title": "x"}], "target": 3}, "milestones_only"),
        ({"kind": "increase_to", "start": 0, "target": 1, "done": True}, "not_for_this_kind"),
        ({"start": 0, "target": 1, "milestones": [{"title": "x"}]}, "not_for_this_kind"),
    ],
)
async def test_figures_that_do_not_fit_the_kind_are_422(
    client: httpx.AsyncClient,
    outbox: Outbox,
    objective: Objective,
    as_ada: dict[str, str],
    fields: dict[str, Any],
    code: str,
) -> None:
    response = await add(client, objective, as_ada, **fields)

    assert response.status_code == 422
    assert (problem_fields(response), problem_codes(response)) == ({"body"}, {code})
    assert await outbox.events() == []


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"kind": "percentage", "start": 0, "target": 1}, "body.kind", "enum"),
        ({"kind": 3, "start": 0, "target": 1}, "body.kind", "enum"),
        ({"kind": "binary", "done": "yes"}, "body.done", "bool_type"),
        ({"kind": "milestones", "milestones": []}, "body.milestones", "too_short"),
        (
            {"kind": "milestones", "milestones": ["Design"]},
            "body.milestones.0",
            "model_attributes_type",
        ),
        (
            {"kind": "milestones", "milestones": [{"title": ""}]},
            "body.milestones.0.title",
            "string_too_short",
        ),
        ({"kind": "stay_above", "target": "95"}, "body.target", "float_type"),
    ],
)
async def test_a_bad_kind_or_a_value_of_the_wrong_type_is_422(
    client: httpx.AsyncClient,
    objective: Objective,
    as_ada: dict[str, str],
    fields: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = await add(client, objective, as_ada, **fields)

    assert response.status_code == 422
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})


def test_progress_of_each_kind_stays_within_0_and_1() -> None:
    cases = [
        (KeyResultKind.INCREASE_TO, 0, 10, 15, 1.0),
        (KeyResultKind.DECREASE_TO, 10, 0, 15, 0.0),
        (KeyResultKind.STAY_ABOVE, 0, 95, 95, 1.0),  # on the line holds it
        (KeyResultKind.STAY_ABOVE, 0, 95, 94.9, 0.0),
        (KeyResultKind.STAY_BELOW, 0, 2, 2, 1.0),
        (KeyResultKind.STAY_BELOW, 0, 2, 2.1, 0.0),
        (KeyResultKind.BINARY, 0, 1, 1, 1.0),
        (KeyResultKind.MILESTONES, 0, 4, 3, 0.75),
    ]

    assert [key_result_progress(kind, *figures[:3]) for kind, *figures in cases] == [
        expected for *_, expected in cases
    ]


def test_explanations_say_when_the_target_is_passed_or_nothing_moved() -> None:
    beyond = KeyResult(
        objective_id=new_id(),
        title="",
        kind=KeyResultKind.INCREASE_TO,
        start=0,
        target=10,
        current=12.5,
    )
    behind = KeyResult(
        objective_id=new_id(),
        title="",
        kind=KeyResultKind.DECREASE_TO,
        start=10,
        target=5,
        current=11,
    )

    assert explain(beyond) == "At 12.5, the target of 10 is reached: 1."
    assert explain(behind) == "At 11, no nearer to 5 than the start: 0."


# --- Pacing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_in", "expected"),
    [(-5, 0.0), (0, 0.0), (10, 0.5), (20, 1.0), (40, 1.0)],
)
async def test_expected_progress_follows_the_cycle_linearly(
    client: httpx.AsyncClient,
    session: AsyncSession,
    ada: OrgPerson,
    as_ada: dict[str, str],
    days_in: int,
    expected: float,
) -> None:
    starts_on = utcnow().date() - timedelta(days=days_in)
    cycle = await create_cycle(session, starts_on=starts_on, ends_on=starts_on + timedelta(days=20))
    objective = await create_objective(session, cycle, ada)
    key_result = await create_key_result(session, objective, current=30.0)

    read = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()

    assert (read["progress"], read["expected_progress"]) == (0.3, expected)


async def test_a_line_is_expected_to_hold_all_along_and_a_yes_or_no_has_no_pace(
    client: httpx.AsyncClient, session: AsyncSession, ada: OrgPerson, as_ada: dict[str, str]
) -> None:
    today = utcnow().date()
    cycle = await create_cycle(
        session, starts_on=today - timedelta(days=5), ends_on=today + timedelta(days=5)
    )
    objective = await create_objective(session, cycle, ada)
    line = await add(client, objective, as_ada, kind="stay_below", target=2)
    binary = await add(client, objective, as_ada, kind="binary")
    milestones = await add(
        client, objective, as_ada, kind="milestones", milestones=[{"title": "x"}]
    )

    assert [r.json()["expected_progress"] for r in (line, binary, milestones)] == [1.0, None, 0.5]


# --- Owners and weights ----------------------------------------------------------------------


async def test_a_key_result_is_owned_by_someone_who_works_on_the_objective(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    objective: Objective,
    as_ada: dict[str, str],
    tokens: Tokens,
) -> None:
    bea = await create_person(session)
    await add_contributor(session, objective, bea)
    stranger = await create_person(session)
    leaver = await create_person(session, active=False)
    await add_contributor(session, objective, leaver)
    figures = {"start": 0, "target": 10}

    owned = await add(client, objective, as_ada, owner_person_id=str(bea.id), **figures)
    refused = [
        await add(client, objective, as_ada, owner_person_id=str(person), **figures)
        for person in (stranger.id, leaver.id, "00000000-0000-0000-0000-000000000000")
    ]

    assert (owned.status_code, owned.json()["owner_person_id"]) == (201, str(bea.id))
    assert [(r.status_code, r.json()["code"]) for r in refused] == [
        (422, "owner_cannot_work_on_objective"),
        (422, "owner_cannot_work_on_objective"),
        (422, "unknown_owner"),
    ]
    [(_, payload)] = await outbox.events()
    assert payload["key_result_owner_id"] == str(bea.id)


async def test_the_owner_of_a_key_result_checks_in_on_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    objective: Objective,
    tokens: Tokens,
) -> None:
    bea = await create_person(session)
    key_result = await create_key_result(session, objective, owner_person_id=bea.id)

    response = await check_in(client, str(key_result.id), tokens.person(bea.email), value=5)

    assert response.status_code == 201


async def test_an_objective_weighs_key_results_of_every_kind(
    client: httpx.AsyncClient, objective: Objective, as_ada: dict[str, str]
) -> None:
    await add(client, objective, as_ada, start=0, target=10, current=5, weight=2)
    await add(client, objective, as_ada, kind="binary", done=True)
    await add(client, objective, as_ada, kind="stay_above", target=10, current=9)

    read = (await client.get(f"/v1/objectives/{objective.id}", headers=as_ada)).json()

    assert read["progress"] == pytest.approx((2 * 0.5 + 1 + 0) / 4, abs=1e-4)


async def test_a_key_result_added_after_signing_takes_the_signatures_back(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    boss = await create_person(session)
    agreed = await create_objective(session, cycle, ada, status=ObjectiveStatus.AGREED)
    await create_signature(session, agreed, ada, SignatureRole.OWNER)
    await create_signature(session, agreed, boss, SignatureRole.MANAGER)

    response = await add(client, agreed, as_ada, start=0, target=1)

    assert response.status_code == 201
    read = (await client.get(f"/v1/objectives/{agreed.id}", headers=as_ada)).json()
    assert (read["status"], read["signatures"], read["version"]) == ("proposed", [], 2)
    assert await outbox.types() == ["objective.updated", "key_result.created"]


# --- Changing and removing a key result ------------------------------------------------------


async def change(
    client: httpx.AsyncClient,
    key_result: KeyResult,
    headers: dict[str, str],
    version: int | None = 1,
    **fields: Any,
) -> httpx.Response:
    if_match = {} if version is None else {"If-Match": f'"{version}"'}
    return await client.patch(
        f"/v1/key-results/{key_result.id}", json=fields, headers={**headers, **if_match}
    )


async def remove(
    client: httpx.AsyncClient,
    key_result: KeyResult,
    headers: dict[str, str],
    version: int | None = 1,
) -> httpx.Response:
    if_match = {} if version is None else {"If-Match": f'"{version}"'}
    return await client.delete(f"/v1/key-results/{key_result.id}", headers={**headers, **if_match})


async def test_a_key_result_is_changed_at_the_version_read(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    objective: Objective,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    key_result = await create_key_result(session, objective, start=0, target=100, current=50)
    await create_key_result(session, objective, start=0, target=10, current=10)
    read = await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)

    without = await change(client, key_result, as_ada, version=None, title="Renamed")
    stale = await change(client, key_result, as_ada, version=4, title="Renamed")
    changed = await change(
        client, key_result, as_ada, title="Weekly active teams", target=200, unit="teams", weight=3
    )

    assert read.headers["etag"] == '"1"'
    assert [without.status_code, stale.status_code] == [428, 412]
    assert [without.json()["code"], stale.json()["code"]] == ["if_match_required", "stale_version"]
    assert changed.status_code == 200
    body = changed.json()
    assert (body["title"], body["target"], body["unit"], body["weight"]) == (
        "Weekly active teams",
        200.0,
        "teams",
        3.0,
    )
    assert (body["progress"], body["version"], changed.headers["etag"]) == (0.25, 2, '"2"')
    progress = (await client.get(f"/v1/objectives/{objective.id}", headers=as_ada)).json()
    assert progress["progress"] == pytest.approx((3 * 0.25 + 1.0) / 4, abs=1e-4)
    [(type_, payload)] = await outbox.events()
    assert type_ == "key_result.updated"
    assert payload["changed"] == ["target", "title", "unit", "weight"]
    assert (payload["changed_by"], payload["target"], payload["weight"]) == (
        str(ada.id),
        200.0,
        3.0,
    )
    assert "title" not in payload


@pytest.mark.parametrize(
    ("kind", "fields", "code"),
    [
        ("increase_to", {"target": -5}, "target_not_above_start"),
        ("increase_to", {"start": 500}, "target_not_above_start"),
        ("decrease_to", {"target": 900}, "target_not_below_start"),
        ("binary", {"target": 2}, "not_for_this_kind"),
        ("milestones", {"start": 1}, "not_for_this_kind"),
    ],
)
async def test_figures_that_do_not_fit_the_kind_are_refused_and_nothing_changes(
    client: httpx.AsyncClient,
    session: AsyncSession,
    objective: Objective,
    as_ada: dict[str, str],
    kind: str,
    fields: dict[str, Any],
    code: str,
) -> None:
    figures = {
        "increase_to": {"start": 0.0, "target": 100.0},
        "decrease_to": {"start": 100.0, "target": 0.0},
        "binary": {"start": 0.0, "target": 1.0},
        "milestones": {"start": 0.0, "target": 2.0},
    }[kind]
    key_result = await create_key_result(session, objective, kind=KeyResultKind(kind), **figures)

    response = await change(client, key_result, as_ada, **fields)

    assert (response.status_code, response.json()["code"]) == (422, code)
    after = await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)
    assert after.json()["version"] == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"title": None},
        {"title": ""},
        {"weight": 0},
        {"target": None},
        {"kind": "binary"},
        {"current": 5},
    ],
)
async def test_a_bad_change_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    objective: Objective,
    as_ada: dict[str, str],
    fields: dict[str, Any],
) -> None:
    key_result = await create_key_result(session, objective)

    response = await change(client, key_result, as_ada, **fields)

    assert response.status_code == 422


async def test_a_key_result_s_owner_is_someone_who_works_on_the_objective_or_nobody(
    client: httpx.AsyncClient,
    session: AsyncSession,
    objective: Objective,
    as_ada: dict[str, str],
) -> None:
    bea = await create_person(session)
    await add_contributor(session, objective, bea)
    stranger = await create_person(session)
    key_result = await create_key_result(session, objective)

    refused = await change(client, key_result, as_ada, owner_person_id=str(stranger.id))
    owned = await change(client, key_result, as_ada, owner_person_id=str(bea.id))
    nobody = await change(client, key_result, as_ada, version=2, owner_person_id=None, unit=None)

    assert (refused.status_code, refused.json()["code"]) == (422, "owner_cannot_work_on_objective")
    assert (owned.status_code, owned.json()["owner_person_id"]) == (200, str(bea.id))
    assert (nobody.status_code, nobody.json()["owner_person_id"]) == (200, None)


async def test_who_adds_key_results_changes_and_removes_them(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    objective: Objective,
    tokens: Tokens,
) -> None:
    bea = await create_person(session)
    await add_contributor(session, objective, bea)
    stranger = await create_person(session)
    private = await create_objective(session, cycle, bea, visibility=Visibility.PRIVATE)
    public_result = await create_key_result(session, objective)
    private_result = await create_key_result(session, private)
    as_bea, as_stranger = tokens.person(bea.email), tokens.person(stranger.email)

    by_stranger = await change(client, public_result, as_stranger, title="Mine now")
    removed_by_stranger = await remove(client, public_result, as_stranger)
    hidden = await change(client, private_result, as_stranger, title="Mine now")
    hidden_removal = await remove(client, private_result, as_stranger)
    by_contributor = await change(client, public_result, as_bea, title="Ours")
    removed_by_contributor = await remove(client, public_result, as_bea, version=2)

    assert [by_stranger.status_code, removed_by_stranger.status_code] == [403, 403]
    assert [hidden.json()["code"], hidden_removal.json()["code"]] == ["key_result_not_found"] * 2
    assert [by_contributor.status_code, removed_by_contributor.status_code] == [200, 204]


async def test_a_change_of_what_was_signed_takes_the_signatures_back_a_new_owner_does_not(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    boss = await create_person(session)
    agreed = await create_objective(session, cycle, ada, status=ObjectiveStatus.AGREED)
    await create_signature(session, agreed, ada, SignatureRole.OWNER)
    await create_signature(session, agreed, boss, SignatureRole.MANAGER)
    key_result = await create_key_result(session, agreed)

    owner_only = await change(client, key_result, as_ada, owner_person_id=str(ada.id))
    still = (await client.get(f"/v1/objectives/{agreed.id}", headers=as_ada)).json()
    figures = await change(client, key_result, as_ada, version=2, target=50)
    after = (await client.get(f"/v1/objectives/{agreed.id}", headers=as_ada)).json()

    assert [owner_only.status_code, figures.status_code] == [200, 200]
    assert (still["status"], len(still["signatures"])) == ("agreed", 2)
    assert (after["status"], after["signatures"]) == ("proposed", [])
    assert await outbox.types() == ["key_result.updated", "objective.updated", "key_result.updated"]


async def test_a_key_result_is_removed_with_its_check_ins_at_the_version_read(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    objective: Objective,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    kept = await create_key_result(session, objective, start=0, target=10, current=10)
    key_result, _ = await create_milestones(session, objective, True, False)
    listed = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()
    milestone = listed["milestones"][1]["id"]
    checked = await check_in(
        client, str(key_result.id), as_ada, milestones=[{"id": milestone, "done": True}]
    )
    assert checked.status_code == 201
    version = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()[
        "version"
    ]

    without = await remove(client, key_result, as_ada, version=None)
    stale = await remove(client, key_result, as_ada, version=version + 5)
    removed = await remove(client, key_result, as_ada, version=version)
    again = await remove(client, key_result, as_ada, version=version)

    assert [without.status_code, stale.status_code, removed.status_code] == [428, 412, 204]
    assert (again.status_code, again.json()["code"]) == (404, "key_result_not_found")
    gone = await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)
    check_ins = await client.get(f"/v1/key-results/{key_result.id}/check-ins", headers=as_ada)
    listed_now = await client.get(f"/v1/objectives/{objective.id}/key-results", headers=as_ada)
    progress = (await client.get(f"/v1/objectives/{objective.id}", headers=as_ada)).json()
    assert [gone.status_code, check_ins.status_code] == [404, 404]
    assert [item["id"] for item in listed_now.json()["items"]] == [str(kept.id)]
    assert progress["progress"] == 1.0
    type_, payload = (await outbox.events())[-1]
    assert type_ == "key_result.deleted"
    assert (payload["id"], payload["deleted_by"]) == (str(key_result.id), str(ada.id))


async def test_a_closed_cycle_s_key_results_are_neither_changed_nor_removed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    objective: Objective,
    cycle: Cycle,
    as_ada: dict[str, str],
) -> None:
    key_result = await create_key_result(session, objective)
    cycle.status = CycleStatus.CLOSED
    session.add(cycle)
    await session.flush()

    changed = await change(client, key_result, as_ada, title="Late")
    removed = await remove(client, key_result, as_ada)

    assert [changed.json()["code"], removed.json()["code"]] == ["cycle_closed"] * 2
