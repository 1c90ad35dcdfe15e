#!/usr/bin/env python3
"""The Nextflow modules (docs/workflows/nextflow) without Nextflow.

1. Every module follows the conventions: a process VAFWATCH_<NAME>, a meta map
   in its input tuple, task.ext.args, versions.yml from 'vafwatch --version',
   a stub: block that touches every declared output, a container and a conda
   directive (the conda one pointing at docs/packaging/conda/environment.yml,
   which must exist); count passes task.cpus to -t and takes (meta, bam, bai).
2. The script: command templates, evaluated here for the example cohort, are
   exactly the commands the Snakemake rules run ('snakemake --dry-run
   --printshellcmds'), file arguments compared by their base names (Nextflow
   stages inputs into the task directory).  The Groovy lines that compute
   the template's values are evaluated by the Python twins in DEFS below;
   a module line this checker does not know is a failure, so the two cannot
   drift apart silently.
3. With a 'targets' column: -T in every count, call --sheet -e, --patient-tests.
4. An evidence class and a model made elsewhere (--evidence_class, --model): the
   call task's ext.args closure in nextflow.config (evaluated by its Python twin
   in CONFIG_ARGS, an unknown closure a failure) gives 'call --class NAME', and
   main.nf stages the model instead of building one: the call command equals the
   Snakemake rule's with 'class' and 'model' set.

Usage: check_nextflow.py SOURCE_DIR WORKDIR   (exit 77 without snakemake)
"""
import csv
import os
import re
import shlex
import shutil
import subprocess
import sys

import yaml

SRC, WORK = sys.argv[1], sys.argv[2]
NF = os.path.join(SRC, "docs", "workflows", "nextflow")
MODULES = ["count", "model", "call", "track", "leadtime", "cnv", "report"]
failed = 0
passed = 0


def ok(msg):
    global passed
    passed += 1
    print("ok   " + msg)


def ko(msg):
    global failed
    failed += 1
    print("FAIL " + msg)


def cfdna_of(samples):
    out = []
    for s in samples:
        v = s.get("cfdna_ng_per_ml", "")
        try:
            if v and v != "NA" and float(v) > 0:
                out.append("--cfdna %s=%s" % (s["id"], v))
        except ValueError:
            pass
    return " ".join(out)


# Python twins of the Groovy lines of the script: blocks (exact text).
DEFS = {
    "def args = task.ext.args ?: ''": lambda e: e.__setitem__("args", e.get("task.ext.args") or ""),
    'prefix = task.ext.prefix ?: "${meta.id}"': lambda e: e.__setitem__("prefix", e["meta"]["id"]),
    "def model_arg = model ? \"-m ${model}\" : ''": lambda e: e.__setitem__(
        "model_arg", "-m " + e["model"] if e["model"] else ""),
    "def reference = fasta ? \"--reference ${fasta}\" : ''": lambda e: e.__setitem__(
        "reference", "--reference " + e["fasta"] if e.get("fasta") else ""),
    "def targets_arg = targets ? targets.collect { \"-T ${it}\" }.join(' ') : ''": lambda e: e.__setitem__(
        "targets_arg", " ".join("-T " + t for t in e.get("targets") or [])),
    "def cnv_args = cnv ? cnv.collect { \"--cnv ${it}\" }.join(' ') : ''": lambda e: e.__setitem__(
        "cnv_args", " ".join("--cnv " + t for t in e.get("cnv") or [])),
    "def sheet_arg = events ? \"--sheet ${sheet} -e ${events}\" : ''": lambda e: e.__setitem__(
        "sheet_arg", "--sheet %s -e %s" % (e["sheet"], e["events"]) if e.get("events") else ""),
    "def ptests = patient ? \"--patient-tests ${patient}\" : ''": lambda e: e.__setitem__(
        "ptests", "--patient-tests " + e["patient"] if e.get("patient") else ""),
    'def cfdna = samples.findAll { it.cfdna_ng_per_ml && it.cfdna_ng_per_ml != "NA" && '
    '(it.cfdna_ng_per_ml as double) > 0 }.collect { "--cfdna ${it.id}=${it.cfdna_ng_per_ml}" }.join(" ")':
        lambda e: e.__setitem__("cfdna", cfdna_of(e["samples"])),
}


