"""The demo's learning in goals: Priya asks for help on her interviews (her manager Sofia is
asked) and Aisha offers some; Product records two experiments on onboarding, one of them
invalidated with the learning the team most needed. (The Customer Success objective's
low check-in asks for help by itself.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from services.demo.data import VIEWER

Post = Callable[[str, Mapping[str, Any], Mapping[str, str]], Awaitable[dict[str, Any]]]

# (objective key, key result title, who asks, what is blocked, what help is wanted,
#  (who offers, what))
HELP = (
    (
        "interviews",
        "Onboarding interviews held",
        "Priya Raman",
        "No access to the sign-up funnel data, so I cannot pick whom to interview",
        "Someone who can grant read access to the onboarding funnel",
        ("Aisha Bello", "I can set up a read-only view of the funnel this week."),
    ),
)

# (objective key, key result title, who records, hypothesis, tried, result, learning, outcome)
EXPERIMENTS = (
    (
        "product",
        "Setup finished without support",
        VIEWER,
        "A checklist email on day one raises self-serve setup",
        "Sent the checklist to half of the new admins for three weeks",
        "No difference: 51% finished with the email, 52% without",
        "Admins do not read onboarding email in their first week; they finish setup when a "
        "colleague invites them into a first 1:1. Put the invitation in the product, not the "
        "inbox.",
        "invalidated",
    ),
    (
        "product",
        "Setup finished without support",
        VIEWER,
        "A guided wizard inside the product raises self-serve setup",
        "A five-step wizard in beta for 40 new accounts",
        "61% finished without support, against 48% before",
        "Guidance inside the product beats documentation; keep it under five steps.",
        "validated",
    ),
)


@dataclass(frozen=True)
class Goals:
    """Where the goals service is and how the demo speaks to it."""

    client: httpx.AsyncClient
    base: str
    post: Post
    # Bearer headers of a demo person, by name.
    headers: Callable[[str], dict[str, str]]

    async def key_result(self, objective_id: str, title: str, as_: str) -> str:
        response = await self.client.get(
            f"{self.base}/v1/objectives/{objective_id}/key-results", headers=self.headers(as_)
        )
        response.raise_for_status()
        return str(next(kr["id"] for kr in response.json()["items"] if kr["title"] == title))


async def load_learning(goals: Goals, objectives: Mapping[str, str]) -> None:
    """An open help request with an offer, and two experiments with their learnings."""
    for key, title, asker, blocked, wanted, (helper, offer) in HELP:
        key_result = await goals.key_result(objectives[key], title, asker)
        asked = await goals.post(
            f"{goals.base}/v1/help-requests",
            {"key_result_id": key_result, "blocked": blocked, "help_wanted": wanted},
            goals.headers(asker),
        )
        await goals.post(
            f"{goals.base}/v1/help-requests/{asked['id']}/offers",
            {"message": offer},
            goals.headers(helper),
        )
    for key, title, author, hypothesis, tried, result, learning, outcome in EXPERIMENTS:
        key_result = await goals.key_result(objectives[key], title, author)
        await goals.post(
            f"{goals.base}/v1/key-results/{key_result}/experiments",
            {
                "hypothesis": hypothesis,
                "tried": tried,
                "result": result,
                "learning": learning,
                "outcome": outcome,
            },
            goals.headers(author),
        )
