"""The demo's 1:1s in the feedback service: a weekly series between the viewer and a report
with three meetings held, GROW written in the first, what the second left open carried over
twice (a talking point and an action item, now on the coming meeting's agenda), and a private
note of each of the two."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from services.demo.conversations import Feedback
from services.demo.data import VIEWER

REPORT = "Kenji Watanabe"
TITLE = "Sofia / Kenji weekly"
CARRIED_POINT = "Hiring plan for the research role"
CARRIED_ITEM = "Draft the interview guide for the research role"
GROW = {
    "goal": "Lead the next discovery round on my own",
    "reality": "I have run two interviews with Sofia beside me",
    "options": "Shadow Chloe's round; run the next one and debrief after",
    "will": [],
}
# Each meeting held: (talking points with whether they were checked off, GROW or None)
HELD: tuple[tuple[tuple[tuple[str, bool], ...], Mapping[str, Any] | None], ...] = (
    ((("Discovery interviews: what we learned", True),), GROW),
    ((("Onboarding feedback from the new hires", True), (CARRIED_POINT, False)), None),
    ((("Quarterly roadmap priorities", True),), None),
)
PRIVATE_NOTES = {
    VIEWER: "Kenji is ready for more ownership; raise the discovery lead at calibration.",
    REPORT: "Ask Sofia about the conference budget before the next 1:1.",
}


async def _write(
    feedback: Feedback,
    method: str,
    name: str,
    path: str,
    body: Mapping[str, Any],
    version: int | None = None,
) -> dict[str, Any]:
    headers = feedback.headers(name)
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    response = await feedback.client.request(
        method, f"{feedback.base}{path}", json=body, headers=headers
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


async def load_one_on_ones(
    feedback: Feedback, people: Mapping[str, uuid.UUID], now: datetime
) -> None:
    first = (now - timedelta(weeks=len(HELD))).replace(minute=0, second=0, microsecond=0)
    series = await feedback.as_person(
        VIEWER,
        "/v1/one-on-ones",
        {
            "with_id": str(people[REPORT]),
            "relationship": "manager",
            "title": TITLE,
            "cadence": "weekly",
            "weekday": first.strftime("%A").lower(),
            "at": first.strftime("%H:%M"),
            "time_zone": "UTC",
            "first_meeting_at": first.isoformat(),
        },
    )
    meetings = f"/v1/one-on-ones/{series['id']}/meetings"
    ids = [series["next_meeting"]["id"]]
    for week in range(1, len(HELD)):
        later = {"starts_at": (first + timedelta(weeks=week)).isoformat()}
        ids.append((await feedback.as_person(VIEWER, meetings, later))["id"])
    for meeting_id, (points, grow) in zip(ids, HELD, strict=True):
        await _hold(feedback, people, meeting_id, points, grow)


async def _hold(
    feedback: Feedback,
    people: Mapping[str, uuid.UUID],
    meeting_id: str,
    points: tuple[tuple[str, bool], ...],
    grow: Mapping[str, Any] | None,
) -> None:
    path = f"/v1/one-on-one-meetings/{meeting_id}"
    for text, checked in points:
        point = await feedback.as_person(REPORT, f"{path}/talking-points", {"text": text})
        if checked:
            await _write(
                feedback,
                "PATCH",
                VIEWER,
                f"{path}/talking-points/{point['id']}",
                {"done": True},
                point["version"],
            )
    if grow is not None:
        for name, note in PRIVATE_NOTES.items():
            await _write(feedback, "PUT", name, f"{path}/private-note", {"text": note})
        response = await feedback.send("GET", VIEWER, path)
        await _write(
            feedback, "PATCH", REPORT, path, {"grow": grow}, int(response.json()["version"])
        )
    if any(not checked for _, checked in points):
        body = {"text": CARRIED_ITEM, "owner_id": str(people[REPORT])}
        await feedback.as_person(VIEWER, f"{path}/action-items", body)
    await feedback.send("POST", VIEWER, f"{path}/complete")
