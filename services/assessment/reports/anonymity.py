"""The anonymity engine: which groups of a round may show figures. Pure arithmetic on counts
of respondents, decided before any figure is computed; docs/assessment.md states the rules
for a privacy officer.

Groups are the snapshotted team tree's nodes (a team with its sub-teams) under one root, the
round's whole audience (`None`). A team's *own* respondents (those placed in it rather than in
a sub-team) are never a group of their own, but subtraction could reveal them: they count as
hidden parts of the tree."""

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


Cells = Mapping[Node, Mapping[str, int]]


def release_breakdown(
    tree: Tree,
    shown: Mapping[Node, Reason | None],
    cells: Cells,
    options: Sequence[str],
    minimum: int,
) -> dict[Node, dict[str, Reason | None]]:
    """For one attribute: for each node, each option's verdict (`options` ends with
    `UNDECLARED`; `cells` are each node's respondents per option, sub-teams included).

    1. Only a node whose own figures are shown may be broken down; its options are shown all
       together or not at all: each must be empty or at least `minimum` (a single small one is
       `below_threshold`, the others `could_be_inferred`, since the node's total less them
       would give it).
    2. Between two broken-down nodes, one below the other, each option's respondents of the
       upper one minus those of the highest broken-down nodes below it must be none or at least
       `minimum`; else the smallest of those lower nodes is no longer broken down, until it
       holds. A shown node whose respondents all declared one option is broken down by its
       own figures already: it stays in the subtraction and is never the one withdrawn (the
       upper node is, when no other lower node can be)."""
    children = tree.children()
    verdicts: dict[Node, dict[str, Reason | None]] = {}
    candidates: set[Node] = set()
    fixed = {
        node
        for node, reason in shown.items()
        if reason is None and sum(1 for o in options if cells.get(node, {}).get(o, 0)) == 1
    }
    for node in tree.top_down():
        reason = shown.get(node, Reason.BELOW_THRESHOLD)
        counts = cells.get(node, {})
        if reason is not None:
            verdicts[node] = dict.fromkeys(options, reason)
            continue
        small = {o for o in options if _unsafe(counts.get(o, 0), minimum)}
        verdicts[node] = {
            o: Reason.BELOW_THRESHOLD
            if o in small or counts.get(o, 0) == 0
            else (Reason.COULD_BE_INFERRED if small else None)
            for o in options
        }
        if not small:
            candidates.add(node)
    changed = True
    while changed:
        changed = False
        for node in tree.top_down():
            if node not in candidates:
                continue
            cover = _cover(children, candidates, node)
            for option in options:
                rest = cells[node].get(option, 0) - sum(cells[c].get(option, 0) for c in cover)
                if _unsafe(rest, minimum):
                    pool = [c for c in cover if c not in fixed] or [node]
                    smallest = min(pool, key=lambda c: (sum(cells[c].values()), str(c)))
                    candidates.discard(smallest)
                    verdicts[smallest] = dict.fromkeys(options, Reason.COULD_BE_INFERRED)
                    changed = True
                    break
    return verdicts
