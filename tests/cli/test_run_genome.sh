#!/usr/bin/env bash
# test_run_genome.sh -- vafwatch run with the cohort sheet's 'swgs' column:
# shallow-WGS WIGs made by the project's simulator (genome_calib wig) fitted
# against their truth and against vafwatch cnv --genome on the same files; a
# BAM binned, cached and taken from the cache (a broken entry counted
# again); bad inputs (one-line error naming the file and line, exit 1, the
# output directory unchanged); the real MBC_315 WIGs of
# ../shared/data/cn/ichorcna (skipped when absent).
#   test_run_genome.sh VAFWATCH GENOME_CALIB SHARED_DATA WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 SIM=$2 DATA=$3 W=$4
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
export LC_ALL=C
check() { check_eq "$@"; }
expect() { # NAME CODE PATTERN -- cmd...: exit code and a one-line message matching PATTERN
    local name=$1 code=$2 pat=$3
    shift 4
    "$@" > out.txt 2> err.txt
    local rc=$?
    if [ $rc -ne "$code" ]; then ko "$name: exit $rc, want $code ($(head -c 300 err.txt))"
    elif ! grep -Eq -- "$pat" err.txt; then ko "$name: stderr lacks '$pat': $(head -c 300 err.txt)"
    elif [ "$(grep -vc 'warning:' err.txt)" -ne 1 ]; then ko "$name: not one error line: $(cat err.txt)"
    else ok "$name"; fi
}
vcf() { # vcf FILE SAMPLE [REF ALT]: a draw's evidence (targets T1, T5, T8; 90 and 10 fragments by default)
    { printf '##fileformat=VCFv4.2\n##contig=<ID=5,length=181538259>\n##contig=<ID=8,length=146364022>\n'
      printf '##contig=<ID=sim1,length=2000>\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="d">\n'
      printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t%s\n' "$2"
      for c in 5:100000000 8:100000000 sim1:1000; do
          printf '%s\t%s\t.\tC\tT\t.\tPASS\t.\tAD\t%s,%s\n' "${c%%:*}" "${c#*:}" "${3:-90}" "${4:-10}"
      done; } > "$1"
}
# T1 on a contig outside the bins (taken as two copies), T5 where the simulation has two copies,
# T8 on 8q, four copies in the simulated tumour (docs/copy-number.md, genome_sim.h)
printf 'chrom\tpos\tref\talt\tid\nsim1\t1000\tC\tT\tT1\n5\t100000000\tC\tT\tT5\n8\t100000000\tC\tT\tT8\n' > t.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-12-01\ttreatment_start\tx\nP2\t2023-12-01\ttreatment_start\tx\n' > events.tsv

# Simulated draws (1 Mb bins of hg19 autosomes, ~6,700 reads a bin = 1x; the simulator's
# noise is not the model's: gamma-Poisson counts, site effects, GC bias, a genome wave,
# artefact bins).  P1: TF 0.05, 0.15, 0.30; P2: TF 0, then 0.20.  The mutation of each draw is
# clonal and heterozygous at VAF TF / 2 (alt of 2,000 fragments: 50, 150, 300, 0, 200), so its
# clone fraction VAF / (TF / 2) is 1 up to the noise of the two estimates.
tfs="0.05 0.15 0.30 0 0.20"
alts="50 150 300 0 200"
i=0
for tf in $tfs; do
    i=$((i + 1))
    "$SIM" wig d$i.wig $((100 + i)) "$tf" 6667 gc.wig || { ko "simulator"; exit 1; }
    a=$(echo "$alts" | cut -d' ' -f$i)
    vcf v$i.vcf D$i $((2000 - a)) "$a"
done
{ printf 'patient\tsample\tdate\tfile\tswgs\n'
  printf 'P1\tD1\t2024-01-01\tv1.vcf\td1.wig\nP1\tD3\t2024-03-01\tv3.vcf\td3.wig\nP1\tD2\t2024-02-01\tv2.vcf\td2.wig\n'
  printf 'P2\tD4\t2024-01-01\tv4.vcf\td4.wig\nP2\tD5\t2024-02-01\tv5.vcf\td5.wig\n'; } > sheet.tsv
RUN="$VW run --no-builtin -T t.tsv -e events.tsv --genome-gc gc.wig"
$RUN -d out sheet.tsv 2> err.txt
check "sim: run exits 0" 0 $?
check "sim: the genome-wide outputs" "7" "$(ls out/vafwatch.genome* | wc -l | tr -d ' ')"
# TF against the simulation truth: within 0.03 (the issue's criterion) for TF >= 0.05; TF 0 not detected
r=$(awk -F '\t' -v t="$tfs" 'BEGIN { split(t, tf, " ") } !/^#/ { i = substr($1, 2); d = $2 - tf[i]; if (d < 0) d = -d
    if (tf[i] == 0) printf "%s:%s ", $1, ($5 == "no" ? "nd" : "DETECTED")
    else printf "%s:%s ", $1, (d <= 0.03 && $5 == "yes" ? "ok" : $2) }' out/vafwatch.genome.tsv)
