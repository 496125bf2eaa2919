"""The feedback enums, as the schema names them (the service's own values underneath). The
visibility is `FeedbackVisibility`: `Visibility` is the objectives' own."""

from enum import Enum

import strawberry


@strawberry.enum(name="FeedbackKind", description="What a piece of feedback is; never a rating.")
class FeedbackKindEnum(Enum):
    PRAISE = strawberry.enum_value("praise", description="Recognition of something done well.")
    SUGGESTION = strawberry.enum_value("suggestion", description="Something to try differently.")
    UPWARD = strawberry.enum_value("upward", description="From a person to their own manager.")
    PEER = strawberry.enum_value("peer", description="Between colleagues.")


@strawberry.enum(
    name="FeedbackVisibility",
    description="Who reads a piece of feedback and its replies besides its giver; chosen when "
    "it is given, later narrowed (public → manager → private), never widened.",
)
class FeedbackVisibilityEnum(Enum):
    PRIVATE = strawberry.enum_value("private", description="The recipient.")
    MANAGER = strawberry.enum_value(
        "manager",
        description="The recipient and their management chain as it was when the feedback was "
        "given (a later manager change hands nothing to the new manager).",
    )
    PUBLIC = strawberry.enum_value("public", description="Everyone signed in.")


@strawberry.enum(
    name="FeedbackRequestPartStatus",
    description="Where one person asked for feedback stands.",
)
class PartStatusEnum(Enum):
    OPEN = strawberry.enum_value("open", description="Asked, not yet answered or declined.")
    ANSWERED = strawberry.enum_value("answered", description="Answered with a feedback.")
    DECLINED = strawberry.enum_value("declined", description="Declined without an answer.")


@strawberry.enum(name="FeedbackRequestRole", description="How you stand to a feedback request.")
class RequestRoleEnum(Enum):
    REQUESTER = strawberry.enum_value("requester", description="You made it.")
    SUBJECT = strawberry.enum_value("subject", description="It is about you.")
    ASKED = strawberry.enum_value("asked", description="You were asked to answer it.")


@strawberry.enum(name="ReactionKind", description="How one reacts to a recognition.")
class ReactionKindEnum(Enum):
    APPLAUSE = strawberry.enum_value("applause", description="Applause.")
    HEART = strawberry.enum_value("heart", description="A heart.")
    CELEBRATE = strawberry.enum_value("celebrate", description="A celebration.")
    INSIGHTFUL = strawberry.enum_value("insightful", description="Insightful.")


@strawberry.enum(name="NominationPeriodStatus", description="Whether a period takes nominations.")
class PeriodStatusEnum(Enum):
    OPEN = strawberry.enum_value("open", description="Taking nominations; no counts shown.")
    CLOSED = strawberry.enum_value("closed", description="Closed for good; results revealed.")


@strawberry.enum(
    name="LearningKind", description="What a recognised learning is, in the goals service."
)
class LearningKindEnum(Enum):
    EXPERIMENT = strawberry.enum_value("experiment", description="An experiment.")
    OBJECTIVE = strawberry.enum_value("objective", description="An objective.")
