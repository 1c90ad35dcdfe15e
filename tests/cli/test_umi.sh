#!/usr/bin/env bash
# vafwatch count --count-unit molecule against the UMI simulator's truth:
#  1. no errors: molecules, ALT molecules, duplex molecules, families >= 3
#     and fragments equal the truth exactly (duplex RX UMIs, through the
#     index, streaming, and streaming with a decoding thread; simplex UMIs
#     in the read name);
#  2. with sequencing, PCR, damage and UMI errors: the background at the
#     sites (no true variant) falls >= 10x for single-strand families >= 3
#     and >= 100x for duplex molecules against fragment counting;
#  3. bad input: reads without a UMI (some, all), UMIs of another length, a
#     duplex UMI without its separator, --molecules without molecules;
#  4. consensus reads (fgbio cD/aD/bD and per-base ad/bd), counted by hand;
#  5. model build fits every evidence class into one file (each class's totals = its counts);
#     call takes the sample's class (or --class) and names it; an older one-class model still loads;
#  6. vafwatch run in molecules (cache, no self background, the class in the report).
# Usage: test_umi.sh VAFWATCH VWSIM_UMI WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 SIM=$2 W=$3
mkdir -p "$W"
ok() { pass=$((pass + 1)); }

# -- 1. exact truth without errors ------------------------------------------
# truth: id pos ref alt molecules alt_molecules duplex_molecules duplex_alt family3_molecules family3_alt fragments
# molecule table: sample chrom pos ref alt id min_family fragments molecules family_median singleton_share
#                 below_min_family no_consensus mol_ref mol_alt mol_other duplex_ref duplex_alt duplex_other
check_truth() { # prefix label min_family [count args...]
    local p=$1 label=$2 mf=$3
    shift 3
    if ! "$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --min-family "$mf" \
        --molecules "$p.$label.mol.tsv" "$@" >"$p.$label.tsv" 2>"$p.err"; then
        bad "$label: vafwatch failed: $(head -1 "$p.err")"; return
    fi
    if awk -F'\t' -v mf="$mf" '
        FNR == NR { if ($0 !~ /^#/) t[$2] = $0; next }
        /^#/ { next }
        {
            split(t[$3], x, "\t")
            mol = mf >= 3 ? x[9] : x[5]; alt = mf >= 3 ? x[10] : x[6]
            want = "fragments " x[11] " molecules " x[5] " used " mol " alt " alt
            got = "fragments " $8 " molecules " $9 " used " ($14 + $15) " alt " $15
            # (the truth has duplex counts over all molecules, not over families >= 3)
            if (mf < 3) { want = want " duplex " x[7] " duplex_alt " x[8]; got = got " duplex " ($17 + $18) " duplex_alt " $18 }
            if (want != got || $13 != 0 || $16 != 0) { print "  site " $6 ": want " want ", got " got; bad++ }
            n++
        }
        END { exit !(n > 0 && bad == 0) }' "$p.truth.tsv" "$p.$label.mol.tsv"; then
        ok
    else
        bad "$label: molecule counts differ from the truth"
    fi
}
p=$W/exact
"$SIM" -o "$p" --sites 3 --molecules 400 --vaf 0.1 --duplex 0.5 --seed 11 || bad "vwsim_umi exact"
check_truth "$p" index 1 "$p.bam"
check_truth "$p" stream 1 --stream "$p.bam"
check_truth "$p" stream2 1 --stream -t 2 "$p.bam"
check_truth "$p" fam3 3 "$p.bam"
# the evidence table counts the same molecules (depth = molecules, alt = ALT molecules)
if awk -F'\t' 'FNR == NR { if ($0 !~ /^#/) t[$2] = $5 " " $6; next } /^#/ { next }
        { if (t[$3] != $10 " " $12) bad++; n++ } END { exit !(n == 3 && bad == 0) }' "$p.truth.tsv" "$p.index.tsv"
then ok; else bad "evidence table depth/alt differ from the molecule truth"; fi
grep -q '^#count_unit	SIMUMI	molecule	1	0$' "$p.index.tsv" && ok || bad "no #count_unit line"
# the JSON holds the molecule table's numbers
"$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --json "$p.json" "$p.bam" >/dev/null
python3 - "$p.json" "$p.index.mol.tsv" <<'PY' && ok || bad "JSON molecules differ from the molecule table"
import json, sys
d = json.load(open(sys.argv[1]))
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if not l.startswith("#")]
keys = ["fragments", "molecules", "family_median", "singleton_share", "below_min_family", "no_consensus",
        "mol_ref", "mol_alt", "mol_other", "duplex_ref", "duplex_alt", "duplex_other"]
ts = d["samples"][0]["targets"]
assert len(ts) == len(rows) == 3
for t, r in zip(ts, rows):
    m = t["molecules"]
    got = [str(m[k]) if k != "singleton_share" else "%.4f" % m[k] for k in keys]
    assert got == r[7:], (got, r[7:])
PY
p=$W/name
"$SIM" -o "$p" --sites 2 --molecules 300 --vaf 0.2 --simplex --umi-in-name --seed 12 || bad "vwsim_umi name"
check_truth "$p" name 1 "$p.bam"
check_truth "$p" name_explicit 1 --umi name "$p.bam"

# -- 2. background reduction with errors ------------------------------------
E=(--seq-error 0.005 --pcr-error 0.0002 --damage 0.0001 --umi-error 0.01 --family-mean 4)
rate() { awk -F'\t' '!/^#/ { d += $10; e += $12 + $13 } END { if (d == 0) print "NA 0 0"; else print e / d, e, d }'; }
"$SIM" -o "$W/bs" --simplex --sites 4 --molecules 5000 "${E[@]}" --seed 5 || bad "vwsim_umi bs"
"$SIM" -o "$W/bd" --duplex 1 --sites 4 --molecules 5000 "${E[@]}" --seed 6 || bad "vwsim_umi bd"
read -r f_s fe_s fd_s < <("$VW" count --no-builtin -T "$W/bs.targets.tsv" "$W/bs.bam" | rate)
read -r m_s me_s md_s < <("$VW" count --no-builtin -T "$W/bs.targets.tsv" --count-unit molecule --min-family 3 "$W/bs.bam" | rate)
read -r f_d fe_d fd_d < <("$VW" count --no-builtin -T "$W/bd.targets.tsv" "$W/bd.bam" | rate)
read -r m_d me_d md_d < <("$VW" count --no-builtin -T "$W/bd.targets.tsv" --count-unit molecule --duplex-only "$W/bd.bam" | rate)
echo "background: fragments $f_s ($fe_s/$fd_s), single-strand families >= 3: $m_s ($me_s/$md_s)"
echo "background: fragments $f_d ($fe_d/$fd_d), duplex molecules: $m_d ($me_d/$md_d)"
awk -v f="$f_s" -v m="$m_s" -v d="$md_s" 'BEGIN { exit !(d > 5000 && f > 0 && m * 10 <= f) }' && ok \
    || bad "families >= 3: background $m_s is not 10x below fragments $f_s"
awk -v f="$f_d" -v m="$m_d" -v d="$md_d" 'BEGIN { exit !(d > 10000 && f > 0 && m * 100 <= f) }' && ok \
    || bad "duplex: background $m_d is not 100x below fragments $f_d"

# -- 3. bad input -------------------------------------------------------------
p=$W/exact
samtools view -h "$p.bam" >"$W/all.sam" || bad "samtools view"
# (a) a third of the reads lose their RX tag: skipped with a count, exit 0
awk -F'\t' '/^@/ { print; next } { r++; l = $1; for (i = 2; i <= NF; i++) if (r % 3 || $i !~ /^RX:/) l = l "\t" $i; print l }' \
    "$W/all.sam" >"$W/partial.sam"
if "$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --stream "$W/partial.sam" >/dev/null 2>"$W/partial.err" \
    && grep -q 'reads at the targets have no UMI (no RX tag); skipped' "$W/partial.err"; then ok
else bad "partial RX tags: $(cat "$W/partial.err")"; fi
# (b) no UMI anywhere (auto): error exit 1 naming the read
awk -F'\t' -v OFS='\t' '/^@/ { print; next } { NF = 11; print }' "$W/all.sam" >"$W/none.sam"
"$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --stream "$W/none.sam" >/dev/null 2>"$W/none.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'has no UMI: neither an RX tag nor one after' "$W/none.err" && ok \
    || bad "no UMI: exit $rc, $(cat "$W/none.err")"
# (c) --umi tag on reads without tags: every read skipped -> error
"$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --umi tag --stream "$W/none.sam" >/dev/null 2>"$W/none2.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'none of the .* reads at the targets has a usable UMI' "$W/none2.err" && ok \
    || bad "--umi tag without tags: exit $rc, $(cat "$W/none2.err")"
# (d) UMIs of another length (one base cut from every 5th record) and duplex UMIs without
#     their separator (every 7th): a warning each, exit 0
awk -F'\t' -v OFS='\t' '/^@/ { print; next } { r++; for (i = 12; i <= NF; i++) if ($i ~ /^RX:Z:/) {
        if (r % 7 == 0) sub(/-/, "", $i); else if (r % 5 == 0) $i = substr($i, 1, length($i) - 1) } print }' \
    "$W/all.sam" >"$W/mixed.sam"
