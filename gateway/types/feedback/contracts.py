"""The feedback service's contract models that the feedback types read and the mutations send,
named here once, under their own names: the rest of the package imports them from this module,
never from the service."""

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
    "FeedbackCreate",
    "FeedbackKind",
    "FeedbackRead",
    "FeedbackUpdate",
    "PersonRole",
    "ReplyCreate",
    "ReplyRead",
    "Visibility",
]
