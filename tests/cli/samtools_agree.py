#!/usr/bin/env python3
"""Checks vafwatch count against samtools mpileup, read by read and fragment by fragment.

For each BAM: samtools mpileup -B -x -A -d 0 (no BAQ, no overlap handling, anomalous
pairs kept, no depth cap) with the same MAPQ, base-quality and flag filters, with
--output-QNAME, gives every read base at every covered position.  At a set of positions
(all SNV targets of the built-in catalogue that are covered, plus up to N other covered
positions spread over the file) the script writes TSV targets REF = the majority base
(or the catalogue's REF) and ALT = each other base, then runs vafwatch count on them:

  * --count-unit read: ref_count and alt_count must equal samtools' base counts.
  * fragment mode: grouping samtools' bases by read name gives the fragment truth:
    one name with one distinct base is one fragment of that base; a name with two
    different bases is discordant.  ref, alt, other and discordant must be equal.

With --mate-buffer N, fragment mode runs with that bound on the reads waiting for their
mates (a small N sends most of them through the temporary file); the script then also
requires that some file did use the disk (vafwatch's info line says how many reads did).

Usage: samtools_agree.py VAFWATCH BAM [BAM...] [--min-MQ Q] [--min-BQ Q] [--positions N]
                         [--mate-buffer N]
Prints 'N passed, N failed' last; exit 1 on any mismatch.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

FLAGS = "UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY"


def parse_bases(s):
    """Split an mpileup base column into one entry per read (upper-case base, '*', or '>')."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == '^':
            i += 2
            continue
        if c == '$':
            i += 1
            continue
        if c in '+-':
            m = re.match(r'[+-](\d+)', s[i:])
            n = int(m.group(1))
            i += len(m.group(0)) + n
            continue
        out.append(c)
        i += 1
    return out


def pileup(bam, mq, bq, region=None):
    cmd = ["samtools", "mpileup", "-B", "-x", "-A", "-d", "0", "-q", str(mq), "-Q", str(bq),
           "--ff", FLAGS, "--output-QNAME"]
    if region:
        cmd += ["-r", region]
    cmd.append(bam)
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    sites = {}
    for line in res.stdout.splitlines():
        f = line.split('\t')
        chrom, pos, depth = f[0], int(f[1]), int(f[3])
        if depth == 0:
            continue
        bases = parse_bases(f[4])
        names = f[6].split(',')
        assert len(bases) == len(names), (bam, chrom, pos)
        calls = []
        for b, n in zip(bases, names):
            if b in '<>':
                continue  # reference skip: no base
            calls.append((b.upper() if b not in '.,' else '=', n))
        sites[(chrom, pos)] = calls
    return sites


def builtin_snvs(vafwatch, bam):
    res = subprocess.run([vafwatch, "catalogue", "--build", build_of(bam)], check=True,
                         capture_output=True, text=True)
    out = []
    for line in res.stdout.splitlines()[1:]:
        f = line.split('\t')
        if f[9] == 'snv':
            out.append((f[5], int(f[6]), f[7]))
    return out


