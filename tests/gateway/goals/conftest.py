"""The goals service beside the people service for the gateway's goals tests (the gateway's
client of it replaces the one to nowhere), and the scene they share: the goals service's org
copy is bootstrapped from the people service's snapshot, as in production. What the scene
holds is told in `tests.gateway.goals.scene`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from kit.db import Database
from kit.orgcopy import OrgCopy, OrgPerson, OrgTeam
from kit.settings import Environment
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from services.goals.schemas import (
    CycleStatus,
    ObjectiveKind,
    ObjectiveStatus,
    SignatureRole,
    Visibility,
)
from tests.gateway.goals.operations import ACCEPT, align, decide
from tests.gateway.goals.scene import Okrs, Work, global_id
from tests.gateway.support import GraphQL, Recorder, recorded_client
from tests.goals import factories as goals_rows
from tests.people import factories as people_rows
from tests.support import AUTH, Tokens


@pytest.fixture
async def goals_db(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Database]:
    database = Database(await fresh_database("goals"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
def goals_app(goals_db: Database, people_app: FastAPI) -> FastAPI:
    settings = GoalsSettings(
        database_url=goals_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
    )
    # Goals checks the skills of development goals with the people service.
    people = httpx.ASGITransport(app=people_app)
    return create_goals(settings, database=goals_db, people_transport=people)


@pytest.fixture
async def goals_http(goals_app: FastAPI, recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    async with recorded_client(goals_app, "goals", recorder) as http:
        yield http


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


@pytest.fixture
async def aligned(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens, recorder: Recorder
) -> None:
    """Bob's "Learn Rust" supports Ada's key result "Queries served" (proposed by Bob, accepted
    by Ada with weight 3); Ada's "Ship search" supports the company's "Grow" (accepted by an
    HR admin); her private "Grow as a lead" supports "Ship search" (hers: accepted at once).
    All made through the gateway."""
    bob, ada = tokens.person("bob@example.com"), tokens.person("ada@example.com")
    made = [
        await align(
            graphql,
            bob,
            work.bobs,
            parentKeyResultId=global_id("KeyResult", okrs.key_result.id),
        ),
        await align(
            graphql, ada, okrs.public, parentObjectiveId=global_id("Objective", work.company.id)
        ),
        await align(
            graphql, ada, okrs.private, parentObjectiveId=global_id("Objective", okrs.public.id)
        ),
    ]
    assert [result["__typename"] for result in made] == ["AlignObjectivePayload"] * 3
    assert [result["alignment"]["state"] for result in made] == ["PENDING", "PENDING", "ACCEPTED"]
    accepted = [
        await decide(
            graphql,
            ACCEPT,
            ada,
            alignmentId=made[0]["alignment"]["id"],
            version=made[0]["alignment"]["version"],
            weight=3,
        ),
        await decide(
            graphql,
            ACCEPT,
            tokens.person("hr@example.com"),
            alignmentId=made[1]["alignment"]["id"],
            version=made[1]["alignment"]["version"],
        ),
    ]
    assert [result["__typename"] for result in accepted] == ["AcceptAlignmentPayload"] * 2
    recorder.clear()
