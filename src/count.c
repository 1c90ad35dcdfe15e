/*
 * count.c -- the counting engine (see count.h for the rules).
 *
 * Reads are taken in coordinate order, either region by region through the
 * index (clusters of nearby targets) or by streaming the whole file.  For
 * every read the alleles it shows at the targets it spans are collected
 * (its "observations").  In fragment mode a read whose mate may still come
 * and may cover the same targets (mate on the same contig, starting at or
 * after this read and before this read's end) waits in a table keyed by
 * read name; when the mate arrives the two are merged into one fragment.
 * A waiting read whose mate cannot come any more (the stream has passed
 * the mate's start) is counted alone.  Waiting reads hang in a ring of
 * per-position buckets keyed by the mate's start (a timing wheel): mates
 * start within one read span, so the ring advances in step with the stream.
 * The table is bounded (opt->mate_buffer): when it is full, the waiting
 * reads whose mates start farthest ahead are written to a temporary file
 * in order of their mates' start, and come back to the table when the
 * stream reaches that start (count_pend.c, count_spill.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/sam.h>

#include "count_priv.h"

void vw_count_opt_init(vw_count_opt_t *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->min_mq = 20;
    opt->min_bq = 20;
    opt->excl_flags = BAM_FUNMAP | BAM_FSECONDARY | BAM_FQCFAIL | BAM_FDUP | BAM_FSUPPLEMENTARY;
    opt->req_flags = 0;
    opt->unit = VW_UNIT_FRAGMENT;
    opt->threads = 0;
    opt->self_flank = -1;
    opt->umi_source = VW_UMI_AUTO;
    opt->min_family = 1;
    opt->min_agree = 0.66;
    opt->duplex_only = 0;
    opt->mate_buffer = VW_MATE_BUFFER;
}

static int bound_cmp(const void *a, const void *b)
{
    const bound_t *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    if (x->span_beg != y->span_beg)
        return x->span_beg < y->span_beg ? -1 : 1;
    return (x->ti > y->ti) - (x->ti < y->ti);
}

/* The 4-bit BAM code whose upper-case letter is c (the one the allele of a
 * read is compared with), or 16 when none is. */
static uint8_t nt16_of(char c)
{
    static const char nt16_upper[] = "=ACMGRSVTWYHKDBN";
    for (int i = 0; i < 16; i++)
        if (nt16_upper[i] == c)
            return (uint8_t)i;
    return 16;
}

/* Binds targets to the header: tids, spans, per-tid ranges. */
static int bind_targets(engine_t *e, const sam_hdr_t *h)
{
    const vw_targets_t *ts = e->ts;
    e->bt = malloc((size_t)(ts->n ? ts->n : 1) * sizeof(bound_t));
    e->span_beg = malloc((size_t)(ts->n ? ts->n : 1) * sizeof(hts_pos_t));
    e->n_tid = sam_hdr_nref(h);
    e->tid_lo = calloc((size_t)e->n_tid + 1, sizeof(int));
    e->tid_hi = calloc((size_t)e->n_tid + 1, sizeof(int));
    /* a read observes each target at most once: room for all of them, so
     * that no observation checks for room */
    e->m_obs = ts->n ? ts->n : 1;
    e->obs = malloc((size_t)e->m_obs * sizeof(*e->obs));
    if (!e->bt || !e->span_beg || !e->tid_lo || !e->tid_hi || !e->obs)
        return -ENOMEM;
    for (int i = 0; i < ts->n; i++) {
        const vw_target_t *t = &ts->t[i];
        int tid = vw_contig_tid(h, t->chrom);
        if (tid < 0) {
            vw_error("%s: contig '%s' of target %s is not in the header (wrong build or naming?)",
                     e->out->path, t->chrom, t->id);
            return VW_EBUILD;
        }
        if (t->win_end > sam_hdr_tid2len(h, tid)) {
            vw_error("%s: target %s at %s:%lld lies beyond the end of contig '%s' (%lld bp): wrong build?",
                     e->out->path, t->id, t->chrom, (long long)t->beg + 1, sam_hdr_tid2name(h, tid),
                     (long long)sam_hdr_tid2len(h, tid));
            return VW_EBUILD;
        }
        e->out->chrom[i] = vw_strdup(sam_hdr_tid2name(h, tid));
        e->span_beg[i] = t->kind == VW_KIND_SNV || t->kind == VW_KIND_MNV ? t->beg : t->win_beg - 1;
        if (!e->out->chrom[i])
            return -ENOMEM;
        bound_t *b = &e->bt[i];
        b->ti = i;
        b->tid = tid;
        b->snv = t->kind == VW_KIND_SNV;
        count_bound_codes(b, b->snv ? nt16_of(t->ref[0]) : 16, b->snv ? nt16_of(t->alt[0]) : 16);
        if (t->kind == VW_KIND_SNV || t->kind == VW_KIND_MNV) {
            b->span_beg = t->beg;
            b->span_end = t->beg + (hts_pos_t)strlen(t->ref);
        } else {
            b->span_beg = t->win_beg - 1;
            b->span_end = t->win_end + 1;
        }
    }
    e->n_bt = ts->n;
    qsort(e->bt, (size_t)e->n_bt, sizeof(bound_t), bound_cmp);
    for (int i = 0; i < e->n_tid; i++)
        e->tid_lo[i] = e->tid_hi[i] = 0;
    for (int i = 0; i < e->n_bt; i++) {
        int tid = e->bt[i].tid;
        if (e->tid_hi[tid] == 0)
            e->tid_lo[tid] = i;
        e->tid_hi[tid] = i + 1;
    }
    return 0;
}

