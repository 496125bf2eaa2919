"""Reading the hashed lock files (`uv pip compile --generate-hashes` output) and the project's
declared dependencies, for the deployment's tests."""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support import ROOT

DOCKERFILE = ROOT / "Dockerfile"
RUNTIME_LOCK = ROOT / "requirements.runtime.lock"
FULL_LOCK = ROOT / "requirements.lock"
BUILD_LOCK = ROOT / "deploy" / "build.lock"
BUILD_INPUT = ROOT / "deploy" / "build.in"

_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^ ;\\]+)(?: ; (?P<marker>.+?))?(?: \\)?$"
)
_HASH = re.compile(r"--hash=(sha256:[0-9a-f]{64})")
# `# via pytest`, or `# via` alone on a line followed by `#   pytest` lines.
_VIA = re.compile(r"^#\s+(?:via\s+)?(?!via$)(?P<parent>[A-Za-z0-9._-]+)(?P<project> \(pyproject)?")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str | None
    hashes: frozenset[str]
    # Who asked for it: package names, or "" for the project itself. Not part of what installs.
    via: frozenset[str] = field(compare=False)


def read_lock(path: Path) -> list[Pin]:
    """Every pin of a lock file, in order (a package may be pinned twice, under two markers)."""
    pins: list[Pin] = []
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            pins.append(Pin(**{**current, "hashes": frozenset(current["hashes"])}))

    for line in path.read_text().splitlines():
        stripped = line.strip()
        if match := _PIN.match(line):
            close()
            current = {
                "name": canonicalize_name(match["name"]),
                "version": match["version"],
                "marker": match["marker"],
                "hashes": set(),
                "via": frozenset(),
            }
        elif current is not None and (found := _HASH.search(stripped)):
            current["hashes"].add(found[1])
        elif current is not None and (via := _VIA.match(stripped)):
            parent = "" if via["project"] else canonicalize_name(via["parent"])
            current["via"] = current["via"] | {parent}
    close()
    return pins


def command_of(path: Path) -> str:
    """The command that generated a lock, from its header."""
    return path.read_text().splitlines()[1].removeprefix("#").strip()


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def runtime_requirements() -> list[Requirement]:
    return [Requirement(text) for text in pyproject()["project"]["dependencies"]]


def development_requirements() -> list[Requirement]:
    """What the extras and the dependency groups ask for: development, tests, the bench."""
    project = pyproject()
    extras = project["project"]["optional-dependencies"].values()
    groups = project["dependency-groups"].values()
    texts = [text for wanted in (*extras, *groups) for text in wanted]
    return [Requirement(text) for text in texts]


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's (instruction, arguments) in order, continuation lines joined, comments
    dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in joined.splitlines()]
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def stage(name: str | None) -> list[tuple[str, str]]:
    """The instructions of the stage named `name` (`FROM … AS name`), or of the last one."""
    steps = instructions()
    starts = [i for i, (instruction, _) in enumerate(steps) if instruction == "FROM"]
    bounds = zip(starts, [*starts[1:], len(steps)], strict=True)
    stages = [steps[start:end] for start, end in bounds]
    if name is None:
        return stages[-1]
    [found] = [s for s in stages if s[0][1].endswith(f" AS {name}")]
    return found


def build_context(folder: Path) -> Path:
    """What the build stage copies into its WORKDIR, copied from the checkout into `folder` as
    `COPY` would (compiled files left out, as .dockerignore does)."""
    for instruction, arguments in stage("build"):
        if instruction != "COPY":
            continue
        *sources, destination = arguments.split()
        for source in sources:
            origin, target = ROOT / source, folder / destination
            if origin.is_dir():
                ignored = shutil.ignore_patterns("__pycache__", "*.pyc")
                shutil.copytree(origin, target, ignore=ignored)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target / origin.name)
    return folder
