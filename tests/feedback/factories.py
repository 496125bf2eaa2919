"""Rows written straight to the database to set the scene: people of the org copy (as the
people feed would have copied them) and feedback items."""

from __future__ import annotations

import itertools
import uuid
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id
from kit.orgcopy import OrgPerson
from services.feedback.models import Feedback
from services.feedback.schemas import FeedbackKind, Visibility

_numbers = itertools.count(1)
M = TypeVar("M", OrgPerson, Feedback)


async def _insert(session: AsyncSession, row: M) -> M:
    session.add(row)
    await session.flush()
    return row


async def create_person(session: AsyncSession, **overrides: Any) -> OrgPerson:
    number = next(_numbers)
    values: dict[str, Any] = {
        "id": new_id(),
        "email": f"person{number}@example.com",
        "name": f"Person {number}",
        "active": True,
        "is_hr_admin": False,
    }
    return await _insert(session, OrgPerson(**(values | overrides)))


async def create_hr_admin(session: AsyncSession, **overrides: Any) -> OrgPerson:
    return await create_person(session, is_hr_admin=True, **overrides)


async def create_feedback(
    session: AsyncSession, giver: OrgPerson, recipient: OrgPerson, **overrides: Any
) -> Feedback:
    values: dict[str, Any] = {
        "giver_id": giver.id,
        "recipient_id": recipient.id,
        "body": f"Thanks for the review, number {next(_numbers)}.",
        "kind": FeedbackKind.PRAISE,
        "visibility": Visibility.PUBLIC,
    }
    return await _insert(session, Feedback(**(values | overrides)))


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