# Python twins of the ext.args closures of nextflow.config (exact text), by process.
CONFIG_ARGS = {
    "VAFWATCH_CALL": {
        """ext.args = { params.evidence_class ? "--class ${params.evidence_class}" : '' }""":
            lambda params: "--class " + params["evidence_class"] if params.get("evidence_class") else "",
    },
}


def config_args(process, params):
    """task.ext.args of a process for params, from nextflow.config: the
    closure of its withName block, evaluated by its twin (None: none set)."""
    cfg = open(os.path.join(NF, "nextflow.config")).read()
    m = re.search(r"withName: '%s' \{(.*?)\n    \}" % process, cfg, re.S)
    if not m:
        return None
    lines = [l.strip() for l in m.group(1).splitlines() if l.strip().startswith("ext.args")]
    if not lines:
        return None
    if len(lines) != 1 or lines[0] not in CONFIG_ARGS.get(process, {}):
        raise ValueError("nextflow.config: %s: ext.args unknown to the checker: %s" % (process, lines))
    return CONFIG_ARGS[process][lines[0]](params)


def value(env, expr):
    if expr in env:
        v = env[expr]
    elif expr.startswith("meta."):
        v = env["meta"][expr[5:]]
    else:
        raise KeyError(expr)
    return " ".join(v) if isinstance(v, list) else str(v)


def render(module, env):
    """The first command of the module's script: template, for env."""
    text = open(os.path.join(NF, "modules", "local", "vafwatch", module, "main.nf")).read()
    body = text[text.index("    script:\n") + len("    script:\n"):]
    pre, tmpl = body.split('"""', 1)
    tmpl = tmpl.split('"""', 1)[0]
    for line in pre.splitlines():
        line = line.strip()
        if not line:
            continue
        if line not in DEFS:
            raise ValueError("%s: script line unknown to the checker: %s" % (module, line))
        DEFS[line](env)
    cmd = [l.strip() for l in tmpl.splitlines() if l.strip()][0]
    return re.sub(r"\$\{([^}]+)\}|\$([A-Za-z_][A-Za-z_0-9.]*)", lambda m: value(env, m.group(1) or m.group(2)), cmd)


def norm(cmd):
    """Tokens, file arguments reduced to base names; a Snakemake rule's log
    redirection ('2> LOG') is not part of the command."""
    t = shlex.split(cmd)
    if len(t) >= 2 and t[-2] == "2>":
        t = t[:-2]
    return [os.path.basename(x) if "/" in x else x for x in t]


