#!/usr/bin/env python3
"""Structure checker: no function over 150 lines in src/, no two src modules
that depend on each other.

usage: check_structure.py [--strict] SOURCE_ROOT BUILD_DIR [ALLOWLIST]

Function length: every definition in src/*.c, from the line that names it to
its closing brace, both included (the project's style puts a function's
braces in column 0; a one-line function has none and is short anyway).

Module dependencies: a module is one src/*.c file.  Module A depends on B when
A's object file has an undefined symbol that B's object file defines (nm over
the objects meson built in BUILD_DIR).  Two modules that depend on each other,
directly or through a longer cycle, are reported as one group.

The allowlist (default tests/structure.allow) names today's known violations,
one a line: 'long FILE FUNCTION' or 'cycle MODULE MODULE ...' (the members of
one group in any order; a smaller group inside a listed one is allowed too).
A violation not listed fails.  A listed one that is gone is reported as stale:
a warning, or a failure with --strict (so the list can be made to shrink).
Exit 0 clean, 1 violations, 2 usage or a missing tool/object.
"""
import glob
import os
import re
import subprocess
import sys

MAX_LINES = 150
NAME_RE = re.compile(r'^[A-Za-z_].*?\b([A-Za-z_]\w*)\s*\(')


def long_functions(src_dir):
    """Yields (file, function, first line, length) for every function over MAX_LINES."""
    for path in sorted(glob.glob(os.path.join(src_dir, '*.c'))):
        with open(path, encoding='utf-8') as fp:
            lines = fp.read().split('\n')
        i = 0
        while i < len(lines):
            if not lines[i].startswith('{'):
                i += 1
                continue
            # the signature: the nearest line above in column 0 that names a function
            j, name = i - 1, None
            while j >= 0 and i - j <= 12:
                m = NAME_RE.match(lines[j])
                if m and not lines[j].startswith(('#', '/*', ' *')):
                    name = m.group(1)
                    break
                j -= 1
            k = i + 1
            while k < len(lines) and not lines[k].startswith('}'):
                k += 1
            if name is not None and not lines[i - 1].rstrip().endswith('='):
                n = k - j + 1
                if n > MAX_LINES:
                    yield os.path.basename(path), name, j + 1, n
            i = k + 1


def symbols(obj):
    out = subprocess.run(['nm', '-P', obj], check=True, capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        if f[1] == 'U':
            undefined.add(f[0])
        elif f[1] in 'TDBRC':  # global text, data, bss, read-only, common
            defined.add(f[0])
    return defined, undefined


def module_cycles(build_dir):
    objs = sorted(glob.glob(os.path.join(build_dir, 'src', '*.p', '*.c.o')))
    if not objs:
        sys.exit('check_structure: no object files under %s/src (build first)' % build_dir)
    mods = {}
    for o in objs:
        mod = os.path.basename(o)[:-len('.c.o')]
        d, u = symbols(o)
        md, mu = mods.setdefault(mod, (set(), set()))
        md |= d
        mu |= u
    owner = {}
    for mod, (d, _) in mods.items():
        for s in d:
            owner[s] = mod
    deps = {m: {owner[s] for s in u if s in owner and owner[s] != m} for m, (_, u) in mods.items()}
    # strongly connected components (Tarjan), groups of two or more modules
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(deps[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            g = []
            while True:
                w = stack.pop()
                on.discard(w)
                g.append(w)
                if w == v:
                    break
            if len(g) > 1:
                groups.append(sorted(g))

    sys.setrecursionlimit(10000)
    for v in sorted(deps):
        if v not in index:
            visit(v)
    return sorted(groups), deps


def main(argv):
    strict = len(argv) > 1 and argv[1] == '--strict'
    if strict:
        argv = argv[:1] + argv[2:]
    if len(argv) not in (3, 4):
        print(__doc__.strip().split('\n')[2], file=sys.stderr)
        return 2
    root, build = argv[1], argv[2]
    allow_path = argv[3] if len(argv) == 4 else os.path.join(root, 'tests', 'structure.allow')
    allowed = set()
    with open(allow_path, encoding='utf-8') as fp:
        for n, line in enumerate(fp, 1):
            line = line.split('#', 1)[0].split()
            if not line:
                continue
            if line[0] == 'long' and len(line) == 3:
                allowed.add(('long', line[1], line[2]))
            elif line[0] == 'cycle' and len(line) >= 3:
                allowed.add(('cycle',) + tuple(sorted(line[1:])))
            else:
                print('%s:%d: expected "long FILE FUNCTION" or "cycle MODULE MODULE ..."' % (allow_path, n),
                      file=sys.stderr)
                return 2
    found, bad = set(), 0
    for f, name, line, n in long_functions(os.path.join(root, 'src')):
        key = ('long', f, name)
        found.add(key)
        if key not in allowed:
            print('src/%s:%d: function %s is %d lines (at most %d)' % (f, line, name, n, MAX_LINES))
            bad += 1
    groups, deps = module_cycles(build)
    for g in groups:
        within = [k for k in allowed if k[0] == 'cycle' and set(g) <= set(k[1:])]
        found.update(within)
        if not within:
            edges = ['%s -> %s' % (a, b) for a in g for b in sorted(deps[a]) if b in g]
            print('modules depend on each other: %s (%s)' % (' '.join(g), ', '.join(edges)))
            bad += 1
    for key in sorted(allowed - found):
        print('%s: %s: stale entry "%s" (no longer a violation: remove it)'
              % (allow_path, 'error' if strict else 'warning', ' '.join(key)))
        bad += strict
    print('check_structure: %d long functions, %d module cycles, %d allowed, %d failures'
          % (sum(1 for k in found if k[0] == 'long'), len(groups), len(allowed), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
