"""Authorization is declared and complete: everyone signed in reads the instruments, as do
integrations allowed to and our services; HR admins alone add, change, import and export them;
people signed in read the model's recommendations."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI

from kit.auth import Actor, Role
from kit.feed import KIT_POLICY
from services.assessment.rounds.service import POLICY as ROUNDS_POLICY
from services.assessment.service import POLICY
from tests.policies import declared_actions, routes_without_one_action

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"assessment:read"}))
UNSCOPED = Actor(role=Role.INTEGRATION, subject="tool", scopes=frozenset({"people:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:gateway")

WRITES = ["instrument.create", "instrument.update", "instrument.import", "instrument.export"]


def test_every_route_declares_exactly_one_policy_action(app: FastAPI) -> None:
    assert routes_without_one_action(app) == []


def test_every_declared_action_is_in_a_policy_table(app: FastAPI) -> None:
    declared = declared_actions(app)

    assert declared - set(POLICY.rules) - set(ROUNDS_POLICY.rules) - set(KIT_POLICY.rules) == set()
    used = set(POLICY.rules) | set(ROUNDS_POLICY.rules)
    assert used - declared == set(), "policy entries that no route uses"


def test_instruments_are_read_by_everyone_signed_in() -> None:
    allowed = [
        POLICY.permits(actor, "instrument.read") for actor in (EMPLOYEE, HR_ADMIN, READER, SERVICE)
    ]

    assert allowed == [True] * 4
    assert not POLICY.permits(UNSCOPED, "instrument.read")


@pytest.mark.parametrize("action", WRITES)
def test_instruments_are_changed_by_hr_admins_alone(action: str) -> None:
    refused = [POLICY.permits(actor, action) for actor in (EMPLOYEE, READER, UNSCOPED, SERVICE)]

    assert POLICY.permits(HR_ADMIN, action)
    assert refused == [False] * 4


def test_recommendations_are_read_by_people_signed_in() -> None:
    allowed = [
        POLICY.permits(actor, "recommendation.read")
        for actor in (EMPLOYEE, HR_ADMIN, READER, UNSCOPED, SERVICE)
    ]

    assert allowed == [True, True, False, False, False]
