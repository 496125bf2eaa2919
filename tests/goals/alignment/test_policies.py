"""The alignment graph's policy table: every route of it names one action of the table; reading
follows reading objectives, changing follows changing them."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from kit.auth import Actor, Role
from kit.policies import Relation, route_actions
from services.goals.alignment import routes
from services.goals.alignment.service import POLICY
from services.goals.service import POLICY as GOALS_POLICY

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"goals:read"}))
UNSCOPED = Actor(role=Role.INTEGRATION, subject="tool", scopes=frozenset({"people:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:feedback")

READS = sorted(action for action in POLICY.rules if action.endswith(".read"))
CHANGES = sorted(action for action in POLICY.rules if not action.endswith(".read"))


def test_every_alignment_route_names_one_action_of_the_alignment_table(app: FastAPI) -> None:
    paths = {
        route.path_format
        for router in routes.routers()
        for route in router.routes
        if isinstance(route, APIRoute)
    }
    ours = {
        route: actions
        for route, actions in route_actions(app).items()
        if route.split(" ", 1)[1] in paths
    }

    assert len(ours) == 18
    assert {route for route, actions in ours.items() if len(actions) != 1} == set()
    assert set().union(*ours.values()) == set(POLICY.rules)


@pytest.mark.parametrize("action", READS)
def test_the_graph_is_read_as_objectives_are(action: str) -> None:
    readers = [POLICY.permits(actor, action) for actor in (EMPLOYEE, HR_ADMIN, READER, SERVICE)]

    assert readers == [True] * 4
    assert POLICY.permits(UNSCOPED, action) is False
    assert POLICY.rules[action] == GOALS_POLICY.rules["objective.read"]


@pytest.mark.parametrize("action", CHANGES)
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
def test_the_graph_is_changed_by_those_who_may_change_the_objective(
    action: str, relation: Relation, allowed: bool
) -> None:
    assert POLICY.permits(EMPLOYEE, action, {relation}) is allowed
    assert POLICY.permits(HR_ADMIN, action) is True
    assert [POLICY.permits(actor, action, set(Relation)) for actor in (READER, SERVICE)] == [
        False,
        False,
    ]
    assert POLICY.rules[action] == GOALS_POLICY.rules["objective.update"]
