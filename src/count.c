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
 * start within one read span, so the ring advances in step with the stream
 * and memory is bounded by the reads of one read length of depth.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "selfbg.h"


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
}

/* Allele codes of one read at one target. */
enum { CODE_NONE = 0, CODE_REF = 1, CODE_ALT = 2, CODE_OTHER = 3, CODE_DEL = 4, CODE_BASE0 = 8, CODE_SEQ0 = 32 };

/* Code of an "other" allele sequence (FNV-1a, folded above the fixed codes). */
static uint32_t seq_code(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return CODE_SEQ0 + h % (UINT32_MAX - CODE_SEQ0);
}

typedef struct {
    int32_t ti;      /* target index */
    uint32_t code;   /* CODE_* (CODE_BASE0 + nt16 for other SNV bases; for other
                      * MNV/indel alleles CODE_SEQ0 + a hash of the sequence, so
                      * that mates showing different other alleles disagree) */
    uint8_t bq;      /* base quality (min over an MNV), 0 for indels */
    uint8_t rev;     /* fragment strand: 1 reverse */
    uint8_t mq;
    uint8_t fam;     /* consensus reads (molecule unit): family size (cD, at most 127) | 128 if duplex */
} obs_t;

#define NAME_INLINE 32
#define OBS_INLINE 4
#define WHEEL_BITS 16 /* mates starting more than 64 kb after a read are not waited for */
#define WHEEL (1 << WHEEL_BITS)
#define CHUNK_BITS 12
#define POOL(e, i) (&(e)->chunks[(i) >> CHUNK_BITS][(i) & ((1 << CHUNK_BITS) - 1)])

typedef struct {
    char *qname;       /* name_buf, or allocated when longer */
    char name_buf[NAME_INLINE];
    uint64_t hash;     /* of qname */
    hts_pos_t mpos;
    int32_t tid;
    int32_t fraglen;   /* 0 when unknown */
    int alive;         /* 0 once merged with its mate (and out of the table) */
    int next;          /* next entry in the same wheel bucket, -1 at the end */
    int n_obs, m_obs;
    obs_t *obs;        /* obs_buf, or allocated when a read sees more targets */
    obs_t obs_buf[OBS_INLINE];
} pend_t;

/* A target bound to this file's header. */
typedef struct {
    int32_t ti;        /* index in the target set */
    int32_t tid;
    hts_pos_t span_beg, span_end; /* reference span the read must cover */
} bound_t;

typedef struct {
    const vw_targets_t *ts;
    const vw_count_opt_t *opt;
    const vw_aln_t *aln; /* the file being read */
    vw_sample_counts_t *out;
    bound_t *bt;       /* sorted by tid, span_beg */
    int n_bt;
    int *tid_lo, *tid_hi; /* per tid: range in bt */
    int n_tid;
    /* pending mates: open addressing on a 64-bit name hash, linear probing,
     * backward-shift deletion (no tombstones) */
    struct slot_s { uint64_t h; int idx; } *tab; /* idx -1: empty */
    size_t tab_mask, tab_n;
    pend_t **chunks;   /* the pool of waiting reads, in chunks that never move */
    int n_pool, m_pool;
    int *free_list, n_free, m_free;
    int *wheel;        /* WHEEL buckets: head entry index or -1 */
    int n_waiting;     /* entries in the wheel */
    int32_t wheel_tid; /* contig of the entries in the wheel */
    hts_pos_t wheel_pos; /* buckets of positions < wheel_pos have been flushed */
    hts_pos_t *span_beg; /* per target index: the first reference position a read must cover */
    int cur_lo, cur_hi, cur; /* reads come in position order: first bound target with span_beg >= pos */
    /* scratch */
    obs_t *obs;
    int n_obs, m_obs;
    int *qpos;
    int m_qpos;
    kstring_t allele;
    vw_ratewarn_t warn_cigar;
    /* self background in the counting pass (index mode, opt->self_flank >= 0) */
    vw_selfwin_t *sw;
    int n_sw;
    int sw_lo, sw_hi, sw_cur; /* windows of the region being read; cursor (from sw_lo) */
    /* molecules (opt->unit == VW_UNIT_MOLECULE) */
    vw_umi_col_t *umi;
    int32_t *ti_tid;   /* per target index: its tid and the end of its span */
    hts_pos_t *ti_end;
    int *active, n_active; /* targets with reads waiting in the collector */
    uint8_t *is_active;
    vw_umi_obs_t *uobs;
    int m_uobs;
    int consensus;     /* molecule unit: -1 not told yet, 1 consensus reads (cD tag), 0 raw UMI reads */
    uint8_t cur_fam;   /* consensus: the read's family byte (obs_t fam) */
    const uint8_t *cur_ad, *cur_bd; /* consensus: its per-base ad/bd arrays, or NULL */
    int64_t n_dup_skipped; /* molecule unit: duplicate-flagged reads left out by --excl-flags */
} engine_t;

/* ------------------------------------------------------------------ */
/* Tallying                                                            */

static int hist_add(uint32_t **h, int len)
{
    if (!*h) {
        *h = calloc(VW_FRAGLEN_BINS, sizeof(uint32_t));
        if (!*h)
            return -ENOMEM;
    }
    if (len >= VW_FRAGLEN_BINS)
        len = VW_FRAGLEN_BINS - 1;
    (*h)[len]++;
    return 0;
}

int vw_fraglen_median(const uint32_t *hist)
{
    if (!hist)
        return -1;
    uint64_t n = 0, c = 0;
    for (int i = 0; i < VW_FRAGLEN_BINS; i++)
        n += hist[i];
    if (n == 0)
        return -1;
    /* lower median: the smallest length with cumulative count >= ceil(n/2) */
    uint64_t half = (n + 1) / 2;
    for (int i = 0; i < VW_FRAGLEN_BINS; i++) {
        c += hist[i];
        if (c >= half)
            return i;
    }
    return VW_FRAGLEN_BINS - 1;
}

static int cons_tally(engine_t *e, const obs_t *o);

/* Counts one fragment (or read) with allele 'o' at its target. */
static int tally(engine_t *e, const obs_t *o, int fraglen)
{
    vw_count_t *c = &e->out->c[o->ti];
    if (e->consensus == 1 && cons_tally(e, o) == 0)
        return 0;
    c->depth++;
    if (o->code == CODE_REF) {
        c->ref++;
        if (o->rev) c->ref_rev++; else c->ref_fwd++;
        if (fraglen > 0 && hist_add(&c->fl_ref, fraglen) < 0)
            return -ENOMEM;
    } else if (o->code == CODE_ALT) {
        c->alt++;
        if (o->rev) c->alt_rev++; else c->alt_fwd++;
        c->alt_bq_sum += o->bq;
        c->alt_mq_sum += o->mq;
        if (fraglen > 0 && hist_add(&c->fl_alt, fraglen) < 0)
            return -ENOMEM;
    } else {
        c->other++;
    }
    return 0;
}

/* Counts a fragment from the observations of one or two reads, both
 * sorted by target index. */
