"""The assessment service's one policy table: who may do what, for every sub-domain."""

from __future__ import annotations

from kit.policies import PolicyTable, Relation, Rule

POLICY = PolicyTable(
    {
        "instrument.read": Rule.of(
            Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE, scope="assessment:read"
        ),
        "instrument.create": Rule.of(Relation.HR_ADMIN),
        "instrument.update": Rule.of(Relation.HR_ADMIN),
        "instrument.import": Rule.of(Relation.HR_ADMIN),
        "instrument.export": Rule.of(Relation.HR_ADMIN),
        "recommendation.read": Rule.of(Relation.SIGNED_IN),
    }
)
