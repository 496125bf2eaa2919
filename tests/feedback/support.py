"""What the feedback tests share beside fixtures and factories: the callers of the scene and
which of them each visibility reaches."""

from __future__ import annotations

from datetime import timedelta

from kit.models import utcnow
from services.feedback.schemas import Visibility

# Nothing listens there.
NOWHERE = "http://127.0.0.1:9"

CALLERS = [
    "giver",
    "recipient",
    "manager",
    "skip_level",
    "peer",
    "giver_manager",
    "hr_admin",
    "integration",
    "service",
]
AUDIENCE = {
    Visibility.PRIVATE: {"giver", "recipient"},
    Visibility.MANAGER: {"giver", "recipient", "manager", "skip_level"},
    Visibility.PUBLIC: set(CALLERS),
}


def due_in(days: int) -> str:
    """A due date `days` after today (UTC, as the scene's people keep time), as JSON sends it."""
    return (utcnow().date() + timedelta(days=days)).isoformat()
