"""The policy entries of help requests and experiments: reading follows reading objectives,
working on them follows working on the objective, and offering help is for people."""

from __future__ import annotations

import uuid

import pytest

from kit.auth import Actor, Role
from kit.policies import Relation
from services.goals.service import POLICY

PERSON = Actor(role=Role.EMPLOYEE, subject="p", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"goals:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:feedback")

WORK = [
    "help_request.open",
    "help_request.update",
    "help_request.resolve",
    "experiment.create",
    "experiment.update",
]
READS = ["help_request.read", "experiment.read", "learning.search"]


@pytest.mark.parametrize("action", WORK)
@pytest.mark.parametrize(
    ("relation", "allowed"),
    [
        (Relation.OWNER, True),
        (Relation.PARTICIPANT, True),
        (Relation.TEAM_LEAD, True),
        (Relation.MANAGEMENT_CHAIN, True),
        (Relation.SIGNED_IN, False),
    ],
)
def test_working_on_help_and_experiments_takes_a_relation_to_the_objective(
    action: str, relation: Relation, allowed: bool
) -> None:
    assert POLICY.permits(PERSON, action, {relation}) is allowed
    assert POLICY.permits(HR_ADMIN, action) is True
    assert POLICY.permits(READER, action, set(Relation)) is False


@pytest.mark.parametrize("action", READS)
def test_help_and_learnings_are_read_as_objectives_are(action: str) -> None:
    assert [POLICY.permits(actor, action) for actor in (PERSON, HR_ADMIN, READER, SERVICE)] == [
        True
    ] * 4


def test_help_is_offered_by_people_only() -> None:
    assert [
        POLICY.permits(actor, "help_request.offer") for actor in (PERSON, HR_ADMIN, READER, SERVICE)
    ] == [True, True, False, False]
