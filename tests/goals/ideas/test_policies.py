"""The ideas entries of the goals policy table: anyone signed in proposes and reviews; HR
admins decide; integrations read; nobody's position grants anything."""

from __future__ import annotations

import uuid

import pytest

from kit.auth import Actor, Role
from kit.policies import Relation
from services.goals.service import POLICY

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"goals:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:feedback")
ACTORS = (EMPLOYEE, HR_ADMIN, READER, SERVICE)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("idea.read", [True, True, True, True]),
        ("idea.propose", [True, True, False, False]),
        ("idea.review", [True, True, False, False]),
        ("idea.allocate", [False, True, False, False]),
        ("idea.decline", [False, True, False, False]),
    ],
)
def test_who_does_what_with_ideas(action: str, allowed: list[bool]) -> None:
    assert [POLICY.permits(actor, action) for actor in ACTORS] == allowed


@pytest.mark.parametrize(
    "relation",
    [Relation.MANAGER, Relation.MANAGEMENT_CHAIN, Relation.TEAM_LEAD, Relation.PARTICIPANT],
)
def test_a_managers_position_allocates_nothing(relation: Relation) -> None:
    assert POLICY.permits(EMPLOYEE, "idea.allocate", {relation}) is False
    assert POLICY.permits(EMPLOYEE, "idea.withdraw", {relation}) is False


def test_the_proposer_withdraws() -> None:
    assert POLICY.permits(EMPLOYEE, "idea.withdraw", {Relation.OWNER}) is True
