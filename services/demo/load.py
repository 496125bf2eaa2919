"""Loads the demo organisation into a running stack, once: people and teams into the
directory, then (when the goals service's org copy has them) a cycle with OKRs and check-ins,
and (when the feedback service's has them) feedback of each kind with its thread, feedback
requests, recognition and nominations; then maturity assessments (`services.demo.assessment`)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from kit.auth import ROLE_CLAIM, mint_token
from kit.models import utcnow
from kit.settings import AuthSettings, ServiceUrls
from services.demo.assessment import Assessment, load_assessments
from services.demo.conversations import Feedback, load_conversations
from services.demo.data import (
    CEO,
    FEEDBACK,
    HR_ADMIN,
    OBJECTIVES,
    TEAMS,
    VIEWER,
    DemoObjective,
    current_quarter,
    email,
)
from services.demo.growth import load_growth
from services.demo.learning import Goals, load_learning
from services.demo.one_on_ones import load_one_on_ones

logger = logging.getLogger("inspire.demo")

# How long the goals service may take to copy the new directory before we give up.
ORG_COPY_PATIENCE_SECONDS = 30.0


class DemoLoadError(RuntimeError):
    """A service refused part of the demo organisation."""


def _bearer(auth: AuthSettings, claims: Mapping[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(auth, claims=claims, ttl_seconds=600)}"}


def person_headers(auth: AuthSettings, name: str) -> dict[str, str]:
    return _bearer(auth, {"sub": email(name), "email": email(name)})


async def _post(
    client: httpx.AsyncClient, url: str, body: Mapping[str, Any], headers: Mapping[str, str]
) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=dict(headers))
    if response.status_code >= 400:
        raise DemoLoadError(f"POST {url} answered {response.status_code}: {response.text}")
    result: dict[str, Any] = response.json()
    return result


async def _load_directory(
    client: httpx.AsyncClient, auth: AuthSettings, base: str
) -> tuple[dict[str, uuid.UUID], dict[str, uuid.UUID]]:
    hris = _bearer(auth, {"sub": "demo-hris", ROLE_CLAIM: "integration", "scope": "people:write"})
    people: dict[str, uuid.UUID] = {}

    async def add(name: str, title: str, manager: str | None, time_zone: str, **extra: str) -> None:
        body = {
            "email": email(name),
            "name": name,
            "title": title,
            "manager_id": str(people[manager]) if manager else None,
            "time_zone": time_zone,
            "locale": "en-GB",
            **extra,
        }
        people[name] = uuid.UUID((await _post(client, f"{base}/v1/people", body, hris))["id"])

    await add(CEO, "Chief Executive", None, "Europe/London")
    company = await _post(
        client,
        f"{base}/v1/teams",
        {"name": "Company", "kind": "department", "lead_id": str(people[CEO])},
        hris,
    )
    teams: dict[str, uuid.UUID] = {}
    for team in TEAMS:
        await add(team.lead, f"Head of {team.name}", CEO, team.time_zone)
        for member in team.members:
            access = {"access_role": "hr_admin"} if member == HR_ADMIN else {}
            await add(member, team.name, team.lead, team.time_zone, **access)
        created = await _post(
            client,
            f"{base}/v1/teams",
            {"name": team.name, "parent_id": company["id"], "lead_id": str(people[team.lead])},
            hris,
        )
        teams[team.name] = uuid.UUID(created["id"])
        for name in (team.lead, *team.members):
            await _post(
                client,
                f"{base}/v1/teams/{created['id']}/members",
                {"person_id": str(people[name])},
                hris,
            )
    return people, teams


async def _when_copied(
    client: httpx.AsyncClient, url: str, body: Mapping[str, Any], headers: Mapping[str, str]
) -> dict[str, Any]:
    """POST, retrying while the service's org copy has not caught up with the directory."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ORG_COPY_PATIENCE_SECONDS
    while True:
        response = await client.post(url, json=body, headers=dict(headers))
        if response.status_code < 400:
            result: dict[str, Any] = response.json()
            return result
        if response.status_code not in (401, 404, 422) or loop.time() > deadline:
            raise DemoLoadError(f"POST {url} answered {response.status_code}: {response.text}")
        await asyncio.sleep(0.3)


def _owner(
    objective: DemoObjective, people: Mapping[str, uuid.UUID], teams: Mapping[str, uuid.UUID]
) -> dict[str, str]:
    if objective.owner_person:
        return {"owner_kind": "person", "owner_person_id": str(people[objective.owner_person])}
    if objective.owner_team:
        return {"owner_kind": "team", "owner_team_id": str(teams[objective.owner_team])}
    return {"owner_kind": "company"}


def _author(objective: DemoObjective) -> str:
    """Who checks in: the owner, a team's lead, or for the company an HR admin."""
    if objective.owner_person:
        return objective.owner_person
    if objective.owner_team:
        return next(t.lead for t in TEAMS if t.name == objective.owner_team)
    return HR_ADMIN


def _spread(since: date, count: int) -> list[datetime]:
    """`count` moments evenly between the cycle's start and now, oldest first: check-ins
    over the weeks so far."""
    start = datetime.combine(since, time(), tzinfo=UTC)
    span = max(utcnow() - start, timedelta(0))
    return [start + span * (n + 1) / (count + 1) for n in range(count)]


