#!/usr/bin/env bash
# Real code as the judge of `safe`: for each PyPI package, download its sdist
# (which ships its test suite), install it editable in a throw-away virtualenv,
# run its tests, apply perfmod's SAFE-ONLY rewrites (`fix --apply`, no
# `--unsafe`) to the whole source tree (library and tests), and run the tests
# again. A test that passed before and fails after is a safe rewrite that
# changed behaviour: the script prints it and exits 1. Not run in CI (it
# downloads). Usage:
#
#   cargo build --release
#   scripts/judge-pypi.sh                       # the default packages below
#   scripts/judge-pypi.sh toolz tabulate        # some of them
#   KEEP=1 scripts/judge-pypi.sh toolz          # keep the work directory to inspect
#
# PERFMOD (default target/release/perfmod) picks the binary; SELECT (default ALL:
# every rule's safe rewrites, not only the default speed/correctness ones) the rules. Output: one table
# row per package: .py files, rewrites applied (per rule), tests passed/failed
# before and after, and the new failures.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
perfmod=${PERFMOD:-$root/target/release/perfmod}
[ -x "$perfmod" ] || { echo "no perfmod binary at $perfmod (cargo build --release)" >&2; exit 2; }

# package -> extra pip requirements its tests need (beyond pytest). Pure-Python
# packages whose sdists hold their tests and whose suites run offline in seconds.
declare -A needs=(
    [more-itertools]=""
    [toolz]=""
    [boltons]=""
    [tabulate]=""
    [jinja2]="trio"
    [pyflakes]=""
    [itsdangerous]="freezegun"
    [cachetools]=""
    [pyparsing]="railroad-diagrams jinja2"
    [attrs]="hypothesis"
    [markupsafe]=""
)
# Test directories per package where pytest's default discovery would wander.
declare -A test_args=(
    [toolz]="toolz/tests"
    [pyflakes]="pyflakes/test"
    [itsdangerous]="tests"
    [cachetools]="tests"
    [pyparsing]="tests"
)
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(more-itertools toolz boltons tabulate jinja2 pyparsing attrs markupsafe pyflakes itsdangerous cachetools)
work=$(mktemp -d /tmp/perfmod-judge.XXXXXX)
[ -n "${KEEP:-}" ] && echo "work directory: $work" || trap 'rm -rf "$work"' EXIT

# Test ids that failed or errored, one per line, from a JUnit XML report.
failures() {
    python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    tree = ET.parse(sys.argv[1])
except Exception:
    sys.exit(0)
for case in tree.iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        print(case.get("classname", "") + "::" + case.get("name", ""))
EOF
}
# "passed failed" counts from a JUnit XML report.
counts() {
    python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    cases = list(ET.parse(sys.argv[1]).iter("testcase"))
except Exception:
    print("? ?"); sys.exit(0)
bad = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
skipped = sum(1 for c in cases if c.find("skipped") is not None)
print(len(cases) - bad - skipped, bad)
EOF
}

status=0
rows=()
for package in "${packages[@]}"; do
    dest="$work/$package"
    mkdir -p "$dest/dl" "$dest/src"
    echo "== $package" >&2
    if ! python3 -m pip download --quiet --no-deps --no-binary :all: --no-build-isolation -d "$dest/dl" "$package" >"$dest/log" 2>&1 \
        && ! python3 -m pip download --quiet --no-deps --no-binary :all: -d "$dest/dl" "$package" >>"$dest/log" 2>&1; then
        echo "   cannot download an sdist (see $dest/log)" >&2; status=1; continue
    fi
    archive=$(ls "$dest"/dl/* | head -1)
    case "$archive" in
        *.tar.gz) tar -xzf "$archive" -C "$dest/src" ;;
        *.zip) python3 -m zipfile -e "$archive" "$dest/src" ;;
    esac
    src=$(ls -d "$dest"/src/*/ | head -1)
    python3 -m venv "$dest/venv"
    pip="$dest/venv/bin/python -m pip"
    # shellcheck disable=SC2086
    if ! $pip install --quiet pytest ${needs[$package]:-} >>"$dest/log" 2>&1 || ! $pip install --quiet -e "$src" >>"$dest/log" 2>&1; then
        echo "   cannot install (see $dest/log)" >&2; status=1; continue
    fi
    run_tests() {
        # shellcheck disable=SC2086
        (cd "$src" && PYTHONDONTWRITEBYTECODE=1 timeout 600 "$dest/venv/bin/python" -m pytest -q \
            -p no:cacheprovider -o addopts="" --junitxml="$1" ${test_args[$package]:-} </dev/null >"$1.log" 2>&1)
    }
    run_tests "$dest/before.xml"
    files=$(find "$src" -name '*.py' | wc -l)
    cp -r "$src" "$dest/orig"
    "$perfmod" fix --apply --no-cache --select "${SELECT:-ALL}" "$src" >"$dest/fix.log" 2>&1
    rewrites=$(grep -o '[a-z-]* ×[0-9]*' "$dest/fix.log" | awk '{split($2, n, "×"); c[$1] += n[2]; t += n[2]} END {s = ""; for (r in c) s = s " " r "=" c[r]; print t + 0 s}')
    run_tests "$dest/after.xml"
    read -r pass_before fail_before < <(counts "$dest/before.xml")
    read -r pass_after fail_after < <(counts "$dest/after.xml")
    new=$(comm -13 <(failures "$dest/before.xml" | sort) <(failures "$dest/after.xml" | sort))
    version=$(basename "$archive" | sed -E 's/\.(tar\.gz|zip)$//')
    new_count=$(printf '%s' "$new" | grep -c . || true)
    rows+=("$(printf '%-28s %6s  %-55s  %5s/%-4s  %5s/%-4s  %s' "$version" "$files" "$rewrites" "$pass_before" "$fail_before" "$pass_after" "$fail_after" "$new_count")")
    if [ "$new_count" -gt 0 ]; then
        status=1
        echo "   NEW FAILURES after the safe rewrites:" >&2
        printf '     %s\n' $new >&2
        echo "   the rewrites: diff -ru $dest/orig $src (with KEEP=1)" >&2
    fi
done
printf '%-28s %6s  %-55s  %10s  %10s  %s\n' package files "rewrites (total rule=n ...)" "before p/f" "after p/f" "new failures"
printf '%s\n' "${rows[@]}"
exit $status
