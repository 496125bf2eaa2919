"""The anonymity engine: which groups of a round may show figures. Pure arithmetic on counts
of respondents, decided before any figure is computed; docs/assessment.md states the rules
for a privacy officer.

Groups are the snapshotted team tree's nodes (a team with its sub-teams) under one root, the
round's whole audience (`None`). A team's *own* respondents (those placed in it rather than in
a sub-team) are never a group of their own, but subtraction could reveal them: they count as
hidden parts of the tree.

Breakdowns split the groups by declared attributes. A shown node's *unit* is the part of it
no shown sub-team covers; an *atomic cell* is the respondents of one unit with one profile
(their option of every declared attribute). Every released figure is a sum of whole cells, so
a breakdown is released only where each non-empty cell it could separate is large enough."""

from __future__ import annotations

import uuid
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

Node = uuid.UUID | None
ROOT: Node = None
# The group of respondents who declared no option of an attribute.
UNDECLARED = "undeclared"


class Reason(StrEnum):
    BELOW_THRESHOLD = "below_threshold"
    COULD_BE_INFERRED = "could_be_inferred"


@dataclass(frozen=True)
class Tree:
    """The audience's teams: each team's parent (`None` for a top team) and how many
    respondents were placed directly in each node (`None`: those in no team)."""

    parents: Mapping[uuid.UUID, uuid.UUID | None]
    direct: Mapping[Node, int]

    def children(self) -> dict[Node, list[uuid.UUID]]:
        found: dict[Node, list[uuid.UUID]] = {ROOT: []}
        for team in sorted(self.parents):
            found.setdefault(team, [])
        for team in sorted(self.parents):
            parent = self.parents[team]
            found.setdefault(parent if parent in self.parents else ROOT, []).append(team)
        return found

    def top_down(self) -> list[Node]:
        """The nodes, each after its parent."""
        children = self.children()
        order: list[Node] = [ROOT]
        for node in order:
            order.extend(children[node])
        return order

    def sizes(self) -> dict[Node, int]:
        """Respondents of each node, its sub-teams included."""
        children = self.children()
        sizes: dict[Node, int] = {}
        for node in reversed(self.top_down()):
            sizes[node] = self.direct.get(node, 0) + sum(sizes[c] for c in children[node])
        return sizes


def _subtree(children: Mapping[Node, Sequence[Node]], node: Node) -> list[Node]:
    found = [node]
    for item in found:
        found.extend(children[item])
    return found


def _cover(
    children: Mapping[Node, Sequence[Node]], shown: Container[Node], node: Node
) -> list[Node]:
    """The highest shown nodes below `node`: what a reader subtracts from it."""
    cover: list[Node] = []
    stack = list(children[node])
    while stack:
        item = stack.pop()
        if item in shown:
            cover.append(item)
        else:
            stack.extend(children[item])
    return cover


def _unsafe(count: int, minimum: int) -> bool:
    """A group that subtraction reveals is safe when it is empty or large enough."""
    return 0 < count < minimum


def release_tree(tree: Tree, minimum: int) -> dict[Node, Reason | None]:
    """For each node, None when its figures may be shown, else why not.

    1. A node with fewer than `minimum` respondents is `below_threshold` (no figures, also
       not for an empty one).
    2. For each shown node, top down: its respondents minus those of the highest shown nodes
       below it must be none or at least `minimum`; else the smallest of those nodes, with
       everything below it, becomes `could_be_inferred`, until it holds. Withholding a whole
       subtree keeps it from being added back up from its own sub-teams."""
    sizes = tree.sizes()
    children = tree.children()
    verdicts: dict[Node, Reason | None] = {
        node: Reason.BELOW_THRESHOLD if sizes[node] < minimum else None for node in sizes
    }
    shown = {node for node, verdict in verdicts.items() if verdict is None}
    for node in tree.top_down():
        if verdicts[node] is not None:
            continue
        while True:
            cover = _cover(children, shown, node)
            if not _unsafe(sizes[node] - sum(sizes[item] for item in cover), minimum):
                break
            smallest = min(cover, key=lambda item: (sizes[item], str(item)))
            for item in _subtree(children, smallest):
                if verdicts[item] is None:
                    verdicts[item] = Reason.COULD_BE_INFERRED
                    shown.discard(item)
    return verdicts


