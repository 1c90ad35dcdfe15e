/* count_loop.c -- the counting engine on the one read walk (vw_aln_walk):
 * the regions read through the index (clusters of targets), and the hooks
 * that prefetch the pending-mate slots of the records in the walk's
 * look-ahead window and hand each record to count_process (see
 * count_priv.h for the layers). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/sam.h>

#include "count_priv.h"

/* The first look at a record, on the decoding thread when it is ahead
 * (vw_aln_walk_prep: it reads only the options and the targets'
 * contigs, which the walk does not change): reads on contigs without
 * targets, and reads the filters refuse, are skipped (count_process
 * relies on it and does not test the filters again; the molecule unit
 * keeps the duplicates it reports having skipped).  A kept read gets its
 * name's hash in *word when it may look its mate up or wait for it
 * (count_hash_early), for the decoding thread to take that work from the
 * counting thread; with 'lazy' (no decoding thread) only when its table
 * slot will be prefetched (ahead_read): count_process hashes the others
 * if they come to wait (see count_priv.h). */
static inline int prepare_read(const engine_t *e, const bam1_t *b, uint64_t *word, int lazy)
{
    const bam1_core_t *c = &b->core;
    const vw_count_opt_t *o = e->opt;
    if (c->tid < 0 || c->tid >= e->n_tid || e->tid_hi[c->tid] == 0)
        return 1;
    if (((c->flag & o->excl_flags) || (c->flag & o->req_flags) != o->req_flags || c->qual < o->min_mq)
        && !(e->umi && (c->flag & o->excl_flags & BAM_FDUP)))
        return 1;
    /* (the molecule unit pairs the mates of consensus reads) */
    if (lazy ? o->unit == VW_UNIT_FRAGMENT && may_find_mate(b) : o->unit != VW_UNIT_READ && count_hash_early(b))
        *word = count_read_hash(b);
    return 0;
}

/* The first look alone: with a decoding thread, which may run it. */
static int hook_prepare(const void *ud, const bam1_t *b, uint64_t *word)
{
    return prepare_read(ud, b, word, 0);
}

/* A record entering the look-ahead window: the prefetch of its table slot
 * (at depths where the table no longer fits the cache, the lookup of a
 * read's mate is otherwise a memory stall), and that of the waiting read
 * in the slot of the read that entered PF_LAG reads before, whose slot is
 * in the cache by now (its turn comes about PF_LAG reads later).  One call
 * a read does both steps; the prefetches are hints only (the table only
 * grows: a slot kept from before a growth is still in it). */
static inline int ahead_read(engine_t *e, const bam1_t *b, uint64_t *word)
{
    if (e->opt->unit != VW_UNIT_FRAGMENT)
        return 0;
    unsigned i = e->pf_n++ & (PF_LAG - 1);
    size_t then = e->pf_slot[i], slot = may_find_mate(b) ? (size_t)(*word & e->tab_mask) : PF_NONE;
    e->pf_slot[i] = slot;
    if (slot != PF_NONE)
        __builtin_prefetch(&e->tab[slot]);
    if (then != PF_NONE && e->tab[then].idx >= 0) {
        const pend_t *p = POOL(e, e->tab[then].idx);
        __builtin_prefetch(p);                     /* hash, name pointer */
        __builtin_prefetch((const char *)p + 64);  /* the name */
        __builtin_prefetch((const char *)p + 128); /* the observations */
    }
    return 0;
}

/* The look-ahead alone: with a decoding thread (after hook_prepare). */
static int hook_ahead(void *ud, const bam1_t *b, uint64_t *word)
{
    return ahead_read(ud, b, word);
}

/* Both looks in one call, when the hooks' thread prepares every record
 * itself (no decoding thread): one call a record fewer, and what the two
 * test of the record is loaded once. */
static int hook_first(void *ud, const bam1_t *b, uint64_t *word)
{
    engine_t *e = ud;
    return prepare_read(e, b, word, 1) || ahead_read(e, b, word);
}