check "sim: TF within 0.03 of the truth, TF 0 not detected" "D1:ok D2:ok D3:ok D4:nd D5:ok " "$r"
# the same numbers as cnv --genome on each patient's draws in date order
"$VW" cnv --genome --gc gc.wig -s D1,D2,D3,D4,D5 --output-prefix c d1.wig d2.wig d3.wig d4.wig d5.wig 2> /dev/null
same=0
for k in genome.tsv genome_bins.tsv genome.seg genome_arms.tsv genome_focal.tsv; do
    # (tf_change and rise are per patient in run: D4 follows D3 in cnv --genome's input order)
    cut -f1-14 "c.vafwatch.$k" | sed '/^D4/s/\t[^\t]*\t[^\t]*$//' > a.txt
    cut -f1-14 "out/vafwatch.$k" | sed '/^D4/s/\t[^\t]*\t[^\t]*$//' > b.txt
    cmp -s a.txt b.txt || { same=1; echo "  $k differs"; }
done
check "sim: the tables equal cnv --genome's on the same WIGs" 0 $same
check "sim: D4 (the first draw of P2) has no previous draw" "NA NA" \
    "$(awk -F '\t' '$1 == "D4" {print $15, $16}' out/vafwatch.genome.tsv)"
# series: rises by the intervals (D2's lower bound above D1's upper, confirmed by D3 over D1)
check "sim: series in date order, a confirmed rise dated 2024-02-01; P2's first detection is no rise" \
    "D1:NA:NA:2024-02-01 D2:yes:yes:2024-02-01 D3:yes:NA:2024-02-01 D4:NA:NA:NA D5:no:no:NA " \
    "$(awk -F '\t' '!/^#/ {printf "%s:%s:%s:%s ", $2, $12, $13, $14}' out/vafwatch.genome_series.tsv)"
check "sim: the page has a genome plot per draw" 5 "$(grep -c '<h3>' out/vafwatch.genome.html)"
# clone fractions from the genome-wide TF (no truncal target): 2 VAF / TF with the series' own tf
# column (to its 4 digits), the interval 2 vaf_lo / tf_hi .. 2 vaf_hi / tf_lo around 1 (the
# simulated clone fraction), NA where TF was not detected (D4)
r=$(awk -F '\t' '!/^#/ && $5 != "T8" { if ($19 == "NA") { printf "%s:%s ", $2, $16; next }
    d = $16 - 2 * $10 / $19; if (d < 0) d = -d
    printf "%s:%s ", $2, (d <= 1e-3 * $16 && $21 <= 1 && $22 >= 1 ? "ok" : $16 "[" $21 "," $22 "]") }' out/vafwatch.series.tsv)
check "sim: clone fraction = 2 VAF / TF, its interval holds 1; NA without a detected TF (T1, T5)" \
    "D1:ok D2:ok D3:ok D1:ok D2:ok D3:ok D4:NA D5:ok D4:NA D5:ok " "$r"
