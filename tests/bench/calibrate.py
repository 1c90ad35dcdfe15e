#!/usr/bin/env python3
"""Calibration benchmark of vafwatch's decisions (call, track) on simulated counts.

The noise of the simulator is deliberately NOT the model vafwatch fits (a
beta-binomial per site with one mean and one over-dispersion):

  * per site: an error rate drawn once from a gamma distribution (shape 2)
    around the mean of its substitution class (C>A ... T>G, indels lower), so
    sites of one class differ several-fold;
  * per sample: a log-normal multiplier of that rate (sd 0.5 on the log scale),
    shared by all the sites of the sample (library preparation, run);
  * per site x sample: a log-normal jitter (sd 0.3);
  * depth: 5,000 fragments x a per-sample log-normal (sd 0.25) x a per-target
    log-normal (sd 0.15);
  * optionally one artefact draw per patient: one post-baseline draw of one
    target with an error rate of 4e-3 in that draw only;
  * the self background lines carry flank positions that have their own gamma
    rates (not the targets'), times the sample multiplier and jitter.

It writes evidence tables (the format of 'vafwatch count'), runs the real
binary (model build, call, track with every rule) and prints:

  * the per-test false-positive rate (p < 0.01) and the per-sample family-wise
    error (any 'detected = yes' in a null sample) for the panel and the self
    background;
  * the per-patient false emergence of every rule and background (null
    patients, 10 draws 28 days apart, no mutant), and with one artefact draw;
  * with --scenarios panels: the per-test rate at the hottest sites over 10
    independent panels (not only the one panel of the other scenarios);
  * the per-sample family-wise error with a therapy (--therapy cetuximab,
    osimertinib: the weighted discovery family of docs/calling.md);
  * a sensitivity grid (VAF 0.1/0.25/0.5/1 % x 1,000/2,000/5,000/20,000
    fragments) for one target (KRAS G12D) tested with the catalogue, with the
    catalogue under --therapy cetuximab and on its own (--known), beside the
    exact binomial oracle (true mean error known) at the same level; and
    EGFR T790M at 5,000 fragments under --therapy osimertinib.

Usage: tests/bench/calibrate.py [--vafwatch build/src/vafwatch] [--patients N]
                                [--grid-samples N] [--full] [--seed S] [--workdir DIR]

The default size (200 null patients per scenario, 200 samples per grid cell)
runs in a few minutes on one core; --full uses 1,000 and 1,000.  Seeded: the
same options give the same figures.  Rates are printed with their binomial
standard error.
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile

CLASS_MEAN = {"C>A": 4e-4, "C>G": 2e-4, "C>T": 8e-4, "T>A": 2e-4, "T>C": 4e-4, "T>G": 2e-4, "other": 5e-5}
SUBS = ["C>A", "C>G", "C>T", "T>A", "T>C", "T>G"]
COMP = {"A": "T", "C": "G", "G": "C", "T": "A"}
GAMMA_SHAPE = 2.0
SAMPLE_SD = 0.5
JITTER_SD = 0.3
DEPTH = 5000
N_DRAWS = 10
DRAW_GAP = 28
ARTEFACT_ERR = 4e-3
ALPHA = 0.05
SELF_DISP = True
THERAPIES = ("cetuximab", "osimertinib")  # write the flank moments of the self background (--no-self-disp: the older 16 fields)


def sub_class(ref, alt):
    if len(ref) != 1 or len(alt) != 1:
        return "other"
    if ref in "GA":
        ref, alt = COMP[ref], COMP[alt]
    return f"{ref}>{alt}"


def binom(rnd, n, p):
    """Exact Bin(n, p) draw (Knuth, TAOCP 2, 3.4.1: recursive beta splitting)."""
    if p <= 0 or n <= 0:
        return 0
    if p >= 1:
        return n
    x = 0
    while n > 40:
        a = 1 + n // 2
        b = n + 1 - a
        v = rnd.betavariate(a, b)
        if v >= p:
            n, p = a - 1, p / v
        else:
            x += a
            n, p = b - 1, (p - v) / (1 - v)
    return x + sum(1 for _ in range(n) if rnd.random() < p)


def log_binom_pmf(k, n, p):
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def binom_upper(k, n, p):
    """P(Bin(n, p) >= k), summed exactly in log space."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    return min(1.0, sum(math.exp(log_binom_pmf(j, n, p)) for j in range(k, n + 1)))


