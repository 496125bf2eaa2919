"""The demo's conversations in the feedback service: feedback requests open and answered, a
recognition feed tagged with the company's values, and a closed nomination period."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from services.demo.data import HR_ADMIN, VIEWER

Post = Callable[[str, Mapping[str, Any], Mapping[str, str]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Feedback:
    """Where the feedback service is and how the demo speaks to it."""

    client: httpx.AsyncClient
    base: str
    # POSTs, waiting while the service's org copy catches up with the directory.
    post: Post
    # Bearer headers of a demo person, by name.
    headers: Callable[[str], dict[str, str]]

    async def as_person(self, name: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self.post(f"{self.base}{path}", body, self.headers(name))

    async def send(
        self, method: str, name: str, path: str, extra: Mapping[str, str] | None = None
    ) -> httpx.Response:
        response = await self.client.request(
            method, f"{self.base}{path}", headers={**self.headers(name), **(extra or {})}
        )
        response.raise_for_status()
        return response


VALUES = {
    "Curiosity": "Ask one more question than feels comfortable.",
    "Candour": "Say what you see, kindly and early.",
    "Customers first": "Start from what the customer is trying to do.",
    "Learning in the open": "Share what did not work as readily as what did.",
}

# (requester, subject, asked, topic, answers by name: (visibility, words) or None to decline)
REQUESTS: tuple[
    tuple[str, str, tuple[str, ...], str, Mapping[str, tuple[str, str] | None]], ...
] = (
    (
        VIEWER,
        "Kenji Watanabe",
        ("Priya Raman", "Jonas Berg", "Daniel Novak"),
        "How Kenji facilitated the discovery interviews",
        {
            "Priya Raman": ("manager", "Kenji let customers finish their thoughts; we heard more."),
            "Daniel Novak": ("private", "The engineering follow-ups were clear and scoped."),
        },
    ),
    (
        "Mei Lin",
        "Mei Lin",
        (VIEWER, "Tariq Haddad"),
        "My first customer demo",
        {"Tariq Haddad": None},
    ),
    (
        "Chloe Dubois",
        "Chloe Dubois",
        (VIEWER,),
        "The onboarding checklist draft",
        {VIEWER: ("public", "Short and in the customer's words; cut step four.")},
    ),
)

# (giver, recipients, words, values, learning objective's key, reactions by name)
RECOGNITIONS: tuple[
    tuple[str, tuple[str, ...], str, tuple[str, ...], str | None, Mapping[str, str]], ...
] = (
    (
        "Aisha Bello",
        ("Lukas Schmidt", "Noah Kim"),
        "Rolled back the release within minutes and wrote the customers before they asked.",
        ("Customers first",),
        None,
        {"Daniel Novak": "applause", VIEWER: "heart"},
    ),
    (
        VIEWER,
        ("Priya Raman",),
        "Thirteen interviews in, Priya showed us setup stalls at inviting people, not at goals.",
        ("Curiosity", "Learning in the open"),
        "interviews",
        {"Kenji Watanabe": "insightful", "Jonas Berg": "applause", "Grace Mensah": "insightful"},
    ),
    (
        "Grace Mensah",
        ("Hana Sato",),
        "Called every customer whose first cycle was late; three are back on track.",
        ("Customers first",),
        None,
        {"Mateo Rossi": "celebrate"},
    ),
    (
        "Omar Farouk",
        (HR_ADMIN,),
        "Told us plainly the review template asked too much, and rewrote it in a day.",
        ("Candour",),
        None,
        {},
    ),
    (
        "Kenji Watanabe",
        ("Mei Lin", "Tariq Haddad"),
        "Asked the question nobody had: who sets goals before the first cycle?",
        ("Curiosity",),
        None,
        {VIEWER: "applause"},
    ),
)

# (nominator, nominee): Aisha named three times and Kenji twice are revealed; Sofia's lone
# nomination stays unseen.
LAST_MONTH = (
    ("Lukas Schmidt", "Aisha Bello"),
    ("Noah Kim", "Aisha Bello"),
    ("Fatima Zahra", "Aisha Bello"),
    ("Priya Raman", "Kenji Watanabe"),
    ("Jonas Berg", "Kenji Watanabe"),
    ("Mei Lin", VIEWER),
)
THIS_MONTH = (("Chloe Dubois", "Tariq Haddad"),)


def _months(today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """Last month and this month, first and last days."""
    this_start = today.replace(day=1)
    last_end = this_start - timedelta(days=1)
    next_start = (this_start + timedelta(days=32)).replace(day=1)
    return (last_end.replace(day=1), last_end), (this_start, next_start - timedelta(days=1))


async def load_values(feedback: Feedback) -> dict[str, str]:
    return {
        name: (
            await feedback.as_person(
                HR_ADMIN, "/v1/company-values", {"name": name, "description": description}
            )
        )["id"]
        for name, description in VALUES.items()
    }


async def load_requests(feedback: Feedback, people: Mapping[str, uuid.UUID], today: date) -> None:
    for requester, subject, asked, topic, answers in REQUESTS:
        request = await feedback.as_person(
            requester,
            "/v1/feedback-requests",
            {
                "subject_id": str(people[subject]),
                "asked_ids": [str(people[name]) for name in asked],
                "topic": topic,
                "due_on": (today + timedelta(days=7)).isoformat(),
            },
        )
        path = f"/v1/feedback-requests/{request['id']}"
        for name, answer in answers.items():
            if answer is None:
                await feedback.send("POST", name, f"{path}/decline")
                continue
            visibility, words = answer
            body = {"body": words, "kind": "praise", "visibility": visibility}
            await feedback.as_person(name, f"{path}/answers", body)


async def load_recognition(
    feedback: Feedback,
    people: Mapping[str, uuid.UUID],
    objectives: Mapping[str, str],
    values: Mapping[str, str],
) -> None:
    for giver, recipients, words, tags, learning, reactions in RECOGNITIONS:
        body: dict[str, Any] = {
            "recipient_ids": [str(people[name]) for name in recipients],
            "message": words,
            "value_ids": [values[tag] for tag in tags],
        }
        if learning is not None:
            body["learning"] = {"kind": "objective", "id": objectives[learning]}
        recognition = await feedback.as_person(giver, "/v1/recognitions", body)
        for name, kind in reactions.items():
            await feedback.send(
                "PUT", name, f"/v1/recognitions/{recognition['id']}/reactions/{kind}"
            )


async def load_nominations(
    feedback: Feedback, people: Mapping[str, uuid.UUID], today: date
) -> None:
    last, this = _months(today)
    for (starts_on, ends_on), nominations, closed in (
        (last, LAST_MONTH, True),
        (this, THIS_MONTH, False),
    ):
        period = await feedback.as_person(
            HR_ADMIN,
            "/v1/nomination-periods",
            {
                "name": starts_on.strftime("%B %Y"),
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
        path = f"/v1/nomination-periods/{period['id']}"
        for nominator, nominee in nominations:
            body = {
                "nominee_id": str(people[nominee]),
                "reason": f"{nominee.split()[0]} made time for me when it mattered.",
            }
            response = await feedback.client.put(
                f"{feedback.base}{path}/nomination", json=body, headers=feedback.headers(nominator)
            )
            response.raise_for_status()
        if closed:
            await feedback.send("POST", HR_ADMIN, f"{path}/close", {"If-Match": '"1"'})


async def load_conversations(
    feedback: Feedback,
    people: Mapping[str, uuid.UUID],
    objectives: Mapping[str, str],
    today: date,
) -> None:
    values = await load_values(feedback)
    await load_requests(feedback, people, today)
    await load_recognition(feedback, people, objectives, values)
    await load_nominations(feedback, people, today)
