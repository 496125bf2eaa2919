"""Rows written straight to the database to set the scene: people of the org copy (as the
people feed would have copied them), feedback items, and a slice of an organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.orgcopy import OrgPerson
from services.feedback.models import Feedback
from services.feedback.schemas import FeedbackKind, Visibility
from tests.factories import create_hr_admin as create_hr_admin
from tests.factories import create_person as create_person
from tests.factories import insert, numbers
from tests.factories import unknown_id as unknown_id
from tests.support import Tokens


async def create_feedback(
    session: AsyncSession, giver: OrgPerson, recipient: OrgPerson, **overrides: Any
) -> Feedback:
    """An item as giving it now would write it: its audience is the recipient's chain today,
    unless `audience` is given."""
    values: dict[str, Any] = {
        "audience": list(dict.fromkeys(await orgcopy.management_chain(session, recipient.id))),
        "giver_id": giver.id,
        "recipient_id": recipient.id,
        "body": f"Thanks for the review, number {next(numbers)}.",
        "kind": FeedbackKind.PRAISE,
        "visibility": Visibility.PUBLIC,
    }
    return await insert(session, Feedback(**(values | overrides)))


@dataclass
class Org:
    """A slice of an organisation, as the org copy has it:

    skip_level ─ manager ─┬─ recipient        giver_manager ─ giver        hr_admin
                          └─ peer
    """

    skip_level: OrgPerson
    manager: OrgPerson
    recipient: OrgPerson
    peer: OrgPerson
    giver_manager: OrgPerson
    giver: OrgPerson
    hr_admin: OrgPerson
    tokens: Tokens

    def people(self) -> list[OrgPerson]:
        return [
            self.skip_level,
            self.manager,
            self.recipient,
            self.peer,
            self.giver_manager,
            self.giver,
            self.hr_admin,
        ]

    def headers(self, caller: str) -> dict[str, str]:
        """Bearer headers of a person of this org by role, or of `integration` (allowed to
        read feedback) or `service`."""
        if caller == "integration":
            return self.tokens.integration("feedback:read")
        if caller == "service":
            return self.tokens.service("webhooks")
        person: OrgPerson = getattr(self, caller)
        return self.tokens.person(person.email)
