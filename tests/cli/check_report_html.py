#!/usr/bin/env python3
"""Checks vafwatch report HTML files: every inline <svg>...</svg> parses as
well-formed XML, the page has the Content-Security-Policy meta tag, no
<script>, no external resource (src/href to http(s), @import, url()).

Usage: check_report_html.py FILE.html...   (exit 0 ok, 1 not)
"""
import re
import sys
import xml.etree.ElementTree as ET

bad = 0
for f in sys.argv[1:]:
    html = open(f, encoding="utf-8").read()
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    if not svgs:
        print("%s: no <svg>" % f, file=sys.stderr)
        bad += 1
    for i, s in enumerate(svgs):
        try:
            ET.fromstring(s)
        except ET.ParseError as e:
            print("%s: svg %d is not well-formed XML: %s" % (f, i, e), file=sys.stderr)
            bad += 1
    if "Content-Security-Policy" not in html or "default-src 'none'" not in html:
        print("%s: no Content-Security-Policy meta tag" % f, file=sys.stderr)
        bad += 1
    if re.search(r"<script", html, re.I):
        print("%s: contains <script" % f, file=sys.stderr)
        bad += 1
    if re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", html, re.I) or re.search(r"@import|url\(\s*['\"]?http", html):
        print("%s: refers to an external resource" % f, file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
