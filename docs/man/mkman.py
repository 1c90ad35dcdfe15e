#!/usr/bin/env python3
"""Writes man pages from the program's own --help texts, so they never drift.

Usage: mkman.py VAFWATCH OUTDIR CMD...   (writes OUTDIR/vafwatch.1 and OUTDIR/vafwatch-CMD.1)
"""
import os
import re
import subprocess
import sys


def esc(line):
    line = line.replace("\\", "\\e")
    if line.startswith(".") or line.startswith("'"):
        line = "\\&" + line
    return line.replace("-", "\\-")


def page(name, section_title, version, help_text, see_also):
    out = [f'.TH "{name.upper()}" 1 "" "vafwatch {version}" "vafwatch manual"', ".SH NAME",
           f"{esc(name)} \\- {esc(section_title)}", ".SH DESCRIPTION", ".nf"]
    for line in help_text.rstrip().splitlines():
        if re.match(r"^[A-Z][A-Za-z ]*:$", line) or re.match(r"^(Usage|Program|Version):", line):
            out.append(".fi")
            out.append(f".SS {esc(line.rstrip(':'))}" if line.endswith(":") else esc(line))
            out.append(".nf")
        else:
            out.append(esc(line))
    out.append(".fi")
    out.append(".SH EXIT STATUS")
    out.append("0 success (also \\-\\-help), 1 data or runtime error, 2 usage error.")
    out.append(".SH SEE ALSO")
    out.append(", ".join(f".BR {s} (1)" if False else f"\\fB{esc(s)}\\fR(1)" for s in see_also))
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
        f.write(page("vafwatch", "follow drug-resistance clones in serial plasma samples", version, top, names))
    for c in cmds:
        with open(os.path.join(outdir, f"vafwatch-{c}.1"), "w") as f:
            f.write(page(f"vafwatch-{c}", titles.get(c, c), version, run(c, "--help"), ["vafwatch"]))


if __name__ == "__main__":
    main()