# 1. conventions
for m in MODULES:
    p = os.path.join(NF, "modules", "local", "vafwatch", m, "main.nf")
    if not os.path.exists(p):
        ko("%s: no module" % p)
        continue
    t = open(p).read()
    checks = {
        "process VAFWATCH_%s" % m.upper(): "process VAFWATCH_%s {" % m.upper() in t,
        "meta map input": re.search(r"input:\s*\n\s*tuple val\(meta\)", t) is not None,
        "tag from meta.id": 'tag "$meta.id"' in t,
        "task.ext.args": "task.ext.args" in t,
        "versions.yml output and writer": 'path "versions.yml", emit: versions' in t
        and t.count("vafwatch --version") == 2,
        "stub: block": "\n    stub:\n" in t,
        "container": re.search(r"\n    container '[^']+'", t) is not None,
        "conda -> the module's environment.yml": '\n    conda "${moduleDir}/environment.yml"' in t,
        "when: ext.when": "task.ext.when == null || task.ext.when" in t,
    }
    d = os.path.dirname(p)
    # nf-core files beside the module: environment.yml, meta.yml, tests/main.nf.test
    try:
        env = yaml.safe_load(open(os.path.join(d, "environment.yml")))
        checks["environment.yml: channels, vafwatch"] = "conda-forge" in env["channels"] and any(
            "vafwatch" in x for x in env["dependencies"])
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        checks["environment.yml"] = False
    try:
        meta = yaml.safe_load(open(os.path.join(d, "meta.yml")))
        names_in = set()
        for it in meta["input"]:
            for e in (it if isinstance(it, list) else [it]):
                names_in.update(e)
        names_out = {k for it in meta["output"] for k in it}
        block = t[t.index("    input:"):t.index("    output:")]
        decl_in = set(re.findall(r"(?:val|path)\((\w+)\)", block)) | set(re.findall(r"^\s*path (\w+)$", block, re.M))
        decl_out = set(re.findall(r"emit: (\w+)", t))
        checks["meta.yml: name, tools, every input and output"] = (
            meta["name"] == "vafwatch_" + m and "vafwatch" in meta["tools"][0] and decl_in <= names_in
            and decl_out <= names_out and all(k in meta for k in ("description", "keywords", "authors")))
        if not checks["meta.yml: name, tools, every input and output"]:
            print("    meta.yml: inputs %s of %s, outputs %s of %s" % (sorted(decl_in - names_in), sorted(decl_in),
                                                                       sorted(decl_out - names_out), sorted(decl_out)))
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as e:
        checks["meta.yml (%s)" % e] = False
    try:
        nt = open(os.path.join(d, "tests", "main.nf.test")).read()
        checks["tests/main.nf.test: nf-test process, snapshot, stub"] = (
            "nextflow_process {" in nt and 'script "../main.nf"' in nt and 'process "VAFWATCH_%s"' % m.upper() in nt
            and nt.count("snapshot(process.out).match()") == 2 and 'options "-stub"' in nt
            and "assert process.success" in nt)
    except OSError:
        checks["tests/main.nf.test"] = False
    if m in ("count", "cnv"):
        checks["(meta, bam, bai)"] = "tuple val(meta), path(bam), path(bai)" in t
        checks["task.cpus -> -t"] = "-t $task.cpus" in t
    if m == "count":
        checks["reference and targets staged"] = ("tuple val(meta2), path(fasta), path(fai)" in t
                                                  and "path(targets)" in t)
    # a .gz output of the stub is a valid gzip, not an empty file
    stub_txt = t[t.index("\n    stub:\n"):] if "\n    stub:\n" in t else ""
    for gz in re.findall(r'path\("\$\{prefix\}(\.vafwatch\.[a-z.]+\.gz)"\)', t):
        checks["stub writes valid gzip (%s)" % gz] = ('echo "" | gzip > ${prefix}' + gz) in stub_txt
    # the stub touches every declared output file
    outs = re.findall(r'path\("\$\{prefix\}(\.vafwatch\.[a-z.]+)"\)', t)
    stub = t[t.index("\n    stub:\n"):] if "\n    stub:\n" in t else ""
    checks["stub writes every output (%d)" % len(outs)] = (m == "report" and "touch report/index.html" in stub) or (
        bool(outs) and all("${prefix}" + o in stub for o in outs))
    bad = [k for k, v in checks.items() if not v]
    if bad:
        ko("%s: %s" % (m, ", ".join(bad)))
    else:
        ok("%s: %s" % (m, ", ".join(checks)))

