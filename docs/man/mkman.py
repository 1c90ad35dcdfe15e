#!/usr/bin/env python3
"""Writes man pages from the program's own --help texts, so that the options never drift.

Usage: mkman.py VAFWATCH OUTDIR CMD...   (writes OUTDIR/vafwatch.1 and OUTDIR/vafwatch-CMD.1)

Each page has the sections NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLES, FILES, EXIT STATUS
and SEE ALSO.  SYNOPSIS is the help's "Usage:" line, DESCRIPTION the paragraphs around the
option groups, OPTIONS one .TP entry per option under a subsection per group ("Input:",
"Output:" ...).  EXAMPLES and FILES are below (the help texts do not hold them).
"""
import os
import re
import subprocess
import sys

EXAMPLES = {
    "vafwatch": [("The whole chain on a cohort sheet, reports in out/report/index.html",
                  "vafwatch run -e events.tsv -d out/ cohort.tsv")],
    "catalogue": [("The built-in hotspot table in GRCh37", "vafwatch catalogue --build GRCh37"),
                  ("Plus user targets, every REF checked against the reference",
                   "vafwatch catalogue -T mine.vcf --reference hg19.fa")],
    "count": [("Three draws, four threads", "vafwatch count -o counts.tsv draw1.bam draw2.bam draw3.cram --reference hg38.fa -@ 4"),
              ("Streaming from samtools, no index", "samtools view -u -F 0x904 in.bam | vafwatch count --build GRCh38 -")],
    "model": [("A background model from a panel of normals", "vafwatch model build -o pon.model.tsv N1.bam N2.bam N3.bam")],
    "call": [("Calls with a panel-of-normals model, and JSON", "vafwatch call -m pon.model.tsv --json P1.vafwatch.calls.json --output-prefix P1 P1_d0.bam P1_d28.bam")],
    "track": [("Each target over each patient's draws", "vafwatch track --sheet cohort.tsv -e events.tsv --output-prefix cohort P1.vafwatch.calls.tsv")],
    "leadtime": [("Lead time per patient and the cohort summary, as JSON too",
                  "vafwatch leadtime --sheet cohort.tsv -e events.tsv --json cohort.vafwatch.leadtime.json --output-prefix cohort calls.tsv")],
    "cnv": [("ERBB2/MET/KRAS/EGFR copy number of one draw against three normals",
             "vafwatch cnv -b panel.bed --pon N1.bam --pon N2.bam --pon N3.bam --tf P1=0.2 --output-prefix P1 P1.bam"),
            ("Save the panel of normals once", "vafwatch cnv --build-pon -b panel.bed --output-prefix pon N*.bam")],
    "report": [("The reports, with copy number and clinical markers, dated for reproducible output",
                "vafwatch report --sheet cohort.tsv -e events.tsv --cnv P1.vafwatch.cnv.tsv --markers markers.tsv "
                "--report-date 2024-03-01 -d report/ calls.tsv"),
               ("Then MultiQC picks up the custom content", "multiqc report/")],
    "run": [("Everything from the cohort sheet", "vafwatch run -e events.tsv -d out/ cohort.tsv"),
            ("With copy number from an amplicon panel", "vafwatch run -e events.tsv --cnv-bed panel.bed -d out/ cohort.tsv")],
}

FILES = {
    "vafwatch": [("cohort.tsv", "the cohort sheet: patient, sample, date, file, type, cfdna_ng_per_ml, specimen_id, assay"),
                 ("events.tsv", "treatments, scans, progression, last follow-up, death")],
    "catalogue": [("-o FILE", "the target table (default: standard output)")],
    "count": [("-o FILE", "the evidence table, with #self_background lines (default: standard output)"),
              ("--json JFILE", "the same as JSON (docs/schema/vafwatch-counts.schema.json)")],
    "model": [("-o FILE", "the background model")],
    "call": [("PREFIX.vafwatch.calls.tsv", "one row per sample and target"),
             ("PREFIX.vafwatch.calls.vcf.gz, .tbi", "the calls as VCF: FILTER, FORMAT FT, per-allele INFO"),
             ("--json FILE", "the calls as JSON (docs/schema/vafwatch-calls.schema.json)")],
    "track": [("PREFIX.vafwatch.track.tsv", "one row per patient and target"),
              ("PREFIX.vafwatch.series.tsv", "one row per patient, target and draw")],
    "leadtime": [("PREFIX.vafwatch.leadtime.tsv", "one row per patient"),
                 ("PREFIX.vafwatch.cohort.tsv", "the cohort summary by gene of the first clone"),
                 ("--json FILE", "the lead times as JSON (docs/schema/vafwatch-leadtime.schema.json)")],
    "cnv": [("PREFIX.vafwatch.cnv.tsv", "gene copy number per draw"),
            ("PREFIX.vafwatch.cnv_regions.tsv", "per region"),
            ("PREFIX.vafwatch.cnv_pon.tsv", "with --build-pon: the panel of normals")],
    "report": [("DIR/index.html", "the cohort report"),
               ("DIR/patients/PATIENT.html, .json", "one page and one JSON per patient"),
               ("DIR/vafwatch.report.json", "the whole run (docs/schema/vafwatch-report.schema.json)"),
               ("DIR/vafwatch_mqc.tsv, DIR/vafwatch_stats_mqc.tsv, DIR/vafwatch_vaf_mqc.json",
                "MultiQC custom content: lead-time table, General Statistics, VAF line plot")],
    "run": [("DIR/vafwatch.calls.tsv, .calls.vcf.gz, .track.tsv, .series.tsv, .leadtime.tsv, .cohort.tsv, .leadtime.json",
             "the tables of every stage"),
            ("DIR/report/", "as vafwatch report -d DIR/report"),
            ("DIR/counts/", "the per-sample evidence cache")],
}

