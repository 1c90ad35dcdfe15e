#!/usr/bin/env bash
# Benchmark of vafwatch cnv --genome: binning a shallow-WGS BAM against the bare
# decoding cost of the same file (samtools view -c), and the fit of one real
# sample at 1 Mb (the ichorCNA example WIG) on its own.
#
# Usage: tests/bench/bench_genome.sh [BUILD_DIR] [READS] [WORKDIR] [SHARED_DATA]
#   BUILD_DIR    meson build directory with src/vafwatch [build]
#   READS        reads in the BAM [3000000]
#   WORKDIR      where the BAM and the outputs go [/tmp/vafwatch-bench-genome]
#   SHARED_DATA  the real data folder (cn/ichorcna) [../shared/data beside the source]
#
# The BAM: 22 autosomes of hg19 lengths, READS single-end 100 bp reads placed
# uniformly (MAPQ 60, 2 % flagged duplicates), sorted and indexed; bins of 1 Mb.
# The counts are checked first: the sum of the bins equals samtools view -c -q 20
# -F 0xF04 over the same bins' contigs.  Times are CPU time (perf stat task-clock,
# mean of 5 runs): on a shared machine wall time measures the other users' load.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
N=${2:-3000000}
W=${3:-/tmp/vafwatch-bench-genome}
DATA=${4:-$SRC/../shared/data}
VW=$BUILD/src/vafwatch
mkdir -p "$W"
cd "$W"
if [ ! -s "bench_$N.bam" ]; then
    python3 - "$N" <<'PY' | samtools sort -@ 2 -o "bench_$N.bam" -
import random, sys
n = int(sys.argv[1])
rnd = random.Random(5)
mb = [250, 244, 199, 192, 181, 172, 160, 147, 142, 136, 136, 134, 116, 108, 103, 91, 82, 79, 60, 64, 49, 52]
tot = sum(mb)
out = sys.stdout
out.write("@HD\tVN:1.6\tSO:unsorted\n")
for c, l in enumerate(mb, 1):
    out.write(f"@SQ\tSN:{c}\tLN:{l * 1000000}\n")
out.write("@RG\tID:b\tSM:BENCH\n")
seq, qual = "A" * 100, "I" * 100
for c, l in enumerate(mb, 1):
    k = n * l // tot
    for i in range(k):
        pos = rnd.randrange(1, l * 1000000 - 100)
        flag = 1024 if rnd.random() < 0.02 else 0
        out.write(f"r{c}_{i}\t{flag}\t{c}\t{pos}\t60\t100M\t*\t0\t0\t{seq}\t{qual}\tRG:Z:b\n")
PY
    samtools index "bench_$N.bam"
fi
B=bench_$N.bam
cpu() { # mean CPU seconds of 5 runs of "$@"
    perf stat -x, -e task-clock -r 5 "$@" 2>&1 > /dev/null | awk -F, '/task-clock/ {printf "%.3f", $1 / 1000}'
}
"$VW" cnv --genome --output-prefix g "$B" 2> /dev/null
sum=$(awk -F '\t' 'NR > 1 && $5 != "NA" {s += $5} END {print s}' g.vafwatch.genome_bins.tsv)
want=$(samtools view -c -q 20 -F 0xF04 "$B")
[ "$sum" = "$want" ] || { echo "counts differ: vafwatch $sum, samtools $want"; exit 1; }
reads=$(samtools view -c "$B")
t_sam=$(cpu samtools view -c "$B")
t_str=$(cpu "$VW" cnv --genome --output-prefix g "$B")
echo "BAM: $reads reads, counted fragments $sum (= samtools view -c -q 20 -F 0xF04)"
awk -v r="$reads" -v s="$t_sam" -v a="$t_str" 'BEGIN {
    printf "samtools view -c          %6.2f s  %5.2f M reads/s\n", s, r / s / 1e6
    printf "cnv --genome (all steps)  %6.2f s  %5.2f M reads/s  %.2fx samtools\n", a, r / a / 1e6, s / a }'
D=$DATA/cn/ichorcna
if [ -r "$D/MBC_315.ctDNA.reads.wig" ]; then
    T=(--gc "$D/gc_hg19_1000kb.wig" --map "$D/map_hg19_1000kb.wig" --centromeres "$D/GRCh37.p13_centromere_UCSC-gapTable.txt")
    t_one=$(cpu "$VW" cnv --genome "${T[@]}" --output-prefix r "$D/MBC_315.ctDNA.reads.wig")
    echo "one real sample at 1 Mb (read WIG + tracks, correct, fit, write): $t_one s CPU"
fi
# vafwatch run with the BAM in the sheet's swgs column: the first run bins it (and writes the bin
# cache), a re-run takes the bins from OUTDIR/counts/ (the draw's evidence is a one-record VCF,
# so the rest of the run costs little)
printf '##fileformat=VCFv4.2\n##contig=<ID=1,length=250000000>\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="d">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tBENCH\n1\t1000\t.\tC\tT\t.\tPASS\t.\tAD\t90,10\n' > run.vcf
printf 'chrom\tpos\tref\talt\tid\n1\t1000\tC\tT\tT1\n' > run_t.tsv
printf 'patient\tsample\tdate\tfile\tswgs\nP\tBENCH\t2024-01-01\trun.vcf\t%s\n' "$B" > run_sheet.tsv
printf 'patient\tdate\tevent\tdetail\nP\t2023-12-01\ttreatment_start\tx\n' > run_events.tsv
RUNC=("$VW" run --no-builtin -T run_t.tsv -e run_events.tsv -d run_out run_sheet.tsv)
t_first=$(cpu "${RUNC[@]}" --no-cache)
t_cached=$(cpu "${RUNC[@]}")
echo "run, swgs BAM: binned $t_first s CPU, from the bin cache $t_cached s CPU"
