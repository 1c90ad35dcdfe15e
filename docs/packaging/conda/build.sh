#!/usr/bin/env bash
set -euo pipefail
meson setup build -Dtests=false --buildtype=release --prefix="$PREFIX" --libdir=lib
ninja -C build
meson install -C build
