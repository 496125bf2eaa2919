"""The whole path over real HTTP on 127.0.0.1: people, goals and the gateway each served by
uvicorn with their lifespans (relays, the goals org copy following the people feed), a
person signing in with a minted token, the services deciding who may see what."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app as create_gateway
from gateway.config import GatewaySettings
from kit.db import Database
from kit.orgcopy import OrgPerson
from kit.settings import Environment, ServiceSettings, ServiceUrls
from services.assessment.app import create_app as create_assessment
from services.assessment.config import AssessmentSettings
from services.feedback.app import create_app as create_feedback
from services.feedback.config import FeedbackSettings
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from services.people.app import create_app as create_people
from services.people.config import PeopleSettings
from tests.people.factories import create_hr_admin
from tests.support import AUTH, Tokens, served

pytestmark = pytest.mark.e2e


@dataclass
class Stack:
    people: str
    goals: str
    gateway: str
    http: httpx.AsyncClient
    tokens: Tokens

    async def until(
        self, method: str, url: str, headers: dict[str, str], **kwargs: Any
    ) -> httpx.Response:
        """Retry while the goals org copy has not caught up with the directory."""
        for _ in range(100):
            response = await self.http.request(method, url, headers=headers, **kwargs)
            if response.status_code not in (401, 404, 422):
                return response
            await asyncio.sleep(0.1)
        return response

    async def graphql(self, email: str, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post(
            f"{self.gateway}/graphql",
            json={"query": query, "variables": variables},
            headers=self.tokens.person(email),
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
async def stack(
    fresh_database: Callable[[str], Awaitable[str]], tokens: Tokens
) -> AsyncIterator[Stack]:
    people_url = await fresh_database("people")
    goals_url = await fresh_database("goals")
    seed = Database(people_url, pool_size=1)
    async with seed.sessionmaker() as session:
        await create_hr_admin(session, email="hr@example.com", name="Hana HR")
        await session.commit()
    await seed.dispose()

    def settings(cls: type[Any], database_url: str | None, urls: ServiceUrls) -> Any:
        return cls(database_url=database_url, environment=Environment.TEST, auth=AUTH, urls=urls)

    async with contextlib.AsyncExitStack() as stack:
        people = await stack.enter_async_context(
            served(create_people(settings(PeopleSettings, people_url, ServiceUrls())))
        )
        urls = ServiceUrls(people_url=people)
        goals = await stack.enter_async_context(
            served(create_goals(settings(GoalsSettings, goals_url, urls)))
        )
        urls = ServiceUrls(people_url=people, goals_url=goals)
        gateway = await stack.enter_async_context(
            served(create_gateway(settings(GatewaySettings, None, urls)))
        )
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=10))
        yield Stack(people, goals, gateway, http, tokens)


def global_id(type_name: str, id_: str) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


OBJECTIVE = """
query ($id: ID!) { objective(id: $id) { title visibility owner { ... on Person { name } } } }
"""
PERSON_OBJECTIVES = """
query ($id: ID!) {
  person(id: $id) { name manager { name } objectives { edges { node { title } } } }
}
"""


async def test_rest_writes_are_read_through_graphql_by_whoever_may_see_them(stack: Stack) -> None:
    hr = stack.tokens.person("hr@example.com")

    # Given a manager and two of her reports in the directory, over the people REST API
    async def person(name: str, manager: str | None = None) -> str:
        body = {"email": f"{name}@example.com", "name": name.title(), "manager_id": manager}
        response = await stack.http.post(f"{stack.people}/v1/people", json=body, headers=hr)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    mia = await person("mia")
    ada = await person("ada", manager=mia)
    await person("ben", manager=mia)

    # And a cycle and two objectives of Ada's, one private, over the goals REST API
    cycle = await stack.until(
        "POST",
        f"{stack.goals}/v1/cycles",
        hr,
        json={"name": "Q1", "starts_on": "2027-01-01", "ends_on": "2027-03-31", "status": "active"},
    )
    assert cycle.status_code == 201, cycle.text
    created = {}
    for title, visibility in (("Ship the mobile app", "public"), ("Learn to delegate", "private")):
        response = await stack.until(
            "POST",
            f"{stack.goals}/v1/objectives",
            stack.tokens.person("ada@example.com"),
            json={
                "cycle_id": cycle.json()["id"],
                "title": title,
                "owner_person_id": ada,
                "visibility": visibility,
            },
        )
        assert response.status_code == 201, response.text
        created[visibility] = global_id("Objective", response.json()["id"])

    # When Ada, her manager and her peer ask the gateway
    as_ada = await stack.graphql("ada@example.com", PERSON_OBJECTIVES, id=global_id("Person", ada))
    as_mia = await stack.graphql("mia@example.com", OBJECTIVE, id=created["private"])
    as_ben = await stack.graphql("ben@example.com", OBJECTIVE, id=created["private"])
    ben_lists = await stack.graphql(
        "ben@example.com", PERSON_OBJECTIVES, id=global_id("Person", ada)
    )

    # Then Ada sees both, with her manager; Mia (her manager) sees the private one
    person_seen = as_ada["data"]["person"]
    assert person_seen["manager"] == {"name": "Mia"}
    titles = {edge["node"]["title"] for edge in person_seen["objectives"]["edges"]}
    assert titles == {"Ship the mobile app", "Learn to delegate"}
    assert as_mia["data"]["objective"]["title"] == "Learn to delegate"
    # And Ben, a peer, gets null, as for an objective that does not exist, and does not find
    # it in Ada's list either
    assert as_ben["data"]["objective"] is None
    assert "errors" not in as_ben
    assert "Learn to delegate" not in str(as_ben)
    ben_titles = [e["node"]["title"] for e in ben_lists["data"]["person"]["objectives"]["edges"]]
    assert ben_titles == ["Ship the mobile app"]


async def test_without_a_valid_token_nothing_is_served(stack: Stack) -> None:
    response = await stack.http.post(
        f"{stack.gateway}/graphql",
        json={"query": "{ viewer { name } }"},
        headers={"Authorization": "Bearer forged.token.value"},
    )

    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_manager_change_reaches_every_service_within_seconds(
    fresh_database: Callable[[str], Awaitable[str]], tokens: Tokens
) -> None:
    services: dict[str, tuple[Callable[[Any], FastAPI], type[ServiceSettings]]] = {
        "goals": (create_goals, GoalsSettings),
        "feedback": (create_feedback, FeedbackSettings),
        "assessment": (create_assessment, AssessmentSettings),
    }
    people_url = await fresh_database("people")
    seed = Database(people_url, pool_size=1)
    async with seed.sessionmaker() as session:
        await create_hr_admin(session, email="hr@example.com", name="Hana HR")
        await session.commit()
    await seed.dispose()
    copies = {name: Database(await fresh_database(name), pool_size=1) for name in services}
    hr = tokens.person("hr@example.com")

    async with contextlib.AsyncExitStack() as stack:
        people = await stack.enter_async_context(
            served(
                create_people(
                    PeopleSettings(database_url=people_url, environment=Environment.TEST, auth=AUTH)
                )
            )
        )
        for name, (create, settings_class) in services.items():
            settings = settings_class(
                database_url=copies[name].url.render_as_string(False),
                environment=Environment.TEST,
                auth=AUTH,
                urls=ServiceUrls(people_url=people),
            )
            await stack.enter_async_context(served(create(settings)))
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=10))

        async def person(name: str, manager: str | None = None) -> str:
            body = {"email": f"{name}@example.com", "name": name.title(), "manager_id": manager}
            response = await http.post(f"{people}/v1/people", json=body, headers=hr)
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        old, new = await person("olga"), await person("nils")
        eve = await person("eve", manager=old)
        url = f"{people}/v1/people/{eve}"
        etag = (await http.get(url, headers=hr)).headers["etag"]

        # When Eve's manager changes in the directory
        changed = await http.patch(url, json={"manager_id": new}, headers={**hr, "If-Match": etag})
        assert changed.status_code == 200, changed.text
        loop = asyncio.get_running_loop()
        started = loop.time()

        # Then every service's own copy knows it within seconds
        arrived: dict[str, float] = {}
        while len(arrived) < len(copies) and loop.time() - started < 10:
            for name, database in copies.items():
                async with database.sessionmaker() as session:
                    copy = await session.get(OrgPerson, uuid.UUID(eve))
                if name not in arrived and copy is not None and str(copy.manager_id) == new:
                    arrived[name] = loop.time() - started
            await asyncio.sleep(0.05)

    for database in copies.values():
        await database.dispose()
    assert set(arrived) == set(services)
    assert max(arrived.values()) < 5
