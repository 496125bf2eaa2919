"""The feedback service's contract models that the feedback types read and the mutations send,
named here once, under their own names: the rest of the package imports them from this module,
never from the service."""

from services.feedback.nominations.schemas import (
    NominationPeriodCreate,
    NominationPeriodRead,
    NominationRead,
    NominationResultsRead,
    NominationSubmit,
    NomineeRead,
    PeriodStatus,
)
from services.feedback.recognition.schemas import (
    CompanyValueCreate,
    CompanyValueRead,
    CompanyValueUpdate,
    ReactionKind,
    RecognitionCreate,
    RecognitionRead,
)
from services.feedback.requests.schemas import (
    AnswerCreate,
    FeedbackRequestCreate,
    FeedbackRequestRead,
    PartStatus,
    RequestPartRead,
    RequestRole,
)
from services.feedback.schemas import (
    FeedbackCreate,
    FeedbackKind,
    FeedbackRead,
    FeedbackUpdate,
    PersonRole,
    ReplyCreate,
    ReplyRead,
    Visibility,
)

__all__ = [
    "AnswerCreate",
    "CompanyValueCreate",
    "CompanyValueRead",
    "CompanyValueUpdate",
    "FeedbackCreate",
    "FeedbackKind",
    "FeedbackRead",
    "FeedbackRequestCreate",
    "FeedbackRequestRead",
    "FeedbackUpdate",
    "NominationPeriodCreate",
    "NominationPeriodRead",
    "NominationRead",
    "NominationResultsRead",
    "NominationSubmit",
    "NomineeRead",
    "PartStatus",
    "PeriodStatus",
    "PersonRole",
    "ReactionKind",
    "RecognitionCreate",
    "RecognitionRead",
    "ReplyCreate",
    "ReplyRead",
    "RequestPartRead",
    "RequestRole",
    "Visibility",
]
