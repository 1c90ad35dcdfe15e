#!/usr/bin/env bash
# Regenerates the golden outputs (testdata/expected/golden) with the build in
# BUILD_DIR.  Review the change with 'git diff testdata/expected' before
# committing it.  usage: tests/golden/update.sh BUILD_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$(dirname "$0")/run.sh" "$1" "$tmp/golden" --update
