"""Each service's OpenAPI document and the service agree: what the document allows is taken,
what it refuses is refused. Walked over every service's real document and app."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI

from tests.factories import create_hr_admin as org_copy_hr_admin
from tests.people.factories import create_hr_admin
from tests.support import Tokens, call

ADMIN = "hana.hr@example.com"

SERVICES = ["assessment", "feedback", "goals", "people"]


@pytest.fixture
async def as_admin(apps: dict[str, FastAPI], tokens: Tokens) -> dict[str, str]:
    """An HR admin in every service's directory (people's own, the others' org copies): the
    caller who may do the most, so that requests get past the policies to the body."""
    for name in SERVICES:
        async with apps[name].state.database.sessionmaker() as session:
            add = create_hr_admin if name == "people" else org_copy_hr_admin
            await add(session, email=ADMIN, name="Hana HR")
            await session.commit()
    return tokens.person(ADMIN)


def concrete(template: str) -> str:
    return "/".join(
        str(uuid.uuid4()) if part.startswith("{") else part for part in template.split("/")
    )


def body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema: dict[str, Any] = content.get("schema", {})
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def nullable(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "null" or any(
        option.get("type") == "null" for option in prop.get("anyOf", [])
    )


@pytest.mark.parametrize("service", SERVICES)
async def test_a_field_a_patch_documents_as_nullable_takes_null(
    apps: dict[str, FastAPI], as_admin: dict[str, str], service: str
) -> None:
    # The body is read before the resource is looked up: a body the service takes answers
    # 404 for an id that does not exist, one it refuses 422.
    app = apps[service]
    document = app.openapi()
    refused = {}
    tried = 0
    for template, operations in document["paths"].items():
        if "patch" not in operations:
            continue
        schema = body_schema(document, operations["patch"])
        for name, prop in schema.get("properties", {}).items():
            if not nullable(prop):
                continue
            tried += 1
            response = await call(
                app,
                service,
                "PATCH",
                concrete(template),
                json={name: None},
                headers={**as_admin, "If-Match": '"1"'},
            )
            if response.status_code == 422:
                refused[f"PATCH {template} {name}"] = response.json()["errors"]

    assert refused == {}
    assert tried > 0 or service == "feedback"


@pytest.mark.parametrize("service", SERVICES)
def test_if_match_is_documented_as_required_where_its_absence_is_428(
    apps: dict[str, FastAPI], service: str
) -> None:
    document = apps[service].openapi()
    if_match = [
        (template, method, parameter)
        for template, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "If-Match"
    ]

    assert if_match
    assert [
        (template, method)
        for template, method, parameter in if_match
        if not parameter["required"]
        or parameter["schema"] != {"type": "string", "title": "If-Match"}
    ] == []
    assert all(
        "428" in document["paths"][template][method]["responses"]
        for template, method, _ in if_match
    )


@pytest.mark.parametrize(
    ("service", "path", "body"),
    [
        ("people", "/v1/roles/{id}", {"level": 13.0}),
        ("assessment", "/v1/instruments", None),
    ],
)
async def test_a_whole_number_written_with_a_fraction_is_an_integer(
    apps: dict[str, FastAPI],
    as_admin: dict[str, str],
    service: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    if body is None:  # an instrument whose scale is written 1.0 to 5.0
        body = {
            "key": "pulse",
            "name": "Pulse",
            "edition": "1",
            "areas": [{"key": "culture", "name": "Culture"}],
            "scale": {"min": 1.0, "max": 5.0, "labels": [{"value": 3.0, "label": "Neutral"}]},
            "questions": [{"area": "culture", "text": "We trust each other."}],
        }
        response = await call(apps[service], service, "POST", path, json=body, headers=as_admin)
    else:
        response = await call(
            apps[service],
            service,
            "PATCH",
            path.format(id=uuid.uuid4()),
            json=body,
            headers={**as_admin, "If-Match": '"1"'},
        )

    assert response.status_code != 422, response.json()


async def test_a_check_in_confidence_of_7_0_is_7(
    apps: dict[str, FastAPI], as_admin: dict[str, str]
) -> None:
    response = await call(
        apps["goals"],
        "goals",
        "POST",
        f"/v1/key-results/{uuid.uuid4()}/check-ins",
        json={"value": 1, "confidence": 7.0},
        headers=as_admin,
    )

    assert response.status_code != 422, response.json()


@pytest.mark.parametrize(
    ("service", "path"), [("people", "/v1/people"), ("goals", "/v1/objectives")]
)
@pytest.mark.parametrize("value", ["0.5", "1700000000", "yesterday"])
async def test_updated_since_is_a_date_time_never_a_number(
    apps: dict[str, FastAPI], tokens: Tokens, service: str, path: str, value: str
) -> None:
    refused = await call(
        apps[service],
        service,
        "GET",
        path,
        params={"updated_since": value},
        headers=tokens.service(),
    )
    taken = await call(
        apps[service],
        service,
        "GET",
        path,
        params={"updated_since": "2025-01-31T09:00:00Z"},
        headers=tokens.service(),
    )

    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["query.updated_since"]
    assert taken.status_code == 200
