"""Feedback in the graph: feedback between people with its reply thread, the feedback of
people and objectives, and giving, replying and narrowing. Nothing here is a rating or
anonymous. One module per area, the mutations beside them in `mutations/`; this module
composes their root fields, as `gateway.schema` composes the services'."""

from __future__ import annotations

import strawberry

from gateway.types.common import NodeResolver
from gateway.types.feedback import feedback
from gateway.types.feedback.mutations import feedback as giving

NODES: dict[str, NodeResolver] = {"Feedback": feedback.load_feedback}


@strawberry.type
class FeedbackQuery:
    feedback = feedback.feedback


@strawberry.type
class FeedbackMutation:
    give_feedback = giving.give_feedback
    reply_to_feedback = giving.reply_to_feedback
    narrow_feedback_visibility = giving.narrow_feedback_visibility


__all__ = ["NODES", "FeedbackMutation", "FeedbackQuery"]
