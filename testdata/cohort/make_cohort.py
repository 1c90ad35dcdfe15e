#!/usr/bin/env python3
"""The example cohort of vafwatch: writes cohort.tsv, events.tsv, truth.tsv,
one vwsim recipe per plasma draw, and (with --calls) a synthetic calls table
built from the truth.  Everything is a pure function of the tables below.

  make_cohort.py [--outdir DIR] [--recipes DIR] [--calls FILE]

--outdir   where cohort.tsv, events.tsv and truth.tsv go [the script's directory]
--recipes  write the recipes (DIR/<sample>.recipe.tsv) [not written]
--calls    also write a calls table (docs/formats.md) in which every draw whose
           truth fraction is > 0 is detected: the input of the truth test.

Design (README.md in this directory): monthly draws (every 28 days, the
first on the day treatment starts, which makes it the baseline), scans every
8 weeks, a clone appears at 0.6 % of fragments and doubles every 28 days
(capped at 30 %), so at 6,000 fragments it is far above the LoD from its
first draw on; after a treatment_stop it halves every 28 days.
"""
import argparse
import datetime
import os
import sys

START = datetime.date(2023, 1, 9)
DRAW_EVERY = 28
SCAN_EVERY = 56
V0, DOUBLING, HALF_LIFE, CAP = 0.006, 28.0, 28.0, 0.30
FRAGMENTS = 6000

# id, gene, protein, chrom (GRCh37, 'chr' naming), pos, ref, alt
TARGETS = {
    "KRAS_G12D": ("KRAS_G12D_c.35G>A", "KRAS", "p.G12D", "chr12", 25398284, "C", "T"),
    "KRAS_G12V": ("KRAS_G12V_c.35G>T", "KRAS", "p.G12V", "chr12", 25398284, "C", "A"),
    "KRAS_G13D": ("KRAS_G13D_c.38G>A", "KRAS", "p.G13D", "chr12", 25398281, "C", "T"),
    "KRAS_Q61H": ("KRAS_Q61H_c.183A>T", "KRAS", "p.Q61H", "chr12", 25380275, "T", "A"),
    "EGFR_S492R": ("EGFR_S492R_c.1476C>A", "EGFR", "p.S492R", "chr7", 55228009, "C", "A"),
    "EGFR_T790M": ("EGFR_T790M_c.2369C>T", "EGFR", "p.T790M", "chr7", 55249071, "C", "T"),
    "EGFR_C797S": ("EGFR_C797S_c.2389T>A", "EGFR", "p.C797S", "chr7", 55249091, "T", "A"),
}

# Patients: offset of the treatment start from START (days), the drug, the
# number of draws, the scan (1-based, every 56 days) showing PD (None: no
# progression), a treatment stop day (or None), the last follow-up day, the
# clones {target: emergence day} and germline targets {target: VAF}.
PATIENTS = [
    # KRAS clone ~10 months before progression (Misale 2012 shape)
    dict(id="CRC01", offset=0, drug="cetuximab", draws=15, pd_scan=7, stop=None, fu=400,
         clones={"KRAS_G12D": 84}, germline={}),
    # one ~5 months before (Diaz 2012 shape)
    dict(id="CRC02", offset=14, drug="panitumumab", draws=13, pd_scan=6, stop=None, fu=350,
         clones={"KRAS_G13D": 168}, germline={}),
    # never develops resistance; no progression by the last follow-up
    dict(id="CRC03", offset=28, drug="cetuximab", draws=13, pd_scan=None, stop=None, fu=364,
         clones={}, germline={}),
    # KRAS first, then an EGFR ectodomain clone (Van Emburgh 2016)
    dict(id="CRC04", offset=42, drug="cetuximab", draws=13, pd_scan=6, stop=None, fu=350,
         clones={"KRAS_G12V": 140, "EGFR_S492R": 224}, germline={}),
    # lung, osimertinib-like: T790M then C797S (Thress 2015)
    dict(id="LUNG05", offset=7, drug="erlotinib", draws=11, pd_scan=5, stop=None, fu=300,
         clones={"EGFR_T790M": 112, "EGFR_C797S": 252}, germline={}),
    # germline-looking T790M at baseline (Oxnard 2012): VAF 50 % throughout
    dict(id="LUNG06", offset=21, drug="erlotinib", draws=9, pd_scan=4, stop=None, fu=240,
         clones={}, germline={"EGFR_T790M": 0.5}),
    # a clone that declines after the antibody is stopped at progression (Siravegna 2015)
    dict(id="CRC07", offset=35, drug="panitumumab", draws=13, pd_scan=4, stop=224, fu=350,
         clones={"KRAS_Q61H": 112}, germline={}),
]

