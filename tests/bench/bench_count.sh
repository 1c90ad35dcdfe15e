#!/usr/bin/env bash
# Benchmark of vafwatch count against bcftools mpileup and the bare decoding
# cost (samtools view -c), side by side on the same simulated BAM.
#
# Usage: tests/bench/bench_count.sh [BUILD_DIR] [FRAGMENTS] [WORKDIR] [MAX_DEPTH]
#   BUILD_DIR  meson build directory with src/vafwatch and tests/vwsim [build]
#   FRAGMENTS  read pairs in all (spread over 13 hotspot-sized windows) [5000000]
#   WORKDIR    where the BAM and the outputs go [/tmp/vafwatch-bench]
#   MAX_DEPTH  memory against depth: reads per site from 1,000 up to this (1,000 to
#              3,000,000 in steps) [1000000]
#
# Every read of the BAM lies in a target window, so decoding the whole file
# once (samtools view -c, one thread) is the floor of any counter; the ratios
# are taken against it.  Times are the best of 3 runs, and the CPU time
# (user + system) is reported beside the wall time: on a shared machine the
# wall time of a short run varies more than its CPU time.
#
# The BAM: 13 windows of 300 bp on one simulated contig, 58 SNV targets (4-5 a
# window, as many as the catalogue has), mutant fractions 0.1-2 %, overlapping
# mates, base error rate 0.1 %.  Counts are checked equal before times are
# reported: vafwatch --count-unit read vs bcftools mpileup -B -x (no BAQ, no
# overlap detection) FORMAT/AD with the same filters.  bcftools 1.16 does not
# read -d 0 as "no cap" (it reports at most ~100 reads a site): a cap of 10^9 is given.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
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

# measure NAME command... : best wall time of 3 runs, best CPU time (user +
# system) and peak RSS (kB)
declare -A WALL RSS CPU
measure() {
    local name=$1; shift
    local best="" bestc=""
    for i in 1 2 3; do
        /usr/bin/time -f "%e %M %U %S" -o time.txt "$@" >/dev/null 2>"err.$name.txt" || { cat "err.$name.txt"; exit 1; }
        read -r t m u s <time.txt
        c=$(awk "BEGIN{print $u + $s}")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; RSS[$name]=$m; fi
        if [ -z "$bestc" ] || awk "BEGIN{exit !($c < $bestc)}"; then bestc=$c; fi
    done
    WALL[$name]=$best
    CPU[$name]=$bestc
    printf '%-40s %8.2f s %8.2f s cpu %9d kB\n' "$name" "$best" "$bestc" "${RSS[$name]}"
}

# pair NAME_A NAME_B CMD_A -- CMD_B : the two commands in turn, 5 times each, on the
# same file at the same moments; the best CPU time (user + system) of each
pair() {
    local na=$1 nb=$2; shift 2
    local a=() b=() seen=0
    for x in "$@"; do
        if [ "$x" = "--" ]; then seen=1; elif [ $seen = 0 ]; then a+=("$x"); else b+=("$x"); fi
    done
    local ba="" bb=""
    for i in 1 2 3 4 5; do
        for which in a b; do
            if [ $which = a ]; then /usr/bin/time -f "%U %S %M" -o time.txt "${a[@]}" >/dev/null 2>err.pair.txt || { cat err.pair.txt; exit 1; }
            else /usr/bin/time -f "%U %S %M" -o time.txt "${b[@]}" >/dev/null 2>err.pair.txt || { cat err.pair.txt; exit 1; }; fi
            read -r u s m <time.txt
            c=$(awk "BEGIN{print $u + $s}")
            if [ $which = a ]; then
                if [ -z "$ba" ] || awk "BEGIN{exit !($c < $ba)}"; then ba=$c; fi
            else
                if [ -z "$bb" ] || awk "BEGIN{exit !($c < $bb)}"; then bb=$c; fi
            fi
        done
    done
    CPU[$na]=$ba
    CPU[$nb]=$bb
    printf '%-40s %8.2f s cpu  |  %-36s %8.2f s cpu  (ratio %.2f)\n' "$na" "$ba" "$nb" "$bb" "$(awk "BEGIN{print $bb / $ba}")"
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

# --- against decoding the whole file once --------------------------------------------
# The region figure above lets samtools decode the windows several times over (13
# regions in one index tile), which flatters vafwatch; the whole file decoded once is
# the honest floor.  Measured side by side, in one loop, on the same file.
CNT=("$VW" count --no-builtin -T targets.tsv "${FILT_VW[@]}" bench.bam)
pair "samtools view -c (whole file)" "vafwatch count (default)" samtools view -c bench.bam -- "${CNT[@]}"
pair "samtools view -c (whole file) " "vafwatch count --no-self" samtools view -c bench.bam -- "${CNT[@]}" --no-self
pair "vafwatch count --no-self " "vafwatch count (self background)" "${CNT[@]}" --no-self -- "${CNT[@]}"
pair "vafwatch count --no-self (read)" "vafwatch count (read, self background)" "${CNT[@]}" --no-self --count-unit read -- "${CNT[@]}" --count-unit read
pair "samtools view -c (whole file)  " "vafwatch count --stream" samtools view -c bench.bam -- "${CNT[@]}" --stream
awk -v s="${CPU[samtools view -c (whole file)]}" -v f="${CPU[vafwatch count (default)]}" \
    -v s1="${CPU[samtools view -c (whole file) ]}" -v n="${CPU[vafwatch count --no-self]}" \
    -v a="${CPU[vafwatch count --no-self ]}" -v b="${CPU[vafwatch count (self background)]}" \
    -v ar="${CPU[vafwatch count --no-self (read)]}" -v br="${CPU[vafwatch count (read, self background)]}" \
    -v s2="${CPU[samtools view -c (whole file)  ]}" -v st="${CPU[vafwatch count --stream]}" \
    -v w2="${WALL[samtools view -@ 1 -c (stream)]}" -v g="${WALL[vafwatch count -t 2 (stream)]}" 'BEGIN {
    printf "against samtools view -c on the whole file (one thread), CPU time, side by side:\n"
    printf "  vafwatch count (default: fragments, self background): %.2fx (goal <= 1.3x)\n", f / s
    printf "  the cost of each count unit: fragments %.2fx (--no-self), fragments streaming %.2fx;\n", n / s1, st / s2
    printf "    reads cost %.2f of fragments (both with the self background)\n", br / b
    printf "self background: +%.0f %% over counting alone (fragments), +%.0f %% (reads) (goal <= 15 %%)\n", 100 * (b / a - 1), 100 * (br / ar - 1)
    printf "streaming fragments, -t 2 vs samtools -@ 1 (wall, above): %.0f %% of its throughput (goal >= 80 %%)\n", 100 * w2 / g
}'

