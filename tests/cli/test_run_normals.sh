#!/usr/bin/env bash
# vafwatch run with the sheet's normal samples (a patient's white cells), without --model:
# a patient's own normals are a filter of its calls, never its background.
# Usage: test_run_normals.sh VAFWATCH
# Three patients, each with one normal and three plasma draws, as VCFs of AD counts at the
# 58 catalogue targets (5,000 fragments; 0-2 alt fragments a site, a fixed pattern).  P1's
# white cells and plasma carry KRAS G12D at 100 / 5,000 (2 %: clonal haematopoiesis).
# Expected:
#  - vafwatch.model.tsv: the cohort's panel of the three normals, as 'model build' on them;
#  - P1's calls equal 'call -m M' with M built by 'model build' on P2's and P3's normals only
#    (its own white cells left out of its background), bg_normals 2; the same for P2 (P1, P3);
#  - P1's KRAS G12D series is CH? (in its white cells, also at the baseline draw), not
#    pre-existing nor emerging; no lead time from it;
#  - with -m (P2's and P3's normals), the model is every patient's background, the normals
#    still filter; a panel holding P1's own white cells hides P1's CH (the reason for the above);
#  - a "patient" of normals only (a panel written into the sheet) keeps the cohort's panel.
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

"$VW" catalogue --build GRCh38 > cat.tsv || bad "catalogue"
python3 - <<'PY'
rows = [l.rstrip("\n").split("\t") for l in open("cat.tsv")]
head = [h.lstrip("#") for h in rows[0]]
length = {"1": 248956422, "7": 159345973, "12": 133275309, "15": 101991189, "17": 83257441}
recs = sorted((int(d["chrom"]), int(d["pos"]), d["ref"], d["alt"], d["id"])
              for d in (dict(zip(head, r)) for r in rows[1:]))
def vcf(name, ch):
    with open(name + ".vcf", "w") as f:
        f.write("##fileformat=VCFv4.2\n")
        f.writelines(f"##contig=<ID=chr{c},length={n}>\n" for c, n in length.items())
        f.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
                '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
                f"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t{name}\n")
        for k, (c, p, ref, alt, i) in enumerate(recs):
            x = (k * 7 + sum(map(ord, name))) % 3
            if ch and i.startswith("KRAS_G12D"):
                x = 100
            f.write(f"chr{c}\t{p}\t.\t{ref}\t{alt}\t.\tPASS\t.\tGT:AD:DP\t0/1:{5000 - x},{x}:5000\n")
sheet = ["patient\tsample\tdate\tfile\ttype"]
for p in ("P1", "P2", "P3"):
    vcf(p + "_N", p == "P1")
    sheet.append(f"{p}\t{p}_N\t2024-01-01\t{p}_N.vcf\tnormal")
    for j, d in enumerate(("2024-01-02", "2024-03-01", "2024-05-01")):
        vcf(f"{p}_d{j}", p == "P1")
        sheet.append(f"{p}\t{p}_d{j}\t{d}\t{p}_d{j}.vcf\tplasma")
open("sheet.tsv", "w").write("\n".join(sheet) + "\n")
open("events.tsv", "w").write("patient\tdate\tevent\tdetail\n" + "".join(
    f"{p}\t2024-01-02\ttreatment_start\tcetuximab\n" for p in ("P1", "P2", "P3")))
PY
"$VW" run --quiet -e events.tsv -d out sheet.tsv || bad "run"
C=out/counts
sites() { grep -v '^##' "$1"; }
"$VW" model build --quiet -o m123.tsv $C/P1_N.vafwatch.counts.tsv $C/P2_N.vafwatch.counts.tsv $C/P3_N.vafwatch.counts.tsv \
    || bad "model build"
if grep -q '^##n_normals=3' out/vafwatch.model.tsv && cmp -s <(sites m123.tsv) <(sites out/vafwatch.model.tsv); then
    ok "the cohort's panel: the three normals, as model build"; else bad "the cohort's panel"; fi
