"""The demo organisation of `inspire dev` loads through the real APIs, once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import col, func, select

from kit.db import Database
from kit.models import utcnow
from kit.orgcopy import OrgCopy
from kit.settings import Environment, ServiceUrls
from services.assessment.app import create_app as create_assessment
from services.assessment.config import AssessmentSettings
from services.assessment.plans.models import Plan
from services.assessment.rounds.models import Round
from services.demo.assessment import PLAN, PLAN_TEAM, ROUNDS, SMALL_TEAM
from services.demo.conversations import LAST_MONTH, RECOGNITIONS, REQUESTS, VALUES
from services.demo.data import (
    FEEDBACK,
    HR_ADMIN,
    OBJECTIVES,
    TEAMS,
    VIEWER,
    current_quarter,
    email,
)
from services.demo.growth import SKILLS
from services.demo.load import load_demo, person_headers
from services.demo.one_on_ones import CARRIED_ITEM, CARRIED_POINT, HELD, PRIVATE_NOTES
from services.feedback.app import create_app as create_feedback
from services.feedback.config import FeedbackSettings
from services.feedback.models import CompanyValue, Feedback, Reply
from services.feedback.nominations.models import Nomination, NominationPeriod
from services.feedback.oneonones.models import (
    ActionItem,
    Meeting,
    PrivateNote,
    Series,
    TalkingPoint,
)
from services.feedback.recognition.models import Reaction, Recognition
from services.feedback.requests.models import FeedbackRequest, RequestPart
from services.goals.alignment.models import Alignment, Dependency
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from services.goals.development.models import DevelopmentGoal
from services.goals.experiments.models import Experiment
from services.goals.help.models import HelpOffer, HelpRequest
from services.goals.models import CheckIn, KeyResult, Objective
from services.people.app import create_app as create_people
from services.people.config import PeopleSettings
from services.people.models import Person, Skill, Team
from tests.people.factories import create_person
from tests.support import AUTH

pytestmark = pytest.mark.e2e


async def _count(database: Database, model: type) -> int:
    async with database.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _read_assessments(
    client: httpx.AsyncClient, urls: ServiceUrls, database: Database
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[str]]:
    """The autumn round's heatmap (as HR reads it), the trend and report of the viewer's team
    (as its lead reads them), and every round's status."""
    async with database.sessionmaker() as session:
        rounds = (await session.exec(select(Round).order_by(col(Round.created_at)))).all()
        assert await session.scalar(select(func.count()).select_from(Plan)) == 1
    autumn = next(r for r in rounds if r.name == ROUNDS[1][0])
    base = f"{urls.assessment_url}/v1/rounds/{autumn.id}"
    hr, viewer = person_headers(AUTH, HR_ADMIN), person_headers(AUTH, VIEWER)
    heatmap = (await client.get(f"{base}/heatmap", headers=hr)).json()
    team_id = next(row["team_id"] for row in heatmap["rows"] if row["name"] == PLAN_TEAM)
    trend = (await client.get(f"{base}/trend", params={"team_id": team_id}, headers=viewer)).json()
    report = (
        await client.get(f"{base}/report", params={"team_id": team_id}, headers=viewer)
    ).json()
    statuses = [
        (await client.get(f"{urls.assessment_url}/v1/rounds/{r.id}", headers=hr)).json()["status"]
        for r in rounds
    ]
    return heatmap, trend, report, statuses


