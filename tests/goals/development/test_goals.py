"""Development goals through the API: a person sets one for their own growth with a learning
plan, changes it, plans and records their learning, and completes it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.orgcopy import OrgPerson
from services.people.models import Skill
from tests.goals.development.support import new_goal
from tests.support import Outbox, Tokens, problem_codes


async def test_a_person_sets_a_development_goal_with_a_learning_plan(
    client: httpx.AsyncClient,
    outbox: Outbox,
    people: dict[str, OrgPerson],
    skills: list[Skill],
    as_ada: dict[str, str],
) -> None:
    ada = people["ada"]
    skill_ids = [str(skill.id) for skill in skills]

    response = await client.post(
        "/v1/development-goals", json=new_goal(skill_ids=skill_ids), headers=as_ada
    )

    assert response.status_code == 201, response.text
    goal = response.json()
    assert response.headers["location"] == f"/v1/development-goals/{goal['id']}"
    assert goal["person_id"] == goal["created_by"] == str(ada.id)
    assert (goal["status"], goal["sharing"], goal["shared_with"]) == ("active", "private", [])
    assert goal["skill_ids"] == skill_ids
    assert [(i["kind"], i["title"], i["status"]) for i in goal["plan"]] == [
        ("course", "Facilitation basics", "planned"),
        ("mentoring", "Monthly with Kai", "in_progress"),
    ]
    assert await outbox.events() == [
        (
            "development_goal.created",
            {
                "goal_id": goal["id"],
                "person_id": str(ada.id),
                "sharing": "private",
                "plan_items": 2,
            },
        )
    ]


async def test_a_goal_is_always_the_callers_own(
    client: httpx.AsyncClient, tokens: Tokens, people: dict[str, OrgPerson]
) -> None:
    # Another service creates one for a person by forwarding the person's own token; its own
    # token, or an integration's, creates none.
    as_service = await client.post(
        "/v1/development-goals", json=new_goal(), headers=tokens.service("assessment")
    )
    as_integration = await client.post(
        "/v1/development-goals", json=new_goal(), headers=tokens.integration("goals:write")
    )
    forwarded = await client.post(
        "/v1/development-goals", json=new_goal(), headers=tokens.person(people["ben"].email)
    )

    assert (as_service.status_code, as_integration.status_code) == (403, 403)
    assert forwarded.json()["person_id"] == str(people["ben"].id)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"sharing": "people"}, "name_people"),
        ({"shared_with": ["0192b1c4-0000-7000-8000-0000000000b1"]}, "shared_with_needs_people"),
        ({"plan": [{"kind": "podcast", "title": "x"}]}, "enum"),
        ({"plan": [{"kind": "reading", "title": "x", "evidence_url": "ftp://x"}]}, None),
        ({"skill_ids": ["not-a-uuid"]}, "uuid_parsing"),
        ({"owner_rank": "senior"}, "extra_forbidden"),
    ],
)
async def test_a_bad_goal_is_refused_with_what_to_fix(
    client: httpx.AsyncClient,
    people: dict[str, OrgPerson],
    as_ada: dict[str, str],
    change: dict[str, Any],
    code: str | None,
) -> None:
    response = await client.post("/v1/development-goals", json=new_goal(**change), headers=as_ada)

    assert response.status_code == 422
    if code is not None:
        assert code in problem_codes(response)


async def test_sharing_names_people_of_the_directory_other_than_oneself(
    client: httpx.AsyncClient, people: dict[str, OrgPerson], as_ada: dict[str, str]
) -> None:
    unknown = {"sharing": "people", "shared_with": ["0192b1c4-0000-7000-8000-0000000000b1"]}
    herself = {"sharing": "people", "shared_with": [str(people["ada"].id)]}

    refused = [
        await client.post("/v1/development-goals", json=new_goal(**body), headers=as_ada)
        for body in (unknown, herself)
    ]

    assert [(r.status_code, r.json()["code"]) for r in refused] == [
        (422, "unknown_person"),
        (422, "shared_with_self"),
    ]


async def test_the_person_plans_records_and_completes_their_learning(
    client: httpx.AsyncClient,
    outbox: Outbox,
    goal: dict[str, Any],
    people: dict[str, OrgPerson],
    as_ada: dict[str, str],
) -> None:
    path = f"/v1/development-goals/{goal['id']}"
    item_path = f"/v1/plan-items/{goal['plan'][0]['id']}"

    added = await client.post(
        f"{path}/plan-items",
        json={"kind": "stretch_assignment", "title": "Lead the Q3 discovery workshop"},
        headers=as_ada,
    )
    stale = await client.patch(
        item_path, json={"status": "done"}, headers={**as_ada, "If-Match": '"7"'}
    )
    done = await client.patch(
        item_path,
        json={"status": "done", "evidence": "Certificate", "evidence_url": "https://example.com/c"},
        headers={**as_ada, "If-Match": '"1"'},
    )
    completed = await client.post(
        f"{path}/complete", json={"note": "I run them now."}, headers=as_ada
    )
    again = await client.post(f"{path}/complete", json={}, headers=as_ada)
    late = await client.post(
        f"{path}/plan-items", json={"kind": "reading", "title": "More"}, headers=as_ada
    )

    assert added.status_code == 201
    assert (added.json()["kind"], added.json()["status"]) == ("stretch_assignment", "planned")
    assert stale.status_code == 412
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["evidence_url"], done.json()["version"]) == (
        "done",
        "https://example.com/c",
        2,
    )
    assert completed.status_code == 200
    finished = completed.json()
    assert (finished["status"], finished["completion_note"]) == ("completed", "I run them now.")
    assert finished["completed_at"] is not None
    assert [item["status"] for item in finished["plan"]] == ["done", "in_progress", "planned"]
    assert (again.status_code, again.json()["code"]) == (409, "goal_completed")
    assert (late.status_code, late.json()["code"]) == (409, "goal_completed")
    assert (await outbox.events())[-1] == (
        "development_goal.completed",
        {
            "goal_id": goal["id"],
            "person_id": str(people["ada"].id),
            "sharing": "private",
            "plan_items": 3,
        },
    )


async def test_the_person_changes_their_goal_with_if_match(
    client: httpx.AsyncClient, goal: dict[str, Any], as_ada: dict[str, str]
) -> None:
    path = f"/v1/development-goals/{goal['id']}"
    body = {"title": "Facilitate any workshop", "target_date": "2027-06-30", "skill_ids": []}

    without = await client.patch(path, json=body, headers=as_ada)
    changed = await client.patch(path, json=body, headers={**as_ada, "If-Match": '"1"'})
    null = await client.patch(path, json={"title": None}, headers={**as_ada, "If-Match": '"2"'})

    assert without.status_code == 428
    assert changed.status_code == 200
    assert (
        changed.json()["title"],
        changed.json()["target_date"],
        changed.json()["skill_ids"],
    ) == (
        "Facilitate any workshop",
        "2027-06-30",
        [],
    )
    assert changed.headers["etag"] == '"2"'
    assert null.status_code == 422


async def test_lists_narrow_by_person_and_status_oldest_first(
    client: httpx.AsyncClient,
    tokens: Tokens,
    goal: dict[str, Any],
    people: dict[str, OrgPerson],
    as_ada: dict[str, str],
) -> None:
    second = (
        await client.post("/v1/development-goals", json=new_goal(title="Second"), headers=as_ada)
    ).json()
    await client.post(f"/v1/development-goals/{second['id']}/complete", json={}, headers=as_ada)
    as_mia = tokens.person(people["mia"].email)

    mine = await client.get(f"/v1/development-goals?person_id={people['ada'].id}", headers=as_mia)
    completed = await client.get("/v1/development-goals?status=completed", headers=as_ada)
    paged = await client.get("/v1/development-goals?limit=1", headers=as_ada)

    assert [g["id"] for g in mine.json()["items"]] == [goal["id"], second["id"]]
    assert [g["id"] for g in completed.json()["items"]] == [second["id"]]
    assert [g["id"] for g in paged.json()["items"]] == [goal["id"]]
    assert paged.json()["next_cursor"] is not None