# A respondent's option of every declared attribute, in the round's order (`UNDECLARED` for
# one they left out).
Profile = tuple[str, ...]
# Respondents per node they were placed in (`None`: in no team) and profile.
Placed = Mapping[Node, Mapping[Profile, int]]


def _units(tree: Tree, shown: Mapping[Node, Reason | None]) -> dict[Node, Node]:
    """Each node's unit: the nearest shown node at or above it. A shown node's unit is the part
    of it no shown sub-team covers; every released figure is a sum over whole units."""
    children = tree.children()
    unit: dict[Node, Node] = {}
    for node in tree.top_down():
        if node is ROOT or shown.get(node, Reason.BELOW_THRESHOLD) is None:
            unit[node] = node
        for child in children[node]:
            unit[child] = unit[node]
    return unit


def atomic_cells(
    tree: Tree, shown: Mapping[Node, Reason | None], placed: Placed
) -> dict[Node, dict[Profile, int]]:
    """Respondents per unit and profile: the atoms every released figure is a sum of."""
    unit = _units(tree, shown)
    cells: dict[Node, dict[Profile, int]] = {}
    for node, profiles in placed.items():
        found = cells.setdefault(unit.get(node, ROOT), {})
        for profile, count in profiles.items():
            found[profile] = found.get(profile, 0) + count
    return cells


def _by_option(profiles: Mapping[Profile, int], position: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for profile, count in profiles.items():
        if count:
            counts[profile[position]] = counts.get(profile[position], 0) + count
    return counts


def option_counts(tree: Tree, placed: Placed, position: int, node: Node) -> dict[str, int]:
    """A node's respondents (its sub-teams included) per option of the attribute at
    `position`; options nobody chose are left out."""
    counts: dict[str, int] = {}
    for item in _subtree(tree.children(), node):
        for option, count in _by_option(placed.get(item, {}), position).items():
            counts[option] = counts.get(option, 0) + count
    return counts


def release_breakdown(
    tree: Tree,
    shown: Mapping[Node, Reason | None],
    placed: Placed,
    position: int,
    options: Sequence[str],
    minimum: int,
) -> dict[Node, dict[str, Reason | None]]:
    """For the attribute at `position` of the profiles: for each node, each option's verdict
    (`options` ends with `UNDECLARED`).

    Only a node whose own figures are shown may be broken down, and only when every atomic
    cell under it (a shown node's unit in its subtree, by full profile) is empty or holds at
    least `minimum` respondents; else every option is `could_be_inferred`. Any sum and
    difference of released figures is then a union of such cells and of whole units, each
    empty or large enough. An option nobody chose is `below_threshold`, never shown as 0."""
    children = tree.children()
    cells = atomic_cells(tree, shown, placed)
    # bottom up: each node's respondents per option, and whether a unit inside it has a cell
    # too small
    counts: dict[Node, dict[str, int]] = {}
    small: dict[Node, bool] = {}
    for node in reversed(tree.top_down()):
        counts[node] = _by_option(placed.get(node, {}), position)
        small[node] = any(_unsafe(n, minimum) for n in cells.get(node, {}).values())
        for child in children[node]:
            for option, n in counts[child].items():
                counts[node][option] = counts[node].get(option, 0) + n
            small[node] = small[node] or small[child]
    verdicts: dict[Node, dict[str, Reason | None]] = {}
    for node in tree.top_down():
        reason = shown.get(node, Reason.BELOW_THRESHOLD)
        if reason is None and small[node]:
            reason = Reason.COULD_BE_INFERRED
        verdicts[node] = (
            dict.fromkeys(options, reason)
            if reason is not None
            else {o: None if counts[node].get(o) else Reason.BELOW_THRESHOLD for o in options}
        )
    return verdicts
