"""The goals service's contract models that the goals types read and the mutations send, named
here once: the rest of the package imports them from this module, never from the service."""

from services.goals.alignment.schemas import (
    AlignmentCreate,
    AlignmentRead,
    AlignmentUpdate,
    DependencyCreate,
    DependencyRead,
    DependencyUpdate,
    GraphEdge,
    GraphKeyResult,
    GraphNode,
    RollUpRead,
)
from services.goals.alignment.schemas import AlignmentGraph as AlignmentGraphRead
from services.goals.alignment.schemas import AlignmentState as AlignmentStateValue
from services.goals.alignment.schemas import DependencyState as DependencyStateValue
from services.goals.keyresults.schemas import KeyResultUpdate
from services.goals.schemas import (
    CheckInCreate,
    CheckInRead,
    ClosingRead,
    ClosingSubmit,
    CommentCreate,
    CommentRead,
    ContributorAdd,
    CycleCreate,
    CycleRead,
    CycleUpdate,
    KeyResultCreate,
    KeyResultRead,
    MilestoneCreate,
    MilestoneRead,
    MilestoneUpdate,
    ObjectiveCreate,
    ObjectiveRead,
    ObjectiveUpdate,
    SignatureRead,
)
from services.goals.schemas import CheckInStatus as CheckInStatusValue
from services.goals.schemas import CycleReport as CycleReportRead
from services.goals.schemas import CycleStatus as CycleStatusValue
from services.goals.schemas import DueCheckIn as DueCheckInRead
from services.goals.schemas import KeyResultKind as KeyResultKindValue
from services.goals.schemas import ObjectiveKind as ObjectiveKindValue
from services.goals.schemas import ObjectiveStatus as ObjectiveStatusValue
from services.goals.schemas import SearchHit as SearchHitRead
from services.goals.schemas import TeamScores as TeamScoresRead
from services.goals.schemas import Visibility as VisibilityValue

__all__ = [
    "AlignmentCreate",
    "AlignmentGraphRead",
    "AlignmentRead",
    "AlignmentStateValue",
    "AlignmentUpdate",
    "CheckInCreate",
    "CheckInRead",
    "CheckInStatusValue",
    "ClosingRead",
    "ClosingSubmit",
    "CommentCreate",
    "CommentRead",
    "ContributorAdd",
    "CycleCreate",
    "CycleRead",
    "CycleReportRead",
    "CycleStatusValue",
    "CycleUpdate",
    "DependencyCreate",
    "DependencyRead",
    "DependencyStateValue",
    "DependencyUpdate",
    "DueCheckInRead",
    "GraphEdge",
    "GraphKeyResult",
    "GraphNode",
    "KeyResultCreate",
    "KeyResultKindValue",
    "KeyResultRead",
    "KeyResultUpdate",
    "MilestoneCreate",
    "MilestoneRead",
    "MilestoneUpdate",
    "ObjectiveCreate",
    "ObjectiveKindValue",
    "ObjectiveRead",
    "ObjectiveStatusValue",
    "ObjectiveUpdate",
    "RollUpRead",
    "SearchHitRead",
    "SignatureRead",
    "TeamScoresRead",
    "VisibilityValue",
]
