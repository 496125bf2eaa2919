"""What real senders send, made into `Inbound` changes: their signatures checked over the raw
body first (Standard Webhooks, or BambooHR's own), then their payloads read (the generic
Inspire format, the `{Model}.added/changed/removed` shape of unified HRIS APIs, BambooHR's
employee webhooks)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from kit.errors import Unauthorized, Unprocessable
from services.people.hris.schemas import (
    Change,
    EventType,
    Inbound,
    InspireDelivery,
    PersonRecord,
    TeamRecord,
)
from services.people.hris.settings import Format, Integration

# --- Signatures ------------------------------------------------------------------------------


# The longest webhook id kept (the inbox's column).
_MAX_ID = 255


class BadSignature(Exception):
    """The delivery is not signed by this integration, or not now."""


def _within(sent: datetime, now: datetime, tolerance: int) -> None:
    if abs((now - sent).total_seconds()) > tolerance:
        raise BadSignature("timestamp outside the tolerance")


def _standard_key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadSignature("the configured secret is not base64") from exc


def verify_standard(
    secret: str, headers: Mapping[str, str], body: bytes, now: datetime, tolerance: int
) -> str:
    """The delivery's `webhook-id` when one of its `v1,` signatures is HMAC-SHA256 of
    `{id}.{timestamp}.{body}` under the secret, and its timestamp is within `tolerance`."""
    webhook_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not webhook_id or not timestamp or not signatures or len(webhook_id) > _MAX_ID:
        raise BadSignature("missing headers, or an id longer than ids are")
    if not timestamp.isdigit():
        raise BadSignature("timestamp is not in seconds")
    _within(datetime.fromtimestamp(int(timestamp), UTC), now, tolerance)
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(
        hmac.new(_standard_key(secret), signed, hashlib.sha256).digest()
    ).decode()
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected.encode()):
            return webhook_id
    raise BadSignature("no signature matches")


def _bamboohr_time(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadSignature("unreadable timestamp") from exc
    if moment.tzinfo is None:
        raise BadSignature("timestamp without a time zone")
    return moment


def verify_bamboohr(
    secret: str, headers: Mapping[str, str], body: bytes, now: datetime, tolerance: int
) -> str:
    """BambooHR signs `body + X-BambooHR-Timestamp` with HMAC-SHA256 under the webhook's
    private key, hex in `X-BambooHR-Signature`. It sends no delivery id: the body's digest is
    one (a retry repeats the body)."""
    timestamp = headers.get("x-bamboohr-timestamp")
    signature = headers.get("x-bamboohr-signature")
    if not timestamp or not signature:
        raise BadSignature("missing headers")
    _within(_bamboohr_time(timestamp), now, tolerance)
    expected = hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature.strip().lower().encode(), expected.encode()):
        raise BadSignature("signature does not match")
    return "bamboohr-" + hashlib.sha256(body).hexdigest()


def verify(
    integrations: Mapping[str, Integration],
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
    tolerance: int,
) -> tuple[str, str]:
    """The integration whose secret signs this delivery, and the delivery's id."""
    for name, integration in integrations.items():
        check = verify_bamboohr if integration.format == Format.BAMBOOHR else verify_standard
        try:
            return name, check(integration.secret.get_secret_value(), headers, body, now, tolerance)
        except BadSignature:
            continue
    raise Unauthorized(
        "The delivery is not signed by a configured integration, or its timestamp is more "
        "than the tolerance away from now.",
        code="bad_signature",
    )


# --- Payloads --------------------------------------------------------------------------------


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Unprocessable("The body is not JSON.", code="invalid_json") from exc


def _refused(exc: ValidationError, prefix: str) -> Unprocessable:
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return Unprocessable(
        f"{first['msg']} ({where})", code="invalid_payload", field=f"{prefix}.{where}"
    )


def _given(record: PersonRecord | TeamRecord) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_unset=True, exclude={"external_id"})


