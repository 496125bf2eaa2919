"""Who works at the demo company, in which teams, what they aim for this quarter, and the
feedback they gave each other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DOMAIN = "demo.inspire.test"


@dataclass(frozen=True)
class DemoTeam:
    name: str
    lead: str
    members: tuple[str, ...]
    time_zone: str


@dataclass(frozen=True)
class DemoKeyResult:
    title: str
    start: float
    target: float
    unit: str | None
    # (value, confidence, note) check-ins, oldest first.
    check_ins: tuple[tuple[float, int, str], ...] = ()


@dataclass(frozen=True)
class DemoObjective:
    key: str
    title: str
    description: str
    key_results: tuple[DemoKeyResult, ...]
    owner_person: str | None = None
    owner_team: str | None = None
    # Neither a person nor a team: the company's own objective.
    private: bool = False
    kind: str = "committed"
    aligned_to: str | None = None
    # (key of the objective depended on, what is needed)
    depends_on: tuple[tuple[str, str], ...] = ()
    # Proposed and co-signed by the owner and their manager.
    agreed: bool = False
    roll_up: bool = False

    @property
    def owner_kind(self) -> str:
        if self.owner_person:
            return "person"
        return "team" if self.owner_team else "company"


CEO = "Amara Okafor"
HR_ADMIN = "Lena Fischer"
# Whom `inspire dev` signs GraphiQL in as: a team lead, with a manager and reports.
VIEWER = "Sofia Marquez"

TEAMS = (
    DemoTeam(
        "Product",
        "Sofia Marquez",
        ("Kenji Watanabe", "Priya Raman", "Jonas Berg", "Chloe Dubois", "Tariq Haddad", "Mei Lin"),
        "Europe/Madrid",
    ),
    DemoTeam(
        "Engineering",
        "Daniel Novak",
        ("Aisha Bello", "Lukas Schmidt", "Noah Kim", "Fatima Zahra", "Oliver Hughes", "Ines Costa"),
        "Europe/Berlin",
    ),
    DemoTeam(
        "Customer Success",
        "Grace Mensah",
        (
            "Mateo Rossi",
            "Hana Sato",
            "Elif Yilmaz",
            "Samuel Adeyemi",
            "Nora Lindqvist",
            "Ravi Patel",
        ),
        "Europe/London",
    ),
    DemoTeam(
        "People & Operations",
        "Camille Laurent",
        (HR_ADMIN, "Omar Farouk", "Julia Nowak", "Ethan Brooks", "Zanele Dlamini", "Yusuf Demir"),
        "Europe/Paris",
    ),
)


def current_quarter(today: date) -> tuple[str, date, date]:
    """The demo's cycle: the quarter we are in, so that pacing and due check-ins mean something."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    starts_on = date(today.year, first_month, 1)
    next_start = (
        date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
    )
    return f"Q{(first_month + 2) // 3} {today.year}", starts_on, next_start - timedelta(days=1)


