"""Instruments speak several languages: a table of each instrument's texts in a locale other
than English, and Swedish texts for the four built-in instruments.

The rows are written as they are now, without the service's models, which may change after
this revision.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:30:00.000000
"""

import uuid
from collections.abc import Sequence
from typing import cast

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "orgcopy_0004"

# The namespace the built-in instruments' ids are derived from (revision 0002).
_NAMESPACE = uuid.UUID("7f3c2a5e-1d4b-4c8e-9a6f-2b1e0d9c8a70")

AGREEMENT = {
    "1": "Instämmer inte alls",
    "2": "Instämmer inte",
    "3": "Varken eller",
    "4": "Instämmer",
    "5": "Instämmer helt",
}

# Each built-in instrument's Swedish texts; questions in the order they are asked.
SWEDISH: dict[str, dict[str, object]] = {
    "maturity": {
        "name": "Organisatorisk mognad",
        "description": "Var en organisation står på de fem nivåerna i Emergent Leadership "
        "Model (V. Hlupic): Livlös/Apatisk, Motvillig/Stagnerande, Kontrollerad/Ordnad, "
        "Entusiastisk/Samarbetande, Obegränsad/Gränslös. Vart och ett av de sex "
        "diagnosområdena får ett värde och en nivå, per enhet, som grund för en plan över vad "
        "som ska upphöra, fortsätta och börja.",
        "areas": {
            "culture": "Kultur",
            "relationships": "Relationer",
            "individuals": "Individer",
            "strategy": "Strategi",
            "systems": "System",
            "resources": "Resurser",
        },
        "questions": [
            "Här tar man upp problem tidigt, utan rädsla för att få skulden.",
            "Misstag ses här som ett tillfälle att lära.",
            "De flesta här gör bara det minsta som krävs av dem.",
            "Teamen här delar med sig av det de kan till andra team.",
            "Man hjälper kollegor utanför det egna teamet.",
            "Meningsskiljaktigheter diskuteras här öppet och rättvist.",
            "Här litar man på att var och en själv avgör hur arbetet ska göras.",
            "Vi får ansvar för resultat, inte bara för uppgifter.",
            "Kritik är vanligare här än uppmuntran.",
            "Målen sätts här tillsammans med dem som ska arbeta mot dem.",
            "Jag kan förklara hur mitt arbete hänger ihop med vart vi är på väg.",
            "Besluten fattas av dem som kan frågan bäst.",
            "Våra processer hjälper oss att få saker gjorda.",
            "Den information jag behöver för att fatta bra beslut är lätt att hitta.",
            "Vi stannar sällan upp för att förbättra vårt sätt att arbeta.",
            "Resurser går till de bästa idéerna snarare än till dem med högst rang.",
            "Vi har den tid och de verktyg vi behöver för att göra ett bra arbete.",
            "Här finns utrymme att pröva nya saker och lära av dem.",
        ],
    },
    "trust": {
        "name": "Förtroende för ledaren",
        "description": "Ett team bedömer hur förtroendeingivande dess ledare är utifrån de fyra "
        "byggstenarna i Trust Equation: trovärdighet, pålitlighet, närhet och självfokus. "
        "Poängen räknas så att ett högre värde alltid betyder mer förtroende; för självfokus "
        "betyder ett högre värde en ledare som är mindre upptagen av sig själv. För utveckling, "
        "aldrig för lönesättning.",
        "areas": {
            "credibility": "Trovärdighet",
            "reliability": "Pålitlighet",
            "intimacy": "Närhet",
            "self_orientation": "Självfokus",
        },
        "questions": [
            "Min ledare kan vårt område väl.",
            "Min ledare är öppen med vad hen inte vet.",
            "Jag tror på det min ledare säger till mig.",
            "Min ledare gör det hen säger att hen ska göra.",
            "Min ledare behandlar alla konsekvent.",
            "Jag kan ofta inte förutse hur min ledare kommer att reagera.",
            "Jag kan ta upp något som oroar mig personligen med min ledare.",
            "Min ledare för inte känsliga saker vidare.",
            "Jag skulle berätta för min ledare om ett misstag jag har gjort.",
            "Min ledare lyssnar för att förstå, inte för att svara.",
            "Min ledare sätter teamets framgång före sin egen ära.",
            "Min ledare verkar mer upptagen av sin egen agenda.",
        ],
    },
    "needs": {
        "name": "Behovspuls",
        "description": "En kort puls på de tre psykologiska behoven i självbestämmandeteorin: "
        "autonomi, samhörighet och kompetens. Människor blomstrar i arbetet när alla tre är "
        "tillgodosedda.",
        "areas": {
            "autonomy": "Autonomi",
            "relatedness": "Samhörighet",
            "competence": "Kompetens",
        },
        "questions": [
            "Jag har inflytande över hur jag utför mitt arbete.",
            "Jag kan fatta de beslut som mitt arbete kräver.",
            "Jag känner mig ofta tvingad att göra saker jag inte håller med om.",
            "Jag känner samhörighet med dem jag arbetar med.",
            "Folk på jobbet bryr sig om hur jag mår.",
            "Jag känner mig ofta utanför på jobbet.",
            "Jag känner mig kompetent i det jag gör.",
            "Jag blir allt bättre på mitt arbete.",
            "Jag tvivlar ofta på att jag kan göra mitt arbete bra.",
        ],
    },
    "psych_safety": {
        "name": "Psykologisk trygghet i teamet",
        "description": "Om människor känner sig trygga att ta mellanmänskliga risker i sitt "
        "team (begreppet som A. Edmondson har beskrivit): att säga ifrån, be om hjälp, "
        "erkänna misstag och pröva nytt. Det är grunden för att lära av misstag.",
        "areas": {"psychological_safety": "Psykologisk trygghet"},
        "questions": [
            "I mitt team är det välkommet att lyfta en oro.",
            "Jag kan erkänna ett misstag i mitt team utan att oroa mig.",
            "Det känns naturligt att be en teamkollega om hjälp.",
            "Om jag provade något nytt och misslyckades skulle det räknas mig till last.",
            "Mina teamkollegor lyssnar på åsikter som skiljer sig från deras egna.",
            "Jag håller inne med idéer på grund av hur de kan tas emot.",
            "Mina teamkollegor bygger vidare på varandras arbete.",
        ],
    },
}

translation = sa.table(
    "instrument_translation",
    sa.column("instrument_id", sa.Uuid()),
    sa.column("locale", sa.String()),
    sa.column("texts", postgresql.JSONB()),
)


def upgrade() -> None:
    op.create_table(
        "instrument_translation",
        sa.Column("instrument_id", sa.Uuid(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
        sa.Column("texts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_instrument_translation_instrument_id_instrument"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("instrument_id", "locale", name=op.f("pk_instrument_translation")),
    )
    rows = []
    for key, texts in SWEDISH.items():
        questions = cast(list[str], texts["questions"])
        rows.append(
            {
                "instrument_id": uuid.uuid5(_NAMESPACE, key),
                "locale": "sv",
                "texts": {
                    "name": texts["name"],
                    "description": texts["description"],
                    "areas": texts["areas"],
                    "scale_labels": AGREEMENT,
                    "questions": {
                        str(position): text for position, text in enumerate(questions, start=1)
                    },
                },
            }
        )
    op.bulk_insert(translation, rows)


def downgrade() -> None:
    op.drop_table("instrument_translation")