# main.nf carries the patients' own targets: counted in every draw, the call task
# given the staged sheet, events and files, the patient table on to leadtime and report
mt = open(os.path.join(NF, "main.nf")).read()
mchecks = {
    "targets in the meta map": "targets: r.targets" in mt,
    "patient targets counted": "Channel.value(user_targets + patient_targets)" in mt,
    "call: staged sheet, events, files": "VAFWATCH_CALL(ch_gathered, ch_model, ch_call_sheet[0], ch_call_sheet[1], "
                                         "ch_call_sheet[2])" in mt,
    "leadtime and report: the patient table": "VAFWATCH_LEADTIME(VAFWATCH_CALL.out.calls, sheet, events, ch_patient)" in mt
    and "VAFWATCH_REPORT(VAFWATCH_CALL.out.calls, sheet, events, ch_cnv, ch_patient)" in mt,
}
bad = [k for k, v in mchecks.items() if not v]
if bad:
    ko("main.nf: " + ", ".join(bad))
else:
    ok("main.nf: " + ", ".join(mchecks))

# the container: no ENTRYPOINT (engines run their own command lines), procps for ps
df = open(os.path.join(SRC, "docs", "packaging", "Dockerfile")).read()
if not re.search(r"^ENTRYPOINT", df, re.M) and re.search(r"apt-get install[^\n]*\bprocps\b", df):
    ok("Dockerfile: no ENTRYPOINT, procps installed")
else:
    ko("Dockerfile: ENTRYPOINT or no procps")

# 2. the commands, against the Snakemake rules
if not shutil.which("snakemake"):
    print("%d passed, %d failed; skip the command comparison: snakemake not installed" % (passed, failed))
    sys.exit(1 if failed else 77)
C = os.path.join(WORK, "cohort")
os.makedirs(os.path.join(C, "recipes"), exist_ok=True)
os.makedirs(os.path.join(C, "sim"), exist_ok=True)
subprocess.run([sys.executable, os.path.join(SRC, "testdata", "cohort", "make_cohort.py"), "--outdir", C,
                "--recipes", os.path.join(C, "recipes")], check=True, stdout=subprocess.DEVNULL)
with open(os.path.join(C, "cohort.tsv"), newline="") as fh:
    rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
for r in rows:  # placeholders: a dry run opens nothing
    for f in (r["file"], r["file"] + ".bai"):
        open(os.path.join(C, f), "a").close()
S = os.path.join(WORK, "snakemake")
os.makedirs(S, exist_ok=True)
with open(os.path.join(S, "config.yaml"), "w") as fh:
    fh.write("sheet: %s\nevents: %s\noutdir: results\nname: cohort\nvafwatch: vafwatch\nthreads: 1\n"
             % (os.path.join(C, "cohort.tsv"), os.path.join(C, "events.tsv")))
res = subprocess.run(["snakemake", "-s", os.path.join(SRC, "docs", "workflows", "snakemake", "Snakefile"),
                      "--configfile", "config.yaml", "--cores", "2", "--dry-run", "--printshellcmds", "--forceall"],
                     cwd=S, capture_output=True, text=True)
if res.returncode != 0:
    print(res.stdout[-2000:], res.stderr[-2000:])
    ko("snakemake --dry-run failed")
    sys.exit(1)
snk = [l.strip() for l in (res.stdout + res.stderr).splitlines() if l.strip().startswith("vafwatch ")]
snk_by = {}
for c in snk:
    snk_by.setdefault(shlex.split(c)[1], []).append(norm(c))

# the order of main.nf: patients by first appearance, draws by date then line
first = {}
for i, r in enumerate(rows):
    first.setdefault(r["patient"], i)
order = sorted(range(len(rows)), key=lambda i: (first[rows[i]["patient"]], rows[i]["date"], i))
metas = [dict(id=rows[i]["sample"], patient=rows[i]["patient"], date=rows[i]["date"],
              type=rows[i].get("type") or "plasma", cfdna_ng_per_ml=rows[i].get("cfdna_ng_per_ml") or "")
         for i in order]
paths = {rows[i]["sample"]: os.path.join(C, rows[i]["file"]) for i in order}

nf_by = {"count": [], "model": [], "call": [], "track": [], "leadtime": [], "report": []}
for m in metas:
    env = {"meta": m, "task.cpus": 1, "bam": paths[m["id"]], "bai": paths[m["id"]] + ".bai", "fasta": [],
           "targets": []}
    nf_by["count"].append(norm(render("count", env)))
