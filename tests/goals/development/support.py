"""What the development goals tests share: the body of a new goal, and the goals app beside
the real people service, whose skills catalogue it asks."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from kit.db import Database
from kit.settings import Environment, ServiceUrls
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from tests.support import AUTH, service_app


def new_goal(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Facilitate workshops with confidence",
        "description": "Run our discovery workshops without a co-facilitator.",
        "plan": [
            {"kind": "course", "title": "Facilitation basics"},
            {"kind": "mentoring", "title": "Monthly with Kai", "status": "in_progress"},
        ],
    }
    return values | overrides


def goals_beside_people(goals_db: Database, people_db: Database) -> FastAPI:
    """The goals app on `goals_db`, reaching the real people app on `people_db` in process (to
    check skills with its catalogue)."""
    settings = GoalsSettings(
        database_url=goals_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
        urls=ServiceUrls(people_url="http://people"),
    )
    people = httpx.ASGITransport(app=service_app("people", people_db))
    return create_goals(settings, goals_db, people_transport=people)
