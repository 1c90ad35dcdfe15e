#!/usr/bin/env bash
# meson install puts the binary, a man page for vafwatch and for every
# subcommand 'vafwatch help' lists, and the bash completion in place; the
# completion offers subcommands and each subcommand's long options.
# Usage: test_install.sh BUILD_DIR
set -u
B=$1
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
pass=0 fail=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
DESTDIR=$D meson install -C "$B" --quiet --no-rebuild >/dev/null 2>&1
bin=$(find "$D" -type f -name vafwatch -path '*bin*' | head -1)
man=$(dirname "$(find "$D" -name vafwatch.1 | head -1)")
comp=$(find "$D" -path '*bash-completion*' -type f | head -1)
check "binary installed" '[ -x "$bin" ]'
check "vafwatch --version from the installed binary" '"$bin" --version | grep -q "^vafwatch [0-9]"'
check "vafwatch.1 installed" '[ -s "$man/vafwatch.1" ]'
for c in $("$bin" help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ && $1 != "help" && $1 != "version" {print $1}'); do
    check "man page for '$c' (from its --help)" 'grep -q "vafwatch $c" "$man/vafwatch-$c.1" 2>/dev/null'
done
check "man pages render" 'man -l "$man/vafwatch.1" >/dev/null 2>&1 || ! command -v man >/dev/null'
PATH=$(dirname "$bin"):$PATH
check "completion offers subcommands" \
    '(source "$comp"; COMP_WORDS=(vafwatch co); COMP_CWORD=1; _vafwatch; echo "${COMPREPLY[@]}") | grep -q count'
check "completion offers count options" \
    '(source "$comp"; COMP_WORDS=(vafwatch count --min); COMP_CWORD=2; _vafwatch; echo "${COMPREPLY[@]}") | grep -q -- --min-MQ'
comp_of() { (source "$comp"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vafwatch; echo "${COMPREPLY[*]}"); }
check "completion: --build values" '[ "$(comp_of vafwatch count --build "")" = "GRCh37 GRCh38" ]'
check "completion: --build G prefix" '[ "$(comp_of vafwatch call --build GRCh3)" = "GRCh37 GRCh38" ]'
check "completion: --rule values" '[ "$(comp_of vafwatch leadtime --rule "")" = "consecutive strict cusum" ]'
check "completion: --rule c" '[ "$(comp_of vafwatch track --rule c)" = "consecutive cusum" ]'
check "completion: --count-unit values" '[ "$(comp_of vafwatch count --count-unit "")" = "fragment read molecule" ]'
check "completion: --umi values" '[ "$(comp_of vafwatch count --umi "")" = "auto tag name" ]'
check "completion: --adjust values" '[ "$(comp_of vafwatch call --adjust "")" = "holm bh none" ]'
check "completion: --ci values" '[ "$(comp_of vafwatch call --ci "")" = "cp wilson" ]'
check "completion: --class values" '[ "$(comp_of vafwatch call --class "")" = "molecule molecule_f3 duplex fragment read" ]'
check "completion: run --class values" '[ "$(comp_of vafwatch run --class "")" = "molecule molecule_f3 duplex fragment read" ]'
check "completion: model build" '[ "$(comp_of vafwatch model b)" = "build" ]'
# every value offered is one the program documents (no drift from --help)
check "completion values are in the commands' --help" '
    "$bin" count --help | grep -q -- "--build NAME *GRCh37 or GRCh38" &&
    "$bin" leadtime --help | grep -A4 -- "--rule RULE" | grep -q "consecutive" &&
    "$bin" leadtime --help | grep -A4 -- "--rule RULE" | grep -q "strict" &&
    "$bin" leadtime --help | grep -A4 -- "--rule RULE" | grep -q "cusum" &&
    "$bin" count --help | grep -q -- "--count-unit UNIT *fragment, read (as samtools mpileup -x) or molecule" &&
    "$bin" count --help | grep -q -- "--umi SOURCE *auto, tag (RX) or name" &&
    "$bin" call --help | grep -q -- "--adjust METHOD *holm (family-wise), bh (false discovery rate) or none" &&
    "$bin" call --help | grep -q -- "--ci METHOD .*cp (Clopper-Pearson) or wilson" &&
    "$bin" call --help | grep -A1 -- "--class NAME" | grep -q "molecule, molecule_f3,\$" &&
    "$bin" call --help | grep -A1 -- "--class NAME" | grep -q "duplex, \.\.\.: docs/umi.md)" &&
    "$bin" run --help | grep -A1 -- "--class NAME" | grep -q "molecule, molecule_f3,\$" &&
    "$bin" run --help | grep -A1 -- "--class NAME" | grep -q "duplex, \.\.\.: docs/umi.md; needs --model)"'
# the man pages have the sections of a man page
for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES FILES "EXIT STATUS"; do
    check "man pages: section $s in every page" '! grep -L "^\.SH $s\$" "$man"/vafwatch*.1 | grep -q .'
done
check "man: every option of every --help has an entry" 'python3 - "$bin" "$man" <<"PY"
import re, subprocess, sys
b, man = sys.argv[1], sys.argv[2]
for c in ["catalogue", "count", "model", "call", "track", "leadtime", "cnv", "report", "run"]:
    h = subprocess.run([b, c, "--help"], capture_output=True, text=True).stdout
    page = open("%s/vafwatch-%s.1" % (man, c)).read().replace("\\-", "-")
    entries = set(re.findall(r"^\\fB(.*?)\\fR", page, re.M))
    flags = {f for e in entries for f in re.findall(r"--[A-Za-z][A-Za-z0-9-]*", e)}
    opts = set(re.findall(r"^ {2,6}(?:-\w, )?(--[A-Za-z][A-Za-z0-9-]*)", h, re.M))
    assert opts and opts <= flags, (c, sorted(opts - flags))
PY'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
