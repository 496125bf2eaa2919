"""The scene of the goals tests through the gateway, over the real people and goals services:
the goals service's org copy is bootstrapped from the people service's snapshot, as in
production. Test modules bind its fixtures (`okrs = scene.okrs`)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from kit.db import Database
from kit.orgcopy import OrgCopy, OrgPerson, OrgTeam
from kit.settings import Environment
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import (
    CycleStatus,
    ObjectiveKind,
    ObjectiveStatus,
    SignatureRole,
    Visibility,
)
from services.people.models import Person, Team
from tests.conftest import AUTH
from tests.gateway.conftest import Recorder, recorded_client
from tests.goals import factories as goals_rows
from tests.people import factories as people_rows


def global_id(type_name: str, id_: uuid.UUID) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


@pytest.fixture
async def goals_db(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Database]:
    database = Database(await fresh_database("goals"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
def goals_app(goals_db: Database) -> FastAPI:
    settings = GoalsSettings(
        database_url=goals_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
    )
    return create_goals(settings, database=goals_db)


@pytest.fixture
async def goals_http(goals_app: FastAPI, recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    async with recorded_client(goals_app, "goals", recorder) as http:
        yield http


@dataclass
class Okrs:
    """Ada leads Platform and manages Bob; Cy is elsewhere. An active and a closed cycle; Ada
    has a public objective (with a key result Bob checked in on) and a private one."""

    ada: Person
    bob: Person
    cy: Person
    platform: Team
    cycle: Cycle
    closed: Cycle
    public: Objective
    private: Objective
    key_result: KeyResult
    hr: Person
    search: Team


@pytest.fixture
async def okrs(
    people_db: Database, people_app: FastAPI, goals_db: Database, recorder: Recorder
) -> Okrs:
    async with people_db.sessionmaker() as session:
        ada = await people_rows.create_person(session, email="ada@example.com", name="Ada")
        bob = await people_rows.create_person(
            session, email="bob@example.com", name="Bob", manager_id=ada.id
        )
        cy = await people_rows.create_person(session, email="cy@example.com", name="Cy")
        platform = await people_rows.create_team(session, name="Platform", lead_id=ada.id)
        await people_rows.add_member(session, platform, bob)
        hr = await people_rows.create_hr_admin(session, email="hr@example.com", name="Hal")
        search = await people_rows.create_team(session, name="Search", lead_id=ada.id)
        await people_rows.add_member(session, search, bob)
        await session.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=people_app), base_url="http://people"
    ) as people:
        org = OrgCopy(service="goals", database=goals_db, client=people, auth=AUTH)
        assert await org.bootstrap()
    async with goals_db.sessionmaker() as session:
        cycle = await goals_rows.create_cycle(session, name="2026 Q1")
        closed = await goals_rows.create_cycle(session, name="2025 Q4", status=CycleStatus.CLOSED)
        owner = await session.get(OrgPerson, ada.id)
        assert owner is not None
        public = await goals_rows.create_objective(session, cycle, owner, title="Ship search")
        private = await goals_rows.create_objective(
            session, cycle, owner, title="Grow as a lead", visibility=Visibility.PRIVATE
        )
        key_result = await goals_rows.create_key_result(
            session, public, title="Queries served", start=0.0, target=100.0, current=25.0
        )
        author = await session.get(OrgPerson, bob.id)
        assert author is not None
        await goals_rows.create_check_in(session, key_result, author, value=25.0, confidence=6)
        await session.commit()
    recorder.clear()
    return Okrs(ada, bob, cy, platform, cycle, closed, public, private, key_result, hr, search)


@dataclass
class Work:
    """On top of `Okrs`: Platform's aspirational objective, proposed, with Bob as contributor
    and his signature, and a milestones key result Bob owns, last touched ten days ago; Bob's
    own draft; a company objective; Ada's objective of the closed cycle, scored, with a key
    result; Search's objective."""

    team_objective: Objective
    milestones: KeyResult
    bobs: Objective
    company: Objective
    old: Objective
    old_key_result: KeyResult
    search_objective: Objective


@pytest.fixture
async def work(okrs: Okrs, goals_db: Database, recorder: Recorder) -> Work:
    async with goals_db.sessionmaker() as session:
        ada, bob = (
            await session.get(OrgPerson, okrs.ada.id),
            await session.get(OrgPerson, okrs.bob.id),
        )
        platform = await session.get(OrgTeam, okrs.platform.id)
        search = await session.get(OrgTeam, okrs.search.id)
        assert ada is not None
        assert bob is not None
        assert platform is not None
        assert search is not None
        team_objective = await goals_rows.create_objective(
            session,
            okrs.cycle,
            platform,
            title="Deploy on Fridays",
            kind=ObjectiveKind.ASPIRATIONAL,
            status=ObjectiveStatus.PROPOSED,
        )
        await goals_rows.add_contributor(session, team_objective, bob)
        await goals_rows.create_signature(session, team_objective, bob, SignatureRole.OWNER)
        ten_days_ago = datetime.now(UTC) - timedelta(days=10)
        milestones, _ = await goals_rows.create_milestones(
            session,
            team_objective,
            True,
            False,
            title="Pipeline steps",
            owner_person_id=bob.id,
            created_at=ten_days_ago,
        )
        bobs = await goals_rows.create_objective(session, okrs.cycle, bob, title="Learn Rust")
        company = await goals_rows.create_objective(session, okrs.cycle, None, title="Grow")
        old = await goals_rows.create_objective(session, okrs.closed, ada, title="Old things")
        old_key_result = await goals_rows.create_key_result(session, old, title="Old result")
        await goals_rows.create_closing(session, old, score=0.6, retrospective="Too much at once")
        search_objective = await goals_rows.create_objective(
            session, okrs.cycle, search, title="Better ranking"
        )
        await session.commit()
    recorder.clear()
    return Work(team_objective, milestones, bobs, company, old, old_key_result, search_objective)