async def test_the_demo_loads_once(fresh_database: Callable[[str], Awaitable[str]]) -> None:
    people_db = Database(await fresh_database("people"))
    async with people_db.sessionmaker() as session:
        await create_person(session, email="someone@example.com", name="Someone Else")
        await session.commit()
    goals_db = Database(await fresh_database("goals"))
    feedback_db = Database(await fresh_database("feedback"))
    assessment_db = Database(await fresh_database("assessment"))
    people_app = create_people(
        PeopleSettings(database_url="postgresql://unused", environment=Environment.TEST, auth=AUTH),
        database=people_db,
    )
    goals_app = create_goals(
        GoalsSettings(database_url="postgresql://unused", environment=Environment.TEST, auth=AUTH),
        database=goals_db,
        # Goals checks the skills of development goals with the people service.
        people_transport=httpx.ASGITransport(app=people_app),
    )
    feedback_app = create_feedback(
        FeedbackSettings(
            database_url="postgresql://unused", environment=Environment.TEST, auth=AUTH
        ),
        database=feedback_db,
        # Feedback checks its links to objectives with the goals service.
        goals_transport=httpx.ASGITransport(app=goals_app),
    )
    assessment_app = create_assessment(
        AssessmentSettings(
            database_url="postgresql://unused", environment=Environment.TEST, auth=AUTH
        ),
        database=assessment_db,
    )
    urls = ServiceUrls(
        people_url="http://people",
        goals_url="http://goals",
        feedback_url="http://feedback",
        assessment_url="http://assessment",
    )
    client = httpx.AsyncClient(
        mounts={
            "http://people": httpx.ASGITransport(app=people_app),
            "http://goals": httpx.ASGITransport(app=goals_app),
            "http://feedback": httpx.ASGITransport(app=feedback_app),
            "http://assessment": httpx.ASGITransport(app=assessment_app),
        }
    )
    people_client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=people_app), base_url="http://people"
    )
    org = OrgCopy(service="goals", database=goals_db, client=people_client, auth=AUTH)
    feedback_org = OrgCopy(
        service="feedback", database=feedback_db, client=people_client, auth=AUTH
    )
    assessment_org = OrgCopy(
        service="assessment", database=assessment_db, client=people_client, auth=AUTH
    )
    stop = asyncio.Event()
    following = asyncio.gather(
        org.run(stop, wait=0.5),
        feedback_org.run(stop, wait=0.5),
        assessment_org.run(stop, wait=0.5),
    )
    try:
        # When the demo loads into a stack whose directory has someone else already, and again
        first = await load_demo(urls, AUTH, client)
        second = await load_demo(urls, AUTH, client)
        assessments = await _read_assessments(client, urls, assessment_db)
    finally:
        stop.set()
        await asyncio.wait_for(following, timeout=10)
        await client.aclose()
        await people_client.aclose()

    # Then it is there once: about 30 people in 4 teams (under the company), a cycle with OKRs
    assert first == second == email(VIEWER)
    assert await _count(people_db, Person) == 1 + 1 + sum(1 + len(t.members) for t in TEAMS) == 30
    assert await _count(people_db, Team) == len(TEAMS) + 1
    assert await _count(goals_db, Objective) == len(OBJECTIVES)
    assert await _count(goals_db, KeyResult) == sum(len(o.key_results) for o in OBJECTIVES)
    expected_check_ins = sum(len(k.check_ins) for o in OBJECTIVES for k in o.key_results)
    assert await _count(goals_db, CheckIn) == expected_check_ins
    # And the viewer's development goal builds skills of the directory's catalogue
    async with goals_db.sessionmaker() as session:
        [skill_ids] = (await session.exec(select(DevelopmentGoal.skill_ids))).all()
    async with people_db.sessionmaker() as session:
        named = (await session.exec(select(Skill.name).where(col(Skill.id).in_(skill_ids)))).all()
    assert sorted(named) == sorted(name for name, _ in SKILLS)
    # And the OKR features show: alignment two levels down, a cross-team dependency, roll-up,
    # an agreed objective and a key result asking for help
    async with goals_db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Alignment)) == sum(
            1 for o in OBJECTIVES if o.aligned_to
        )
        assert await session.scalar(select(func.count()).select_from(Dependency)) == 1
        statuses = (await session.exec(select(Objective.status))).all()
        assert "agreed" in statuses
        check_ins = (await session.exec(select(CheckIn.status))).all()
        assert "off_track" in check_ins
        # help asked for (by a low check-in, and by hand with an offer), two experiments
        assert await session.scalar(select(func.count()).select_from(HelpRequest)) == 2
        assert await session.scalar(select(func.count()).select_from(HelpOffer)) == 1
        outcomes = sorted(str(o) for o in (await session.exec(select(Experiment.outcome))).all())
        assert outcomes == ["invalidated", "validated"]
        # taken over the weeks of the current quarter so far, not all at once
        moments = sorted((await session.exec(select(CheckIn.created_at))).all())
    starts_on = current_quarter(utcnow().date())[1]
    assert moments[0].date() >= starts_on
    assert moments[-1] <= utcnow()
    if (utcnow().date() - starts_on).days >= 14:
        assert moments[-1] - moments[0] > timedelta(days=7)
    # And feedback of each kind, each with its thread
    async with feedback_db.sessionmaker() as session:
        kinds = set((await session.exec(select(Feedback.kind))).all())
    assert {"praise", "suggestion", "upward", "peer"} <= kinds
    assert await _count(feedback_db, Reply) == sum(len(item.replies) for item in FEEDBACK)
    # And the feedback service holds conversations: requests open and answered, a recognition
    # feed with values and reactions, a closed nomination period and an open one
    assert await _count(feedback_db, CompanyValue) == len(VALUES)
    assert await _count(feedback_db, FeedbackRequest) == len(REQUESTS)
    assert await _count(feedback_db, RequestPart) == sum(len(r[2]) for r in REQUESTS)
    assert await _count(feedback_db, Feedback) == len(FEEDBACK) + sum(
        1 for r in REQUESTS for answer in r[4].values() if answer
    )
    assert await _count(feedback_db, Recognition) == len(RECOGNITIONS)
    assert await _count(feedback_db, Reaction) == sum(len(r[5]) for r in RECOGNITIONS)
    assert await _count(feedback_db, Nomination) == len(LAST_MONTH) + 1
    async with feedback_db.sessionmaker() as session:
        statuses = sorted((await session.exec(select(NominationPeriod.status))).all())
    assert statuses == ["closed", "open"]
    # And maturity assessments: two closed rounds and an open one, a trend, a plan, and a team
    # too small to be shown
    heatmap, trend, report, statuses = assessments
    assert statuses == ["closed", "closed", "open"]
    rows = {row["name"]: row for row in heatmap["rows"]}
    assert (rows[SMALL_TEAM]["withheld"], rows[SMALL_TEAM]["respondents"]) == (
        "below_threshold",
        None,
    )
    assert all(cell["mean"] is None for cell in rows[SMALL_TEAM]["cells"])
    assert rows["People & Operations"]["withheld"] == "could_be_inferred"
    assert (rows[PLAN_TEAM]["withheld"], rows[PLAN_TEAM]["respondents"]) == (None, 7)
    assert [point["name"] for point in trend["points"]] == [r[0] for r in ROUNDS[:2]]
    spring, autumn = (point["cells"][0]["mean"] for point in trend["points"])
    assert spring < autumn
    (plan,) = [p for p in report["plans"] if p["round_id"] == heatmap["round_id"]]
    assert [(i["kind"], i["text"]) for i in plan["items"]] == list(PLAN)
    assert report["recommendations"] is not None

    # And a weekly 1:1 between the viewer and a report: three meetings held, GROW written in
    # one, a private note of each, and what the second left open carried over twice to the
    # coming meeting
    assert await _count(feedback_db, Series) == 1
    assert await _count(feedback_db, PrivateNote) == len(PRIVATE_NOTES)
    async with feedback_db.sessionmaker() as session:
        meetings = (await session.exec(select(Meeting).order_by(col(Meeting.starts_at)))).all()
        point = (
            await session.exec(select(TalkingPoint).where(TalkingPoint.text == CARRIED_POINT))
        ).one()
        item = (await session.exec(select(ActionItem).where(ActionItem.text == CARRIED_ITEM))).one()
    assert [m.status for m in meetings] == ["completed"] * len(HELD) + ["scheduled"]
    assert all(m.starts_at < utcnow() for m in meetings[: len(HELD)])
    assert [bool(m.grow_goal) for m in meetings].count(True) == 1
    coming, agreed_in = meetings[-1].id, meetings[1].id
    assert (point.meeting_id, point.origin_meeting_id, point.done) == (coming, agreed_in, False)
    assert (item.meeting_id, item.origin_meeting_id, item.done) == (coming, agreed_in, False)
    await people_db.dispose()
    await goals_db.dispose()
    await feedback_db.dispose()
    await assessment_db.dispose()