if "$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --stream "$W/mixed.sam" >/dev/null 2>"$W/mixed.err" \
    && grep -q 'a UMI of another length than the first (16)' "$W/mixed.err" \
    && grep -q 'a UMI without the duplex separator' "$W/mixed.err"; then ok
else bad "mixed UMIs: $(cat "$W/mixed.err")"; fi
# (f) duplicate-flagged copies (every second record): skipped by default, with a warning
awk -F'\t' -v OFS='\t' '/^@/ { print; next } { r++; if (r % 2 == 0) $2 = $2 + 1024; print }' "$W/all.sam" >"$W/dup.sam"
if "$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --stream "$W/dup.sam" >/dev/null 2>"$W/dup.err" \
    && grep -q 'duplicate-flagged reads were skipped, but in the molecule unit' "$W/dup.err"; then ok
else bad "duplicate-flagged reads: $(cat "$W/dup.err")"; fi
# (e) usage errors
"$VW" count --no-builtin -T "$p.targets.tsv" --molecules "$W/x.tsv" "$p.bam" >/dev/null 2>"$W/u.err"
rc=$?
[ $rc -eq 2 ] && grep -q -- '--molecules needs --count-unit molecule' "$W/u.err" && [ ! -e "$W/x.tsv" ] && ok \
    || bad "--molecules without molecules: exit $rc"
