#!/usr/bin/env bash
# End-to-end tests of vafwatch track and leadtime.
# Usage: test_track.sh VAFWATCH COHORT_DIR
#  - usage and exit codes; a calls sample missing from the sheet -> exit 1 naming it;
#  - the example cohort (testdata/cohort): the committed sheet, events and truth are
#    what make_cohort.py writes; on the synthetic calls table built from the truth,
#    every rule recovers every emergence date, last negative, status and lead time
#    of truth.tsv exactly.
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
COH=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT


for cmd in track leadtime; do
    if "$VW" $cmd --help | grep -q "^Usage: vafwatch $cmd"; then ok "$cmd --help"; else bad "$cmd --help"; fi
    if "$VW" help $cmd | grep -q "^Usage: vafwatch $cmd"; then ok "help $cmd"; else bad "help $cmd"; fi
    expect 2 "" -- "$VW" $cmd --no-such-option
    expect 2 "needs --sheet" -- "$VW" $cmd --output-prefix "$T/x"
    expect 2 "--rule takes" -- "$VW" $cmd --rule sometimes --sheet a -e b --output-prefix c d
done

python3 "$COH/make_cohort.py" --outdir "$T" --calls "$T/calls.tsv" || bad "make_cohort.py"
for f in cohort.tsv events.tsv truth.tsv; do
    if cmp -s "$T/$f" "$COH/$f"; then ok "committed $f is what make_cohort.py writes"; else bad "$f differs from make_cohort.py's"; fi
done

# a calls sample that the sheet lacks: exit 1, naming it
sed 's/^CRC01_d084\t/CRC99_d084\t/' "$T/calls.tsv" >"$T/calls_bad.tsv"
expect 1 "sample 'CRC99_d084'" -- "$VW" track --sheet "$T/cohort.tsv" -e "$T/events.tsv" --output-prefix "$T/bad" "$T/calls_bad.tsv"
if ls "$T"/bad.* >/dev/null 2>&1; then bad "outputs left behind after an error"; else ok "nothing written on error"; fi

for rule in consecutive strict cusum; do
    if ! "$VW" leadtime --rule $rule --track --json "$T/$rule.vafwatch.leadtime.json" --sheet "$T/cohort.tsv" -e "$T/events.tsv" --output-prefix "$T/$rule" "$T/calls.tsv" 2>"$T/err"; then
        bad "leadtime --rule $rule"; cat "$T/err"; continue
    fi
    python3 - "$T/truth.tsv" "$T/$rule.vafwatch.track.tsv" "$T/$rule.vafwatch.leadtime.tsv" "$T/$rule.vafwatch.cohort.tsv" <<'PY' && ok "truth recovered, rule $rule" || bad "truth not recovered, rule $rule"
import sys
def table(p):
    rows = [l.rstrip("\n").split("\t") for l in open(p)]
    return [dict(zip([h.lstrip("#") for h in rows[0]], r)) for r in rows[1:]]
truth, track, lead, cohort = (table(p) for p in sys.argv[1:5])
bad = 0
tr = {(r["patient"], r["target"]): r for r in track}
ld = {r["patient"]: r for r in lead}
for t in truth:
    if t["target"] != "NA":
        r = tr.get((t["patient"], t["target"]))
        got = r and (r["status"], r["first_detection"], r["last_negative"])
        want = (t["status"], t["first_detection"], t["last_negative"])
        if got != want:
            print("track", t["patient"], t["target"], got, "!=", want); bad = 1
    else: # no clone at all: every target of the patient is 'never'
        for (p, _), r in tr.items():
            if p == t["patient"] and r["status"] != "never":
                print("track", p, r["target"], r["status"], "!= never"); bad = 1
    l = ld[t["patient"]]
    want = (t["lead_time_days"], t["progression"], t["lead_status"])
    got = (l["lead_time_days"], l["progression"], l["status"])
    if got != want:
        print("leadtime", t["patient"], got, "!=", want); bad = 1
    if t["status"] == "emerging" and l["first_detection"] > t["first_detection"]:
        print("leadtime", t["patient"], "first detection after a clone's"); bad = 1
# Van Emburgh ordering: in CRC04 RAS before the EGFR ectodomain
if not tr[("CRC04", "KRAS_G12V_c.35G>T")]["first_detection"] < tr[("CRC04", "EGFR_S492R_c.1476C>A")]["first_detection"]:
    print("RAS not before ECD"); bad = 1
if cohort[-1]["group"] != "total" or cohort[-1]["patients"] != str(len(ld)):
    print("cohort table does not end with the total row"); bad = 1
