"""The Dockerfile, read as a reviewer would without a Docker engine: hadolint passes, the base
is pinned by digest, the install step is deploy/install.sh, and the final image runs
`inspire` as an unprivileged user."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.support import DOCKERFILE, instructions, pyproject, stage
from tests.support import ROOT

pytestmark = pytest.mark.deploy


def test_hadolint_passes() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"

    result = subprocess.run(  # noqa: S603  # hadolint on our Dockerfile
        [hadolint, DOCKERFILE], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_base_is_pinned_by_digest_and_the_stages_build_on_it() -> None:
    froms = [arguments for instruction, arguments in instructions() if instruction == "FROM"]

    assert re.fullmatch(r"python:3\.11-slim-bookworm@sha256:[0-9a-f]{64} AS base", froms[0])
    assert froms[1:] == ["base AS build", "base"]


def test_the_install_step_is_the_script_ci_runs() -> None:
    runs = [arguments for instruction, arguments in instructions() if instruction == "RUN"]

    assert "deploy/install.sh /opt/inspire" in runs
    # Nothing else installs anything: no compiler, no apt, no pip beside the script.
    assert not any(re.search(r"apt-get|apk|pip install|uv pip", run) for run in runs)


def test_the_final_image_runs_inspire_unprivileged() -> None:
    final = dict(stage(None))

    user = final["USER"].split(":")
    assert all(part.isdigit() and int(part) >= 10000 for part in user)
    assert json.loads(final["ENTRYPOINT"]) == ["inspire"]
    assert json.loads(final["CMD"]) == ["serve", "gateway"]
    assert final["COPY"] == "--from=build /opt/inspire /opt/inspire"


def test_the_build_stage_copies_every_package_the_wheel_holds() -> None:
    copied = {
        arguments.split()[-1] for instruction, arguments in stage("build") if instruction == "COPY"
    }
    packages = pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]

    assert set(packages) <= copied


def test_the_build_context_lets_through_what_the_build_stage_copies() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    rules = [line for line in lines if line.strip() and not line.startswith("#")]
    allowed = {rule.removeprefix("!").rstrip("/") for rule in rules if rule.startswith("!")}
    copied = [
        source
        for instruction, arguments in stage("build")
        if instruction == "COPY"
        for source in arguments.split()[:-1]
    ]

    # Everything is left out, then each path the build copies is let back in, and no more.
    assert rules[0] == "*"
    assert set(copied) == allowed
