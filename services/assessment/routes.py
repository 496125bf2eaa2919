"""The assessment REST API under `/v1`, composed of its sub-domains' routers."""

from __future__ import annotations

from fastapi import APIRouter

from services.assessment.instruments import routes as instruments


def routers() -> list[APIRouter]:
    return [*instruments.routers()]
