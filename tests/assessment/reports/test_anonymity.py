"""The anonymity engine on counts alone: each attack by subtraction, and the guarantee that no
figure shown can be subtracted into a group smaller than the minimum."""

from __future__ import annotations

import itertools
import random
import uuid

from services.assessment.reports.anonymity import (
    ROOT,
    UNDECLARED,
    Node,
    Placed,
    Profile,
    Reason,
    Tree,
    atomic_cells,
    option_counts,
    release_breakdown,
    release_tree,
)

BELOW, INFERRED = Reason.BELOW_THRESHOLD, Reason.COULD_BE_INFERRED
A, B, C, G = (uuid.UUID(int=n) for n in (1, 2, 3, 4))


def test_a_group_below_the_minimum_shows_nothing() -> None:
    tree = Tree(parents={A: None}, direct={A: 4})

    verdicts = release_tree(tree, 5)

    assert verdicts == {ROOT: BELOW, A: BELOW}


def test_an_empty_group_is_withheld_too_never_shown_as_zero() -> None:
    tree = Tree(parents={A: None, B: None}, direct={A: 6})

    assert release_tree(tree, 5) == {ROOT: None, A: None, B: BELOW}


def test_a_sibling_is_withheld_when_the_total_less_it_gives_a_small_one() -> None:
    # everyone (8) = A (6) + B (2): showing A and everyone would give B by subtraction
    tree = Tree(parents={A: None, B: None}, direct={A: 6, B: 2})

    assert release_tree(tree, 5) == {ROOT: None, A: INFERRED, B: BELOW}


def test_siblings_that_add_up_exactly_are_all_shown() -> None:
    tree = Tree(parents={A: None, B: None}, direct={A: 5, B: 6})

    assert release_tree(tree, 5) == {ROOT: None, A: None, B: None}


def test_a_child_is_withheld_when_its_parent_less_it_is_a_small_group() -> None:
    # P has 2 people of its own and a sub-team C of 5: P - C would show those 2
    tree = Tree(parents={A: None, C: A}, direct={A: 2, C: 5})

    verdicts = release_tree(tree, 5)

    assert verdicts[A] is None
    assert verdicts[C] is INFERRED


def test_a_withheld_team_takes_its_sub_teams_along_so_they_do_not_add_up_to_it() -> None:
    # A (2 own) > C (0 own) > G (5): showing G would give C, and A - C the 2
    tree = Tree(parents={A: None, C: A, G: C}, direct={A: 2, G: 5})

    verdicts = release_tree(tree, 5)

    assert (verdicts[A], verdicts[C], verdicts[G]) == (None, INFERRED, INFERRED)


def test_the_smallest_sibling_is_withheld_to_protect_a_small_one() -> None:
    # 12 = 2 + 5 + 5: withholding one of the fives leaves 7 unexplained, not 2
    d = uuid.UUID(int=9)
    tree = Tree(parents={A: None, B: None, d: None}, direct={A: 2, B: 5, d: 5})

    verdicts = release_tree(tree, 5)

    assert verdicts[A] is BELOW
    assert sorted(v is None for v in (verdicts[B], verdicts[d])) == [False, True]
    assert verdicts[ROOT] is None


def _residuals(tree: Tree, verdicts: dict[Node, Reason | None]) -> list[int]:
    """What a reader gets by subtracting every shown group from the shown group above it."""
    sizes, children = tree.sizes(), tree.children()
    found = []
    for node, verdict in verdicts.items():
        if verdict is not None:
            continue
        rest, stack = sizes[node], list(children[node])
        while stack:
            item = stack.pop()
            if verdicts[item] is None:
                rest -= sizes[item]
            else:
                stack.extend(children[item])
        found.append(rest)
    return found


def test_no_shown_figure_subtracts_into_a_small_group_in_random_organisations() -> None:
    rng = random.Random(11)  # noqa: S311  # repeatable test data, not secrets
    for _ in range(300):
        teams = [uuid.UUID(int=n) for n in range(1, rng.randint(2, 14))]
        parents = {t: rng.choice([None, *teams[:i]]) for i, t in enumerate(teams)}
        direct: dict[Node, int] = {t: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9]) for t in teams}
        direct[ROOT] = rng.choice([0, 1, 2])
        minimum = rng.choice([3, 5])
        tree = Tree(parents=parents, direct=direct)

        verdicts = release_tree(tree, minimum)

        assert all(rest == 0 or rest >= minimum for rest in _residuals(tree, verdicts))
        assert all(tree.sizes()[n] >= minimum for n, v in verdicts.items() if v is None)


