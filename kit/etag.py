"""Optimistic concurrency for shared documents: `ETag` on reads, `If-Match` on writes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Response

from kit.errors import PreconditionFailed, PreconditionRequired


def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="The `ETag` of your last read; the write is refused if it changed since.",
        ),
    ] = None,
) -> str | None:
    return if_match


IfMatch = Annotated[str | None, Depends(_if_match)]


def etag(version: int) -> str:
    return f'"{version}"'


def located(response: Response, path: str, version: int) -> None:
    """The headers of a `201 Created`: where the new resource is, and its first `ETag`."""
    response.headers["Location"] = path
    response.headers["ETag"] = etag(version)


def _matches(if_match: str, current: str) -> bool:
    """RFC 9110 §13.1.1: `*` matches any current version; otherwise one of the listed tags must
    equal ours by strong comparison, so a weak tag (`W/"3"`) never matches, not even `W/"3"`
    for version 3. Our tags are digits in quotes, so splitting the list at commas is exact."""
    if if_match.strip() == "*":
        return True
    return current in {tag.strip() for tag in if_match.split(",")}


def check_if_match(if_match: str | None, version: int) -> None:
    if if_match is None:
        raise PreconditionRequired(
            "Send `If-Match` with the `ETag` of your last read.", code="if_match_required"
        )
    if not _matches(if_match, etag(version)):
        raise PreconditionFailed(
            "It changed since you read it; read it again and reapply your change.",
            code="stale_version",
        )


def document_if_match_required(document: dict[str, Any]) -> None:
    """Mark `If-Match` required in an OpenAPI document. The header is optional to FastAPI only
    so that its absence answers `428 if_match_required` (after a 404 for a missing resource)
    rather than a validation error; to a caller it is required, and the document says so."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "header" and parameter.get("name") == "If-Match":
                    parameter["required"] = True
                    # Optional to FastAPI means `string | null`; a header is text or absent.
                    parameter["schema"] = {"type": "string", "title": "If-Match"}
