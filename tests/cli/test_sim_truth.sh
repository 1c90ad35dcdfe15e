#!/usr/bin/env bash
# vafwatch count against the simulator's truth, exactly, fragment and read
# level, for every recipe in testdata/sim (SNVs at one site, MNV, a deletion
# placed at the far end of its repeat, an insertion, duplicates, edge cases),
# without and with sequencing errors, through the index and streaming
# (in one thread, and with -t 2: one thread decodes while the other counts).
# Usage: test_sim_truth.sh VAFWATCH VWSIM RECIPE_DIR WORKDIR
set -u
VW=$1 SIM=$2 RDIR=$3 W=$4
mkdir -p "$W"
pass=0 fail=0
for recipe in kras_small repeat_indel edge_cases; do
    for err in 0 0.01; do
        for mode in index stream stream2; do
            p=$W/$recipe.e$err
            if [ ! -s "$p.truth.tsv" ]; then
                "$SIM" -r "$RDIR/$recipe.recipe.tsv" -o "$p" --error-rate "$err" >/dev/null 2>&1 \
                    || { echo "FAIL vwsim $recipe"; fail=$((fail + 1)); continue; }
            fi
            awk 'BEGIN { OFS = "\t"; print "chrom", "pos", "ref", "alt" } !/^#/ { print $1, $2, $3, $4 }' \
                "$p.truth.tsv" >"$p.targets.tsv"
            ref=()
            [ -f "$p.fa" ] && ref=(-f "$p.fa")
            src=("$p.bam")
            [ "$mode" = stream ] && src=(--stream "$p.bam")
            [ "$mode" = stream2 ] && src=(--stream -t 2 "$p.bam") # a decoding thread
            for unit in fragment read; do
                if ! "$VW" count --no-builtin -T "$p.targets.tsv" "${ref[@]}" -q 0 -Q 0 --count-unit "$unit" \
                    "${src[@]}" >"$p.$unit.tsv" 2>"$p.err"; then
                    echo "FAIL $recipe err=$err $mode $unit: vafwatch failed: $(head -1 "$p.err")"
                    fail=$((fail + 1)); continue
                fi
                # truth: chrom pos ref alt fraction frag_depth frag_ref frag_alt frag_other frag_discordant
                #        read_depth read_ref read_alt read_other frag_alt_fwd frag_alt_rev
                if awk -F'\t' -v unit="$unit" '
                    FNR == NR { if ($0 !~ /^#/) t[$1 FS $2 FS $3 FS $4] = $0; next }
                    FNR == 1 || /^#/ { next }   # the header and #self_background lines
                    {
                        k = $2 FS $3 FS $4 FS $5
                        if (!(k in t)) { print "  no truth for " k; bad++; next }
                        split(t[k], x, "\t")
                        if (unit == "fragment")
                            want = x[6] " " x[7] " " x[8] " " x[9] " " x[10] " " x[15] " " x[16]
                        else
                            want = x[11] " " x[12] " " x[13] " " x[14] " 0"
                        got = (unit == "fragment") ? $10 " " $11 " " $12 " " $13 " " $14 " " $17 " " $18 \
                                                   : $10 " " $11 " " $12 " " $13 " " $14
                        n++
                        if (got != want) { print "  " k " vafwatch [" got "] truth [" want "]"; bad++ }
                    }
                    END { if (n == 0) { print "  no rows"; exit 1 } exit bad > 0 }' "$p.truth.tsv" "$p.$unit.tsv"
                then
                    echo "ok   $recipe err=$err $mode $unit: $(($(wc -l <"$p.$unit.tsv") - 1)) targets equal the truth"
                    pass=$((pass + 1))
                else
                    echo "FAIL $recipe err=$err $mode $unit"
                    fail=$((fail + 1))
                fi
            done
        done
    done
done
# the built-in catalogue on the GRCh37 recipe: KRAS G12D/G12V and EGFR T790M rows equal the truth
p=$W/kras_small.e0
"$VW" count "$p.bam" -q 0 -Q 0 >"$p.builtin.tsv" 2>/dev/null
if awk -F'\t' 'FNR == NR { if ($0 !~ /^#/) t[$1 FS $2 FS $3 FS $4] = $6 " " $7 " " $8; next }
    FNR > 1 && ($2 FS $3 FS $4 FS $5) in t { n++; if ($10 " " $11 " " $12 != t[$2 FS $3 FS $4 FS $5]) bad++ }
    END { exit !(n == 3 && bad == 0) }' "$p.truth.tsv" "$p.builtin.tsv"; then
    echo "ok   built-in catalogue (build told from the header) equals the truth at 3 hotspots"; pass=$((pass + 1))
else
    echo "FAIL built-in catalogue rows differ from the truth"; fail=$((fail + 1))
fi
# CRAM: the same counts as the BAM, with the reference given or embedded
p=$W/repeat_indel.e0.01
cp "$p.fa" "$W/gone.fa"
if samtools view -C -T "$W/gone.fa" -o "$p.cram" "$p.bam" 2>/dev/null && samtools index "$p.cram"; then
    rm -f "$W/gone.fa" "$W/gone.fa.fai"
    "$VW" count --no-builtin -T "$p.targets.tsv" -f "$p.fa" "$p.bam" >"$W/bam.tsv" 2>/dev/null
    "$VW" count --no-builtin -T "$p.targets.tsv" -f "$p.fa" "$p.cram" >"$W/cram.tsv" 2>/dev/null
    if [ -s "$W/cram.tsv" ] && cmp -s "$W/bam.tsv" "$W/cram.tsv"; then
        echo "ok   CRAM with --reference gives the BAM's counts"; pass=$((pass + 1))
    else
        echo "FAIL CRAM counts differ from BAM counts"; fail=$((fail + 1))
    fi
    # without the reference (and no other way to find it) decoding fails with a clear message
    if REF_PATH=/nonexistent REF_CACHE=/nonexistent "$VW" count --no-builtin -T "$p.targets.tsv" "$p.cram" \
        >/dev/null 2>"$W/cram.err"; then
        echo "FAIL CRAM without its reference did not fail"; fail=$((fail + 1))
    elif grep -q "give the reference it was compressed against" "$W/cram.err" && [ "$(wc -l <"$W/cram.err")" -le 2 ]; then
        echo "ok   CRAM without its reference: one clear error"; pass=$((pass + 1))
    else
        cat "$W/cram.err"; echo "FAIL CRAM without reference: unclear error"; fail=$((fail + 1))
    fi
fi
# samtools agreement on simulated BAMs with sequencing errors and duplicates
if command -v samtools >/dev/null; then
    if python3 "$(dirname "$0")/samtools_agree.py" "$VW" --min-BQ 13 "$W/kras_small.e0.01.bam" \
        "$W/repeat_indel.e0.01.bam" "$W/edge_cases.e0.01.bam" >"$W/agree.txt" 2>&1; then
        echo "ok   samtools agreement on simulated BAMs: $(tail -1 "$W/agree.txt")"; pass=$((pass + 1))
    else
        cat "$W/agree.txt"; echo "FAIL samtools agreement on simulated BAMs"; fail=$((fail + 1))
    fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