static int hook_read(void *ud, const bam1_t *b, int span, uint64_t h)
{
    engine_t *e = ud;
    int lo, hi;
    if (span < 0) {
        lo = e->tid_lo[b->core.tid];
        hi = e->tid_hi[b->core.tid];
    } else {
        if (span != e->cur_span) { /* the first read of a region: its targets and self-background windows */
            e->cur_span = span;
            e->sw_lo = e->rg[span].sw_lo;
            e->sw_hi = e->rg[span].sw_hi;
            e->sw_cur = 0; /* relative to sw_lo */
        }
        lo = e->rg[span].lo;
        hi = e->rg[span].hi;
    }
    /* the record a waiting read would take (the top of the free stack),
     * for a read whose mate starts at or after it (only such a read
     * waits; its other mate fields are not worth a test: a prefetch is a
     * hint) */
    if (e->n_free > 0 && b->core.mpos >= b->core.pos) {
        const pend_t *p = POOL(e, e->free_list[e->n_free - 1]);
        __builtin_prefetch(p, 1);
        __builtin_prefetch((const char *)p + 64, 1);
        __builtin_prefetch((const char *)p + 128, 1);
    }
    return count_process(e, b, lo, hi, h);
}

/* After a region (or the stream): the reads still waiting are counted alone. */
static int hook_span_end(void *ud, int span)
{
    (void)span;
    engine_t *e = ud;
    int ret = count_flush_pending(e, -1, 0);
    if (ret >= 0 && e->umi)
        ret = count_mol_flush(e, -1, 0);
    return ret;
}

/* The regions read through the index: targets closer than 'gap' share one
 * region; with the self background each region also takes its targets'
 * flanks and the windows they overlap (each window is counted in one
 * region only, so from each read once).  Fills e->rg and sp; returns their
 * number, or -ENOMEM. */
static int index_regions(engine_t *e, vw_aln_span_t **ret_sp)
{
    const hts_pos_t flank = e->n_sw > 0 ? e->opt->self_flank : 0;
    const hts_pos_t gap = 1000 + 2 * flank;
    vw_aln_span_t *sp = malloc((size_t)(e->n_bt ? e->n_bt : 1) * sizeof(*sp));
    if (!sp || !(e->rg = malloc((size_t)(e->n_bt ? e->n_bt : 1) * sizeof(*e->rg)))) {
        free(sp);
        return -ENOMEM;
    }
    int i = 0, k = 0, n = 0;
    while (i < e->n_bt) {
        int lo = i, tid = e->bt[i].tid;
        hts_pos_t rb = e->bt[i].span_beg, re = e->bt[i].span_end;
        i++;
        while (i < e->n_bt && e->bt[i].tid == tid && e->bt[i].span_beg < re + gap) {
            if (e->bt[i].span_end > re)
                re = e->bt[i].span_end;
            i++;
        }
        int sw_lo = 0, sw_hi = 0;
        if (e->n_sw > 0) {
            rb = rb > flank ? rb - flank : 0;
            re += flank;
            while (k < e->n_sw && (e->sw[k].tid < tid || (e->sw[k].tid == tid && e->sw[k].end <= rb)))
                k++;
            sw_lo = k;
            while (k < e->n_sw && e->sw[k].tid == tid && e->sw[k].beg < re) {
                if (e->sw[k].beg < rb)
                    rb = e->sw[k].beg;
                if (e->sw[k].end > re)
                    re = e->sw[k].end;
                k++;
            }
            sw_hi = k;
        }
        sp[n] = (vw_aln_span_t){tid, rb, re};
        e->rg[n++] = (region_t){lo, i, sw_lo, sw_hi};
    }
    *ret_sp = sp;
    return n;
}

int count_run(engine_t *e, vw_aln_t *a, hts_idx_t *idx)
{
    vw_aln_span_t *sp = NULL;
    int n = 0;
    if (!a->stream && (n = index_regions(e, &sp)) < 0)
        return n;
    e->cur_span = -1;
    for (int i = 0; i < PF_LAG; i++)
        e->pf_slot[i] = PF_NONE;
    int decoder = a->stream && e->opt->threads > 1;
    vw_aln_reader_t rd = {decoder ? hook_ahead : hook_first, NULL, hook_read, hook_span_end, e, decoder};
    int64_t n_reads = 0;
    int ret = vw_aln_walk_prep(a, idx, sp, n, e->opt->reference, &rd, decoder ? hook_prepare : NULL, &n_reads);
    e->out->n_reads = n_reads;
    free(sp);
    return ret;
}
