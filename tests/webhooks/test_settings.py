"""The webhooks service refuses to start without a key for its signing secrets in production,
or with a key that is not one; outside production a development key stands in."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from kit.settings import ConfigurationError, Environment
from services.webhooks.config import WebhooksSettings
from services.webhooks.context import Webhooks
from tests.support import AUTH

DATABASE = "postgresql://webhooks@127.0.0.1/webhooks"


def settings(**overrides: object) -> WebhooksSettings:
    values = {"database_url": DATABASE, "auth": AUTH, "environment": Environment.PRODUCTION}
    return WebhooksSettings.model_validate(values | overrides)


def test_production_needs_encryption_keys() -> None:
    with pytest.raises(ConfigurationError, match="INSPIRE_WEBHOOKS_ENCRYPTION_KEYS"):
        settings().check_ready_to_serve("webhooks")


def test_the_current_key_must_be_one_of_the_keys() -> None:
    keys = {"2026-12": SecretStr(Fernet.generate_key().decode())}

    settings(encryption_keys=keys).check_ready_to_serve("webhooks")
    with pytest.raises(ConfigurationError, match="ENCRYPTION_KEY_ID"):
        settings(encryption_keys=keys, encryption_key_id="2027-01").check_ready_to_serve("webhooks")


def test_a_key_that_is_no_fernet_key_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="Fernet key"):
        Webhooks.of(settings(encryption_keys={"k": SecretStr("not a key")}))


def test_outside_production_a_development_key_encrypts() -> None:
    webhooks = Webhooks.of(settings(environment=Environment.DEVELOPMENT))
    sealed = webhooks.vault.seal(b"secret bytes")

    assert sealed.key_id == "development"
    assert webhooks.vault.open(sealed.key_id, sealed.ciphertext) == b"secret bytes"


def test_plain_http_hosts_default_to_local_ones_in_development_only() -> None:
    development = settings(environment=Environment.DEVELOPMENT)

    assert development.allows_insecure("127.0.0.1")
    assert development.allows_insecure("LOCALHOST")
    assert not development.allows_insecure("example.com")
    assert not settings().allows_insecure("127.0.0.1")
    assert settings(insecure_hosts=["receiver.local"]).allows_insecure("receiver.local")
