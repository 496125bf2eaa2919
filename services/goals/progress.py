"""How progress is computed, in one place: a key result's by its kind, an objective's as the
weighted mean of its key results, roll-up through accepted alignment links, and the rounding
of every figure served. The goals core, its sub-domains and the alignment graph all use it.

Progress serves focus and conversation, never judgement: nothing here ranks or filters people
by it (DOMAIN.md §4, the OKR firewall)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals import repository
from services.goals.alignment.schemas import MAX_DEPTH
from services.goals.repository import ObjectiveParts, RollUpLink
from services.goals.schemas import KeyResultKind, Visibility

# Decimal places of the progress figures served.
PRECISION = 4


def rounded(value: float) -> float:
    """A progress figure as it is served."""
    return round(value, PRECISION)


def rounded_or_none(value: float | None) -> float | None:
    return None if value is None else rounded(value)


# --- Formulas --------------------------------------------------------------------------------


def progress(start: float, target: float, current: float) -> float:
    """How far `current` has come from `start` towards `target`, from 0 to 1; works the same
    for a decrease (`target` below `start`) and stays within 0 and 1 beyond either end."""
    ratio = (current - start) / (target - start)
    return min(max(ratio, 0.0), 1.0)


def key_result_progress(kind: KeyResultKind, start: float, target: float, current: float) -> float:
    """Progress by kind: the way from start to target; whether the line holds (1 or 0);
    done or not; the share of milestones done."""
    if kind == KeyResultKind.STAY_ABOVE:
        return 1.0 if current >= target else 0.0
    if kind == KeyResultKind.STAY_BELOW:
        return 1.0 if current <= target else 0.0
    return progress(start, target, current)


class Figures(Protocol):
    """A key result as its progress needs it: its row, or `repository.KeyResultFigures`."""

    @property
    def objective_id(self) -> uuid.UUID: ...
    @property
    def kind(self) -> KeyResultKind: ...
    @property
    def start(self) -> float: ...
    @property
    def target(self) -> float: ...
    @property
    def current(self) -> float: ...
    @property
    def weight(self) -> float: ...


def progress_of(key_result: Figures) -> float:
    """A key result's progress, from its row."""
    return key_result_progress(
        key_result.kind, key_result.start, key_result.target, key_result.current
    )


def objective_progress(parts: Iterable[tuple[float, float]]) -> float | None:
    """The weighted mean of the key results' progress, from `(progress, weight)`; None
    without key results."""
    total = weighted = 0.0
    for value, weight in parts:
        total += weight
        weighted += weight * value
    return weighted / total if total else None


# --- Roll-up ---------------------------------------------------------------------------------


class RolledUp:
    """The progress of objectives, each computed once: their own (from their key results) and
    as served (for one that rolls up, also from the children counted in it). Only public
    children count, so that a roll-up never reveals a private objective to its readers."""

    def __init__(
        self,
        key_results: Iterable[Figures],
        links: Iterable[RollUpLink],
        rolling_up: set[uuid.UUID],
    ) -> None:
        # `(progress, weight)` of what each objective is made of.
        self.parts: dict[uuid.UUID, list[tuple[float, float]]] = defaultdict(list)
        for key_result in key_results:
            self.parts[key_result.objective_id].append((progress_of(key_result), key_result.weight))
        self.children: dict[uuid.UUID, list[tuple[uuid.UUID, float]]] = defaultdict(list)
        for link in links:
            if link.child_visibility == Visibility.PUBLIC:
                self.children[link.parent_id].append((link.child_id, link.weight))
        self.rolling_up = rolling_up
        self._served: dict[uuid.UUID, float | None] = {}

    def own(self, objective_id: uuid.UUID) -> float | None:
        return objective_progress(self.parts.get(objective_id, ()))

    def served(self, objective_id: uuid.UUID, depth: int = 0) -> float | None:
        if objective_id in self._served:
            return self._served[objective_id]
        parts = list(self.parts.get(objective_id, ()))
        # Links never make loops nor chains beyond `MAX_DEPTH`; the bound only keeps a
        # damaged graph from recursing for ever.
        if objective_id in self.rolling_up and depth < MAX_DEPTH:
            for child_id, weight in self.children.get(objective_id, ()):
                value = self.served(child_id, depth + 1)
                if value is not None:
                    parts.append((value, weight))
        self._served[objective_id] = value = objective_progress(parts)
        return value


async def objective_parts(
    session: AsyncSession, objective_ids: Sequence[uuid.UUID]
) -> ObjectiveParts:
    """What the objectives are read with, their roll-up included, in one statement."""
    return await repository.objective_parts(session, objective_ids, max_depth=MAX_DEPTH)


def rolled_up_from(parts: ObjectiveParts) -> RolledUp:
    return RolledUp(parts.key_results, parts.links, parts.rolling_up)


async def rolled_up(session: AsyncSession, objective_ids: Sequence[uuid.UUID]) -> RolledUp:
    """What the progress of the objectives is made of, read in one statement."""
    return rolled_up_from(await objective_parts(session, objective_ids))


async def rolled_up_progress(
    session: AsyncSession, objective_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, float | None]:
    """Each objective's progress, unrounded: for one whose owner opted in to roll-up, the
    weighted mean of its key results and of the public children aligned to it (or to its key
    results), each child counting with its own progress as served; for the others, that of
    their key results (None without any). One statement for any number of objectives."""
    computed = await rolled_up(session, objective_ids)
    return {id_: computed.served(id_) for id_ in objective_ids}
