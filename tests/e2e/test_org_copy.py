"""A service's copy of the org structure follows the directory: bootstrapped from its snapshot,
then kept by its event feed, with committed data on both sides."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import select

from kit.auth import Actor, Role
from kit.consumer import list_parked
from kit.db import Database
from kit.orgcopy import OrgCopy, OrgDirectory, OrgMembership, OrgPerson, relations_to_person
from kit.policies import Relation
from kit.settings import Environment
from services.people.app import create_app
from services.people.config import PeopleSettings
from tests.people.factories import create_hr_admin
from tests.support import AUTH, ROOT, Tokens, clean_env

pytestmark = pytest.mark.e2e


@dataclass
class Scene:
    people: httpx.AsyncClient
    copy_db: Database
    org: OrgCopy
    hr: dict[str, str]

    async def create(self, path: str, body: dict[str, object]) -> uuid.UUID:
        response = await self.people.post(path, json=body, headers=self.hr)
        assert response.status_code == 201, response.text
        return uuid.UUID(response.json()["id"])

    async def patch_person(self, person_id: uuid.UUID, body: dict[str, object]) -> None:
        url = f"/v1/people/{person_id}"
        etag = (await self.people.get(url, headers=self.hr)).headers["etag"]
        response = await self.people.patch(url, json=body, headers={**self.hr, "If-Match": etag})
        assert response.status_code == 200, response.text

    async def copied(self, person_id: uuid.UUID) -> OrgPerson | None:
        async with self.copy_db.sessionmaker() as session:
            return await session.get(OrgPerson, person_id)

    async def relations(self, actor_id: uuid.UUID, person_id: uuid.UUID) -> set[Relation]:
        actor = Actor(role=Role.EMPLOYEE, subject="x", person_id=actor_id)
        async with self.copy_db.sessionmaker() as session:
            return await relations_to_person(session, actor, person_id)


@pytest.fixture
async def scene(
    fresh_database: Callable[[str], Awaitable[str]],
    fresh_toy: Callable[[], Awaitable[Database]],
    tokens: Tokens,
) -> AsyncIterator[Scene]:
    people_db = Database(await fresh_database("people"))
    async with people_db.sessionmaker() as session:
        await create_hr_admin(session, email="hr@example.com", name="Hana HR")
        await session.commit()
    settings = PeopleSettings(
        database_url=people_db.url.render_as_string(False), environment=Environment.TEST, auth=AUTH
    )
    app = create_app(settings, database=people_db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://people"
    ) as client:
        copy_db = await fresh_toy()
        org = OrgCopy(service="goals", database=copy_db, client=client, auth=AUTH)
        yield Scene(client, copy_db, org, tokens.person("hr@example.com"))
    await people_db.dispose()


def _person(name: str, **extra: object) -> dict[str, object]:
    return {"email": f"{name}@example.com", "name": name.title(), **extra}


async def test_bootstrap_then_follow_the_feed(scene: Scene) -> None:
    # Given a directory with a manager, a report and a team, before the copy starts
    mia = await scene.create("/v1/people", _person("mia"))
    max_ = await scene.create("/v1/people", _person("max"))
    eve = await scene.create("/v1/people", _person("eve", manager_id=str(mia)))
    team = await scene.create("/v1/teams", {"name": "Platform", "kind": "team"})
    await scene.people.post(
        f"/v1/teams/{team}/members", json={"person_id": str(eve)}, headers=scene.hr
    )

    # When the copy bootstraps from the snapshot
    assert await scene.org.bootstrap() is True
    assert await scene.org.bootstrap() is False

    # Then it knows who manages whom and who is in which team
    eve_copy = await scene.copied(eve)
    assert eve_copy is not None
    assert (eve_copy.manager_id, eve_copy.active) == (mia, True)
    async with scene.copy_db.sessionmaker() as session:
        members = (await session.exec(select(OrgMembership))).all()
        assert [(m.team_id, m.person_id) for m in members] == [(team, eve)]
        hr = await OrgDirectory().find_identity(session, "email", "HR@example.com")
        assert hr is not None
        assert hr.is_hr_admin
    assert Relation.MANAGER in await scene.relations(mia, eve)

    # When the manager changes and eve leaves, and the copy reads the feed
    await scene.patch_person(eve, {"manager_id": str(max_)})
    await scene.people.post(f"/v1/people/{eve}/deactivate", headers=scene.hr)
    await scene.org.consumer.poll()

    # Then the new manager has the rights and the old one lost them
    assert Relation.MANAGER in await scene.relations(max_, eve)
    assert await scene.relations(mia, eve) == set()
    eve_copy = await scene.copied(eve)
    assert eve_copy is not None
    assert (eve_copy.manager_id, eve_copy.active) == (max_, False)


async def test_a_manager_change_arrives_within_seconds(scene: Scene) -> None:
    boss = await scene.create("/v1/people", _person("boss"))
    chief = await scene.create("/v1/people", _person("chief", manager_id=None))
    ava = await scene.create("/v1/people", _person("ava", manager_id=str(boss)))
    await scene.patch_person(boss, {"manager_id": str(chief)})
    stop = asyncio.Event()
    following = asyncio.ensure_future(scene.org.run(stop, wait=1.0))

    try:
        await scene.patch_person(ava, {"manager_id": str(chief)})
        loop = asyncio.get_running_loop()
        started = loop.time()
        while loop.time() - started < 5:
            copy = await scene.copied(ava)
            if copy is not None and copy.manager_id == chief:
                break
            await asyncio.sleep(0.05)
        arrived_after = loop.time() - started
    finally:
        stop.set()
        await asyncio.wait_for(following, timeout=5)

    assert arrived_after < 5
    assert await scene.relations(chief, ava) == {Relation.MANAGER, Relation.MANAGEMENT_CHAIN}
    assert await scene.relations(boss, ava) == set()


async def test_replicas_starting_together_bootstrap_once(scene: Scene) -> None:
    await scene.create("/v1/people", _person("zoe"))
    twin = OrgCopy(service="goals", database=scene.copy_db, client=scene.people, auth=AUTH)

    results = await asyncio.gather(scene.org.bootstrap(), twin.bootstrap())

    assert sorted(results) == [False, True]
    async with scene.copy_db.sessionmaker() as session:
        assert len((await session.exec(select(OrgPerson))).all()) == 2


async def _inspire(*args: str, database: Database) -> asyncio.subprocess.Process:
    env = clean_env(INSPIRE_GOALS_DATABASE_URL=database.url.render_as_string(False))
    return await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "cli", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


async def test_a_parked_directory_event_closes_the_person_until_it_is_replayed(
    scene: Scene,
) -> None:
    # Given Eve reporting to Mia, in a copy that a stray row has corrupted
    mia = await scene.create("/v1/people", _person("mia"))
    max_ = await scene.create("/v1/people", _person("max"))
    eve = await scene.create("/v1/people", _person("eve", manager_id=str(mia)))
    team = await scene.create("/v1/teams", {"name": "Platform", "kind": "team"})
    await scene.org.bootstrap()
    async with scene.copy_db.sessionmaker() as session:
        stray = OrgPerson(
            id=uuid.uuid4(), email="eve.new@example.com", name="Stray", active=False,
            is_hr_admin=False,
        )  # fmt: skip
        session.add(stray)
        await session.commit()
    org = OrgCopy(
        service="goals",
        database=scene.copy_db,
        client=scene.people,
        auth=AUTH,
        max_attempts=2,
        retry_delay=0.01,
    )

    # When Eve moves to Max with a new email (which the copy cannot store), then joins a
    # team, and someone else joins the company
    await scene.patch_person(eve, {"manager_id": str(max_), "email": "eve.new@example.com"})
    await scene.people.post(
        f"/v1/teams/{team}/members", json={"person_id": str(eve)}, headers=scene.hr
    )
    ben = await scene.create("/v1/people", _person("ben"))
    while await org.consumer.poll():
        pass

    # Then Eve's change is parked and her later events wait behind it
    parked = await list_parked(scene.copy_db)
    assert [(row.event_type, row.attempts) for row in parked] == [
        ("person.updated", 2),
        ("person.manager_changed", 0),
        ("team.member_added", 0),
    ]
    assert parked[0].error == "IntegrityError (SQLSTATE 23505) on org_person_email_ascii_key"
    assert {row.entity for row in parked} == {f"person:{eve}"}
    # And her copy grants nothing: not to Mia, whom she was moving away from, nor to herself
    assert await scene.relations(mia, eve) == set()
    assert await scene.relations(max_, eve) == set()
    eve_copy = await scene.copied(eve)
    assert eve_copy is not None
    assert (eve_copy.active, eve_copy.manager_id) == (False, None)
    # And the others' events were applied
    assert await scene.copied(ben) is not None
    listing = await _inspire("consumer", "parked", "goals", database=scene.copy_db)
    listed, _ = await listing.communicate()
    assert listing.returncode == 0
    assert "3 parked event(s)" in listed.decode()
    assert "eve.new@example.com" not in listed.decode()

    # When an operator removes the stray row and asks for a replay
    async with scene.copy_db.sessionmaker() as session:
        await session.delete(await session.get(OrgPerson, stray.id))
        await session.commit()
    retry = await _inspire("consumer", "retry", "goals", "--wait", "30", database=scene.copy_db)
    while retry.returncode is None:
        await org.consumer.poll(wait=0.2)
        await asyncio.sleep(0.1)
    output, _ = await retry.communicate()

    # Then the three are applied in order: Eve reports to Max, in her team, active again
    assert retry.returncode == 0, output.decode()
    assert output.decode().count("replayed:") == 3
    assert await list_parked(scene.copy_db) == []
    assert await scene.relations(max_, eve) == {Relation.MANAGER, Relation.MANAGEMENT_CHAIN}
    assert await scene.relations(mia, eve) == set()
    eve_copy = await scene.copied(eve)
    assert eve_copy is not None
    assert (eve_copy.active, eve_copy.email) == (True, "eve.new@example.com")
    async with scene.copy_db.sessionmaker() as session:
        assert await session.get(OrgMembership, (team, eve)) is not None