ENVIRONMENT = {
    "report": [("SOURCE_DATE_EPOCH", "seconds since 1970-01-01 UTC: the report date when --report-date is not given")],
    "run": [("SOURCE_DATE_EPOCH", "seconds since 1970-01-01 UTC: the reports' date when --report-date and --no-report-date are not given (else today)")],
}


def esc(line):
    line = line.replace("\\", "\\e")
    if line.startswith(".") or line.startswith("'"):
        line = "\\&" + line
    return line.replace("-", "\\-")


OPT = re.compile(r"^ {2,6}(-\S.*?)(?:\s{2,}(\S.*))?$")
HEAD = re.compile(r"^[A-Z][A-Za-z ()/-]{0,30}:$")


def parse(help_text):
    """Splits a --help text into usage lines, description paragraphs and option groups."""
    usage, desc, groups, tail = [], [], [], []
    lines = help_text.strip("\n").splitlines()
    i = 0
    while i < len(lines) and not lines[i].startswith("Usage:"):
        i += 1
    while i < len(lines) and lines[i].strip():
        usage.append(re.sub(r"^Usage:\s*", "", lines[i]).strip())
        i += 1
    group = None
    for line in lines[i:]:
        if HEAD.match(line):
            group = [line[:-1], []]
            groups.append(group)
        elif group is not None and OPT.match(line):
            m = OPT.match(line)
            group[1].append([m.group(1).strip(), m.group(2) or ""])
        elif group is not None and line.startswith(" " * 10) and group[1]:
            group[1][-1][1] += " " + line.strip()
        elif group is not None and not line.strip():
            group = None if groups else group
        elif group is None:
            (tail if groups else desc).append(line)
    return usage, desc, groups, tail


def paragraphs(lines):
    out, cur = [], []
    for l in lines + [""]:
        if l.strip():
            cur.append(l.strip())
        elif cur:
            out.append(" ".join(cur))
            cur = []
    return out


def page(name, title, version, help_text, see_also, key):
    usage, desc, groups, tail = parse(help_text)
    out = [f'.TH "{name.upper()}" 1 "" "vafwatch {version}" "vafwatch manual"', ".SH NAME",
           f"{esc(name)} \\- {esc(title)}", ".SH SYNOPSIS"]
    for u in usage or [name]:
        out += [".B", esc(u), ".br"]
    out.append(".SH DESCRIPTION")
    if key == "vafwatch":
        desc = ["vafwatch follows drug-resistance clones in serial plasma (ctDNA) samples: it counts mutant and "
                "reference fragments at resistance hotspots, calls them against a background, tracks their "
                "emergence over the draws of each patient, measures the lead time over radiographic progression "
                "and writes tables, VCF, JSON and HTML reports.  Each stage is a command; run chains them."]
        tail = [l for l in help_text.splitlines() if l.startswith("'vafwatch")]
    for p in paragraphs(desc) + paragraphs(tail):
        out += [".PP", esc(p)]
    if key == "vafwatch":
        cmds = re.findall(r"^  (\w+(?: \[cmd\])?) +(.+)$", help_text, re.M)
        out += [".SS Commands"]
        for c, d in cmds:
            out += [".TP", f"\\fB{esc(c)}\\fR", esc(d)]
        groups = [["Generic", [["-h, --help", "this text"], ["--version", "print the version"]]]]
    out.append(".SH OPTIONS")
    for g, opts in groups:
        out.append(f".SS {esc(g)}")
        for o, d in opts:
            m = re.match(r"^(-\w, --\S+|--?\S+)(?: (.*))?$", o)
            flags, arg = (m.group(1), m.group(2)) if m else (o, None)
            out += [".TP", f"\\fB{esc(flags)}\\fR" + (f" \\fI{esc(arg)}\\fR" if arg else ""), esc(d)]
    out.append(".SH EXAMPLES")
    for d, c in EXAMPLES.get(key, []):
        out += [".PP", esc(d) + ":", ".PP", ".RS", ".nf", esc(c), ".fi", ".RE"]
    out.append(".SH FILES")
    for f, d in FILES.get(key, []):
        out += [".TP", f"\\fI{esc(f)}\\fR", esc(d)]
    if key in ENVIRONMENT:
        out.append(".SH ENVIRONMENT")
        for v, d in ENVIRONMENT[key]:
            out += [".TP", f"\\fB{esc(v)}\\fR", esc(d)]
    out += [".SH EXIT STATUS", ".TP", "0", "success (also \\-\\-help)", ".TP", "1",
            "a data or runtime error: one line on standard error names the file and the place; "
            "no half-written output is left", ".TP", "2", "a usage error (unknown option, missing or "
            "conflicting arguments)", ".SH SEE ALSO",
            ", ".join(f"\\fB{esc(s)}\\fR(1)" for s in see_also)]
    return "\n".join(out) + "\n"


def main():
    exe, outdir, cmds = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(outdir, exist_ok=True)
    run = lambda *a: subprocess.run([exe, *a], capture_output=True, text=True).stdout
    version = run("--version").split()[1] if run("--version") else "?"
    top = run("help")
    titles = dict(re.findall(r"^  (\w+) +(.+)$", top, re.M))
    names = [f"vafwatch-{c}" for c in cmds]
    with open(os.path.join(outdir, "vafwatch.1"), "w") as f:
        f.write(page("vafwatch", "follow drug-resistance clones in serial plasma samples", version, top, names,
                     "vafwatch"))
    for c in cmds:
        with open(os.path.join(outdir, f"vafwatch-{c}.1"), "w") as f:
            f.write(page(f"vafwatch-{c}", titles.get(c, c), version, run(c, "--help"), ["vafwatch"], c))


if __name__ == "__main__":
    main()
