"""Authorization declared as a table: which actor may do what, by role or by relation to the
resource. Every route names its action; a test fails when one does not."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from kit.auth import Actor, ActorDep, Role
from kit.errors import Forbidden, NotFound
from kit.idempotency import authorized


class Relation(StrEnum):
    """How an actor stands to what it asks for."""

    SIGNED_IN = "signed_in"  # any active person
    OWNER = "owner"
    PARTICIPANT = "participant"
    MANAGER = "manager"
    MANAGEMENT_CHAIN = "management_chain"
    TEAM_LEAD = "team_lead"
    HR_ADMIN = "hr_admin"
    INTEGRATION = "integration"
    SERVICE = "service"


# Relations a service computes from the resource and its org copy; only people hold them.
RESOURCE_RELATIONS = frozenset(
    {
        Relation.OWNER,
        Relation.PARTICIPANT,
        Relation.MANAGER,
        Relation.MANAGEMENT_CHAIN,
        Relation.TEAM_LEAD,
    }
)

_ROLE_RELATIONS: Mapping[Role, frozenset[Relation]] = {
    Role.EMPLOYEE: frozenset({Relation.SIGNED_IN}),
    Role.HR_ADMIN: frozenset({Relation.SIGNED_IN, Relation.HR_ADMIN}),
    Role.INTEGRATION: frozenset({Relation.INTEGRATION}),
    Role.SERVICE: frozenset({Relation.SERVICE}),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """Who may: any one of `allow`. An integration also needs `scope` in its token."""

    allow: frozenset[Relation]
    scope: str | None = None

    @classmethod
    def of(cls, *allow: Relation, scope: str | None = None) -> Rule:
        return cls(frozenset(allow), scope)


ActorDependency = Callable[..., Coroutine[Any, Any, Actor]]


class PolicyTable:
    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self.rules = dict(rules)

    def _held(self, actor: Actor, action: str, relations: Iterable[Relation]) -> set[Relation]:
        rule = self.rules[action]
        held = set(_ROLE_RELATIONS[actor.role])
        if actor.is_person:
            held |= set(relations) & RESOURCE_RELATIONS
        if Relation.INTEGRATION in held and rule.scope and rule.scope not in actor.scopes:
            held.discard(Relation.INTEGRATION)
        return held

    def permits(self, actor: Actor, action: str, relations: Iterable[Relation] = ()) -> bool:
        return bool(self.rules[action].allow & self._held(actor, action, relations))

    def authorize(
        self,
        actor: Actor,
        action: str,
        relations: Iterable[Relation] = (),
        *,
        hide: bool = False,
    ) -> None:
        """Raise unless permitted; `hide` answers 404 so that outsiders learn nothing."""
        if not self.permits(actor, action, relations):
            if hide:
                raise NotFound("Not found.")
            raise Forbidden(f"You are not allowed to perform `{action}` here.")

    def require(self, action: str) -> ActorDependency:
        """A route dependency: refuses early an actor who could never be allowed `action`;
        object-level relations are checked by the service with the resource in hand. Past it,
        a request repeating an `Idempotency-Key` of this actor gets its stored response."""
        if action not in self.rules:
            raise KeyError(f"no policy entry for {action!r}")

        async def authorized_actor(request: Request, actor: ActorDep) -> Actor:
            if not self.permits(actor, action, RESOURCE_RELATIONS):
                self.authorize(actor, action)
            authorized(request)
            return actor

        authorized_actor.policy_action = action  # type: ignore[attr-defined]  # read by route_actions
        return authorized_actor


def _actions(dependant: Dependant) -> set[str]:
    found = set()
    for sub in dependant.dependencies:
        action = getattr(sub.call, "policy_action", None)
        if isinstance(action, str):
            found.add(action)
        found |= _actions(sub)
    return found


def route_actions(app: FastAPI) -> dict[str, set[str]]:
    """Every API route of `app` and the policy actions it declares (for the policy test)."""
    return {
        # The template as documented: `{note_id}`, not the converter `{note_id:uuid}`.
        f"{','.join(sorted(context.methods or ()))} {context.path_format}": _actions(
            context.original_route.dependant
        )
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    }


PUBLIC_PATHS = frozenset({"/healthz", "/readyz"})


def unguarded_routes(app: FastAPI) -> list[str]:
    """Routes that declare no policy action: each is a hole in authorization."""
    return sorted(
        route
        for route, actions in route_actions(app).items()
        if not actions and route.split(" ", 1)[1] not in PUBLIC_PATHS
    )