"$VW" count --count-unit molecule --umi header "$p.bam" >/dev/null 2>"$W/u.err"
[ $? -eq 2 ] && grep -q -- "--umi takes 'auto', 'tag' or 'name'" "$W/u.err" && ok || bad "--umi header"
"$VW" count --count-unit molecule --min-agree 0.5 "$p.bam" >/dev/null 2>"$W/u.err"
[ $? -eq 2 ] && ok || bad "--min-agree 0.5"
"$VW" count --no-builtin -T "$p.targets.tsv" --count-unit molecule --molecules - "$p.bam" >/dev/null 2>"$W/u.err"
[ $? -eq 2 ] && grep -q 'standard output already holds another table' "$W/u.err" && ok || bad "--molecules - with -o -"

# -- 4. consensus reads (cD/aD/bD, per-base ad/bd) ---------------------------
# Hand count at sim1:20 A>C (read base 6 of reads at 15): c1 duplex ALT (cD 5, aD 3, bD 2);
# c2 single-strand ALT (cD 4, bD 0); c3 REF, a singleton (cD 1); c4 REF (cD 6, aD 3, bD 3,
# but bd is 0 at the site: not duplex there); c5 mates disagree (cD 3): no consensus.
# Families 5, fragments 5+4+1+6+3 = 19, sizes 1 3 4 5 6: median 4, singleton share 0.2.
S=$'\t'
{
    printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:200\n@RG\tID:a\tSM:cons\n'
    R="60${S}10M"
    printf 'c1\t99\tsim1\t15\t%s\t=\t25\t20\tAAAAACAAAA\tIIIIIIIIII\tcD:i:5\taD:i:3\tbD:i:2\n' "$R"
    printf 'c2\t99\tsim1\t15\t%s\t=\t25\t20\tAAAAACAAAA\tIIIIIIIIII\tcD:i:4\taD:i:4\tbD:i:0\n' "$R"
    printf 'c3\t0\tsim1\t15\t%s\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII\tcD:i:1\n' "$R"
    printf 'c4\t0\tsim1\t15\t%s\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII\tcD:i:6\taD:i:3\tbD:i:3\tad:B:s,3,3,3,3,3,3,3,3,3,3\tbd:B:s,3,3,3,3,3,0,3,3,3,3\n' "$R"
    printf 'c5\t99\tsim1\t15\t%s\t=\t18\t13\tAAAAACAAAA\tIIIIIIIIII\tcD:i:3\n' "$R"
    printf 'c5\t147\tsim1\t18\t%s\t=\t15\t-13\tAAAAAAAAAA\tIIIIIIIIII\tcD:i:3\n' "$R"
    printf 'c1\t147\tsim1\t25\t%s\t=\t15\t-20\tAAAAAAAAAA\tIIIIIIIIII\tcD:i:5\taD:i:3\tbD:i:2\n' "$R"
    printf 'c2\t147\tsim1\t25\t%s\t=\t15\t-20\tAAAAAAAAAA\tIIIIIIIIII\tcD:i:4\taD:i:4\tbD:i:0\n' "$R"
} >"$W/cons.sam"
printf 'chrom\tpos\tref\talt\tid\nsim1\t20\tA\tC\tt1\n' >"$W/cons.targets.tsv"
cons() { # label want_molecule_row want_evidence_counts args...
    local label=$1 wm=$2 we=$3
    shift 3
    "$VW" count --no-builtin -T "$W/cons.targets.tsv" --count-unit molecule --stream --molecules "$W/cons.$label.mol" \
        "$@" "$W/cons.sam" >"$W/cons.$label.tsv" 2>"$W/cons.err" || { bad "consensus $label: $(cat "$W/cons.err")"; return; }
    local gm ge
    gm=$(grep -v '^#' "$W/cons.$label.mol" | cut -f7-)
    ge=$(grep -v '^#' "$W/cons.$label.tsv" | cut -f10-14)
    [ "$gm" = "$wm" ] && [ "$ge" = "$we" ] && ok || bad "consensus $label: got '$gm' / '$ge', want '$wm' / '$we'"
}
cons all "1${S}19${S}5${S}4${S}0.2000${S}0${S}1${S}2${S}2${S}0${S}0${S}1${S}0" "4${S}2${S}2${S}0${S}1"
cons duplex "1${S}19${S}5${S}4${S}0.2000${S}0${S}1${S}2${S}2${S}0${S}0${S}1${S}0" "1${S}0${S}1${S}0${S}1" --duplex-only
cons fam2 "2${S}19${S}5${S}4${S}0.2000${S}1${S}1${S}1${S}2${S}0${S}0${S}1${S}0" "3${S}1${S}2${S}0${S}1" --min-family 2

