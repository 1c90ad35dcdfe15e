#!/usr/bin/env bash
# No C code hands a string to a shell: no system(), popen() or exec*p()
# with a command line, in the library, the CLI or the tests.
# Usage: check_no_shell.sh SOURCE_ROOT
cd "${1:-.}" || exit 1
hits=$(grep -nE '\b(system|popen|execlp|execvp|execvpe)[[:space:]]*\(' src/*.c src/*.h include/vafwatch/*.h \
       tests/unit/*.c tests/unit/*.h tests/tools/*.c tests/fuzz/*.c tests/fuzz/*.h 2>/dev/null)
if [ -n "$hits" ]; then
    echo "FAIL shell calls found:"; echo "$hits"; echo "0 passed, 1 failed"; exit 1
fi
echo "ok   no system()/popen()/exec*p() in C sources"
echo "1 passed, 0 failed"
