"""The four built-in instruments: organisational maturity, leader trust, needs pulse and team
psychological safety. Constructs are cited; every item is Inspire's own wording.

Ids are derived from the keys, so every installation shares them. The rows are written as they
are now, without the service's models, which may change after this revision.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:50:00.000000
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAMESPACE = uuid.UUID("7f3c2a5e-1d4b-4c8e-9a6f-2b1e0d9c8a70")

AGREEMENT = [
    {"value": 1, "label": "Strongly disagree"},
    {"value": 2, "label": "Disagree"},
    {"value": 3, "label": "Neither agree nor disagree"},
    {"value": 4, "label": "Agree"},
    {"value": 5, "label": "Strongly agree"},
]

# key, name, description, areas [(key, name)], questions [(area, text, reverse_scored)]
BUILT_IN: list[tuple[str, str, str, list[tuple[str, str]], list[tuple[str, str, bool]]]] = [
    (
        "maturity",
        "Organisational maturity",
        "Where an organisation stands on the five levels of the Emergent Leadership Model "
        "(V. Hlupic): Lifeless/Apathetic, Reluctant/Stagnating, Controlled/Orderly, "
        "Enthusiastic/Collaborative, Limitless/Unbounded. Each of the six diagnostic areas is "
        "scored and mapped to a level, per unit, to plan what to stop, continue and start.",
        [
            ("culture", "Culture"),
            ("relationships", "Relationships"),
            ("individuals", "Individuals"),
            ("strategy", "Strategy"),
            ("systems", "Systems"),
            ("resources", "Resources"),
        ],
        [
            ("culture", "People here raise problems early, without fear of blame.", False),
            ("culture", "Mistakes here are treated as a chance to learn.", False),
            ("culture", "Most people here do the minimum that is asked of them.", True),
            ("relationships", "Teams here share what they know with other teams.", False),
            ("relationships", "People help colleagues outside their own team.", False),
            ("relationships", "Disagreements here are talked through openly and fairly.", False),
            ("individuals", "People here are trusted to decide how they do their work.", False),
            ("individuals", "People are given responsibility for outcomes, not just tasks.", False),
            ("individuals", "Criticism is more common here than encouragement.", True),
            ("strategy", "Goals here are set together with the people who pursue them.", False),
            ("strategy", "I can explain how my work connects to where we are heading.", False),
            ("strategy", "Decisions are made by those who know the subject best.", False),
            ("systems", "Our processes help people get things done.", False),
            ("systems", "The information I need to decide well is easy to find.", False),
            ("systems", "We rarely stop to improve the way we work.", True),
            ("resources", "Resources go to the best ideas rather than to the most senior.", False),
            ("resources", "People have the time and tools they need to do good work.", False),
            ("resources", "There is room here to try new things and learn from them.", False),
        ],
    ),
    (
        "trust",
        "Leader trust",
        "A team rates its leader's trustworthiness on the four constructs of the Trust "
        "Equation: credibility, reliability, intimacy and self-orientation. Scored so that a "
        "higher score always means more trust; for self-orientation, a higher score means a "
        "leader less focused on themselves. For development, never pay.",
        [
            ("credibility", "Credibility"),
            ("reliability", "Reliability"),
            ("intimacy", "Intimacy"),
            ("self_orientation", "Self-orientation"),
        ],
        [
            ("credibility", "My leader knows our field well.", False),
            ("credibility", "My leader is open about what they do not know.", False),
            ("credibility", "I believe what my leader tells me.", False),
            ("reliability", "My leader does what they say they will do.", False),
            ("reliability", "My leader treats people consistently.", False),
            ("reliability", "I often cannot tell how my leader will react.", True),
            ("intimacy", "I can raise a personal concern with my leader.", False),
            ("intimacy", "My leader keeps sensitive matters to themselves.", False),
            ("intimacy", "I would tell my leader about a mistake I made.", False),
            ("self_orientation", "My leader listens to understand, not to reply.", False),
            (
                "self_orientation",
                "My leader puts the team's success before their own credit.",
                False,
            ),
            ("self_orientation", "My leader seems more concerned with their own agenda.", True),
        ],
    ),
    (
        "needs",
        "Needs pulse",
        "A short pulse on the three psychological needs of self-determination theory: "
        "autonomy, relatedness and competence. People thrive at work when all three are met.",
        [
            ("autonomy", "Autonomy"),
            ("relatedness", "Relatedness"),
            ("competence", "Competence"),
        ],
        [
            ("autonomy", "I have a say in how I do my work.", False),
            ("autonomy", "I can make the decisions my work needs.", False),
            ("autonomy", "I often feel pushed into doing things I disagree with.", True),
            ("relatedness", "I feel connected to the people I work with.", False),
            ("relatedness", "People at work care about how I am doing.", False),
            ("relatedness", "I often feel left out at work.", True),
            ("competence", "I feel capable at what I do.", False),
            ("competence", "I am getting better at my work.", False),
            ("competence", "I often doubt that I can do my work well.", True),
        ],
    ),
    (
        "psych_safety",
        "Team psychological safety",
        "Whether people feel safe to take interpersonal risks in their team (the construct "
        "described by A. Edmondson): to speak up, ask for help, admit errors and try things. "
        "It underpins learning from mistakes.",
        [("psychological_safety", "Psychological safety")],
        [
            ("psychological_safety", "In my team, raising a concern is welcomed.", False),
            ("psychological_safety", "I can admit an error in my team without worry.", False),
            ("psychological_safety", "Asking a teammate for help feels natural.", False),
            (
                "psychological_safety",
                "Trying something new and failing would count against me.",
                True,
            ),
            (
                "psychological_safety",
                "My teammates listen to views that differ from theirs.",
                False,
            ),
            (
                "psychological_safety",
                "I hold back ideas because of how they might be received.",
                True,
            ),
            ("psychological_safety", "My teammates build on each other's work.", False),
        ],
    ),
]

instrument = sa.table(
    "instrument",
    sa.column("id", sa.Uuid()),
    sa.column("key", sa.String()),
    sa.column("name", sa.String()),
    sa.column("description", sa.String()),
    sa.column("edition", sa.String()),
    sa.column("areas", postgresql.JSONB()),
    sa.column("scale_min", sa.Integer()),
    sa.column("scale_max", sa.Integer()),
    sa.column("scale_labels", postgresql.JSONB()),
    sa.column("active", sa.Boolean()),
    sa.column("built_in", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer()),
)
question = sa.table(
    "question",
    sa.column("id", sa.Uuid()),
    sa.column("instrument_id", sa.Uuid()),
    sa.column("position", sa.Integer()),
    sa.column("area", sa.String()),
    sa.column("text", sa.String()),
    sa.column("reverse_scored", sa.Boolean()),
)


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "/".join(str(part) for part in parts))


def upgrade() -> None:
    now = datetime.now(UTC)
    instruments: list[dict[str, object]] = []
    questions: list[dict[str, object]] = []
    for order, (key, name, description, areas, items) in enumerate(BUILT_IN):
        # A microsecond apart, so that lists show them in this order.
        created_at = now + timedelta(microseconds=order)
        instruments.append(
            {
                "id": _id(key),
                "key": key,
                "name": name,
                "description": description,
                "edition": "1",
                "areas": [{"key": area_key, "name": area_name} for area_key, area_name in areas],
                "scale_min": 1,
                "scale_max": 5,
                "scale_labels": AGREEMENT,
                "active": True,
                "built_in": True,
                "created_at": created_at,
                "updated_at": created_at,
                "version": 1,
            }
        )
        questions += [
            {
                "id": _id(key, position),
                "instrument_id": _id(key),
                "position": position,
                "area": area,
                "text": text,
                "reverse_scored": reverse_scored,
            }
            for position, (area, text, reverse_scored) in enumerate(items, start=1)
        ]
    op.bulk_insert(instrument, instruments)
    op.bulk_insert(question, questions)


def downgrade() -> None:
    ids = [_id(key) for key, *_ in BUILT_IN]
    op.execute(sa.delete(question).where(question.c.instrument_id.in_(ids)))
    op.execute(sa.delete(instrument).where(instrument.c.id.in_(ids)))