WINDOWS = [("chr12", 25398173, 25398392), ("chr12", 25380087, 25380387), ("chr12", 25378511, 25378785),
           ("chr1", 115256388, 115256700), ("chr1", 115258642, 115258856), ("chr7", 140453040, 140453250),
           ("chr7", 55248957, 55249271), ("chr7", 55259379, 55259659), ("chr7", 55227950, 55228150)]
# the catalogue's reference bases at every hotspot in the windows (GRCh37)
REFSEQ = [("chr1", 115256528, "T"), ("chr1", 115256529, "T"), ("chr1", 115256530, "G"),
          ("chr1", 115258744, "C"), ("chr1", 115258745, "C"), ("chr1", 115258747, "C"),
          ("chr1", 115258748, "C"), ("chr12", 25378561, "G"), ("chr12", 25378562, "C"),
          ("chr12", 25378647, "T"), ("chr12", 25380275, "T"), ("chr12", 25380276, "T"),
          ("chr12", 25380277, "G"), ("chr12", 25380282, "G"), ("chr12", 25380283, "C"),
          ("chr12", 25398281, "C"), ("chr12", 25398282, "C"), ("chr12", 25398284, "C"),
          ("chr12", 25398285, "C"), ("chr7", 140453136, "A"), ("chr7", 55249071, "C"),
          ("chr7", 55249091, "T"), ("chr7", 55249092, "G"), ("chr7", 55259515, "T"),
          ("chr7", 55259524, "T"), ("chr7", 55228006, "C"), ("chr7", 55228007, "A"),
          ("chr7", 55228009, "C")]


def iso(d):
    return d.isoformat()


def fraction(p, key, day):
    """Truth mutant fraction of a target at a draw day (days since start)."""
    if key in p["germline"]:
        return p["germline"][key]
    e = p["clones"].get(key)
    if e is None or day < e:
        return 0.0
    peak_day = day if p["stop"] is None else min(day, p["stop"])
    f = min(CAP, V0 * 2.0 ** ((peak_day - e) / DOUBLING))
    if p["stop"] is not None and day > p["stop"]:
        f *= 2.0 ** (-(day - p["stop"]) / HALF_LIFE)
    return f


