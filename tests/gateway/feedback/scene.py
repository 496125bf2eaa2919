"""The scene of the feedback tests through the gateway, over the real people and feedback
services (the fixtures that write it are in this folder's conftest)."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from services.people.models import Person
from tests.support import Tokens


def global_id(type_name: str, id_: uuid.UUID) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


@dataclass
class Org:
    """skip ─ manager ─┬─ recipient     giver     hr (an HR admin)     newcomer (manages nobody
    └─ peer                                        yet)     outsider
    """

    skip: Person
    manager: Person
    recipient: Person
    peer: Person
    giver: Person
    hr: Person
    newcomer: Person
    outsider: Person
    tokens: Tokens

    def headers(self, caller: str) -> dict[str, str]:
        """Bearer headers by role in the scene; `integration` may read feedback."""
        if caller == "integration":
            return self.tokens.integration("feedback:read")
        person: Person = getattr(self, caller)
        return self.tokens.person(person.email)

    def id(self, name: str) -> str:
        person: Person = getattr(self, name)
        return global_id("Person", person.id)
