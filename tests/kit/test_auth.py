"""Token verification against a real JWKS endpoint, and the policy table's rules."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from pydantic import SecretStr

from kit.auth import Actor, Role, TokenVerifier, mint_service_token
from kit.errors import Forbidden, NotFound, Unauthorized
from kit.policies import PolicyTable, Relation, Rule
from kit.settings import AuthSettings, ConfigurationError, ServiceSettings

# Every fetch of the key set the stand-in identity provider served.
JWKS_FETCHES: list[str] = []
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    """A stand-in identity provider: a real HTTP server publishing our public keys."""
    keys = [
        {**json.loads(RSAAlgorithm.to_jwk(RSA_KEY.public_key())), "kid": "rsa-1", "alg": "RS256"},
        {**json.loads(ECAlgorithm.to_jwk(EC_KEY.public_key())), "kid": "ec-1", "alg": "ES256"},
    ]
    body = json.dumps({"keys": keys}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            JWKS_FETCHES.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()


def _idp_token(key: Any, alg: str, kid: str, **claims: Any) -> str:
    payload = {"iss": "https://idp.example", "aud": "inspire", "exp": time.time() + 60, **claims}
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def _jwks_settings(url: str) -> AuthSettings:
    return AuthSettings(
        jwks_url=url,
        algorithms=["RS256", "ES256"],
        issuer="https://idp.example",
        audience="inspire",
    )


@pytest.mark.parametrize(
    ("key", "alg", "kid"), [(RSA_KEY, "RS256", "rsa-1"), (EC_KEY, "ES256", "ec-1")]
)
async def test_jwks_tokens_verify(jwks_url: str, key: Any, alg: str, kid: str) -> None:
    verifier = TokenVerifier(_jwks_settings(jwks_url))

    claims = await verifier.verify(_idp_token(key, alg, kid, email="a@example.com"))

    assert claims["email"] == "a@example.com"


async def test_jwks_refuses_an_algorithm_not_pinned(jwks_url: str) -> None:
    settings = _jwks_settings(jwks_url).model_copy(update={"algorithms": ["ES256"]})

    with pytest.raises(Unauthorized):
        await TokenVerifier(settings).verify(_idp_token(RSA_KEY, "RS256", "rsa-1"))


async def test_jwks_refuses_a_wrong_issuer_and_a_foreign_key(jwks_url: str) -> None:
    verifier = TokenVerifier(_jwks_settings(jwks_url))
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    with pytest.raises(Unauthorized):
        await verifier.verify(_idp_token(RSA_KEY, "RS256", "rsa-1", iss="https://evil.example"))
    with pytest.raises(Unauthorized):
        await verifier.verify(_idp_token(other_key, "RS256", "rsa-1"))


async def test_service_tokens_need_the_service_secret() -> None:
    settings = AuthSettings(jwt_secret=SecretStr("p" * 40), service_secret=SecretStr("s" * 40))
    forged = AuthSettings(jwt_secret=SecretStr("p" * 40), service_secret=SecretStr("x" * 40))
    verifier = TokenVerifier(settings)

    claims = await verifier.verify(mint_service_token(settings, "goals"))

    assert claims["sub"] == "service:goals"
    with pytest.raises(Unauthorized):
        await verifier.verify(mint_service_token(forged, "goals"))


async def test_published_keys_are_fetched_once_per_refresh_interval(jwks_url: str) -> None:
    verifier = TokenVerifier(_jwks_settings(jwks_url))
    fetched_before = len(JWKS_FETCHES)

    for n in range(5):
        await verifier.verify(_idp_token(RSA_KEY, "RS256", "rsa-1", email=f"{n}@example.com"))
        await verifier.verify(_idp_token(EC_KEY, "ES256", "ec-1", email=f"{n}@example.com"))

    assert len(JWKS_FETCHES) - fetched_before == 1
    with pytest.raises(Unauthorized, match="not valid"):
        await verifier.verify(_idp_token(RSA_KEY, "RS256", "rsa-unknown"))


SECRETS = AuthSettings(jwt_secret=SecretStr("p" * 40), service_secret=SecretStr("s" * 40))


def _signed(claims: dict[str, Any], secret: str, **headers: Any) -> str:
    return jwt.encode(claims, secret, algorithm="HS256", headers=headers or None)


@pytest.mark.parametrize(
    ("claims", "secret"),
    [
        # The issuer chooses the secret: each kind of token signed with the other's is refused.
        ({"iss": "inspire", "aud": "inspire", "email": "a@example.com"}, "s" * 40),
        ({"iss": "inspire-internal", "aud": "inspire-internal", "sub": "service:x"}, "p" * 40),
        # Each kind's audience, and a service token's `sub`, are required.
        ({"iss": "inspire", "aud": "inspire-internal", "email": "a@example.com"}, "p" * 40),
        ({"iss": "inspire-internal", "aud": "inspire", "sub": "service:x"}, "s" * 40),
        ({"iss": "inspire-internal", "aud": "inspire-internal"}, "s" * 40),
        ({"iss": "inspire", "email": "a@example.com"}, "p" * 40),
    ],
)
async def test_a_token_meets_the_rules_of_its_issuer(claims: dict[str, Any], secret: str) -> None:
    token = _signed({"exp": time.time() + 60, **claims}, secret)

    with pytest.raises(Unauthorized) as refused:
        await TokenVerifier(SECRETS).verify(token)

    assert refused.value.code == "invalid_token"


async def test_expiry_is_required_and_checked_once_decoded() -> None:
    claims = {"iss": "inspire", "aud": "inspire", "email": "a@example.com"}
    verifier = TokenVerifier(SECRETS)

    with pytest.raises(Unauthorized) as expired:
        await verifier.verify(_signed({**claims, "exp": time.time() - 3600}, "p" * 40))
    with pytest.raises(Unauthorized) as endless:
        await verifier.verify(_signed(claims, "p" * 40))

    assert (expired.value.code, endless.value.code) == ("token_expired", "invalid_token")


@pytest.mark.parametrize(
    "token",
    [
        "a.b",
        "e30.bm90IGpzb24.c2ln",  # a payload that is not JSON
        "WyJub3QgYW4gb2JqZWN0Il0.e30.c2ln",  # a header that is not an object
        "eyJhbGciOiJIUzI1NiIsImtpZCI6N30.eyJpc3MiOiJpbnNwaXJlIn0.c2ln",  # `kid` 7, a number
    ],
)
async def test_malformed_tokens_are_refused_before_any_key_is_chosen(token: str) -> None:
    with pytest.raises(Unauthorized) as refused:
        await TokenVerifier(SECRETS).verify(token)

    assert refused.value.code == "unauthorized"


async def test_a_detached_payload_is_refused() -> None:
    claims = {"iss": "inspire", "aud": "inspire", "exp": time.time() + 60}
    token = jwt.api_jws.encode(
        json.dumps(claims).encode(), "p" * 40, headers={"b64": False, "crit": ["b64"]}
    )

    with pytest.raises(Unauthorized):
        await TokenVerifier(SECRETS).verify(token)


def test_serving_needs_a_database_and_keys() -> None:
    with pytest.raises(ConfigurationError, match="INSPIRE_PEOPLE_DATABASE_URL"):
        ServiceSettings(auth=AuthSettings()).check_ready_to_serve("people")
    with pytest.raises(ConfigurationError, match="INSPIRE_AUTH_SERVICE_SECRET"):
        ServiceSettings(
            database_url="postgresql://db/people", auth=AuthSettings(jwt_secret=SecretStr("k" * 40))
        ).check_ready_to_serve("people")
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        ServiceSettings(
            database_url="mysql://db/people",
            auth=AuthSettings(jwt_secret=SecretStr("k" * 40), service_secret=SecretStr("s" * 40)),
        ).check_ready_to_serve("people")


POLICY = PolicyTable(
    {
        "thing.read": Rule.of(Relation.SIGNED_IN, Relation.SERVICE),
        "thing.edit": Rule.of(Relation.OWNER, Relation.MANAGER, Relation.HR_ADMIN),
        "thing.sync": Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope="things:write"),
    }
)
EMPLOYEE = Actor(role=Role.EMPLOYEE, subject="e", person_id=uuid.uuid4())
HR = Actor(role=Role.HR_ADMIN, subject="h", person_id=uuid.uuid4())
HRIS = Actor(role=Role.INTEGRATION, subject="i", scopes=frozenset({"things:write"}))
TOOL = Actor(role=Role.INTEGRATION, subject="t", scopes=frozenset({"other"}))
SERVICE = Actor(role=Role.SERVICE, subject="service:goals")


@pytest.mark.parametrize(
    ("actor", "action", "relations", "allowed"),
    [
        (EMPLOYEE, "thing.read", [], True),
        (SERVICE, "thing.read", [], True),
        (HRIS, "thing.read", [], False),
        (EMPLOYEE, "thing.edit", [], False),
        (EMPLOYEE, "thing.edit", [Relation.OWNER], True),
        (EMPLOYEE, "thing.edit", [Relation.MANAGER], True),
        (HR, "thing.edit", [], True),
        # Relations are for people: a service cannot claim to own something.
        (SERVICE, "thing.edit", [Relation.OWNER], False),
        (HRIS, "thing.sync", [], True),
        (TOOL, "thing.sync", [], False),
        (EMPLOYEE, "thing.sync", [Relation.OWNER], False),
    ],
)
def test_policy_table(actor: Actor, action: str, relations: list[Relation], allowed: bool) -> None:
    assert POLICY.permits(actor, action, relations) is allowed


def test_outsiders_can_be_told_not_found() -> None:
    with pytest.raises(NotFound):
        POLICY.authorize(EMPLOYEE, "thing.edit", hide=True)
    with pytest.raises(Forbidden):
        POLICY.authorize(EMPLOYEE, "thing.edit")


def test_an_action_without_a_policy_entry_cannot_be_required() -> None:
    with pytest.raises(KeyError):
        POLICY.require("thing.delete")
