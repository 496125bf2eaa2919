"""The assessment REST API under `/v1`, composed of its sub-domains' routers."""

from __future__ import annotations

from fastapi import APIRouter

from services.assessment.instruments import routes as instruments
from services.assessment.rounds.routes import survey_routers


def routers() -> list[APIRouter]:
    return [*instruments.routers(), *survey_routers()]
