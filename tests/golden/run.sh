#!/usr/bin/env bash
# Golden outputs of the happy paths: runs the main commands
# (tests/golden/commands.sh) on a small simulated cohort and compares every
# output byte for byte with testdata/expected/golden/, after one documented
# normalisation (normalise() below).
#
#   tests/golden/run.sh BUILD_DIR WORK_DIR            compare (the meson test 'golden')
#   tests/golden/run.sh BUILD_DIR WORK_DIR --update   rewrite testdata/expected/golden
# (tests/golden/update.sh BUILD_DIR does the latter in a scratch directory.)
#
# Inputs, all made here at fixed seeds: two patients of the example cohort
# (testdata/cohort/make_cohort.py, one vwsim recipe per draw), three normal
# plasmas (the first draw of patient CRC03, seeds 301-303) and the copy-number
# recipes of testdata/sim (a tumour at TF 0.2, three normals).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR WORK_DIR [--update]" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "$1" && pwd)
W=$2
UPDATE=${3:-}
EXPECTED=$SRC/testdata/expected/golden
export LC_ALL=C TZ=UTC
export PATH="$B/src:$PATH"
SIM=$B/tests/vwsim
rm -rf "$W" && mkdir -p "$W/in" "$W/out"
W=$(cd "$W" && pwd)
# shellcheck source=tests/golden/commands.sh
. "$SRC/tests/golden/commands.sh"

# ---- inputs --------------------------------------------------------------
I=$W/in
python3 "$SRC/testdata/cohort/make_cohort.py" --outdir "$I/all" --recipes "$I/all/recipes" >/dev/null
subset() { awk -F '\t' -v p=" $GOLDEN_PATIENTS " 'FNR == 1 || index(p, " " $1 " ")' "$1"; }
subset "$I/all/cohort.tsv" >"$I/cohort.tsv"
subset "$I/all/events.tsv" >"$I/events.tsv"
mkdir -p "$I/sim" "$I/normals" "$I/cnv"
for s in $(tail -n +2 "$I/cohort.tsv" | cut -f2); do
    "$SIM" -r "$I/all/recipes/$s.recipe.tsv" -o "$I/sim/$s" >/dev/null
done
for i in 1 2 3; do
    "$SIM" -r "$I/all/recipes/CRC03_d000.recipe.tsv" -o "$I/normals/N$i" --seed $((300 + i)) --sample "N$i" >/dev/null
done
"$SIM" -r "$SRC/testdata/sim/cnv_tumour.recipe.tsv" -o "$I/cnv/T" >/dev/null
for i in 1 2 3; do
    "$SIM" -r "$SRC/testdata/sim/cnv_normal.recipe.tsv" -o "$I/cnv/N$i" --seed $((200 + i)) --sample "N$i" >/dev/null
done
grep -v '^#' "$I/cnv/T.cn_truth.tsv" | awk -F '\t' '$5 == 2 && $1 !~ /^chr(7|12|17)$/ {print $1 "\t" $2 - 1 "\t" $3 "\tref"}' >"$I/cnv/ref.bed"

# ---- the commands --------------------------------------------------------
cd "$I"
OUT=out
mkdir -p "$OUT"
for step in $GOLDEN_STEPS; do
    t0=$(date +%s%N)
    if ! "golden_$step" >"$W/$step.stdout" 2>"$W/$step.stderr"; then
        echo "FAIL golden $step exited non-zero:"; cat "$W/$step.stderr"; exit 1
    fi
    echo "$step $(( ($(date +%s%N) - t0) / 1000000 )) ms" >>"$W/times.txt"
done

# ---- normalisation -------------------------------------------------------
# Only this changes an output before the comparison:
#  * bgzipped files (.gz) are compared as their text (the compressed bytes
#    depend on the zlib version); index files (.tbi, .csi) are not compared
#    (they follow from the text);
#  * the version string of this build ('vafwatch --version', it carries the
#    commit) is replaced by VERSION;
#  * in the '#cache' trailer of run's count cache (run/counts/*.tsv), the
#    identity of the input file (device:inode, size, two times, a hash of
#    its header: fields 5-9) is replaced by FILE-ID.
VERSION_STR=$(vafwatch --version | head -1 | sed 's/^vafwatch //')
normalise() { # FILE -> stdout
    case "$1" in
        *.gz) gzip -dc "$1" ;;
        *) cat "$1" ;;
    esac | awk -v v="$VERSION_STR" 'BEGIN { FS = OFS = "\t" }
        { while ((i = index($0, v)) > 0) $0 = substr($0, 1, i - 1) "VERSION" substr($0, i + length(v)) }
        /^#cache\t/ && NF >= 10 { l = $1 OFS $2 OFS $3 OFS $4 OFS "FILE-ID"; for (i = 10; i <= NF; i++) l = l OFS $i; $0 = l }
        { print }'
}
N=$W/normalised
mkdir -p "$N"
(cd "$OUT" && find . -type f ! -name '*.tbi' ! -name '*.csi' ! -name '*.lock' | sort) >"$W/files.txt"
while read -r f; do
    mkdir -p "$N/$(dirname "$f")"
    normalise "$OUT/$f" >"$N/${f%.gz}"
done <"$W/files.txt"

if [ "$UPDATE" = --update ]; then
    rm -rf "$EXPECTED" && mkdir -p "$EXPECTED"
    cp -R "$N/." "$EXPECTED/"
    echo "wrote $(find "$EXPECTED" -type f | wc -l) golden files to testdata/expected/golden"
    exit 0
fi
if diff -r "$EXPECTED" "$N" >"$W/diff.txt"; then
    echo "ok   golden: $(find "$N" -type f | wc -l) outputs of $(echo $GOLDEN_STEPS | wc -w) commands identical to testdata/expected/golden"
    exit 0
fi
echo "FAIL golden outputs differ from testdata/expected/golden (first lines of the diff):"
head -60 "$W/diff.txt"
echo "If the change is intended: tests/golden/update.sh BUILD_DIR, then review 'git diff testdata/expected'."
exit 1
