#!/usr/bin/env bash
# One command from a fresh Debian/Ubuntu machine: install the packages, build,
# and run vafwatch on the bundled example (simulated plasma draws).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -d build ] || meson setup build
ninja -C build
scripts/run-example.sh build example-out