def oracle_power(n, f, err, level):
    """Exact power of the one-sided binomial test that knows the mean error."""
    k = 0
    lo, hi = 1, n + 1
    while lo < hi:  # smallest k with P(X >= k) <= level
        mid = (lo + hi) // 2
        if binom_upper(mid, n, err) <= level:
            hi = mid
        else:
            lo = mid + 1
    k = lo
    return binom_upper(k, n, f + err * (1 - f)) if k <= n else 0.0


class World:
    """The fixed part of the simulation: targets, their site rates, flank sites."""

    def __init__(self, rnd, targets):
        self.targets = targets
        self.site_err = [CLASS_MEAN[sub_class(t[2], t[3])] * rnd.gammavariate(GAMMA_SHAPE, 1 / GAMMA_SHAPE)
                         for t in targets]
        self.flank = {c: [CLASS_MEAN[c] * rnd.gammavariate(GAMMA_SHAPE, 1 / GAMMA_SHAPE) for _ in range(40)]
                      for c in SUBS}

    def mean_err(self, i):
        """Mean error of target i over samples (log-normal means)."""
        return self.site_err[i] * math.exp(SAMPLE_SD ** 2 / 2 + JITTER_SD ** 2 / 2)


HEADER = ("#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
          "\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq"
          "\tref_median_fraglen\talt_median_fraglen\n")


def sample_rows(rnd, w, name, mult_sd=SAMPLE_SD, depth=None, signal=None, artefact=None):
    """Rows and the self-background line of one sample.
    signal = (target index, VAF); artefact = target index with error ARTEFACT_ERR."""
    mult = math.exp(rnd.gauss(0, mult_sd))
    sdepth = DEPTH * math.exp(rnd.gauss(0, 0.25)) if depth is None else depth
    rows = []
    for i, t in enumerate(w.targets):
        n = int(round(sdepth * math.exp(rnd.gauss(0, 0.15)))) if depth is None else depth
        e = w.site_err[i] * mult * math.exp(rnd.gauss(0, JITTER_SD))
        if artefact == i:
            e = ARTEFACT_ERR
        if signal and signal[0] == i:
            e = signal[1] + e * (1 - signal[1])
        e = min(e, 0.5)
        x = binom(rnd, n, e)
        ref = n - x
        af, rf = binom(rnd, x, 0.5), binom(rnd, ref, 0.5)
        bq = "37.0" if x else "NA"
        rows.append(f"{name}\t{t[0]}\t{t[1]}\t{t[2]}\t{t[3]}\t{t[4]}\t{t[5]}\t{t[6]}\t{t[7]}\t{n}\t{ref}\t{x}\t0"
                    f"\t0\t{rf}\t{ref - rf}\t{af}\t{x - af}\t{bq}\t{'60.0' if x else 'NA'}\t167\t{'145' if x else 'NA'}\n")
    nn, xx, jj, sxx, snn = [], [], [], [], []
    for c in SUBS:
        tn = tx = 0
        sx = sn = 0.0
        for r in w.flank[c]:
            d = int(round(1.6 * sdepth * math.exp(rnd.gauss(0, 0.15))))
            x = binom(rnd, d, min(0.5, r * mult * math.exp(rnd.gauss(0, JITTER_SD))))
            tn += d
            tx += x
            sx += x * x / d
            sn += d * d
        nn.append(tn)
        xx.append(tx)
        jj.append(len(w.flank[c]))
        sxx.append(sx)
        snn.append(sn)
    fields = [nn, xx] + ([jj, ["%.17g" % v for v in sxx], ["%.17g" % v for v in snn]] if SELF_DISP else [])
    self_line = "#self_background\t%s\t50\t%d\t%s\n" % (name, 40 * len(SUBS),
                                                      "\t".join("\t".join(map(str, f)) for f in fields))
    return self_line, rows


