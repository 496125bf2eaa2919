"""The schema as committed: `gateway/schema.graphql` is what the code serves, every type, field
and argument is described, and global ids are what the conventions say."""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from gateway.errors import BadUserInput
from gateway.schema import schema, sdl
from gateway.types.common import GlobalId

COMMITTED = Path(__file__).resolve().parents[2] / "gateway" / "schema.graphql"
REGENERATE = ".venv/bin/python -m gateway.schema > gateway/schema.graphql"


def test_the_committed_schema_is_the_one_served() -> None:
    assert COMMITTED.read_text() == sdl(), f"gateway/schema.graphql is stale; run: {REGENERATE}"


def test_every_type_field_and_argument_is_described() -> None:
    missing = []
    for name, type_ in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in type_.values.items() if not v.description]
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")

    assert missing == []


def test_a_global_id_is_base64_of_type_and_uuid() -> None:
    id_ = uuid.uuid4()

    encoded = GlobalId("Person", id_).encode()

    assert base64.b64decode(encoded).decode() == f"Person:{id_}"
    assert GlobalId.decode(encoded) == GlobalId("Person", id_)
    assert GlobalId.decode_as("Person", encoded) == id_


@pytest.mark.parametrize("value", ["", "Person", "UGVyc29u", "!!!", "UGVyc29uOjEyMw=="])
def test_a_malformed_global_id_is_bad_input(value: str) -> None:
    with pytest.raises(BadUserInput) as raised:
        GlobalId.decode(value)

    assert raised.value.reason == "invalid_id"


# Argument names that would sort, rank or filter by how well someone did (the OKR firewall).
_FIGURES = ("sort", "order", "rank", "score", "progress", "confidence", "top", "best", "worst")


def test_no_field_sorts_ranks_or_filters_by_okr_figures() -> None:
    graphql_schema = schema._schema
    offending = [
        f"{type_name}.{field_name}({argument})"
        for type_name, graphql_type in graphql_schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType)
        for field_name, field in graphql_type.fields.items()
        for argument in field.args
        if any(figure in argument.lower() for figure in _FIGURES)
    ]

    assert offending == []
    # Nor does any list of people carry a figure to order them by.
    person = graphql_schema.type_map["Person"]
    assert isinstance(person, GraphQLObjectType)
    assert not any(figure in name.lower() for name in person.fields for figure in _FIGURES)
