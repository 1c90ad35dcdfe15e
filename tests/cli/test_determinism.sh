#!/usr/bin/env bash
# Determinism: the same inputs and options give byte-identical outputs,
# run after run, and whatever the thread count (-t 1 vs -t 2 vs -t 3, files
# counted in parallel or BGZF threads on one file).
# Usage: test_determinism.sh VAFWATCH [SHARED_DATA_DIR]
set -u
VW=$1
DATA=${2:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
FIX=${VWFIX:-}   # tests/tools/vwfix (meson sets it); samtools when unset
[ -n "$FIX" ] || { command -v samtools >/dev/null && FIX=samtools; } || { echo "no fixture writer"; exit 77; }
# three small BAMs with different seeds, a mutant at 1-based position 1000
python3 - "$T" <<'PY'
import random, sys
T = sys.argv[1]
seq = ''.join(random.Random(1).choice('ACGT') for _ in range(3000))
open(T + '/t.tsv', 'w').write('chrom\tpos\tref\talt\nsim1\t1000\t%s\t%s\nsim1\t1500\t%s\tN\n'
                             % (seq[999], 'A' if seq[999] != 'A' else 'C', seq[1499]))
for k in range(3):
    rng = random.Random(100 + k)
    recs = []
    for i in range(4000):
        b = rng.randrange(600, 1800); fl = rng.randrange(120, 320); e = b + fl - 100
        r = list(seq[b:b + 100]); m = list(seq[e:e + 100])
        if rng.random() < 0.1 * (k + 1):
            for s, arr in ((b, r), (e, m)):
                if s <= 999 < s + 100: arr[999 - s] = 'A' if seq[999] != 'A' else 'C'
        q = ''.join(chr(33 + rng.randrange(10, 40)) for _ in range(100))
        recs.append((b, 'f%d\t99\tsim1\t%d\t%d\t100M\t=\t%d\t%d\t%s\t%s' % (i, b + 1, rng.randrange(10, 61), e + 1, fl, ''.join(r), q)))
        recs.append((e, 'f%d\t147\tsim1\t%d\t60\t100M\t=\t%d\t%d\t%s\t%s' % (i, e + 1, b + 1, -fl, ''.join(m), q)))
    recs.sort()
    with open('%s/s%d.sam' % (T, k), 'w') as f:
        f.write('@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:3000\n@RG\tID:r\tSM:sample%d\n' % k)
        f.writelines(r + '\n' for _, r in recs)
PY
for k in 0 1 2; do "$FIX" view -b -o "$T/s$k.bam" "$T/s$k.sam" && "$FIX" index "$T/s$k.bam"; done
B=("$T/s0.bam" "$T/s1.bam" "$T/s2.bam")
same() { # same LABEL FILE1 FILE2
    if cmp -s "$2" "$3"; then echo "ok   $1"; pass=$((pass + 1))
    else echo "FAIL $1"; diff "$2" "$3" | head -5; fail=$((fail + 1)); fi
}
C=(count --no-builtin -T "$T/t.tsv")
# the JSON carries the command line: run both in look-alike directories
VWA=$(cd "$(dirname "$VW")" && pwd)/$(basename "$VW")
mkdir -p "$T/run1" "$T/run2"
for r in run1 run2; do
    (cd "$T/$r" && "$VWA" count --no-builtin -T ../t.tsv -o a.tsv --json a.json ../s0.bam ../s1.bam ../s2.bam)
done
same "two runs: identical TSV" "$T/run1/a.tsv" "$T/run2/a.tsv"
same "two runs: identical JSON" "$T/run1/a.json" "$T/run2/a.json"
"$VW" "${C[@]}" -o "$T/a1.tsv" "${B[@]}"
same "absolute vs relative paths: identical TSV" "$T/a1.tsv" "$T/run1/a.tsv"
"$VW" "${C[@]}" -t 2 -o "$T/b.tsv" "${B[@]}"
"$VW" "${C[@]}" -t 3 -o "$T/c.tsv" "${B[@]}"
same "-t 1 vs -t 2 over three files" "$T/a1.tsv" "$T/b.tsv"
same "-t 1 vs -t 3 over three files" "$T/a1.tsv" "$T/c.tsv"
"$VW" "${C[@]}" -t 1 -o "$T/d1.tsv" "${B[0]}"
"$VW" "${C[@]}" -t 4 -o "$T/d4.tsv" "${B[0]}"
same "one file: -t 1 vs -t 4 (BGZF threads)" "$T/d1.tsv" "$T/d4.tsv"
# the self background needs the index (a second pass); streaming has no
# #self_background line, so compare the counts without it
"$VW" "${C[@]}" --no-self -o "$T/a0.tsv" "${B[@]}"
"$VW" "${C[@]}" --stream -o "$T/e.tsv" "${B[@]}"
same "index vs --stream (counts)" "$T/a0.tsv" "$T/e.tsv"
for t in 2 3; do # streaming one file: a decoding thread (and -t 3: one BGZF thread)
    "$VW" "${C[@]}" --stream -t $t -o "$T/e$t.tsv" "${B[0]}"
    "$VW" "${C[@]}" --stream -o "$T/e1.tsv" "${B[0]}"
    same "one file streamed: -t 1 vs -t $t" "$T/e1.tsv" "$T/e$t.tsv"
done
"$VW" "${C[@]}" -o "$T/f.tsv" "${B[2]}" "${B[0]}" "${B[1]}"
sort "$T/a1.tsv" >"$T/a1.s"; sort "$T/f.tsv" >"$T/f.s"
same "input order changes only the row order" "$T/a1.s" "$T/f.s"
if [ -n "$DATA" ] && [ -f "$DATA/reads/vardict/L861Q.bam" ]; then
    R=("$DATA/reads/vardict/L861Q.bam" "$DATA/reads/vardict/ArgumentNA_Tumor.bam" "$DATA/reads/vardict/ArgumentNA_Normal.bam")
    "$VW" count -t 1 -o "$T/r1.tsv" "${R[@]}" 2>/dev/null
    "$VW" count -t 2 -o "$T/r2.tsv" "${R[@]}" 2>/dev/null
    "$VW" count -t 2 -o "$T/r3.tsv" "${R[@]}" 2>/dev/null
    same "real BAMs: -t 1 vs -t 2" "$T/r1.tsv" "$T/r2.tsv"
    same "real BAMs: -t 2 twice" "$T/r2.tsv" "$T/r3.tsv"
else
    echo "skip real-data checks: shared data not found"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