# T8: no clone fraction where the draw's fit puts 8:100,000,000 at another copy number than 2
# (the genome_bins table's cn of that bin), the formula elsewhere (D4: TF not detected)
r=$(awk -F '\t' 'FNR == NR { if ($2 == 8 && $3 == 99000001) cn[$1] = $9; next }
    $5 == "T8" { printf "%s:%s:%s ", $2, cn[$2], ($16 == "NA" ? "NA" : "cf") }' out/vafwatch.genome_bins.tsv out/vafwatch.series.tsv)
check "sim: no clone fraction on 8q, fitted at four copies (the truth) in the detected draws" \
    "D1:4:NA D2:4:NA D3:4:NA D4:2:NA D5:4:NA " "$r"
# the report: a genome panel on each patient page (TF over time, one genome plot per draw), valid SVG
r=$(python3 -c '
import re, sys, xml.dom.minidom
out = []
for p, n in (("P1", 3), ("P2", 2)):
    s = open("out/report/patients/%s.html" % p).read()
    for x in re.findall(r"<svg.*?</svg>", s, re.S):
        xml.dom.minidom.parseString(x)
    panel = s[s.index("<h2>Genome-wide copy number"):]
    out.append("%s:%d:%d:%d" % (p, panel.count("class=\"genome-tf\""), panel.count("<h3>"),
                                panel.count("fill=\"white\" stroke=\"#b2182b\"")))
print(" ".join(out))')
check "report: genome panels (TF plot, a genome plot per draw, the not-detected draw hollow)" "P1:1:3:0 P2:1:2:1" "$r"
grep -q 'vafwatch.genome.tsv' out/vafwatch.manifest.tsv && ok "sim: the genome outputs are in the manifest" \
    || ko "sim: genome outputs not in the manifest"

# The sheet's normal rows with a swgs file are the panel of normals: the same numbers as
# cnv --genome --pon with those files (three simulated normal-only samples)
for j in 1 2 3; do "$SIM" wig n$j.wig $((200 + j)) 0 6667; vcf nv$j.vcf N$j; done
{ cat sheet.tsv; printf 'P1\tN%s\t2023-12-0%s\tnv%s.vcf\tn%s.wig\tnormal\n' 1 1 1 1 2 2 2 2 3 3 3 3; } |
    awk -F '\t' -v OFS='\t' 'NR == 1 {$6 = "type"} NR > 1 && NF == 5 {$6 = "plasma"} {print}' > sheet_pon.tsv
$RUN --verbosity 3 -d pon sheet_pon.tsv 2> err.txt
check "PoN from the sheet: run exits 0, says so" "0 1" "$? $(grep -c 'panel of normals: the .swgs. files of 3 normal rows' err.txt)"
"$VW" cnv --genome --gc gc.wig --pon n1.wig --pon n2.wig --pon n3.wig -s D1,D2,D3 --output-prefix cp d1.wig d2.wig \
    d3.wig 2> /dev/null
check "PoN from the sheet: P1's summary equals cnv --genome --pon's" 0 \
    "$(cmp -s cp.vafwatch.genome.tsv <(head -4 pon/vafwatch.genome.tsv); echo $?)"
check "PoN from the sheet: the fits differ from those without it" 1 \
    "$(cmp -s out/vafwatch.genome.tsv pon/vafwatch.genome.tsv; echo $?)"
sed 's/\td[0-9].wig//; s/\tswgs//; s/\tn[0-9].wig//' sheet_pon.tsv > sheet_noswgs.tsv
"$VW" run --no-builtin -T t.tsv -e events.tsv --genome-gc gc.wig -d noswgs sheet_noswgs.tsv 2> err.txt
check "genome options without a swgs column: a warning, no genome output" "1 0" \
    "$(grep -c "no draw of the sheet has a 'swgs' file" err.txt) $(ls noswgs/vafwatch.genome* 2> /dev/null | wc -l | tr -d ' ')"

# Bad inputs: one error line naming the file and line, exit 1, the previous outputs untouched
sum0=$(cat out/vafwatch.* | cksum)
printf 'fixedStep chrom=1 start=1 step=1000000 span=1000000\n12\nabc\n' > bad.wig
sed 's/d1.wig/bad.wig/' sheet.tsv > sheet_bad.tsv   # (the first draw fitted: fails at once)
expect "bad WIG: exit 1, file:line" 1 "bad.wig:3" -- $RUN -d out sheet_bad.tsv
sed 's/d5.wig/none.wig/' sheet.tsv > sheet_none.tsv
expect "missing swgs file: exit 1, sheet line and column" 1 "sheet_none.tsv:6: column 'swgs'" -- $RUN -d out sheet_none.tsv
printf 'fixedStep chrom=1 start=1 step=1000000 span=1000000\n' > few.wig
for k in $(seq 30); do echo 100 >> few.wig; done
sed 's/d1.wig/few.wig/' sheet.tsv > sheet_few.tsv
expect "too few bins: exit 1" 1 "few.wig: fewer than 50 usable" -- \
    "$VW" run --no-builtin -T t.tsv -e events.tsv -d out sheet_few.tsv
printf 'fixedStep chrom=1 start=1 step=500000 span=500000\n0.4\n' > gc500k.wig
expect "GC track of another bin size: exit 1" 1 "another bin size|bins of" -- \
    "$VW" run --no-builtin -T t.tsv -e events.tsv --genome-gc gc500k.wig -d out sheet.tsv
check "bad inputs: the output directory unchanged" "$sum0" "$(cat out/vafwatch.* | cksum)"
expect "bad --genome-bin-size: exit 2" 2 "genome-bin-size" -- $RUN --genome-bin-size 5 -d out sheet.tsv
expect "a sample both fitted from swgs and in --genome-tsv: exit 1" 1 "sample 'D1' is already in an earlier" -- \
    $RUN --genome-tsv c.vafwatch.genome.tsv -d out sheet.tsv
check "bad inputs: the output directory still unchanged" "$sum0" "$(cat out/vafwatch.* | cksum)"

# A BAM (22 contigs of 1 Mb, contig 5 without reads, duplicates and MAPQ-10 reads mixed in):
# bins of 100 kb counted as cnv --genome counts them, cached, taken from the cache
python3 "$TOOLS/genome_sam.py" B1 > sim.sam
samtools sort -o sim.bam sim.sam 2> /dev/null && samtools index sim.bam || { ko "samtools"; exit 1; }
printf 'patient\tsample\tdate\tfile\tswgs\nP1\tB1\t2024-01-01\tv1.vcf\tsim.bam\n' > sheet_bam.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-12-01\ttreatment_start\tx\n' > events1.tsv
BRUN="$VW run --verbosity 3 --no-builtin -T t.tsv -e events1.tsv --genome-bin-size 100000 -d bam sheet_bam.tsv"
$BRUN 2> err.txt
check "BAM: run exits 0" 0 $?
"$VW" cnv --genome --bin-size 100000 --output-prefix cb sim.bam 2> /dev/null
check "BAM: bins equal cnv --genome's" 0 "$(cmp -s cb.vafwatch.genome_bins.tsv bam/vafwatch.genome_bins.tsv; echo $?)"
check "BAM: one cache entry" "B1.vafwatch.genome.wig" "$(cd bam/counts && ls *.genome.wig)"
cp bam/vafwatch.genome_bins.tsv first.tsv
$BRUN 2> err.txt
check "BAM: re-run from the cache, same bins" "1 0" \
    "$(grep -c 'bins from the cache' err.txt) $(cmp -s first.tsv bam/vafwatch.genome_bins.tsv; echo $?)"
head -c 2000 bam/counts/B1.vafwatch.genome.wig > cut.wig && mv cut.wig bam/counts/B1.vafwatch.genome.wig
$BRUN 2> err.txt
check "BAM: a cut cache entry is said and counted again, same bins" "1 0 0" \
    "$(grep -c 'cached bins unusable' err.txt) $(grep -c 'cannot\|error' err.txt) $(cmp -s first.tsv bam/vafwatch.genome_bins.tsv; echo $?)"

# Real data: the two draws of MBC_315 in a sheet (dates illustrative: the data carry none)
D=$DATA/cn/ichorcna
if [ ! -r "$D/MBC_315.ctDNA.reads.wig" ]; then
    echo "skip real data (absent)"
else
    vcf r1.vcf MBC_315
    vcf r2.vcf MBC_315_T2
    printf 'patient\tdate\tevent\tdetail\nMBC\t2014-01-01\ttreatment_start\tx\n' > events_real.tsv
    printf 'patient\tsample\tdate\tfile\tswgs\nMBC\tMBC_315\t2014-01-06\tr1.vcf\t%s\nMBC\tMBC_315_T2\t2014-06-02\tr2.vcf\t%s\n' \
        "$D/MBC_315.ctDNA.reads.wig" "$D/MBC_315_T2.ctDNA.reads.wig" > sheet_real.tsv
    G="--genome-gc $D/gc_hg19_1000kb.wig --genome-map $D/map_hg19_1000kb.wig --genome-centromeres $D/GRCh37.p13_centromere_UCSC-gapTable.txt"
    # shellcheck disable=SC2086
    "$VW" run --no-builtin -T t.tsv -e events_real.tsv $G -d real sheet_real.tsv 2> err.txt
    check "real: run exits 0" 0 $?
    "$VW" cnv --genome --gc "$D/gc_hg19_1000kb.wig" --map "$D/map_hg19_1000kb.wig" \
        --centromeres "$D/GRCh37.p13_centromere_UCSC-gapTable.txt" -s MBC_315,MBC_315_T2 --output-prefix cr \
        "$D/MBC_315.ctDNA.reads.wig" "$D/MBC_315_T2.ctDNA.reads.wig" 2> /dev/null
    check "real: the summary equals cnv --genome's" 0 "$(cmp -s cr.vafwatch.genome.tsv real/vafwatch.genome.tsv; echo $?)"
    check "real: both detected, the second lower, no rise" "MBC_315:yes:NA MBC_315_T2:yes:no " \
        "$(awk -F '\t' '!/^#/ {printf "%s:%s:%s ", $2, $7, $12}' real/vafwatch.genome_series.tsv)"
    # shellcheck disable=SC2086
    expect "real: hg38 GC on hg19 counts: exit 1" 1 "another genome build" -- \
        "$VW" run --no-builtin -T t.tsv -e events_real.tsv --genome-gc "$D/gc_hg38_1000kb.wig" -d real2 sheet_real.tsv
fi
finish
