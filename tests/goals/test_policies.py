"""Authorization is declared, complete and as the goals service promises: everyone signed in
reads public objectives, HR admins run cycles, and working on an objective takes a relation
to its owner."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI

from kit.auth import Actor, Role
from kit.feed import KIT_POLICY
from kit.policies import Relation
from services.goals.alignment.service import POLICY as ALIGNMENT_POLICY
from services.goals.service import OBJECT_LEVEL_ACTIONS, POLICY
from tests.policies import declared_actions, routes_without_one_action

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=None)
# An employee as the service sees them once it knows their relation to an objective's owner.
PERSON = Actor(role=Role.EMPLOYEE, subject="p", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=None)
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"goals:read"}))
UNSCOPED = Actor(role=Role.INTEGRATION, subject="tool", scopes=frozenset({"people:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:feedback")

READS = sorted(
    action
    for action in POLICY.rules
    if action.endswith(".read") or action in {"cycle.report", "objective.search"}
)
WORK = ["objective.update", "key_result.create", "check_in.create", "closing.submit"]


def test_every_route_declares_exactly_one_policy_action(app: FastAPI) -> None:
    assert routes_without_one_action(app) == []


def test_every_declared_action_is_in_a_policy_table(app: FastAPI) -> None:
    declared = declared_actions(app)

    tables = [POLICY, ALIGNMENT_POLICY, KIT_POLICY]
    assert declared - {action for table in tables for action in table.rules} == set()
    unused = set(POLICY.rules) - declared - OBJECT_LEVEL_ACTIONS
    assert unused == set(), "policy entries that no route uses"
    assert OBJECT_LEVEL_ACTIONS <= set(POLICY.rules)


@pytest.mark.parametrize("action", READS)
def test_goals_are_read_by_everyone_signed_in_and_readers(action: str) -> None:
    allowed = [POLICY.permits(actor, action) for actor in (EMPLOYEE, HR_ADMIN, READER, SERVICE)]

    assert allowed == [True] * 4
    assert POLICY.permits(UNSCOPED, action) is False


@pytest.mark.parametrize("action", ["cycle.create", "cycle.update"])
def test_only_hr_admins_run_cycles(action: str) -> None:
    refused = [POLICY.permits(actor, action) for actor in (EMPLOYEE, READER, UNSCOPED, SERVICE)]

    assert POLICY.permits(HR_ADMIN, action) is True
    assert refused == [False] * 4


def test_private_objectives_are_seen_through_a_relation_hr_or_our_services() -> None:
    by_role = [
        POLICY.permits(actor, "objective.read_private")
        for actor in (EMPLOYEE, HR_ADMIN, READER, UNSCOPED, SERVICE)
    ]

    by_relation = [
        POLICY.permits(PERSON, "objective.read_private", {relation})
        for relation in (
            Relation.OWNER,
            Relation.PARTICIPANT,
            Relation.TEAM_LEAD,
            Relation.MANAGEMENT_CHAIN,
            Relation.SIGNED_IN,
        )
    ]

    assert by_role == [False, True, False, False, True]
    assert by_relation == [True, True, True, True, False]


@pytest.mark.parametrize("action", WORK)
@pytest.mark.parametrize(
    ("relation", "allowed"),
    [
        (Relation.OWNER, True),
        (Relation.PARTICIPANT, True),
        (Relation.TEAM_LEAD, True),
        (Relation.MANAGEMENT_CHAIN, True),
        (Relation.MANAGER, False),  # a direct manager also holds MANAGEMENT_CHAIN
        (Relation.SIGNED_IN, False),
    ],
)
def test_work_on_an_objective_takes_a_relation_to_its_owner(
    action: str, relation: Relation, allowed: bool
) -> None:
    assert POLICY.permits(PERSON, action, {relation}) is allowed


@pytest.mark.parametrize("action", WORK)
def test_hr_admins_work_on_any_objective_integrations_and_services_on_none(action: str) -> None:
    every_relation = set(Relation)

    assert POLICY.permits(HR_ADMIN, action) is True
    assert [
        POLICY.permits(actor, action, every_relation) for actor in (READER, UNSCOPED, SERVICE)
    ] == [False] * 3


@pytest.mark.parametrize(
    ("relation", "allowed"),
    [
        (Relation.OWNER, True),
        (Relation.PARTICIPANT, True),
        (Relation.TEAM_LEAD, True),
        (Relation.MANAGER, True),
        (Relation.MANAGEMENT_CHAIN, False),  # a skip-level manager does not set your goals
        (Relation.SIGNED_IN, False),
    ],
)
def test_objectives_are_set_for_yourself_your_team_or_your_reports(
    relation: Relation, allowed: bool
) -> None:
    assert POLICY.permits(PERSON, "objective.create", {relation}) is allowed
    assert POLICY.permits(HR_ADMIN, "objective.create") is True
    assert POLICY.permits(SERVICE, "objective.create", set(Relation)) is False


@pytest.mark.parametrize(
    ("relation", "allowed"),
    [
        (Relation.OWNER, True),
        (Relation.PARTICIPANT, True),  # a member of the team; which side, the service decides
        (Relation.MANAGER, True),
        (Relation.TEAM_LEAD, True),
        (Relation.MANAGEMENT_CHAIN, False),  # a skip-level manager does not co-sign
        (Relation.SIGNED_IN, False),
    ],
)
def test_objectives_are_signed_by_the_owner_side_and_the_manager_side(
    relation: Relation, allowed: bool
) -> None:
    assert POLICY.permits(PERSON, "objective.sign", {relation}) is allowed
    assert POLICY.permits(HR_ADMIN, "objective.sign") is True
    assert [
        POLICY.permits(actor, "objective.sign", set(Relation)) for actor in (READER, SERVICE)
    ] == [False, False]


def test_people_comment_on_what_they_read_integrations_and_services_do_not() -> None:
    assert [
        POLICY.permits(actor, "objective.comment")
        for actor in (EMPLOYEE, HR_ADMIN, READER, UNSCOPED, SERVICE)
    ] == [True, True, False, False, False]
