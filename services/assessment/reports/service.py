"""The rules of reports. A round's results exist only once it closes (no live results); every
output goes through the anonymity engine (`anonymity.py`) first: the counts of respondents per
snapshotted team decide which groups show figures, then PostgreSQL computes the figures of
those groups alone. Closing a round announces its report with released counts only."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, NotFound, Unprocessable
from kit.events import record_event
from kit.repository import get
from services.assessment.events import REPORT_READY, ReportReadyPayload
from services.assessment.instruments.locales import best_locale, language_read
from services.assessment.instruments.recommendations import LOCALES, recommendations_for
from services.assessment.instruments.schemas import RecommendationsRead
from services.assessment.instruments.service import wanted_languages
from services.assessment.levels import Level, level_of
from services.assessment.models import Instrument
from services.assessment.plans import repository as plans
from services.assessment.plans.schemas import PlanRead
from services.assessment.plans.service import present as present_plans
from services.assessment.reports import repository
from services.assessment.reports.anonymity import (
    ROOT,
    UNDECLARED,
    Node,
    Reason,
    Tree,
    option_counts,
    release_breakdown,
    release_tree,
)
from services.assessment.reports.repository import AreaFigures
from services.assessment.reports.schemas import (
    AreaReport,
    BreakdownRead,
    CommentRead,
    GroupReport,
    HeatCell,
    HeatmapRead,
    HeatRow,
    ManagementShare,
    OptionReport,
    TrendPoint,
    TrendRead,
)
from services.assessment.rounds import service as rounds
from services.assessment.rounds.models import Round
from services.assessment.rounds.schemas import RoundRead, RoundStatus

MAX_COMMENTS = 200
TREND_ROUNDS = 12
# A report recommends steps for at most this many weak areas, the weakest first.
MAX_WEAK_AREAS = 3


@dataclass(frozen=True)
class Released:
    """A closed round's groups as the engine leaves them."""

    tree: Tree
    names: dict[Node, str]
    sizes: dict[Node, int]
    verdicts: dict[Node, Reason | None]

    def shown_teams(self) -> list[uuid.UUID]:
        return [node for node, verdict in self.verdicts.items() if node and verdict is None]


async def release(session: AsyncSession, round_: Round) -> Released:
    teams = await repository.teams(session, round_.id)
    tree = Tree(
        parents={team.team_id: team.parent_id for team in teams},
        direct=await repository.placed_counts(session, round_.id),
    )
    names: dict[Node, str] = {ROOT: round_.name}
    names.update({team.team_id: team.name for team in teams})
    return Released(
        tree=tree,
        names=names,
        sizes=tree.sizes(),
        verdicts=release_tree(tree, round_.min_group_size),
    )


def _require_closed(round_: Round, now: datetime) -> None:
    if rounds.status_of(round_, now) is not RoundStatus.CLOSED:
        raise Conflict("Results are shown once the round closes.", code="round_not_closed")


async def _instrument(session: AsyncSession, round_: Round) -> Instrument:
    instrument = await get(session, Instrument, round_.instrument_id)
    if instrument is None:  # a foreign key keeps it; this keeps types honest
        raise rounds.round_not_found()
    return instrument


def _share(levels: Sequence[int]) -> ManagementShare | None:
    total = sum(levels)
    if not total:
        return None
    low = sum(levels[:3]) / total
    return ManagementShare(management_1_0=round(low, 4), management_2_0=round(1 - low, 4))


def _mean(value: Decimal) -> float:
    return round(float(value), 2)


def _cells(
    areas: Sequence[str], figures: dict[str, AreaFigures], withheld: Reason | None
) -> list[HeatCell]:
    return [
        HeatCell(area=area, mean=None, level=None)
        if withheld is not None or area not in figures
        else HeatCell(area=area, mean=_mean(figures[area].mean), level=figures[area].level)
        for area in areas
    ]


def _by_group(rows: Sequence[AreaFigures]) -> dict[Node, dict[str, AreaFigures]]:
    found: dict[Node, dict[str, AreaFigures]] = {}
    for row in rows:
        found.setdefault(row.group_id, {})[row.area] = row
    return found


async def _group_plans(
    session: AsyncSession, round_: Round, team_id: uuid.UUID | None
) -> list[PlanRead]:
    earlier = await repository.earlier_rounds(session, round_, TREND_ROUNDS)
    rows = await plans.plans_of_rounds(session, [r.id for r in earlier], team_id)
    return await present_plans(session, rows)


