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
