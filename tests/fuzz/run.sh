#!/usr/bin/env bash
# Builds the libFuzzer harnesses in build-fuzz (clang, ASan + UBSan) and
# runs each for SECONDS seconds on its seed corpus (tests/fuzz/corpus/<name>)
# plus a scratch corpus in build-fuzz/corpus/<name>.  Runs JOBS harnesses at
# a time [1].  Fails (exit 1) when any harness finds a crash, leak or
# sanitizer report; the reproducer is left in build-fuzz/artifacts/<name>/.
#
#   tests/fuzz/run.sh SECONDS [JOBS] [HARNESS...]
#
# FUZZ_SEED=N fixes libFuzzer's seed and FUZZ_RUNS=N bounds the executions
# per harness (SECONDS stays the time cap).  With both, a run is a
# reproducible check rather than an exploration: CI uses them, so that it
# fails only on inputs anyone can regenerate, while open-ended runs (no
# FUZZ_SEED) keep looking for new bugs.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [JOBS] [HARNESS...]}
jobs=${2:-1}
shift $(( $# >= 2 ? 2 : 1 ))
all=(targets_tsv targets_bed targets_vcf sheet events markers calls vcfin count_sam count_tsv count_index bam_read evidence vcf_cache wig count_umi table region patient therapy)
names=("${@:-${all[@]}}")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false -Dbuildtype=debugoptimized \
        -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C build-fuzz >/dev/null
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
run_one() {
    local n=$1 log=build-fuzz/logs/$1.log
    mkdir -p "build-fuzz/corpus/$n" "build-fuzz/artifacts/$n" build-fuzz/logs
    local det=()
    [ -n "${FUZZ_SEED:-}" ] && det+=(-seed="$FUZZ_SEED")
    [ -n "${FUZZ_RUNS:-}" ] && det+=(-runs="$FUZZ_RUNS")
    if "build-fuzz/tests/fuzz/fuzz_$n" "${det[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
        -artifact_prefix="build-fuzz/artifacts/$n/" "build-fuzz/corpus/$n" "tests/fuzz/corpus/$n" >"$log" 2>&1; then
        echo "fuzz $n: ok, $(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+') executions," \
             "$(grep -Eo 'cov: [0-9]+' "$log" | tail -1) within ${secs}s"
    else
        echo "fuzz $n: FAILED (see $log and build-fuzz/artifacts/$n/)"
        grep -E 'ERROR|runtime error|SUMMARY' "$log" | head -5
        return 1
    fi
}
rc=0
pids=()
for n in "${names[@]}"; do
    run_one "$n" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$jobs" ]; then
        wait "${pids[0]}" || rc=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
