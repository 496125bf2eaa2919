"""What the development goals tests share: the body of a new goal."""

from __future__ import annotations

from typing import Any


def new_goal(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Facilitate workshops with confidence",
        "description": "Run our discovery workshops without a co-facilitator.",
        "skill_ids": ["0192b1c4-0000-7000-8000-0000000000a1"],
        "plan": [
            {"kind": "course", "title": "Facilitation basics"},
            {"kind": "mentoring", "title": "Monthly with Kai", "status": "in_progress"},
        ],
    }
    return values | overrides
