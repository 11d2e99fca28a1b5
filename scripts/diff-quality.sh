#!/usr/bin/env bash
# Output quality of perfmod's rewrites on real packages, judged by ruff: for
# each package, `perfmod fix --apply --unsafe` with every rule selected, then
# per rewritten file the findings of W291,W293,E501,C416,I001,F401 before and
# after (ruff run inside the package, so its own line length and isort
# settings apply), whitespace-only lines added, and whether files that
# `ruff format --check` accepted before are still accepted. Not run in CI: it
# downloads the packages' sdists and ruff (into a throw-away virtualenv).
# (`ruff check --no-fix`: some projects set `fix = true`, which would rewrite the
# tree being measured.)
# Usage: scripts/diff-quality.sh [PACKAGE-OR-DIRECTORY...]
# (e.g. scripts/diff-quality.sh /usr/lib/python3.11 flask: a directory is
# judged on a copy).
# Exit status 1 when a rewrite added a finding or unformatted a clean file.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(flask click httpx rich requests werkzeug starlette jinja2 attrs)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet
perfmod="$PWD/target/debug/perfmod"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet ruff
ruff="$work/venv/bin/ruff"
codes=W291,W293,E501,C416,I001,F401
rules=$("$perfmod" rules | awk '$2 != "flag" {print $1}' | paste -sd, -)
status=0
# The files under $1 that `ruff format --check` would reformat, one a line.
unformatted() {
    (cd "$1" && "$ruff" format --check --output-format concise . 2>/dev/null |
        sed -n 's/^\(.*\):[0-9]*:[0-9]*: unformatted.*/\1/p' | sort -u) || true
}
for package in "${packages[@]}"; do
    dest="$work/$(basename "$package")"
    mkdir -p "$dest/dl" "$dest/src"
    if [ -d "$package" ]; then
        # A local tree (say the standard library): judged on a copy.
        cp -r "$package" "$dest/src/"
    else
        "$work/venv/bin/pip" download --quiet --no-deps --no-binary :all: -d "$dest/dl" "$package"
        for archive in "$dest"/dl/*; do
            case "$archive" in
                *.tar.gz) tar -xzf "$archive" -C "$dest/src" ;;
                *.zip) python3 -m zipfile -e "$archive" "$dest/src" ;;
            esac
        done
    fi
    project=$(find "$dest/src" -mindepth 1 -maxdepth 1 -type d | head -1)
    cp -r "$project" "$dest/before"
    (cd "$project" && "$ruff" check --no-fix --quiet --exit-zero --select "$codes" --output-format json . >"$dest/check-before.json")
    unformatted "$project" >"$dest/format-before.txt"
    "$perfmod" fix --apply --unsafe --allow-dirty --select "$rules" "$project" >"$dest/perfmod.log" 2>&1 || true
    (cd "$project" && "$ruff" check --no-fix --quiet --exit-zero --select "$codes" --output-format json . >"$dest/check-after.json")
    unformatted "$project" >"$dest/format-after.txt"
    python3 - "$package" "$dest" "$project" "$codes" <<'EOF' || status=1
import collections, json, os, sys

package, dest, project, codes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
before_root = os.path.join(dest, "before")

def findings(name):
    counts = collections.Counter()
    for item in json.load(open(os.path.join(dest, name))):
        path = os.path.relpath(item["filename"], project)
        counts[path, item["code"]] += 1
    return counts

def unformatted(name):
    return {os.path.normpath(line.strip()) for line in open(os.path.join(dest, name)) if line.strip()}

def whitespace_only(text):
    return sum(1 for line in text.splitlines() if line and not line.strip())

rewritten = []
for directory, _, files in os.walk(project):
    for file in files:
        if file.endswith(".py"):
            path = os.path.relpath(os.path.join(directory, file), project)
            old = open(os.path.join(before_root, path), encoding="utf-8", errors="replace").read()
            new = open(os.path.join(project, path), encoding="utf-8", errors="replace").read()
            if old != new:
                rewritten.append((path, old, new))
before, after = findings("check-before.json"), findings("check-after.json")
format_before, format_after = unformatted("format-before.txt"), unformatted("format-after.txt")
changed = {path for path, _, _ in rewritten}
ws_added = sum(max(0, whitespace_only(new) - whitespace_only(old)) for _, old, new in rewritten)
clean_before = [p for p in changed if p not in format_before]
still_clean = [p for p in clean_before if p not in format_after]
summary = [line for line in open(os.path.join(dest, "perfmod.log")) if line.startswith("Fixed ")]
print(f"== {package}: {len(rewritten)} files rewritten ({summary[-1].strip() if summary else 'nothing fixed'})")
print(f"   whitespace-only lines added: {ws_added}")
bad = ws_added > 0
for code in codes:
    total_before = sum(n for (p, c), n in before.items() if c == code and p in changed)
    total_after = sum(n for (p, c), n in after.items() if c == code and p in changed)
    new = sum(max(0, after[p, code] - before[p, code]) for p in changed)
    print(f"   {code}: {total_before} -> {total_after} in the rewritten files, {new} new")
    for p in sorted(changed):
        if after[p, code] > before[p, code]:
            print(f"      {p}: {before[p, code]} -> {after[p, code]}")
    bad |= new > 0
print(f"   ruff format --check clean: {len(clean_before)} of the rewritten files before, {len(still_clean)} still after")
for p in sorted(set(clean_before) - set(still_clean)):
    print(f"      no longer clean: {p}")
bad |= len(still_clean) != len(clean_before)
sys.exit(1 if bad else 0)
EOF
done
exit $status