sys.exit(bad)
PY
done
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/consecutive.vafwatch.leadtime.json"; then ok "JSON parses"; else bad "JSON"; fi
# CRC07: the clone doubles, then halves every 28 days after the antibody stops (36 ... 576
# fragments of 6,000, exactly); the fit subtracts the calls' background, 1e-4 x 6,000 = 0.6
# a draw, which these synthetic counts do not carry: the Poisson MLE of 36 * 2^k - 0.6 (a
# bisection on its profile score in Python) doubles and halves in 27.892 days
if awk -F'\t' '$1=="CRC07" && $9=="emerging" {exit !($25=="27.89" && $21=="27.89")}' "$T/consecutive.vafwatch.track.tsv"; then
    ok "CRC07 doubling time and half-life 27.89 days"; else bad "CRC07 doubling/half-life"; fi
# deterministic output
"$VW" track --sheet "$T/cohort.tsv" -e "$T/events.tsv" --output-prefix "$T/again" "$T/calls.tsv" 2>/dev/null
if cmp -s "$T/again.vafwatch.series.tsv" "$T/consecutive.vafwatch.series.tsv"; then ok "deterministic"; else bad "series differ between runs"; fi

# the cohort rule of possible CH (docs/tracking.md), by hand: KRAS G12D at 0.5 % (30 of 6,000)
# from the baseline draw in H1-H3 (low and flat: CH? in all three, recurrent_patients 2); the same
# variant from 0 to 1 % and 3 % in H4 (still emerging, recurrent_patients 3, and its lead time
# counted); with --ch-patients 4 the three are pre-existing again
python3 - "$T" <<'PY' || bad "cohort CH fixture"
import sys
t = sys.argv[1]
head = ("#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
        "\tdiscordant\talt_fwd\talt_rev\tvaf\tvaf_lo\tvaf_hi\tp_value\tq_value\tdetected\tlod95\tflags"
        "\tbackground\tbg_error\tcopies_per_ml\n")
# Wilson 95 % intervals of x / 6000 (by hand from the closed form)
ci = {0: ("0", "0.00064"), 30: ("0.0035", "0.0071"), 60: ("0.0078", "0.0129"), 180: ("0.026", "0.0346")}
with open(t + "/ch.cohort.tsv", "w") as fs, open(t + "/ch.events.tsv", "w") as fe, open(t + "/ch.calls.tsv", "w") as fc:
    fs.write("patient\tsample\tdate\tfile\ttype\n")
    fe.write("patient\tdate\tevent\tdetail\n")
    fc.write(head)
    for p in range(1, 5):
        fe.write(f"H{p}\t2023-01-01\ttreatment_start\tcetuximab\nH{p}\t2023-06-01\tprogression\tRECIST\n")
        for d, date in enumerate(("2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01")):
            s = f"H{p}_{d}"
            fs.write(f"H{p}\t{s}\t{date}\t{s}.bam\tplasma\n")
            x = 30 if p <= 3 else (0, 0, 60, 180)[d]
            lo, hi = ci[x]
            fc.write(f"{s}\t12\t25398284\tC\tT\tKRAS_G12D_c.35G>A\tKRAS\tp.G12D\t.\t6000\t{6000 - x}\t{x}\t0\t0"
                     f"\t{x // 2}\t{x - x // 2}\t{x / 6000:.6g}\t{lo}\t{hi}\t{1e-12 if x else 0.5}\t{1e-12 if x else 1}"
                     f"\t{'yes' if x else 'no'}\t0.0015\t.\tpon\t0.0001\tNA\n")
PY
if "$VW" leadtime --track --sheet "$T/ch.cohort.tsv" -e "$T/ch.events.tsv" --output-prefix "$T/ch" "$T/ch.calls.tsv" 2>"$T/err" &&
    awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 ~ /^H[123]$/ { n += $c["status"] == "CH?" && $c["recurrent_patients"] == 2 }
        $1 == "H4" { n += $c["status"] == "emerging" && $c["recurrent_patients"] == 3 && $c["first_detection"] == "2023-03-01" }
        END { exit n != 4 }' "$T/ch.vafwatch.track.tsv" &&
    awk -F'\t' '$1 == "H4" { h4 = $4 } $1 ~ /^H[123]$/ && $4 != "NA" { bad = 1 } END { exit !(h4 == 92 && !bad) }' "$T/ch.vafwatch.leadtime.tsv"; then
    ok "cohort rule: flat low from baseline in 3 patients -> CH? (no lead time), the emergence elsewhere kept"
else
    bad "cohort rule of possible CH"; cat "$T/err"
fi
"$VW" track --ch-patients 4 --sheet "$T/ch.cohort.tsv" -e "$T/ch.events.tsv" --output-prefix "$T/ch4" "$T/ch.calls.tsv" 2>/dev/null
if awk -F'\t' '$1 ~ /^H[123]$/ { n += $9 == "pre-existing" } END { exit n != 3 }' "$T/ch4.vafwatch.track.tsv"; then
    ok "--ch-patients 4: three carriers are not enough"
else
    bad "--ch-patients 4"
fi

finish
