"""Webhook subscriptions through the gateway, over the real people and webhooks services: HR
admins subscribe, change, disable and enable, rotate, test, resend and recover; the secret is
in the create and rotate payloads only; everyone else is refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.support import GraphQL, codes
from tests.gateway.webhooks.scene import Callers

pytestmark = pytest.mark.e2e

SUBSCRIPTION = "id url description eventTypes enabled owner failingSince version"
DELIVERIES = (
    "deliveries { edges { node { id webhookId eventType status attempts "
    "attemptLog { statusCode } } } }"
)
ERROR = "code field message"

CREATE = f"""mutation ($input: CreateWebhookSubscriptionInput!) {{
  createWebhookSubscription(input: $input) {{
    __typename
    ... on CreateWebhookSubscriptionPayload {{ secret subscription {{ {SUBSCRIPTION} }} }}
    ... on CreateWebhookSubscriptionError {{ {ERROR} }}
  }}
}}"""

UPDATE = f"""mutation ($input: UpdateWebhookSubscriptionInput!) {{
  updateWebhookSubscription(input: $input) {{
    __typename
    ... on WebhookSubscriptionPayload {{ subscription {{ {SUBSCRIPTION} }} }}
    ... on WebhookSubscriptionError {{ {ERROR} }}
  }}
}}"""

SWITCHES = """mutation ($input: WebhookSubscriptionInput!) {
  disableWebhookSubscription(input: $input) {
    ... on WebhookSubscriptionPayload { subscription { enabled } }
  }
  enableWebhookSubscription(input: $input) {
    ... on WebhookSubscriptionPayload { subscription { enabled } }
  }
  rotateWebhookSecret(input: $input) {
    __typename
    ... on RotateWebhookSecretPayload { secret previousSecretExpiresAt subscription { id } }
  }
  sendWebhookTest(input: $input) {
    __typename
    ... on WebhookDeliveryPayload { delivery { id webhookId eventType status } }
  }
}"""

RESEND = f"""mutation ($resend: ResendWebhookDeliveryInput!,
                     $recover: RecoverWebhookDeliveriesInput!) {{
  resendWebhookDelivery(input: $resend) {{
    __typename
    ... on WebhookDeliveryPayload {{ delivery {{ webhookId status }} }}
    ... on WebhookDeliveryError {{ {ERROR} }}
  }}
  recoverWebhookDeliveries(input: $recover) {{
    __typename
    ... on RecoverWebhookDeliveriesPayload {{ recovered }}
  }}
}}"""

LIST = f"""{{ webhookSubscriptions(first: 10) {{
  edges {{ node {{ {SUBSCRIPTION} {DELIVERIES} }} }}
}} }}"""


def created(body: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = body["data"]["createWebhookSubscription"]
    assert result["__typename"] == "CreateWebhookSubscriptionPayload", body
    return result


async def test_an_hr_admin_manages_a_subscription_and_its_deliveries(
    graphql: GraphQL, callers: Callers
) -> None:
    admin = callers.admin
    answer = created(
        await graphql(
            CREATE,
            {"input": {"url": "https://hris.example.com/hook", "eventTypes": ["person.*"]}},
            headers=admin,
        )
    )
    secret = answer["secret"]
    subscription = answer["subscription"]
    target = {"subscriptionId": subscription["id"]}

    updated = await graphql(
        UPDATE,
        {"input": target | {"version": 1, "description": "HRIS"}},
        headers=admin,
    )
    switched = await graphql(SWITCHES, {"input": target}, headers=admin)
    delivery = switched["data"]["sendWebhookTest"]["delivery"]
    resent = await graphql(
        RESEND,
        {
            "resend": target | {"deliveryId": delivery["id"]},
            "recover": target | {"since": "2026-01-01T00:00:00Z"},
        },
        headers=admin,
    )
    listed = await graphql(LIST, headers=admin)

    assert secret.startswith("whsec_")
    assert (subscription["eventTypes"], subscription["enabled"]) == (["person.*"], True)
    assert updated["data"]["updateWebhookSubscription"]["subscription"]["description"] == "HRIS"
    data = switched["data"]
    assert data["disableWebhookSubscription"]["subscription"]["enabled"] is False
    assert data["enableWebhookSubscription"]["subscription"]["enabled"] is True
    rotated = data["rotateWebhookSecret"]
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != secret
    assert rotated["subscription"]["id"] == subscription["id"]
    assert (delivery["eventType"], delivery["status"]) == ("webhook.test", "PENDING")
    assert resent["data"]["resendWebhookDelivery"]["delivery"] == {
        "webhookId": delivery["webhookId"],
        "status": "PENDING",
    }
    assert resent["data"]["recoverWebhookDeliveries"]["recovered"] == 0
    [edge] = listed["data"]["webhookSubscriptions"]["edges"]
    assert edge["node"]["id"] == subscription["id"]
    assert edge["node"]["description"] == "HRIS"
    [shown] = edge["node"]["deliveries"]["edges"]
    assert shown["node"]["webhookId"] == delivery["webhookId"]
    assert secret not in str(listed)
    assert rotated["secret"] not in str(listed)


async def test_a_refused_subscription_is_the_mutations_error(
    graphql: GraphQL, callers: Callers
) -> None:
    inside = await graphql(
        CREATE,
        {"input": {"url": "https://inside.test/hook", "eventTypes": ["person.*"]}},
        headers=callers.admin,
    )
    unknown = await graphql(
        CREATE,
        {"input": {"url": "https://hris.example.com/hook", "eventTypes": ["Not a type"]}},
        headers=callers.admin,
    )

    assert inside["data"]["createWebhookSubscription"] == {
        "__typename": "CreateWebhookSubscriptionError",
        "code": "address_not_allowed",
        "field": ["input", "url"],
        "message": inside["data"]["createWebhookSubscription"]["message"],
    }
    assert unknown["data"]["createWebhookSubscription"]["code"] == "validation_failed"
    assert unknown["data"]["createWebhookSubscription"]["field"] == ["input", "eventTypes", "0"]


async def test_an_employee_may_neither_read_nor_subscribe(
    graphql: GraphQL, callers: Callers
) -> None:
    listed = await graphql(LIST, headers=callers.employee)
    create = await graphql(
        CREATE,
        {"input": {"url": "https://hris.example.com/hook", "eventTypes": ["person.*"]}},
        headers=callers.employee,
    )

    assert listed["data"]["webhookSubscriptions"] is None
    assert codes(listed)[0][0] == "FORBIDDEN"
    assert create["data"]["createWebhookSubscription"]["code"] == "forbidden"
