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
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
