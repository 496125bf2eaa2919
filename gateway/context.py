"""What one GraphQL request carries: the caller (a token whose signature was checked), the
shared service clients, the request's own loaders; and the gate that refuses, before any
resolver runs, an operation without a valid token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import strawberry
from graphql import DocumentNode, ExecutionResult, FieldNode, GraphQLError, get_operation_ast
from starlette.requests import HTTPConnection
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from gateway.clients import Caller, Clients
from gateway.errors import Unauthenticated
from gateway.loaders import Loaders
from kit.auth import TokenVerifier
from kit.errors import Unauthorized


@dataclass
class Context:
    """Built anew for each request (its loaders above all, which act for its caller)."""

    request: HTTPConnection
    response: Response | None
    clients: Clients
    # Exactly one of the two: who calls, or why nobody does.
    signed_in: Caller | None = None
    refusal: Unauthenticated | None = None

    @property
    def caller(self) -> Caller:
        if self.signed_in is None:
            raise self.refusal or Unauthenticated("Sign in first.", reason="missing_token")
        return self.signed_in

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders.for_caller(self.clients, self.caller)

    def close(self) -> None:
        """Lets go of everything the request loaded, once its answer is made. graphql-core's
        execution context refers to itself (bound methods in its own helpers), and it holds
        this context: without this, the pages, records and futures of every request would
        live on until the cyclic garbage collector found them, and its passes over so many
        objects cost more CPU than the request itself."""
        loaders = self.__dict__.pop("loaders", None)
        if loaders is not None:
            loaders.clear()


Info = strawberry.Info[Context, None]


async def build_context(
    request: HTTPConnection,
    response: Response | None,
    clients: Clients,
    verifier: TokenVerifier,
) -> Context:
    """Checks the token's signature, expiry and audience, to refuse garbage early; who the token
    names and what they may do is for the services to say."""
    context = Context(request=request, response=response, clients=clients)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        context.refusal = Unauthenticated(
            "Send `Authorization: Bearer <token>`.", reason="missing_token"
        )
        return context
    try:
        await verifier.verify(token)
    except Unauthorized as exc:
        context.refusal = Unauthenticated(exc.detail, reason=exc.code)
        return context
    context.signed_in = Caller(token, accept_language=_accept_language(request))
    return context


# A header value as RFC 9110 allows it for Accept-Language: tags, `;q=`, commas, spaces.
_ACCEPT_LANGUAGE = re.compile(r"^[A-Za-z0-9*,;=. -]{1,200}$")


def _accept_language(request: HTTPConnection) -> str | None:
    """The client's Accept-Language, when it has a sane shape; anything else is not passed on
    (the service then falls back to the person's own locale)."""
    value = request.headers.get("accept-language")
    return value if value is not None and _ACCEPT_LANGUAGE.match(value) else None


def _reads_only_the_schema(document: DocumentNode | None, operation_name: str | None) -> bool:
    operation = get_operation_ast(document, operation_name) if document is not None else None
    if operation is None:
        return False
    return all(
        isinstance(selection, FieldNode) and selection.name.value.startswith("__")
        for selection in operation.selection_set.selections
    )


class RequireToken(SchemaExtension):
    """An operation that reads data needs a valid token; introspection (the schema is public,
    committed as `schema.graphql`) does not, so that GraphiQL can load its documentation."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        if (
            isinstance(context, Context)
            and context.refusal is not None
            and not _reads_only_the_schema(execution.graphql_document, execution.operation_name)
        ):
            error = GraphQLError(context.refusal.message, original_error=context.refusal)
            execution.result = ExecutionResult(data=None, errors=[error])
        yield
