#!/usr/bin/env bash
# Lists the public functions (declared in include/vafwatch/*.h) that no unit
# test in tests/unit names.  usage: tests/list_untested.sh [SOURCE_ROOT]
# Needs universal-ctags.  Prints "function header" lines and a count on stderr.
set -euo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root"
total=0 missing=0
while read -r fn hdr; do
    total=$((total + 1))
    if ! grep -qw -- "$fn" tests/unit/*.c tests/unit/*.h; then
        printf '%s %s\n' "$fn" "$hdr"
        missing=$((missing + 1))
    fi
done < <(ctags -x --c-kinds=p include/vafwatch/*.h | awk '{print $1, $4}' | sort -u -k1,1)
echo "$missing of $total public functions have no unit test" >&2
