#!/usr/bin/env bash
# End-to-end tests of the vafwatch binary: usage, exit codes, error messages,
# outputs never half-written.  Usage: test_cli.sh VAFWATCH SHARED_DATA_DIR
# Each check prints 'ok' or 'FAIL'; the last line is 'N passed, N failed'.
set -u
VW=$1
DATA=${2:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

# --- usage and dispatch -------------------------------------------------------
expect 0 "" -- "$VW" --help
stdout_has "^Usage: +vafwatch <command>" -- "$VW" help
expect 2 "" -- "$VW"
expect 2 "unknown command" -- "$VW" frobnicate
stdout_has "^vafwatch [0-9]" -- "$VW" --version
for cmd in catalogue count model call track leadtime cnv run; do
    stdout_has "^Usage: vafwatch $cmd" -- "$VW" "$cmd" --help
    stdout_has "^Usage: vafwatch $cmd" -- "$VW" help "$cmd"
    sub=; [ "$cmd" = model ] && sub=build
    expect 2 "Try 'vafwatch $cmd --help'" -- "$VW" "$cmd" $sub --no-such-option
done

# old spellings that changed meaning stop with a usage error (NEWS.md), never run
expect 2 "--json takes a FILE, not the option '--track'" -- "$VW" leadtime --json --track --sheet a -e b --output-prefix c d
expect 2 "--json takes a FILE, not the option '--sheet'" -- "$VW" call --json --sheet a --output-prefix c d
expect 2 "unrecognized option '--alpha'" -- "$VW" call --alpha 0.01 --output-prefix c d
expect 2 "invalid option -- 'O'" -- "$VW" report -O out --sheet a -e b c
expect 2 "invalid option -- 'o'" -- "$VW" track -o p --sheet a -e b c
expect 2 "option '--cnv' is ambiguous" -- "$VW" run --cnv -e b -d out a

# --- catalogue ----------------------------------------------------------------
stdout_has "^KRAS_G12D_c.35G>A.*	12	25398284	C	T	snv	-	yes	GRCh37" -- "$VW" catalogue --build GRCh37
stdout_has "^KRAS_G12D_c.35G>A.*	12	25245350	C	T	snv	-	yes	GRCh38" -- "$VW" catalogue --build GRCh38
stdout_has "^EGFR_S492R_c.1476C>A.*	no	GRCh37" -- "$VW" catalogue --build GRCh37
expect 1 "unknown genome build 'hg17'" -- "$VW" catalogue --build hg17
expect 2 "needs --targets" -- "$VW" catalogue --no-builtin
printf 'chrom\tpos\tref\nchr1\t5\tA\n' >"$T/bad.tsv"
expect 1 "bad.tsv:1: header lacks column 'alt'" -- "$VW" catalogue -T "$T/bad.tsv"
printf 'chrom\tpos\tref\talt\nchr1\tx5\tA\tC\n' >"$T/bad2.tsv"
expect 1 "bad2.tsv:2: column 'pos'" -- "$VW" catalogue -T "$T/bad2.tsv"
expect 1 "missing.tsv: cannot open" -- "$VW" catalogue -T "$T/missing.tsv"
printf '>sim1\nACGTACGTAC\n' >"$T/ref.fa"
printf 'chrom\tpos\tref\talt\nsim1\t3\tC\tA\n' >"$T/mis.tsv"
expect 1 "do not match the reference" -- "$VW" catalogue --no-builtin -T "$T/mis.tsv" -f "$T/ref.fa"

# --- count: bad inputs ----------------------------------------------------------
printf '@SQ\tSN:sim1\tLN:10\nr1\t0\tsim1\t1\t60\t4M\t*\t0\t0\tACGT\tIIII\n' >"$T/tiny.sam"
printf 'chrom\tpos\tref\talt\nsim1\t3\tG\tA\n' >"$T/t.tsv"
expect 0 "" -- "$VW" count --no-builtin -T "$T/t.tsv" --stream "$T/tiny.sam"
expect 1 "no index .* --stream" -- "$VW" count --no-builtin -T "$T/t.tsv" "$T/tiny.sam"
expect 1 "cannot tell the genome build" -- "$VW" count --stream "$T/tiny.sam"
expect 1 "nothere.bam: cannot open" -- "$VW" count --build GRCh37 "$T/nothere.bam"
printf 'chrom\tpos\tref\talt\nchrQ\t3\tG\tA\n' >"$T/q.tsv"
expect 1 "contig 'chrQ' of target .* not in the header" -- "$VW" count --no-builtin -T "$T/q.tsv" --stream "$T/tiny.sam"
expect 2 "count-unit" -- "$VW" count --count-unit umi --build GRCh37 "$T/tiny.sam"
# the molecule unit on reads without UMIs: a data error naming the read
expect 1 "tiny.sam: read r1 has no UMI" -- "$VW" count --no-builtin -T "$T/t.tsv" --count-unit molecule --stream "$T/tiny.sam"
expect 2 "one name per input file" -- "$VW" count --no-builtin -T "$T/t.tsv" -s a,b --stream "$T/tiny.sam"
expect 2 "one name per input file \(2\)" -- "$VW" count --no-builtin -T "$T/t.tsv" -s a --stream "$T/tiny.sam" "$T/tiny.sam"
if "$VW" count --no-builtin -T "$T/t.tsv" -s first,second --stream -o "$T/two.tsv" "$T/tiny.sam" "$T/tiny.sam" 2>/dev/null \
    && [ "$(grep -v '^#' "$T/two.tsv" | cut -f1 | sort -u | tr '\n' ' ')" = "first second " ]; then
    ok "count -s: one name per file, in order"; else ko "count -s first,second"; fi
expect 2 "min-MQ|-q takes" -- "$VW" count -q -1 --build GRCh37 "$T/tiny.sam"
# output is written atomically: a failed run leaves no file behind
expect 1 "" -- "$VW" count --no-builtin -T "$T/q.tsv" --stream -o "$T/never.tsv" "$T/tiny.sam"
if [ ! -e "$T/never.tsv" ] && [ -z "$(ls "$T" | grep never)" ]; then
    ok "no partial output after a failure"
else
    ko "a failed run left output behind"
fi
expect 1 "cannot write" -- "$VW" count --no-builtin -T "$T/t.tsv" --stream -o /nonexistent-dir/x.tsv "$T/tiny.sam"
# a header-less, not-a-BAM file
printf 'hello\n' >"$T/junk.bam"
expect 1 "junk.bam" -- "$VW" count --build GRCh37 --stream "$T/junk.bam"

if [ -n "$DATA" ] && [ -f "$DATA/reads/vardict/L861Q.bam" ]; then
    R=$DATA/reads/vardict
    # wrong build: GRCh38 targets on a GRCh37 BAM
    expect 1 "is GRCh37 .* targets are GRCh38" -- "$VW" count --build GRCh38 "$R/L861Q.bam"
    # a truncated BAM (first 20 kB of a real one) is an error, not a short count
    head -c 20000 "$R/L861Q.bam" >"$T/trunc.bam"
    cp "$R/L861Q.bam.bai" "$T/trunc.bam.bai"
    expect 1 "trunc.bam: (truncated or corrupt|the BGZF end-of-file marker is missing)" -- "$VW" count "$T/trunc.bam"
    expect 1 "trunc.bam: (truncated or corrupt|the BGZF end-of-file marker is missing)" -- "$VW" count --stream "$T/trunc.bam"
    # the same counts from the index and from a stream on standard input
    # (a stream has no index, hence no '#self_background' line)
    "$VW" count "$R/L861Q.bam" 2>/dev/null | grep -v '^#self_background' >"$T/a.tsv"
    "$VW" count --build GRCh37 - <"$R/L861Q.bam" | sed 's/^stdin/B1500741_422861A1_DNA/' >"$T/b.tsv" 2>/dev/null
    if cmp -s "$T/a.tsv" "$T/b.tsv"; then
        ok "index and stdin streaming give identical tables"
    else
        ko "index and streaming differ"; diff "$T/a.tsv" "$T/b.tsv" | head -5
    fi
    # L861Q at about 23 % (VarDict reports AF 0.2333); L858R wild type
    "$VW" count "$R/L861Q.bam" | awk -F'\t' '
        $6 == "EGFR_L861Q_c.2582T>A" { v = $12 / $10; if (v > 0.20 && v < 0.26) ok1 = 1 }
        $6 == "EGFR_L858R_c.2573T>G" { if ($10 > 400 && $12 <= 1) ok2 = 1 }
        END { exit !(ok1 && ok2) }' \
        && { ok "L861Q about 23 %, L858R wild type"; } \
        || { ko "L861Q/L858R expectations"; }
    # JSON output parses
    "$VW" count --json "$T/c.json" -o "$T/c.tsv" "$R/L861Q.bam" \
        && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["samples"][0]["targets"]' "$T/c.json" \
        && { ok "JSON output is valid"; } \
        || { ko "JSON output"; }
    # several files, in parallel, keep their order and match single runs
    "$VW" count -t 2 "$R/L861Q.bam" "$R/ArgumentNA_Tumor.bam" "$R/ArgumentNA_Normal.bam" >"$T/m.tsv"
    { "$VW" count "$R/L861Q.bam"; "$VW" count "$R/ArgumentNA_Tumor.bam" | tail -n +2;
      "$VW" count "$R/ArgumentNA_Normal.bam" | tail -n +2; } >"$T/s.tsv"
    # the self background lines come first, one per file, then the rows
    { head -1 "$T/s.tsv"; grep '^#self_background' "$T/s.tsv"; grep -v '^#' "$T/s.tsv"; } >"$T/s2.tsv"
    if [ "$(grep -c '^#self_background' "$T/m.tsv")" = 3 ] && cmp -s "$T/m.tsv" "$T/s2.tsv"; then
        ok "parallel multi-file run equals single runs"
    else
        ko "parallel multi-file run differs"
    fi
else
    echo "skip real-data checks: shared data not found"
fi

finish
