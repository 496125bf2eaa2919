"""Authorization is declared and complete: HR admins and integrations with the webhooks scopes
manage subscriptions; people other than HR admins, and our services, do not."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI

from kit.auth import Actor, Role
from kit.feed import KIT_POLICY
from services.webhooks.service import POLICY
from tests.policies import declared_actions, routes_without_one_action

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
MANAGER = Actor(role=Role.INTEGRATION, subject="hris", scopes=frozenset({"webhooks:write"}))
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"webhooks:read"}))
UNSCOPED = Actor(role=Role.INTEGRATION, subject="tool", scopes=frozenset({"people:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:gateway")

WRITES = ["subscription.create", "subscription.update", "subscription.delete"]
READS = ["subscription.read", "message.read"]


def test_every_route_declares_exactly_one_policy_action(app: FastAPI) -> None:
    assert routes_without_one_action(app) == []


def test_every_declared_action_is_in_a_policy_table(app: FastAPI) -> None:
    declared = declared_actions(app)

    assert declared - set(POLICY.rules) - set(KIT_POLICY.rules) == set()
    assert set(POLICY.rules) - declared == set(), "policy entries that no route uses"


@pytest.mark.parametrize("action", WRITES)
def test_subscriptions_are_changed_by_hr_admins_and_managing_integrations(action: str) -> None:
    refused = [POLICY.permits(actor, action) for actor in (EMPLOYEE, READER, UNSCOPED, SERVICE)]

    assert [POLICY.permits(actor, action) for actor in (HR_ADMIN, MANAGER)] == [True, True]
    assert refused == [False] * 4


@pytest.mark.parametrize("action", READS)
def test_subscriptions_are_read_by_hr_admins_and_reading_integrations(action: str) -> None:
    refused = [POLICY.permits(actor, action) for actor in (EMPLOYEE, MANAGER, UNSCOPED, SERVICE)]

    assert [POLICY.permits(actor, action) for actor in (HR_ADMIN, READER)] == [True, True]
    assert refused == [False] * 4


def test_the_catalogue_is_read_by_everyone_signed_in() -> None:
    actors = (EMPLOYEE, HR_ADMIN, MANAGER, UNSCOPED, SERVICE)

    assert [POLICY.permits(actor, "event_type.read") for actor in actors] == [True] * 5
