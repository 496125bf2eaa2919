"""OKRs in the graph: cycles, objectives, key results and check-ins; the objectives of people
and teams; setting an objective and checking in. Nothing here sorts or ranks people by
progress or confidence (the OKR firewall). One module per area, the mutations beside them in
`mutations/`; this module composes their root fields, as `gateway.schema` composes the
services'."""

from __future__ import annotations

import strawberry

from gateway.types.common import NodeResolver
from gateway.types.goals import (
    cycles,
    development,
    experiments,
    ideas,
    key_results,
    objectives,
    search,
)
from gateway.types.goals.mutations import alignment as aligning
from gateway.types.goals.mutations import cycles as cycle_changes
from gateway.types.goals.mutations import dependencies as depending
from gateway.types.goals.mutations import development as growing
from gateway.types.goals.mutations import experiments as experimenting
from gateway.types.goals.mutations import help as helping
from gateway.types.goals.mutations import ideas as ideating
from gateway.types.goals.mutations import key_results as measuring
from gateway.types.goals.mutations import objectives as setting

NODES: dict[str, NodeResolver] = {
    "Cycle": cycles.load_cycle,
    "Objective": objectives.load_objective,
    "KeyResult": key_results.load_key_result,
    "Idea": ideas.load_idea,
    "DevelopmentGoal": development.load_development_goal,
}


@strawberry.type
class GoalsQuery:
    objective = objectives.objective
    cycles = cycles.cycles
    search_objectives = search.search_objectives
    learnings = experiments.learnings
    ideas = ideas.ideas


@strawberry.type
class GoalsMutation:
    # In the order the schema has always listed them.
    create_objective = setting.create_objective
    check_in = measuring.check_in
    add_key_result = measuring.add_key_result
    update_objective = setting.update_objective
    propose_objective = setting.propose_objective
    sign_objective = setting.sign_objective
    comment_on_objective = setting.comment_on_objective
    close_cycle = cycle_changes.close_cycle
    submit_closing = cycle_changes.submit_closing
    align_objective = aligning.align_objective
    declare_dependency = depending.declare_dependency
    create_cycle = cycle_changes.create_cycle
    update_cycle = cycle_changes.update_cycle
    add_contributor = setting.add_contributor
    remove_contributor = setting.remove_contributor
    set_roll_up = aligning.set_roll_up
    update_dependency = depending.update_dependency
    withdraw_alignment = aligning.withdraw_alignment
    accept_alignment = aligning.accept_alignment
    decline_alignment = aligning.decline_alignment
    update_alignment = aligning.update_alignment
    update_key_result = measuring.update_key_result
    delete_key_result = measuring.delete_key_result
    withdraw_dependency = depending.withdraw_dependency
    open_help_request = helping.open_help_request
    offer_help = helping.offer_help
    resolve_help_request = helping.resolve_help_request
    record_experiment = experimenting.record_experiment
    update_experiment = experimenting.update_experiment
    propose_idea = ideating.propose_idea
    review_idea = ideating.review_idea
    update_idea_review = ideating.update_idea_review
    allocate_idea = ideating.allocate_idea
    create_development_goal = growing.create_development_goal
    update_development_goal = growing.update_development_goal
    add_plan_item = growing.add_plan_item
    update_plan_item = growing.update_plan_item
    complete_development_goal = growing.complete_development_goal


__all__ = ["NODES", "GoalsMutation", "GoalsQuery"]
