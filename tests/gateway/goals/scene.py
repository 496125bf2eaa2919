"""The scene of the goals tests through the gateway, over the real people and goals services
(the fixtures that write it are in this folder's conftest), and the global ids its rows go by.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from services.goals.models import Cycle, KeyResult, Objective
from services.people.models import Person, Team


def global_id(type_name: str, id_: uuid.UUID) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


@dataclass
class Okrs:
    """Ada leads Platform and manages Bob; Cy is elsewhere. An active and a closed cycle; Ada
    has a public objective (with a key result Bob checked in on) and a private one."""

    ada: Person
    bob: Person
    cy: Person
    platform: Team
    cycle: Cycle
    closed: Cycle
    public: Objective
    private: Objective
    key_result: KeyResult
    hr: Person
    search: Team


@dataclass
class Work:
    """On top of `Okrs`: Platform's aspirational objective, proposed, with Bob as contributor
    and his signature, and a milestones key result Bob owns, last touched ten days ago; Bob's
    own draft; a company objective; Ada's objective of the closed cycle, scored, with a key
    result; Search's objective."""

    team_objective: Objective
    milestones: KeyResult
    bobs: Objective
    company: Objective
    old: Objective
    old_key_result: KeyResult
    search_objective: Objective
