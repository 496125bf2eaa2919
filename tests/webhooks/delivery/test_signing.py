"""Signatures as the Standard Webhooks reference library verifies them, one secret or two
during a rotation, over the exact bytes that are sent."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from services.webhooks.delivery import signing

OCCURRED = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=timezone(timedelta(hours=1)))


def now() -> int:
    return int(datetime.now(UTC).timestamp())


def test_the_body_is_type_timestamp_and_data_in_rfc_3339() -> None:
    payload = signing.body("goals.objective.created", OCCURRED, {"objective_id": "o-1"})

    assert json.loads(payload) == {
        "type": "goals.objective.created",
        "timestamp": "2026-03-01T08:30:15.250000Z",
        "data": {"objective_id": "o-1"},
    }


def test_a_signed_body_verifies_with_the_reference_library() -> None:
    secret = signing.new_secret()
    payload = signing.body("feedback.given", OCCURRED, {"feedback_id": "f-1", "note": "é ✓"})

    headers = signing.headers("msg_1", now(), payload, [signing.secret_key(secret)])

    assert Webhook(secret).verify(payload, headers)["data"]["note"] == "é ✓"
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["webhook-timestamp"].isdigit()


def test_during_a_rotation_both_secrets_sign_and_each_verifies() -> None:
    old, new, stranger = signing.new_secret(), signing.new_secret(), signing.new_secret()
    payload = signing.body("goals.objective.created", OCCURRED, {"objective_id": "o-1"})
    keys = [signing.secret_key(old), signing.secret_key(new)]

    headers = signing.headers("msg_2", now(), payload, keys)

    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(payload, headers)["type"] == "goals.objective.created"
    assert Webhook(new).verify(payload, headers)["type"] == "goals.objective.created"
    with pytest.raises(WebhookVerificationError):
        Webhook(stranger).verify(payload, headers)


def test_a_changed_byte_or_id_fails_verification() -> None:
    secret = signing.new_secret()
    payload = signing.body("goals.objective.created", OCCURRED, {"objective_id": "o-1"})
    headers = signing.headers("msg_3", now(), payload, [signing.secret_key(secret)])

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(payload.replace(b"o-1", b"o-2"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(payload, {**headers, "webhook-id": "msg_4"})


def test_a_secret_from_elsewhere_signs_as_the_reference_library_signs() -> None:
    secret = "whsec_" + base64.b64encode(b"k" * 24).decode()
    moment = datetime.now(UTC).replace(microsecond=0)
    expected = Webhook(secret).sign("msg_5", moment, '{"a":1}')

    signed = signing.signature("msg_5", int(moment.timestamp()), b'{"a":1}', [b"k" * 24])

    assert signed == expected


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "k" * 44,
        "whsec_",
        "whsec_not base64!",
        "whsec_" + base64.b64encode(b"short").decode(),
        "whsec_" + base64.b64encode(b"x" * 65).decode(),
    ],
)
def test_a_malformed_secret_is_refused(secret: str) -> None:
    with pytest.raises(signing.InvalidSecret):
        signing.secret_key(secret)


def test_signing_needs_a_secret_and_an_id_without_separators() -> None:
    key = signing.secret_key(signing.new_secret())
    with pytest.raises(signing.InvalidSecret):
        signing.headers("msg_6", now(), b"{}", [])
    with pytest.raises(ValueError, match="no dot"):
        signing.headers("msg.6", now(), b"{}", [key])


def test_a_timestamp_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        signing.body("goals.objective.created", datetime(2026, 3, 1), {})  # noqa: DTZ001  # the case refused