def draws(p):
    return [k * DRAW_EVERY for k in range(p["draws"])]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--outdir", default=here)
    ap.add_argument("--recipes")
    ap.add_argument("--calls")
    a = ap.parse_args()
    rdir = a.recipes
    if rdir:
        os.makedirs(rdir, exist_ok=True)
    sheet = ["patient\tsample\tdate\tfile\ttype\tcfdna_ng_per_ml"]
    events = ["patient\tdate\tevent\tdetail"]
    truth = ["#patient\ttarget\tgene\tprotein\tstatus\tfirst_detection\tlast_negative"
             "\tprogression\tlead_time_days\tlead_status"]
    calls = ["#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count"
             "\tother_count\tdiscordant\talt_fwd\talt_rev\tvaf\tvaf_lo\tvaf_hi\tp_value\tq_value"
             "\tdetected\tlod95\tflags\tbackground\tbg_error\tcopies_per_ml"]
    seed = 1000
    for pi, p in enumerate(PATIENTS):
        start = START + datetime.timedelta(days=p["offset"])
        day = lambda d: iso(start + datetime.timedelta(days=d))
        events.append(f"{p['id']}\t{day(0)}\ttreatment_start\t{p['drug']}")
        pd_day = p["pd_scan"] * SCAN_EVERY if p["pd_scan"] else None
        last = max(draws(p)[-1], p["fu"])
        k = 1
        while k * SCAN_EVERY <= last:
            s = k * SCAN_EVERY
            if pd_day is not None and s > pd_day:
                break
            events.append(f"{p['id']}\t{day(s)}\tscan\t{'PD' if s == pd_day else ('PR' if k == 1 else 'SD')}")
            k += 1
        if p["stop"] is not None:
            events.append(f"{p['id']}\t{day(p['stop'])}\ttreatment_stop\t{p['drug']}")
        events.append(f"{p['id']}\t{day(p['fu'])}\tlast_followup\t")
        for d in draws(p):
            sample = f"{p['id']}_d{d:03d}"
            cf = 10 + 2 * pi + (d // DRAW_EVERY) % 5
            sheet.append(f"{p['id']}\t{sample}\t{day(d)}\tsim/{sample}.bam\tplasma\t{cf}")
            seed += 1
            lines = [f"# {p['id']} draw {sample}, day {d} of {p['drug']}",
                     f"seed\t{seed}", f"sample\t{sample}", "build\tGRCh37", "naming\tchr",
                     "read_length\t100", f"fragments\t{FRAGMENTS}", "frag_mean\t167", "frag_sd\t20",
                     "mut_frag_mean\t145", "mut_frag_sd\t15", "error_rate\t0.001", "base_quality\t37",
                     "mapq\t60", "dup_rate\t0.05"]
            lines += [f"window\t{c}\t{b}\t{e}" for c, b, e in WINDOWS]
            lines.append("# the catalogue's reference bases at every hotspot in the windows")
            lines += [f"refseq\t{c}\t{q}\t{r}" for c, q, r in REFSEQ]
            for key, t in TARGETS.items():
                f = fraction(p, key, d)
                if f > 0:
                    lines.append(f"variant\t{t[3]}\t{t[4]}\t{t[5]}\t{t[6]}\t{f:.6g}\t# {t[1]} {t[2]}")
                if a.calls:
                    alt = round(f * FRAGMENTS)
                    det = alt > 0
                    vaf = alt / FRAGMENTS
                    flags = "possible_germline" if key in p["germline"] else "."
                    calls.append("\t".join(map(str, [
                        sample, t[3][3:], t[4], t[5], t[6], t[0], t[1], t[2], ".", FRAGMENTS,
                        FRAGMENTS - alt, alt, 0, 0, alt // 2, alt - alt // 2, f"{vaf:.6g}",
                        f"{max(0.0, vaf - 0.002):.6g}", f"{min(1.0, vaf + 0.002):.6g}",
                        "1e-12" if det else "0.5", "1e-11" if det else "1", "yes" if det else "no",
                        "0.0015", flags, "pon", "0.0001", "NA"])))
            if rdir:
                with open(os.path.join(rdir, sample + ".recipe.tsv"), "w") as fh:
                    fh.write("\n".join(lines) + "\n")
        # truth: every clone, and the patient's lead time from the earliest
        first = min(p["clones"].values()) if p["clones"] else None
        lead = (pd_day - first) if (first is not None and pd_day is not None) else None
        status = ("censored" if pd_day is None else "no_emergence" if first is None
                  else "molecular_first" if lead > DRAW_EVERY else
                  "radiographic_first" if lead < -DRAW_EVERY else "concordant")
        rows = [(k, "emerging", e) for k, e in sorted(p["clones"].items(), key=lambda x: x[1])]
        rows += [(k, "germline?", 0) for k in p["germline"]]
        if not rows:
            rows = [(None, "never", None)]
        for key, st, e in rows:
            t = TARGETS[key] if key else ("NA", "NA", "NA")
            fd = day(e) if e is not None else "NA"
            ln = day(e - DRAW_EVERY) if st == "emerging" else "NA"
            truth.append("\t".join([p["id"], t[0], t[1], t[2], st, fd, ln,
                                    day(pd_day) if pd_day is not None else "NA",
                                    str(lead) if lead is not None else "NA", status]))
    for name, rows in (("cohort.tsv", sheet), ("events.tsv", events), ("truth.tsv", truth)):
        with open(os.path.join(a.outdir, name), "w") as fh:
            fh.write("\n".join(rows) + "\n")
    if a.calls:
        with open(a.calls, "w") as fh:
            fh.write("\n".join(calls) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
