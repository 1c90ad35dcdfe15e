#!/usr/bin/env bash
# Benchmark of vafwatch count against bcftools mpileup and the bare decoding
# cost (samtools view -c), side by side on the same simulated BAM.
#
# Usage: tests/bench/bench_count.sh [BUILD_DIR] [FRAGMENTS] [WORKDIR]
#   BUILD_DIR  meson build directory with src/vafwatch and tests/vwsim [build]
#   FRAGMENTS  read pairs in all (spread over 13 hotspot-sized windows) [5000000]
#   WORKDIR    where the BAM and the outputs go [/tmp/vafwatch-bench]
#
# The BAM: 13 windows of 300 bp on one simulated contig, 58 SNV targets (4-5 a
# window, as many as the catalogue has), mutant fractions 0.1-2 %, overlapping
# mates, base error rate 0.1 %.  Counts are checked equal before times are
# reported: vafwatch --count-unit read vs bcftools mpileup -B -x (no BAQ, no
# overlap detection) FORMAT/AD with the same filters.  bcftools 1.16 does not
# read -d 0 as "no cap" (it reports at most ~100 reads a site): a cap of 10^9 is given.
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
N=${2:-5000000}
W=${3:-/tmp/vafwatch-bench}
VW=$BUILD/src/vafwatch
SIM=$BUILD/tests/vwsim
mkdir -p "$W"
cd "$W"

# --- data -------------------------------------------------------------------------
python3 - "$N" <<'PY'
import random, sys
n = int(sys.argv[1])
rnd = random.Random(11)
with open("bench.recipe.new", "w") as r, open("targets.tsv", "w") as t, open("sites.tsv", "w") as s:
    r.write("seed\t11\nsample\tBENCH\nbuild\tcustom\ncontig\tbench1\t14000\nread_length\t100\n")
    r.write(f"fragments\t{n // 13}\nfrag_mean\t167\nfrag_sd\t20\nmut_frag_mean\t145\nmut_frag_sd\t15\n")
    r.write("error_rate\t0.001\nbase_quality\t37\nmapq\t60\ndup_rate\t0\nwrite_fasta\t1\n")
    t.write("chrom\tpos\tref\talt\tid\n")
    k = 0
    for w in range(13):
        beg = 1001 + w * 1000
        r.write(f"window\tbench1\t{beg}\t{beg + 299}\n")
        for j in range(5 if w < 6 else 4):
            pos = beg + 110 + 17 * j
            ref = "ACGT"[rnd.randrange(4)]
            alt = rnd.choice([b for b in "ACGT" if b != ref])
            r.write(f"refseq\tbench1\t{pos}\t{ref}\n")
            r.write(f"variant\tbench1\t{pos}\t{ref}\t{alt}\t{rnd.choice([0.001, 0.005, 0.01, 0.02])}\n")
            t.write(f"bench1\t{pos}\t{ref}\t{alt}\tt{k}\n")
            s.write(f"bench1\t{pos}\n")
            k += 1
PY
# simulate again only when the recipe changed
if cmp -s bench.recipe.new bench.recipe.tsv; then rm bench.recipe.new; else mv bench.recipe.new bench.recipe.tsv; fi
if [ ! -s bench.bam.bai ] || [ bench.recipe.tsv -nt bench.bam ]; then
    echo "simulating $N fragments ..."
    "$SIM" -r bench.recipe.tsv -o bench
fi
samtools faidx bench.fa 2>/dev/null || true

FILT_VW=(-q 20 -Q 20 --excl-flags UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY)
FILT_BCF=(-q 20 -Q 20 --ff UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY)

# measure NAME command... : best wall time of 3 runs and peak RSS (kB)
declare -A WALL RSS
measure() {
    local name=$1; shift
    local best=""
    for i in 1 2 3; do
        /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null 2>"err.$name.txt" || { cat "err.$name.txt"; exit 1; }
        read -r t m <time.txt
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; RSS[$name]=$m; fi
    done
    WALL[$name]=$best
    printf '%-28s %8.2f s %9d kB\n' "$name" "$best" "${RSS[$name]}"
}

# --- same counts first --------------------------------------------------------------
"$VW" count --no-builtin -T targets.tsv "${FILT_VW[@]}" --count-unit read bench.bam -o vw.read.tsv
bcftools mpileup -f bench.fa -R sites.tsv -a AD -d 1000000000 -B -x "${FILT_BCF[@]}" -Ou bench.bam 2>/dev/null \
    | bcftools norm -m -any -Ou 2>/dev/null \
    | bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\t[%AD]\n' >bcf.ad.tsv
