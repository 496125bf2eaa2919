"""The assessment service's contract models that the assessment types read and the mutations
send, named here once: the rest of the package imports them from this module, never from the
service."""

from services.assessment.instruments.schemas import (
    InstrumentRead,
    LanguageRead,
    QuestionKind,
    QuestionRead,
    RecommendationsRead,
)
from services.assessment.plans.schemas import (
    ItemKind,
    ItemStatus,
    PlanCreate,
    PlanItemCreate,
    PlanItemRead,
    PlanItemUpdate,
    PlanRead,
)
from services.assessment.reports.anonymity import Reason
from services.assessment.reports.schemas import AreaReport, GroupReport, ManagementShare
from services.assessment.rounds.schemas import (
    AnswerGiven,
    Answers,
    MyResponseRead,
    ParticipationStatus,
    RoundMode,
    RoundRead,
    RoundStatus,
)

__all__ = [
    "AnswerGiven",
    "Answers",
    "AreaReport",
    "GroupReport",
    "InstrumentRead",
    "ItemKind",
    "ItemStatus",
    "LanguageRead",
    "ManagementShare",
    "MyResponseRead",
    "ParticipationStatus",
    "PlanCreate",
    "PlanItemCreate",
    "PlanItemRead",
    "PlanItemUpdate",
    "PlanRead",
    "QuestionKind",
    "QuestionRead",
    "Reason",
    "RecommendationsRead",
    "RoundMode",
    "RoundRead",
    "RoundStatus",
]
