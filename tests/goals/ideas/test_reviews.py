"""Reviews of ideas: peers review on impact, evidence and feasibility, once each and never
their own idea; the standing is the reviews' means, from three reviews on; and nobody but the
reviewer reads how they scored, their manager included."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.orgcopy import OrgPerson
from tests.goals.ideas.support import new_review, review
from tests.support import Outbox, Tokens


async def test_a_peer_reviews_an_idea_and_puts_it_under_review(
    client: httpx.AsyncClient,
    tokens: Tokens,
    outbox: Outbox,
    ada: OrgPerson,
    idea: dict[str, Any],
    reviewers: list[OrgPerson],
    as_ada: dict[str, str],
) -> None:
    ben = reviewers[0]

    response = await review(client, tokens, ben, idea)

    assert response.status_code == 201, response.text
    made = response.json()
    assert response.headers["location"] == f"/v1/idea-reviews/{made['id']}"
    assert made | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "idea_id": idea["id"],
        "reviewer_id": str(ben.id),
        "impact": 4,
        "evidence": 3,
        "feasibility": 5,
        "comment": "Would save us real time.",
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    read = (await client.get(f"/v1/ideas/{idea['id']}", headers=as_ada)).json()
    assert (read["status"], read["standing"]["review_count"]) == ("under_review", 1)
    # Who reviewed is in no event: nobody can read it through the API either.
    assert (await outbox.events())[-1] == (
        "idea.reviewed",
        {
            "idea_id": idea["id"],
            "proposer_id": str(ada.id),
            "status": "under_review",
            "review_count": 1,
            "first": True,
        },
    )


async def test_nobody_reviews_their_own_idea(
    client: httpx.AsyncClient, ada: OrgPerson, tokens: Tokens, idea: dict[str, Any]
) -> None:
    response = await review(client, tokens, ada, idea)

    assert (response.status_code, response.json()["code"]) == (403, "own_idea")


async def test_one_review_per_reviewer(
    client: httpx.AsyncClient, tokens: Tokens, idea: dict[str, Any], reviewers: list[OrgPerson]
) -> None:
    await review(client, tokens, reviewers[0], idea)

    again = await review(client, tokens, reviewers[0], idea, impact=1)

    assert (again.status_code, again.json()["code"]) == (409, "already_reviewed")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"impact": 0}, "body.impact"),
        ({"evidence": 6}, "body.evidence"),
        ({"feasibility": "5"}, "body.feasibility"),
        ({"comment": "  "}, "body.comment"),
    ],
)
async def test_criteria_run_from_1_to_5_and_a_comment_is_needed(
    client: httpx.AsyncClient,
    tokens: Tokens,
    idea: dict[str, Any],
    reviewers: list[OrgPerson],
    change: dict[str, Any],
    field: str,
) -> None:
    response = await review(client, tokens, reviewers[0], idea, **change)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_the_standing_is_the_mean_of_the_reviews_from_three_on(
    client: httpx.AsyncClient,
    tokens: Tokens,
    idea: dict[str, Any],
    reviewers: list[OrgPerson],
    as_ada: dict[str, str],
) -> None:
    path = f"/v1/ideas/{idea['id']}"
    scores = [(5, 4, 3), (3, 3, 3), (4, 2, 2)]
    standings = []
    for reviewer, (impact, evidence, feasibility) in zip(reviewers, scores, strict=True):
        await review(
            client,
            tokens,
            reviewer,
            idea,
            impact=impact,
            evidence=evidence,
            feasibility=feasibility,
        )
        standings.append((await client.get(path, headers=as_ada)).json()["standing"])

    assert [standing["review_count"] for standing in standings] == [1, 2, 3]
    assert standings[1]["impact"] is None  # two reviews: a mean would be a person's scores
    assert standings[2] == {
        "review_count": 3,
        "impact": 4.0,
        "evidence": 3.0,
        "feasibility": 2.67,
        "overall": 3.22,  # (12 + 9 + 8) / 9
    }


async def test_a_reviewer_changes_their_review_while_the_idea_is_open(
    client: httpx.AsyncClient,
    tokens: Tokens,
    outbox: Outbox,
    idea: dict[str, Any],
    reviewers: list[OrgPerson],
    as_admin: dict[str, str],
) -> None:
    ben, cleo = reviewers[0], reviewers[1]
    as_ben = tokens.person(ben.email)
    made = (await review(client, tokens, ben, idea)).json()
    path = f"/v1/idea-reviews/{made['id']}"

    without = await client.patch(path, json={"impact": 2}, headers=as_ben)
    by_cleo = await client.patch(
        path, json={"impact": 1}, headers={**tokens.person(cleo.email), "If-Match": '"1"'}
    )
    changed = await client.patch(path, json={"impact": 2}, headers={**as_ben, "If-Match": '"1"'})
    null = await client.patch(path, json={"comment": None}, headers={**as_ben, "If-Match": '"2"'})
    await client.post(
        f"/v1/ideas/{idea['id']}/allocation",
        json={"granted": {"time_person_days": 5}},
        headers=as_admin,
    )
    after = await client.patch(path, json={"impact": 5}, headers={**as_ben, "If-Match": '"2"'})

    assert without.status_code == 428
    assert (by_cleo.status_code, by_cleo.json()["code"]) == (404, "review_not_found")
    assert changed.status_code == 200
    assert (changed.json()["impact"], changed.json()["version"]) == (2, 2)
    assert changed.headers["etag"] == '"2"'
    assert null.status_code == 422
    assert (after.status_code, after.json()["code"]) == (409, "idea_decided")
    reviewed = [payload for type_, payload in await outbox.events() if type_ == "idea.reviewed"]
    assert [payload["first"] for payload in reviewed] == [True, False]


async def test_only_the_reviewer_reads_their_scores_not_their_manager_nor_anyone(
    client: httpx.AsyncClient,
    tokens: Tokens,
    idea: dict[str, Any],
    reviewers: list[OrgPerson],
    mia: OrgPerson,
    as_ada: dict[str, str],
    as_admin: dict[str, str],
) -> None:
    ben = reviewers[0]
    for reviewer, comment in zip(
        reviewers, ["Ben's view", "Cleo's view", "Dan's view"], strict=True
    ):
        await review(
            client, tokens, reviewer, idea, impact=1 if reviewer == ben else 5, comment=comment
        )
    path = f"/v1/ideas/{idea['id']}/reviews"

    as_ben = (await client.get(path, headers=tokens.person(ben.email))).json()
    as_manager = (await client.get(path, headers=tokens.person(mia.email))).json()
    as_proposer = (await client.get(path, headers=as_ada)).json()
    as_hr = (await client.get(path, headers=as_admin)).json()

    assert as_ben["mine"]["reviewer_id"] == str(ben.id)
    assert as_ben["mine"]["impact"] == 1
    for read in (as_manager, as_proposer, as_hr):
        assert read["mine"] is None
        assert sorted(read["comments"]) == ["Ben's view", "Cleo's view", "Dan's view"]
        assert read["standing"]["impact"] == pytest.approx(3.67)
        # No reviewer's id anywhere, and no score but the means.
        assert str(ben.id) not in str(read)
        assert set(read) == {"idea_id", "standing", "mine", "comments"}


async def test_a_review_body_is_strict(
    client: httpx.AsyncClient, tokens: Tokens, idea: dict[str, Any], reviewers: list[OrgPerson]
) -> None:
    response = await client.post(
        f"/v1/ideas/{idea['id']}/reviews",
        json=new_review(reviewer_rank="senior"),
        headers=tokens.person(reviewers[0].email),
    )

    assert response.status_code == 422