def build_of(bam):
    hdr = subprocess.run(["samtools", "view", "-H", bam], check=True, capture_output=True, text=True).stdout
    if "LN:249250621" in hdr:
        return "GRCh37"
    return "GRCh38"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vafwatch")
    ap.add_argument("bams", nargs="+")
    ap.add_argument("--min-MQ", type=int, default=20)
    ap.add_argument("--min-BQ", type=int, default=13)
    ap.add_argument("--positions", type=int, default=300)
    ap.add_argument("--mate-buffer", type=int, default=None)
    a = ap.parse_args()
    passed = failed = 0
    on_disk = 0
    if not any(os.path.exists(b) for b in a.bams):
        print("skip: none of the BAMs exists (shared data absent)")
        return 77
    tmp = tempfile.mkdtemp(prefix="vw_agree_")
    for bam in a.bams:
        if not os.path.exists(bam):
            print(f"SKIP {bam}: absent")
            continue
        sites = pileup(bam, a.min_MQ, a.min_BQ)
        chroms = {c for c, _ in sites}
        has_chr = any(c.startswith("chr") for c in chroms)
        # catalogue SNVs that are covered; ref from the catalogue
        chosen = {}
        for chrom, pos, ref in builtin_snvs(a.vafwatch, bam):
            name = ("chr" + chrom if has_chr and not chrom.startswith("chr") else chrom)
            if (name, pos) in sites:
                chosen[(name, pos)] = ref
        keys = sorted(sites)
        step = max(1, len(keys) // a.positions)
        for k in keys[::step][:a.positions]:
            if k in chosen:
                continue
            counts = {}
            for b, _ in sites[k]:
                if b in "ACGT":
                    counts[b] = counts.get(b, 0) + 1
            if counts:
                chosen[k] = max(sorted(counts), key=lambda b: counts[b])
        tsv = os.path.join(tmp, "targets.tsv")
        with open(tsv, "w") as fh:
            fh.write("chrom\tpos\tref\talt\tid\n")
            for (chrom, pos), ref in sorted(chosen.items()):
                for alt in "ACGT":
                    if alt != ref:
                        fh.write(f"{chrom}\t{pos}\t{ref}\t{alt}\t{chrom}:{pos}:{ref}>{alt}\n")
        base = [a.vafwatch, "count", "--no-builtin", "-T", tsv, "-q", str(a.min_MQ), "-Q", str(a.min_BQ),
                "--excl-flags", FLAGS]
        for unit in ("read", "fragment"):
            extra = []
            if unit == "fragment" and a.mate_buffer is not None:
                extra = ["--mate-buffer", str(a.mate_buffer), "--verbosity", "3"]
            res = subprocess.run(base + extra + ["--count-unit", unit, bam], capture_output=True, text=True)
            m = re.search(r"(\d+) reads waited for their mates on disk", res.stderr)
            on_disk += int(m.group(1)) if m else 0
            if res.returncode != 0:
                print(f"FAIL {bam} {unit}: vafwatch exited {res.returncode}: {res.stderr.strip()}")
                failed += 1
                continue
            rows = [l.split('\t') for l in res.stdout.splitlines() if not l.startswith('#')]
            bad = 0
            for r in rows:
                chrom, pos, ref, alt = r[1], int(r[2]), r[3], r[4]
                got = dict(ref=int(r[10]), alt=int(r[11]), other=int(r[12]), disc=int(r[13]))
                calls = sites.get((chrom, pos), [])
                norm = [(ref if b == '=' else b, n) for b, n in calls]
                if unit == "read":
                    exp = dict(ref=sum(1 for b, _ in norm if b == ref), alt=sum(1 for b, _ in norm if b == alt))
                    ok = got["ref"] == exp["ref"] and got["alt"] == exp["alt"]
                else:
                    by = {}
                    for b, n in norm:
                        by.setdefault(n, set()).add(b)
                    single = [next(iter(s)) for s in by.values() if len(s) == 1]
                    exp = dict(ref=single.count(ref), alt=single.count(alt),
                               other=len(single) - single.count(ref) - single.count(alt),
                               disc=sum(1 for s in by.values() if len(s) > 1))
                    ok = all(got[k] == exp[k] for k in exp)
                if not ok:
                    bad += 1
                    if bad <= 5:
                        print(f"  mismatch {bam} {unit} {chrom}:{pos} {ref}>{alt}: vafwatch {got} samtools {exp}")
            if bad:
                failed += 1
                print(f"FAIL {os.path.basename(bam)} {unit}: {bad}/{len(rows)} targets differ")
            else:
                passed += 1
                print(f"ok   {os.path.basename(bam)} {unit}: {len(rows)} targets at {len(chosen)} positions agree")
    if a.mate_buffer is not None:
        print(f"{on_disk} reads waited for their mates on disk (--mate-buffer {a.mate_buffer})")
        if on_disk == 0:
            print("FAIL: the bound was never reached: the test does not exercise it")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