# --- Breakdowns: atomic cells (a unit by the profile of every attribute) ------------------------

OPTIONS = ["short", "long", UNDECLARED]


def _tenure(**counts: int) -> dict[Profile, int]:
    return {(option,): n for option, n in counts.items()}


def test_a_team_by_attribute_is_shown_all_together_or_not_at_all() -> None:
    tree = Tree(parents={A: None}, direct={A: 10})
    shown = release_tree(tree, 5)
    placed: Placed = {A: _tenure(short=8, long=2)}

    verdicts = release_breakdown(tree, shown, placed, 0, OPTIONS, 5)

    # `long` (2) is too small; `short` would give it as the team's 10 less 8
    assert verdicts[A] == dict.fromkeys(OPTIONS, INFERRED)
    assert verdicts[ROOT] == dict.fromkeys(OPTIONS, INFERRED)


def test_a_breakdown_with_large_enough_cells_shows_its_options_and_hides_the_empty_one() -> None:
    tree = Tree(parents={A: None}, direct={A: 11})
    shown = release_tree(tree, 5)
    placed: Placed = {A: _tenure(short=5, long=6)}

    verdicts = release_breakdown(tree, shown, placed, 0, OPTIONS, 5)

    assert verdicts[A] == verdicts[ROOT] == {"short": None, "long": None, UNDECLARED: BELOW}
    assert option_counts(tree, placed, 0, ROOT) == {"short": 5, "long": 6}


def test_the_organisation_is_not_broken_down_when_its_own_part_has_a_small_cell() -> None:
    # everyone (20): short 7, long 13; team A (11): short 5, long 6 -> everyone's short less
    # A's short is 2 people; A's own breakdown gives nothing away
    tree = Tree(parents={A: None}, direct={A: 11, ROOT: 9})
    shown = release_tree(tree, 5)
    placed: Placed = {A: _tenure(short=5, long=6), ROOT: _tenure(short=2, long=7)}

    verdicts = release_breakdown(tree, shown, placed, 0, OPTIONS, 5)

    assert verdicts[ROOT] == dict.fromkeys(OPTIONS, INFERRED)
    assert verdicts[A] == {"short": None, "long": None, UNDECLARED: BELOW}


def test_an_empty_cell_outside_a_team_is_no_cover_for_its_few_people() -> None:
    # 6 in no team, all short; A: 2 short, 8 long, 6 undeclared. Everyone's short less
    # (everyone - A) is A's 2 short people: everyone's short cell (6) is fine, A's (2) is not.
    tree = Tree(parents={A: None}, direct={A: 16, ROOT: 6})
    shown = release_tree(tree, 5)
    placed: Placed = {ROOT: _tenure(short=6), A: {("short",): 2, ("long",): 8, (UNDECLARED,): 6}}

    verdicts = release_breakdown(tree, shown, placed, 0, OPTIONS, 5)

    assert shown == {ROOT: None, A: None}
    assert verdicts == {ROOT: dict.fromkeys(OPTIONS, INFERRED), A: dict.fromkeys(OPTIONS, INFERRED)}


def test_two_attributes_are_checked_together() -> None:
    # new∧manager 2, new∧IC 5, old∧manager 5: `new` + `manager` - everyone = 2 people
    tree = Tree(parents={}, direct={ROOT: 12})
    shown = release_tree(tree, 5)
    placed: Placed = {ROOT: {("new", "manager"): 2, ("new", "ic"): 5, ("old", "manager"): 5}}

    by_tenure = release_breakdown(tree, shown, placed, 0, ["new", "old", UNDECLARED], 5)
    by_role = release_breakdown(tree, shown, placed, 1, ["manager", "ic", UNDECLARED], 5)

    assert set(by_tenure[ROOT].values()) == set(by_role[ROOT].values()) == {INFERRED}


def test_a_withheld_team_counts_in_the_unit_of_the_team_above_it() -> None:
    # B (2) is withheld: its people are part of everyone's own unit with those in no team
    tree = Tree(parents={A: None, B: None}, direct={A: 6, B: 2, ROOT: 3})
    shown = release_tree(tree, 5)
    placed: Placed = {A: _tenure(short=6), B: _tenure(short=2), ROOT: _tenure(long=3)}

    cells = atomic_cells(tree, shown, placed)
    verdicts = release_breakdown(tree, shown, placed, 0, OPTIONS, 5)

    assert shown == {ROOT: None, A: None, B: BELOW}
    assert cells == {A: {("short",): 6}, ROOT: {("short",): 2, ("long",): 3}}
    assert verdicts[ROOT] == dict.fromkeys(OPTIONS, INFERRED)
    assert verdicts[A] == {"short": None, "long": BELOW, UNDECLARED: BELOW}
    assert verdicts[B] == dict.fromkeys(OPTIONS, BELOW)


