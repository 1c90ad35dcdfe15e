# lib.sh -- the helpers every shell test of tests/cli shares.  Source it:
#   . "$(dirname "$0")/lib.sh"
# Each check prints 'ok   WHAT' or 'FAIL WHAT'; 'finish' prints the last line,
# 'N passed, N failed', and returns non-zero when a check failed.
pass=0
fail=0

ok() { echo "ok   $*"; pass=$((pass + 1)); }
ko() { echo "FAIL $*"; fail=$((fail + 1)); }
bad() { ko "$@"; }

# check_eq WHAT WANT GOT: the two strings are equal.
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1: got '$3', want '$2'"; fi; }

# check_run WHAT command...: the command succeeds (its output shown on failure).
check_run() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$what"; else ko "$what"; printf '%s\n' "$out" | sed 's/^/    /' | head -8; fi
}

# check_eval WHAT 'shell test': the test, evaluated, succeeds.
check_eval() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

# expect EXIT STDERR_REGEX -- command...: the command exits with EXIT and its
# standard error matches the regex (empty: anything); a data error (exit 1)
# says so in at most two lines.
expect() {
    local want=$1 re=$2 err got
    shift 3
    err=$(mktemp)
    "$@" >/dev/null 2>"$err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        ko "(exit $got, want $want): $*"; sed 's/^/    /' "$err" | head -5
    elif [ -n "$re" ] && ! grep -Eq -- "$re" "$err"; then
        ko "(stderr lacks /$re/): $*"; sed 's/^/    /' "$err" | head -5
    elif [ "$want" -eq 1 ] && [ "$(wc -l <"$err")" -gt 2 ]; then
        ko "(more than 2 lines of error): $*"
    else
        ok "$*"
    fi
    rm -f "$err"
}

# stdout_has REGEX -- command...: the command's standard output matches.
stdout_has() {
    local re=$1
    shift 2
    if "$@" 2>/dev/null | grep -Eq -- "$re"; then ok "$* (stdout has /$re/)"; else ko "stdout lacks /$re/: $*"; fi
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

# A patient's loci for the read simulator (tests/tools/vwsim): C>T at every
# position of the array POS on LOCI_CHROM, a window from p - LOCI_HALF to
# p + LOCI_HALF - 1 around each, LOCI_FRAGMENTS fragments a window.
# loci_recipe SEED SAMPLE FRACTION: the recipe (FRACTION 0: no variant).
loci_recipe() {
    printf 'seed\t%s\nsample\t%s\nbuild\tGRCh37\nnaming\tchr\nfragments\t%s\nerror_rate\t0.0003\n' "$1" "$2" \
        "$LOCI_FRAGMENTS"
    local p
    for p in "${POS[@]}"; do
        printf 'window\t%s\t%s\t%s\nrefseq\t%s\t%s\tC\n' "$LOCI_CHROM" $((p - LOCI_HALF)) $((p + LOCI_HALF - 1)) \
            "$LOCI_CHROM" "$p"
        [ "$3" != 0 ] && printf 'variant\t%s\t%s\tC\tT\t%s\n' "$LOCI_CHROM" "$p" "$3"
    done
    return 0
}
# loci_targets ID_FORMAT: the loci as a targets table on standard output, the
# k-th (from 0) named by printf ID_FORMAT k.
loci_targets() {
    local p k=0
    printf 'chrom\tpos\tref\talt\tid\n'
    for p in "${POS[@]}"; do
        # shellcheck disable=SC2059
        printf "$LOCI_CHROM\\t%s\\tC\\tT\\t$1\\n" "$p" "$k"
        k=$((k + 1))
    done
}

# run_fixture VAFWATCH VWFIX: sets VW and FIX to the two programs' absolute
# paths, T to a new folder (removed on exit) and goes there, then writes one
# patient P1 with two draws of 20 reads over sim1:101 (A>C: 0 then 4 ALT
# reads), d1.bam (S1, 2023-01-05) and d2.bam (S2, 2023-03-01), indexed, their
# target t.tsv (T1), the cohort sheet sheet.tsv and the events events.tsv
# (cetuximab from 2023-01-01, PD on 2023-06-01).  Exits (a failed check) if
# a file cannot be made.
run_fixture() {
    local i b d
    VW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    FIX=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
    T=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$T'" EXIT
    cd "$T" || exit 1
    {
        printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n'
        for i in $(seq 1 20); do printf 'r%d\t0\tsim1\t91\t60\t20M\t*\t0\t0\tAAAAAAAAAAAAAAAAAAAA\tIIIIIIIIIIIIIIIIIIII\n' "$i"; done
    } >d1.sam
    {
        printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n'
        for i in $(seq 1 20); do
            b=A; [ "$i" -le 4 ] && b=C
            printf 'r%d\t0\tsim1\t91\t60\t20M\t*\t0\t0\tAAAAAAAAAA%sAAAAAAAAA\tIIIIIIIIIIIIIIIIIIII\n' "$i" "$b"
        done
    } >d2.sam
    for d in d1 d2; do
        "$FIX" view -b -o $d.bam $d.sam && "$FIX" index $d.bam || { ko "fixture $d"; finish; exit 1; }
    done
    printf 'chrom\tpos\tref\talt\tid\nsim1\t101\tA\tC\tT1\n' >t.tsv
    printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\td1.bam\nP1\tS2\t2023-03-01\td2.bam\n' >sheet.tsv
    printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\tcetuximab\nP1\t2023-06-01\tscan\tPD\n' >events.tsv
}