# -- 5. backgrounds per evidence class: one model file holds every class; call picks the sample's --
# normals with duplex UMIs (half the molecules with both strands), families of 1 + geometric (mean 2)
for i in 1 2 3; do "$SIM" -o "$W/n$i" --sites 2 --molecules 300 --vaf 0 --duplex 0.5 --family-mean 2 --seq-error 0.02 \
    --seed $((40 + i)) --sample "N$i" >/dev/null; done
NB=("$W/n1.bam" "$W/n2.bam" "$W/n3.bam")
"$VW" model build --no-builtin -T "$W/n1.targets.tsv" --count-unit molecule --min-family 2 --min-normal-depth 0 \
    -o "$W/pon.tsv" "${NB[@]}" 2>/dev/null || bad "model build --count-unit molecule"
grep -q '^##options=.*count_unit=molecule.*;min_family=2;duplex_only=0$' "$W/pon.tsv" && ok || bad "model class line"
# the classes: the options' own (families >= 2), then all molecules, families >= 3 and duplex
[ "$(awk -F'\t' '!/^#/ && !s[$12]++ { printf "%s ", $12 }' "$W/pon.tsv")" = "molecule_f2 molecule molecule_f3 duplex " ] \
    && ok || bad "model classes: $(awk -F'\t' '!/^#/ { printf "%s ", $12 }' "$W/pon.tsv")"
