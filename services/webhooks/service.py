"""The webhooks service's rules: every event of every feed logged once and fanned out to the
subscriptions that take it in; subscriptions kept by HR admins and by integrations (each
integration sees and changes only its own, and receives only what its scopes may read)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from http import HTTPStatus

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Role
from kit.errors import DomainError, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import FeedEvent
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.policies import PolicyTable, Relation, Rule
from kit.repository import apply_patch, changed
from services.webhooks import repository
from services.webhooks.catalogue import (
    WILDCARD,
    KnownTypes,
    is_okr,
    pattern_takes,
    scope_of,
)
from services.webhooks.context import Webhooks
from services.webhooks.delivery import signing
from services.webhooks.delivery.ssrf import AddressRefused
from services.webhooks.events import CATALOGUE
from services.webhooks.models import Attempt, Event, Message, Subscription
from services.webhooks.schemas import (
    AttemptRead,
    EventQuery,
    EventRead,
    EventTypesRead,
    MessageQuery,
    MessageRead,
    RecoverRead,
    RecoverRequest,
    SecretRotationRead,
    SubscriptionCreate,
    SubscriptionQuery,
    SubscriptionRead,
    SubscriptionSecretRead,
    SubscriptionUpdate,
)
from services.webhooks.vault import PREVIOUS_SECRET_LIFETIME, new_secret

MANAGE = "webhooks:write"
READ = "webhooks:read"
HR_ADMIN_OWNER = "hr_admin"
INTEGRATION_OWNER = "integration"

POLICY = PolicyTable(
    {
        "event.read": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION),
        "event_type.read": Rule.of(Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE),
        "subscription.read": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope=READ),
        "subscription.create": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope=MANAGE),
        "subscription.update": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope=MANAGE),
        "subscription.delete": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope=MANAGE),
        "message.read": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope=READ),
        "message.send": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope=MANAGE),
    }
)


class CatalogueUnavailable(DomainError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "event_catalogue_unavailable"


# --- The event log ---------------------------------------------------------------------------


Owner = tuple[str, str]


def _owner(subscription: Subscription) -> Owner:
    return subscription.owner_role, subscription.owner_subject


def _delivers(
    subscription: Subscription, source: str, event_type: str, about: Owner | None
) -> bool:
    """Whether `subscription` receives the event. `about`: the owner of the subscription an
    event of this service concerns; an integration hears only of its own subscriptions."""
    if subscription.owner_role == INTEGRATION_OWNER:
        if scope_of(source) not in subscription.owner_scopes:
            return False
        if source == CATALOGUE.service and about != _owner(subscription):
            return False
    return any(pattern_takes(p, source, event_type) for p in subscription.event_types)


async def _concerned_owner(session: AsyncSession, source: str, event: FeedEvent) -> Owner | None:
    """For this service's own events (about a subscription), that subscription's owner."""
    if source != CATALOGUE.service or "subscription_id" not in event.payload:
        return None
    try:
        subscription_id = uuid.UUID(str(event.payload["subscription_id"]))
    except ValueError:
        return None
    subscription = await repository.get(session, Subscription, subscription_id)
    return None if subscription is None else _owner(subscription)


async def log_event(session: AsyncSession, source: str, event: FeedEvent) -> int:
    """Log `event` of `source`'s feed and queue a message to each enabled subscription that
    takes it in, in the caller's transaction; how many messages (none for an event logged
    before)."""
    logged = await repository.log_event(
        session,
        Event(
            id=event.id,
            source=source,
            type=event.type,
            occurred_at=event.occurred_at,
            data=event.payload,
            traceparent=event.traceparent,
        ),
    )
    if not logged:
        return 0
    patterns = [event.type, source + WILDCARD]
    if not is_okr(source, event.type):
        patterns.append(event.type.split(".", 1)[0] + WILDCARD)
    about = await _concerned_owner(session, source, event)
    now = utcnow()
    payload = signing.body(event.type, event.occurred_at, event.payload)
    messages = [
        Message(
            subscription_id=subscription.id,
            event_id=event.id,
            event_type=event.type,
            payload=payload,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        for subscription in await repository.subscriptions_naming(session, patterns)
        if _delivers(subscription, source, event.type, about)
    ]
    await repository.add_messages(session, messages)
    return len(messages)


async def prune_events(session: AsyncSession, now: datetime, retention: timedelta) -> int:
    """Forget the events older than `retention` at `now`; how many."""
    return await repository.prune_events(session, now - retention)


def _readable_sources(webhooks: Webhooks, actor: Actor) -> list[str] | None:
    """The feeds whose events `actor` may read; None for all."""
    if actor.role != Role.INTEGRATION:
        return None
    return [feed for feed in webhooks.settings.feeds if scope_of(feed) in actor.scopes]


async def list_events(
    session: AsyncSession,
    actor: Actor,
    webhooks: Webhooks,
    filters: EventQuery,
    params: PageParams,
) -> Page[EventRead]:
    pattern = filters.type
    wildcard = pattern is not None and pattern.endswith(WILDCARD)
    rows, cursor = await repository.list_events(
        session,
        params,
        exact_type=None if wildcard else pattern,
        prefix=pattern.removesuffix(WILDCARD) if wildcard and pattern else None,
        source=filters.source,
        occurred_after=filters.occurred_after,
        occurred_before=filters.occurred_before,
        sources=_readable_sources(webhooks, actor),
        own=(INTEGRATION_OWNER, actor.subject, CATALOGUE.service)
        if actor.role == Role.INTEGRATION
        else None,
    )
    return Page(
        items=[EventRead.model_validate(row, from_attributes=True) for row in rows],
        next_cursor=cursor,
    )


async def list_event_types(actor: Actor, webhooks: Webhooks) -> EventTypesRead:
    return (await webhooks.catalogues.known()).read()


# --- Subscriptions -----------------------------------------------------------------------------


def _present(row: Subscription) -> SubscriptionRead:
    owner = (
        HR_ADMIN_OWNER if row.owner_role == HR_ADMIN_OWNER else f"integration:{row.owner_subject}"
    )
    return SubscriptionRead(
        id=row.id,
        url=row.url,
        description=row.description,
        event_types=list(row.event_types),
        enabled=row.enabled,
        owner=owner,
        failing_since=row.failing_since,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


async def _check_url(webhooks: Webhooks, url: str) -> None:
    def refuse(detail: str, code: str) -> Unprocessable:
        return Unprocessable(detail, code=code, field="body.url")

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise refuse("The URL cannot be read.", "invalid_url") from exc
    if parsed.scheme not in ("https", "http") or not parsed.host:
        raise refuse("An endpoint is an absolute `https://` URL.", "invalid_url")
    if parsed.userinfo:
        raise refuse("An endpoint URL carries no user name or password.", "invalid_url")
    if parsed.fragment:
        raise refuse("An endpoint URL has no `#fragment`.", "invalid_url")
    if parsed.scheme == "http" and not webhooks.settings.allows_insecure(parsed.host):
        raise refuse("Endpoints must use `https://`.", "https_required")
    try:
        await webhooks.guard.check_url(url)
    except AddressRefused as refused:
        # A name that does not resolve now may later: the dispatcher checks every connection
        # again, so only an address known to be refused is refused here.
        if refused.address is not None:
            raise refuse(f"Webhooks may not reach {refused}.", "address_not_allowed") from refused


def _check_event_types(
    known: KnownTypes, patterns: Sequence[str], scopes: frozenset[str] | None
) -> list[str]:
    """`patterns` without repeats, once each is known to name types an owner with `scopes`
    (None: any) may receive; otherwise the first problem found."""
    services = known.services
    for index, pattern in enumerate(patterns):
        field = f"body.event_types.{index}"
        prefix = pattern.removesuffix(WILDCARD)
        wildcard = pattern.endswith(WILDCARD)
        named = [
            item
            for item in known.items
            if item.name == pattern or (wildcard and item.name.startswith(prefix + "."))
        ]
        if not named and not (wildcard and prefix in services):
            if known.unavailable:
                raise CatalogueUnavailable(
                    "The event catalogue of "
                    f"{', '.join(known.unavailable)} cannot be read now; retry shortly."
                )
            raise Unprocessable(
                f"No service publishes `{pattern}`; see `GET /v1/event-types`.",
                code="unknown_event_type",
                field=field,
            )
        if wildcard and prefix not in services and not known.taken_by(pattern):
            raise Unprocessable(
                f"`{pattern}` names only OKR events, which are chosen by their exact names.",
                code="okr_events_by_name",
                field=field,
            )
        needed = {scope_of(prefix)} if wildcard and prefix in services else set()
        needed |= {item.scope for item in named if not wildcard or not item.okr}
        if scopes is not None and (missing := sorted(needed - scopes)):
            raise Forbidden(
                f"Receiving `{pattern}` needs the scope {', '.join(missing)}, which this "
                "integration's token lacks.",
                code="event_type_not_permitted",
                field=field,
            )
    return list(dict.fromkeys(patterns))


def _owner_scopes(actor: Actor, row: Subscription | None) -> frozenset[str] | None:
    """The scopes bounding what a subscription receives: the owning integration's own as its
    token says when it writes, as last recorded when an HR admin does; None for HR admins'."""
    if row is None:
        return actor.scopes if actor.role == Role.INTEGRATION else None
    if row.owner_role != INTEGRATION_OWNER:
        return None
    if actor.role == Role.INTEGRATION:
        return actor.scopes
    return frozenset(row.owner_scopes)


