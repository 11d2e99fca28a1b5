#!/usr/bin/env bash
# Builds the Python wheel the way `pip install .` does (maturin from PyPI,
# PEP 517), installs it into a fresh virtualenv and runs what a user would:
# `perfmod`, `python -m perfmod`, and a check and a fix of examples/.
# Called by .ci/run; the release workflow runs the same checks on each wheel
# (.github/workflows/release.yml). Needs python3 with venv and pip (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/build"
# `pip wheel .` fetches maturin into an isolated build environment, as any
# user's `pip install .` does; cargo reuses target/.
"$work/build/bin/pip" wheel --quiet --no-deps --wheel-dir "$work/dist" "$root"
wheel=$(ls "$work"/dist/perfmod-*.whl)
echo "built $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"

python3 -m venv "$work/user"
"$work/user/bin/pip" install --quiet "$wheel"
"$root/scripts/smoke-test.sh" "$work/user/bin" "$root/examples"