# each class's totals are the sums of the normals counted in that class by 'count' (an independent path),
# over the normals the fit keeps (VAF <= 0.1: each simulated normal has its own reference, so one of them
# shows the ALT of another's site in every molecule)
for c in "molecule_f2:--min-family 2" "molecule:" "molecule_f3:--min-family 3" "duplex:--duplex-only"; do
    cls=${c%%:*}
    # shellcheck disable=SC2086
    for b in "${NB[@]}"; do "$VW" count --no-builtin -T "$W/n1.targets.tsv" --count-unit molecule ${c#*:} "$b"; done \
        >"$W/n.$cls.tsv" 2>/dev/null
    want=$(awk -F'\t' '!/^#/ && $12 <= 0.1 * $10 { d[$6] += $10; a[$6] += $12 } END { for (k in d) print k, d[k], a[k] }' "$W/n.$cls.tsv" | sort)
    got=$(awk -F'\t' -v c="$cls" '!/^#/ && $12 == c { print $5, $7, $8 }' "$W/pon.tsv" | sort)
    [ -n "$want" ] && [ "$want" = "$got" ] && ok || bad "model class $cls: totals '$got', counted '$want'"
done
# the classes differ (families >= 3 and duplex molecules are fewer than all molecules)
awk -F'\t' '!/^#/ && $5 == "site1" { d[$12] = $7 } END { exit !(d["molecule_f3"] < d["molecule"] && d["duplex"] < d["molecule"]) }' \
    "$W/pon.tsv" && ok || bad "model classes with the same depth"
mu() { awk -F'\t' -v c="$1" -v id="$2" '!/^#/ && $12 == c && $5 == id { print $9 }' "$W/pon.tsv"; }
# call: the class of the evidence (tables, BAM) picks its rows; the class column, VCF EC and JSON say it
"$VW" count --no-builtin -T "$W/n1.targets.tsv" --count-unit molecule --duplex-only "$W/n1.bam" >"$W/n1.dx.tsv"
"$VW" call -m "$W/pon.tsv" --output-prefix "$W/c1" --json "$W/c1.json" "$W/n1.dx.tsv" 2>"$W/c1.err" \
    && ! grep -q 'does not match' "$W/c1.err" && ok || bad "call on a duplex table: $(head -1 "$W/c1.err")"
awk -F'\t' -v m1="$(mu duplex site1)" -v m2="$(mu duplex site2)" '!/^#/ { n++; want = $6 == "site1" ? m1 : m2
        if ($29 == "duplex" && $25 == "pon" && $26 + 0 > 0 && ($26 - want) / want < 1e-3 && (want - $26) / want < 1e-3) k++ }
    END { exit !(n == 2 && k == 2) }' "$W/c1.vafwatch.calls.tsv" && ok || bad "duplex calls: not the duplex background"
[ "$(head -1 "$W/c1.vafwatch.calls.tsv" | awk -F'\t' '{ print $29 }')" = class ] && ok || bad "no class column"
zcat "$W/c1.vafwatch.calls.vcf.gz" | grep -q '^##FORMAT=<ID=EC,' && [ "$(zcat "$W/c1.vafwatch.calls.vcf.gz" | grep -v '^#' \
    | awk -F'\t' '{ split($9, k, ":"); split($10, v, ":"); for (i in k) if (k[i] == "EC") print v[i] }' | sort -u)" = duplex ] \
    && ok || bad "VCF FORMAT EC"
