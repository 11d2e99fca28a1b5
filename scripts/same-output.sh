#!/bin/sh
# Proves a refactor changed no output: runs a baseline perfmod and a new one over
# the standard library (/usr/lib/python3.11, or $STDLIB) and examples/ (`check` findings, `fix` and
# `fix --unsafe` diffs, with their stderr and exit codes; the default rules and
# `--select ALL`) and compares the bytes.
#
#   scripts/same-output.sh BASE [NEW]
#
# BASE is a perfmod binary, or a git revision to build one from (release, in
# target/same-output/); NEW defaults to target/release/perfmod (build it first).
# Exits 1 and shows the first differing lines when anything differs.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
stdlib=${STDLIB:-/usr/lib/python3.11}
base=${1:?usage: scripts/same-output.sh BASE_BINARY_OR_REV [NEW_BINARY]}
new=${2:-$root/target/release/perfmod}

if [ ! -x "$base" ]; then
    rev=$base
    src=$root/target/same-output/src
    rm -rf "$src" && mkdir -p "$src"
    git -C "$root" archive "$rev" | tar -x -C "$src"
    CARGO_TARGET_DIR=$root/target/same-output/target cargo build --release --quiet --manifest-path "$src/Cargo.toml"
    base=$root/target/same-output/target/release/perfmod
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$root"
status=0
for which in base new; do
    eval bin=\$$which
    mkdir -p "$out/$which"
    n=0
    while read -r args; do
        n=$((n + 1))
        # shellcheck disable=SC2086 # word splitting of the argument list is wanted
        "$bin" $args --no-cache >"$out/$which/$n.out" 2>"$out/$which/$n.err" && rc=0 || rc=$?
        echo "$rc" >"$out/$which/$n.rc"
        echo "$args" >"$out/$which/$n.cmd"
    done <<LIST
check $stdlib
check --unsafe --format json $stdlib
fix --unsafe $stdlib
check --select ALL $stdlib
check --select ALL --unsafe --format json $stdlib
fix --select ALL --unsafe $stdlib
check examples
check --unsafe --format json examples
fix examples
fix --unsafe examples
LIST
done
for cmd in "$out"/base/*.cmd; do
    n=$(basename "$cmd" .cmd)
    for part in out err rc; do
        if ! cmp -s "$out/base/$n.$part" "$out/new/$n.$part"; then
            echo "DIFFERENT: perfmod $(cat "$cmd") ($part)"
            diff "$out/base/$n.$part" "$out/new/$n.$part" | head -20
            status=1
        fi
    done
    echo "perfmod $(cat "$cmd"): $(wc -l <"$out/new/$n.out") lines out, $(wc -l <"$out/new/$n.err") err, exit $(cat "$out/new/$n.rc")"
done
[ "$status" = 0 ] && echo "same output: $base vs $new"
exit "$status"
