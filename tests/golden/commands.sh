# shellcheck shell=bash
# The golden commands: every command line of tests/golden/run.sh, in one
# place.  Sourced by run.sh with the working directory set to the inputs
# (sheet, events, sim/, normals/, cnv/), 'vafwatch' on PATH, and OUT the
# directory the outputs go to.  Paths are relative, so the command lines
# that outputs record ("command" in JSON, ##vafwatchCommand in VCF) do not
# depend on where the test runs.
#
# Option spellings shared by several command lines (NEWS.md lists the
# spellings before the options were given one meaning each):
SHEET=(--sheet)     # the cohort sheet of track/leadtime/report
RULE=(--rule)       # the emergence rule
REPORT_DIR=(-d)     # the report's output directory
# --json FILE: json_arg PREFIX KIND prints the arguments for call/leadtime
# (PREFIX.vafwatch.<KIND>.json, the names the goldens hold).
json_arg() { printf '%s\n' --json "$1.vafwatch.$2.json"; }

# The patients and draws of the golden cohort (testdata/cohort/make_cohort.py):
# CRC07 (KRAS Q61H emerges, falls after withdrawal: molecular_first) and
# LUNG06 (a germline-looking T790M: no_emergence).
GOLDEN_PATIENTS="CRC07 LUNG06"

# The built-in catalogue (GRCh37), and from it the targets of every later
# step: the hotspots of the simulated windows (21 of 58; keeps the goldens small).
golden_catalogue() {
    vafwatch catalogue --build GRCh37 -o "$OUT/catalogue.tsv" &&
        awk -F '\t' 'NR == 1 || $1 ~ /^(KRAS_G12|KRAS_G13D|KRAS_Q61|NRAS_Q61|EGFR_T790M|EGFR_C797S|BRAF_V600E)/' \
            "$OUT/catalogue.tsv" >targets.tsv
}
TARGETS=(-T targets.tsv --no-builtin)

golden_count() {
    vafwatch count "${TARGETS[@]}" -o "$OUT/count.tsv" --json "$OUT/count.json" \
        sim/CRC07_d000.bam sim/CRC07_d112.bam sim/LUNG06_d000.bam
}

golden_model() {
    vafwatch model build "${TARGETS[@]}" -o "$OUT/model.tsv" normals/N1.bam normals/N2.bam normals/N3.bam
}

golden_call() {
    # shellcheck disable=SC2046
    vafwatch call "${TARGETS[@]}" -m "$OUT/model.tsv" --output-prefix "$OUT/golden" $(json_arg "$OUT/golden" calls) sim/*.bam
}

golden_track() {
    vafwatch track "${SHEET[@]}" cohort.tsv -e events.tsv "${RULE[@]}" consecutive --output-prefix "$OUT/golden" \
        "$OUT/golden.vafwatch.calls.tsv"
}

golden_leadtime() {
    # shellcheck disable=SC2046
    vafwatch leadtime "${SHEET[@]}" cohort.tsv -e events.tsv "${RULE[@]}" consecutive --output-prefix "$OUT/golden" \
        $(json_arg "$OUT/golden" leadtime) "$OUT/golden.vafwatch.calls.tsv"
}

golden_report() {
    vafwatch report "${SHEET[@]}" cohort.tsv -e events.tsv "${REPORT_DIR[@]}" "$OUT/report" --no-report-date \
        "$OUT/golden.vafwatch.calls.tsv"
}

golden_cnv() {
    vafwatch cnv --reference-regions cnv/ref.bed --genes ERBB2,MET,KRAS \
        --pon cnv/N1.bam --pon cnv/N2.bam --pon cnv/N3.bam --tf TUMOUR=0.2 --output-prefix "$OUT/golden" cnv/T.bam
}

# run's reports carry a fixed date (the one the goldens hold), not today's.
golden_run() {
    vafwatch run "${TARGETS[@]}" -e events.tsv -d "$OUT/run" --report-date 2026-12-01 cohort.tsv
}

# In this order (model before call).
GOLDEN_STEPS="catalogue count model call track leadtime report cnv run"