def parse_inspire(body: bytes) -> list[Inbound]:
    raw = _json(body)
    try:
        delivery = InspireDelivery.model_validate(
            raw if isinstance(raw, dict) and "events" in raw else {"events": [raw]}
        )
    except ValidationError as exc:
        raise _refused(exc, "body") from exc
    found = []
    for index, event in enumerate(delivery.events):
        person_event = event.type.startswith("person.")
        record = event.person if person_event else event.team
        if record is None:
            noun = "person" if person_event else "team"
            raise Unprocessable(
                f"A `{event.type}` event carries `{noun}`.",
                code="invalid_payload",
                field=f"body.events.{index}.{noun}",
            )
        change = {
            EventType.PERSON_TERMINATED: Change.PERSON_TERMINATE,
            EventType.TEAM_DELETED: Change.TEAM_DELETE,
        }.get(event.type, Change.PERSON_UPSERT if person_event else Change.TEAM_UPSERT)
        data = _given(record)
        if event.type == EventType.PERSON_MANAGER_CHANGED:
            data = {"manager_external_id": data.get("manager_external_id")}
        found.append(
            Inbound(
                change=change,
                external_id=record.external_id,
                data=data,
                effective_at=event.effective_at,
            )
        )
    return found


# Unified HRIS APIs (Merge, and the like): `Employee` and `Group` models.
_UNIFIED_STATUS = {"ACTIVE": "active", "PENDING": "active", "INACTIVE": "inactive"}
_UNIFIED_KIND = {"TEAM": "team", "DEPARTMENT": "department"}


def _unified_person(data: Mapping[str, Any]) -> dict[str, Any]:
    name = data.get("display_full_name") or " ".join(
        part
        for part in (data.get("preferred_name") or data.get("first_name"), data.get("last_name"))
        if part
    )
    fields: dict[str, Any] = {
        "external_id": data.get("id"),
        "email": data.get("work_email"),
        "name": name or None,
        "title": data.get("job_title"),
        "employee_number": data.get("employee_number"),
        "status": _UNIFIED_STATUS.get(str(data.get("employment_status")).upper()),
    }
    present = {key: value for key, value in fields.items() if value is not None}
    if "manager" in data:
        manager = data["manager"]
        present["manager_external_id"] = manager.get("id") if isinstance(manager, dict) else manager
    return present


def _unified_team(data: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        "external_id": data.get("id"),
        "name": data.get("name"),
        "kind": _UNIFIED_KIND.get(str(data.get("type")).upper(), "group"),
        "parent_external_id": data.get("parent_group"),
    }
    return {key: value for key, value in fields.items() if value is not None}


def parse_unified(body: bytes) -> list[Inbound]:
    """`{"hook": {"event": "Employee.changed"}, "data": {…}}` (or `event` at the top)."""
    raw = _json(body)
    if not isinstance(raw, dict):
        raise Unprocessable("The body is a JSON object.", code="invalid_payload", field="body")
    hook = raw.get("hook")
    event = hook.get("event") if isinstance(hook, dict) else raw.get("event")
    data = raw.get("data")
    model, _, verb = str(event).partition(".")
    if model not in {"Employee", "Group"} or verb not in {"added", "changed", "removed"}:
        raise Unprocessable(
            "The event is one of `Employee.added|changed|removed`, `Group.added|changed|removed`.",
            code="unknown_event",
            field="body.hook.event",
        )
    if not isinstance(data, dict):
        raise Unprocessable(
            "`data` is the changed object.", code="invalid_payload", field="body.data"
        )
    person = model == "Employee"
    try:
        record: PersonRecord | TeamRecord = (
            PersonRecord.model_validate(_unified_person(data))
            if person
            else TeamRecord.model_validate(_unified_team(data))
        )
    except ValidationError as exc:
        raise _refused(exc, "body.data") from exc
    if verb == "removed":
        change = Change.PERSON_TERMINATE if person else Change.TEAM_DELETE
    else:
        change = Change.PERSON_UPSERT if person else Change.TEAM_UPSERT
    return [Inbound(change=change, external_id=record.external_id, data=_given(record))]


# BambooHR: field names as BambooHR shows them ("Work Email") or aliased ("workEmail").
def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9#]", "", name.lower())