static int commit(engine_t *e, const obs_t *a, int na, const obs_t *b, int nb, int fraglen)
{
    int i = 0, j = 0, ret = 0;
    while ((i < na || j < nb) && ret == 0) {
        if (j >= nb || (i < na && a[i].ti < b[j].ti)) {
            ret = tally(e, &a[i++], fraglen);
        } else if (i >= na || b[j].ti < a[i].ti) {
            ret = tally(e, &b[j++], fraglen);
        } else {
            const obs_t *x = &a[i++], *y = &b[j++];
            if (x->code != y->code) {
                if (e->consensus == 1) { /* a consensus fragment whose mates disagree */
                    vw_molcount_t *mc = e->out->c[x->ti].mol;
                    int sz = (x->fam & 127) > (y->fam & 127) ? x->fam & 127 : y->fam & 127;
                    mc->families++;
                    mc->fragments += sz;
                    mc->fam_hist[sz]++;
                    if (sz < e->opt->min_family) {
                        mc->small++;
                        continue;
                    }
                    mc->no_consensus++;
                }
                e->out->c[x->ti].discordant++;
                continue;
            }
            obs_t m = *x;
            if ((y->fam & 127) > (m.fam & 127)) m.fam = (uint8_t)((m.fam & 128) | (y->fam & 127));
            m.fam |= y->fam & 128;
            if (y->bq > m.bq) m.bq = y->bq;
            if (y->mq > m.mq) m.mq = y->mq;
            ret = tally(e, &m, fraglen);
        }
    }
    return ret;
}

/* ------------------------------------------------------------------ */
/* Pending mates                                                       */

