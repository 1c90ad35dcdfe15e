#!/usr/bin/env bash
# The Snakemake workflow (docs/workflows/snakemake) with the sheet's 'targets' and 'swgs'
# columns and with an evidence class (config 'model' and 'class'), run for real with
# --cores 2 on the small cohorts of snakemake_cwl_cohort.sh, against 'vafwatch run':
#  - targets + swgs: calls, patient, track, leadtime and cohort tables byte-identical to
#    run's; one 'cnv --genome' job per patient whose genome tables, put together in
#    patient order, equal run's byte for byte (genome, bins, seg, arms, focal, series);
#    the series table equal but for the clone fractions run takes from the genome-wide
#    tumour fraction (only run computes them: columns clone_fraction, tf,
#    clone_fraction_lo, clone_fraction_hi of the rows where run's tf is not NA);
#  - molecules with --class duplex: 'call --class duplex' on the model; the calls rows,
#    track, leadtime, cohort, series and evidence tables equal run -m MODEL --class duplex's
#    (call also writes its '#evidence_class' lines, which run does not).
# Skips (exit 77) without snakemake.
# Usage: test_snakemake_columns.sh SOURCE_DIR VAFWATCH VWSIM GENOME_CALIB WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$1" && pwd) VW=$2 SIM=$3 GSIM=$4 W=$5
if ! command -v snakemake >/dev/null; then
    echo "skip: snakemake not installed (apt-get install snakemake)"; exit 77