async def _load_objective(
    client: httpx.AsyncClient,
    auth: AuthSettings,
    base: str,
    cycle_id: str,
    cycle_start: date,
    objective: DemoObjective,
    people: Mapping[str, uuid.UUID],
    teams: Mapping[str, uuid.UUID],
) -> str:
    hr = person_headers(auth, HR_ADMIN)
    created = await _when_copied(
        client,
        f"{base}/v1/objectives",
        {
            "cycle_id": cycle_id,
            "title": objective.title,
            "description": objective.description,
            "visibility": "private" if objective.private else "public",
            "kind": objective.kind,
            **_owner(objective, people, teams),
        },
        hr,
    )
    author = person_headers(auth, _author(objective))
    for key_result in objective.key_results:
        kr = await _post(
            client,
            f"{base}/v1/objectives/{created['id']}/key-results",
            {
                "title": key_result.title,
                "start": key_result.start,
                "target": key_result.target,
                "unit": key_result.unit,
            },
            hr,
        )
        moments = _spread(cycle_start, len(key_result.check_ins))
        for (value, confidence, note), as_of in zip(key_result.check_ins, moments, strict=True):
            await _post(
                client,
                f"{base}/v1/key-results/{kr['id']}/check-ins",
                {
                    "value": value,
                    "confidence": confidence,
                    "note": note or None,
                    "as_of": as_of.isoformat(),
                },
                author,
            )
    return str(created["id"])


async def _connect(
    client: httpx.AsyncClient,
    auth: AuthSettings,
    base: str,
    objective: DemoObjective,
    ids: Mapping[str, str],
) -> None:
    """Alignment, dependencies, roll-up and agreement, once every objective exists."""
    hr = person_headers(auth, HR_ADMIN)
    url = f"{base}/v1/objectives/{ids[objective.key]}"
    if objective.aligned_to:
        body = {"parent_objective_id": ids[objective.aligned_to]}
        await _post(client, f"{url}/alignments", body, hr)
    for on, note in objective.depends_on:
        await _post(client, f"{url}/dependencies", {"on_objective_id": ids[on], "note": note}, hr)
    if objective.roll_up:
        response = await client.put(f"{url}/roll-up", headers=hr)
        if response.status_code >= 400:
            raise DemoLoadError(f"PUT {url}/roll-up answered {response.status_code}")
    if objective.agreed and objective.owner_person:
        etag = (await client.get(url, headers=hr)).headers["etag"]
        response = await client.patch(
            url, json={"status": "proposed"}, headers={**hr, "If-Match": etag}
        )
        if response.status_code >= 400:
            raise DemoLoadError(f"PATCH {url} answered {response.status_code}: {response.text}")
        manager = next(t.lead for t in TEAMS if objective.owner_person in t.members)
        for signer in (objective.owner_person, manager):
            await _post(client, f"{url}/signatures", {}, person_headers(auth, signer))


async def _load_feedback(
    client: httpx.AsyncClient,
    auth: AuthSettings,
    base: str,
    people: Mapping[str, uuid.UUID],
    objectives: Mapping[str, str],
) -> None:
    """Feedback of each kind, each answered by its recipient and the thread going on."""
    for item in FEEDBACK:
        body = {
            "recipient_id": str(people[item.recipient]),
            "kind": item.kind,
            "visibility": item.visibility,
            "topic": item.topic,
            "body": item.body,
        }
        if item.about is not None:
            body["objective_id"] = objectives[item.about]
        given = await _when_copied(
            client, f"{base}/v1/feedback", body, person_headers(auth, item.giver)
        )
        for author, words in item.replies:
            await _post(
                client,
                f"{base}/v1/feedback/{given['id']}/replies",
                {"body": words},
                person_headers(auth, author),
            )


async def load_demo(
    urls: ServiceUrls, auth: AuthSettings, client: httpx.AsyncClient | None = None
) -> str:
    """Load the demo organisation unless it is there already; the email of the person to sign
    in as."""
    async with contextlib.AsyncExitStack() as stack:
        if client is None:
            client = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
        reader = _bearer(
            auth, {"sub": "demo-hris", ROLE_CLAIM: "integration", "scope": "people:read"}
        )
        # The demo's own people mark it as loaded; anyone else in the directory does not.
        existing = await client.get(
            f"{urls.people_url}/v1/people", params={"q": email(VIEWER)}, headers=reader
        )
        existing.raise_for_status()
        if any(person["email"] == email(VIEWER) for person in existing.json()["items"]):
            return email(VIEWER)
        people, teams = await _load_directory(client, auth, urls.people_url)
        name, starts_on, ends_on = current_quarter(utcnow().date())
        cycle = await _when_copied(
            client,
            f"{urls.goals_url}/v1/cycles",
            {
                "name": name,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "status": "active",
            },
            person_headers(auth, HR_ADMIN),
        )
        ids = {
            objective.key: await _load_objective(
                client, auth, urls.goals_url, cycle["id"], starts_on, objective, people, teams
            )
            for objective in OBJECTIVES
        }
        for objective in OBJECTIVES:
            await _connect(client, auth, urls.goals_url, objective, ids)
        headers = functools.partial(person_headers, auth)
        await load_learning(
            Goals(client, urls.goals_url, functools.partial(_post, client), headers), ids
        )
        await _load_feedback(client, auth, urls.feedback_url, people, ids)
        feedback = Feedback(
            client,
            urls.feedback_url,
            functools.partial(_when_copied, client),
            functools.partial(person_headers, auth),
        )
        await load_conversations(feedback, people, ids, utcnow().date())
        growth = functools.partial(_when_copied, client), functools.partial(person_headers, auth)
        await load_growth(*growth, urls.goals_url, urls.people_url)
        await load_assessments(
            Assessment(client, urls.assessment_url, feedback.post, feedback.headers), teams
        )
        await load_one_on_ones(feedback, people, utcnow())
    logger.info("demo organisation loaded", extra={"people": len(people), "teams": len(teams)})
    return email(VIEWER)
