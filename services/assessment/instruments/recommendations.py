"""Next steps from the 5-level model (V. Hlupic's Emergent Leadership Model), as data in
English and Swedish: for each level, what it looks like and how to move up; for each area of
the built-in instruments, what to do when it is weak. Reports and `GET /v1/recommendations`
read them through `recommendations_for`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from services.assessment.instruments.locales import ENGLISH, best_locale, language_read
from services.assessment.instruments.schemas import AreaStepsRead, LevelRead, RecommendationsRead
from services.assessment.levels import Level

SWEDISH = "sv"
LOCALES = frozenset({ENGLISH, SWEDISH})


class Text(NamedTuple):
    en: str
    sv: str

    def read(self, locale: str) -> str:
        return self.sv if locale == SWEDISH else self.en


class LevelAdvice(NamedTuple):
    name: Text
    looks_like: Text
    next_steps: tuple[Text, ...]


LEVELS: Mapping[Level, LevelAdvice] = {
    Level.APATHETIC: LevelAdvice(
        Text("Apathetic", "Apatisk"),
        Text("Fear and blame; little gets done.", "Rädsla och skuldbeläggande; lite blir gjort."),
        (
            Text(
                "Stop looking for someone to blame: after a setback, ask what happened and what "
                "we learn.",
                "Sluta leta syndabockar: fråga efter ett bakslag vad som hände och vad vi lär oss.",
            ),
            Text(
                "Leaders give encouragement before criticism and thank people in front of others.",
                "Chefer uppmuntrar innan de kritiserar och tackar människor inför andra.",
            ),
            Text(
                "Fix one frustration people name, quickly and visibly, so that speaking up is "
                "seen to change things.",
                "Åtgärda snabbt och synligt ett problem som medarbetarna pekar ut, så att det "
                "syns att det lönar sig att säga ifrån.",
            ),
        ),
    ),
    Level.STAGNATING: LevelAdvice(
        Text("Stagnating", "Stagnerande"),
        Text("People do the minimum that is asked of them.", "Man gör det minsta som krävs."),
        (
            Text(
                "Explain the why behind goals and decisions, not only the what.",
                "Förklara varför bakom mål och beslut, inte bara vad.",
            ),
            Text(
                "Ask each person what would make their work matter more to them, and act on one "
                "answer.",
                "Fråga var och en vad som skulle göra arbetet mer meningsfullt för dem, och gör "
                "något åt ett av svaren.",
            ),
            Text(
                "Notice and celebrate small improvements and the people behind them.",
                "Uppmärksamma och fira små förbättringar och människorna bakom dem.",
            ),
        ),
    ),
    Level.ORDERLY: LevelAdvice(
        Text("Orderly", "Ordnad"),
        Text(
            "Command and control: we do what we are told.",
            "Styrning och kontroll: vi gör som vi blir tillsagda.",
        ),
        # The breakthrough from 3 to 4: responsibility, not tasks, is delegated.
        (
            Text(
                "Delegate responsibility for outcomes, not tasks: agree on the result and let "
                "the team choose how.",
                "Delegera ansvar för resultat, inte uppgifter: kom överens om resultatet och låt "
                "teamet välja hur.",
            ),
            Text(
                "Let decisions be made where the knowledge is, and say so out loud.",
                "Låt besluten fattas där kunskapen finns, och säg det öppet.",
            ),
            Text(
                "Set goals together with the people who pursue them, and share information openly.",
                "Sätt mål tillsammans med dem som ska nå dem, och dela information öppet.",
            ),
        ),
    ),
    Level.COLLABORATIVE: LevelAdvice(
        Text("Collaborative", "Samarbetande"),
        Text(
            "Trust, transparency, purpose and collaboration.",
            "Tillit, öppenhet, mening och samarbete.",
        ),
        (
            Text(
                "Support informal networks and self-organised communities of passion across teams.",
                "Stöd informella nätverk och självorganiserade intressegemenskaper över "
                "teamgränserna.",
            ),
            Text(
                "Allocate resources on the quality of ideas rather than on rank.",
                "Fördela resurser efter idéernas kvalitet snarare än efter rang.",
            ),
            Text(
                "Make room for experiments and recognise what was learned, not only what "
                "succeeded.",
                "Ge utrymme för experiment och uppmärksamma det ni har lärt er, inte bara det "
                "som lyckades.",
            ),
        ),
    ),
    Level.UNBOUNDED: LevelAdvice(
        Text("Unbounded", "Gränslös"),
        Text(
            "Breakthrough innovation; a level visited rather than lived in.",
            "Banbrytande innovation; en nivå man besöker snarare än bor på.",
        ),
        (
            Text(
                "Name what brought the team here and protect those conditions.",
                "Sätt ord på vad som tog teamet hit och värna de förutsättningarna.",
            ),
            Text(
                "Share breakthroughs, and how they came about, with other teams.",
                "Dela genombrotten, och hur de gick till, med andra team.",
            ),
            Text(
                "Watch for triggers that pull people back down, such as pressure or blame, and "
                "talk about them openly.",
                "Var uppmärksam på det som drar ner människor igen, som press eller "
                "skuldbeläggande, och tala öppet om det.",
            ),
        ),
    ),
}

# Steps for a weak area, by instrument key and area key.
AREAS: Mapping[str, Mapping[str, tuple[Text, ...]]] = {
    "maturity": {
        "culture": (
            Text(
                "Hold a short blameless review after each setback: what happened, what we learn.",
                "Gå kort igenom varje bakslag utan att leta skyldiga: vad hände, vad lär vi oss.",
            ),
            Text(
                "Recognise effort and learning in team meetings, not only results.",
                "Uppmärksamma insatser och lärande på teammötena, inte bara resultat.",
            ),
            Text(
                "Thank the first person who raises a risk or a problem.",
                "Tacka den som först lyfter en risk eller ett problem.",
            ),
        ),
        "relationships": (
            Text(
                "Hold a monthly show-and-tell open to every team.",
                "Ordna varje månad en öppen visning där teamen berättar vad de har gjort och "
                "lärt sig.",
            ),
            Text(
                "Pair people from different teams on a shared problem.",
                "Låt personer från olika team arbeta i par med ett gemensamt problem.",
            ),
            Text(
                "Agree as a team how you handle disagreement, and talk conflicts through openly.",
                "Kom överens i teamet om hur ni hanterar oenighet, och prata igenom konflikter "
                "öppet.",
            ),
        ),
        "individuals": (
            Text(
                "Delegate responsibility for outcomes, not tasks.",
                "Delegera ansvar för resultat, inte uppgifter.",
            ),
            Text(
                "Let people decide how they do their work, on the basis of what they know.",
                "Låt människor avgöra hur de gör sitt arbete, utifrån vad de kan.",
            ),
            Text(
                "Talk about strengths and development areas in regular two-way conversations.",
                "Prata om styrkor och utvecklingsområden i regelbundna samtal åt båda hållen.",
            ),
        ),
        "strategy": (
            Text(
                "Set goals together with the people who will pursue them.",
                "Sätt mål tillsammans med dem som ska arbeta mot dem.",
            ),
            Text(
                "Show how each team's work connects to where the organisation is heading.",
                "Visa hur varje teams arbete hänger ihop med vart organisationen är på väg.",
            ),
            Text(
                "Move decisions to those who know the subject best.",
                "Flytta besluten till dem som kan frågan bäst.",
            ),
        ),
        "systems": (
            Text(
                "Share information openly: make what people need to decide easy to find.",
                "Dela information öppet: gör det lätt att hitta det man behöver för att fatta "
                "beslut.",
            ),
            Text(
                "Hold a regular retrospective and improve one way of working at a time.",
                "Håll regelbundna återblickar och förbättra ett arbetssätt i taget.",
            ),
            Text(
                "Remove one approval step or rule that slows people down without adding value.",
                "Ta bort ett godkännandesteg eller en regel som bromsar utan att tillföra något.",
            ),
        ),
        "resources": (
            Text(
                "Allocate resources on the quality of ideas rather than on seniority.",
                "Fördela resurser efter idéernas kvalitet snarare än efter senioritet.",
            ),
            Text(
                "Set aside time for experiments and learning.",
                "Avsätt tid för experiment och lärande.",
            ),
            Text(
                "Ask people which time or tools they lack, and close the largest gap first.",
                "Fråga vilken tid eller vilka verktyg som saknas, och täpp till den största "
                "luckan först.",
            ),
        ),
    },
    "trust": {
        "credibility": (
            Text(
                "Be open about what you do not know, and say how you will find out.",
                "Var öppen med vad du inte vet, och säg hur du ska ta reda på det.",
            ),
            Text(
                "Share the reasoning behind your decisions.",
                "Berätta hur du resonerar bakom dina beslut.",
            ),
            Text(
                "Ask the team to teach you what they know best.",
                "Be teamet lära dig det de kan bäst.",
            ),
        ),
        "reliability": (
            Text(
                "Do what you say you will do, and keep your commitments to the team visible.",
                "Gör det du säger att du ska göra, och håll dina åtaganden mot teamet synliga.",
            ),
            Text(
                "Agree with the team how you will handle recurring situations, and keep to it.",
                "Kom överens med teamet om hur du hanterar återkommande situationer, och håll "
                "dig till det.",
            ),
            Text(
                "When you cannot keep a promise, say so early and explain why.",
                "När du inte kan hålla ett löfte, säg det tidigt och förklara varför.",
            ),
        ),
        "intimacy": (
            Text(
                "Hold regular one-to-ones where the other person sets the agenda.",
                "Ha regelbundna enskilda samtal där den andra personen sätter agendan.",
            ),
            Text(
                "Keep sensitive matters confidential, and say that you will.",
                "Håll känsliga saker för dig själv, och säg att du gör det.",
            ),
            Text(
                "Meet mistakes with curiosity rather than blame.",
                "Möt misstag med nyfikenhet i stället för skuld.",
            ),
        ),
        "self_orientation": (
            Text(
                "Listen to understand: sum up what you heard before you answer.",
                "Lyssna för att förstå: sammanfatta vad du har hört innan du svarar.",
            ),
            Text(
                "Give the team the credit for its successes, in public.",
                "Ge teamet äran för dess framgångar, inför andra.",
            ),
            Text(
                "Ask the team what it needs from you, and act on it.",
                "Fråga teamet vad det behöver av dig, och gör något åt det.",
            ),
        ),
    },
    "needs": {
        "autonomy": (
            Text(
                "Agree on outcomes and leave the how to the person.",
                "Kom överens om resultatet och överlåt till personen att avgöra hur.",
            ),
            Text(
                "Involve people in the decisions that affect their work.",
                "Involvera människor i de beslut som påverkar deras arbete.",
            ),
            Text(
                "Explain the reasons behind what people cannot choose.",
                "Förklara skälen bakom det som människor inte kan välja själva.",
            ),
        ),
        "relatedness": (
            Text(
                "Make time for the team to meet as people, not only in their roles.",
                "Ge teamet tid att mötas som människor, inte bara i sina roller.",
            ),
            Text(
                "Ask how people are doing, not only what they deliver.",
                "Fråga hur människor mår, inte bara vad de levererar.",
            ),
            Text(
                "Welcome and include new and remote colleagues deliberately.",
                "Välkomna och inkludera nya kollegor och kollegor på distans medvetet.",
            ),
        ),
        "competence": (
            Text(
                "Give regular, specific feedback on what goes well and what to improve.",
                "Ge regelbunden och konkret återkoppling på vad som går bra och vad som kan bli "
                "bättre.",
            ),
            Text(
                "Agree on a learning goal with each person and make time for it.",
                "Kom överens om ett lärandemål med var och en och avsätt tid för det.",
            ),
            Text(
                "Match challenges to skills: stretch people without overwhelming them.",
                "Anpassa utmaningarna efter förmågan: utmana utan att överbelasta.",
            ),
        ),
    },
    "psych_safety": {
        "psychological_safety": (
            Text(
                "Thank people who raise a concern or admit a mistake, in front of the team.",
                "Tacka den som lyfter en oro eller erkänner ett misstag, inför teamet.",
            ),
            Text(
                "Frame work as learning: say what is uncertain and invite questions.",
                "Beskriv arbetet som lärande: säg vad som är osäkert och bjud in till frågor.",
            ),
            Text(
                "Ask for differing views before deciding, starting with the quietest voices.",
                "Be om avvikande synpunkter innan ni beslutar, och börja med de tystaste rösterna.",
            ),
        ),
    },
}


def recommendations_for(
    instrument_key: str, level: Level | int, area_keys: Sequence[str], locale: str
) -> RecommendationsRead:
    """The next steps for a group at `level` of the instrument `instrument_key`, with steps for
    each of `area_keys` (its weak areas, in the order given), in `locale` (a language tag: `sv`,
    `sv-SE`, `en`, …; English when the model has no text in it). An area the model has no
    advice for, such as one of a customer's own instrument, comes back with no steps."""
    reached = Level(level)
    served = best_locale([locale.lower()], LOCALES)
    advice = LEVELS[reached]
    areas = AREAS.get(instrument_key, {})
    return RecommendationsRead(
        instrument=instrument_key,
        level=LevelRead(
            value=reached, name=advice.name.read(served), management=reached.management
        ),
        looks_like=advice.looks_like.read(served),
        next_steps=[step.read(served) for step in advice.next_steps],
        areas=[
            AreaStepsRead(area=key, steps=[step.read(served) for step in areas.get(key, ())])
            for key in area_keys
        ],
        language=language_read([locale.lower()], served, []),
    )
