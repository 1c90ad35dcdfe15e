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
# For the report tests: a headless browser that renders the HTML reports, and
# python3-jsonschema, which validates every JSON output against docs/schema
# (tests/cli/test_json_schemas.sh; tests/cli/json_validate.py needs no module)
$SUDO apt-get install -y -qq --no-install-recommends chromium python3-jsonschema >/dev/null
# the workflow test (tests/cli/test_snakemake.sh) runs docs/workflows/snakemake with it
$SUDO apt-get install -y -qq --no-install-recommends snakemake >/dev/null
# MultiQC reads the report's custom content (tests/cli/test_multiqc.sh); vcftools gives
# vcf-validator and cwltool runs the CWL descriptions (docs/workflows/cwl)
$SUDO apt-get install -y -qq --no-install-recommends multiqc vcftools cwltool >/dev/null
# tests/list_untested.sh (public functions without a unit test) reads the headers with ctags
$SUDO apt-get install -y -qq --no-install-recommends universal-ctags >/dev/null