python3 - <<'PY'
import sys
bcf = {}
for line in open("bcf.ad.tsv"):
    c, p, ref, alt, ad = line.rstrip("\n").split("\t")
    a = ad.split(",")
    bcf[(c, int(p), ref, alt)] = (int(a[0]), int(a[1]) if len(a) > 1 else 0)
    bcf.setdefault((c, int(p), ref, "*ref"), int(a[0]))
bad = n = 0
for line in list(open("vw.read.tsv"))[1:]:
    if line.startswith("#"):  # the #self_background line
        continue
    f = line.split("\t")
    key = (f[1], int(f[2]), f[3], f[4])
    ref, alt = int(f[10]), int(f[11])
    exp_ref = bcf.get((f[1], int(f[2]), f[3], "*ref"))
    exp_alt = bcf[key][1] if key in bcf else 0
    n += 1
    if exp_ref != ref or exp_alt != alt:
        bad += 1
        print("count mismatch", key, "vafwatch", ref, alt, "bcftools", exp_ref, exp_alt)
print(f"counts: {n - bad}/{n} targets equal between vafwatch (reads) and bcftools AD")
sys.exit(1 if bad else 0)
PY

# --- times ---------------------------------------------------------------------------
# the same regions vafwatch reads: the windows holding the targets
REGIONS=$(awk '$1 == "window" {printf "%s:%d-%d ", $2, $3, $4}' bench.recipe.tsv)
echo "reads in the BAM: $(samtools view -c bench.bam)"
measure "samtools view -c (regions)" samtools view -c bench.bam $REGIONS
measure "samtools view -c (stream)" sh -c 'samtools view -c - < bench.bam'
measure "bcftools mpileup -a AD" sh -c "bcftools mpileup -f bench.fa -R sites.tsv -a AD -d 1000000000 -B -x ${FILT_BCF[*]} -Ou bench.bam > /dev/null 2>&1"
measure "vafwatch count (fragment)" "$VW" count --no-builtin -T targets.tsv "${FILT_VW[@]}" bench.bam
measure "vafwatch count (read)" "$VW" count --no-builtin -T targets.tsv "${FILT_VW[@]}" --count-unit read bench.bam
measure "vafwatch count (stream)" sh -c "'$VW' count --no-builtin -T targets.tsv ${FILT_VW[*]} - < bench.bam"
measure "vafwatch count (read, stream)" sh -c "'$VW' count --no-builtin -T targets.tsv ${FILT_VW[*]} --count-unit read - < bench.bam"
# two threads each: samtools with one BGZF thread, vafwatch with a decoding thread
measure "samtools view -@ 1 -c (stream)" sh -c 'samtools view -@ 1 -c - < bench.bam'
measure "vafwatch count -t 2 (stream)" sh -c "'$VW' count -t 2 --no-builtin -T targets.tsv ${FILT_VW[*]} - < bench.bam"
measure "vafwatch count -t 2 (read, stream)" sh -c "'$VW' count -t 2 --no-builtin -T targets.tsv ${FILT_VW[*]} --count-unit read - < bench.bam"

awk -v a="${WALL[bcftools mpileup -a AD]}" -v b="${WALL[vafwatch count (fragment)]}" \
    -v c="${WALL[samtools view -c (regions)]}" -v d="${WALL[samtools view -c (stream)]}" \
    -v e="${WALL[vafwatch count (stream)]}" -v m="${RSS[vafwatch count (fragment)]}" \
    -v f="${WALL[vafwatch count (read, stream)]}" -v g="${WALL[vafwatch count -t 2 (stream)]}" \
    -v h="${WALL[vafwatch count -t 2 (read, stream)]}" -v d2="${WALL[samtools view -@ 1 -c (stream)]}" 'BEGIN {
    printf "speed-up over bcftools mpileup:          %.1fx (goal >= 5x)\n", a / b
    printf "vafwatch / samtools view -c (regions):    %.2f (goal <= 1.3)\n", b / c
    printf "streaming throughput vs samtools view -c (goal >= 80 %%):\n"
    printf "  one thread each:  %.0f %% fragments, %.0f %% reads\n", 100 * d / e, 100 * d / f
    printf "  two threads each: %.0f %% fragments, %.0f %% reads (vafwatch -t 2 vs samtools -@ 1)\n", 100 * d2 / g, 100 * d2 / h
    printf "  vafwatch -t 2 vs single-threaded samtools: %.0f %% fragments, %.0f %% reads\n", 100 * d / g, 100 * d / h
    printf "vafwatch peak memory:                     %.1f MB (goal < 64 MB)\n", m / 1024
}'
