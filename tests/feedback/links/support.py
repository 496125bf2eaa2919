"""What the link tests share beside fixtures: the objectives of the scene."""

from __future__ import annotations

from dataclasses import dataclass

from services.goals.models import KeyResult, Objective


@dataclass
class Goals:
    """The recipient's objectives and a key result of each."""

    public: Objective
    private: Objective
    public_key_result: KeyResult
    private_key_result: KeyResult
