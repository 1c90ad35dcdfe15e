/* count_regions.c -- fragments per region, for copy number (see
 * vw_count_regions() in count.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "count_priv.h"

/* ------------------------------------------------------------------ */
/* Fragments per region (copy number)                                  */

typedef struct {
    int tid;
    hts_pos_t beg, end;
    int idx;             /* index in the caller's arrays */
} creg_t;

static int creg_cmp(const void *a, const void *b)
{
    const creg_t *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    return x->beg < y->beg ? -1 : x->beg > y->beg;
}

/* The position at which a read's fragment is counted, or -1 when this read
 * is not the one that counts it (the other mate is). */
#define VW_FRAG_TLEN_MAX ((hts_pos_t)1 << 40)
static hts_pos_t frag_point(const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    if (is_paired_here(b) && c->isize != 0) {
        if (c->pos > c->mpos || (c->pos == c->mpos && !(c->flag & BAM_FREAD1)))
            return -1;
        /* clamp before negating: a hostile SAM may hold INT64_MIN, and pos + t/2 must not overflow */
        hts_pos_t t = c->isize < -VW_FRAG_TLEN_MAX || c->isize > VW_FRAG_TLEN_MAX ? VW_FRAG_TLEN_MAX
                      : c->isize < 0                                               ? -c->isize
                                                                                   : c->isize;
        return c->pos > HTS_POS_MAX - t ? HTS_POS_MAX : c->pos + t / 2;
    }
    return (c->pos + bam_endpos(b)) / 2;
}

/* Adds the read to the region of [lo,hi) holding its fragment point.
 * *hint (a region index in [lo,hi), or -1) is tried first and set to the
 * region found: sorted input hits the same or the next region. */
static void region_add(const creg_t *r, int lo, int hi, const bam1_t *b, const vw_count_opt_t *opt, int64_t *frag,
                       int *hint)
{
    const bam1_core_t *c = &b->core;
    if ((c->flag & opt->excl_flags) || (c->flag & opt->req_flags) != opt->req_flags || c->qual < opt->min_mq)
        return;
    hts_pos_t p = frag_point(b);
    if (p < 0)
        return;
    for (int h = *hint; h >= lo && h < hi && h <= *hint + 1; h++)
        if (r[h].tid == c->tid && r[h].beg <= p && p < r[h].end) {
            frag[r[h].idx]++;
            *hint = h;
            return;
        }
    int hi0 = hi;
    while (lo < hi) { /* first region with end > p */
        int mid = lo + (hi - lo) / 2;
        if (r[mid].tid < c->tid || (r[mid].tid == c->tid && r[mid].end <= p))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < hi0 && r[lo].tid == c->tid && r[lo].beg <= p && p < r[lo].end) {
        frag[r[lo].idx]++;
        *hint = lo;
    }
}

/* What the region walk needs per read. */
typedef struct {
    const creg_t *rg;
    int n;
    const int *lo, *hi; /* per span: its regions [lo, hi) of rg */
    const vw_count_opt_t *opt;
    int64_t *frag;
    int hint;            /* region_add's last hit */
} creg_walk_t;

static int region_read(void *ud, const bam1_t *b, int span, uint64_t word)
{
    (void)word;
    creg_walk_t *w = ud;
    if (span < 0)
        region_add(w->rg, 0, w->n, b, w->opt, w->frag, &w->hint);
    else
        region_add(w->rg, w->lo[span], w->hi[span], b, w->opt, w->frag, &w->hint);
    return 0;
}

/* Binds the regions to the header of a, sorted (rg[i].idx: the caller's
 * index).  Logs on failure. */
