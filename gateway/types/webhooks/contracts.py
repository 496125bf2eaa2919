"""The webhooks service's contract models that the webhooks types read and the mutations send,
named here once: the rest of the package imports them from this module, never from the
service."""

from services.webhooks.schemas import (
    AttemptRead,
    MessageRead,
    MessageStatus,
    RecoverRequest,
    SubscriptionCreate,
    SubscriptionRead,
    SubscriptionUpdate,
)

__all__ = [
    "AttemptRead",
    "MessageRead",
    "MessageStatus",
    "RecoverRequest",
    "SubscriptionCreate",
    "SubscriptionRead",
    "SubscriptionUpdate",
]