def weak_areas(instrument: Instrument, figures: dict[str, AreaFigures]) -> tuple[Level, list[str]]:
    """The group's level (that of the mean of its area means, each area weighing the same)
    and its weak areas: those at levels 1 to 3 (Management 1.0), lowest mean first (ties in the
    instrument's order), at most `MAX_WEAK_AREAS`."""
    order = [area["key"] for area in instrument.areas if area["key"] in figures]
    overall = sum((figures[key].mean for key in order), Decimal(0)) / len(order)
    weak = sorted(
        (key for key in order if figures[key].level <= Level.ORDERLY),
        key=lambda key: (figures[key].mean, order.index(key)),
    )
    return level_of(overall, instrument.level_thresholds), weak[:MAX_WEAK_AREAS]


async def _recommend(
    session: AsyncSession,
    actor: Actor,
    instrument: Instrument,
    figures: dict[str, AreaFigures],
    accept_language: str | None,
) -> RecommendationsRead | None:
    """The model's steps for a shown group's level and weak areas, in the reader's language
    (as instruments choose it); none for a group without figures."""
    if not figures:
        return None
    level, weak = weak_areas(instrument, figures)
    wanted = await wanted_languages(session, actor, accept_language)
    served = best_locale(wanted, LOCALES)
    found = recommendations_for(instrument.key, level, weak, served)
    return found.model_copy(update={"language": language_read(wanted, served, [])})


async def group_report(
    session: AsyncSession,
    actor: Actor,
    round_id: uuid.UUID,
    team_id: uuid.UUID | None,
    now: datetime,
    accept_language: str | None = None,
) -> GroupReport:
    """A team's report (its sub-teams included), or the whole audience's."""
    round_ = await rounds.round_for_group(session, actor, round_id, team_id, "report.read")
    _require_closed(round_, now)
    released = await release(session, round_)
    instrument = await _instrument(session, round_)
    withheld = released.verdicts.get(team_id, Reason.BELOW_THRESHOLD)
    shown = withheld is None
    groups = [] if team_id is None else [team_id]
    figures: dict[str, AreaFigures] = {}
    spread: dict[tuple[Node, str], dict[int, int]] = {}
    comments: list[CommentRead] | None = None
    if shown:
        rows = await repository.area_figures(session, round_.id, groups, whole=team_id is None)
        figures = {row.area: row for row in rows}
        spread = await repository.distributions(session, round_.id, groups, whole=team_id is None)
        comments = [
            CommentRead(question_id=question_id, text=text)
            for question_id, text in await repository.comments(
                session, round_.id, team_id, MAX_COMMENTS
            )
        ]
    areas = []
    for area in instrument.areas:
        found = figures.get(area["key"])
        areas.append(
            AreaReport(
                key=area["key"],
                name=area["name"],
                mean=None if found is None else _mean(found.mean),
                level=None if found is None else found.level,
                level_counts=None
                if found is None
                else {str(level): n for level, n in enumerate(found.levels, start=1)},
                distribution=None
                if found is None
                else {
                    str(point): spread.get((team_id, area["key"]), {}).get(point, 0)
                    for point in range(instrument.scale_min, instrument.scale_max + 1)
                },
                share=None if found is None else _share(found.levels),
                withheld=withheld,
            )
        )
    totals = [sum(f.levels[i] for f in figures.values()) for i in range(5)]
    return GroupReport(
        round_id=round_.id,
        team_id=team_id,
        name=released.names.get(team_id, round_.name),
        respondents=released.sizes[team_id] if shown else None,
        withheld=withheld,
        areas=areas,
        share=_share(totals) if shown else None,
        comments=comments,
        plans=await _group_plans(session, round_, team_id),
        recommendations=await _recommend(session, actor, instrument, figures, accept_language),
    )


async def group_reports(
    session: AsyncSession,
    actor: Actor,
    round_id: uuid.UUID,
    team_ids: Sequence[uuid.UUID],
    now: datetime,
    accept_language: str | None = None,
) -> list[GroupReport]:
    """Several teams' reports of one round at once, in the order asked: those the caller may
    read (the others left out, as for a batch read by id); each as `group_report` gives it."""
    found = []
    for team_id in dict.fromkeys(team_ids):
        try:
            found.append(
                await group_report(session, actor, round_id, team_id, now, accept_language)
            )
        except NotFound:
            continue
    return found


async def heatmap(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, now: datetime
) -> HeatmapRead:
    """Every snapshotted team by every area, for those who run the whole round."""
    round_ = await rounds.round_for_group(session, actor, round_id, None, "report.read")
    _require_closed(round_, now)
    released = await release(session, round_)
    instrument = await _instrument(session, round_)
    rows = await repository.area_figures(
        session, round_.id, released.shown_teams(), whole=released.verdicts[ROOT] is None
    )
    figures = _by_group(rows)
    areas = [area["key"] for area in instrument.areas]
    nodes = released.tree.top_down()
    return HeatmapRead(
        round_id=round_.id,
        areas=areas,
        rows=[
            HeatRow(
                team_id=node,
                parent_id=None if node is None else released.tree.parents.get(node),
                name=released.names[node],
                respondents=released.sizes[node] if released.verdicts[node] is None else None,
                withheld=released.verdicts[node],
                cells=_cells(areas, figures.get(node, {}), released.verdicts[node]),
            )
            for node in nodes
        ],
    )


