#!/usr/bin/env python3
"""Reads an 8-bit RGB/RGBA PNG with zlib only (no PIL) and checks that it is
not blank: at least MIN_FRAC of the pixels are not white and the grey levels
vary.  Prints "width height nonwhite_fraction stddev".

Usage: png_stats.py FILE.png [MIN_FRAC]   (exit 0 not blank, 1 blank or unreadable)
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("unsupported PNG (depth %d, colour type %d)" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    min_frac = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    w, h, bpp, rows = read_png(sys.argv[1])
    nonwhite, n, s, s2 = 0, 0, 0.0, 0.0
    for line in rows[::2]:
        for x in range(0, w * bpp, bpp * 2):
            r, g, b = line[x], line[x + 1], line[x + 2]
            grey = (r + g + b) / 3
            n += 1
            s += grey
            s2 += grey * grey
            nonwhite += grey < 245
    frac = nonwhite / n
    sd = max(0.0, s2 / n - (s / n) ** 2) ** 0.5
    print("%d %d %.4f %.1f" % (w, h, frac, sd))
    return 0 if frac >= min_frac and sd > 5 else 1


if __name__ == "__main__":
    sys.exit(main())
