#!/usr/bin/env bash
# Self-test of tests/check_structure.py on a made-up tree: a function of 151
# lines and two modules that call each other must fail; listed in the
# allowlist they pass; a stale allowlist line fails with --strict only.
# usage: check_structure_selftest.sh CHECKER [CC]
set -u
CHECK=$1 CC=${2:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }
mkdir -p "$T/src" "$T/build/src/lib.p" "$T/tests"
{
    echo 'int b_two(int x);'
    echo 'int a_one(int x)'
    echo '{'
    echo '    return x > 0 ? b_two(x - 1) : 0;'
    echo '}'
    echo 'int a_long(int x)'
    echo '{'
    for i in $(seq 1 148); do echo "    x += $i;"; done
    echo '    return x;'
    echo '}'
} >"$T/src/a.c"
{
    echo 'int a_one(int x);'
    echo 'int b_two(int x)'
    echo '{'
    echo '    return a_one(x);'
    echo '}'
    echo 'int b_short(int x)'
    echo '{'
    for i in $(seq 1 146); do echo "    x += $i;"; done
    echo '    return x;'
    echo '}'
} >"$T/src/b.c"
for m in a b; do "$CC" -c -o "$T/build/src/lib.p/$m.c.o" "$T/src/$m.c" || { echo "cannot compile"; exit 1; }; done
# from the line naming it to its closing brace: a_long 152 lines, b_short 150 (allowed)
: >"$T/empty.allow"
out=$(python3 "$CHECK" "$T" "$T/build" "$T/empty.allow"); rc=$?
[ $rc -eq 1 ] && ok "violations fail (exit 1)" || ko "violations: exit $rc"
grep -q 'src/a.c:6: function a_long is 152 lines' <<<"$out" && ok "long function named with file and line" || ko "long function: $out"
grep -q 'b_short' <<<"$out" && ko "a 150-line function was reported" || ok "150 lines is allowed"
grep -q 'modules depend on each other: a b (a -> b, b -> a)' <<<"$out" && ok "the cycle a <-> b named" || ko "cycle: $out"
printf 'long a.c a_long\ncycle b a\n' >"$T/ok.allow"
python3 "$CHECK" "$T" "$T/build" "$T/ok.allow" >/dev/null && ok "allowlisted violations pass" || ko "allowlist not honoured"
printf 'long a.c a_long\ncycle a b\nlong b.c gone\n' >"$T/stale.allow"
python3 "$CHECK" "$T" "$T/build" "$T/stale.allow" >/dev/null && ok "a stale line only warns" || ko "stale line failed without --strict"
python3 "$CHECK" --strict "$T" "$T/build" "$T/stale.allow" >/dev/null; rc=$?
[ $rc -eq 1 ] && ok "a stale line fails with --strict" || ko "stale --strict: exit $rc"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