grep -q '"class": "duplex"' "$W/c1.json" && ok || bad "JSON class"
"$VW" call -m "$W/pon.tsv" --output-prefix "$W/c2" --no-builtin -T "$W/n1.targets.tsv" --count-unit molecule --min-family 2 \
    "$W/n1.bam" 2>"$W/c2.err" && ! grep -q 'does not match' "$W/c2.err" \
    && awk -F'\t' '!/^#/ { n++; k += $29 == "molecule_f2" } END { exit !(n == 2 && k == 2) }' "$W/c2.vafwatch.calls.tsv" \
    && ok || bad "call: a BAM in families >= 2 on its class"
# a class the model does not hold: an error naming the classes, exit 1, nothing written; --class chooses one
rm -f "$W/c3".*
"$VW" call -m "$W/pon.tsv" --output-prefix "$W/c3" --no-builtin -T "$W/n1.targets.tsv" "$W/n1.bam" 2>"$W/c3.err"
[ $? = 1 ] && grep -q "pon.tsv: the model has no background of evidence class fragment (sample N1); it holds: molecule_f2, molecule, molecule_f3, duplex (count the sample in one of them, or choose one with call --class)" "$W/c3.err" \
    && [ ! -e "$W/c3.vafwatch.calls.tsv" ] && ok || bad "call: fragments on a molecule model: $(head -1 "$W/c3.err")"
"$VW" call -m "$W/pon.tsv" --class molecule --output-prefix "$W/c3" --no-builtin -T "$W/n1.targets.tsv" "$W/n1.bam" \
    2>"$W/c3.err" && grep -q 'sample N1 holds fragment counts; --class molecule takes the background of another class' "$W/c3.err" \
    && awk -F'\t' '!/^#/ { n++; k += $29 == "molecule" } END { exit !(n == 2 && k == 2) }' "$W/c3.vafwatch.calls.tsv" \
    && ok || bad "call --class molecule"
"$VW" call -m "$W/pon.tsv" --class duplex_fx --output-prefix "$W/c3" "$W/n1.dx.tsv" 2>/dev/null
[ $? = 2 ] && ok || bad "call --class duplex_fx: not a usage error"
# a one-class model file (no class column, as written before classes): loads, and call warns on a mismatch
awk -F'\t' -v OFS='\t' '/^##/ { print; next } /^#/ || $12 == "molecule_f2" { NF = 11; print }' "$W/pon.tsv" >"$W/pon1.tsv"
"$VW" call -m "$W/pon1.tsv" --output-prefix "$W/c5" "$W/n1.dx.tsv" 2>"$W/c5.err" \
    && grep -q 'holds duplex molecule (families >= 1) counts but the model .* was built from molecule (families >= 2) counts' "$W/c5.err" \
    && awk -F'\t' -v m1="$(mu molecule_f2 site1)" '!/^#/ && $6 == "site1" { exit !($29 == "duplex" && $25 == "pon" && ($26 - m1) / m1 < 1e-3 && (m1 - $26) / m1 < 1e-3) }' \
        "$W/c5.vafwatch.calls.tsv" && ok || bad "call on a one-class model: $(head -1 "$W/c5.err")"
# the calls table says which class each sample's calls rest on; no read-level self background for molecules
grep -q '^#evidence_class	N1	molecule (families >= 2)$' "$W/c2.vafwatch.calls.tsv" && ok || bad "no #evidence_class line"
"$VW" call --output-prefix "$W/c4" --no-builtin -T "$W/n1.targets.tsv" "$W/n1.bam" 2>/dev/null
! grep -q '^#evidence_class' "$W/c4.vafwatch.calls.tsv" && awk -F'\t' '!/^#/ { n++; k += $29 == "fragment" } END { exit !(n == 2 && k == 2) }' \
    "$W/c4.vafwatch.calls.tsv" && ok || bad "fragment calls: #evidence_class line or class column"