# --- memory against depth ---------------------------------------------------------------
# One 300-bp window holding one target; 5/6 of a read pair per read wanted at the
# site is simulated (fragments of 167 bp, reads of 100 bp: about 1.2 reads of a
# pair cover the site); the table shows the depth counted.  The pending-mate table
# is bounded (--mate-buffer, 131072 reads by default): past it reads wait on disk
# ("on disk": how many did); "unbounded" is --mate-buffer 0, whose evidence table
# must be byte-identical.
MAXD=${4:-1000000}
printf '\n%-12s %-12s %12s %12s %12s %12s %10s\n' "reads/site" "fragments" "index (kB)" "stream (kB)" \
    "-t 2 (kB)" "unbounded" "on disk"
for d in 1000 10000 100000 1000000 3000000; do
    [ "$d" -le "$MAXD" ] || break
    dd=depth$d
    if [ ! -s $dd.bam.bai ]; then
        printf 'seed\t5\nsample\tD%s\nbuild\tcustom\ncontig\tdepth1\t2000\nread_length\t100\nfragments\t%d\n' "$d" $((5 * d / 6)) >$dd.recipe.tsv
        printf 'frag_mean\t167\nfrag_sd\t20\nerror_rate\t0.001\nbase_quality\t37\nmapq\t60\ndup_rate\t0\n' >>$dd.recipe.tsv
        printf 'window\tdepth1\t1001\t1300\nrefseq\tdepth1\t1150\tC\nvariant\tdepth1\t1150\tC\tT\t0.01\n' >>$dd.recipe.tsv
        "$SIM" -r $dd.recipe.tsv -o $dd >/dev/null
    fi
    printf 'chrom\tpos\tref\talt\ndepth1\t1150\tC\tT\n' >$dd.targets.tsv
    "$VW" count --no-builtin -T $dd.targets.tsv --count-unit read $dd.bam -o $dd.reads.tsv
    "$VW" count --verbosity 3 --no-builtin -T $dd.targets.tsv $dd.bam -o $dd.frags.tsv 2>$dd.log
    disk=$(sed -n 's/.*: \([0-9]*\) reads waited for their mates on disk.*/\1/p' $dd.log)
    mi=$( { /usr/bin/time -f %M "$VW" count --no-builtin -T $dd.targets.tsv $dd.bam -o /dev/null; } 2>&1 | tail -1)
    ms=$( { /usr/bin/time -f %M sh -c "'$VW' count --no-builtin -T $dd.targets.tsv - -o /dev/null < $dd.bam"; } 2>&1 | tail -1)
    mt=$( { /usr/bin/time -f %M sh -c "'$VW' count -t 2 --no-builtin -T $dd.targets.tsv - -o /dev/null < $dd.bam"; } 2>&1 | tail -1)
    mu=$( { /usr/bin/time -f %M "$VW" count --mate-buffer 0 --no-builtin -T $dd.targets.tsv $dd.bam -o $dd.unb.tsv; } 2>&1 | tail -1)
    if ! cmp -s <(grep -v '^##' $dd.frags.tsv) <(grep -v '^##' $dd.unb.tsv); then
        echo "count mismatch at $d reads/site: bounded and unbounded tables differ"; exit 1
    fi
    printf '%-12s %-12s %12s %12s %12s %12s %10s\n' "$(awk -F'\t' '!/^#/ {print $10}' $dd.reads.tsv)" \
        "$(awk -F'\t' '!/^#/ {print $10}' $dd.frags.tsv)" "$mi" "$ms" "$mt" "$mu" "${disk:-0}"
done

# --- vafwatch run on a cohort -----------------------------------------------------------
# The bundled example cohort (scripts/run-example.sh simulates it once), counted from
# scratch by vafwatch run with one thread, against samtools view -c on each of its files.
if [ ! -s "$W/example/run/vafwatch.track.tsv" ]; then
    "$SRC/scripts/run-example.sh" "$BUILD" "$W/example" >/dev/null 2>&1
fi
C=$W/example/cohort
measure "samtools view -c (each cohort file)" sh -c "for f in '$C'/sim/*.bam; do samtools view -c \$f; done"
measure "vafwatch run -t 1 (cohort)" sh -c "rm -rf '$W/run1'; '$VW' run -t 1 -e '$C/events.tsv' -d '$W/run1' '$C/cohort.tsv'"
awk -v s="${CPU[samtools view -c (each cohort file)]}" -v r="${CPU[vafwatch run -t 1 (cohort)]}" \
    -v n="$(ls "$C"/sim/*.bam | wc -l)" 'BEGIN {
    printf "vafwatch run on the example cohort (%d files): %.2fx the sum of samtools view -c (CPU; goal <= 1.5x)\n", n, r / s
}'
