#!/usr/bin/env bash
# End-to-end test of the therapy-relevance map of vafwatch call and run (docs/calling.md).
# Usage: test_therapy.sh VAFWATCH
# One sample of the 58 catalogue targets at 5,000 fragments, no alt fragment except
# 4 at EGFR T790M; no model, no self background: the default binomial at 1e-4
# (0.5 expected).  By hand: P(Bin(5000, 1e-4) >= 4) = 0.00175, so
#  - catalogue Holm: first step 58 x 0.00175 = 0.10 -> not detected;
#  - an EGFR inhibitor (3 relevant targets: T790M, the two C797S): weight
#    0.9 x 58 / 3 = 17.4, q = 0.00175 x 58 / 17.4 = 0.0058 -> detected;
#  - an anti-EGFR antibody (T790M off therapy, weight 0.1 x 58 / 8):
#    q = 0.00175 x 58 / 0.725 = 0.14 -> not detected;
#  - the same through --sheet and --events (treatment_start osimertinib) -> detected;
#  - a user map whose class holds osimertinib and EGFR L858R only (T790M off
#    therapy, weight 0.1 x 58 / 57): q = 0.00175 x 57 / 0.1 = 0.9975 -> not detected.
# vafwatch run on the same counts (a VCF of AD 4996,4 at T790M, 5000,0 elsewhere):
# its calls equal call's on run's own counts table, with the events' drug, a
# user map and --therapy; an unknown --therapy name or a bad map stops run before
# it writes anything.
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
# T790M's detected and q of PREFIX.vafwatch.calls.tsv (or of the calls table FILE itself)
calls_of() { if [ -f "$1" ]; then echo "$1"; else echo "$1.vafwatch.calls.tsv"; fi; }
det() { awk -F'\t' '$6 ~ /^EGFR_T790M/ {print $22}' "$(calls_of "$1")"; }
qv() { awk -F'\t' '$6 ~ /^EGFR_T790M/ {print $21}' "$(calls_of "$1")"; }
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

# vafwatch run: the same counts as a VCF (AD), the therapy from the events file
python3 - "$T/cat.tsv" "$T/s1.vcf" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
head = [h.lstrip("#") for h in rows[0]]
length = {"1": 248956422, "7": 159345973, "12": 133275309, "15": 101991189, "17": 83257441}
recs = sorted((int(d["chrom"]), int(d["pos"]), d["ref"], d["alt"], 4 if d["id"].startswith("EGFR_T790M") else 0)
              for d in (dict(zip(head, r)) for r in rows[1:]))
with open(sys.argv[2], "w") as f:
    f.write("##fileformat=VCFv4.2\n")
    f.writelines(f"##contig=<ID=chr{c},length={n}>\n" for c, n in length.items())
    f.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
            '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
            '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n")
    for c, p, ref, alt, x in recs:
        f.write(f"chr{c}\t{p}\t.\t{ref}\t{alt}\t.\tPASS\t.\tGT:AD:DP\t0/1:{5000 - x},{x}:5000\n")
PY
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2024-03-01\ts1.vcf\n' > "$T/run_sheet.tsv"
printf 'class\tkind\tvalue\nmine\tdrug\tosimertinib\nmine\tprotein\tEGFR:p.L858R\n' > "$T/map.tsv"
body() { grep -v '^##' "$1"; }
# run_case NAME EXPECTED(yes/no) [options]: run, then call on run's counts with the same options
run_case() {
    local name=$1 want=$2
    shift 2
    "$VW" run --quiet "$@" -e "$T/events.tsv" -d "$T/run_$name" "$T/run_sheet.tsv" || { bad "run $name"; return; }
    "$VW" call --quiet "$@" --sheet "$T/run_sheet.tsv" -e "$T/events.tsv" --output-prefix "$T/call_$name" \
        "$T/run_$name/counts/S1.vafwatch.counts.tsv" || { bad "call $name"; return; }
    local got
    got=$(det "$T/run_$name/vafwatch.calls.tsv")
    if [ "$got" = "$want" ] && cmp -s <(body "$T/run_$name/vafwatch.calls.tsv") <(body "$T/call_$name.vafwatch.calls.tsv"); then
        ok "run $name: T790M detected=$got (q $(qv "$T/run_$name/vafwatch.calls.tsv")), calls equal call's"
    else
        bad "run $name: detected=$got (want $want); calls differ from call's: $(diff <(body "$T/run_$name/vafwatch.calls.tsv") <(body "$T/call_$name.vafwatch.calls.tsv") | head -3)"
    fi
}
run_case events yes
run_case map no --therapy-map "$T/map.tsv"
run_case mab no --therapy cetuximab
if [ "$(qv "$T/run_events/vafwatch.calls.tsv")" = "$(qv "$T/tki")" ] && [ "$(qv "$T/run_map/vafwatch.calls.tsv")" = 0.9975 ]; then
    ok "run's q: 0.00175 x 58 / 17.4 under osimertinib (as call --therapy), 0.9975 under the user map"
else
    bad "run's q: $(qv "$T/run_events/vafwatch.calls.tsv") / $(qv "$T/run_map/vafwatch.calls.tsv")"
fi
"$VW" run --therapy drugX -e "$T/events.tsv" -d "$T/run_bad" "$T/run_sheet.tsv" 2> "$T/err"
rc=$?
if [ $rc = 2 ] && grep -q "'drugX' is neither a class nor a drug" "$T/err" && [ ! -e "$T/run_bad" ]; then
    ok "run --therapy drugX: usage error, nothing written"; else bad "run --therapy drugX: exit $rc"; fi
printf 'class\tkind\tvalue\nmine\tdrugg\tosimertinib\n' > "$T/badmap.tsv"
"$VW" run --therapy-map "$T/badmap.tsv" -e "$T/events.tsv" -d "$T/run_bad" "$T/run_sheet.tsv" 2> "$T/err"
rc=$?
if [ $rc = 1 ] && grep -q "badmap.tsv:2: column 'kind'" "$T/err" && [ ! -e "$T/run_bad" ]; then
    ok "run with a bad map: data error naming the file and line, nothing written"; else bad "bad map: exit $rc"; fi
finish
