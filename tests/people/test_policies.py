"""Authorization is declared, complete and as the directory promises: everyone reads, HR admins
and integrations allowed to write change it."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from kit.auth import Actor, Role
from kit.feed import KIT_POLICY
from services.people.hris.service import POLICY as HRIS_POLICY
from services.people.service import POLICY
from tests.policies import declared_actions, routes_without_one_action

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=None)
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=None)
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"people:read"}))
WRITER = Actor(role=Role.INTEGRATION, subject="hris", scopes=frozenset({"people:write"}))
UNSCOPED = Actor(role=Role.INTEGRATION, subject="tool")
SERVICE = Actor(role=Role.SERVICE, subject="service:goals")

INTERNAL = {"directory.snapshot"}
READS = sorted(action for action in POLICY.rules if action.endswith(".read"))
WRITES = sorted(
    action for action in POLICY.rules if not action.endswith(".read") and action not in INTERNAL
)


def test_every_route_declares_exactly_one_policy_action(app: FastAPI) -> None:
    assert routes_without_one_action(app) == []


def test_every_declared_action_is_in_a_policy_table(app: FastAPI) -> None:
    declared = declared_actions(app)

    assert declared - set(POLICY.rules) - set(HRIS_POLICY.rules) - set(KIT_POLICY.rules) == set()
    assert set(HRIS_POLICY.rules) - declared == set()
    assert set(POLICY.rules) - declared == set(), "policy entries that no route uses"


@pytest.mark.parametrize("action", READS)
def test_the_directory_is_read_by_everyone_signed_in(action: str) -> None:
    allowed = [POLICY.permits(actor, action) for actor in (EMPLOYEE, HR_ADMIN, READER, SERVICE)]
    refused = [POLICY.permits(actor, action) for actor in (WRITER, UNSCOPED)]

    assert allowed == [True] * 4
    assert refused == [False] * 2


@pytest.mark.parametrize("action", WRITES)
def test_the_directory_is_changed_by_hr_admins_and_writing_integrations(action: str) -> None:
    allowed = [POLICY.permits(actor, action) for actor in (HR_ADMIN, WRITER)]
    refused = [POLICY.permits(actor, action) for actor in (EMPLOYEE, READER, UNSCOPED, SERVICE)]

    assert allowed == [True] * 2
    assert refused == [False] * 4


def test_only_our_services_take_the_whole_directory() -> None:
    allowed = [POLICY.permits(actor, "directory.snapshot") for actor in (SERVICE,)]
    refused = [
        POLICY.permits(actor, "directory.snapshot")
        for actor in (EMPLOYEE, HR_ADMIN, READER, WRITER, UNSCOPED)
    ]

    assert allowed == [True]
    assert refused == [False] * 5
