#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages vafwatch needs to build, test and benchmark.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential pkg-config meson ninja-build git \
    libhts-dev libgsl-dev zlib1g-dev libcmocka-dev \
    samtools bcftools tabix python3 \
    clang libclang-rt-dev valgrind >/dev/null
