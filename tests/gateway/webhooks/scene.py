"""Who calls the gateway in the webhooks tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Callers:
    admin: dict[str, str]
    employee: dict[str, str]