async def create_subscription(
    session: AsyncSession, actor: Actor, webhooks: Webhooks, data: SubscriptionCreate
) -> SubscriptionSecretRead:
    await _check_url(webhooks, data.url)
    scopes = _owner_scopes(actor, None)
    event_types = _check_event_types(await webhooks.catalogues.known(), data.event_types, scopes)
    shown, key = new_secret()
    sealed = webhooks.vault.seal(key)
    integration = actor.role == Role.INTEGRATION
    row = Subscription(
        url=data.url,
        description=data.description,
        event_types=event_types,
        enabled=data.enabled,
        owner_role=INTEGRATION_OWNER if integration else HR_ADMIN_OWNER,
        owner_subject=actor.subject if integration else str(actor.person_id),
        owner_scopes=sorted(scopes or ()),
        secret_key_id=sealed.key_id,
        secret=sealed.ciphertext,
    )
    await repository.save(session, row)
    return SubscriptionSecretRead(**_present(row).model_dump(), secret=shown)


async def _subscription(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID, *, lock: bool = False
) -> Subscription:
    """The subscription, if `actor` may see it: HR admins see all, an integration its own."""
    row = await repository.get(session, Subscription, subscription_id, lock=lock)
    if row is None or (
        actor.role == Role.INTEGRATION
        and (row.owner_role != INTEGRATION_OWNER or row.owner_subject != actor.subject)
    ):
        raise NotFound("No subscription has this id.", code="subscription_not_found")
    return row