static void engine_free(engine_t *e)
{
    for (int i = 0; i < e->n_pool; i++) {
        free(POOL(e, i)->heap_name);
        if (POOL(e, i)->obs != POOL(e, i)->obs_buf)
            free(POOL(e, i)->obs);
    }
    for (int i = 0; i < (e->m_pool >> CHUNK_BITS); i++)
        free(e->chunks[i]);
    free(e->chunks);
    free(e->free_list);
    free(e->wheel);
    free(e->tab);
    free(e->bt);
    free(e->span_beg);
    free(e->tid_lo);
    free(e->tid_hi);
    free(e->obs);
    free(e->qpos);
    free(e->allele.s);
    for (int k = 0; k < e->n_sw; k++)
        vw_selfwin_free(&e->sw[k]);
    free(e->sw);
    free(e->rg);
    count_mol_free(e);
    count_pend_free(e);
}

void vw_sample_counts_destroy(vw_sample_counts_t *s)
{
    if (!s)
        return;
    if (s->c)
        for (int i = 0; i < s->n; i++) {
            free(s->c[i].fl_ref);
            free(s->c[i].fl_alt);
            free(s->c[i].mol);
        }
    free(s->c);
    if (s->chrom)
        for (int i = 0; i < s->n; i++)
            free(s->chrom[i]);
    free(s->chrom);
    free(s->sample);
    free(s->path);
    free(s);
}

struct vw_count_in_s {
    vw_aln_t *a;
};

void vw_count_in_close(vw_count_in_t *in)
{
    if (!in)
        return;
    (void)vw_aln_close(in->a, 0);
    free(in);
}

const sam_hdr_t *vw_count_in_header(const vw_count_in_t *in)
{
    return in->a->h;
}

int vw_count_open(const char *path, const vw_count_opt_t *opt, vw_count_in_t **ret)
{
    vw_count_in_t *in = calloc(1, sizeof(*in));
    if (!in)
        return -ENOMEM;
    /* -t N on one file: when streaming, one thread decodes records and the
     * rest (N - 2) decompress; through the index, N decompress */
    int rc = vw_aln_open(path, opt->reference, opt->threads, (opt->stream ? VW_ALN_STREAM : 0) | VW_ALN_DECODER,
                         &in->a);
    if (rc < 0) {
        free(in);
        return rc;
    }
    *ret = in;
    return 0;
}

int vw_count_file(const char *path, const char *sample, const vw_targets_t *ts, const vw_count_opt_t *opt,
                  vw_sample_counts_t **ret)
{
    vw_count_in_t *in = NULL;
    int rc = vw_count_open(path, opt, &in);
    if (rc < 0)
        return rc;
    return vw_count_in(in, sample, ts, opt, ret);
}

/* A new result for 'ts' read from 'path', or NULL (out of memory). */
static vw_sample_counts_t *counts_new(const char *path, const vw_targets_t *ts)
{
    vw_sample_counts_t *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->path = vw_strdup(path);
    s->n = ts->n;
    s->c = calloc((size_t)(ts->n ? ts->n : 1), sizeof(vw_count_t));
    s->chrom = calloc((size_t)(ts->n ? ts->n : 1), sizeof(char *));
    if (!s->path || !s->c || !s->chrom) {
        vw_sample_counts_destroy(s);
        return NULL;
    }
    for (int i = 0; i < ts->n; i++)
        s->c[i].assessed = 1; /* a BAM informs on every target, even at depth 0 */
    return s;
}