/* Hash of a read name, 8 bytes at a time (multiply-xorshift mixing). */
static uint64_t name_hash(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
    for (; n >= 8; n -= 8, s += 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    /* final avalanche (MurmurHash3's fmix64): the table index takes the low
     * bits, which a multiply alone leaves dependent on the low input bits */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* Slot of 'name' in the table, or -1. */
static long tab_find(const engine_t *e, const char *name, uint64_t h)
{
    size_t i = h & e->tab_mask;
    while (e->tab[i].idx >= 0) {
        if (e->tab[i].h == h && strcmp(POOL(e, e->tab[i].idx)->qname, name) == 0)
            return (long)i;
        i = (i + 1) & e->tab_mask;
    }
    return -1;
}

static void tab_delete(engine_t *e, size_t i)
{
    size_t j = i;
    e->tab_n--;
    for (;;) {
        e->tab[j].idx = -1;
        size_t k = j;
        for (;;) {
            k = (k + 1) & e->tab_mask;
            if (e->tab[k].idx < 0)
                return;
            size_t home = e->tab[k].h & e->tab_mask;
            /* move k back to j unless its home lies cyclically in (j, k] */
            int in_range = j <= k ? (home > j && home <= k) : (home > j || home <= k);
            if (!in_range)
                break;
        }
        e->tab[j] = e->tab[k];
        j = k;
    }
}

static int tab_insert(engine_t *e, uint64_t h, int idx)
{
    if ((e->tab_n + 1) * 2 > e->tab_mask + 1) {
        size_t m = (e->tab_mask + 1) * 2;
        struct slot_s *t = malloc(m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        for (size_t i = 0; i < m; i++)
            t[i].idx = -1;
        for (size_t i = 0; i <= e->tab_mask; i++) {
            if (e->tab[i].idx < 0)
                continue;
            size_t j = e->tab[i].h & (m - 1);
            while (t[j].idx >= 0)
                j = (j + 1) & (m - 1);
            t[j] = e->tab[i];
        }
        free(e->tab);
        e->tab = t;
        e->tab_mask = m - 1;
    }
    size_t i = h & e->tab_mask;
    while (e->tab[i].idx >= 0)
        i = (i + 1) & e->tab_mask;
    e->tab[i].h = h;
    e->tab[i].idx = idx;
    e->tab_n++;
    return 0;
}

static void name_free(pend_t *p)
{
    if (p->qname && p->qname != p->name_buf)
        free(p->qname);
    p->qname = NULL;
}

static void pend_release(engine_t *e, int idx)
{
    pend_t *p = POOL(e, idx);
    if (p->alive) {
        long k = tab_find(e, p->qname, p->hash);
        if (k >= 0 && e->tab[k].idx == idx)
            tab_delete(e, (size_t)k);
    }
    name_free(p);
    p->alive = 0;
    p->n_obs = 0;
    e->free_list[e->n_free++] = idx; /* m_free >= m_pool always */
}

/* Counts alone the waiting reads of one bucket, and frees the bucket. */
static int flush_bucket(engine_t *e, int slot)
{
    int idx = e->wheel[slot];
    e->wheel[slot] = -1;
    while (idx >= 0) {
        pend_t *q = POOL(e, idx);
        int next = q->next;
        if (q->alive) {
            int ret = commit(e, q->obs, q->n_obs, NULL, 0, q->fraglen);
            if (ret < 0)
                return ret;
        }
        pend_release(e, idx);
        e->n_waiting--;
        idx = next;
    }
    return 0;
}

/* Counts alone every waiting read whose mate can no longer come before
 * (tid, pos); with tid < 0, all of them. */
static int flush_pending(engine_t *e, int tid, hts_pos_t pos)
{
    int ret;
    if (e->n_waiting == 0) {
        e->wheel_tid = tid;
        e->wheel_pos = pos;
        return 0;
    }
    if (tid < 0 || tid != e->wheel_tid || pos - e->wheel_pos >= WHEEL) {
        for (int i = 0; i < WHEEL && e->n_waiting > 0; i++)
            if (e->wheel[i] >= 0 && (ret = flush_bucket(e, i)) < 0)
                return ret;
    } else {
        for (hts_pos_t p = e->wheel_pos; p < pos && e->n_waiting > 0; p++) {
            int slot = (int)(p & (WHEEL - 1));
            if (e->wheel[slot] >= 0 && (ret = flush_bucket(e, slot)) < 0)
                return ret;
        }
    }
    e->wheel_tid = tid;
    e->wheel_pos = pos;
    return 0;
}

static int pend_add(engine_t *e, const bam1_t *b, int fraglen, uint64_t h)
{
    int idx;
    if (e->n_free > 0) {
        idx = e->free_list[--e->n_free];
    } else {
        if (e->n_pool == e->m_pool) {
            int nc = e->m_pool >> CHUNK_BITS;
            pend_t **c = realloc(e->chunks, (size_t)(nc + 1) * sizeof(pend_t *));
            if (!c)
                return -ENOMEM;
            e->chunks = c;
            c[nc] = calloc((size_t)1 << CHUNK_BITS, sizeof(pend_t));
            if (!c[nc])
                return -ENOMEM;
            int m = e->m_pool + (1 << CHUNK_BITS);
            int *f = realloc(e->free_list, (size_t)m * sizeof(int));
            if (!f) {
                free(c[nc]);
                return -ENOMEM;
            }
            e->free_list = f;
            e->m_free = m;
            e->m_pool = m;
        }
        idx = e->n_pool++;
    }
    pend_t *p = POOL(e, idx);
    const char *name = bam_get_qname(b);
    size_t nl = strlen(name);
    if (nl < NAME_INLINE) {
        memcpy(p->name_buf, name, nl + 1);
        p->qname = p->name_buf;
    } else if (!(p->qname = vw_strdup(name))) {
        return -ENOMEM;
    }
    p->mpos = b->core.mpos;
    p->tid = b->core.tid;
    p->fraglen = fraglen;
    p->alive = 1;
    if (!p->obs) {
        p->obs = p->obs_buf;
        p->m_obs = OBS_INLINE;
    }
    if (p->m_obs < e->n_obs) {
        obs_t *o = p->obs == p->obs_buf ? malloc((size_t)e->n_obs * sizeof(obs_t))
                                         : realloc(p->obs, (size_t)e->n_obs * sizeof(obs_t));
        if (!o)
            return -ENOMEM;
        p->obs = o;
        p->m_obs = e->n_obs;
    }
    memcpy(p->obs, e->obs, (size_t)e->n_obs * sizeof(obs_t));
    p->n_obs = e->n_obs;
    p->hash = h;
    /* the caller has looked the name up and not found it: a record with
     * this name that is waiting would have been merged instead */
    if (tab_insert(e, p->hash, idx) < 0)
        return -ENOMEM;
    int slot = (int)(p->mpos & (WHEEL - 1));
    p->next = e->wheel[slot];
    e->wheel[slot] = idx;
    e->n_waiting++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Alleles of one read                                                 */

static inline int push_obs(engine_t *e, int32_t ti, uint32_t code, int bq, int rev, int mq)
{
    if (e->n_obs == e->m_obs) {
        int m = e->m_obs ? e->m_obs * 2 : 16;
        obs_t *o = realloc(e->obs, (size_t)m * sizeof(*o));
        if (!o)
            return -ENOMEM;
        e->obs = o;
        e->m_obs = m;
    }
    obs_t *o = &e->obs[e->n_obs++];
    o->ti = ti;
    o->code = code;
    o->bq = (uint8_t)(bq > 255 ? 255 : bq);
    o->rev = (uint8_t)rev;
    o->mq = (uint8_t)mq;
    o->fam = e->cur_fam;
    return 0;
}

/* Maps reference positions [rb, re) to query positions: qpos[i] >= 0 an
 * aligned base, -2 not aligned (clipped, skipped or outside), <= -3 deleted
 * (DEL_NEXT() gives the query position of the base after the deletion,
 * whose quality stands for the deletion's, as in htslib's pileup).
 * *ret_ins is set when an insertion lies strictly inside the range. */
static void map_ref_range(const bam1_t *b, hts_pos_t rb, hts_pos_t re, int *qpos, int *ret_ins)
{
    const uint32_t *cig = bam_get_cigar(b);
    hts_pos_t r = b->core.pos;
    int q = 0;
    *ret_ins = 0;
    for (hts_pos_t p = rb; p < re; p++)
        qpos[p - rb] = -2;
    for (uint32_t k = 0; k < b->core.n_cigar && r < re; k++) {
        int op = bam_cigar_op(cig[k]);
        int len = bam_cigar_oplen(cig[k]);
        switch (op) {
        case BAM_CMATCH: case BAM_CEQUAL: case BAM_CDIFF:
        case BAM_CDEL: {
            /* the part of [r, r+len) inside [rb, re) */
            hts_pos_t lo = r > rb ? r : rb, hi = r + len < re ? r + len : re;
            for (hts_pos_t p = lo; p < hi; p++)
                qpos[p - rb] = op == BAM_CDEL ? -3 - q : q + (int)(p - r);
            r += len;
            if (op != BAM_CDEL)
                q += len;
            break;
        }
        case BAM_CREF_SKIP:
            r += len;
            break;
        case BAM_CINS:
            if (r > rb && r < re)
                *ret_ins = 1;
            q += len;
            break;
        case BAM_CSOFT_CLIP:
            q += len;
            break;
        default: /* H, P */
            break;
        }
    }
}

#define DEL_NEXT(v) (-(v) - 3)

static const char nt16_upper[] = "=ACMGRSVTWYHKDBN";

/* Base quality at query position q (0 when absent or out of range). */
static inline int qual_at(const bam1_t *b, int q)
{
    const uint8_t *qual = bam_get_qual(b);
    if (q < 0 || q >= b->core.l_qseq || qual[0] == 0xff)
        return 0;
    return qual[q];
}

/* Appends to e->obs the read's allele at target 'bt'.  Returns 0 or -ENOMEM. */
static int observe(engine_t *e, const bam1_t *b, const bound_t *bt, int rev, int mq)
{
    const vw_target_t *t = &e->ts->t[bt->ti];
    hts_pos_t rb = bt->span_beg, re = bt->span_end;
    int n = (int)(re - rb), ins;
    if (n > e->m_qpos) {
        int *q = realloc(e->qpos, (size_t)n * sizeof(int));
        if (!q)
            return -ENOMEM;
        e->qpos = q;
        e->m_qpos = n;
    }
    map_ref_range(b, rb, re, e->qpos, &ins);
    const uint8_t *seq = bam_get_seq(b);
    if (t->kind == VW_KIND_SNV) {
        int qp = e->qpos[0];
        if (qp == -2)
            return 0;
        if (qp <= -3) {
            int bq = qual_at(b, DEL_NEXT(qp));
            return bq < e->opt->min_bq ? 0 : push_obs(e, bt->ti, CODE_DEL, bq, rev, mq);
        }
        int bq = qual_at(b, qp);
        if (bq < e->opt->min_bq)
            return 0;
        char base = nt16_upper[bam_seqi(seq, qp)];
        int code = base == t->ref[0] ? CODE_REF : base == t->alt[0] ? CODE_ALT : CODE_BASE0 + bam_seqi(seq, qp);
        if (e->cur_ad && e->cur_bd) { /* per-base strand depths of a duplex consensus read */
            uint8_t keep = e->cur_fam;
            int dup = bam_auxB_len(e->cur_ad) > (uint32_t)qp && bam_auxB_len(e->cur_bd) > (uint32_t)qp
                      && bam_auxB2i(e->cur_ad, (uint32_t)qp) > 0 && bam_auxB2i(e->cur_bd, (uint32_t)qp) > 0;
            e->cur_fam = (uint8_t)((keep & 127) | (dup ? 128 : 0));
            int r = push_obs(e, bt->ti, code, bq, rev, mq);
            e->cur_fam = keep;
            return r;
        }
        return push_obs(e, bt->ti, code, bq, rev, mq);
    }
    if (t->kind == VW_KIND_MNV) {
        int minbq = 255;
        for (int i = 0; i < n; i++)
            if (e->qpos[i] == -2)
                return 0;
        /* the allele: each position's base, '-' for a deleted one, and the
         * read's inserted bases where an insertion lies inside */
        e->allele.l = 0;
        if (e->allele.s)
            e->allele.s[0] = '\0';
        int last_q = -1;
        for (int i = 0; i < n; i++) {
            int qp = e->qpos[i];
            int bq = qual_at(b, qp <= -3 ? DEL_NEXT(qp) : qp);
            if (bq < minbq)
                minbq = bq;
            if (qp <= -3) {
                if (kputc('-', &e->allele) < 0)
                    return -ENOMEM;
                continue;
            }
            for (int q = last_q >= 0 ? last_q + 1 : qp; q < qp; q++)
                if (kputc((char)tolower(nt16_upper[bam_seqi(seq, q)]), &e->allele) < 0)
                    return -ENOMEM;
            if (kputc(nt16_upper[bam_seqi(seq, qp)], &e->allele) < 0)
                return -ENOMEM;
            last_q = qp;
        }
        if (minbq < e->opt->min_bq)
            return 0;
        (void)ins;
        const char *a = e->allele.s;
        uint32_t code = strcmp(a, t->ref) == 0 ? CODE_REF : strcmp(a, t->alt) == 0 ? CODE_ALT
                        : seq_code(a, e->allele.l);
        return push_obs(e, bt->ti, code, minbq, rev, mq);
    }
    /* indels and complex: the read sequence between the aligned flanks */
    int q1 = e->qpos[0], q2 = e->qpos[n - 1];
    if (q1 < 0 || q2 < 0 || q2 <= q1)
        return 0;
    e->allele.l = 0;
    if (e->allele.s)
        e->allele.s[0] = '\0';
    for (int q = q1 + 1; q < q2; q++)
        if (kputc(nt16_upper[bam_seqi(seq, q)], &e->allele) < 0)
            return -ENOMEM;
    if (!e->allele.s && ks_resize(&e->allele, 16) < 0)
        return -ENOMEM;
    e->allele.s[e->allele.l] = '\0';
    const char *a = e->allele.s;
    uint32_t code = strcmp(a, t->win_ref) == 0 ? CODE_REF : strcmp(a, t->win_alt) == 0 ? CODE_ALT
                    : seq_code(a, e->allele.l);
    return push_obs(e, bt->ti, code, 0, rev, mq);
}

/* Collects the observations of read 'b' at bound targets [lo, hi). */
static int observe_read(engine_t *e, const bam1_t *b, hts_pos_t end, int lo, int hi)
{
    hts_pos_t pos = b->core.pos;
    e->n_obs = 0;
    /* first target with span_beg >= pos: a cursor that only moves forward
     * while reads come in position order within one range [lo, hi) */
    if (lo != e->cur_lo || hi != e->cur_hi || (e->cur > lo && e->bt[e->cur - 1].span_beg >= pos)) {
        e->cur_lo = lo;
        e->cur_hi = hi;
        e->cur = lo;
    }
    while (e->cur < hi && e->bt[e->cur].span_beg < pos)
        e->cur++;
    int l = e->cur;
    uint16_t flag = b->core.flag;
    int rev = bam_is_rev(b);
    if ((flag & BAM_FPAIRED) && (flag & BAM_FREAD2))
        rev = !rev;
    int mq = b->core.qual;
    for (int i = l; i < hi && e->bt[i].span_beg < end; i++) {
        if (e->bt[i].span_end > end)
            continue;
        int ret = observe(e, b, &e->bt[i], rev, mq);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Molecules (VW_UNIT_MOLECULE): reads go to the UMI collector, which    */
/* groups each target's reads once the stream has passed the target     */

int vw_famsize_median(const uint32_t *hist)
{
    uint64_t n = 0, c = 0;
    for (int i = 0; i < VW_FAMSIZE_BINS; i++)
        n += hist[i];
    if (n == 0)
        return -1;
    for (int i = 0; i < VW_FAMSIZE_BINS; i++)
        if ((c += hist[i]) >= (n + 1) / 2)
            return i;
    return VW_FAMSIZE_BINS - 1;
}

static int mol_init(engine_t *e)
{
    int n = e->ts->n ? e->ts->n : 1;
    e->umi = vw_umi_col_init(e->ts->n, (vw_umi_source_t)e->opt->umi_source);
    e->ti_tid = malloc((size_t)n * sizeof(int32_t));
    e->ti_end = malloc((size_t)n * sizeof(hts_pos_t));
    e->active = malloc((size_t)n * sizeof(int));
    e->is_active = calloc((size_t)n, 1);
    if (!e->umi || !e->ti_tid || !e->ti_end || !e->active || !e->is_active)
        return -ENOMEM;
    for (int i = 0; i < e->n_bt; i++) {
        e->ti_tid[e->bt[i].ti] = e->bt[i].tid;
        e->ti_end[e->bt[i].ti] = e->bt[i].span_end;
    }
    for (int i = 0; i < e->ts->n; i++)
        if (!(e->out->c[i].mol = calloc(1, sizeof(vw_molcount_t))))
            return -ENOMEM;
    return 0;
}

static void mol_free(engine_t *e)
{
    vw_umi_col_destroy(e->umi);
    free(e->ti_tid);
    free(e->ti_end);
    free(e->active);
    free(e->is_active);
    free(e->uobs);
}

/* Groups the reads of target ti into molecules and counts them. */
static int mol_resolve(engine_t *e, int ti)
{
    const vw_umi_mol_t *m;
    int n, ret = vw_umi_col_resolve(e->umi, ti, e->opt->min_agree, &m, &n, NULL);
    if (ret < 0)
        return ret;
    vw_count_t *c = &e->out->c[ti];
    vw_molcount_t *mc = c->mol;
    for (int i = 0; i < n; i++) {
        mc->families++;
        mc->fragments += m[i].size;
        mc->fam_hist[m[i].size < VW_FAMSIZE_BINS ? m[i].size : VW_FAMSIZE_BINS - 1]++;
        if (m[i].size < e->opt->min_family) {
            mc->small++;
            continue;
        }
        if (m[i].code == CODE_NONE) {
            mc->no_consensus++;
            c->discordant++;
            continue;
        }
        int64_t *k = m[i].code == CODE_REF ? &mc->ref : m[i].code == CODE_ALT ? &mc->alt : &mc->other;
        (*k)++;
        if (m[i].duplex)
            (*(m[i].code == CODE_REF ? &mc->duplex_ref : m[i].code == CODE_ALT ? &mc->duplex_alt
                                                                                : &mc->duplex_other))++;
        if (e->opt->duplex_only && !m[i].duplex)
            continue;
        obs_t o = {ti, m[i].code, m[i].bq, m[i].strand, m[i].mq, 0};
        if ((ret = tally(e, &o, m[i].fraglen)) < 0)
            return ret;
    }
    return 0;
}

/* Counts the targets the stream has passed (a read at tid:pos); tid < 0: all. */
static int mol_flush(engine_t *e, int tid, hts_pos_t pos)
{
    for (int i = 0; i < e->n_active;) {
        int ti = e->active[i];
        if (tid >= 0 && e->ti_tid[ti] == tid && e->ti_end[ti] > pos) {
            i++;
            continue;
        }
        int ret = mol_resolve(e, ti);
        if (ret < 0)
            return ret;
        e->is_active[ti] = 0;
        e->active[i] = e->active[--e->n_active];
    }
    return 0;
}

/* Hands read b's observations (e->obs) to the collector. */
static int mol_add(engine_t *e, const bam1_t *b)
{
    if (e->n_obs > e->m_uobs) {
        vw_umi_obs_t *u = realloc(e->uobs, (size_t)e->n_obs * sizeof(*u));
        if (!u)
            return -ENOMEM;
        e->uobs = u;
        e->m_uobs = e->n_obs;
    }
    for (int i = 0; i < e->n_obs; i++) {
        const obs_t *o = &e->obs[i];
        e->uobs[i] = (vw_umi_obs_t){o->ti, o->code, o->bq, o->mq};
    }
    int r = vw_umi_col_add(e->umi, b, e->uobs, e->n_obs);
    if (r == 0)
        for (int i = 0; i < e->n_obs; i++)
            if (!e->is_active[e->obs[i].ti]) {
                e->is_active[e->obs[i].ti] = 1;
                e->active[e->n_active++] = e->obs[i].ti;
            }
    if (r == VW_EINPUT) {
        vw_error("%s: read %s has no UMI: neither an RX tag nor one after the last '_' or ':' of its name "
                 "(molecules need UMIs; --umi tag|name to choose)", e->out->path, bam_get_qname(b));
        return r;
    }
    return r < 0 ? r : 0; /* 1: skipped, counted in the collector's stats */
}

/* Consensus reads (fgbio CallMolecularConsensusReads / CallDuplexConsensusReads): each
 * fragment is one molecule; its family size is cD (or aD + bD), it is duplex when
 * both strands had reads (aD and bD >= 1; per base from ad/bd when present). */
static int64_t aux_int(const bam1_t *b, const char tag[2], int64_t dflt)
{
    const uint8_t *p = bam_aux_get(b, tag);
    if (!p)
        return dflt;
    errno = 0;
    int64_t v = bam_aux2i(p);
    return errno == EINVAL ? dflt : v; /* not an integer tag */
}

static void cons_read(engine_t *e, const bam1_t *b)
{
    int64_t a = aux_int(b, "aD", 0), bb = aux_int(b, "bD", 0);
    int64_t n = aux_int(b, "cD", a + bb);
    if (n < 1) n = 1;
    if (n > 127) n = 127;
    e->cur_fam = (uint8_t)(n | (a > 0 && bb > 0 ? 128 : 0));
    const uint8_t *ad = bam_aux_get(b, "ad"), *bd = bam_aux_get(b, "bd");
    e->cur_ad = ad && *ad == 'B' ? ad : NULL;
    e->cur_bd = bd && *bd == 'B' ? bd : NULL;
}

/* Molecule accounting of a consensus fragment; returns 1 when it also counts in the
 * evidence columns, 0 when not (too small, or not duplex with --duplex-only). */
static int cons_tally(engine_t *e, const obs_t *o)
{
    vw_molcount_t *mc = e->out->c[o->ti].mol;
    int sz = o->fam & 127, dup = o->fam >> 7;
    mc->families++;
    mc->fragments += sz;
    mc->fam_hist[sz]++;
    if (sz < e->opt->min_family) {
        mc->small++;
        return 0;
    }
    int64_t *k = o->code == CODE_REF ? &mc->ref : o->code == CODE_ALT ? &mc->alt : &mc->other;
    (*k)++;
    if (dup)
        (*(o->code == CODE_REF ? &mc->duplex_ref : o->code == CODE_ALT ? &mc->duplex_alt : &mc->duplex_other))++;
    return !e->opt->duplex_only || dup;
}

/* After the counting: the UMI summary, and an error when no read had a UMI. */
static int mol_end(engine_t *e)
{
    const vw_umi_stats_t *st = vw_umi_col_stats(e->umi);
    const char *path = e->out->path;
    e->out->umi = *st;
    int64_t skipped = st->n_no_umi + st->n_bad + st->n_no_sep;
    if (st->n_reads > 0 && skipped == st->n_reads) {
        vw_error("%s: none of the %lld reads at the targets has a usable UMI (%s; %lld without one, %lld "
                 "malformed, %lld without the duplex separator)", path, (long long)st->n_reads,
                 st->source == VW_UMI_TAG ? "RX tag" : "read name", (long long)st->n_no_umi,
                 (long long)st->n_bad, (long long)st->n_no_sep);
        return VW_EINPUT;
    }
    if (st->n_no_umi)
        vw_warn("%s: %lld of %lld reads at the targets have no UMI (%s); skipped", path,
                (long long)st->n_no_umi, (long long)st->n_reads,
                st->source == VW_UMI_TAG ? "no RX tag" : "none at the end of the name");
    if (st->n_bad)
        vw_warn("%s: %lld reads have a malformed UMI (not A/C/G/T/N, or an empty half); skipped", path,
                (long long)st->n_bad);
    if (st->n_no_sep)
        vw_warn("%s: %lld reads have a UMI %s the duplex separator '-' that the first UMI %s; skipped", path,
                (long long)st->n_no_sep, st->duplex ? "without" : "with", st->duplex ? "has" : "has not");
    if (e->n_dup_skipped && e->consensus != 1)
        vw_warn("%s: %lld duplicate-flagged reads were skipped, but in the molecule unit PCR copies make the "
                "families: count a BAM without duplicate marking, or give --excl-flags "
                "UNMAP,SECONDARY,QCFAIL,SUPPLEMENTARY", path, (long long)e->n_dup_skipped);
    if (st->n_other_len)
        vw_warn("%s: %lld reads have a UMI of another length than the first (%d); they are grouped only "
                "with UMIs of their own length", path, (long long)st->n_other_len, st->umi_len);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The read loop                                                       */

/* Paired, with the mate mapped on the same contig. */
static inline int is_paired_here(const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    return (c->flag & BAM_FPAIRED) && !(c->flag & BAM_FMUNMAP) && c->mtid == c->tid;
}

static int fraglen_of(const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    if (!is_paired_here(b) || c->isize == 0)
        return 0;
    /* isize is a 64-bit field: a hostile SAM may hold INT64_MIN, whose negation overflows */
    if (c->isize <= -(int64_t)INT32_MAX || c->isize >= INT32_MAX)
        return INT32_MAX;
    return c->isize < 0 ? (int)-c->isize : (int)c->isize;
}

/* Handles one read against bound targets [lo, hi); h is name_hash() of its name. */
static int process(engine_t *e, const bam1_t *b, int lo, int hi, uint64_t h)
{
    const bam1_core_t *c = &b->core;
    const vw_count_opt_t *o = e->opt;
    if ((c->flag & o->excl_flags) || (c->flag & o->req_flags) != o->req_flags || c->qual < o->min_mq
        || c->tid < 0) {
        if (e->umi && (c->flag & o->excl_flags & BAM_FDUP))
            e->n_dup_skipped++; /* PCR copies are what a family is made of: said at the end */
        return 0;
    }
    if (c->n_cigar == 0) {
        vw_ratewarn(&e->warn_cigar, "%s: read %s is mapped but has no CIGAR; skipped", e->out->path,
                    bam_get_qname(b));
        return 0;
    }
    /* SEQ '*' (legal SAM, l_qseq 0): no base to read, whatever the CIGAR
     * says; such a read counts for nothing (its CIGAR would index past
     * the end of an empty sequence) */
    if (c->l_qseq == 0)
        return 0;
    e->out->n_used++;
    if (e->sw_hi > e->sw_lo)
        vw_selfbg_add_read(b, e->sw + e->sw_lo, e->sw_hi - e->sw_lo, &e->sw_cur, o->min_bq);
    int ret;
    if (o->unit == VW_UNIT_MOLECULE && e->consensus < 0)
        e->consensus = bam_aux_get(b, "cD") != NULL;
    if (e->consensus == 1)
        cons_read(e, b);
    if ((o->unit == VW_UNIT_FRAGMENT || e->consensus == 1) && (ret = flush_pending(e, c->tid, c->pos)) < 0)
        return ret;
    if (o->unit == VW_UNIT_MOLECULE && e->consensus == 0 && (ret = mol_flush(e, c->tid, c->pos)) < 0)
        return ret;
    hts_pos_t end = bam_endpos(b);
    if ((ret = observe_read(e, b, end, lo, hi)) < 0)
        return ret;
    if (e->n_obs == 0)
        return 0;
    e->out->n_informative += e->n_obs;
    if (o->unit == VW_UNIT_MOLECULE && e->consensus == 0)
        return mol_add(e, b);
    int fl = fraglen_of(b);
    if (o->unit == VW_UNIT_READ)
        return commit(e, e->obs, e->n_obs, NULL, 0, fl);
    int paired = is_paired_here(b);
    if (paired && e->tab_n > 0) {
        const char *name = bam_get_qname(b);
        long k = tab_find(e, name, h);
        if (k >= 0) {
            int idx = e->tab[k].idx;
            pend_t *p = POOL(e, idx);
            tab_delete(e, (size_t)k);
            p->alive = 0;
            /* the pool entry stays in its wheel bucket until flushed */
            return commit(e, p->obs, p->n_obs, e->obs, e->n_obs, fl ? fl : p->fraglen);
        }
    }
    if (paired && c->mpos >= c->pos && c->mpos < end && c->mpos - c->pos < WHEEL) {
        /* targets before the mate's start cannot be covered by the mate:
         * count them now (obs are in target order, not position order) */
        int k = 0, n = e->n_obs;
        for (int i = 0; i < n; i++) {
            if (e->span_beg[e->obs[i].ti] < c->mpos) {
                if ((ret = commit(e, &e->obs[i], 1, NULL, 0, fl)) < 0)
                    return ret;
            } else {
                e->obs[k++] = e->obs[i];
            }
        }
        e->n_obs = k;
        return k > 0 ? pend_add(e, b, fl, h) : 0;
    }
    return commit(e, e->obs, e->n_obs, NULL, 0, fl);
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

/* Binds targets to the header: tids, spans, per-tid ranges. */
static int bind_targets(engine_t *e, const sam_hdr_t *h)
{
    const vw_targets_t *ts = e->ts;
    e->bt = malloc((size_t)(ts->n ? ts->n : 1) * sizeof(bound_t));
    e->span_beg = malloc((size_t)(ts->n ? ts->n : 1) * sizeof(hts_pos_t));
    e->n_tid = sam_hdr_nref(h);
    e->tid_lo = calloc((size_t)e->n_tid + 1, sizeof(int));
    e->tid_hi = calloc((size_t)e->n_tid + 1, sizeof(int));
    if (!e->bt || !e->span_beg || !e->tid_lo || !e->tid_hi)
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
        name_free(POOL(e, i));
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
        free(e->sw[k].cnt);
    free(e->sw);
    mol_free(e);
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

static int read_error(const engine_t *e, int r, int through_index)
{
    return vw_aln_read_error(e->aln, r, e->out->n_reads, through_index, e->opt->reference);
}

/* Reads are decoded LOOKAHEAD records ahead of the one being counted, so
 * that the pending-mate table slot of each can be prefetched while the
 * records before it are counted: at depths where the table no longer fits
 * the cache, the lookup of a read's mate is otherwise a memory stall.  The
 * prefetches are hints only; the counting order is the file order. */
#define LOOKAHEAD 16

typedef struct {
    bam1_t *b[LOOKAHEAD];
    uint64_t h[LOOKAHEAD];
    int n, head; /* records held, index of the oldest */
} ring_t;

static int ring_init(ring_t *r)
{
    memset(r, 0, sizeof(*r));
    for (int i = 0; i < LOOKAHEAD; i++)
        if (!(r->b[i] = bam_init1()))
            return -ENOMEM;
    return 0;
}

static void ring_free(ring_t *r)
{
    for (int i = 0; i < LOOKAHEAD; i++)
        bam_destroy1(r->b[i]);
}

/* Stage 1, when a record is read: its table slot. */
static inline void prefetch_slot(const engine_t *e, const bam1_t *b, uint64_t h)
{
    if (e->opt->unit == VW_UNIT_FRAGMENT && e->tab && is_paired_here(b))
        __builtin_prefetch(&e->tab[h & e->tab_mask]);
}

/* Stage 2, halfway to its turn: the waiting mate the slot points to. */
static inline void prefetch_mate(const engine_t *e, const bam1_t *b, uint64_t h)
{
    if (e->opt->unit != VW_UNIT_FRAGMENT || !e->tab || e->tab_n == 0 || !is_paired_here(b))
        return;
    const struct slot_s *t = &e->tab[h & e->tab_mask];
    if (t->idx >= 0 && t->h == h) {
        const pend_t *p = POOL(e, t->idx);
        __builtin_prefetch(p);
        __builtin_prefetch((const char *)p + 64);
    }
}

/* Counts the oldest record of the ring and drops it. */
static int ring_pop(engine_t *e, ring_t *r, int lo, int hi)
{
    int i = r->head;
    if (r->n > LOOKAHEAD / 2) {
        int j = (i + LOOKAHEAD / 2) % LOOKAHEAD;
        prefetch_mate(e, r->b[j], r->h[j]);
    }
    r->head = (i + 1) % LOOKAHEAD;
    r->n--;
    const bam1_t *b = r->b[i];
    if (lo < 0) {
        const bam1_core_t *c = &b->core;
        if (c->tid >= e->n_tid || e->tid_hi[c->tid] == 0)
            return 0;
        lo = e->tid_lo[c->tid];
        hi = e->tid_hi[c->tid];
    }
    return process(e, b, lo, hi, r->h[i]);
}

/* The slot the next record is read into. */
static inline bam1_t *ring_slot(ring_t *r)
{
    return r->b[(r->head + r->n) % LOOKAHEAD];
}

/* Takes the record just read into ring_slot(). */
static inline void ring_push(const engine_t *e, ring_t *r)
{
    int i = (r->head + r->n) % LOOKAHEAD;
    if (e->opt->unit != VW_UNIT_READ) { /* the molecule unit pairs the mates of consensus reads */
        r->h[i] = name_hash(bam_get_qname(r->b[i]));
        prefetch_slot(e, r->b[i], r->h[i]);
    }
    r->n++;
}

/* The consumer's checks and counting of one streamed record: returns 1 to
 * stop (unplaced reads reached), 0 to go on, < 0 on error. */
static int stream_take(engine_t *e, sam_hdr_t *h, ring_t *q, int *last_tid, hts_pos_t *last_pos)
{
    const bam1_t *b = ring_slot(q);
    const bam1_core_t *c = &b->core;
    e->out->n_reads++;
    if (c->tid < 0)
        return 1; /* unplaced unmapped reads come last */
    if (c->tid < *last_tid || (c->tid == *last_tid && c->pos < *last_pos)) {
        vw_error("%s: not sorted by coordinate (record %lld, %s at %s:%lld); run samtools sort", e->out->path,
                 (long long)e->out->n_reads, bam_get_qname(b), sam_hdr_tid2name(h, c->tid),
                 (long long)c->pos + 1);
        return VW_EFORMAT;
    }
    *last_tid = c->tid;
    *last_pos = c->pos;
    if (c->tid >= e->n_tid || e->tid_hi[c->tid] == 0)
        return 0;
    ring_push(e, q);
    return q->n == LOOKAHEAD ? ring_pop(e, q, -1, -1) : 0;
}

/* Ends a stream: counts what the ring still holds (unless an error
 * stopped it), then reports a read error r or counts the waiting reads. */
static int stream_end(engine_t *e, ring_t *q, int ret, int r)
{
    while (ret >= 0 && q->n > 0)
        ret = ring_pop(e, q, -1, -1);
    ring_free(q);
    if (ret < 0)
        return ret;
    if (ret == 0 && r < -1)
        return read_error(e, r, 0);
    if (ret == 0 && r == -1 && (ret = vw_aln_check_stream_end(e->aln, e->out->n_reads)) < 0)
        return ret;
    if ((ret = flush_pending(e, -1, 0)) < 0)
        return ret;
    return e->umi ? mol_flush(e, -1, 0) : 0;
}

/* Streams the whole file in this thread; needs coordinate order. */
static int run_stream(engine_t *e, samFile *fp, sam_hdr_t *h)
{
    int r, ret = 0, last_tid = -1;
    hts_pos_t last_pos = -1;
    ring_t q;
    if (ring_init(&q) < 0) {
        ring_free(&q);
        return -ENOMEM;
    }
    while ((r = sam_read1(fp, h, ring_slot(&q))) >= 0)
        if ((ret = stream_take(e, h, &q, &last_tid, &last_pos)) != 0)
            break;
    return stream_end(e, &q, ret, r);
}

/* Streaming with a decoding thread: one thread reads and decodes records
 * into batches while this one counts them.  Batches travel through a ring
 * of N_BATCH; the decoder stops at the end of the file, at a read error
 * (kept for the counter to report after the records before it), at the
 * first unplaced read, or when the counter asks it to. */
#define BATCH 2048
#define N_BATCH 4

typedef struct {
    bam1_t *b[BATCH];
    int n;
    int r; /* after the last record: 0 more to come, -1 end of file, < -1 read error */
} batch_t;

typedef struct {
    samFile *fp;
    sam_hdr_t *h;
    batch_t bt[N_BATCH];
    int n_full, wr, rd; /* full batches, next to fill, next to count */
    int stop;
    pthread_mutex_t lock;
    pthread_cond_t cv;
} decoder_t;

static void *decoder_main(void *arg)
{
    decoder_t *d = arg;
    for (int done = 0; !done;) {
        pthread_mutex_lock(&d->lock);
        while (d->n_full == N_BATCH && !d->stop)
            pthread_cond_wait(&d->cv, &d->lock);
        int stop = d->stop;
        batch_t *t = &d->bt[d->wr];
        pthread_mutex_unlock(&d->lock);
        if (stop)
            break;
        t->n = 0;
        t->r = 0;
        while (t->n < BATCH) {
            int r = sam_read1(d->fp, d->h, t->b[t->n]);
            if (r < 0) {
                t->r = r;
                break;
            }
            if (t->b[t->n++]->core.tid < 0) {
                t->r = -1; /* unplaced reads: the counter stops at this one */
                break;
            }
        }
        done = t->r != 0;
        pthread_mutex_lock(&d->lock);
        d->wr = (d->wr + 1) % N_BATCH;
        d->n_full++;
        pthread_cond_broadcast(&d->cv);
        pthread_mutex_unlock(&d->lock);
    }
    return NULL;
}

static void decoder_free(decoder_t *d)
{
    for (int i = 0; i < N_BATCH; i++)
        for (int j = 0; j < BATCH; j++)
            bam_destroy1(d->bt[i].b[j]);
    free(d);
}

static int run_stream_mt(engine_t *e, samFile *fp, sam_hdr_t *h)
{
    decoder_t *d = calloc(1, sizeof(*d));
    ring_t q;
    int ret = 0, r = 0, last_tid = -1;
    hts_pos_t last_pos = -1;
    if (!d || ring_init(&q) < 0) {
        if (d)
            ring_free(&q);
        free(d);
        return -ENOMEM;
    }
    d->fp = fp;
    d->h = h;
    for (int i = 0; i < N_BATCH; i++)
        for (int j = 0; j < BATCH; j++)
            if (!(d->bt[i].b[j] = bam_init1()))
                ret = -ENOMEM;
    pthread_t th;
    if (ret == 0 && (pthread_mutex_init(&d->lock, NULL) != 0 || pthread_cond_init(&d->cv, NULL) != 0
                     || pthread_create(&th, NULL, decoder_main, d) != 0))
        ret = -ENOMEM; /* (never on Linux but for resources: not worth a separate message) */
    if (ret < 0) {
        decoder_free(d);
        ring_free(&q);
        return ret;
    }
    for (;;) {
        pthread_mutex_lock(&d->lock);
        while (d->n_full == 0)
            pthread_cond_wait(&d->cv, &d->lock);
        batch_t *t = &d->bt[d->rd];
        pthread_mutex_unlock(&d->lock);
        for (int i = 0; i < t->n && ret == 0; i++) {
            /* swap the decoded record into the ring's free slot */
            bam1_t **slot = &q.b[(q.head + q.n) % LOOKAHEAD], *tmp = *slot;
            *slot = t->b[i];
            t->b[i] = tmp;
            ret = stream_take(e, h, &q, &last_tid, &last_pos);
        }
        r = t->r;
        pthread_mutex_lock(&d->lock);
        d->rd = (d->rd + 1) % N_BATCH;
        d->n_full--;
        if (ret != 0)
            d->stop = 1;
        pthread_cond_broadcast(&d->cv);
        pthread_mutex_unlock(&d->lock);
        if (ret != 0 || r != 0)
            break;
    }
    pthread_join(th, NULL);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->cv);
    decoder_free(d);
    return stream_end(e, &q, ret, r);
}

/* Visits clusters of targets through the index. */
static int run_index(engine_t *e, samFile *fp, sam_hdr_t *h, hts_idx_t *idx)
{
    /* targets closer than 'gap' share one region; with the self background
     * each region also takes its targets' flanks, and regions stay apart */
    const hts_pos_t flank = e->n_sw > 0 ? e->opt->self_flank : 0;
    const hts_pos_t gap = 1000 + 2 * flank;
    int i = 0, ret = 0, k = 0;
    ring_t q;
    if (ring_init(&q) < 0) {
        ring_free(&q);
        return -ENOMEM;
    }
    while (i < e->n_bt && ret >= 0) {
        int lo = i, tid = e->bt[i].tid;
        hts_pos_t rb = e->bt[i].span_beg, re = e->bt[i].span_end;
        i++;
        while (i < e->n_bt && e->bt[i].tid == tid && e->bt[i].span_beg < re + gap) {
            if (e->bt[i].span_end > re)
                re = e->bt[i].span_end;
            i++;
        }
        if (e->n_sw > 0) {
            /* the self-background windows of this region (each window is
             * counted in one region only, so from each read once) */
            rb = rb > flank ? rb - flank : 0;
            re += flank;
            while (k < e->n_sw && (e->sw[k].tid < tid || (e->sw[k].tid == tid && e->sw[k].end <= rb)))
                k++;
            e->sw_lo = k;
            e->sw_cur = 0; /* relative to sw_lo */
            while (k < e->n_sw && e->sw[k].tid == tid && e->sw[k].beg < re) {
                if (e->sw[k].beg < rb)
                    rb = e->sw[k].beg;
                if (e->sw[k].end > re)
                    re = e->sw[k].end;
                k++;
            }
            e->sw_hi = k;
        }
        hts_itr_t *itr = sam_itr_queryi(idx, tid, rb, re);
        if (!itr) {
            vw_error("%s: cannot query region %s:%lld-%lld", e->out->path, sam_hdr_tid2name(h, tid),
                     (long long)rb + 1, (long long)re);
            ret = VW_EFORMAT;
            break;
        }
        int r;
        while ((r = sam_itr_next(fp, itr, ring_slot(&q))) >= 0) {
            e->out->n_reads++;
            ring_push(e, &q);
            if (q.n == LOOKAHEAD && (ret = ring_pop(e, &q, lo, i)) < 0)
                break;
        }
        while (ret >= 0 && q.n > 0)
            ret = ring_pop(e, &q, lo, i);
        hts_itr_destroy(itr);
        if (ret < 0)
            break;
        if (r < -1) {
            ret = read_error(e, r, 1);
            break;
        }
        ret = flush_pending(e, -1, 0);
        if (ret >= 0 && e->umi)
            ret = mol_flush(e, -1, 0);
    }
    ring_free(&q);
    return ret < 0 ? ret : 0;
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
        if (!(e->sw[k].cnt = calloc((size_t)(e->sw[k].end - e->sw[k].beg), sizeof(*e->sw[k].cnt))))
            return -ENOMEM;
    return 0;
}

/* Counts through the index, with the self background when asked. */
static int count_index(engine_t *e, vw_aln_t *a)
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
    rc = run_index(e, a->fp, a->h, idx);
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
static int count_prologue(engine_t *e, const vw_aln_t *a, const char *sample)
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
        if ((rc = mol_init(e)) < 0)
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
            rc = opt->threads > 1 ? run_stream_mt(&e, a->fp, a->h) : run_stream(&e, a->fp, a->h);
        if (rc == 0)
            vw_ratewarn_summary(&e.warn_cigar);
        if (rc == 0 && e.umi)
            rc = mol_end(&e);
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

/* ------------------------------------------------------------------ */
/* Writers                                                             */

static void put_mean(FILE *fp, int64_t sum, int64_t n)
{
    if (n > 0)
        fprintf(fp, "\t%.1f", (double)sum / (double)n);
    else
        fputs("\tNA", fp);
}

static void put_int_or_na(FILE *fp, int v)
{
    if (v >= 0)
        fprintf(fp, "\t%d", v);
    else
        fputs("\tNA", fp);
}

int vw_count_write_tsv(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples)
{
    fputs("#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
          "\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq"
          "\tref_median_fraglen\talt_median_fraglen\n", fp);
    for (int k = 0; k < n_samples; k++) {
        const vw_selfbg_t *b = &s[k]->self;
        if (!s[k]->have_self)
            continue;
        fprintf(fp, "#self_background\t%s\t%d\t%lld", s[k]->sample, s[k]->self_flank, (long long)b->n_pos);
        for (int i = 0; i < VW_N_SUB; i++)
            fprintf(fp, "\t%lld", (long long)b->n[i]);
        for (int i = 0; i < VW_N_SUB; i++)
            fprintf(fp, "\t%lld", (long long)b->x[i]);
        if (b->have_disp) {
            for (int i = 0; i < VW_N_SUB; i++)
                fprintf(fp, "\t%lld", (long long)b->j[i]);
            for (int i = 0; i < VW_N_SUB; i++)
                fprintf(fp, "\t%.17g", b->sxx[i]);
            for (int i = 0; i < VW_N_SUB; i++)
                fprintf(fp, "\t%.17g", b->snn[i]);
        }
        fputc('\n', fp);
    }
    for (int k = 0; k < n_samples; k++)
        if (s[k]->unit == VW_UNIT_MOLECULE)
            fprintf(fp, "#count_unit\t%s\tmolecule\t%d\t%d\n", s[k]->sample, s[k]->min_family, s[k]->duplex_only);
    for (int k = 0; k < n_samples; k++) {
        for (int i = 0; i < ts->n; i++) {
            const vw_target_t *t = &ts->t[i];
            const vw_count_t *c = &s[k]->c[i];
            fprintf(fp, "%s\t%s\t%lld\t%s\t%s\t%s\t%s\t%s\t%s", s[k]->sample, s[k]->chrom[i],
                    (long long)t->beg + 1, t->ref, t->alt, t->id, t->gene, t->protein, t->cdna);
            if (!c->assessed) {
                /* depth ... alt_median_fraglen: 13 columns */
                fputs("\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n", fp);
                continue;
            }
            fprintf(fp, "\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld", (long long)c->depth,
                    (long long)c->ref, (long long)c->alt, (long long)c->other, (long long)c->discordant,
                    (long long)c->ref_fwd, (long long)c->ref_rev, (long long)c->alt_fwd, (long long)c->alt_rev);
            put_mean(fp, c->alt_bq_sum, c->alt);
            put_mean(fp, c->alt_mq_sum, c->alt);
            put_int_or_na(fp, vw_fraglen_median(c->fl_ref));
            put_int_or_na(fp, vw_fraglen_median(c->fl_alt));
            fputc('\n', fp);
        }
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_count_write_json(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples,
                        const char *command)
{
    /* format_version: docs/schema/vafwatch-counts.schema.json */
    fputs("{\n  \"format\": \"vafwatch-counts\",\n  \"format_version\": 1,\n  \"command\": ", fp);
    vw_json_str(fp, command ? command : "");
    fputs(",\n  \"samples\": [", fp);
    for (int k = 0; k < n_samples; k++) {
        fputs(k ? ",\n    {" : "\n    {", fp);
        fputs("\"sample\": ", fp);
        vw_json_str(fp, s[k]->sample);
        fputs(", \"file\": ", fp);
        vw_json_str(fp, s[k]->path);
        fprintf(fp, ", \"build\": \"%s\", \"reads\": %lld, \"reads_used\": %lld, \"targets\": [",
                vw_build_name(s[k]->build), (long long)s[k]->n_reads, (long long)s[k]->n_used);
        for (int i = 0; i < ts->n; i++) {
            const vw_target_t *t = &ts->t[i];
            const vw_count_t *c = &s[k]->c[i];
            fputs(i ? ",\n      {" : "\n      {", fp);
            fputs("\"id\": ", fp);
            vw_json_str(fp, t->id);
            fputs(", \"chrom\": ", fp);
            vw_json_str(fp, s[k]->chrom[i]);
            fprintf(fp, ", \"pos\": %lld, \"ref\": \"%s\", \"alt\": \"%s\", \"gene\": ", (long long)t->beg + 1,
                    t->ref, t->alt);
            vw_json_str(fp, t->gene);
            fputs(", \"protein\": ", fp);
            vw_json_str(fp, t->protein);
            if (!c->assessed) {
                fputs(", \"assessed\": false}", fp);
                continue;
            }
            fputs(", \"assessed\": true", fp);
            fprintf(fp, ", \"depth\": %lld, \"ref_count\": %lld, \"alt_count\": %lld, \"other_count\": %lld"
                        ", \"discordant\": %lld, \"ref_fwd\": %lld, \"ref_rev\": %lld, \"alt_fwd\": %lld"
                        ", \"alt_rev\": %lld",
                    (long long)c->depth, (long long)c->ref, (long long)c->alt, (long long)c->other,
                    (long long)c->discordant, (long long)c->ref_fwd, (long long)c->ref_rev,
                    (long long)c->alt_fwd, (long long)c->alt_rev);
            int mr = vw_fraglen_median(c->fl_ref), ma = vw_fraglen_median(c->fl_alt);
            fputs(", \"ref_median_fraglen\": ", fp);
            if (mr >= 0) fprintf(fp, "%d", mr); else fputs("null", fp);
            fputs(", \"alt_median_fraglen\": ", fp);
            if (ma >= 0) fprintf(fp, "%d", ma); else fputs("null", fp);
            if (c->mol) /* the molecule table's columns (docs/formats.md) */
                vw_count_json_molecules(fp, c->mol, s[k]->min_family, s[k]->duplex_only);
            fputc('}', fp);
        }
        fputs("\n    ]}", fp);
    }
    fputs("\n  ]\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

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

static int region_read(void *ud, const bam1_t *b, int span)
{
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
    rc = vw_aln_walk(a, idx, sp, n_sp, opt->reference, region_read, &w, NULL);
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