async def get_subscription(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID
) -> SubscriptionRead:
    return _present(await _subscription(session, actor, subscription_id))


async def list_subscriptions(
    session: AsyncSession, actor: Actor, filters: SubscriptionQuery, params: PageParams
) -> Page[SubscriptionRead]:
    rows, cursor = await repository.list_subscriptions(
        session,
        params,
        owner_subject=actor.subject if actor.role == Role.INTEGRATION else None,
        enabled=filters.enabled,
    )
    return Page(items=[_present(row) for row in rows], next_cursor=cursor)


async def update_subscription(
    session: AsyncSession,
    actor: Actor,
    webhooks: Webhooks,
    subscription_id: uuid.UUID,
    data: SubscriptionUpdate,
    if_match: str | None,
) -> SubscriptionRead:
    row = await _subscription(session, actor, subscription_id, lock=True)
    check_if_match(if_match, row.version)
    sent = data.model_dump(exclude_unset=True)
    if "url" in sent:
        await _check_url(webhooks, sent["url"])
    scopes = _owner_scopes(actor, row)
    if "event_types" in sent:
        known = await webhooks.catalogues.known()
        sent["event_types"] = _check_event_types(known, sent["event_types"], scopes)
    if row.owner_role == INTEGRATION_OWNER and actor.role == Role.INTEGRATION and scopes:
        sent["owner_scopes"] = sorted(scopes)
    changes = changed(row, sent)
    if changes.get("enabled") is True:
        changes["failing_since"] = None
    apply_patch(row, changes)
    await repository.save(session, row)
    return _present(row)


async def set_enabled(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID, enabled: bool
) -> SubscriptionRead:
    """Enable or disable; enabling a subscription the service disabled starts it afresh."""
    row = await _subscription(session, actor, subscription_id, lock=True)
    if row.enabled != enabled:
        apply_patch(row, {"enabled": enabled, "failing_since": None})
        await repository.save(session, row)
    return _present(row)


async def rotate_secret(
    session: AsyncSession,
    actor: Actor,
    webhooks: Webhooks,
    subscription_id: uuid.UUID,
) -> SecretRotationRead:
    """A new secret; the current one keeps signing beside it for 24 hours (a secret rotated
    out earlier stops at once)."""
    row = await _subscription(session, actor, subscription_id, lock=True)
    shown, key = new_secret()
    sealed = webhooks.vault.seal(key)
    expires_at = utcnow() + PREVIOUS_SECRET_LIFETIME
    apply_patch(
        row,
        {
            "previous_secret_key_id": row.secret_key_id,
            "previous_secret": row.secret,
            "previous_secret_expires_at": expires_at,
            "secret_key_id": sealed.key_id,
            "secret": sealed.ciphertext,
        },
    )
    await repository.save(session, row)
    return SecretRotationRead(secret=shown, previous_secret_expires_at=expires_at)