tables = ["%s.vafwatch.counts.tsv" % m["id"] for m in metas]
normals = [t for m, t in zip(metas, tables) if m["type"] == "normal"]
cohort = {"id": "cohort"}
if len(normals) >= 2:
    nf_by["model"].append(norm(render("model", {"meta": cohort, "tables": normals})))
model = "cohort.vafwatch.model.tsv" if len(normals) >= 2 else ""
nf_by["call"].append(norm(render("call", {"meta": cohort, "samples": metas, "tables": tables, "model": model,
                                          "sheet": "cohort.tsv", "events": "events.tsv", "patient_targets": [],
                                          "task.ext.args": config_args("VAFWATCH_CALL", {})})))
for k in ("track", "leadtime", "report"):
    nf_by[k].append(norm(render(k, {"meta": cohort, "calls": "cohort.vafwatch.calls.tsv", "cnv": [], "patient": [],
                                    "sheet": os.path.join(C, "cohort.tsv"), "events": os.path.join(C, "events.tsv")})))

for k in ("count", "model", "call", "track", "leadtime", "report"):
    want = sorted(snk_by.get(k if k != "model" else "model", []))
    got = sorted(nf_by[k])
    if k == "model":  # 'vafwatch model build': keyed by 'model'
        want = sorted(snk_by.get("model", []))
    if got == want:
        ok("%s: %d command(s) identical to the Snakemake rule's%s" % (
            k, len(got), " (none: the cohort has fewer than two normals)" if not got else ""))
    else:
        ko("%s: the commands differ" % k)
        for a, b in list(zip(got, want))[:2]:
            if a != b:
                print("  nextflow : " + " ".join(a))
                print("  snakemake: " + " ".join(b))
        print("  %d nextflow, %d snakemake" % (len(got), len(want)))

# 3. tumour-informed monitoring: the first patient gets its own targets (the
# sheet's 'targets' column); the same commands as the Snakemake rules: -T in every
# count, call --sheet -e, leadtime and report --patient-tests
tfile = os.path.join(C, "P.targets.tsv")
open(tfile, "w").write("chrom\tpos\tref\talt\n")
tsheet = os.path.join(C, "cohort_t.tsv")
with open(tsheet, "w") as fh:
    cols = list(rows[0].keys()) + ["targets"]
    fh.write("\t".join(cols) + "\n")
    for r in rows:
        fh.write("\t".join([r[c] or "" for c in cols[:-1]] + ["P.targets.tsv" if r["patient"] == rows[0]["patient"]
                                                               else ""]) + "\n")
with open(os.path.join(S, "config_t.yaml"), "w") as fh:
    fh.write("sheet: %s\nevents: %s\noutdir: results\nname: cohort\nvafwatch: vafwatch\nthreads: 1\n"
             % (tsheet, os.path.join(C, "events.tsv")))
res = subprocess.run(["snakemake", "-s", os.path.join(SRC, "docs", "workflows", "snakemake", "Snakefile"),
                      "--configfile", "config_t.yaml", "--cores", "2", "--dry-run", "--printshellcmds", "--forceall"],
                     cwd=S, capture_output=True, text=True)
if res.returncode != 0:
    print(res.stdout[-2000:], res.stderr[-2000:])
    ko("snakemake --dry-run with a targets column failed")
    sys.exit(1)
snk_by = {}
for c in [l.strip() for l in (res.stdout + res.stderr).splitlines() if l.strip().startswith("vafwatch ")]:
    snk_by.setdefault(shlex.split(c)[1], []).append(norm(c))
nf_by = {"count": [], "call": [], "leadtime": [], "report": []}
for m in metas:
    env = {"meta": m, "task.cpus": 1, "bam": paths[m["id"]], "bai": paths[m["id"]] + ".bai", "fasta": [],
           "targets": [tfile]}
    nf_by["count"].append(norm(render("count", env)))
