#!/usr/bin/env bash
# End-to-end test of the therapy-relevance map of vafwatch call (docs/calling.md).
# Usage: test_therapy.sh VAFWATCH
# One sample of the 58 catalogue targets at 5,000 fragments, no alt fragment except
# 4 at EGFR T790M; no model, no self background: the default binomial at 1e-4
# (0.5 expected).  By hand: P(Bin(5000, 1e-4) >= 4) = 0.00175, so
#  - catalogue Holm: first step 58 x 0.00175 = 0.10 -> not detected;
#  - an EGFR inhibitor (3 relevant targets: T790M, the two C797S): weight
#    0.9 x 58 / 3 = 17.4, q = 0.00175 x 58 / 17.4 = 0.0058 -> detected;
#  - an anti-EGFR antibody (T790M off therapy, weight 0.1 x 58 / 8):
#    q = 0.00175 x 58 / 0.725 = 0.14 -> not detected;
#  - the same through --sheet and --events (treatment_start osimertinib) -> detected.
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

"$VW" catalogue --build GRCh38 > "$T/cat.tsv" || bad "catalogue"
python3 - "$T/cat.tsv" "$T/ev.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
head = rows[0][0].lstrip("#").split("\t") if len(rows[0]) == 1 else [h.lstrip("#") for h in rows[0]]
with open(sys.argv[2], "w") as f:
    f.write("#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
            "\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq"
            "\tref_median_fraglen\talt_median_fraglen\n")
    for r in rows[1:]:
        d = dict(zip(head, r))
        x = 4 if d["id"].startswith("EGFR_T790M") else 0
        f.write(f"S1\t{d['chrom']}\t{d['pos']}\t{d['ref']}\t{d['alt']}\t{d['id']}\t{d['gene']}\t{d['protein']}"
                f"\t{d['cdna']}\t5000\t{5000 - x}\t{x}\t0\t0\t2500\t{2500 - x}\t{x // 2}\t{x - x // 2}"
                f"\t{'37.0' if x else 'NA'}\t{'60.0' if x else 'NA'}\t167\t{'145' if x else 'NA'}\n")
PY
det() { awk -F'\t' '$6 ~ /^EGFR_T790M/ {print $22}' "$1.vafwatch.calls.tsv"; }
qv() { awk -F'\t' '$6 ~ /^EGFR_T790M/ {print $21}' "$1.vafwatch.calls.tsv"; }
"$VW" call --quiet --no-self --output-prefix "$T/none" "$T/ev.tsv" 2>/dev/null || bad "call"
"$VW" call --quiet --no-self --therapy osimertinib --output-prefix "$T/tki" "$T/ev.tsv" || bad "call --therapy"
"$VW" call --quiet --no-self --therapy cetuximab --output-prefix "$T/mab" "$T/ev.tsv" || bad "call --therapy"
if [ "$(det "$T/none")" = no ]; then ok "catalogue Holm: T790M not detected (q $(qv "$T/none"))"; else bad "catalogue: $(det "$T/none")"; fi
if [ "$(det "$T/tki")" = yes ]; then ok "--therapy osimertinib: T790M detected (q $(qv "$T/tki"))"; else bad "tki: $(det "$T/tki")"; fi
if [ "$(det "$T/mab")" = no ]; then ok "--therapy cetuximab: T790M off therapy, not detected"; else bad "mab: $(det "$T/mab")"; fi
# q by hand (p from the binomial tail 1 - sum_{k<4} Bin(5000, 1e-4)): 17.4 weight of 58
python3 - "$(qv "$T/tki")" <<'PY' && ok "q = p x 3 / 0.9 by hand" || bad "q by hand"
import math, sys
p = 1 - sum(math.comb(5000, k) * 1e-4**k * (1 - 1e-4)**(5000 - k) for k in range(4))
want = p * 58 / (0.9 * 58 / 3)
got = float(sys.argv[1])
sys.exit(0 if abs(got / want - 1) < 1e-3 else 1)
PY
# the patient's drug from the events file
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2024-03-01\tS1.bam\n' > "$T/sheet.tsv"
printf 'patient\tdate\tevent\tdetail\nP1\t2024-01-01\ttreatment_start\tOsimertinib\n' > "$T/events.tsv"
"$VW" call --quiet --no-self --sheet "$T/sheet.tsv" -e "$T/events.tsv" --output-prefix "$T/ev" "$T/ev.tsv" \
    || bad "call --sheet --events"
if [ "$(det "$T/ev")" = yes ]; then ok "treatment_start osimertinib: T790M detected"; else bad "events: $(det "$T/ev")"; fi
printf 'patient\tdate\tevent\tdetail\nP1\t2024-01-01\ttreatment_start\tdrugX\n' > "$T/events2.tsv"
"$VW" call --no-self --sheet "$T/sheet.tsv" -e "$T/events2.tsv" --output-prefix "$T/ev2" "$T/ev.tsv" 2> "$T/err" \
    || bad "call --events drugX"
if grep -q "not in the therapy map" "$T/err" && [ "$(det "$T/ev2")" = no ]; then
    ok "an unknown drug: warned, no restriction"; else bad "unknown drug"; fi
finish
