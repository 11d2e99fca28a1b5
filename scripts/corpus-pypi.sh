#!/usr/bin/env bash
# The corpus test (tests/corpus.rs) over popular async- and data-heavy PyPI
# packages instead of the standard library: every built-in codemod, unsafe
# rewrites included; rewritten files must compile, a second pass must change
# nothing, untouched files stay byte-identical, changes stay inside reported
# edits. Not run in CI: it downloads. Usage: scripts/corpus-pypi.sh [PACKAGE...]
# Sources are sdists (`--no-binary :all:`, they include the test suites); a
# package whose sdist cannot be fetched without building falls back to its
# wheel, which holds the same .py files. Nothing is written outside a temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(aiohttp sqlalchemy django fastapi pandas)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo test --no-run --test corpus >/dev/null 2>&1 || cargo test --no-run --test corpus
for package in "${packages[@]}"; do
    dest="$work/$package"
    mkdir -p "$dest/dl" "$dest/src"
    if ! python3 -m pip download --quiet --no-deps --no-build-isolation --no-binary :all: -d "$dest/dl" "$package" 2>/dev/null; then
        rm -rf "$dest/dl"/*
        python3 -m pip download --quiet --no-deps --only-binary :all: -d "$dest/dl" "$package"
    fi
    for archive in "$dest"/dl/*; do
        case "$archive" in
            *.tar.gz) tar -xzf "$archive" -C "$dest/src" ;;
            *.zip | *.whl) python3 -m zipfile -e "$archive" "$dest/src" ;;
        esac
        echo "== $package: $(basename "$archive")"
    done
    PERFMOD_CORPUS="$dest/src" cargo test --quiet --test corpus -- --nocapture 2>&1 \
        | grep -v '^  skipped' | grep -vE '^(running|test result|$)' || true
done
