"""Bearer tokens → `Actor`. People are found in the service's own copy of the directory;
manager rights come from that directory, never from the token."""

from __future__ import annotations

import asyncio
import string
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Protocol

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import ColumnElement, ColumnExpressionArgument, collate, func
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import SessionDep
from kit.errors import Forbidden, Unauthorized
from kit.settings import AuthSettings

# Tokens between our own services are signed with the service secret and carry this issuer.
SERVICE_ISSUER = "inspire-internal"
SERVICE_AUDIENCE = "inspire-internal"
# A non-person token names its kind in this claim ("integration"); its scopes in `scope`.
ROLE_CLAIM = "inspire_role"


class Role(StrEnum):
    EMPLOYEE = "employee"
    HR_ADMIN = "hr_admin"
    INTEGRATION = "integration"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is calling: a person (employee or HR admin), an integration or one of our services."""

    role: Role
    subject: str
    person_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_person(self) -> bool:
        return self.person_id is not None


@dataclass(frozen=True, slots=True)
class Identity:
    """What a directory knows of the person behind a token."""

    person_id: uuid.UUID
    active: bool
    is_hr_admin: bool


# --- Email addresses as identities ------------------------------------------------------------
# Two addresses name the same person only when they differ in the case of ASCII letters. A
# fuller fold (`str.lower`, PostgreSQL's `lower()` in a UTF-8 locale) maps look-alikes such as
# the KELVIN SIGN onto ASCII letters, so a token naming `\u212aenji@…` would reach `kenji@…`.

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# The same fold in SQL, as the unique indexes on addresses are built: under the "C" collation
# `lower()` changes ASCII letters only.
EMAIL_KEY_SQL = 'lower(email COLLATE "C")'


def email_key(address: str) -> str:
    """The canonical form an address is matched and kept unique on."""
    return address.translate(_ASCII_LOWER)


def email_key_of(column: ColumnExpressionArgument[str]) -> ColumnElement[str]:
    """`email_key` of a column, in SQL (the expression of the unique indexes)."""
    return func.lower(collate(column, "C"))


class Directory(Protocol):
    """Finds a person by the configured identity claim; each service answers from its own data."""

    async def find_identity(
        self, session: AsyncSession, claim: str, value: str
    ) -> Identity | None: ...


@dataclass(frozen=True, slots=True)
class _Rules:
    """What a token must meet, chosen by who issued it: key, algorithms, issuer, audience."""

    key: Any
    algorithms: Sequence[str]
    issuer: str
    audience: str | Sequence[str]
    required: tuple[str, ...]


class _Decoder(jwt.PyJWT):
    """PyJWT's own checks, with the token decoded once: the header and claims are read, the
    rules chosen from them (the issuer picks the secret, `kid` the published key), then the
    signature over the bytes already split and the claims already parsed are verified.
    `jwt.decode` takes the key first, which meant decoding every token twice. Only PyJWT's
    steps are used (header checks, algorithm allow-list, signature, claims), none rewritten;
    they are its underscored methods, so an upgrade of PyJWT is checked by tests/kit."""

    def read(self, token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
        """Header, claims, signing input and signature; nothing verified yet."""
        payload, signing_input, header, signature = self._jws._load(token)
        self._jws._validate_headers(header)
        if header.get("b64", True) is False:
            # A detached payload (RFC 7797) is nothing a bearer token of ours carries.
            raise jwt.DecodeError("A token with a detached payload is not accepted.")
        claims = self._decode_payload({"payload": payload})
        return header, claims, signing_input, signature

    def verify(
        self,
        header: dict[str, Any],
        claims: dict[str, Any],
        signing_input: bytes,
        signature: bytes,
        rules: _Rules,
        leeway: int,
    ) -> None:
        self._jws._verify_signature(signing_input, header, signature, rules.key, rules.algorithms)
        options = self._merge_options({"require": list(rules.required)})
        self._validate_claims(
            claims, options, audience=rules.audience, issuer=rules.issuer, leeway=leeway
        )


_DECODER = _Decoder()


class TokenVerifier:
    """Verifies signatures, algorithms, issuer, audience and expiry; each token decoded once."""

    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self._jwks = (
            jwt.PyJWKClient(settings.jwks_url, lifespan=settings.jwks_refresh_seconds)
            if settings.jwks_url
            else None
        )
        # Published keys by `kid`, with when they were fetched: only a key the JWKS holds is
        # kept (an unknown `kid` fails its look-up), so the map is as small as the key set.
        self._published: dict[str | None, tuple[float, Any]] = {}

    async def verify(self, token: str) -> dict[str, Any]:
        try:
            header, claims, signing_input, signature = _DECODER.read(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("The bearer token is malformed.") from exc
        try:
            if claims.get("iss") == SERVICE_ISSUER:
                rules = self._service_rules()
            else:
                rules = await self._person_or_integration_rules(header)
            _DECODER.verify(
                header, claims, signing_input, signature, rules, self.settings.leeway_seconds
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The bearer token has expired.", code="token_expired") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized("The bearer token is not valid.", code="invalid_token") from exc
        return claims

    def _service_rules(self) -> _Rules:
        if self.settings.service_secret is None:
            raise Unauthorized("Service tokens are not accepted here.", code="invalid_token")
        return _Rules(
            key=self.settings.service_secret.get_secret_value(),
            algorithms=("HS256",),
            issuer=SERVICE_ISSUER,
            audience=SERVICE_AUDIENCE,
            required=("exp", "iss", "aud", "sub"),
        )

    async def _person_or_integration_rules(self, header: Mapping[str, Any]) -> _Rules:
        if self._jwks is not None:
            key = await self._published_key(header.get("kid"))
        elif self.settings.jwt_secret is not None:
            key = self.settings.jwt_secret.get_secret_value()
        else:
            raise Unauthorized("No token verification is configured.", code="invalid_token")
        return _Rules(
            key=key,
            algorithms=self.settings.algorithms,
            issuer=self.settings.issuer,
            audience=self.settings.audience,
            required=("exp", "iss", "aud"),
        )

    async def _published_key(self, kid: str | None) -> Any:
        """The identity provider's key `kid`: from memory while it is younger than the JWKS
        refresh interval, else through `PyJWKClient`, whose fetches block: off the event loop."""
        assert self._jwks is not None  # noqa: S101  # called only with a JWKS configured
        now = time.monotonic()
        kept = self._published.get(kid)
        if kept is not None and now - kept[0] < self.settings.jwks_refresh_seconds:
            return kept[1]
        # A token without `kid` matches a published key without one, as
        # `PyJWKClient.get_signing_key_from_jwt` looks it up.
        signing_key = await asyncio.to_thread(self._jwks.get_signing_key, kid)  # type: ignore[arg-type]
        self._published[kid] = (now, signing_key.key)
        return signing_key.key


def _scopes(claims: Mapping[str, Any]) -> frozenset[str]:
    scope = claims.get("scope", "")
    return frozenset(scope.split()) if isinstance(scope, str) else frozenset()


async def resolve_actor(
    claims: Mapping[str, Any],
    *,
    session: AsyncSession,
    directory: Directory,
    identity_claim: str,
) -> Actor:
    subject = str(claims.get("sub", ""))
    if claims.get("iss") == SERVICE_ISSUER:
        return Actor(role=Role.SERVICE, subject=subject, scopes=_scopes(claims))
    if claims.get(ROLE_CLAIM) == Role.INTEGRATION:
        # An integration is known by its `sub` alone (idempotency keys, history): it needs one.
        if not subject.strip():
            raise Unauthorized("An integration's token needs a `sub` claim.", code="invalid_token")
        return Actor(role=Role.INTEGRATION, subject=subject, scopes=_scopes(claims))
    value = claims.get(identity_claim)
    if not isinstance(value, str) or not value:
        raise Unauthorized(f"The token has no `{identity_claim}` claim.", code="invalid_token")
    identity = await directory.find_identity(session, identity_claim, value)
    if identity is None:
        raise Unauthorized("The token names nobody in the directory.", code="unknown_person")
    if not identity.active:
        raise Forbidden("This person is inactive.", code="inactive_person")
    role = Role.HR_ADMIN if identity.is_hr_admin else Role.EMPLOYEE
    return Actor(role=role, subject=subject, person_id=identity.person_id)


_bearer = HTTPBearer(auto_error=False, description="A JWT from the identity provider.")


async def current_actor(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send `Authorization: Bearer <token>`.", code="missing_token")
    verifier: TokenVerifier = request.app.state.token_verifier
    claims = await verifier.verify(credentials.credentials)
    actor = await resolve_actor(
        claims,
        session=session,
        directory=request.app.state.directory,
        identity_claim=verifier.settings.identity_claim,
    )
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def mint_token(
    settings: AuthSettings,
    *,
    claims: Mapping[str, Any],
    ttl_seconds: int = 3600,
) -> str:
    """An HS256 token for development, tests and integrations that share the secret."""
    if settings.jwt_secret is None:
        raise ValueError("minting needs INSPIRE_AUTH_JWT_SECRET")
    now = int(time.time())
    payload = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode({**payload, **claims}, settings.jwt_secret.get_secret_value(), "HS256")


def mint_service_token(settings: AuthSettings, service: str, ttl_seconds: int = 300) -> str:
    """The token one of our services sends when it calls another."""
    if settings.service_secret is None:
        raise ValueError("calls between services need INSPIRE_AUTH_SERVICE_SECRET")
    now = int(time.time())
    payload = {
        "iss": SERVICE_ISSUER,
        "aud": SERVICE_AUDIENCE,
        "sub": f"service:{service}",
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(payload, settings.service_secret.get_secret_value(), "HS256")
