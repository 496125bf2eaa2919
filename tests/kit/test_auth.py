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