async def breakdown(
    session: AsyncSession,
    actor: Actor,
    round_id: uuid.UUID,
    team_id: uuid.UUID | None,
    attribute: str,
    now: datetime,
) -> BreakdownRead:
    """One group's figures by the options of one declared attribute (and `undeclared`)."""
    round_ = await rounds.round_for_group(session, actor, round_id, team_id, "report.read")
    _require_closed(round_, now)
    declared = {a["key"]: [o["key"] for o in a["options"]] for a in round_.attributes}
    if attribute not in declared:
        raise Unprocessable(
            "The round declared no such attribute.", code="unknown_attribute", field="attribute"
        )
    options = [*declared[attribute], UNDECLARED]
    released = await release(session, round_)
    placed = await repository.placed_counts_by_profile(session, round_.id, list(declared))
    position = list(declared).index(attribute)
    verdicts = release_breakdown(
        released.tree, released.verdicts, placed, position, options, round_.min_group_size
    )[team_id]
    respondents = option_counts(released.tree, placed, position, team_id)
    instrument = await _instrument(session, round_)
    areas = [area["key"] for area in instrument.areas]
    groups = [] if team_id is None else [team_id]
    reports = []
    for option in options:
        figures: dict[str, AreaFigures] = {}
        if verdicts[option] is None:
            rows = await repository.area_figures(
                session, round_.id, groups, whole=team_id is None, attribute=(attribute, option)
            )
            figures = {row.area: row for row in rows}
        reports.append(
            OptionReport(
                option=option,
                respondents=respondents.get(option) if verdicts[option] is None else None,
                withheld=verdicts[option],
                cells=_cells(areas, figures, verdicts[option]),
            )
        )
    return BreakdownRead(round_id=round_.id, team_id=team_id, attribute=attribute, options=reports)


async def trend(
    session: AsyncSession,
    actor: Actor,
    round_id: uuid.UUID,
    team_id: uuid.UUID | None,
    now: datetime,
) -> TrendRead:
    """The group's area means in each closed round of the same instrument up to this one that
    had it in its audience, each round as its own engine allows."""
    round_ = await rounds.round_for_group(session, actor, round_id, team_id, "report.read")
    _require_closed(round_, now)
    instrument = await _instrument(session, round_)
    areas = [area["key"] for area in instrument.areas]
    points = []
    for earlier in reversed(await repository.earlier_rounds(session, round_, TREND_ROUNDS)):
        if rounds.status_of(earlier, now) is not RoundStatus.CLOSED:
            continue
        released = await release(session, earlier)
        if team_id not in released.verdicts:
            continue
        verdict = released.verdicts[team_id]
        figures: dict[str, AreaFigures] = {}
        if verdict is None:
            rows = await repository.area_figures(
                session, earlier.id, [] if team_id is None else [team_id], whole=team_id is None
            )
            figures = {row.area: row for row in rows}
        points.append(
            TrendPoint(
                round_id=earlier.id,
                name=earlier.name,
                closes_at=earlier.closes_at,
                respondents=released.sizes[team_id] if verdict is None else None,
                withheld=verdict,
                cells=_cells(areas, figures, verdict),
            )
        )
    return TrendRead(instrument_id=round_.instrument_id, team_id=team_id, points=points)


# --- Closing -----------------------------------------------------------------------------------


async def _announce(session: AsyncSession, round_: Round) -> None:
    released = await release(session, round_)
    shown = sum(1 for verdict in released.verdicts.values() if verdict is None)
    await record_event(
        session,
        REPORT_READY,
        ReportReadyPayload(
            round_id=round_.id,
            instrument_id=round_.instrument_id,
            respondents=released.sizes[ROOT] if released.verdicts[ROOT] is None else None,
            groups_shown=shown,
            groups_withheld=len(released.verdicts) - shown,
        ),
    )


async def close_round(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, now: datetime
) -> RoundRead:
    """Closes an open round by hand, before its close date; its report is then ready."""
    closed = await rounds.close_round(session, actor, round_id, now)
    round_ = await get(session, Round, round_id)
    if round_ is None:  # just closed; this keeps types honest
        raise NotFound("No round has this id.", code="round_not_found")
    await _announce(session, round_)
    return closed


async def tick(session: AsyncSession, now: datetime) -> int:
    """Opens the rounds whose time has come, closes those past their close date and announces
    their reports; how many rounds changed."""
    due = await rounds.due_rounds(session, now)
    for round_ in due:
        if round_.status is RoundStatus.DRAFT:
            await rounds.open_now(session, round_, now)
        else:
            await rounds.close_now(session, round_, now)
            await _announce(session, round_)
    return len(due)