def write_table(path, samples):
    with open(path, "w") as f:
        f.write(HEADER)
        for s in samples:
            f.write(s[0])
        for s in samples:
            f.writelines(s[1])


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("calibrate: %s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.strip()[-500:]))
    return r


def read_tsv(path):
    with open(path) as f:
        head = f.readline()
        while head.startswith("##"):  # provenance lines (the model file)
            head = f.readline()
        head = head.lstrip("#").rstrip("\n").split("\t")
        return [dict(zip(head, l.rstrip("\n").split("\t"))) for l in f if not l.startswith("#")]


def rate(k, n):
    p = k / n if n else float("nan")
    se = math.sqrt(p * (1 - p) / n) if n else float("nan")
    return "%5.1f %% (%d/%d, SE %.1f)" % (100 * p, k, n, 100 * se)


CLONE_ONSET = 3      # the draw at which a clone appears (scenario 'clone')
CLONE_VAF0 = 0.001   # its VAF at onset, doubling every 28 days (capped at 5 %)


def cohort(rnd, w, wd, tag, n_pat, artefact, clone=False):
    """Null patients (or, with clone, one growing clone per patient at a random
    target from draw CLONE_ONSET on): sheet, events and one evidence table.
    Returns the paths and {patient: target id} of the clones."""
    clones = {}
    sheet = os.path.join(wd, tag + ".cohort.tsv")
    events = os.path.join(wd, tag + ".events.tsv")
    samples = []
    with open(sheet, "w") as fs, open(events, "w") as fe:
        fs.write("patient\tsample\tdate\tfile\ttype\n")
        fe.write("patient\tdate\tevent\tdetail\n")
        for p in range(n_pat):
            pid = "P%04d" % p
            art = (rnd.randrange(1, N_DRAWS), rnd.randrange(len(w.targets))) if artefact else None
            ct = rnd.randrange(len(w.targets)) if clone else None
            if clone:
                clones[pid] = w.targets[ct][4]
            for d in range(N_DRAWS):
                day = 19723 + d * DRAW_GAP  # 2024-01-01
                date = "%04d-%02d-%02d" % _civil(day)
                sname = "%s_d%03d" % (pid, d * DRAW_GAP)
                fs.write(f"{pid}\t{sname}\t{date}\t{sname}.bam\tplasma\n")
                sig = (ct, min(0.05, CLONE_VAF0 * 2 ** (d - CLONE_ONSET))) if clone and d >= CLONE_ONSET else None
                samples.append(sample_rows(rnd, w, sname, artefact=art[1] if art and art[0] == d else None,
                                           signal=sig))
            fe.write(f"{pid}\t2024-01-01\ttreatment_start\tcetuximab\n")
    table = os.path.join(wd, tag + ".counts.tsv")
    write_table(table, samples)
    return sheet, events, table, clones


def recurrent_cohort(rnd, w, wd, n_pat, ti):
    """Scenario 'recurrent': target ti emerges (onset at draw 2-6, 0.1 % doubling
    per draw, capped at 5 %) in half of the patients, is CH in a tenth (a VAF
    drawn from 0.3-1.5 % once, at every draw from the baseline: binomial noise
    only) and pre-existing and rising in another tenth (0.2 % at baseline,
    doubling per draw); the rest are null.  Returns the paths and {patient: kind}."""
    kind = {}
    sheet = os.path.join(wd, "recurrent.cohort.tsv")
    events = os.path.join(wd, "recurrent.events.tsv")
    samples = []
    with open(sheet, "w") as fs, open(events, "w") as fe:
        fs.write("patient\tsample\tdate\tfile\ttype\n")
        fe.write("patient\tdate\tevent\tdetail\n")
        for p in range(n_pat):
            pid = "R%04d" % p
            u = p % 10
            k = "emerge" if u < 5 else "ch" if u == 5 else "rising" if u == 6 else "null"
            kind[pid] = k
            onset, ch_vaf = rnd.randrange(2, 7), rnd.uniform(0.003, 0.015)
            for d in range(N_DRAWS):
                day = 19723 + d * DRAW_GAP
                sname = "%s_d%03d" % (pid, d * DRAW_GAP)
                fs.write("%s\t%s\t%04d-%02d-%02d\t%s.bam\tplasma\n" % ((pid, sname) + _civil(day) + (sname,)))
                f = {"emerge": min(0.05, CLONE_VAF0 * 2 ** (d - onset)) if d >= onset else 0,
                     "ch": ch_vaf, "rising": min(0.05, 0.002 * 2 ** d), "null": 0}[k]
                samples.append(sample_rows(rnd, w, sname, signal=(ti, f) if f else None))
            fe.write(f"{pid}\t2024-01-01\ttreatment_start\tcetuximab\n")
    table = os.path.join(wd, "recurrent.counts.tsv")
    write_table(table, samples)
    return sheet, events, table, kind


def recurrent(a, rnd, w, wd, vw, pon, targets):
    """Prints what the cohort rule of possible CH keeps and removes."""
    ti = next(i for i, t in enumerate(targets) if t[4].startswith("KRAS_G12D"))
    tid = targets[ti][4]
    sheet, events, table, kind = recurrent_cohort(rnd, w, wd, a.patients, ti)
    pre = os.path.join(wd, "recurrent.pon")
    run([vw, "call", "--quiet", "--output-prefix", pre, "-m", pon, table])
    n = {k: sum(v == k for v in kind.values()) for k in ("emerge", "ch", "rising", "null")}
    for rule in ("consecutive", "strict", "cusum"):
        for chp in ("3", "0"):
            tp = os.path.join(wd, f"recurrent.{rule}.ch{chp}")
            run([vw, "track", "--quiet", "--sheet", sheet, "-e", events, "--rule", rule, "--ch-patients", chp,
                 "--output-prefix", tp, pre + ".vafwatch.calls.tsv"])
            st = {r["patient"]: r["status"] for r in read_tsv(tp + ".vafwatch.track.tsv") if r["target"] == tid}
            em = sum(st.get(p) == "emerging" for p, k in kind.items() if k == "emerge")
            ch = sum(st.get(p) == "CH?" for p, k in kind.items() if k == "ch")
            ri = sum(st.get(p) == "CH?" for p, k in kind.items() if k == "rising")
            ot = sum(st.get(p) == "CH?" for p, k in kind.items() if k in ("emerge", "null"))
            print(f"recurrent pon  {rule:11s} --ch-patients {chp}: emerging kept {rate(em, n['emerge'])}; "
                  f"CH made CH? {rate(ch, n['ch'])}; rising made CH? {rate(ri, n['rising'])}; "
                  f"emerging/null made CH? {ot}")
    sys.stdout.flush()


def per_site(tested, pon, w, scen, bg):
    """Per-test p < 0.05 at the 5 sites of highest true mean error and at the 5
    with the highest rate, with the model's mu and r = rho / mu (panel)."""
    model = {}
    if pon:
        for r in read_tsv(pon):
            model[r["id"]] = (float(r["mu"]), float(r["rho"]) / float(r["mu"]) if float(r["mu"]) > 0 else float("nan"))
    by = {}
    for c in tested:
        k = by.setdefault(c["id"], [0, 0])
        k[0] += 1
        k[1] += float(c["p_value"]) < 0.05
    err = {t[4]: w.mean_err(i) for i, t in enumerate(w.targets)}
    hot = sorted(by, key=lambda i: -err[i])[:5]
    worst = sorted(by, key=lambda i: -by[i][1] / by[i][0])[:5]
    for tag, ids in (("hottest", hot), ("highest", worst)):
        for i in ids:
            mu, r = model.get(i, (float("nan"), float("nan")))
            print(f"{scen:8s} {bg:4s} per-site p < 0.05 {tag:7s} {i:24s} true mean {err[i]:.2e} model mu {mu:.2e}"
                  f" r {r:.3f}: {rate(by[i][1], by[i][0])}")


def panels(a, rnd, w, wd, vw, targets, k_panels=10, n_samples=300):
    """Scenario 'panels': the per-test rate p < 0.05 of the hottest sites over
    k_panels independent panels of a.normals normals (the same sites), each
    calling the same n_samples null samples: the rate a site has over panels,
    beside the one panel of the other scenarios."""
    table = os.path.join(wd, "panels.null.tsv")
    write_table(table, [sample_rows(rnd, w, "S%04d" % k) for k in range(n_samples)])
    err = {t[4]: w.mean_err(i) for i, t in enumerate(targets)}
    tot = {i: [0, 0] for i in err}
    for k in range(k_panels):
        nt, pk = os.path.join(wd, "panels.n%d.tsv" % k), os.path.join(wd, "panels.pon%d.tsv" % k)
        write_table(nt, [sample_rows(rnd, w, "N%02d" % j) for j in range(a.normals)])
        run([vw, "model", "build", "--quiet", "-o", pk, nt])
        pre = os.path.join(wd, "panels.c%d" % k)
        run([vw, "call", "--quiet", "-m", pk, "--output-prefix", pre, table])
        for c in read_tsv(pre + ".vafwatch.calls.tsv"):
            if c["p_value"] != "NA":
                tot[c["id"]][0] += 1
                tot[c["id"]][1] += float(c["p_value"]) < 0.05
    n_all = sum(v[0] for v in tot.values())
    print("panels   pon  per-test p < 0.05 over %d panels, all sites %s"
          % (k_panels, rate(sum(v[1] for v in tot.values()), n_all)))
    for i in sorted(err, key=lambda i: -err[i])[:5]:
        print(f"panels   pon  per-site p < 0.05 over {k_panels} panels {i:24s} true mean {err[i]:.2e}: "
              f"{rate(tot[i][1], tot[i][0])}")
    sys.stdout.flush()


def _days(iso):
    y, m, d = map(int, iso.split("-"))
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil(z):
    """Days since 1970-01-01 -> (y, m, d) (H. Hinnant's algorithm)."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vafwatch", default="build/src/vafwatch")
    ap.add_argument("--patients", type=int, default=200)
    ap.add_argument("--grid-samples", type=int, default=200)
    ap.add_argument("--full", action="store_true", help="1,000 patients and 1,000 samples per grid cell")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--normals", type=int, default=20)
    ap.add_argument("--no-grid", action="store_true")
    ap.add_argument("--scenarios", default="null,artefact,clone,recurrent",
                    help="comma-separated: null, artefact (one artefact draw a patient), clone "
                         "(a growing clone: detection rate and delay), recurrent (one hotspot emerging in "
                         "many patients, CH in some: the cohort rule of possible CH), panels (the hottest sites' "
                         "false positives over 10 independent panels; not in the default list) "
                         "[null,artefact,clone,recurrent]")
    ap.add_argument("--workdir")
    ap.add_argument("--no-self-disp", action="store_true",
                    help="self background lines without the flank moments (as tables of older versions)")
    a = ap.parse_args()
    global SELF_DISP
    SELF_DISP = not a.no_self_disp
    if a.full:
        a.patients, a.grid_samples = 1000, 1000
    vw = os.path.abspath(a.vafwatch)
    wd = a.workdir or tempfile.mkdtemp(prefix="vafwatch-calib.")
    os.makedirs(wd, exist_ok=True)
    rnd = random.Random(a.seed)
    cat = run([vw, "catalogue", "--build", "GRCh38"]).stdout.splitlines()
    head = cat[0].lstrip("#").split("\t")
    targets = []
    for line in cat[1:]:
        r = dict(zip(head, line.split("\t")))
        targets.append((r["chrom"], r["pos"], r["ref"], r["alt"], r["id"], r["gene"], r["protein"], r["cdna"]))
    w = World(rnd, targets)
    print("# vafwatch calibration: %d targets, seed %d, %d null patients x %d draws, %d normals, workdir %s"
          % (len(targets), a.seed, a.patients, N_DRAWS, a.normals, wd))

    normals = [sample_rows(rnd, w, "N%02d" % k) for k in range(a.normals)]
    write_table(os.path.join(wd, "normals.tsv"), normals)
    pon = os.path.join(wd, "pon.tsv")
    run([vw, "model", "build", "--quiet", "-o", pon, os.path.join(wd, "normals.tsv")])
    with open(pon) as f:
        n_out = sum(l.startswith("##normal_outlier=") for l in f)
    print("panel: normal x site counts left out as a normal's own variant: %d of %d"
          % (n_out, a.normals * len(targets)))

    rules = ["consecutive", "strict", "cusum"]
    for scen in a.scenarios.split(","):
        if scen not in ("null", "artefact", "clone", "recurrent", "panels"):
            sys.exit("calibrate: unknown scenario '%s'" % scen)
        if scen == "panels":
            panels(a, random.Random(a.seed + 2000), w, wd, vw, targets)
            continue
        if scen == "recurrent":  # its own stream: the other scenarios and the grid draw as before
            recurrent(a, random.Random(a.seed + 1000), w, wd, vw, pon, targets)
            continue
        sheet, events, table, clones = cohort(rnd, w, wd, scen, a.patients, scen == "artefact", scen == "clone")
        for bg in ("pon", "self"):
            pre = os.path.join(wd, f"{scen}.{bg}")
            cmd = [vw, "call", "--quiet", "--output-prefix", pre] + (["-m", pon] if bg == "pon" else []) + [table]
            run(cmd)
            calls = read_tsv(pre + ".vafwatch.calls.tsv")
            if scen == "null":
                tested = [c for c in calls if c["p_value"] != "NA"]
                fp = sum(float(c["p_value"]) < 0.01 for c in tested)
                by_sample = {}
                for c in calls:
                    by_sample[c["sample"]] = by_sample.get(c["sample"], False) or c["detected"] == "yes"
                print(f"{scen:8s} {bg:4s} per-test p < 0.01       {rate(fp, len(tested))}")
                per_site(tested, pon if bg == "pon" else None, w, scen, bg)
                print(f"{scen:8s} {bg:4s} per-sample FWER          {rate(sum(by_sample.values()), len(by_sample))}")
                for drug in THERAPIES:  # the weighted discovery family of a therapy (docs/calling.md)
                    tpre = pre + "." + drug
                    run([vw, "call", "--quiet", "--output-prefix", tpre, "--therapy", drug]
                        + (["-m", pon] if bg == "pon" else []) + [table])
                    by_sample = {}
                    for c in read_tsv(tpre + ".vafwatch.calls.tsv"):
                        by_sample[c["sample"]] = by_sample.get(c["sample"], False) or c["detected"] == "yes"
                    print(f"{scen:8s} {bg:4s} per-sample FWER --therapy {drug:11s} "
                          f"{rate(sum(by_sample.values()), len(by_sample))}")
            for rule in rules:
                tp = os.path.join(wd, f"{scen}.{bg}.{rule}")
                run([vw, "track", "--quiet", "--sheet", sheet, "-e", events, "--rule", rule, "--output-prefix", tp,
                     pre + ".vafwatch.calls.tsv"])
                tr = read_tsv(tp + ".vafwatch.track.tsv")
                if scen != "clone":
                    em = {r["patient"] for r in tr if r["status"] == "emerging"}
                    print(f"{scen:8s} {bg:4s} false emergence {rule:11s} {rate(len(em), a.patients)}")
                    continue
                # delay from the clone's onset (draw CLONE_ONSET, VAF 0.1 %, doubling per draw)
                onset = 19723 + CLONE_ONSET * DRAW_GAP
                found, d_first, d_fire, other = 0, [], [], 0
                for r in tr:
                    if r["status"] != "emerging":
                        continue
                    if clones.get(r["patient"]) == r["target"]:
                        found += 1
                        d_first.append(_days(r["first_detection"]) - onset)
                        d_fire.append(_days(r["rule_fired"]) - onset)
                    else:
                        other += 1
                med = lambda v: sorted(v)[len(v) // 2] if v else float("nan")
                print(f"{scen:8s} {bg:4s} {rule:11s} clone found {rate(found, a.patients)}; median delay onset->"
                      f"first_detection {med(d_first):.0f} d, ->rule_fired {med(d_fire):.0f} d; "
                      f"other targets emerging: {other}")
            sys.stdout.flush()

    if a.no_grid:
        return
    # sensitivity grid: target 0 carries the mutant, the others are null
    ti = next(i for i, t in enumerate(targets) if t[4].startswith("KRAS_G12D"))
    ids = [t[4] for t in targets]
    grid(a, rnd, w, wd, vw, pon, ids, ti, "cetuximab", (1000, 2000, 5000, 20000), (0.001, 0.0025, 0.005, 0.01))
    # an EGFR inhibitor makes T790M one of few relevant targets
    ti = next(i for i, t in enumerate(targets) if t[4].startswith("EGFR_T790M"))
    grid(a, rnd, w, wd, vw, pon, ids, ti, "osimertinib", (5000,), (0.001, 0.0025, 0.005))


def grid(a, rnd, w, wd, vw, pon, ids, ti, drug, depths, vafs):
    """Detection of target ti in the catalogue call, with --therapy drug and
    with --known, beside the binomial oracles at alpha / #targets and alpha."""
    print("# sensitivity of %s (site mean error %.2e), %d samples per cell, panel background"
          % (ids[ti], w.mean_err(ti), a.grid_samples))
    print("#vaf\tdepth\tcatalogue\toracle_alpha/%d\t%s\tknown\toracle_alpha" % (len(ids), drug))
    for depth in depths:
        for f in vafs:
            name = f"grid_{ids[ti][:10]}_{depth}_{f}"
            samples = [sample_rows(rnd, w, "%s_%04d" % (name, k), depth=depth, signal=(ti, f))
                       for k in range(a.grid_samples)]
            table = os.path.join(wd, name + ".counts.tsv")
            write_table(table, samples)
            res = []
            for mode, extra in (("cat", []), ("therapy", ["--therapy", drug]), ("known", ["--known", ids[ti]])):
                pre = os.path.join(wd, name + "." + mode)
                run([vw, "call", "--quiet", "-m", pon, "--output-prefix", pre] + extra + [table])
                det = sum(c["detected"] == "yes" for c in read_tsv(pre + ".vafwatch.calls.tsv") if c["id"] == ids[ti])
                res.append(det / a.grid_samples)
            err = w.mean_err(ti)
            print("%.4g\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f" % (f, depth, res[0], oracle_power(depth, f, err, ALPHA / len(ids)),
                                                         res[1], res[2], oracle_power(depth, f, err, ALPHA)))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
