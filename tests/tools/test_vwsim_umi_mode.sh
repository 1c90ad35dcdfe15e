#!/usr/bin/env bash
# 'vwsim umi' (the UMI mode of vwsim) and vwsim_umi (the same program on its
# own) write the same files, byte for byte, from the same options: without
# errors, with every error kind, simplex UMIs in read names; and both refuse
# a bad option with exit 2.
# Usage: test_vwsim_umi_mode.sh VWSIM VWSIM_UMI WORKDIR
set -u
VWSIM=$1 UMI=$2 W=$3
mkdir -p "$W"
fail=0
run() { # label args...
    local l=$1
    shift
    rm -f "$W/$l".{a,b}.*
    if ! "$VWSIM" umi -o "$W/$l.a" "$@" || ! "$UMI" -o "$W/$l.b" "$@"; then
        echo "FAIL $l: a simulator failed"; fail=1; return
    fi
    for f in bam bam.bai truth.tsv targets.tsv; do
        if ! cmp -s "$W/$l.a.$f" "$W/$l.b.$f"; then echo "FAIL $l: $f differs"; fail=1; fi
    done
    [ "$(wc -l <"$W/$l.a.truth.tsv")" -gt 1 ] || { echo "FAIL $l: empty truth"; fail=1; }
    echo "ok   $l"
}
run exact --sites 2 --molecules 200 --vaf 0.1 --duplex 0.5 --seed 3
run errors --sites 3 --molecules 300 --vaf 0.01 --duplex 0.5 --seq-error 0.01 --pcr-error 0.001 --damage 0.001 \
    --umi-error 0.02 --site-sd 0.5 --artefact 0.3 --seed 4
run name --sites 2 --molecules 200 --simplex --umi-in-name --seed 5
"$VWSIM" umi --no-such-option >/dev/null 2>&1
a=$?
"$UMI" --no-such-option >/dev/null 2>&1
b=$?
[ "$a" = 2 ] && [ "$b" = 2 ] && echo "ok   bad option: exit 2" || { echo "FAIL bad option: exit $a / $b"; fail=1; }
exit $fail
