/* region.c -- regions that restrict the targets (region.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>

#include "vafwatch/log.h"
#include "vafwatch/region.h"

static const char *bare(const char *c)
{
    if (strncmp(c, "chr", 3) == 0)
        c += 3;
    return strcmp(c, "MT") == 0 ? "M" : c;
}

int vw_region_same_contig(const char *a, const char *b)
{
    return strcmp(bare(a), bare(b)) == 0;
}

/* 1 when the comma at q inside the region starting at p separates
 * thousands of a position: after the ':' and followed by exactly three
 * digits, then the end, '-' or ','. */
static int thousands(const char *p, const char *q)
{
    const char *colon = strchr(p, ':');
    if (!colon || colon > q)
        return 0;
    for (int i = 1; i <= 3; i++)
        if (q[i] < '0' || q[i] > '9')
            return 0;
    return q[4] == '\0' || q[4] == '-' || q[4] == ',';
}

/* A 1-based position with optional thousands commas (up to 12 digits),
 * from s to e; 0 on failure. */
static hts_pos_t position(const char *s, const char *e)
{
    hts_pos_t v = 0;
    int nd = 0;
    for (; s < e; s++) {
        if (*s == ',')
            continue;
        if (*s < '0' || *s > '9' || ++nd > 12)
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* One region: CHR, CHR:POS, CHR:BEG-END or CHR:BEG- (1-based inclusive),
 * into [*beg, *end) and the contig name's length; -1 when malformed. */
static int one_region(const char *p, size_t *ret_len, hts_pos_t *beg, hts_pos_t *end)
{
    const char *colon = strrchr(p, ':'), *e = p + strlen(p);
    *beg = 0;
    *end = HTS_POS_MAX;
    *ret_len = (size_t)(e - p);
    if (colon && colon[1] >= '0' && colon[1] <= '9') {
        if (strspn(colon + 1, "0123456789,-") != (size_t)(e - colon - 1))
            return -1;
        const char *dash = strchr(colon + 1, '-');
        hts_pos_t b = position(colon + 1, dash ? dash : e);
        hts_pos_t en = dash ? (dash + 1 == e ? HTS_POS_MAX : position(dash + 1, e)) : b;
        if (b < 1 || en < b || (dash && strchr(dash + 1, '-')))
            return -1;
        *beg = b - 1;
        *end = en;
        *ret_len = (size_t)(colon - p);
    } else if (colon && colon[1] == '\0') {
        return -1;
    }
    return *ret_len > 0 ? 0 : -1;
}

int vw_region_parse(const char *arg, vw_cnv_regions_t *rs)
{
    char *s = strdup(arg);
    int r = s ? 0 : -ENOMEM;
    for (char *p = s; r == 0 && p && *p;) {
        char *q = p;
        while ((q = strchr(q, ',')) && thousands(p, q))
            q++;
        if (q)
            *q++ = '\0';
        hts_pos_t beg, end;
        size_t len;
        if (one_region(p, &len, &beg, &end) < 0) {
            vw_error("--region: cannot read '%s' (CHR, CHR:POS or CHR:BEG-END, 1-based)", p);
            r = VW_EINPUT;
            break;
        }
        p[len] = '\0';
        r = rs ? vw_cnv_regions_add(rs, p, beg, end, ".", 1) : 0;
        p = q;
    }
    free(s);
    return r;
}

static int overlaps(const vw_cnv_regions_t *rs, const vw_target_t *t)
{
    hts_pos_t tbeg = t->beg, tend = t->beg + (hts_pos_t)(t->ref ? strlen(t->ref) : 1);
    if (tend <= tbeg)
        tend = tbeg + 1;
    for (int i = 0; i < rs->n; i++)
        if (rs->r[i].beg < tend && tbeg < rs->r[i].end && vw_region_same_contig(rs->r[i].chrom, t->chrom))
            return 1;
    return 0;
}

int vw_region_mark_targets(const vw_targets_t *ts, const vw_cnv_regions_t *rs, uint8_t *keep)
{
    int n_keep = 0;
    for (int i = 0; i < ts->n; i++)
        n_keep += keep[i] = (uint8_t)overlaps(rs, &ts->t[i]);
    return n_keep;
}
