"""Feedback in the graph: feedback between people with its reply thread, the feedback of
people and objectives, and giving, replying and narrowing; feedback requests, asked, answered
and declined. Nothing here is a rating or
anonymous. One module per area, the mutations beside them in `mutations/`; this module
composes their root fields, as `gateway.schema` composes the services'."""

from __future__ import annotations

import strawberry

from gateway.types.common import NodeResolver
from gateway.types.feedback import feedback, nominations, oneonones, requests
from gateway.types.feedback import recognition as thanks
from gateway.types.feedback.mutations import action_items as agreeing
from gateway.types.feedback.mutations import feedback as giving
from gateway.types.feedback.mutations import nominations as nominating
from gateway.types.feedback.mutations import oneonones as meeting
from gateway.types.feedback.mutations import recognition as recognising
from gateway.types.feedback.mutations import requests as asking

NODES: dict[str, NodeResolver] = {
    "Feedback": feedback.load_feedback,
    "FeedbackRequest": requests.load_feedback_request,
    "Recognition": thanks.load_recognition,
    "CompanyValue": thanks.load_company_value,
    "NominationPeriod": nominations.load_nomination_period,
    "OneOnOne": oneonones.load_one_on_one,
    "OneOnOneMeeting": oneonones.load_meeting,
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
    one_on_one = oneonones.one_on_one
    one_on_one_meeting = oneonones.one_on_one_meeting


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
    start_one_on_one = meeting.start_one_on_one
    schedule_one_on_one_meeting = meeting.schedule_one_on_one_meeting
    add_talking_point = meeting.add_talking_point
    edit_talking_point = meeting.edit_talking_point
    delete_talking_point = meeting.delete_talking_point
    reorder_agenda = meeting.reorder_agenda
    update_one_on_one_meeting = meeting.update_one_on_one_meeting
    complete_one_on_one_meeting = meeting.complete_one_on_one_meeting
    write_private_note = agreeing.write_private_note
    add_action_item = agreeing.add_action_item
    update_action_item = agreeing.update_action_item
    convert_will_to_action_items = agreeing.convert_will_to_action_items
    create_calendar_feed = agreeing.create_calendar_feed
    revoke_calendar_feed = agreeing.revoke_calendar_feed


__all__ = ["NODES", "FeedbackMutation", "FeedbackQuery"]
