"""What a cluster gets: every overlay renders with `kubectl kustomize`, validates against the
Kubernetes schemas, passes checkov with every skip explained, and every workload keeps the
policies the operations guide promises (restricted pods, limits, probes, pinned images, no
secret in the manifests, exactly the network paths the code uses)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kit.orgcopy import ORG_METADATA
from kit.settings import ServiceSettings, TracingSettings
from kit.tracing import configure_tracing
from tests.support import ROOT, service_specs

pytestmark = pytest.mark.deploy

OVERLAYS = ("dev", "prod", "dev/migrate", "prod/migrate")
KUBERNETES_VERSION = "1.33.0"
WORKLOAD_KINDS = ("Deployment", "Job")
GATEWAY_PORT = 8000
# After SIGTERM (kit.settings): readiness failing while requests are still taken, then up to
# this long for those in flight; the lifespan's shutdown after, within `LIFESPAN_SECONDS`.
STOPPING_SECONDS = (
    ServiceSettings.model_fields["drain_seconds"].default
    + ServiceSettings.model_fields["shutdown_timeout_seconds"].default
)
LIFESPAN_SECONDS = 3
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$|KEYS|DATABASE_URL", re.IGNORECASE)

Manifest = dict[str, Any]


def kustomize(overlay: str) -> str:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl (with its built-in kustomize) renders the overlays; install it"
    result = subprocess.run(  # noqa: S603  # kubectl on our own overlays
        [kubectl, "kustomize", str(ROOT / "deploy" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rendered")
    files = {}
    for overlay in OVERLAYS:
        files[overlay] = folder / f"{overlay.replace('/', '-')}.yaml"
        files[overlay].write_text(kustomize(overlay))
    return files


def objects(rendered: dict[str, Path], overlay: str) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(rendered[overlay].read_text()) if doc]


def of_kind(manifests: list[Manifest], *kinds: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] in kinds]


def named(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    [found] = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    return found


def pod_of(workload: Manifest) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def containers_of(workload: Manifest) -> list[dict[str, Any]]:
    pod = pod_of(workload)
    return [*pod.get("initContainers", []), *pod["containers"]]


def test_every_overlay_validates_against_the_kubernetes_schemas(
    rendered: dict[str, Path], tmp_path: Path
) -> None:
    # Beside them, a copy with one field misspelt: strict validation must name it, and only it.
    misspelt = tmp_path / "misspelt.yaml"
    prod = rendered["prod"].read_text()
    misspelt.write_text(prod.replace("enableServiceLinks", "enableServiceLink", 1))
    tool = Path(sys.executable).parent / "kubernetes-validate"
    options = ["--strict", "-k", KUBERNETES_VERSION, "--quiet", "--no-warn"]

    result = subprocess.run(  # noqa: S603  # the validator on our rendered files
        [tool, *options, *rendered.values(), misspelt],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    errors = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, result.stdout + result.stderr
    assert "misspelt.yaml" in errors[0]
    assert "'enableServiceLink' was unexpected" in errors[0]
    assert all(objects(rendered, overlay) for overlay in OVERLAYS)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_is_restricted(rendered: dict[str, Path], overlay: str) -> None:
    workloads = of_kind(objects(rendered, overlay), *WORKLOAD_KINDS)

    assert workloads
    for workload in workloads:
        pod = pod_of(workload)
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] >= 10000
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        scratch = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
        for container in containers_of(workload):
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, container["name"]
            assert context["readOnlyRootFilesystem"] is True, container["name"]
            assert context["capabilities"] == {"drop": ["ALL"]}, container["name"]
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}, container["name"]
            scratch_mounts = [m for m in container["volumeMounts"] if m["name"] in scratch]
            mounted = [m["mountPath"] for m in scratch_mounts]
            assert mounted == ["/tmp"], container["name"]  # noqa: S108  # an emptyDir of its own


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_limits_and_a_pinned_image(
    rendered: dict[str, Path], overlay: str
) -> None:
    for workload in of_kind(objects(rendered, overlay), *WORKLOAD_KINDS):
        for container in containers_of(workload):
            resources = container["resources"]
            assert set(resources["requests"]) == {"cpu", "memory"}, container["name"]
            assert set(resources["limits"]) == {"cpu", "memory"}, container["name"]
            # registry/name:tag or registry/name:tag@sha256:…; never `latest`, never untagged.
            name, _, tag = container["image"].partition("@")[0].rpartition(":")
            assert "/" in name, container["image"]
            assert re.fullmatch(r"v?\d+\.\d+\.\d+", tag), container["image"]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_server_is_probed_drains_before_it_stops_and_migrates_first(
    rendered: dict[str, Path], overlay: str
) -> None:
    deployments = of_kind(objects(rendered, overlay), "Deployment")

    assert len(deployments) == 7
    for deployment in deployments:
        pod = pod_of(deployment)
        [server] = pod["containers"]
        assert server["startupProbe"]["httpGet"]["path"] == "/healthz"
        # Liveness is the process; readiness its own database (or, for the gateway, itself).
        assert server["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert server["readinessProbe"]["httpGet"]["path"] == "/readyz"
        drain = server["lifecycle"]["preStop"]["sleep"]["seconds"]
        grace = pod["terminationGracePeriodSeconds"]
        assert grace >= drain + STOPPING_SECONDS + LIFESPAN_SECONDS
        assert pod["topologySpreadConstraints"]
        own_database = deployment["spec"]["template"]["metadata"]["labels"].get("inspire/database")
        migrations = [c["args"] for c in pod.get("initContainers", [])]
        if own_database:
            service = server["args"][1] if server["args"][0] == "serve" else "webhooks"
            assert migrations == [["migrate", service]]
        else:
            assert migrations == []


def test_each_service_listens_where_its_spec_and_the_configuration_say(
    rendered: dict[str, Path],
) -> None:
    manifests = objects(rendered, "prod")
    [config] = of_kind(manifests, "ConfigMap")

    for name, spec in service_specs().items():
        deployment = named(manifests, "Deployment", f"inspire-{name}")
        [server] = pod_of(deployment)["containers"]
        ports = {p["name"]: p["containerPort"] for p in server["ports"]}
        assert server["args"] == ["serve", name, f"--port={spec.dev_port}"]
        # `inspire serve` opens /metrics on the HTTP port + 1000.
        assert ports == {"http": spec.dev_port, "metrics": spec.dev_port + 1000}
        service = named(manifests, "Service", f"inspire-{name}")
        assert service["spec"]["ports"][0]["port"] == spec.dev_port
        url = f"http://inspire-{name}:{spec.dev_port}"
        assert config["data"][f"INSPIRE_{name.upper()}_URL"] == url


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_deployment_scales_and_survives_evictions(
    rendered: dict[str, Path], overlay: str
) -> None:
    manifests = objects(rendered, overlay)

    for deployment in of_kind(manifests, "Deployment"):
        name = deployment["metadata"]["name"]
        autoscaler = named(manifests, "HorizontalPodAutoscaler", name)
        assert autoscaler["apiVersion"] == "autoscaling/v2"
        assert autoscaler["spec"]["scaleTargetRef"]["name"] == name
        assert autoscaler["spec"]["minReplicas"] >= (2 if overlay == "prod" else 1)
        budget = named(manifests, "PodDisruptionBudget", name)
        assert budget["spec"]["selector"] == deployment["spec"]["selector"]
        account = named(manifests, "ServiceAccount", pod_of(deployment)["serviceAccountName"])
        assert account["automountServiceAccountToken"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_secret_is_written_in_the_manifests(rendered: dict[str, Path], overlay: str) -> None:
    manifests = objects(rendered, overlay)

    assert of_kind(manifests, "Secret") == []
    for config in of_kind(manifests, "ConfigMap"):
        assert [key for key in config["data"] if SECRET_NAME.search(key)] == []
        assert not any("@" in value for value in config["data"].values())
    for workload in of_kind(manifests, *WORKLOAD_KINDS):
        for container in containers_of(workload):
            literal = [e["name"] for e in container.get("env", []) if "value" in e]
            assert [name for name in literal if SECRET_NAME.search(name)] == []


def network_policies(manifests: list[Manifest]) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in of_kind(manifests, "NetworkPolicy")}


def peers(rule: dict[str, Any]) -> set[str]:
    found = set()
    for peer in rule.get("from", rule.get("to", [])):
        for expression in peer.get("podSelector", {}).get("matchExpressions", []):
            if expression["key"] == "app.kubernetes.io/component":
                found |= set(expression["values"])
    return found


def test_the_network_is_closed_but_for_the_calls_the_code_makes(
    rendered: dict[str, Path],
) -> None:
    policies = network_policies(objects(rendered, "prod"))
    deny = policies["inspire-default-deny"]["spec"]
    people = policies["inspire-people"]["spec"]
    # Whoever keeps an org copy reads the people service's feed (kit.orgcopy).
    copies = {n for n, spec in service_specs().items() if ORG_METADATA in spec.extra_metadata}

    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    assert copies <= peers(people["ingress"][0])
    for name in copies:
        assert "people" in peers(policies[f"inspire-{name}"]["spec"]["egress"][0])
    # The gateway is reached from the ingress controller only, and calls every service.
    gateway = policies["inspire-gateway"]["spec"]
    assert gateway["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }
    assert set(service_specs()) | {"webhooks"} == peers(gateway["egress"][0])
    # Only the dispatcher goes out, on 443, and not to private or metadata addresses.
    [out] = policies["inspire-webhooks-dispatcher"]["spec"]["egress"]
    assert out["ports"] == [{"port": 443, "protocol": "TCP"}]
    assert "169.254.0.0/16" in out["to"][0]["ipBlock"]["except"]
    # The database, DNS and Prometheus by their own policies.
    assert policies["inspire-database"]["spec"]["egress"][0]["ports"][0]["port"] == 5432
    assert policies["inspire-metrics"]["spec"]["ingress"][0]["ports"][0]["port"] == "metrics"
    assert {p["port"] for p in policies["inspire-dns"]["spec"]["egress"][0]["ports"]} == {53}


def test_tracing_is_off_unless_configured_and_may_reach_a_collector(
    rendered: dict[str, Path],
) -> None:
    manifests = objects(rendered, "prod")
    [config] = of_kind(manifests, "ConfigMap")
    tracing = network_policies(manifests)["inspire-tracing"]["spec"]

    endpoint = config["data"]["INSPIRE_TRACING_OTLP_ENDPOINT"]
    assert endpoint == ""
    assert configure_tracing("people", TracingSettings(otlp_endpoint=endpoint)) is None
    # Egress only, to the collector's pods, on OTLP's gRPC and HTTP ports.
    assert tracing["policyTypes"] == ["Egress"]
    [rule] = tracing["egress"]
    assert {p["port"] for p in rule["ports"]} == {4317, 4318}
    assert rule["to"][0]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "opentelemetry-collector"
    }


def test_only_the_gateway_is_exposed(rendered: dict[str, Path]) -> None:
    manifests = objects(rendered, "prod")

    [ingress] = of_kind(manifests, "Ingress")
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"inspire-gateway"}
    assert all(s["spec"]["type"] == "ClusterIP" for s in of_kind(manifests, "Service"))


CHECKOV_LOCK = Path(__file__).parent / "checkov.lock"
CHECKOV_HOME = ROOT / ".inspire" / "checkov"


@pytest.fixture(scope="module")
def checkov() -> Path:
    """checkov in a virtual environment of its own (its pins clash with ours), made once from
    its hashed lock and kept in .inspire/checkov until the lock changes."""
    stamp = CHECKOV_HOME / ".installed-from"
    wanted = hashlib.sha256(CHECKOV_LOCK.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        uv = Path(sys.executable).parent / "uv"
        python = CHECKOV_HOME / "bin" / "python"
        commands: list[list[str | Path]] = [
            [uv, "venv", "-q", "--clear", "--python", sys.executable, CHECKOV_HOME],
            [uv, "pip", "sync", "-q", "--require-hashes", "--python", python, CHECKOV_LOCK],
        ]
        for command in commands:
            subprocess.run(command, check=True, timeout=600, capture_output=True)  # noqa: S603
        stamp.write_text(wanted)
    return CHECKOV_HOME / "bin" / "checkov"


def test_checkov_finds_nothing_unexplained(
    rendered: dict[str, Path], checkov: Path, tmp_path: Path
) -> None:
    # The Job goes into the namespace beside the rest: its network policies are the base's.
    namespace = tmp_path / "prod-and-migrate.yaml"
    namespace.write_text(
        f"{rendered['prod'].read_text()}---\n{rendered['prod/migrate'].read_text()}"
    )
    scanned = ["-f", str(namespace), "-f", str(ROOT / "Dockerfile")]
    options = ["--framework", "kubernetes", "dockerfile", "--skip-download", "--output", "json"]

    result = subprocess.run(  # noqa: S603  # checkov on our manifests and Dockerfile
        [checkov, *scanned, *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    assert {report["check_type"] for report in reports} == {"kubernetes", "dockerfile"}
    failed = [
        (check["check_id"], check["resource"])
        for report in reports
        for check in report["results"]["failed_checks"]
    ]
    assert failed == []
    skipped = [check for report in reports for check in report["results"]["skipped_checks"]]
    reasons = {check["check_id"]: check["check_result"]["suppress_comment"] for check in skipped}
    assert set(reasons) == {"CKV_K8S_35", "CKV_K8S_43", "CKV_DOCKER_2"}
    assert all(len(reason) > 40 for reason in reasons.values()), reasons
