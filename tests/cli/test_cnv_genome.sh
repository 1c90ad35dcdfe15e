#!/usr/bin/env bash
# test_cnv_genome.sh -- vafwatch cnv --genome end to end: a BAM binned against
# samtools' own counts, bad inputs (exit code and one-line message), and the
# real shallow-WGS WIGs of ../shared/data/cn/ichorcna (skipped when absent).
#   test_cnv_genome.sh VAFWATCH SHARED_DATA WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 DATA=$2 W=$3
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
export LC_ALL=C
check() { check_eq "$@"; }
# expect NAME CODE PATTERN -- cmd...: exit code and a one-line message matching PATTERN
expect() {
    local name=$1 code=$2 pat=$3
    shift 4
    "$@" > out.txt 2> err.txt
    local rc=$?
    if [ $rc -ne "$code" ]; then ko "$name: exit $rc, want $code ($(head -c 300 err.txt))"
    elif ! grep -Eq -- "$pat" err.txt; then ko "$name: stderr lacks '$pat': $(head -c 300 err.txt)"
    else ok "$name"; fi
}

# A BAM of 22 contigs of 1 Mb (chromosome 5 without reads), single-end reads of 50 bp
# that never cross a 100 kb bin edge, with duplicates and MAPQ-10 reads mixed in:
# samtools view -c -q 20 -F 0xF04 per bin is the independent count.
python3 "$TOOLS/genome_sam.py" GENOME1 > sim.sam
samtools sort -o sim.bam sim.sam 2> /dev/null && samtools index sim.bam || { ko "samtools"; exit 1; }
"$VW" cnv --genome --bin-size 100000 --output-prefix bam sim.bam 2> err.txt
rc=$?
# 21 contigs x 10 bins = 210 autosomal bins with reads: the fit needs 50, so it runs
check "BAM: exit 0" 0 $rc
check "BAM: a warning names the contig without reads" 1 "$(grep -c 'no reads on 5' err.txt)"
bad=0
for c in 1 8 22; do
    for b in 0 5 9; do
        want=$(samtools view -c -q 20 -F 0xF04 sim.bam "$c:$((b * 100000 + 1))-$(((b + 1) * 100000))")
        got=$(awk -F '\t' -v c=$c -v s=$((b * 100000 + 1)) '$2 == c && $3 == s {print $5}' bam.vafwatch.genome_bins.tsv)
        [ "$want" = "$got" ] || { bad=$((bad + 1)); echo "  bin $c:$b: $got vs samtools $want"; }
    done
done
check "BAM: bin counts equal samtools view -c -q 20 -F 0xF04 (9 bins)" 0 $bad
check "BAM: sample name from @RG SM" GENOME1 "$(awk -F '\t' 'NR == 2 {print $1}' bam.vafwatch.genome.tsv)"
check "BAM: contig 5 masked as no_data" 10 "$(awk -F '\t' '$2 == 5 && $10 == "no_data" {n++} END {print n + 0}' \
    bam.vafwatch.genome_bins.tsv)"
check "six outputs" 6 "$(ls bam.vafwatch.genome* | wc -l | tr -d ' ')"
check "report: one genome plot per draw, well-formed SVG" 1 "$(python3 -c '
import re, sys, xml.dom.minidom
s = open("bam.vafwatch.genome.html").read()
svgs = re.findall(r"<svg.*?</svg>", s, re.S)
for x in svgs: xml.dom.minidom.parseString(x)
print(len(svgs) - 1)')"

# A panel of normals made of the sample itself: every fitted log2 ratio is 0 (sample minus the
# median of three identical normals), so nothing is detected
"$VW" cnv --genome --bin-size 100000 --pon sim.bam --pon sim.bam --pon sim.bam --output-prefix self sim.bam 2> /dev/null
check "PoN of the sample itself: exit 0, not detected" "0 no" "$? $(awk -F '\t' 'NR == 2 {print $5}' self.vafwatch.genome.tsv)"
check "PoN of the sample itself: every fitted log2r is 0" 0 \
    "$(awk -F '\t' '$8 != "NA" && $8 + 0 != 0 {n++} END {print n + 0}' self.vafwatch.genome_bins.tsv)"

# Bad input
printf 'fixedStep chrom=1 start=1 step=500000 span=500000\n0.4\n' > gc500k.wig
expect "bin size mismatch: exit 1" 1 "bins of 100000 bp in sim.bam but of 500000 bp in gc500k.wig" -- \
    "$VW" cnv --genome --bin-size 100000 --gc gc500k.wig --output-prefix x sim.bam
printf 'fixedStep chrom=1 start=1 step=1000 span=500\n1\n' > span.wig
expect "span differs from step: exit 1, file:line" 1 "span.wig:1: span 500 differs from step 1000" -- \
    "$VW" cnv --genome --output-prefix x span.wig
