"""The demo's maturity assessments: two closed rounds of the built-in maturity instrument for
everyone (a trend: Product grows from spring to autumn), one open round the viewer is asked in,
Product's action plan from the autumn report, and in autumn a Customer Success too small to be
shown (four respondents: `below_threshold`; People & Operations is then withheld too, as
`could_be_inferred`, so that the department's figures less the others' cannot give it)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from kit.models import utcnow
from services.demo.data import HR_ADMIN, TEAMS, VIEWER

Post = Callable[[str, Mapping[str, Any], Mapping[str, str]], Awaitable[dict[str, Any]]]

# Per round: its name, days until it closes by itself, whether it is closed now, and per team
# the answer its members give (1-5 on every rating question) and how many of them answer.
ROUNDS: tuple[tuple[str, int, bool, Mapping[str, tuple[int, int]]], ...] = (
    (
        "Maturity, spring",
        1,
        True,
        {
            "Product": (2, 7),
            "Engineering": (3, 7),
            "Customer Success": (3, 6),
            "People & Operations": (3, 7),
        },
    ),
    (
        "Maturity, autumn",
        2,
        True,
        {
            "Product": (4, 7),
            "Engineering": (3, 7),
            "Customer Success": (2, 4),
            "People & Operations": (4, 5),
        },
    ),
    ("Maturity, winter", 14, False, {"Engineering": (4, 3)}),
)
SMALL_TEAM = "Customer Success"
# How often to look whether the service's org copy has the directory (every 0.3 s).
COPY_TRIES = 100
# The viewer of `inspire dev` leads it: their team's report shows the plan.
PLAN_TEAM = next(team.name for team in TEAMS if team.lead == VIEWER)
PLAN = (
    ("stop", "Approving every purchase above a hundred euros in the team meeting."),
    ("continue", "Demo days where anyone shows what they learnt."),
    ("start", "Deciding on the customer research agenda where the knowledge is: in the squads."),
)


@dataclass(frozen=True)
class Assessment:
    """Where the assessment service is and how the demo speaks to it."""

    client: httpx.AsyncClient
    base: str
    # POSTs, waiting while the service's org copy catches up with the directory.
    post: Post
    # Bearer headers of a demo person, by name.
    headers: Callable[[str], dict[str, str]]

    async def call(self, method: str, name: str, path: str, **kwargs: Any) -> Any:
        response = await self.client.request(
            method, f"{self.base}{path}", headers=self.headers(name), **kwargs
        )
        response.raise_for_status()
        return response.json()


async def _answer(demo: Assessment, round_id: str, name: str, value: int) -> None:
    questions = await demo.call("GET", name, f"/v1/rounds/{round_id}/questions")
    answers = [
        {"question_id": q["id"], "value": value}
        for q in questions["questions"]
        if q["kind"] == "rating"
    ]
    path = f"/v1/rounds/{round_id}/my-response"
    await demo.call("PUT", name, path, json={"answers": answers})
    await demo.call("POST", name, f"{path}/submit")


async def _when_everyone_is_copied(demo: Assessment) -> None:
    """The audience is copied when a round opens: wait until the service knows the last
    person the directory added (their team membership follows in the same feed)."""
    last = TEAMS[-1].members[-1]
    for _ in range(COPY_TRIES):
        response = await demo.client.get(f"{demo.base}/v1/rounds", headers=demo.headers(last))
        if response.status_code != 401:
            response.raise_for_status()
            return
        await asyncio.sleep(0.3)
    raise RuntimeError("The assessment service did not copy the directory in time.")


async def load_assessments(demo: Assessment, teams: Mapping[str, uuid.UUID]) -> dict[str, str]:
    """The rounds, answered and closed as `ROUNDS` says, and the plan; round ids by name."""
    instruments = await demo.call("GET", HR_ADMIN, "/v1/instruments", params={"key": "maturity"})
    everyone = sum(1 + len(team.members) for team in TEAMS) + 1  # and the CEO
    await _when_everyone_is_copied(demo)
    ids: dict[str, str] = {}
    for name, days, closed, answering in ROUNDS:
        body = {
            "instrument_id": instruments["items"][0]["id"],
            "name": name,
            "closes_at": (utcnow() + timedelta(days=days)).isoformat(),
        }
        created = await demo.post(f"{demo.base}/v1/rounds", body, demo.headers(HR_ADMIN))
        round_id = ids[name] = created["id"]
        await demo.call("POST", HR_ADMIN, f"/v1/rounds/{round_id}/open")
        asked = await demo.call("GET", HR_ADMIN, f"/v1/rounds/{round_id}/participation")
        if asked["invited"] < everyone:
            raise RuntimeError(f"{name} reached {asked['invited']} of {everyone} people.")
        for team in TEAMS:
            value, count = answering.get(team.name, (0, 0))
            for n, person in enumerate((team.lead, *team.members)[:count]):
                # A little spread: every other person one point higher, on the scale.
                await _answer(demo, round_id, person, min(5, value + n % 2))
        if closed:
            await demo.call("POST", HR_ADMIN, f"/v1/rounds/{round_id}/close")
    plan_team = next(team for team in TEAMS if team.name == PLAN_TEAM)
    await demo.post(
        f"{demo.base}/v1/plans",
        {
            "round_id": ids[ROUNDS[1][0]],
            "team_id": str(teams[PLAN_TEAM]),
            "items": [{"kind": kind, "text": text} for kind, text in PLAN],
        },
        demo.headers(plan_team.lead),
    )
    return ids