nf_by["call"].append(norm(render("call", {"meta": cohort, "samples": metas, "tables": tables, "model": model,
                                          "sheet": "cohort_t.tsv", "events": "events.tsv",
                                          "patient_targets": ["P.targets.tsv"]})))
for k in ("leadtime", "report"):
    nf_by[k].append(norm(render(k, {"meta": cohort, "calls": "cohort.vafwatch.calls.tsv", "cnv": [],
                                    "patient": "cohort.vafwatch.patient.tsv", "sheet": tsheet,
                                    "events": os.path.join(C, "events.tsv")})))
for k in ("count", "call", "leadtime", "report"):
    got, want = sorted(nf_by[k]), sorted(snk_by.get(k, []))
    if got == want and got:
        ok("with patient targets, %s: %d command(s) identical to the Snakemake rule's" % (k, len(got)))
    else:
        ko("with patient targets, %s: the commands differ" % k)
        for a, b in list(zip(got, want))[:2]:
            print("  nextflow : " + " ".join(a))
            print("  snakemake: " + " ".join(b))

# 4. an evidence class and a model made elsewhere: nextflow.config's params and the
# call task's ext.args, main.nf's staged model; the call command equals the Snakemake
# rule's with 'class' and 'model' set
cfg = open(os.path.join(NF, "nextflow.config")).read()
cchecks = {
    "params.model, params.evidence_class": re.search(r"^\s*model\s*= null", cfg, re.M) is not None
    and re.search(r"^\s*evidence_class\s*= null", cfg, re.M) is not None,
    "main.nf stages --model into call, no model build then":
        "params.model ? Channel.value(file(params.model, checkIfExists: true))" in mt
        and "VAFWATCH_MODEL(params.model ? Channel.empty() : ch_normals)" in mt,
    "call: --class from ext.args": config_args("VAFWATCH_CALL", {"evidence_class": "duplex"}) == "--class duplex"
    and config_args("VAFWATCH_CALL", {}) == "",
}
bad = [k for k, v in cchecks.items() if not v]
if bad:
    ko("evidence class: " + ", ".join(bad))
else:
    ok("evidence class: " + ", ".join(cchecks))
pon = os.path.join(C, "pon.tsv")
open(pon, "w").close()
with open(os.path.join(S, "config_c.yaml"), "w") as fh:
    fh.write("sheet: %s\nevents: %s\noutdir: results\nname: cohort\nvafwatch: vafwatch\nthreads: 1\n"
             "model: %s\nclass: duplex\n" % (os.path.join(C, "cohort.tsv"), os.path.join(C, "events.tsv"), pon))
res = subprocess.run(["snakemake", "-s", os.path.join(SRC, "docs", "workflows", "snakemake", "Snakefile"),
                      "--configfile", "config_c.yaml", "--cores", "2", "--dry-run", "--printshellcmds", "--forceall"],
                     cwd=S, capture_output=True, text=True)
if res.returncode != 0:
    print(res.stdout[-2000:], res.stderr[-2000:])
    ko("snakemake --dry-run with class and model failed")
    sys.exit(1)
want = [norm(l.strip()) for l in (res.stdout + res.stderr).splitlines() if l.strip().startswith("vafwatch call ")]
got = [norm(render("call", {"meta": cohort, "samples": metas, "tables": tables, "model": "pon.tsv",
                            "sheet": "cohort.tsv", "events": "events.tsv", "patient_targets": [],
                            "task.ext.args": config_args("VAFWATCH_CALL", {"evidence_class": "duplex"})}))]
if got == want and "--class" in got[0]:
    ok("with --evidence_class duplex and --model: the call command equals the Snakemake rule's (call -m pon.tsv --class duplex)")
else:
    ko("with an evidence class: the call commands differ")
    print("  nextflow : " + " ".join(got[0]))
    print("  snakemake: " + " ".join(want[0] if want else []))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
