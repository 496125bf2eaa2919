"""The demo's ideas and growth in the goals service: three ideas reviewed by peers (one of
them allocated time), and the viewer's development goal with a learning plan and the skills
it builds (added to the directory's catalogue first: the goals service takes no other)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from services.demo.conversations import Post
from services.demo.data import HR_ADMIN, VIEWER

# Bearer headers of a demo person, by name.
Headers = Callable[[str], dict[str, str]]


@dataclass(frozen=True)
class DemoIdea:
    proposer: str
    headline: str
    problem: str
    proposal: str
    expected_impact: str
    resources: Mapping[str, Any]
    # (reviewer, impact, evidence, feasibility, comment)
    reviews: tuple[tuple[str, int, int, int, str], ...]
    allocated: bool = False


IDEAS = (
    DemoIdea(
        "Priya Raman",
        "Customer interviews in every sprint",
        "We ship features on guesses; the last two went unused.",
        "Two short interviews a sprint, notes shared with the whole team.",
        "Fewer features nobody uses; product and engineering hear customers first-hand.",
        {"time_person_days": 12},
        (
            ("Aisha Bello", 5, 4, 4, "We would have caught the export mistake early."),
            ("Mateo Rossi", 4, 4, 5, "Customer Success can line up the people to talk to."),
            ("Kenji Watanabe", 4, 3, 4, "Worth trying for a quarter, then look again."),
        ),
        allocated=True,
    ),
    DemoIdea(
        "Lukas Schmidt",
        "A shared test data set",
        "Each team builds its own fixtures and they drift apart.",
        "One generated data set, versioned with the schema.",
        "Fewer broken releases; about a day a month saved per team.",
        {"time_person_days": 15, "budget_amount": "1200.00", "budget_currency": "EUR"},
        (
            ("Noah Kim", 4, 3, 3, "Real pain, but the generator is harder than it looks."),
            ("Mei Lin", 3, 2, 4, "Show us how often fixtures broke last quarter."),
            ("Hana Sato", 4, 3, 3, "Support would use it to reproduce issues."),
        ),
    ),
    DemoIdea(
        "Nora Lindqvist",
        "Office hours with the data team",
        "Questions about numbers wait days in a queue.",
        "An open hour twice a week where anyone can bring a question.",
        "Faster answers; fewer one-off dashboards.",
        {"time_person_days": 6},
        (("Julia Nowak", 3, 2, 5, "Easy to try; let us measure the queue before and after."),),
    ),
)

DEVELOPMENT_GOAL = {
    "title": "Coach my team through hard conversations",
    "description": "Give and ask for candid feedback without it feeling like an appraisal.",
    "plan": [
        {
            "kind": "course",
            "title": "Feedback conversations workshop",
            "status": "done",
            "evidence": "Completed the two-day workshop; notes in the team wiki.",
        },
        {"kind": "mentoring", "title": "Monthly sessions with Amara", "status": "in_progress"},
        {"kind": "reading", "title": "A book on candid feedback"},
        {"kind": "stretch_assignment", "title": "Facilitate the quarter's retrospective"},
    ],
}


# (name, category) of the skills the viewer's development goal builds.
SKILLS = (("Coaching", "Leadership"), ("Giving feedback", "Leadership"))


async def load_growth(
    post: Post, headers: Headers, base: str, people_base: str | None = None
) -> None:
    """`post` sends a body as a person (waiting while the org copy catches up); with
    `people_base`, the development goal names skills the HR admin adds to the catalogue."""

    async def as_person(name: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await post(f"{base}{path}", body, headers(name))

    for idea in IDEAS:
        body = {
            "headline": idea.headline,
            "problem": idea.problem,
            "proposal": idea.proposal,
            "expected_impact": idea.expected_impact,
            "resources": idea.resources,
        }
        made = await as_person(idea.proposer, "/v1/ideas", body)
        for reviewer, impact, evidence, feasibility, comment in idea.reviews:
            review = {
                "impact": impact,
                "evidence": evidence,
                "feasibility": feasibility,
                "comment": comment,
            }
            await as_person(reviewer, f"/v1/ideas/{made['id']}/reviews", review)
        if idea.allocated:
            allocation = {
                "granted": {"time_person_days": 10},
                "note": "Start with Product and Engineering; review at the quarter's end.",
            }
            await as_person(HR_ADMIN, f"/v1/ideas/{made['id']}/allocation", allocation)
    skill_ids: list[str] = []
    if people_base is not None:
        for name, category in SKILLS:
            skill = {"name": name, "category": category}
            made = await post(f"{people_base}/v1/skills", skill, headers(HR_ADMIN))
            skill_ids.append(made["id"])
    await as_person(VIEWER, "/v1/development-goals", DEVELOPMENT_GOAL | {"skill_ids": skill_ids})
