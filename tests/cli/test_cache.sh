#!/usr/bin/env bash
# The count cache of 'vafwatch run' (DIR/counts/): a re-run takes every draw
# from it; a changed input is counted again even when its size and
# modification time are those of the old one (a same-size rewrite within a
# second, or a copy by cp -p); other counting options count again; a
# cached table cut at a line boundary (a kill while writing) is said and
# counted again; sample names that differ only in unsafe characters ('x/y'
# and 'x_y') get their own entries.  Inputs are small evidence VCFs, so the
# expected counts are the AD values written below.
# Usage: test_cache.sh VAFWATCH WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 W=$2
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1
vcf() { # vcf FILE SAMPLE REF_COUNT ALT_COUNT
    printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="d">\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t%s\nsim1\t1000\t.\tC\tT\t.\tPASS\t.\tAD:DP\t%s,%s:%s\n' \
        "$2" "$3" "$4" $(($3 + $4)) >"$1"
}
printf 'chrom\tpos\tref\talt\tid\nsim1\t1000\tC\tT\tT1\n' >t.tsv
vcf a.vcf A 80 20
vcf b.vcf B 90 10
vcf xy1.vcf X 70 30
vcf xy2.vcf X 60 40
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\ta.vcf\nP1\tS2\t2023-03-01\tb.vcf\nP2\tx/y\t2023-01-05\txy1.vcf\nP2\tx_y\t2023-03-01\txy2.vcf\n' >sheet.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\tx\nP2\t2023-01-01\ttreatment_start\tx\n' >events.tsv
run() { "$VW" run --verbosity 3 --no-builtin -T t.tsv -e events.tsv -d out "$@" sheet.tsv 2>err.txt; }
alt_of() { awk -F'\t' -v s="$1" '$1 == s { print $12 }' out/vafwatch.calls.tsv; }

run || { cat err.txt; ko "first run"; }
if [ "$(alt_of S1)" = 20 ] && [ "$(alt_of 'x/y')" = 30 ] && [ "$(alt_of x_y)" = 40 ]; then
    ok "first run: alt counts 20, 30, 40 as in the VCFs"
else
    ko "first run counts: S1 $(alt_of S1), x/y $(alt_of 'x/y'), x_y $(alt_of x_y)"
fi
n_entries=$(ls out/counts/*.vafwatch.counts.tsv | wc -l)
[ "$n_entries" -eq 4 ] && ok "one cache entry per sample ('x/y' and 'x_y' distinct): $(ls out/counts | tr '\n' ' ')" \
    || ko "$n_entries cache entries: $(ls out/counts | tr '\n' ' ')"
ls out/counts | grep -q '\.tmp' && ko "temporary files left in the cache"

run || ko "re-run"
grep -q "0 counted, 4 from the cache" err.txt && [ "$(alt_of 'x/y')" = 30 ] && [ "$(alt_of x_y)" = 40 ] \
    && ok "re-run: everything from the cache, each name its own counts" || { cat err.txt; ko "re-run"; }

# a same-size rewrite that keeps the modification time (within one second, or cp -p)
touch -r a.vcf stamp
vcf a.vcf A 20 80
touch -r stamp a.vcf
run || ko "run after the rewrite"
grep -q "1 counted, 3 from the cache" err.txt && [ "$(alt_of S1)" = 80 ] \
    && ok "a same-size rewrite with the old mtime is counted again (alt 80)" || { cat err.txt; ko "rewrite missed: alt $(alt_of S1)"; }
# a copy that keeps the modification time: cp -p of another file of the same size
vcf c.vcf B 10 90
touch -r b.vcf c.vcf
cp -p c.vcf b.vcf
run || ko "run after cp -p"
grep -q "1 counted, 3 from the cache" err.txt && [ "$(alt_of S2)" = 90 ] \
    && ok "cp -p of other content with the same size and mtime is counted again (alt 90)" || { cat err.txt; ko "cp -p missed"; }

# other counting options: everything again
run --count-unit read || ko "run --count-unit read"
grep -q "4 counted, 0 from the cache" err.txt && ok "another counting option counts every draw again" \
    || { cat err.txt; ko "options not in the key"; }
run || ko "run"

# a cached table cut at a line boundary: warned, counted again, same result
e=$(grep -l $'^S1\t' out/counts/*.tsv)
head -n -1 "$e" >cut && cat cut >"$e"
run || ko "run after the cut"
if grep -q "1 counted, 3 from the cache" err.txt && grep -q "cached table incomplete" err.txt && [ "$(alt_of S1)" = 80 ]; then
    ok "a cache table without its trailer is said and counted again"
else
    cat err.txt; ko "cut cache table"
fi
# the trailer of another entry (key of one draw, table of another): a key mismatch, counted again
cp "$(grep -l $'^S2\t' out/counts/*.tsv)" "$e"
run || ko "run after the swap"
grep -q "1 counted, 3 from the cache" err.txt && [ "$(alt_of S1)" = 80 ] \
    && ok "another draw's entry under this name is counted again" || { cat err.txt; ko "swapped entry used"; }
finish