# --- The whole claim, checked by linear algebra on small organisations -----------------------

# Exact arithmetic modulo a large prime: for 0/1 vectors this small, a vector lies in the span
# of others modulo the prime exactly when it does over the rationals.
_PRIME = (1 << 61) - 1
# The finest group a reader could ever aim at: those placed in one node with one profile.
Atom = tuple[Node, tuple[str, ...]]


def _span(rows: list[list[int]]) -> list[tuple[int, list[int]]]:
    basis: list[tuple[int, list[int]]] = []
    for row in rows:
        reduced = _reduce(basis, row)
        pivot = next((i for i, x in enumerate(reduced) if x), None)
        if pivot is None:
            continue
        inverse = pow(reduced[pivot], _PRIME - 2, _PRIME)
        reduced = [x * inverse % _PRIME for x in reduced]
        basis = [
            (p, [(x - b[pivot] * y) % _PRIME for x, y in zip(b, reduced, strict=True)])
            for p, b in basis
        ]
        basis.append((pivot, reduced))
    return basis


def _reduce(basis: list[tuple[int, list[int]]], row: list[int]) -> list[int]:
    reduced = [x % _PRIME for x in row]
    for pivot, base in basis:
        if reduced[pivot]:
            factor = reduced[pivot]
            reduced = [(x - factor * y) % _PRIME for x, y in zip(reduced, base, strict=True)]
    return reduced


def _revealed_small_groups(rng: random.Random) -> list[list[Atom]]:
    """A random organisation (teams, one or two attributes), released by the engine: the tree
    and every attribute's breakdowns. Empty atoms are left out (a reader may know that nobody
    is there); returns every group of non-empty atoms whose figures are a linear combination
    of the released ones and which has between 1 and minimum - 1 respondents."""
    minimum = 3
    teams = [uuid.UUID(int=n) for n in range(1, rng.randint(2, 5))]
    parents = {t: rng.choice([None, *teams[:i]]) for i, t in enumerate(teams)}
    nodes: list[Node] = [ROOT, *teams]
    attributes = [[*rng.choice([["a"], ["a", "b"]]), UNDECLARED] for _ in range(rng.randint(1, 2))]
    profiles = list(itertools.product(*attributes))
    counts = {
        (n, p): rng.choice([0, 0, 0, 0, 1, 2, 3, 3, 4, 5, 6]) for n in nodes for p in profiles
    }
    atoms: list[Atom] = [atom for atom, count in counts.items() if count]
    tree = Tree(parents=parents, direct={n: sum(counts[(n, p)] for p in profiles) for n in nodes})
    placed: Placed = {n: {p: counts[(n, p)] for p in profiles} for n in nodes}
    shown = release_tree(tree, minimum)
    children = tree.children()
    below = {n: {n} for n in nodes}
    for node in reversed(tree.top_down()):
        for child in children[node]:
            below[node] |= below[child]
    released = [[int(a[0] in below[n]) for a in atoms] for n in nodes if shown[n] is None]
    for position, options in enumerate(attributes):
        verdicts = release_breakdown(tree, shown, placed, position, options, minimum)
        released += [
            [int(a[0] in below[n] and a[1][position] == o) for a in atoms]
            for n in nodes
            for o in options
            if verdicts[n][o] is None
        ]
    basis = _span(released)
    found = []
    # every non-empty atom holds someone: a small group joins at most minimum - 1 of them
    for size in range(1, minimum):
        for group in itertools.combinations(range(len(atoms)), size):
            if not 0 < sum(counts[atoms[i]] for i in group) < minimum:
                continue
            if not any(_reduce(basis, [int(i in group) for i in range(len(atoms))])):
                found.append([atoms[i] for i in group])
    return found


def test_no_combination_of_released_figures_reveals_a_small_group() -> None:
    rng = random.Random(5)  # noqa: S311  # repeatable test data, not secrets

    revealed = [_revealed_small_groups(rng) for _ in range(200)]

    assert [groups for groups in revealed if groups] == []
