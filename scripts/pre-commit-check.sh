#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) as a user runs them, with the
# real pre-commit (from PyPI, in a throwaway virtualenv) against this checkout:
# `perfmod-check` reports a staged file, `perfmod-fix` rewrites it (and fails,
# as pre-commit hooks that modify files do), and `perfmod-check` then passes.
# Not in .ci/run: pre-commit builds its own copy of the package (cargo reuses
# this checkout's target/ through CARGO_TARGET_DIR). Usage: scripts/pre-commit-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home" CARGO_TARGET_DIR="$root/target"

python3 -m venv "$work/tools"
"$work/tools/bin/pip" install --quiet pre-commit
pre_commit="$work/tools/bin/pre-commit"

repo="$work/repo"
mkdir "$repo" && cd "$repo"
git init -q
git config user.email t@example.com && git config user.name t && git config commit.gpgsign false
printf 'print("start")\n' >x.py
git add x.py && git commit -qm start
printf 'def enabled(name):\n    flags = {"debug": True}\n    return name in flags.keys()\n' >x.py
git add x.py

expect_failure() { if "$@" >"$work/out.txt" 2>&1; then cat "$work/out.txt"; echo "FAIL: expected a failure: $*"; exit 1; fi; }
expect_failure "$pre_commit" try-repo "$root" perfmod-check --files x.py
grep -q 'x.py:3:20: dict-keys-membership' "$work/out.txt" || { cat "$work/out.txt"; echo "FAIL: no finding"; exit 1; }
echo "perfmod-check reports the staged file"

expect_failure "$pre_commit" try-repo "$root" perfmod-fix --files x.py
grep -q 'files were modified by this hook' "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
grep -q 'return name in flags$' x.py || { cat x.py; echo "FAIL: x.py not rewritten"; exit 1; }
git diff --cached --quiet -- x.py || true
git show :x.py | grep -q 'flags.keys()' || { echo "FAIL: the index changed"; exit 1; }
echo "perfmod-fix rewrote the staged file (the index keeps the staged version)"

git add x.py
"$pre_commit" try-repo "$root" perfmod-check --files x.py >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
echo "perfmod-check passes after the fix"

# An unstaged edit is protected: pre-commit stashes it, so the hook only
# ever sees the staged content, and the edit comes back untouched.
printf 'def again(key):\n    limits = {"cpu": 2}\n    return key in limits.keys()\n' >y.py
git add y.py
printf '\n# unstaged note\n' >>y.py
expect_failure "$pre_commit" try-repo "$root" perfmod-fix --files y.py
tail -1 y.py | grep -q '# unstaged note' || { cat y.py; echo "FAIL: the unstaged edit was lost"; exit 1; }
echo "an unstaged edit survives perfmod-fix"
echo "pre-commit check passed"
