"""The assessment enums, as the schema names them (the service's own values underneath)."""

from enum import Enum

import strawberry


@strawberry.enum(
    name="WithheldReason",
    description="Why the anonymity rules show no figures for a group (its figures are null, "
    "never 0).",
)
class WithheldReasonEnum(Enum):
    BELOW_THRESHOLD = strawberry.enum_value(
        "below_threshold", description="Fewer respondents than the round's minimum group size."
    )
    COULD_BE_INFERRED = strawberry.enum_value(
        "could_be_inferred",
        description="Shown, its figures and others' would give a smaller group's by subtraction.",
    )


@strawberry.enum(name="QuestionKind", description="How a question is answered.")
class QuestionKindEnum(Enum):
    RATING = strawberry.enum_value("rating", description="A point of the instrument's scale.")
    COMMENT = strawberry.enum_value("comment", description="Free text; never scored.")


@strawberry.enum(name="RoundStatus", description="Where a round is in its life.")
class RoundStatusEnum(Enum):
    DRAFT = strawberry.enum_value("draft", description="Prepared, not yet sent.")
    OPEN = strawberry.enum_value("open", description="Taking answers.")
    CLOSED = strawberry.enum_value("closed", description="Done; its reports are ready.")


@strawberry.enum(name="RoundMode", description="What is kept of who answered what.")
class RoundModeEnum(Enum):
    ANONYMOUS = strawberry.enum_value(
        "anonymous", description="Who answered and what they answered are stored apart."
    )
    IDENTIFIED = strawberry.enum_value(
        "identified", description="Answers keep the respondent's name (leadership reviews)."
    )


@strawberry.enum(name="ParticipationStatus", description="Your part in a round.")
class ParticipationStatusEnum(Enum):
    INVITED = strawberry.enum_value("invited", description="Asked; nothing saved yet.")
    SAVED = strawberry.enum_value("saved", description="Answers saved, not yet submitted.")
    SUBMITTED = strawberry.enum_value("submitted", description="Answered; final.")


@strawberry.enum(name="ActionPlanItemKind", description="Stop, continue or start.")
class ItemKindEnum(Enum):
    STOP = strawberry.enum_value("stop", description="Something to stop doing.")
    CONTINUE = strawberry.enum_value("continue", description="Something to keep doing.")
    START = strawberry.enum_value("start", description="Something to start doing.")


@strawberry.enum(name="ActionPlanItemStatus", description="How far an item of a plan has come.")
class ItemStatusEnum(Enum):
    OPEN = strawberry.enum_value("open", description="Not started.")
    IN_PROGRESS = strawberry.enum_value("in_progress", description="Under way.")
    DONE = strawberry.enum_value("done", description="Done.")
    DROPPED = strawberry.enum_value("dropped", description="Given up.")