static int regions_bind(const vw_aln_t *a, int n, char *const *chrom, const hts_pos_t *beg, const hts_pos_t *end,
                        creg_t *rg)
{
    const sam_hdr_t *h = a->h;
    for (int i = 0; i < n; i++) {
        int tid = vw_contig_tid(h, chrom[i]);
        if (tid < 0) {
            vw_error("%s: contig '%s' of region %s:%lld-%lld is not in the header (wrong build or naming?)", a->path,
                     chrom[i], chrom[i], (long long)beg[i] + 1, (long long)end[i]);
            return VW_EBUILD;
        }
        if (end[i] > sam_hdr_tid2len(h, tid)) {
            vw_error("%s: region %s:%lld-%lld lies beyond the end of contig '%s' (%lld bp): wrong build?", a->path,
                     chrom[i], (long long)beg[i] + 1, (long long)end[i], sam_hdr_tid2name(h, tid),
                     (long long)sam_hdr_tid2len(h, tid));
            return VW_EBUILD;
        }
        rg[i].tid = tid;
        rg[i].beg = beg[i];
        rg[i].end = end[i];
        rg[i].idx = i;
    }
    if (n > 1)
        qsort(rg, (size_t)n, sizeof(*rg), creg_cmp);
    return 0;
}

/* Index queries over the sorted regions: nearby regions in one query,
 * each padded so that a fragment whose midpoint is in a region is found
 * from its leftmost mate.  Returns the number of spans (sp, lo, hi hold
 * n entries), never more than n. */
static int regions_spans(const creg_t *rg, int n, vw_aln_span_t *sp, int *lo, int *hi)
{
    const hts_pos_t pad = 1000; /* a fragment's leftmost mate starts at most this far before its midpoint */
    int i = 0, k = 0;
    while (i < n) {
        int l = i;
        hts_pos_t qb = rg[i].beg > pad ? rg[i].beg - pad : 0, qe = rg[i].end;
        i++;
        while (i < n && rg[i].tid == rg[l].tid && rg[i].beg < qe + 2 * pad) {
            if (rg[i].end > qe)
                qe = rg[i].end;
            i++;
        }
        sp[k] = (vw_aln_span_t){rg[l].tid, qb, qe};
        lo[k] = l;
        hi[k++] = i;
    }
    return k;
}

int vw_count_regions(const char *path, const char *sample, int n, char *const *chrom, const hts_pos_t *beg,
                     const hts_pos_t *end, vw_build_t build, const vw_count_opt_t *opt, int64_t *ret_frag,
                     char **ret_sample)
{
    int rc = 0;
    vw_aln_t *a = NULL;
    hts_idx_t *idx = NULL;
    size_t m = (size_t)(n ? n : 1);
    creg_t *rg = calloc(m, sizeof(*rg));
    int64_t *frag = calloc(m, sizeof(*frag));
    vw_aln_span_t *sp = calloc(m, sizeof(*sp));
    int *lo = calloc(m, sizeof(*lo)), *hi = calloc(m, sizeof(*hi));
    char *name = NULL;
    if (!rg || !frag || !sp || !lo || !hi) {
        rc = -ENOMEM;
        goto out;
    }
    if ((rc = vw_aln_open(path, opt->reference, opt->threads, opt->stream ? VW_ALN_STREAM : 0, &a)) < 0
        || (rc = vw_aln_check_build(a, build, "regions")) < 0 || (rc = regions_bind(a, n, chrom, beg, end, rg)) < 0)
        goto out;
    if (!(name = vw_aln_sample(a, sample))) {
        rc = -ENOMEM;
        goto out;
    }
    int n_sp = 0;
    if (!a->stream) {
        if ((rc = vw_aln_index(a, ", or use --stream", &idx)) < 0)
            goto out;
        n_sp = regions_spans(rg, n, sp, lo, hi);
    }
    creg_walk_t w = {rg, n, lo, hi, opt, frag, -1};
    vw_aln_reader_t rd = {.read = region_read, .ud = &w};
    rc = vw_aln_walk(a, idx, sp, n_sp, opt->reference, &rd, NULL);
out:
    if (idx)
        hts_idx_destroy(idx);
    rc = vw_aln_close(a, rc);
    if (rc == 0) {
        memcpy(ret_frag, frag, (size_t)n * sizeof(*frag));
        *ret_sample = name;
        name = NULL;
    }
    free(name);
    free(rg);
    free(frag);
    free(sp);
    free(lo);
    free(hi);
    return rc;
}
