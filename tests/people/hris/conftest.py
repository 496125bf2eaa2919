"""The people service with three HRIS integrations configured (generic, unified API,
BambooHR), and how tests sign what those senders send."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from kit.db import Database
from services.people.hris.settings import HrisSettings
from tests.people.hris.support import HRIS
from tests.support import service_app


@pytest.fixture
def hris_settings() -> HrisSettings:
    return HRIS


@pytest.fixture
def app(service_db: Database, hris_settings: HrisSettings) -> FastAPI:
    return service_app("people", service_db, hris=hris_settings)
