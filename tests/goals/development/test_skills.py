"""A development goal's skills are skills of the directory's catalogue: the goals service asks
the people service, in one batch read with the caller's own token, for the ids a create or an
update adds. An unknown id or one named twice is 422 naming its place; a people service that
does not answer is 503; nothing is saved either way. Ids a goal has already are kept."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.orgcopy import OrgPerson
from kit.settings import ServiceUrls
from services.goals.development.models import DevelopmentGoal
from services.people.models import Skill
from tests.factories import count_rows, insert, unknown_id
from tests.goals.development.support import new_goal
from tests.support import Tokens, asgi_client, service_app

NOWHERE = "http://127.0.0.1:9"


def asked(app: FastAPI) -> list[httpx.Request]:
    """The requests the goals app sends the people service from now on."""
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    app.state.people.event_hooks["request"].append(record)
    return sent


def field_of(response: httpx.Response) -> tuple[int, str, list[str]]:
    problem = response.json()
    return response.status_code, problem["code"], [e["field"] for e in problem["errors"]]


async def test_skills_of_the_catalogue_are_taken_in_one_batch_read(
    app: FastAPI, client: httpx.AsyncClient, skills: list[Skill], as_ada: dict[str, str]
) -> None:
    sent = asked(app)
    skill_ids = [str(skill.id) for skill in skills]

    response = await client.post(
        "/v1/development-goals", json=new_goal(skill_ids=skill_ids), headers=as_ada
    )

    assert response.status_code == 201, response.text
    assert response.json()["skill_ids"] == skill_ids
    [request] = sent
    assert (request.url.path, request.url.params.get_list("id")) == ("/v1/skills", skill_ids)
    assert request.headers["authorization"] == as_ada["Authorization"]


async def test_an_unknown_skill_is_422_naming_its_place_and_nothing_is_saved(
    client: httpx.AsyncClient,
    session: AsyncSession,
    skills: list[Skill],
    as_ada: dict[str, str],
) -> None:
    body = new_goal(skill_ids=[str(skills[0].id), str(unknown_id()), str(skills[1].id)])

    response = await client.post("/v1/development-goals", json=body, headers=as_ada)

    assert field_of(response) == (422, "unknown_skill", ["body.skill_ids.1"])
    assert await count_rows(session, DevelopmentGoal) == 0


async def test_a_skill_named_twice_is_422_without_asking(
    app: FastAPI, client: httpx.AsyncClient, skills: list[Skill], as_ada: dict[str, str]
) -> None:
    sent = asked(app)
    twice = [str(skills[0].id), str(skills[1].id), str(skills[0].id)]

    response = await client.post(
        "/v1/development-goals", json=new_goal(skill_ids=twice), headers=as_ada
    )

    assert field_of(response) == (422, "duplicate_skill", ["body.skill_ids.2"])
    assert sent == []


async def test_a_goal_without_skills_asks_nobody(
    app: FastAPI, client: httpx.AsyncClient, ada: OrgPerson, as_ada: dict[str, str]
) -> None:
    sent = asked(app)

    response = await client.post("/v1/development-goals", json=new_goal(), headers=as_ada)

    assert response.status_code == 201, response.text
    assert sent == []


# --- Changing a goal's skills ----------------------------------------------------------------


@pytest.fixture
async def old_skill_goal(session: AsyncSession, ada: OrgPerson) -> DevelopmentGoal:
    """Ada's goal with a skill the catalogue no longer answers for (written as a row: no
    request could make it today)."""
    return await insert(
        session,
        DevelopmentGoal(
            person_id=ada.id, created_by=ada.id, title="Mentor", skill_ids=[unknown_id()]
        ),
    )


async def test_a_change_asks_only_for_the_skills_it_adds_and_keeps_the_others(
    app: FastAPI,
    client: httpx.AsyncClient,
    old_skill_goal: DevelopmentGoal,
    skills: list[Skill],
    as_ada: dict[str, str],
) -> None:
    path = f"/v1/development-goals/{old_skill_goal.id}"
    old, new, stranger = str(old_skill_goal.skill_ids[0]), str(skills[0].id), str(unknown_id())
    sent = asked(app)

    kept = await client.patch(
        path, json={"skill_ids": [old, new]}, headers={**as_ada, "If-Match": '"1"'}
    )
    unknown = await client.patch(
        path, json={"skill_ids": [old, stranger]}, headers={**as_ada, "If-Match": '"2"'}
    )
    twice = await client.patch(
        path, json={"skill_ids": [new, new]}, headers={**as_ada, "If-Match": '"2"'}
    )
    titled = await client.patch(
        path, json={"title": "Mentor others"}, headers={**as_ada, "If-Match": '"2"'}
    )

    assert kept.status_code == 200, kept.text
    assert kept.json()["skill_ids"] == [old, new]
    assert field_of(unknown) == (422, "unknown_skill", ["body.skill_ids.1"])
    assert field_of(twice) == (422, "duplicate_skill", ["body.skill_ids.1"])
    assert titled.status_code == 200, titled.text
    assert (titled.json()["skill_ids"], titled.json()["version"]) == ([old, new], 3)
    assert [request.url.params.get_list("id") for request in sent] == [[new], [stranger]]


async def test_only_the_goals_person_reaches_the_skills_check(
    app: FastAPI,
    client: httpx.AsyncClient,
    tokens: Tokens,
    old_skill_goal: DevelopmentGoal,
    admin: OrgPerson,
    skills: list[Skill],
) -> None:
    sent = asked(app)

    response = await client.patch(
        f"/v1/development-goals/{old_skill_goal.id}",
        json={"skill_ids": [str(skills[0].id)]},
        headers={**tokens.person(admin.email), "If-Match": '"1"'},
    )

    assert response.status_code == 403
    assert sent == []


# --- When the people service cannot answer ---------------------------------------------------


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A server that takes connections and never answers."""
    listening = socket.create_server(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    listening.close()


@pytest.mark.parametrize("where", ["nowhere", "silent"])
async def test_no_answer_from_the_people_service_is_503_and_nothing_is_saved(
    where: str,
    silent_url: str,
    service_db: Database,
    session: AsyncSession,
    old_skill_goal: DevelopmentGoal,
    as_ada: dict[str, str],
) -> None:
    people_url = NOWHERE if where == "nowhere" else silent_url
    app = service_app("goals", service_db, urls=ServiceUrls(people_url=people_url))
    skill, before = str(unknown_id()), list(old_skill_goal.skill_ids)
    async with asgi_client(app, "goals") as client:
        created = await client.post(
            "/v1/development-goals", json=new_goal(skill_ids=[skill]), headers=as_ada
        )
        changed = await client.patch(
            f"/v1/development-goals/{old_skill_goal.id}",
            json={"skill_ids": [skill]},
            headers={**as_ada, "If-Match": '"1"'},
        )
        plain = await client.post("/v1/development-goals", json=new_goal(), headers=as_ada)
    await app.state.people.aclose()

    assert (created.status_code, created.json()["code"]) == (503, "people_unavailable")
    assert (changed.status_code, changed.json()["code"]) == (503, "people_unavailable")
    assert plain.status_code == 201, plain.text
    assert await count_rows(session, DevelopmentGoal) == 2
    await session.refresh(old_skill_goal)
    assert (old_skill_goal.skill_ids, old_skill_goal.version) == (before, 1)


async def test_a_retry_after_503_with_the_same_idempotency_key_is_checked_again(
    service_db: Database,
    client: httpx.AsyncClient,
    session: AsyncSession,
    skills: list[Skill],
    as_ada: dict[str, str],
) -> None:
    body = new_goal(skill_ids=[str(skills[0].id)])
    headers = {**as_ada, "Idempotency-Key": "ada-goal-1"}
    cut_off = service_app("goals", service_db, urls=ServiceUrls(people_url=NOWHERE))
    async with asgi_client(cut_off, "goals") as alone:
        first = await alone.post("/v1/development-goals", json=body, headers=headers)
    await cut_off.state.people.aclose()

    retried = await client.post("/v1/development-goals", json=body, headers=headers)

    assert (first.status_code, first.json()["code"]) == (503, "people_unavailable")
    assert retried.status_code == 201, retried.text
    assert await count_rows(session, DevelopmentGoal) == 1
