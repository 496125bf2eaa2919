"""`inspire dev`: the whole stack on one machine. The embedded PostgreSQL in `.inspire/dev-pg`,
development keys in `.inspire/dev-keys.json`, and each service migrated and run as a process
of its own, stopped (then the database) on Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
from pydantic import SecretStr

from cli import webhook_receiver
from cli.devdb import ensure_database, start_embedded, stop_embedded
from kit.api import ServiceSpec
from kit.auth import ROLE_CLAIM, mint_token
from kit.migrations import migrate
from kit.settings import AuthSettings, ServiceUrls

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".inspire"
DEV_KEYS = STATE_DIR / "dev-keys.json"
DEV_DATA = STATE_DIR / "dev-pg"
HOST = "127.0.0.1"
READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0
DEV_TOKEN_TTL_SECONDS = 12 * 3600


# Loads demo data into the running stack; returns the email of the person to sign in as.
DemoLoader = Callable[[ServiceUrls, AuthSettings], Coroutine[Any, Any, str]]


class DevStackError(RuntimeError):
    """The stack cannot start; the message says why."""


class NotReady(DevStackError):
    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"{name} {why}")
        self.name = name


@dataclass(frozen=True)
class Starting:
    """A process just started, and the URL that answers 200 once it is ready."""

    name: str
    process: subprocess.Popen[bytes]
    ready_url: str


def wait_until_ready(
    starting: Sequence[Starting],
    timeout: float,
    on_ready: Callable[[str], None] = lambda name: None,
) -> None:
    """Until each process is ready, in order, telling `on_ready` each name as it is; raises
    NotReady for the first that exits or is not ready in time."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        for each in starting:
            while True:
                if (code := each.process.poll()) is not None:
                    raise NotReady(each.name, f"exited (code {code}) before it was ready")
                try:
                    if client.get(each.ready_url).status_code == 200:
                        on_ready(each.name)
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    path = httpx.URL(each.ready_url).path
                    raise NotReady(each.name, f"did not answer {path} in time")
                time.sleep(0.2)


@dataclass(frozen=True)
class DevKeys:
    jwt_secret: str
    service_secret: str


def read_dev_keys(path: Path = DEV_KEYS) -> DevKeys | None:
    if not path.exists():
        return None
    return DevKeys(**json.loads(path.read_text()))


def dev_keys(path: Path = DEV_KEYS) -> DevKeys:
    """The development keys, made on first use and kept so that tokens outlive restarts."""
    keys = read_dev_keys(path)
    if keys is not None:
        return keys
    keys = DevKeys(jwt_secret=secrets.token_urlsafe(48), service_secret=secrets.token_urlsafe(48))
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        json.dump(asdict(keys), file, indent=2)
    return keys


@dataclass(frozen=True)
class Component:
    """One process of the stack: a service, or later the gateway."""

    spec: ServiceSpec
    # What a person opens first: a service's API docs, the gateway's GraphQL page.
    home: str = "/docs"

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.spec.dev_port}"


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


async def _prepare_databases(server_url: str, services: Sequence[ServiceSpec]) -> dict[str, str]:
    urls = {}
    for spec in services:
        if not spec.has_database:
            continue
        urls[spec.name] = await ensure_database(server_url, f"inspire_{spec.name}")
        await migrate(spec, urls[spec.name])
    return urls


def _environment(
    component: Component,
    components: Sequence[Component],
    keys: DevKeys,
    database_url: str | None,
) -> dict[str, str]:
    prefix = f"INSPIRE_{component.name.upper()}_"
    env = dict(os.environ)
    env.update({f"INSPIRE_{other.name.upper()}_URL": other.url for other in components})
    env["INSPIRE_AUTH_JWT_SECRET"] = keys.jwt_secret
    env["INSPIRE_AUTH_SERVICE_SECRET"] = keys.service_secret
    env[f"{prefix}ENVIRONMENT"] = "development"
    if database_url is not None:
        env[f"{prefix}DATABASE_URL"] = database_url
    return env


def _spawn(component: Component, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "cli", "serve", component.name, "--host", HOST]
    command += ["--port", str(component.spec.dev_port)]
    # A session of its own: Ctrl-C reaches only this process, which stops the children in order.
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603  # our own command


# The webhooks dispatcher (`inspire worker`), run beside the webhooks service on its settings.
DISPATCHER = "webhooks-dispatcher"
DISPATCHER_PORT = 8015