fi
mkdir -p "$W"
W=$(cd "$W" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
VW=$(abs "$VW") SIM=$(abs "$SIM") GSIM=$(abs "$GSIM")
bash "$SRC/tests/cli/snakemake_cwl_cohort.sh" "$VW" "$SIM" "$GSIM" "$W" || { ko "the cohorts"; finish; exit 1; }
SMK="snakemake -s $SRC/docs/workflows/snakemake/Snakefile --cores 2"

# -- the sheet's targets and swgs columns ---------------------------------------------------
C=$W/tc
R=$C/run.out
[ -s "$R/vafwatch.genome_series.tsv" ] && [ -s "$R/vafwatch.patient.tsv" ] && ok "run on the cohort" || ko "run: $(head -2 "$C/run.err")"
mkdir -p "$C/smk"
printf 'sheet: %s\nevents: %s\noutdir: results\nname: cohort\nvafwatch: %s\nthreads: 1\ngenome_gc: %s\n' \
    "$C/cohort.tsv" "$C/events.tsv" "$VW" "$C/gc.wig" >"$C/smk/config.yaml"
if (cd "$C/smk" && $SMK --configfile config.yaml -p >log.txt 2>&1); then
    ok "snakemake on a sheet with targets and swgs columns"
else
    tail -20 "$C/smk/log.txt"; ko "snakemake failed"; finish; exit 1
fi
O=$C/smk/results
n=$(grep -cE "cnv --genome -t 1 --gc $C/gc.wig +--sheet $C/cohort.tsv -s " "$C/smk/log.txt")
grep -q -- "-s P1_d0,P1_d1,P1_d2 --output-prefix results/genome/P1 $C/P1_d0.wig $C/P1_d1.wig $C/P1_d2.wig" "$C/smk/log.txt" \
    && [ "$n" = 2 ] && ok "one cnv --genome job per patient, its draws in date order" || ko "genome jobs: $n"
same=1
for k in calls patient track leadtime cohort; do
    cmp -s "$O/cohort.vafwatch.$k.tsv" "$R/vafwatch.$k.tsv" || { same=0; echo "    differs: $k.tsv"; }
done
[ $same = 1 ] && ok "calls, patient, track, leadtime, cohort tables equal run's" || ko "tables differ from run's"
same=1
for k in genome.tsv genome_bins.tsv genome.seg genome_arms.tsv genome_focal.tsv genome_series.tsv; do
    { head -1 "$O/genome/P1.vafwatch.$k"; tail -q -n +2 "$O/genome/P1.vafwatch.$k" "$O/genome/P2.vafwatch.$k"; } \
        | cmp -s - "$R/vafwatch.$k" || { same=0; echo "    differs: $k"; }
done
[ $same = 1 ] && ok "the per-patient genome tables, put together, equal run's" || ko "genome tables differ"
[ "$(ls "$O"/genome/*.genome.html | wc -l)" = 2 ] && ok "a genome page per patient" || ko "genome pages"
# the series: equal but for the clone fractions from the genome-wide TF (run's alone), and those exist
if python3 - "$O/cohort.vafwatch.series.tsv" "$R/vafwatch.series.tsv" <<'PY'; then ok "series: equal but for run's TF clone fractions"
import sys
a = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
b = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert len(a) == len(b) and a[0] == b[0]
h = {c: i for i, c in enumerate(a[0])}
tf_cols = [h[c] for c in ("clone_fraction", "tf", "clone_fraction_lo", "clone_fraction_hi")]
n_tf = 0
for x, y in zip(a[1:], b[1:]):
    if y[h["tf"]] != "NA":
        n_tf += 1
        assert x[h["tf"]] == "NA" and x[h["clone_fraction_lo"]] == "NA", x
        x = [v for i, v in enumerate(x) if i not in tf_cols]
        y = [v for i, v in enumerate(y) if i not in tf_cols]
    assert x == y, (x, y)
assert n_tf > 0
PY
else ko "series differs beyond the TF clone fractions"; fi
# normal rows with a swgs file are the genome-wide panel of normals of every patient's job (as run;
# cnv --genome --pon against run: tests/cli/test_run_genome.sh), and are not fitted themselves
cp "$C/cohort.tsv" "$C/normals.tsv"
printf 'P1\tN1\t2023-12-01\tP1_d0.bam\tnormal\t\tP2_d0.wig\nP2\tN2\t2023-12-01\tP2_d0.bam\tnormal\t\tP1_d2.wig\n' >>"$C/normals.tsv"
sed "s|^sheet: .*|sheet: $C/normals.tsv|; s|^outdir: .*|outdir: normals|" "$C/smk/config.yaml" >"$C/smk/normals.yaml"
(cd "$C/smk" && $SMK --configfile normals.yaml -n -p >normals.txt 2>&1)
n=$(grep -cE -- "--pon $C/P2_d0.wig --pon $C/P1_d2.wig +--sheet $C/normals.tsv -s P[12]_d0,P[12]_d1(,P1_d2)? " "$C/smk/normals.txt")
[ "$n" = 2 ] && ! grep -qE -- "cnv --genome .*-s [^ ]*N[12]" "$C/smk/normals.txt" && ok "the normal rows' swgs files: --pon of each genome job" \
    || ko "genome PoN from the normal rows: $n jobs"
if (cd "$C/smk" && $SMK --configfile config.yaml -n 2>&1 | grep -q "Nothing to be done"); then
    ok "a re-run has nothing to do"
else
    ko "a re-run would run jobs again"
fi

# -- molecules, a model of every class, --class duplex ----------------------------------------
U=$W/umi
mkdir -p "$U/smk"
printf 'sheet: %s\nevents: %s\noutdir: results\nname: cohort\nvafwatch: %s\nmodel: %s\nclass: duplex\n' \
    "$U/sheet.tsv" "$U/events.tsv" "$VW" "$U/pon.tsv" >"$U/smk/config.yaml"
printf 'count_args: "--no-builtin -T %s --count-unit molecule"\n' "$U/d3.targets.tsv" >>"$U/smk/config.yaml"
if (cd "$U/smk" && $SMK --configfile config.yaml -p >log.txt 2>&1); then
    ok "snakemake with model and class"
else
    tail -20 "$U/smk/log.txt"; ko "snakemake with class failed"; finish; exit 1
fi
O=$U/smk/results
R=$U/run.out
grep -q "call -m $U/pon.tsv .* --class duplex .*--output-prefix results/cohort" "$U/smk/log.txt" \
    && ! grep -q "model build" "$U/smk/log.txt" && ok "call -m MODEL --class duplex (no model built)" || ko "call command"
same=1
for k in track leadtime cohort series; do
    cmp -s "$O/cohort.vafwatch.$k.tsv" "$R/vafwatch.$k.tsv" || { same=0; echo "    differs: $k.tsv"; }
done
cmp -s <(grep -v '^#evidence_class' "$O/cohort.vafwatch.calls.tsv") "$R/vafwatch.calls.tsv" || { same=0; echo "    differs: calls"; }
for t in "$O"/counts/*.vafwatch.counts.tsv; do
    grep -v '^#cache'$'\t' "$R/counts/$(basename "$t")" | cmp -s "$t" - || { same=0; echo "    differs: $(basename "$t")"; }
done
[ $same = 1 ] && ok "calls, track, leadtime, cohort, series and evidence tables equal run --class duplex's" \
    || ko "class tables differ"
awk -F'\t' '!/^#/ && NR > 1 { n++; k += $29 == "duplex" } END { exit !(n == 4 && k == 4) }' "$O/cohort.vafwatch.calls.tsv" \
    && [ "$(grep -c '^#evidence_class	P2_d[34]	molecule (families >= 1)$' "$O/cohort.vafwatch.calls.tsv")" = 2 ] \
    && ok "every call rests on the duplex class" || ko "class column"
finish