OBJECTIVES = (
    DemoObjective(
        "company",
        "Customers succeed with Inspire in their first month",
        "Every new customer runs their first cycle of goals and 1:1s within a month.",
        (
            DemoKeyResult(
                "Customers active after 30 days",
                62,
                85,
                "%",
                ((66, 7, "Onboarding calls help"), (71, 7, "Steady")),
            ),
            DemoKeyResult(
                "Median days to first 1:1",
                14,
                5,
                "days",
                ((12, 6, "Templates shipped"), (10, 6, "")),
            ),
        ),
        roll_up=True,
    ),
    DemoObjective(
        "product",
        "Make onboarding effortless",
        "Product: a guided first week that needs no training.",
        (
            DemoKeyResult(
                "Setup finished without support",
                40,
                80,
                "%",
                ((45, 6, "Wizard in beta"), (52, 5, "Slower than hoped")),
            ),
            DemoKeyResult("Guided tour launched", 0, 1, None, ((0, 5, "Design done"),)),
        ),
        owner_team="Product",
        kind="aspirational",
        aligned_to="company",
        depends_on=(("engineering", "Needs the faster GraphQL API before the wizard goes live"),),
        roll_up=True,
    ),
    DemoObjective(
        "interviews",
        "Learn what slows new customers down",
        "Talk to the people setting Inspire up, every week of the quarter.",
        (
            DemoKeyResult(
                "Onboarding interviews held",
                0,
                30,
                "interviews",
                ((8, 8, "Two a week so far"), (13, 8, "")),
            ),
        ),
        owner_person="Priya Raman",
        aligned_to="product",
        agreed=True,
    ),
    DemoObjective(
        "engineering",
        "A platform teams can trust",
        "Engineering: fast, observable and calm on call.",
        (
            DemoKeyResult(
                "p99 GraphQL latency",
                450,
                200,
                "ms",
                ((380, 7, "Caching on"), (310, 8, "DataLoaders everywhere")),
            ),
            DemoKeyResult(
                "Pages per on-call week", 9, 2, "pages", ((7, 6, ""), (6, 5, "Noisy alert found"))
            ),
        ),
        owner_team="Engineering",
        aligned_to="company",
    ),
    DemoObjective(
        "success",
        "Every customer hears from us before they need to",
        "Customer Success: proactive check-ins instead of tickets.",
        (
            DemoKeyResult(
                "Accounts with a quarterly review",
                20,
                100,
                "%",
                ((35, 5, "Capacity is tight"), (38, 3, "Off track: need help with scheduling")),
            ),
            DemoKeyResult("Tickets per account", 6, 3, "tickets", ((5.5, 6, ""),)),
        ),
        owner_team="Customer Success",
        aligned_to="company",
    ),
    DemoObjective(
        "coaching",
        "Grow as a coach",
        "A personal development objective, shared only with my manager.",
        (
            DemoKeyResult(
                "Coaching 1:1s held with GROW", 0, 12, "sessions", ((3, 8, "Good rhythm"),)
            ),
        ),
        owner_person="Kenji Watanabe",
        private=True,
    ),
)


def email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DOMAIN}"


@dataclass(frozen=True)
class DemoFeedback:
    giver: str
    recipient: str
    kind: str
    visibility: str
    topic: str
    body: str
    # (author, words): the thread, the recipient first.
    replies: tuple[tuple[str, str], ...] = ()
    # The key of the objective it is about.
    about: str | None = None


FEEDBACK = (
    DemoFeedback(
        "Kenji Watanabe",
        "Priya Raman",
        "praise",
        "public",
        "Onboarding walkthrough",
        "Your walkthrough of the first week made the guided tour click for the whole team.",
        (
            ("Priya Raman", "Thank you! The customer calls gave me the idea."),
            ("Kenji Watanabe", "Let's bring it to the next product review."),
        ),
        about="product",
    ),
    DemoFeedback(
        "Daniel Novak",
        "Sofia Marquez",
        "suggestion",
        "manager",
        "Roadmap drafts",
        "Sharing the roadmap draft a week earlier would let engineering flag risks in time.",
        (
            ("Sofia Marquez", "Fair point. I'll share the next draft on Monday."),
            ("Daniel Novak", "Great, I'll block an hour for it."),
        ),
    ),
    DemoFeedback(
        "Kenji Watanabe",
        "Sofia Marquez",
        "upward",
        "private",
        "Our 1:1s",
        "Our 1:1s help me most when we start with my options rather than your answer.",
        (
            ("Sofia Marquez", "Thanks for saying so. Let's try GROW next week."),
            ("Kenji Watanabe", "Looking forward to it."),
        ),
    ),
    DemoFeedback(
        "Aisha Bello",
        "Lukas Schmidt",
        "peer",
        "manager",
        "Code reviews",
        "Your reviews explain the why; I learn something from every one of them.",
        (("Lukas Schmidt", "That's kind. Happy to pair on the migration next sprint."),),
    ),
)
