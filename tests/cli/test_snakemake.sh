#!/usr/bin/env bash
# The Snakemake workflow (docs/workflows/snakemake) run for real on the
# bundled example cohort with --cores 2: count scattered per sample, call,
# track and leadtime gathered; every table equals that of 'vafwatch run' on
# the same sheet byte for byte (leadtime.json: but for its "command" line).
# Skips (exit 77) without snakemake.
# Usage: test_snakemake.sh SOURCE_DIR BUILD_DIR WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
SRC=$1 B=$2 W=$3
if ! command -v snakemake >/dev/null; then
    echo "skip: snakemake not installed (apt-get install snakemake)"; exit 77
fi
mkdir -p "$W"
W=$(cd "$W" && pwd)
VW=$(cd "$B/src" && pwd)/vafwatch
# the cohort and its BAMs (simulated once, kept), and vafwatch run on it
if ! "$SRC/scripts/run-example.sh" "$B" "$W" >"$W/log.txt" 2>&1; then
    cat "$W/log.txt"; ko "run-example.sh failed"; echo "$pass passed, $fail failed"; exit 1
fi
S=$W/snakemake
rm -rf "$S"
mkdir -p "$S"
cat >"$S/config.yaml" <<EOC
sheet: $W/cohort/cohort.tsv
events: $W/cohort/events.tsv
outdir: results
name: cohort
vafwatch: $VW
threads: 1
multiqc: $(command -v multiqc >/dev/null && echo true || echo false)
EOC
if (cd "$S" && snakemake -s "$SRC/docs/workflows/snakemake/Snakefile" --configfile config.yaml --cores 2 \
        >"$S/log.txt" 2>&1); then
    ok "snakemake --cores 2 on the example cohort"
else
    tail -30 "$S/log.txt"; ko "snakemake failed"; echo "$pass passed, $fail failed"; exit 1
fi
n_samples=$(($(wc -l <"$W/cohort/cohort.tsv") - 1))
n_tables=$(ls "$S"/results/counts/*.vafwatch.counts.tsv | wc -l)
[ "$n_tables" -eq "$n_samples" ] && ok "one count job per sample ($n_tables)" || ko "$n_tables tables for $n_samples samples"
n_self=$(cat "$S"/results/counts/*.vafwatch.counts.tsv | grep -c '^#self_background')
[ "$n_self" -eq "$n_samples" ] && ok "every table carries its self background" || ko "$n_self self background lines"
same=1
for k in calls track series leadtime cohort; do
    if cmp -s "$S/results/cohort.vafwatch.$k.tsv" "$W/run/vafwatch.$k.tsv"; then
        echo "     $k.tsv: identical"
    else
        same=0; echo "  differs: $k.tsv"; diff "$S/results/cohort.vafwatch.$k.tsv" "$W/run/vafwatch.$k.tsv" | head -4
    fi
done
[ $same = 1 ] && ok "calls, track, series, leadtime, cohort tables byte-identical to vafwatch run" \
    || ko "tables differ from vafwatch run"
if cmp -s "$S/results/report/vafwatch_mqc.tsv" "$W/run/report/vafwatch_mqc.tsv" \
    && [ "$(ls "$S"/results/report/patients/*.html | wc -l)" -eq "$(ls "$W"/run/report/patients/*.html | wc -l)" ]; then
    ok "reports: the same patient pages and an identical MultiQC table"
else
    ko "reports differ from vafwatch run"
fi
if diff <(grep -v '"command"' "$S/results/cohort.vafwatch.leadtime.json") \
        <(grep -v '"command"' "$W/run/vafwatch.leadtime.json") >/dev/null; then
    ok "leadtime.json identical but for the command line"
else
    ko "leadtime.json differs"
fi
# the per-draw evidence tables are those of run's count cache
same=1
for t in "$S"/results/counts/*.vafwatch.counts.tsv; do
    # (the cache entry ends with its '#cache' trailer line)
    grep -v '^#cache'$'\t' "$W/run/counts/$(basename "$t")" | cmp -s "$t" - || { same=0; echo "  differs: $(basename "$t")"; }
done
[ $same = 1 ] && ok "per-sample evidence tables equal run's count cache" || ko "evidence tables differ"
# VCF records equal (headers carry the command line)
if command -v bcftools >/dev/null; then
    if diff <(bcftools view -H "$S/results/cohort.vafwatch.calls.vcf.gz") \
            <(bcftools view -H "$W/run/vafwatch.calls.vcf.gz") >/dev/null; then
        ok "calls VCF records identical"
    else
        ko "calls VCF records differ"
    fi
fi
# every job has its log and benchmark
n_log=$(ls "$S"/results/logs/count/*.log 2>/dev/null | wc -l)
n_bench=$(ls "$S"/results/benchmarks/count/*.tsv 2>/dev/null | wc -l)
if [ "$n_log" -eq "$n_samples" ] && [ "$n_bench" -eq "$n_samples" ] && [ -f "$S/results/logs/call/cohort.log" ] \
   && head -1 "$S/results/benchmarks/report/cohort.tsv" | grep -q "^s	h:m:s	max_rss"; then
    ok "log and benchmark files for every job ($n_log count logs, $n_bench count benchmarks)"
else
    ko "logs/benchmarks: $n_log logs, $n_bench benchmarks"
fi
if command -v multiqc >/dev/null; then
    if grep -q 'mqc-module-section-vafwatch_vaf' "$S/results/multiqc/multiqc_report.html" 2>/dev/null; then
        ok "the multiqc rule: the vafwatch sections in multiqc_report.html"
    else
        ko "multiqc rule"
    fi
fi
# the cnv rule (dry run): one cnv job per plasma draw against the saved PoN, the tables into report
touch "$S/panel.bed" "$S/pon.vafwatch.cnv_pon.tsv"
sed -e 's/^multiqc: .*/multiqc: false/' "$S/config.yaml" >"$S/cnv.yaml"
printf 'cnv_bed: %s\ncnv_pon: %s\ncnv_args: "--tf 0.2"\noutdir: cnvres\n' "$S/panel.bed" "$S/pon.vafwatch.cnv_pon.tsv" >>"$S/cnv.yaml"
sed -i '0,/^outdir: results$/{/^outdir: results$/d}' "$S/cnv.yaml"
if (cd "$S" && snakemake -s "$SRC/docs/workflows/snakemake/Snakefile" --configfile cnv.yaml --cores 2 -n -p >"$S/cnv.txt" 2>&1); then
    n_cnv=$(grep -c "cnv -t 1 -b $S/panel.bed --pon $S/pon.vafwatch.cnv_pon.tsv --tf 0.2 -s " "$S/cnv.txt")
    n_rep=$(grep -E "vafwatch report .*--cnv cnvres/cnv/[A-Z0-9]+_d000.vafwatch.cnv.tsv" "$S/cnv.txt" | grep -o -- "--cnv " | wc -l)
    [ "$n_cnv" -eq "$n_samples" ] && [ "$n_rep" -eq "$n_samples" ] && ok "cnv rule: $n_cnv cnv jobs, report takes their $n_rep tables" \
        || ko "cnv dry run: $n_cnv cnv commands, $n_rep --cnv"
else
    tail -20 "$S/cnv.txt"; ko "cnv dry run failed"
fi
# nothing left to do: a second invocation is a no-op
if (cd "$S" && snakemake -s "$SRC/docs/workflows/snakemake/Snakefile" --configfile config.yaml --cores 2 -n 2>&1 |
        grep -q "Nothing to be done"); then
    ok "a re-run has nothing to do"
else
    ko "a re-run would run jobs again"
fi
finish
