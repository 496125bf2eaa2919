"""The development goals entries of the goals policy table: the person alone changes their
goals; their management chain and HR admins read private ones; nobody else does."""

from __future__ import annotations

import uuid

import pytest

from kit.auth import Actor, Role
from kit.policies import Relation
from services.goals.service import OBJECT_LEVEL_ACTIONS, POLICY

PERSON = Actor(role=Role.EMPLOYEE, subject="p", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"goals:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:assessment")


@pytest.mark.parametrize(
    ("relations", "reads", "changes"),
    [
        ({Relation.OWNER}, True, True),  # the person
        ({Relation.MANAGER, Relation.MANAGEMENT_CHAIN}, True, False),  # their manager
        ({Relation.MANAGEMENT_CHAIN}, True, False),  # a skip-level manager
        (set(), False, False),  # a peer, an outsider
    ],
)
def test_a_private_goal_is_read_up_the_chain_and_changed_by_its_person(
    relations: set[Relation], reads: bool, changes: bool
) -> None:
    assert POLICY.permits(PERSON, "development_goal.read_private", relations) is reads
    assert POLICY.permits(PERSON, "development_goal.update", relations) is changes
    assert POLICY.permits(PERSON, "development_goal.create", relations) is changes


def test_hr_admins_read_every_goal_and_change_none_of_others() -> None:
    assert POLICY.permits(HR_ADMIN, "development_goal.read_private") is True
    assert POLICY.permits(HR_ADMIN, "development_goal.update") is False


@pytest.mark.parametrize("actor", [READER, SERVICE])
def test_integrations_and_services_read_no_private_goal_and_create_none(actor: Actor) -> None:
    every = set(Relation)

    assert POLICY.permits(actor, "development_goal.read", every) is True  # shared ones only
    assert POLICY.permits(actor, "development_goal.read_private", every) is False
    assert POLICY.permits(actor, "development_goal.create", every) is False


def test_reading_a_private_goal_is_decided_with_the_goal_in_hand() -> None:
    assert "development_goal.read_private" in OBJECT_LEVEL_ACTIONS
