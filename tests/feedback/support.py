"""What the feedback tests share beside fixtures and factories: the callers of the scene and
which of them each visibility reaches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from kit.db import Database
from kit.models import utcnow
from kit.settings import Environment, ServiceUrls
from services.feedback.app import create_app as create_feedback
from services.feedback.config import FeedbackSettings
from services.feedback.schemas import Visibility
from tests.support import AUTH, service_app

# Nothing listens there.
NOWHERE = "http://127.0.0.1:9"

CALLERS = [
    "giver",
    "recipient",
    "manager",
    "skip_level",
    "peer",
    "giver_manager",
    "hr_admin",
    "integration",
    "service",
]
AUDIENCE = {
    Visibility.PRIVATE: {"giver", "recipient"},
    Visibility.MANAGER: {"giver", "recipient", "manager", "skip_level"},
    Visibility.PUBLIC: set(CALLERS),
}


def without_instance(problem: dict[str, Any]) -> dict[str, Any]:
    """A problem without `instance` (the path asked), to compare two answers' bodies."""
    return {key: value for key, value in problem.items() if key != "instance"}


def feedback_beside_goals(feedback_db: Database, goals_db: Database) -> FastAPI:
    """The feedback app on `feedback_db`, reaching the real goals app on `goals_db` in process
    (to check links to objectives and key results)."""
    settings = FeedbackSettings(
        database_url=feedback_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
        urls=ServiceUrls(goals_url="http://goals"),
    )
    goals = httpx.ASGITransport(app=service_app("goals", goals_db))
    return create_feedback(settings, feedback_db, goals_transport=goals)


def due_in(days: int) -> str:
    """A due date `days` after today (UTC, as the scene's people keep time), as JSON sends it."""
    return (utcnow().date() + timedelta(days=days)).isoformat()