def _spawn_dispatcher(env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "cli", "worker", "--host", HOST]
    command += ["--port", str(DISPATCHER_PORT)]
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603  # our own command


# The demo's webhook receiver: a subscription of its own to every event, verified and printed.
RECEIVER = "webhook-receiver"
RECEIVER_PORT = 8025
RECEIVER_SUBJECT = "inspire-dev-receiver"


def _receiver_secret(components: Sequence[Component], keys: DevKeys, url: str) -> str:
    """Subscribe the receiver at `url` to every service's events (or, subscribed on an earlier
    run, rotate its secret: a secret is shown once); the secret to verify with."""
    services = [c.name for c in components if c.spec.has_database]
    auth = AuthSettings(jwt_secret=SecretStr(keys.jwt_secret))
    scopes = " ".join(["webhooks:write", *(f"{name}:read" for name in services)])
    claims = {"sub": RECEIVER_SUBJECT, ROLE_CLAIM: "integration", "scope": scopes}
    token = mint_token(auth, claims=claims, ttl_seconds=DEV_TOKEN_TTL_SECONDS)
    webhooks = f"http://{HOST}:{next(c.spec.dev_port for c in components if c.name == 'webhooks')}"
    with httpx.Client(
        base_url=webhooks, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        listed = client.get("/v1/subscriptions", params={"limit": 100}).raise_for_status()
        mine = [item for item in listed.json()["items"] if item["url"] == url]
        if mine:
            answer = client.post(f"/v1/subscriptions/{mine[0]['id']}/secret/rotate")
        else:
            types = [f"{name}.*" for name in services]
            body = {
                "url": url,
                "description": "inspire dev: the demo receiver",
                "event_types": types,
            }
            answer = client.post("/v1/subscriptions", json=body)
        secret: str = answer.raise_for_status().json()["secret"]
    return secret


def _start_receiver(
    components: Sequence[Component], keys: DevKeys
) -> subprocess.Popen[bytes] | None:
    url = f"http://{HOST}:{RECEIVER_PORT}{webhook_receiver.PATH}"
    try:
        secret = _receiver_secret(components, keys, url)
    except httpx.HTTPError as exc:
        print(f"inspire dev: the demo webhook receiver is not subscribed ({exc})", flush=True)
        return None
    env = {**os.environ, webhook_receiver.SECRET_VARIABLE: secret}
    command = [sys.executable, "-m", "cli.webhook_receiver", "--host", HOST]
    command += ["--port", str(RECEIVER_PORT)]
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603  # our own command


def _dev_token(components: Sequence[Component], keys: DevKeys) -> tuple[str, str]:
    """An integration token that works on an empty directory, with each service's
    `<service>:read` and `<service>:write` scopes; and those scopes."""
    names = [component.name for component in components if component.spec.has_database]
    scopes = " ".join(f"{name}:{access}" for name in names for access in ("read", "write"))
    auth = AuthSettings(jwt_secret=SecretStr(keys.jwt_secret))
    claims = {"sub": "inspire-dev", ROLE_CLAIM: "integration", "scope": scopes}
    return mint_token(auth, claims=claims, ttl_seconds=DEV_TOKEN_TTL_SECONDS), scopes


def _announce(components: Sequence[Component], keys: DevKeys, viewer: str | None) -> None:
    print(f"\nInspire is running (embedded PostgreSQL in {DEV_DATA.relative_to(ROOT)}):")
    name_width = max(len(component.name) for component in components)
    url_width = max(len(component.url + component.home) for component in components)
    for component in components:
        metrics = f"http://{HOST}:{component.spec.dev_port + 1000}/metrics"
        url = component.url + component.home
        print(f"  {component.name:<{name_width}}  {url:<{url_width}}  metrics: {metrics}")
    if any(component.name == "webhooks" for component in components):
        metrics = f"http://{HOST}:{DISPATCHER_PORT + 1000}/metrics"
        print(f"  {DISPATCHER} (delivers webhooks)  metrics: {metrics}")
        print(
            f"  {RECEIVER}  http://{HOST}:{RECEIVER_PORT}{webhook_receiver.PATH}  (the demo's "
            "subscription: it prints each event type it receives, once its signature verifies)"
        )
    token, scopes = _dev_token(components, keys)
    hours = DEV_TOKEN_TTL_SECONDS // 3600
    print(f"\nA development token (an integration with {scopes}; {hours} hours):\n{token}")
    gateway = next((c for c in components if c.home == "/graphql"), None)
    if viewer is not None and gateway is not None:
        auth = AuthSettings(jwt_secret=SecretStr(keys.jwt_secret))
        person = mint_token(
            auth, claims={"sub": viewer, "email": viewer}, ttl_seconds=DEV_TOKEN_TTL_SECONDS
        )
        print(f"\nGraphQL: {gateway.url}/graphql")
        print(f"GraphiQL signed in as {viewer}: {gateway.url}/graphql#token={person}")
    print(
        "\nA person's token: `./inspire token EMAIL` for someone in the directory.\n"
        "Ctrl-C stops everything.\n",
        flush=True,
    )


def _watch(children: Mapping[str, subprocess.Popen[bytes]]) -> int:
    """Until Ctrl-C (0), or until a child stops by itself (1)."""
    while True:
        for name, child in children.items():
            if (code := child.poll()) is not None:
                print(
                    f"inspire dev: {name} stopped (code {code}); stopping the stack",
                    file=sys.stderr,
                )
                return 1
        time.sleep(0.5)


def _stop(children: Mapping[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _service_urls(components: Sequence[Component]) -> ServiceUrls:
    known = set(ServiceUrls.model_fields)
    urls = {f"{c.name}_url": c.url for c in components if f"{c.name}_url" in known}
    return ServiceUrls.model_validate(urls)


def _load_demo(components: Sequence[Component], keys: DevKeys, demo: DemoLoader) -> str:
    print("inspire dev: loading the demo organisation (once)", flush=True)
    auth = AuthSettings(
        jwt_secret=SecretStr(keys.jwt_secret), service_secret=SecretStr(keys.service_secret)
    )
    return asyncio.run(demo(_service_urls(components), auth))


def run(
    services: Sequence[ServiceSpec],
    gateways: Sequence[ServiceSpec] = (),
    demo: DemoLoader | None = None,
) -> int:
    """Start the stack and keep it up until SIGINT/SIGTERM; this process must outlive the
    embedded server it starts, which stops when the process exits."""
    components = [Component(spec) for spec in services]
    components += [Component(spec, home="/graphql") for spec in gateways]
    components.sort(key=lambda component: component.spec.dev_port)
    if not components:
        print(
            "inspire dev: no service is installed (entry points `inspire.services`)",
            file=sys.stderr,
        )
        return 1
    if busy := [
        f"{c.name} ({c.spec.dev_port})" for c in components if _port_in_use(c.spec.dev_port)
    ]:
        print(
            f"inspire dev: ports in use: {', '.join(busy)}; is another `inspire dev` running?",
            file=sys.stderr,
        )
        return 1
    keys = dev_keys()
    children: dict[str, subprocess.Popen[bytes]] = {}
    # Both set explicitly: a shell starting us in the background may have left SIGINT ignored.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"inspire dev: starting PostgreSQL in {DEV_DATA.relative_to(ROOT)}", flush=True)
        server_url = start_embedded(DEV_DATA)
        print("inspire dev: creating and migrating the databases", flush=True)
        database_urls = asyncio.run(_prepare_databases(server_url, services))
        for component in components:
            env = _environment(component, components, keys, database_urls.get(component.name))
            children[component.name] = _spawn(component, env)
        starting = [Starting(c.name, children[c.name], f"{c.url}/readyz") for c in components]
        if "webhooks" in database_urls:
            [webhooks] = [c for c in components if c.name == "webhooks"]
            env = _environment(webhooks, components, keys, database_urls["webhooks"])
            children[DISPATCHER] = _spawn_dispatcher(env)
            ready = f"http://{HOST}:{DISPATCHER_PORT}/readyz"
            starting.append(Starting(DISPATCHER, children[DISPATCHER], ready))
        wait_until_ready(starting, READY_TIMEOUT_SECONDS)
        # Subscribed before the demo loads, the receiver gets the demo's events too.
        if demo is not None and DISPATCHER in children:
            receiver = _start_receiver(components, keys)
            if receiver is not None:
                children[RECEIVER] = receiver
        viewer = _load_demo(components, keys, demo) if demo is not None else None
        _announce(components, keys, viewer)
        return _watch(children)
    except KeyboardInterrupt:
        return 0
    except DevStackError as exc:
        print(f"inspire dev: {exc}", file=sys.stderr)
        return 1
    finally:
        # A second Ctrl-C must not leave children or the database behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\ninspire dev: stopping", flush=True)
        _stop(children)
        stop_embedded()
        print("inspire dev: stopped", flush=True)
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
