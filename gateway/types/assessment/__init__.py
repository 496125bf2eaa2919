"""Assessments in the graph: the instrument bank, the open rounds a person is asked in and
answering them, maturity reports as the anonymity rules release them (`Team.maturity`,
`organisationMaturity`), recommendations and action plans. One module per area, the
mutations beside them in `mutations/`; this module composes their root fields."""

from __future__ import annotations

import strawberry

from gateway.types.assessment import instruments as bank
from gateway.types.assessment import reports
from gateway.types.assessment.mutations import plans as planning
from gateway.types.assessment.mutations import rounds as answering
from gateway.types.common import NodeResolver

NODES: dict[str, NodeResolver] = {"Instrument": bank.load_instrument}


@strawberry.type
class AssessmentQuery:
    instrument = bank.instrument
    instruments = bank.instruments
    recommendations = bank.recommendations
    organisation_maturity = reports.organisation_maturity


@strawberry.type
class AssessmentMutation:
    answer_round = answering.answer_round
    adopt_action_plan = planning.adopt_action_plan
    add_action_plan_item = planning.add_action_plan_item
    update_action_plan_item = planning.update_action_plan_item


__all__ = ["NODES", "AssessmentMutation", "AssessmentQuery"]
