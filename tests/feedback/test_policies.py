"""Authorization is declared, complete and private by default: an item is seen by its giver,
its recipient and, as chosen, the recipient's managers or everyone; HR admins get no key."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI

from kit.auth import Actor, Role
from kit.feed import KIT_POLICY
from kit.policies import Relation
from services.feedback.schemas import Visibility
from services.feedback.service import POLICY, read_action
from tests.policies import declared_actions, routes_without_one_action

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"feedback:read"}))
UNSCOPED = Actor(role=Role.INTEGRATION, subject="tool")
SERVICE = Actor(role=Role.SERVICE, subject="service:webhooks")

GIVER = {Relation.OWNER}
RECIPIENT = {Relation.PARTICIPANT}
MANAGER = {Relation.MANAGER, Relation.MANAGEMENT_CHAIN}
SKIP_LEVEL = {Relation.MANAGEMENT_CHAIN}
# Checked by the service with the item in hand, not named by routes.
PER_ITEM = {read_action(visibility) for visibility in Visibility}


def test_every_route_declares_exactly_one_policy_action(app: FastAPI) -> None:
    assert routes_without_one_action(app) == []


def test_every_declared_action_is_in_a_policy_table(app: FastAPI) -> None:
    declared = declared_actions(app)

    assert declared - set(POLICY.rules) - set(KIT_POLICY.rules) == set()
    assert set(POLICY.rules) - declared == PER_ITEM, "policy entries that nothing uses"


@pytest.mark.parametrize(
    ("visibility", "seen_by"),
    [
        (Visibility.PRIVATE, ["giver", "recipient"]),
        (Visibility.MANAGER, ["giver", "recipient", "manager", "skip-level"]),
        (
            Visibility.PUBLIC,
            ["giver", "recipient", "manager", "skip-level", "colleague", "hr", "reader", "service"],
        ),
    ],
)
def test_each_visibility_reaches_its_audience_only(
    visibility: Visibility, seen_by: list[str]
) -> None:
    callers: dict[str, tuple[Actor, set[Relation]]] = {
        "giver": (EMPLOYEE, GIVER),
        "recipient": (EMPLOYEE, RECIPIENT),
        "manager": (EMPLOYEE, MANAGER),
        "skip-level": (EMPLOYEE, SKIP_LEVEL),
        "colleague": (EMPLOYEE, set()),
        "hr": (HR_ADMIN, set()),
        "reader": (READER, set()),
        "unscoped": (UNSCOPED, set()),
        "service": (SERVICE, set()),
    }

    seen = [
        name
        for name, (actor, relations) in callers.items()
        if POLICY.permits(actor, read_action(visibility), relations)
    ]

    assert seen == seen_by


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.MANAGER])
def test_no_role_opens_feedback_that_is_not_public(visibility: Visibility) -> None:
    roles = {Relation.SIGNED_IN, Relation.HR_ADMIN, Relation.INTEGRATION, Relation.SERVICE}

    assert POLICY.rules[read_action(visibility)].allow & roles == set()


def test_people_give_feedback_and_only_the_two_narrow_it_and_reply() -> None:
    givers = [POLICY.permits(actor, "feedback.give") for actor in (EMPLOYEE, HR_ADMIN)]
    not_givers = [POLICY.permits(actor, "feedback.give") for actor in (READER, SERVICE)]
    narrowers = [
        POLICY.permits(EMPLOYEE, "feedback.narrow", relations)
        for relations in (GIVER, RECIPIENT, MANAGER, set())
    ]
    repliers = [
        POLICY.permits(EMPLOYEE, "feedback.reply", relations)
        for relations in (GIVER, RECIPIENT, MANAGER, set())
    ]

    assert givers == [True, True]
    assert not_givers == [False, False]
    assert narrowers == [True, True, False, False]
    assert repliers == [True, True, False, False]
    assert not POLICY.permits(HR_ADMIN, "feedback.narrow")
    assert not POLICY.permits(HR_ADMIN, "feedback.reply")