/* The engine's tables for counting into s.  Returns 0 or -ENOMEM. */
static int engine_init(engine_t *e, const vw_aln_t *a, const vw_targets_t *ts, const vw_count_opt_t *opt,
                       vw_sample_counts_t *s)
{
    memset(e, 0, sizeof(*e));
    e->ts = ts;
    e->opt = opt;
    e->aln = a;
    e->out = s;
    e->warn_cigar.what = "mapped reads without CIGAR";
    e->warn_cigar.limit = 5;
    e->tab_mask = 1023;
    e->tab = malloc((e->tab_mask + 1) * sizeof(*e->tab));
    if (e->tab)
        for (size_t i = 0; i <= e->tab_mask; i++)
            e->tab[i].idx = -1;
    e->wheel = malloc(WHEEL * sizeof(int));
    if (e->wheel)
        memset(e->wheel, 0xff, WHEEL * sizeof(int)); /* all -1 */
    e->wheel_tid = -1;
    e->pend_max = opt->mate_buffer;
    e->spill_at = opt->mate_buffer;
    e->over_tid = -1;
    e->consensus = -1;
    return e->tab && e->wheel ? 0 : -ENOMEM;
}

/* The self background's windows, with zeroed counts.  Returns 0 or -ENOMEM. */
static int self_init(engine_t *e, const sam_hdr_t *h)
{
    if ((e->n_sw = vw_selfbg_windows(e->ts, h, e->opt->self_flank, &e->sw)) < 0) {
        e->n_sw = 0;
        return -ENOMEM;
    }
    for (int k = 0; k < e->n_sw; k++)
        if (vw_selfwin_alloc(&e->sw[k]) < 0)
            return -ENOMEM;
    return 0;
}

/* Counts through the index, with the self background when asked. */
int count_index(engine_t *e, vw_aln_t *a)
{
    hts_idx_t *idx = NULL;
    const vw_count_opt_t *opt = e->opt;
    int rc = vw_aln_index(a, ", or use --stream", &idx);
    if (rc < 0)
        return rc;
    /* the self background is read-level: no measure of a molecule background */
    int self = opt->self_flank >= 0 && opt->unit != VW_UNIT_MOLECULE;
    if (self && (rc = self_init(e, a->h)) < 0)
        goto out;
    rc = count_run(e, a, idx);
    if (rc == 0 && self) {
        vw_sample_counts_t *s = e->out;
        memset(&s->self, 0, sizeof(s->self));
        for (int k = 0; k < e->n_sw; k++)
            vw_selfbg_summarise(&s->self, &e->sw[k], e->ts, a->h);
        s->have_self = 1;
        s->self_flank = opt->self_flank;
    }
out:
    hts_idx_destroy(idx);
    return rc;
}

/* The header checks and the sample name of a count. */
int count_prologue(engine_t *e, const vw_aln_t *a, const char *sample)
{
    vw_sample_counts_t *s = e->out;
    const vw_count_opt_t *opt = e->opt;
    int rc;
    s->build = vw_build_detect(a->h, NULL);
    if ((rc = vw_aln_check_build(a, e->ts->build, "targets")) < 0)
        return rc;
    if (opt->one_sample && (rc = vw_aln_one_sample(a)) < 0)
        return rc;
    if (!(s->sample = vw_aln_sample(a, sample)))
        return -ENOMEM;
    if ((rc = bind_targets(e, a->h)) < 0)
        return rc;
    s->unit = opt->unit;
    if (opt->unit == VW_UNIT_MOLECULE) {
        s->min_family = opt->min_family;
        s->duplex_only = opt->duplex_only;
        if ((rc = count_mol_init(e)) < 0)
            return rc;
    }
    return 0;
}

int vw_count_in(vw_count_in_t *in, const char *sample, const vw_targets_t *ts, const vw_count_opt_t *opt,
                vw_sample_counts_t **ret)
{
    engine_t e;
    vw_aln_t *a = in->a;
    vw_sample_counts_t *s = counts_new(a->path, ts);
    int rc = s ? engine_init(&e, a, ts, opt, s) : -ENOMEM;
    if (rc == 0 && (rc = count_prologue(&e, a, sample)) == 0) {
        if (!a->stream)
            rc = count_index(&e, a);
        else
            rc = count_run(&e, a, NULL);
        if (rc == 0) {
            vw_ratewarn_summary(&e.warn_cigar);
            count_pend_report(&e);
        }
        if (rc == 0 && e.umi)
            rc = count_mol_end(&e);
    }
    if (s)
        engine_free(&e);
    rc = vw_aln_close(a, rc);
    free(in);
    if (rc < 0)
        vw_sample_counts_destroy(s);
    else
        *ret = s;
    return rc < 0 ? rc : 0;
}

