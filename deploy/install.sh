#!/bin/sh
# Installs Inspire for running it, without its development tools, into a new virtual
# environment: the image's one install step (Dockerfile), which CI runs too
# (tests/deploy/test_install.py).
#
#   deploy/install.sh TARGET
#
# Every dependency comes from requirements.runtime.lock, hash-checked and as a wheel (nothing is
# compiled); Inspire itself is built with the hatchling pinned, hash-checked, in
# deploy/build.lock. PYTHON (default: python3) is the interpreter of the environment; UV (default:
# the uv pinned in requirements.lock, installed hash-checked into a throwaway folder) installs.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 TARGET" >&2
    exit 64
fi
root=$(cd "$(dirname "$0")/.." && pwd)
target=$1
python=${PYTHON:-python3}
uv=${UV:-}
if [ -z "$uv" ]; then
    tools=$(mktemp -d)
    trap 'rm -rf "$tools"' EXIT
    # uv's entry in the lock, with its hashes: from `uv==` to the first line not continued.
    awk '/^uv==/ { take = 1 } take { print } take && !/\\$/ { exit }' \
        "$root/requirements.lock" >"$tools/uv.txt"
    "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
        --require-hashes --only-binary :all: --target "$tools/uv" -r "$tools/uv.txt"
    uv="$tools/uv/bin/uv"
fi
"$uv" venv -q --python "$python" "$target"
"$uv" pip sync -q --python "$target/bin/python" --require-hashes --no-build \
    "$root/requirements.runtime.lock"
"$uv" pip install -q --python "$target/bin/python" --no-deps \
    --build-constraints "$root/deploy/build.lock" "$root"
