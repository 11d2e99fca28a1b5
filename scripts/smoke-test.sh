#!/usr/bin/env bash
# What every installed perfmod must do (the wheel check and the release
# workflow run this): `smoke-test.sh BIN_DIR EXAMPLES_DIR`, BIN_DIR holding
# `perfmod` and the `python` it was pip-installed into.
set -euo pipefail
bin=$1
examples=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$examples" "$scratch/examples"
cd "$scratch"

"$bin/perfmod" --version
"$bin/python" -m perfmod --version
"$bin/python" -m perfmod rules >/dev/null
# examples/ holds an instance of every rule: check finds them (exit 1).
set +e
"$bin/perfmod" check --no-cache examples >check.txt
status=$?
set -e
[ "$status" -eq 1 ] || { echo "perfmod check examples exited $status, expected 1"; cat check.txt; exit 1; }
rules=$(grep -c ': [a-z-]* ' check.txt || true)
echo "perfmod check examples: $rules findings"
# The runnable examples print the same before and after the rewrites.
python3 examples/runnable/misc_demo.py >before.txt
"$bin/perfmod" fix --apply --unsafe --no-cache examples >/dev/null
python3 examples/runnable/misc_demo.py >after.txt
cmp before.txt after.txt
"$bin/perfmod" fix --unsafe --no-cache examples >/dev/null  # nothing left: exit 0
echo "smoke test passed"