# patient P's calls against the panel of the two other patients' normals
same_as_call() { # PATIENT OTHER1 OTHER2
    "$VW" model build --quiet -o "m_$1.tsv" "$C/$2_N.vafwatch.counts.tsv" "$C/$3_N.vafwatch.counts.tsv" || return 1
    "$VW" call --quiet -m "m_$1.tsv" --sheet sheet.tsv -e events.tsv --output-prefix "c_$1" "$C/$1"_*.vafwatch.counts.tsv \
        || return 1
    [ "$(grep -c "^$1_" out/vafwatch.calls.tsv)" = 232 ] \
        && cmp -s <(grep -v '^#' "c_$1.vafwatch.calls.tsv" | sort) <(grep "^$1_" out/vafwatch.calls.tsv | sort) \
        && [ "$(awk -F'\t' -v p="^$1_" '$1 ~ p {print $28}' out/vafwatch.calls.tsv | sort -u)" = 2 ]
}
if same_as_call P1 P2 P3; then ok "P1's calls: the panel of P2's and P3's normals (bg_normals 2)"; else bad "P1's calls"; fi
if same_as_call P2 P1 P3; then ok "P2's calls: the panel of P1's and P3's normals"; else bad "P2's calls"; fi
st=$(awk -F'\t' '$1 == "P1" && $2 ~ /^KRAS_G12D/ {print $9}' out/vafwatch.track.tsv)
lt=$(awk -F'\t' '$1 == "P1" {print $2}' out/vafwatch.leadtime.tsv)
if [ "$st" = "CH?" ] && [ "$lt" = NA ]; then ok "P1's KRAS G12D (in its white cells): CH?, no first detection in the lead time"
else bad "P1's KRAS G12D: $st, lead-time first detection $lt"; fi
# with -m (a panel of unrelated normals: P2's and P3's): the model for every draw; the white cells still filter
"$VW" run --quiet -m m_P1.tsv -e events.tsv -d out_m sheet.tsv || bad "run -m"
st=$(awk -F'\t' '$1 == "P1" && $2 ~ /^KRAS_G12D/ {print $9}' out_m/vafwatch.track.tsv)
if [ "$(awk -F'\t' '!/^#/ {print $28}' out_m/vafwatch.calls.tsv | sort -u)" = 2 ] && [ "$st" = "CH?" ] \
    && [ ! -e out_m/vafwatch.model.tsv ]; then
    ok "run -m: the model for every draw (bg_normals 2), P1's G12D still CH?"; else bad "run -m: $st"; fi
# why: a panel holding P1's own white cells (all three normals, as run pooled them before) puts
# its CH into the site's background (mu ~ 100 / 15,000), and P1's G12D is then never detected
"$VW" run --quiet -m m123.tsv -e events.tsv -d out_all sheet.tsv || bad "run -m all"
st=$(awk -F'\t' '$1 == "P1" && $2 ~ /^KRAS_G12D/ {print $9}' out_all/vafwatch.track.tsv)
if [ "$st" = never ]; then ok "a panel with P1's own white cells hides its CH (never): the reason for the above"
else bad "pooled panel: $st"; fi
# a panel written into the sheet as a "patient" of normals only keeps the cohort's panel (its
# normals' calls: bg_normals 3, as the workflows' pooled model); P1 still leaves its own out
printf 'patient\tsample\tdate\tfile\ttype\nP1\tP1_N\t2024-01-01\tP1_N.vcf\tnormal\nP1\tP1_d0\t2024-01-02\tP1_d0.vcf\tplasma\nPON\tP2_N\t2024-01-01\tP2_N.vcf\tnormal\nPON\tP3_N\t2024-01-01\tP3_N.vcf\tnormal\n' > pon_sheet.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2024-01-02\ttreatment_start\tcetuximab\n' > pon_events.tsv
"$VW" run --quiet -e pon_events.tsv -d out_pon pon_sheet.tsv 2>/dev/null || bad "run with a panel in the sheet"
bgn() { awk -F'\t' -v s="$1" '$1 == s {print $28}' out_pon/vafwatch.calls.tsv | sort -u; }
if [ "$(bgn P2_N)" = 3 ] && [ "$(bgn P3_N)" = 3 ] && [ "$(bgn P1_d0)" = 2 ]; then
    ok "normals-only patient: the cohort's panel (bg_normals 3); P1: 2"; else bad "normals-only: $(bgn P2_N) $(bgn P1_d0)"; fi
finish