expect "no prefix: exit 2" 2 "output prefix" -- "$VW" cnv --genome sim.bam
expect "bad --ploidy: exit 2" 2 "--ploidy takes" -- "$VW" cnv --genome --ploidy 9 --output-prefix x sim.bam
expect "missing file: exit 1" 1 "nope.wig: cannot open" -- "$VW" cnv --genome --output-prefix x nope.wig
cp span.wig z.vafwatch.genome.tsv
expect "an output that is an input: exit 2" 2 "would overwrite an input" -- "$VW" cnv --genome --output-prefix z z.vafwatch.genome.tsv
check "no output left by the failures" 0 "$(ls x.* 2> /dev/null | wc -l | tr -d ' ')"
"$VW" cnv --genome --help | grep -q "Usage: vafwatch cnv --genome" && ok "usage" || ko "usage"

# Real data: two draws of one patient (hg19 1 Mb readCounter WIGs, ichorCNA's tracks)
D=$DATA/cn/ichorcna
if [ ! -r "$D/MBC_315.ctDNA.reads.wig" ]; then
    echo "skip real data (absent)"
else
    T="--gc $D/gc_hg19_1000kb.wig --map $D/map_hg19_1000kb.wig --centromeres $D/GRCh37.p13_centromere_UCSC-gapTable.txt"
    # shellcheck disable=SC2086
    "$VW" cnv --genome $T -s MBC_315,MBC_315_T2 --output-prefix real "$D/MBC_315.ctDNA.reads.wig" \
        "$D/MBC_315_T2.ctDNA.reads.wig" 2> err.txt
    check "real: exit 0" 0 $?
    check "real: both draws detected" "yes yes" "$(awk -F '\t' 'NR > 1 {printf "%s%s", s, $5; s = " "}' real.vafwatch.genome.tsv)"
    # 3113 bins a draw (grep -vc fixedStep of the WIG)
    check "real: every bin of both draws" 6226 "$(grep -vc '^#' real.vafwatch.genome_bins.tsv)"
    # chromosome 1 centromere of the table: 121,535,434-124,535,434 (0-based) -> 1 Mb bins 122-125 (1-based starts)
    check "real: centromere bins of chr1 masked" "121000001 122000001 123000001 124000001" \
        "$(awk -F '\t' '$1 == "MBC_315" && $2 == 1 && $10 ~ /centromere/ {printf "%s%s", s, $3; s = " "}' \
           real.vafwatch.genome_bins.tsv)"
    check "real: the second draw's TF is lower, no rise" "no" "$(awk -F '\t' 'NR == 3 {print ($2 < 0.1 && $16 == "no") ? "no" : "?"}' \
        real.vafwatch.genome.tsv)"
    # the serial table from a cohort sheet (dates illustrative: the data carry none), inputs in any order
    printf 'patient\tsample\tdate\tfile\ttype\nMBC\tMBC_315_T2\t2014-06-02\tb.wig\tplasma\nMBC\tMBC_315\t2014-01-06\ta.wig\tplasma\n' > sheet.tsv
    # shellcheck disable=SC2086
    "$VW" cnv --genome $T --sheet sheet.tsv -s MBC_315_T2,MBC_315 --output-prefix ser "$D/MBC_315_T2.ctDNA.reads.wig" \
        "$D/MBC_315.ctDNA.reads.wig" 2> err.txt
    check "real: series in date order, no rise" "MBC_315:NA MBC_315_T2:no " \
        "$(awk -F '\t' 'NR > 1 {printf "%s:%s ", $2, $12}' ser.vafwatch.genome_series.tsv)"
    # the hg38 GC track against hg19 counts: another build (chr1 has 250 bins in hg19, 249 in hg38)
    expect "real: hg38 GC on hg19 counts: exit 1" 1 "another genome build" -- \
        "$VW" cnv --genome --gc "$D/gc_hg38_1000kb.wig" --output-prefix y "$D/MBC_315.ctDNA.reads.wig"
    # determinism
    # shellcheck disable=SC2086
    "$VW" cnv --genome $T -s MBC_315,MBC_315_T2 --output-prefix real2 "$D/MBC_315.ctDNA.reads.wig" \
        "$D/MBC_315_T2.ctDNA.reads.wig" 2> /dev/null
    same=0
    for k in genome.tsv genome_bins.tsv genome.seg genome_arms.tsv genome_focal.tsv genome.html; do
        cmp -s "real.vafwatch.$k" "real2.vafwatch.$k" || same=1
    done
    check "real: byte-identical outputs on a second run" 0 $same
fi
finish
