#!/usr/bin/env python3
"""Writes to standard output a SAM of shallow-WGS reads for the genome-wide
tests (cli.cnv_genome, cli.run_genome): 22 contigs of 1 Mb, contig 5 without
reads, about 300 single-end 50-bp reads per 100-kb bin (450 in the second half
of contig 8: a gain) that never cross a bin edge, 5 % duplicates and 5 % of
MAPQ 10 mixed in.  Seeded: the same file every time.  Unsorted.

Usage: genome_sam.py SAMPLE   (the @RG SM of every read)
"""
import random
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sample = sys.argv[1]
    random.seed(7)
    out = ["@HD\tVN:1.6\tSO:unsorted"]
    out += [f"@SQ\tSN:{c}\tLN:1000000" for c in range(1, 23)]
    out.append(f"@RG\tID:g\tSM:{sample}")
    n = 0
    for c in range(1, 23):
        if c == 5:
            continue
        for b in range(10):
            k = 300 + (150 if (c == 8 and b >= 5) else 0) + random.randint(-20, 20)
            for _ in range(k):
                pos = b * 100000 + random.randint(0, 100000 - 51) + 1
                flag = 1024 if random.random() < 0.05 else 0
                mq = 10 if random.random() < 0.05 else 60
                n += 1
                out.append(f"r{n}\t{flag}\t{c}\t{pos}\t{mq}\t50M\t*\t0\t0\t{'A' * 50}\t{'I' * 50}\tRG:Z:g")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
