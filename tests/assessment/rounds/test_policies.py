"""Who may do what with rounds, reports and plans, before any relation to the round is known:
people and scoped integrations read, only people answer, HR admins and leads run rounds."""

from __future__ import annotations

import uuid

import pytest

from kit.auth import Actor, Role
from kit.policies import Relation
from services.assessment.rounds.service import POLICY

EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=uuid.uuid4())
HR_ADMIN = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
READER = Actor(role=Role.INTEGRATION, subject="bi", scopes=frozenset({"assessment:read"}))
UNSCOPED = Actor(role=Role.INTEGRATION, subject="tool", scopes=frozenset({"people:read"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:gateway")


def test_nobody_but_the_people_asked_answers_a_round() -> None:
    allowed = [POLICY.permits(actor, "response.answer") for actor in (HR_ADMIN, READER, SERVICE)]

    assert allowed == [False] * 3
    assert POLICY.permits(EMPLOYEE, "response.answer", {Relation.PARTICIPANT})


@pytest.mark.parametrize("action", ["round.update", "participation.read", "report.read"])
def test_a_round_is_run_by_hr_admins_its_sender_and_the_leads_of_its_team(action: str) -> None:
    assert POLICY.permits(HR_ADMIN, action)
    assert POLICY.permits(EMPLOYEE, action, {Relation.OWNER})
    assert POLICY.permits(EMPLOYEE, action, {Relation.TEAM_LEAD})
    assert not POLICY.permits(EMPLOYEE, action, {Relation.PARTICIPANT, Relation.MANAGER})


def test_integrations_read_reports_with_their_scope_and_change_nothing() -> None:
    writes = ["round.create", "round.update", "plan.create", "plan.update", "response.answer"]

    assert POLICY.permits(READER, "report.read")
    assert not POLICY.permits(UNSCOPED, "report.read")
    assert [POLICY.permits(READER, action) for action in writes] == [False] * len(writes)


def test_a_team_s_members_read_its_plan_but_do_not_change_it() -> None:
    member = {Relation.PARTICIPANT}

    assert POLICY.permits(EMPLOYEE, "plan.read", member)
    assert not POLICY.permits(EMPLOYEE, "plan.update", member)
    assert not POLICY.permits(EMPLOYEE, "report.read", member)