async def delete_subscription(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID
) -> None:
    """Delete a subscription with its messages and their attempts: nothing more is sent."""
    await repository.delete(session, await _subscription(session, actor, subscription_id))


def _present_message(row: Message, attempts: Sequence[Attempt]) -> MessageRead:
    return MessageRead(
        **row.model_dump(exclude={"lease_until", "claim", "payload"}),
        attempt_log=[
            AttemptRead.model_validate(attempt, from_attributes=True) for attempt in attempts
        ],
    )


async def list_messages(
    session: AsyncSession,
    actor: Actor,
    subscription_id: uuid.UUID,
    filters: MessageQuery,
    params: PageParams,
) -> Page[MessageRead]:
    await _subscription(session, actor, subscription_id)
    status = filters.status.value if filters.status is not None else None
    rows, cursor = await repository.list_messages(session, params, subscription_id, status)
    attempts = await repository.attempts_of(session, [row.id for row in rows])
    return Page(
        items=[_present_message(row, attempts.get(row.id, [])) for row in rows],
        next_cursor=cursor,
    )


# --- Delivery operations ----------------------------------------------------------------------

TEST_EVENT_TYPE = "webhook.test"


class MessageInDelivery(DomainError):
    status = HTTPStatus.CONFLICT
    code = "message_in_delivery"


class SubscriptionDisabled(DomainError):
    status = HTTPStatus.CONFLICT
    code = "subscription_disabled"


async def _message(
    session: AsyncSession,
    actor: Actor,
    subscription_id: uuid.UUID,
    message_id: uuid.UUID,
    *,
    lock: bool = False,
) -> tuple[Subscription, Message]:
    subscription = await _subscription(session, actor, subscription_id)
    message = await repository.get(session, Message, message_id, lock=lock)
    if message is None or message.subscription_id != subscription.id:
        raise NotFound("This subscription has no message of this id.", code="message_not_found")
    return subscription, message


async def get_message(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID, message_id: uuid.UUID
) -> MessageRead:
    _, message = await _message(session, actor, subscription_id, message_id)
    attempts = await repository.attempts_of(session, [message.id])
    return _present_message(message, attempts.get(message.id, []))


def _check_enabled(subscription: Subscription) -> None:
    if not subscription.enabled:
        raise SubscriptionDisabled(
            "The subscription is disabled: enable it first, and its messages are sent again."
        )


async def resend_message(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID, message_id: uuid.UUID
) -> MessageRead:
    """Attempt the message again now, with the same `webhook-id` and the same body; if that
    attempt fails, it is retried on what is left of its schedule (at least that one attempt)."""
    subscription, message = await _message(session, actor, subscription_id, message_id, lock=True)
    _check_enabled(subscription)
    now = utcnow()
    if message.status == "delivering" and message.lease_until and message.lease_until > now:
        raise MessageInDelivery("The message is being delivered now; see its attempts.")
    message.status, message.next_attempt_at, message.updated_at = "pending", now, now
    # A holder whose lease ran out records nothing any more.
    message.lease_until = message.claim = None
    await repository.save(session, message)
    attempts = await repository.attempts_of(session, [message.id])
    return _present_message(message, attempts.get(message.id, []))


async def recover_messages(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID, data: RecoverRequest
) -> RecoverRead:
    """Send again every failed message of the subscription queued since `data.since`."""
    subscription = await _subscription(session, actor, subscription_id, lock=True)
    _check_enabled(subscription)
    recovered = await repository.recover_failed(session, subscription.id, data.since, utcnow())
    return RecoverRead(recovered=recovered)


async def send_test_event(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID
) -> MessageRead:
    """Queue a `webhook.test` event for this subscription alone, whatever its event types."""
    subscription = await _subscription(session, actor, subscription_id)
    _check_enabled(subscription)
    now = utcnow()
    event = Event(
        id=uuid.uuid4(),
        source=CATALOGUE.service,
        type=TEST_EVENT_TYPE,
        occurred_at=now,
        data={"subscription_id": str(subscription.id)},
    )
    await repository.log_event(session, event)
    message = Message(
        subscription_id=subscription.id,
        event_id=event.id,
        event_type=event.type,
        payload=signing.body(event.type, event.occurred_at, event.data),
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    await repository.add_messages(session, [message])
    return _present_message(message, [])