_BAMBOOHR_FIELDS = {
    "firstname": "first_name",
    "lastname": "last_name",
    "preferredname": "preferred_name",
    "workemail": "email",
    "jobtitle": "title",
    "employee#": "employee_number",
    "employeenumber": "employee_number",
    "status": "status",
    "supervisoreid": "manager_external_id",
    "supervisorid": "manager_external_id",
    "reportingtoid": "manager_external_id",
    "jobinformationdate": "effective_date",
}


def _value(raw: Any) -> Any:
    value = raw.get("value") if isinstance(raw, dict) else raw
    # Numbers (an employee # as 5) are kept as their text, as BambooHR shows them.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _bamboohr_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    found = {}
    for name, raw in fields.items():
        target = _BAMBOOHR_FIELDS.get(_key(name))
        if target is not None:
            value = _value(raw)
            found[target] = value if value != "" else None
    return found


def _effective(date: Any, today: datetime) -> datetime | None:
    """A `Job Information: Date` after today holds the change until that day."""
    try:
        day = datetime.fromisoformat(str(date)).replace(tzinfo=UTC)
    except ValueError:
        return None
    return day if day > today else None


def parse_bamboohr(body: bytes, now: datetime) -> list[Inbound]:
    """Field-based webhooks (`{"employees": [{"id", "action", "fields"}]}`) carry the values;
    event-based ones only ids, so of them only `employee.deleted` can be applied."""
    raw = _json(body)
    if not isinstance(raw, dict):
        raise Unprocessable("The body is a JSON object.", code="invalid_payload", field="body")
    if "type" in raw:
        data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
        employee = (data or {}).get("employeeId")
        if raw["type"] != "employee.deleted" or not employee:
            raise Unprocessable(
                "An event-based BambooHR webhook carries no field values: configure a "
                "field-based one (event-based only for `employee.deleted`).",
                code="bamboohr_fields_needed",
                field="body.type",
            )
        return [Inbound(change=Change.PERSON_TERMINATE, external_id=str(employee), data={})]
    employees = raw.get("employees")
    if not isinstance(employees, list) or not employees:
        raise Unprocessable(
            "`employees` lists the changed employees.",
            code="invalid_payload",
            field="body.employees",
        )
    found = []
    for index, employee in enumerate(employees):
        if not isinstance(employee, dict) or "id" not in employee:
            raise Unprocessable(
                "Each employee has an `id`.",
                code="invalid_payload",
                field=f"body.employees.{index}",
            )
        external_id = str(employee["id"])
        if str(employee.get("action", "")).lower() == "deleted":
            found.append(Inbound(change=Change.PERSON_TERMINATE, external_id=external_id, data={}))
            continue
        given = employee.get("fields") or {}
        if not isinstance(given, dict):
            raise Unprocessable(
                "`fields` maps field names to values.",
                code="invalid_payload",
                field=f"body.employees.{index}.fields",
            )
        fields = _bamboohr_fields(given)
        preferred, first = fields.pop("preferred_name", None), fields.pop("first_name", None)
        parts = [part for part in (preferred or first, fields.pop("last_name", None)) if part]
        if parts:
            fields["name"] = " ".join(parts)
        if isinstance(fields.get("status"), str):
            fields["status"] = fields["status"].lower()
        effective = _effective(fields.pop("effective_date", None), now)
        try:
            record = PersonRecord.model_validate(
                {key: value for key, value in fields.items() if value is not None}
                | {"external_id": external_id}
            )
        except ValidationError as exc:
            raise _refused(exc, f"body.employees.{index}.fields") from exc
        found.append(
            Inbound(
                change=Change.PERSON_UPSERT,
                external_id=external_id,
                data=_given(record),
                effective_at=effective,
            )
        )
    return found


PARSERS: Mapping[Format, Callable[[bytes, datetime], list[Inbound]]] = {
    Format.INSPIRE: lambda body, _: parse_inspire(body),
    Format.UNIFIED: lambda body, _: parse_unified(body),
    Format.BAMBOOHR: parse_bamboohr,
}


def read_delivery(integration: Integration, body: bytes, now: datetime) -> list[Inbound]:
    return PARSERS[integration.format](body, now)
