"""Progress: how far a key result has come from its start towards its target, upwards or
downwards, within 0 and 1; an objective's is the weighted mean of its key results'."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.models import Cycle
from services.goals.progress import objective_progress, progress
from tests.goals.factories import create_key_result, create_objective, create_person
from tests.support import Tokens


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 100, 0, 0.0),
        (0, 100, 25, 0.25),
        (0, 100, 100, 1.0),
        (0, 100, 130, 1.0),  # beyond the target
        (0, 100, -20, 0.0),  # behind the start
        (20, 70, 45, 0.5),
        (-10, 10, 0, 0.5),
        (100, 20, 100, 0.0),  # a decrease: churn from 100 down to 20
        (100, 20, 60, 0.5),
        (100, 20, 20, 1.0),
        (100, 20, 5, 1.0),  # further down than the target
        (100, 20, 120, 0.0),  # up instead of down
        (0, -50, -10, 0.2),
        (1, 0, 0.75, 0.25),
    ],
)
def test_progress_runs_from_start_to_target_in_either_direction(
    start: float, target: float, current: float, expected: float
) -> None:
    assert progress(start, target, current) == pytest.approx(expected)


def test_progress_stays_finite_at_the_edges_of_what_is_accepted() -> None:
    assert progress(-1e15, 1e15, 1e15) == 1.0
    assert progress(1e15, -1e15, 0) == pytest.approx(0.5)


def test_an_objective_weighs_its_key_results() -> None:
    halfway_light = (0.5, 1.0)
    done_heavy = (1.0, 3.0)

    assert objective_progress([halfway_light, done_heavy]) == pytest.approx(0.875)
    assert objective_progress([halfway_light]) == pytest.approx(0.5)
    assert objective_progress([]) is None


async def test_check_ins_move_progress_up_and_down_decreases_included(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    tokens: Tokens,
) -> None:
    owner: OrgPerson = await create_person(session)
    headers = tokens.person(owner.email)
    objective = await create_objective(session, cycle, owner)
    signups = await create_key_result(session, objective, start=0.0, target=200.0, weight=1.0)
    churn = await create_key_result(session, objective, start=8.0, target=4.0, weight=3.0)

    async def check_in(key_result_id: object, value: float) -> None:
        response = await client.post(
            f"/v1/key-results/{key_result_id}/check-ins",
            json={"value": value, "confidence": 5},
            headers=headers,
        )
        assert response.status_code == 201

    async def progresses() -> tuple[float, float, float]:
        results = (
            await client.get(f"/v1/objectives/{objective.id}/key-results", headers=headers)
        ).json()["items"]
        parent = (await client.get(f"/v1/objectives/{objective.id}", headers=headers)).json()
        return results[0]["progress"], results[1]["progress"], parent["progress"]

    assert await progresses() == (0.0, 0.0, 0.0)
    await check_in(signups.id, 50)
    await check_in(churn.id, 7)
    assert await progresses() == (0.25, 0.25, 0.25)
    await check_in(churn.id, 3)
    assert await progresses() == (0.25, 1.0, 0.8125)
    await check_in(signups.id, -10)
    await check_in(churn.id, 6.5)
    assert await progresses() == (0.0, 0.375, 0.2812)
