#!/usr/bin/env python3
"""Writes a synthetic cohort for the report benchmark: N patients x D plasma draws
(every 28 days), a sheet, events (treatment start, scans every 56 days, progression
for about 60 % of patients) and a calls table with 5 hotspots per draw, one of which
emerges (0.6 %, doubling every 28 days) in about 70 % of patients.  Deterministic.

Usage: make_report_cohort.py OUTDIR [N_PATIENTS] [N_DRAWS]
"""
import datetime
import os
import random
import sys

out = sys.argv[1]
n_pat = int(sys.argv[2]) if len(sys.argv) > 2 else 200
n_draw = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rng = random.Random(20240601)
os.makedirs(out, exist_ok=True)
TARGETS = [("KRAS_G12D", "12", 25398284, "C", "T", "KRAS", "p.G12D"),
           ("KRAS_G12V", "12", 25398284, "C", "A", "KRAS", "p.G12V"),
           ("NRAS_Q61K", "1", 115256530, "G", "T", "NRAS", "p.Q61K"),
           ("EGFR_T790M", "7", 55249071, "C", "T", "EGFR", "p.T790M"),
           ("BRAF_V600E", "7", 140453136, "A", "T", "BRAF", "p.V600E")]
DRUGS = ["cetuximab", "panitumumab", "erlotinib", "osimertinib"]
day0 = datetime.date(2022, 1, 3)
sheet = ["patient\tsample\tdate\tfile\ttype\tcfdna_ng_per_ml"]
events = ["patient\tdate\tevent\tdetail"]
calls = ["#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count\t"
         "discordant\talt_fwd\talt_rev\tvaf\tvaf_lo\tvaf_hi\tp_value\tq_value\tdetected\tlod95\tflags\t"
         "background\tbg_error\tcopies_per_ml"]
for i in range(n_pat):
    pid = "PT%03d" % (i + 1)
    start = day0 + datetime.timedelta(days=rng.randrange(0, 365))
    emerge = rng.randrange(3, n_draw) if rng.random() < 0.7 else None
    clone = rng.randrange(len(TARGETS))
    span = 28 * (n_draw - 1)
    pd = None
    if rng.random() < 0.6:
        pd = 56 * rng.randrange(2, span // 56 + 1)
    events.append("%s\t%s\ttreatment_start\t%s" % (pid, start, rng.choice(DRUGS)))
    for d in range(56, span + 1, 56):
        resp = "PD" if pd is not None and d == pd else ("PR" if d == 56 else "SD")
        events.append("%s\t%s\tscan\t%s" % (pid, start + datetime.timedelta(days=d), resp))
        if resp == "PD":
            break
    last = pd if pd is not None else span
    events.append("%s\t%s\tlast_followup\t" % (pid, start + datetime.timedelta(days=span + 14)))
    for k in range(n_draw):
        s = "%s_d%03d" % (pid, 28 * k)
        date = start + datetime.timedelta(days=28 * k)
        sheet.append("%s\t%s\t%s\tsim/%s.bam\tplasma\t%d" % (pid, s, date, s, 8 + k % 5))
        for t, (tid, chrom, pos, ref, alt, gene, prot) in enumerate(TARGETS):
            depth = 6000
            frac = 0.0
            if emerge is not None and t == clone and k >= emerge:
                frac = min(0.3, 0.006 * 2 ** (k - emerge))
            x = int(round(frac * depth))
            vaf = x / depth
            det = "yes" if x > 0 else "no"
            lo = max(0.0, vaf - 0.002) if x else 0.0
            hi = min(1.0, vaf + 0.002) if x else 0.002
            p = "1e-30" if x else "0.5"
            calls.append("\t".join(str(v) for v in (
                s, chrom, pos, ref, alt, tid, gene, prot, ".", depth, depth - x, x, 0, 0, x // 2, x - x // 2,
                "%.6g" % vaf, "%.6g" % lo, "%.6g" % hi, p, p, det, 0.0015, ".", "pon", 0.0001, "NA")))
for name, rows in (("cohort.tsv", sheet), ("events.tsv", events), ("calls.tsv", calls)):
    with open(os.path.join(out, name), "w") as f:
        f.write("\n".join(rows) + "\n")
