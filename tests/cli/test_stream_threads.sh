#!/usr/bin/env bash
# count streaming with a decoding thread (-t 2) and a BGZF thread (-t 3) gives the
# evidence table of one thread, byte for byte, on an Illumina-style BAM (vwsim
# read_style illumina: long names, varied qualities, 5 % duplicates), in
# fragments and in reads, with the first
# look at each read (filters, name hash) on either thread; and the streamed
# counts equal those read through the index (--no-self: streaming has no self
# background).
# Usage: test_stream_threads.sh VAFWATCH VWSIM WORKDIR
set -u
VW=$1 SIM=$2 W=$3
rm -rf "$W"
mkdir -p "$W" && cd "$W" || exit 1
pass=0 fail=0
same() { if cmp -s <(grep -v '^##' "$2") <(grep -v '^##' "$3"); then echo "ok   $1"; pass=$((pass + 1))
         else echo "FAIL $1"; diff "$2" "$3" | head -5; fail=$((fail + 1)); fi; }
{
    printf 'seed\t3\nsample\tTHR\nbuild\tcustom\ncontig\tc1\t9000\nread_length\t100\nfragments\t12000\n'
    printf 'dup_rate\t0.05\nread_style\tillumina\n'
    for w in 0 1 2; do
        b=$((1001 + w * 3000))
        printf 'window\tc1\t%d\t%d\n' $b $((b + 399))
        printf 'refseq\tc1\t%d\tA\nvariant\tc1\t%d\tA\tT\t0.05\n' $((b + 150)) $((b + 150))
        printf 'refseq\tc1\t%d\tC\nvariant\tc1\t%d\tC\tG\t0.01\n' $((b + 230)) $((b + 230))
    done
} >r.tsv
"$SIM" -r r.tsv -o s >/dev/null || { echo "FAIL vwsim"; exit 1; }
printf 'chrom\tpos\tref\talt\n' >t.tsv
awk '$1 == "variant" { print $2 "\t" $3 "\t" $4 "\t" $5 }' r.tsv >>t.tsv
C=(count --no-builtin -T t.tsv -q 20 -Q 20)
for unit in fragment read; do
    "$VW" "${C[@]}" --count-unit $unit --stream -o $unit.1.tsv s.bam
    "$VW" "${C[@]}" --count-unit $unit -t 2 -o $unit.2.tsv - <s.bam
    "$VW" "${C[@]}" --count-unit $unit -t 3 --stream -o $unit.3.tsv s.bam
    "$VW" "${C[@]}" --count-unit $unit --no-self -o $unit.i.tsv s.bam
    same "$unit: -t 1 vs -t 2 (standard input)" $unit.1.tsv $unit.2.tsv
    same "$unit: -t 1 vs -t 3 (--stream)" $unit.1.tsv $unit.3.tsv
    same "$unit: streamed vs through the index" $unit.1.tsv $unit.i.tsv
done
# the counts are not empty, and duplicates and bases under Q20 were dropped (depth < reads over the site)
d=$(awk -F'\t' '!/^#/ && NR > 1 { print $10; exit }' read.1.tsv)
n=$(samtools view -c s.bam c1:1151-1151 2>/dev/null || echo 0)
if [ "${d:-0}" -gt 1000 ] && { [ "$n" = 0 ] || [ "$d" -lt "$n" ]; }; then echo "ok   depth $d (reads over the site $n)"; pass=$((pass + 1))
else echo "FAIL depth '$d', reads over the site '$n'"; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