"$VW" call --output-prefix "$W/c4" --no-builtin -T "$W/n1.targets.tsv" --count-unit molecule "$W/n1.bam" 2>/dev/null
awk -F'\t' '!/^#/ { n++; if ($25 == "self") s++ } END { exit !(n == 2 && s == 0) }' "$W/c4.vafwatch.calls.tsv" && ok \
    || bad "call in molecules used a self background"

# -- 6. vafwatch run in molecules: counts cached without a self background, class in the report --
R=$W/run
mkdir -p "$R"
for i in 1 2; do "$SIM" -o "$R/d$i" --sites 2 --molecules 300 --vaf 0.02 --seq-error 0.005 --seed $((50 + i)) --sample "P1_d$i" >/dev/null; done
printf 'patient\tsample\tdate\tfile\ttype\nP1\tP1_d1\t2023-01-01\t%s\tplasma\nP1\tP1_d2\t2023-02-01\t%s\tplasma\n' \
    "$R/d1.bam" "$R/d2.bam" >"$R/sheet.tsv"
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\tx\nP1\t2023-03-01\tprogression\tPD\n' >"$R/events.tsv"
rm -rf "$R/out"
if "$VW" run --sheet "$R/sheet.tsv" -e "$R/events.tsv" -d "$R/out" --no-builtin -T "$R/d1.targets.tsv" --count-unit molecule \
    --min-family 2 >/dev/null 2>"$R/err" && ! grep -q self_background "$R"/out/counts/*.tsv \
    && grep -q 'count unit</th><td>molecule (families &gt;= 2)' "$R/out/report/index.html" \
    && "$VW" run --sheet "$R/sheet.tsv" -e "$R/events.tsv" -d "$R/out" --no-builtin -T "$R/d1.targets.tsv" \
        --count-unit molecule --min-family 2 --verbosity 3 2>&1 | grep -q '2 draws: 0 counted, 2 from the cache'; then ok
else bad "run --count-unit molecule: $(head -3 "$R/err")"; fi
# run -m with a model of several classes: the rows of the run's class; a class it lacks stops the run
"$VW" model build --no-builtin -T "$R/d1.targets.tsv" --count-unit molecule --min-normal-depth 0 -o "$R/pon.tsv" \
    "$R/d1.bam" "$R/d2.bam" 2>/dev/null || bad "model build for run"
rm -rf "$R/out2"
"$VW" run --sheet "$R/sheet.tsv" -e "$R/events.tsv" -d "$R/out2" --no-builtin -T "$R/d1.targets.tsv" -m "$R/pon.tsv" \
    >/dev/null 2>"$R/err2"
[ $? = 1 ] && grep -q -- '--model: the model has no background of evidence class fragment (sample P1_d1); it holds: molecule, molecule_f3, duplex' \
    "$R/err2" && [ ! -e "$R/out2/vafwatch.calls.tsv" ] && ok || bad "run: fragments on a molecule model: $(head -1 "$R/err2")"
"$VW" run --sheet "$R/sheet.tsv" -e "$R/events.tsv" -d "$R/out2" --no-builtin -T "$R/d1.targets.tsv" -m "$R/pon.tsv" \
    --count-unit molecule --duplex-only >/dev/null 2>"$R/err2" \
    && awk -F'\t' '!/^#/ { n++; k += $29 == "duplex" && $25 == "pon" } END { exit !(n == 4 && k == 4) }' "$R/out2/vafwatch.calls.tsv" \
    && ok || bad "run --duplex-only on a model of several classes: $(head -1 "$R/err2")"
# the calls rest on the run's class, also when taken from the cache; the report labels them
awk -F'\t' '!/^#/ { n++; k += $29 == "molecule_f2" } END { exit !(n == 4 && k == 4) }' "$R/out/vafwatch.calls.tsv" \
    && [ "$(grep -c '<span class="evclass"[^>]*>molecule_f2</span>' "$R/out/report/patients/P1.html")" -ge 4 ] \
    && ok || bad "run: calls or report without the class molecule_f2"


finish
