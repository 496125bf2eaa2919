"""The bounds every GraphQL operation is held to before it runs, since anyone may send one:
the document's bytes and tokens (before it is parsed), then the operation's depth, aliases,
page sizes and estimated cost (one pass over the document with its variables, each fragment
measured once), then the usual validation. Limits come from `GraphQLPolicy`."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    parse,
    validate,
)
from graphql.language import Lexer, Source, TokenKind
from graphql.type import GraphQLInterfaceType, GraphQLObjectType
from graphql.validation import MaxIntrospectionDepthRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from gateway.config import GraphQLPolicy
from gateway.errors import ErrorCode, limit_error

# Distinct documents whose parse and validation are remembered (per process).
QUERY_CACHE_SIZE = 1024
# What a list without `first` is taken to hold (an alignment graph's nodes); `nodes(ids:)`
# holds as many as it is given ids, the introspection lists are counted once.
PLAIN_LIST_SIZE = 20
# Selection sets and fragments nested deeper than this are refused whatever `max_depth`
# says: the analysis recurses once per level.
MAX_NESTING = 100
# Rules besides the specification's: Strawberry's own, and graphql-core's bound on recursive
# introspection (`__type { fields { type { fields … } } }`).
EXTRA_RULES: tuple[type[ASTValidationRule], ...] = (
    MaybeNullValidationRule,
    OneOfInputValidationRule,
    MaxIntrospectionDepthRule,
)


# --- The document ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=QUERY_CACHE_SIZE)
def _parse(query: str, max_tokens: int) -> DocumentNode:
    # graphql-core stops lexing past `max_tokens`: a huge document costs no more than that.
    return parse(query, max_tokens=max_tokens)


def _more_tokens_than(query: str, limit: int) -> bool:
    lexer = Lexer(Source(query))
    try:
        for _ in range(limit + 1):
            if lexer.advance().kind == TokenKind.EOF:
                return False
    except GraphQLSyntaxError:
        return False
    return True


def parse_within(query: str, policy: GraphQLPolicy) -> DocumentNode:
    """The parsed document, or the limit it exceeds raised as a GraphQL error."""
    size = len(query.encode())
    if size > policy.max_document_bytes:
        raise limit_error(
            ErrorCode.QUERY_TOO_LARGE,
            f"The document is {size} bytes long; at most {policy.max_document_bytes} are allowed.",
            reason="max_document_bytes",
            limit=policy.max_document_bytes,
        )
    try:
        return _parse(query, policy.max_tokens)
    except GraphQLSyntaxError:
        # Only a refused document is lexed again, to say which of the two it was.
        if _more_tokens_than(query, policy.max_tokens):
            raise limit_error(
                ErrorCode.QUERY_TOO_LARGE,
                f"The document has more than {policy.max_tokens} tokens, the most allowed.",
                reason="max_tokens",
                limit=policy.max_tokens,
            ) from None
        raise


# --- The operation ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    """What a selection costs for one object: fields resolved (lists multiplied out), the
    deepest nesting of fields (introspection not counted), aliases (fragments expanded)."""

    cost: int = 0
    depth: int = 0
    aliases: int = 0

    def __add__(self, other: Shape) -> Shape:
        return Shape(
            self.cost + other.cost, max(self.depth, other.depth), self.aliases + other.aliases
        )


class _TooNested(Exception):
    pass


@dataclass
class _Measure:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    defaults: Mapping[str, ValueNode]
    max_page_size: int
    # By fragment and the `first` of the connection it is spread in.
    measured: dict[tuple[str, int | None], Shape] = field(default_factory=dict)
    measuring: set[str] = field(default_factory=set)
    pages_too_large: list[FieldNode] = field(default_factory=list)

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        first: int | None,
        nesting: int,
    ) -> Shape:
        if selection_set is None:
            return Shape()
        if nesting > MAX_NESTING:
            raise _TooNested
        shape = Shape()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                shape += self.field(selection, parent, first, nesting)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                type_ = self.schema.get_type(condition.name.value) if condition else parent
                shape += self.selections(selection.selection_set, type_, first, nesting + 1)
            elif isinstance(selection, FragmentSpreadNode):
                shape += self.spread(selection.name.value, first, nesting)
        return shape

    def spread(self, name: str, first: int | None, nesting: int) -> Shape:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.measuring:
            return Shape()  # unknown fragments and cycles are for validation to report
        key = (name, first)
        if key not in self.measured:
            self.measuring.add(name)
            type_ = self.schema.get_type(fragment.type_condition.name.value)
            self.measured[key] = self.selections(fragment.selection_set, type_, first, nesting + 1)
            self.measuring.discard(name)
        return self.measured[key]

    def field(
        self, node: FieldNode, parent: GraphQLNamedType | None, first: int | None, nesting: int
    ) -> Shape:
        name = node.name.value
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        introspection = name.startswith("__") or (parent is not None and parent.name[:2] == "__")
        child_type: GraphQLNamedType | None = None
        items = 1
        child_first = None
        if definition is not None:
            child_type = get_named_type(definition.type)
            if "first" in definition.args:
                child_first = self.int_argument(
                    node, "first", definition.args["first"].default_value
                )
                if child_first is not None and child_first > self.max_page_size:
                    self.pages_too_large.append(node)
            if isinstance(get_nullable_type(definition.type), GraphQLList):
                items = self.list_size(node, first, introspection=introspection)
        children = self.selections(node.selection_set, child_type, child_first, nesting + 1)
        return Shape(
            cost=1 + items * children.cost,
            depth=children.depth + (0 if introspection else 1),
            aliases=children.aliases + (1 if node.alias else 0),
        )

    def list_size(self, node: FieldNode, first: int | None, *, introspection: bool) -> int:
        if first is not None:
            return max(first, 0)  # the edges of a connection
        if introspection:
            return 1
        ids = self.value(
            next((a.value for a in node.arguments or () if a.name.value == "ids"), None)
        )
        if isinstance(ids, list):
            return len(ids)
        return PLAIN_LIST_SIZE

    def int_argument(self, node: FieldNode, name: str, default: object) -> int | None:
        argument = next((a for a in node.arguments or () if a.name.value == name), None)
        value = self.value(argument.value) if argument is not None else default
        # A whole float is an Int to GraphQL's coercion (`100.0` runs as 100): count it so.
        if isinstance(value, float) and value.is_integer():
            return int(value)
        # Not an integer: validation or the variables' coercion will refuse it.
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def value(self, node: ValueNode | None) -> object:
        if isinstance(node, VariableNode):
            name = node.name.value
            if name in self.variables:
                return self.variables[name]
            return self.value(self.defaults.get(name))
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, ListValueNode):
            return list(node.values)
        return None


def operation_limit_errors(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    policy: GraphQLPolicy,
) -> list[GraphQLError]:
    """The limits the operation exceeds, each as an error that names it; none, if it fits."""
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation is not None else None
    if operation is None or root is None:
        return []  # no operation to run: Strawberry and validation say why
    measure = _Measure(
        schema=schema,
        fragments={
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        },
        variables=variables or {},
        defaults={
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
            if definition.default_value is not None
        },
        max_page_size=policy.max_page_size,
    )
    try:
        shape = measure.selections(operation.selection_set, root, None, 0)
    except _TooNested:
        shape = Shape(depth=policy.max_depth + 1)
    errors = []
    if shape.depth > policy.max_depth:
        errors.append(
            limit_error(
                ErrorCode.QUERY_TOO_DEEP,
                f"The operation nests fields more than {policy.max_depth} levels deep, the "
                "most allowed.",
                reason="max_depth",
                limit=policy.max_depth,
            )
        )
    if shape.aliases > policy.max_aliases:
        errors.append(
            limit_error(
                ErrorCode.TOO_MANY_ALIASES,
                f"The operation uses {shape.aliases} aliases; at most {policy.max_aliases} are "
                "allowed.",
                reason="max_aliases",
                limit=policy.max_aliases,
            )
        )
    if measure.pages_too_large:
        errors.append(
            GraphQLError(
                f"`first` must be between 1 and {policy.max_page_size}.",
                nodes=measure.pages_too_large,
                extensions={
                    "code": ErrorCode.BAD_USER_INPUT,
                    "reason": "first_out_of_range",
                    "limit": policy.max_page_size,
                },
            )
        )
    if shape.cost > policy.max_cost and shape.depth <= policy.max_depth:
        errors.append(
            limit_error(
                ErrorCode.QUERY_TOO_COMPLEX,
                f"The operation could resolve {_about(shape.cost)} fields; at most "
                f"{policy.max_cost} are allowed. Ask for smaller pages (`first`) or fewer "
                "nested lists.",
                reason="max_cost",
                limit=policy.max_cost,
            )
        )
    return errors


def _about(cost: int) -> str:
    return f"about {cost}" if cost < 10**9 else "more than a billion"


# --- In the schema ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=QUERY_CACHE_SIZE)
def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    return validate(schema, document, rules, hide_suggestions=hide_suggestions)


class OperationLimits(SchemaExtension):
    """Parses within the document limits, then checks the operation's limits before the
    usual validation (the whole of which they spare a refused operation); parse and
    validation are cached by document, the limits checked with each request's variables."""

    def __init__(self, policy: GraphQLPolicy) -> None:
        self.policy = policy

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.query is not None:
            execution.graphql_document = parse_within(execution.query, self.policy)
        yield

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        schema = execution.schema._schema
        document = execution.graphql_document
        if document is not None:
            errors = operation_limit_errors(
                schema, document, execution.operation_name, execution.variables, self.policy
            )
            if not errors:
                rules = (*execution.validation_rules, *EXTRA_RULES)
                errors = _validate(schema, document, rules, not self.policy.field_suggestions)
            execution.pre_execution_errors = errors
        yield
