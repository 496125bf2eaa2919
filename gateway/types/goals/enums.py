"""The goals enums, as the schema names them (the service's own values underneath)."""

from enum import Enum

import strawberry


@strawberry.enum(name="CycleStatus", description="Where a cycle stands.")
class CycleStatusEnum(Enum):
    PLANNING = strawberry.enum_value("planning", description="Objectives are being drafted.")
    ACTIVE = strawberry.enum_value("active", description="Under way: people check in.")
    CLOSED = strawberry.enum_value("closed", description="Over: nothing more is added.")


@strawberry.enum(
    name="Visibility", description="Who may read an objective (and its key results and check-ins)."
)
class VisibilityEnum(Enum):
    PUBLIC = strawberry.enum_value("public", description="Everyone signed in.")
    PRIVATE = strawberry.enum_value(
        "private",
        description="Its owner (for a team: members and leads), the owner's management chain "
        "and HR admins.",
    )


@strawberry.enum(name="OwnerKind", description="Whose objective it is.")
class OwnerKindEnum(Enum):
    PERSON = strawberry.enum_value("person", description="A person's own.")
    TEAM = strawberry.enum_value("team", description="A team's.")
    COMPANY = strawberry.enum_value(
        "company", description="The whole company's (always public; `owner` is null)."
    )


@strawberry.enum(name="ObjectiveKind", description="How an objective's final score is to be read.")
class ObjectiveKindEnum(Enum):
    COMMITTED = strawberry.enum_value(
        "committed", description="Meant to be met in full: success is 1.0."
    )
    ASPIRATIONAL = strawberry.enum_value(
        "aspirational", description="A stretch: about 0.7 is success."
    )


@strawberry.enum(name="ObjectiveStatus", description="Where an objective's drafting stands.")
class ObjectiveStatusEnum(Enum):
    DRAFT = strawberry.enum_value("draft", description="Being written.")
    PROPOSED = strawberry.enum_value("proposed", description="Proposed, waiting for signatures.")
    AGREED = strawberry.enum_value(
        "agreed", description="Signed by its owner's side and its manager's side."
    )


@strawberry.enum(name="SignatureRole", description="The side a signature stands for.")
class SignatureRoleEnum(Enum):
    OWNER = strawberry.enum_value(
        "owner", description="The owner's (for a team, a member; for the company, an HR admin)."
    )
    MANAGER = strawberry.enum_value(
        "manager",
        description="The manager's (the owner's manager; for a team, its lead; for the "
        "company, a second HR admin).",
    )


@strawberry.enum(name="ClosingSource", description="Where a final score came from.")
class ClosingSourceEnum(Enum):
    SUBMITTED = strawberry.enum_value(
        "submitted", description="Given by someone working on the objective."
    )
    PROGRESS = strawberry.enum_value(
        "progress", description="Taken from its progress when the cycle closed without one."
    )


@strawberry.enum(
    name="KeyResultKind",
    description="What a key result measures, and so how its progress is computed.",
)
class KeyResultKindEnum(Enum):
    INCREASE_TO = strawberry.enum_value("increase_to", description="Up from `start` to `target`.")
    DECREASE_TO = strawberry.enum_value("decrease_to", description="Down from `start` to `target`.")
    STAY_ABOVE = strawberry.enum_value("stay_above", description="Hold `current` above `target`.")
    STAY_BELOW = strawberry.enum_value("stay_below", description="Hold `current` below `target`.")
    BINARY = strawberry.enum_value("binary", description="Done or not.")
    MILESTONES = strawberry.enum_value(
        "milestones", description="An ordered list of milestones, each done or not."
    )


@strawberry.enum(
    name="CheckInStatus", description="How the author of a check-in judges its key result."
)
class CheckInStatusEnum(Enum):
    ON_TRACK = strawberry.enum_value("on_track", description="Going as it should.")
    AT_RISK = strawberry.enum_value("at_risk", description="In danger: worth a conversation.")
    OFF_TRACK = strawberry.enum_value("off_track", description="Will not make it without help.")


@strawberry.enum(name="DependencyState", description="Where a dependency between owners stands.")
class DependencyStateEnum(Enum):
    OPEN = strawberry.enum_value(
        "open", description="Declared; the side depended on has not accepted it yet."
    )
    AGREED = strawberry.enum_value("agreed", description="The side depended on accepted it.")
    RESOLVED = strawberry.enum_value(
        "resolved", description="Done with; either side may reopen it."
    )


@strawberry.enum(
    name="AlignmentState", description="Whether a link counts in its parent's roll-up."
)
class AlignmentStateEnum(Enum):
    PENDING = strawberry.enum_value(
        "pending",
        description="Proposed by the child's side; the parent's side has not decided yet. It "
        "counts in no roll-up.",
    )
    ACCEPTED = strawberry.enum_value(
        "accepted",
        description="The parent's side accepted it: the child counts in the parent's roll-up "
        "with the link's `weight`.",
    )
    DECLINED = strawberry.enum_value(
        "declined",
        description="The parent's side declined it: it counts in no roll-up (they may accept "
        "it later).",
    )
