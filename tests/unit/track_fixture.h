/* track_fixture.h -- hand-built timelines and calls for test_track.c and
 * test_leadtime.c.  Dates are days after 2023-01-01. */
#ifndef VW_TRACK_FIXTURE_H
#define VW_TRACK_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vafwatch/call.h"
#include "vafwatch/timeline.h"

static int32_t fx_day0(void)
{
    int32_t d = 0;
    if (vw_date_from_ymd(2023, 1, 1, &d) != 0)
        abort();
    return d;
}

static const char *fx_date(int day, char *buf)
{
    (void)vw_date_format(fx_day0() + day, buf);
    return buf;
}

/* Writes 'text' to a new temporary file; returns its malloc'd path. */
static char *fx_write(const char *text)
{
    char *path = strdup("/tmp/vw_track_testXXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* Appends to a growing text buffer. */
static void fx_cat(char *buf, size_t size, const char *fmt, ...) VW_FORMAT(3, 4);
static void fx_cat(char *buf, size_t size, const char *fmt, ...)
{
    size_t l = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + l, size - l, fmt, ap);
    va_end(ap);
}

/* Reads sheet and events text into a timeline (no file check). */
static vw_timeline_t *fx_timeline(const char *sheet, const char *events)
{
    char *ps = fx_write(sheet), *pe = fx_write(events);
    vw_timeline_t *tl = NULL;
    if (vw_timeline_read_sheet(ps, VW_TIMELINE_NO_FILE_CHECK, &tl) != 0 ||
        vw_timeline_read_events(tl, pe) != 0)
        abort();
    unlink(ps);
    unlink(pe);
    free(ps);
    free(pe);
    return tl;
}

/* Targets used by the tests. */
static const char *const fx_tid[] = {"KRAS_G12D", "EGFR_T790M", "TP53_R175H"};
static const char *const fx_tgene[] = {"KRAS", "EGFR", "TP53"};
static const char *const fx_tchrom[] = {"12", "7", "17"};
static const int64_t fx_tpos[] = {25398284, 55249071, 7578406};

/* One call: det 1/0/-1, x alt of n, p-value, flags. */
static void fx_call(vw_calls_t *cs, const char *sample, int t, int det, long x, long n, double p,
                    uint32_t flags)
{
    vw_call_t c;
    memset(&c, 0, sizeof(c));
    c.sample = (char *)sample;
    c.chrom = (char *)fx_tchrom[t];
    c.pos1 = fx_tpos[t];
    c.ref = "C";
    c.alt = "T";
    c.id = (char *)fx_tid[t];
    c.gene = (char *)fx_tgene[t];
    c.protein = "p.X";
    c.cdna = ".";
    c.depth = n;
    c.alt_count = x;
    c.ref_count = n - x;
    c.vaf = n > 0 ? (double)x / (double)n : NAN;
    c.vaf_lo = c.vaf_hi = c.vaf;
    c.p_value = p;
    c.q_value = p;
    c.detected = det;
    c.lod95 = 0.001;
    c.flags = flags;
    c.bg_error = 1e-4;
    c.copies_per_ml = NAN;
    if (vw_calls_push(cs, &c) != 0)
        abort();
}

#endif
