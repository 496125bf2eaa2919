"""Feedback in the graph: feedback between people with its reply thread, the feedback of
people and objectives, and giving, replying and narrowing; feedback requests, asked, answered
and declined. Nothing here is a rating or
anonymous. One module per area, the mutations beside them in `mutations/`; this module
composes their root fields, as `gateway.schema` composes the services'."""

from __future__ import annotations

import strawberry

from gateway.types.common import NodeResolver
from gateway.types.feedback import feedback, nominations, requests
from gateway.types.feedback import recognition as thanks
from gateway.types.feedback.mutations import feedback as giving
from gateway.types.feedback.mutations import nominations as nominating
from gateway.types.feedback.mutations import recognition as recognising
from gateway.types.feedback.mutations import requests as asking

NODES: dict[str, NodeResolver] = {
    "Feedback": feedback.load_feedback,
    "FeedbackRequest": requests.load_feedback_request,
    "Recognition": thanks.load_recognition,
    "CompanyValue": thanks.load_company_value,
    "NominationPeriod": nominations.load_nomination_period,
}


@strawberry.type
class FeedbackQuery:
    feedback = feedback.feedback
    feedback_request = requests.feedback_request
    recognition = thanks.recognition
    recognition_feed = thanks.recognition_feed
    company_values = thanks.company_values
    nomination_period = nominations.nomination_period
    nomination_periods = nominations.nomination_periods


@strawberry.type
class FeedbackMutation:
    give_feedback = giving.give_feedback
    reply_to_feedback = giving.reply_to_feedback
    narrow_feedback_visibility = giving.narrow_feedback_visibility
    request_feedback = asking.request_feedback
    answer_feedback_request = asking.answer_feedback_request
    decline_feedback_request = asking.decline_feedback_request
    change_feedback_request_due_date = asking.change_feedback_request_due_date
    recognize = recognising.recognize
    react = recognising.react
    unreact = recognising.unreact
    create_company_value = recognising.create_company_value
    update_company_value = recognising.update_company_value
    nominate = nominating.nominate
    create_nomination_period = nominating.create_nomination_period
    close_nomination_period = nominating.close_nomination_period


__all__ = ["NODES", "FeedbackMutation", "FeedbackQuery"]
