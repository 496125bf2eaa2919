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
