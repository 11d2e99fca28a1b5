#!/usr/bin/env bash
# Runs `perfmod server` under a real editor client: headless Neovim opens a
# Python file, waits for perfmod's diagnostics, applies "perfmod: fix all safe
# in file" from the code-action menu, writes the buffer, and the file must
# then equal what `perfmod fix --stdin-filename` prints for it.
#
#   scripts/nvim-lsp-check.sh            # builds perfmod (debug) first
#   PERFMOD=target/release/perfmod scripts/nvim-lsp-check.sh
#
# Needs `nvim` (Debian: apt-get install -y neovim; 0.7 or later). Not run by
# CI (.ci/run): see README "In the editor".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v nvim >/dev/null; then
  echo "nvim-lsp-check: nvim not found (apt-get install -y neovim)" >&2
  exit 2
fi
if [ -z "${PERFMOD:-}" ]; then
  cargo build --quiet --manifest-path "$root/Cargo.toml"
  PERFMOD="$root/target/debug/perfmod"
fi
PERFMOD="$(cd "$(dirname "$PERFMOD")" && pwd)/$(basename "$PERFMOD")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
file="$work/app.py"
cp "$root/tests/data/lsp-app.py" "$file"   # the fixture tests/server.rs uses
expected="$work/expected.py"
(cd "$work" && "$PERFMOD" fix --no-cache --stdin-filename "$file" <"$file" >"$expected") || true
if cmp -s "$file" "$expected"; then
  echo "nvim-lsp-check: perfmod fix changes nothing; the check would prove nothing" >&2
  exit 1
fi
echo "$(nvim --version | head -1)"
(cd "$work" && PERFMOD="$PERFMOD" NVIM_CHECK_FILE="$file" \
  timeout 120 nvim --headless --clean -c "luafile $root/scripts/nvim-lsp-check.lua" 2>&1)
if ! diff -u "$expected" "$file"; then
  echo "nvim-lsp-check: FAILED: the buffer Neovim wrote differs from perfmod fix" >&2
  exit 1
fi
echo "nvim-lsp-check: ok: the written buffer equals perfmod fix --stdin-filename"
