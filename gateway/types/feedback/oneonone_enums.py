"""The 1:1 enums, as the schema names them (the service's own values underneath)."""

from enum import Enum

import strawberry


@strawberry.enum(name="OneOnOneRelationship", description="How the two stand to each other.")
class RelationshipEnum(Enum):
    MANAGER = strawberry.enum_value("manager", description="A person and their direct manager.")
    MENTORING = strawberry.enum_value("mentoring", description="A mentor and a mentee.")
    PEERS = strawberry.enum_value("peers", description="Two colleagues.")


@strawberry.enum(name="OneOnOneCadence", description="How often the two meet.")
class CadenceEnum(Enum):
    WEEKLY = strawberry.enum_value("weekly", description="Every week.")
    BIWEEKLY = strawberry.enum_value("biweekly", description="Every other week.")
    MONTHLY = strawberry.enum_value("monthly", description="The first chosen weekday of a month.")


@strawberry.enum(name="Weekday", description="A day of the week.")
class WeekdayEnum(Enum):
    MONDAY = strawberry.enum_value("monday", description="Monday.")
    TUESDAY = strawberry.enum_value("tuesday", description="Tuesday.")
    WEDNESDAY = strawberry.enum_value("wednesday", description="Wednesday.")
    THURSDAY = strawberry.enum_value("thursday", description="Thursday.")
    FRIDAY = strawberry.enum_value("friday", description="Friday.")
    SATURDAY = strawberry.enum_value("saturday", description="Saturday.")
    SUNDAY = strawberry.enum_value("sunday", description="Sunday.")


@strawberry.enum(name="OneOnOneMeetingStatus", description="Whether a meeting was held.")
class MeetingStatusEnum(Enum):
    SCHEDULED = strawberry.enum_value("scheduled", description="Still to be held.")
    COMPLETED = strawberry.enum_value(
        "completed", description="Held; what it left open moved to the next meeting."
    )


@strawberry.enum(name="TalkingPointRefKind", description="What a talking point may be about.")
class RefKindEnum(Enum):
    OBJECTIVE = strawberry.enum_value("objective", description="An `Objective`.")
    KEY_RESULT = strawberry.enum_value("key_result", description="A `KeyResult`.")
    HELP_REQUEST = strawberry.enum_value(
        "help_request", description="A request for help with a goal."
    )
    DEVELOPMENT_GOAL = strawberry.enum_value("development_goal", description="A development goal.")
