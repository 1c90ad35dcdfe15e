/* count_loop.c -- the read loops of the counting engine: through the index
 * (clusters of targets), streaming, and streaming with a decoder thread;
 * all count in file order with a look-ahead ring that prefetches the
 * pending-mate slots (see count_priv.h for the layers). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "count_priv.h"
#include <pthread.h>

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
    return count_process(e, b, lo, hi, r->h[i]);
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
        r->h[i] = count_name_hash(bam_get_qname(r->b[i]));
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
    if ((ret = count_flush_pending(e, -1, 0)) < 0)
        return ret;
    return e->umi ? count_mol_flush(e, -1, 0) : 0;
}

/* Streams the whole file in this thread; needs coordinate order. */
int count_run_stream(engine_t *e, samFile *fp, sam_hdr_t *h)
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

int count_run_stream_mt(engine_t *e, samFile *fp, sam_hdr_t *h)
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
int count_run_index(engine_t *e, samFile *fp, sam_hdr_t *h, hts_idx_t *idx)
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
        ret = count_flush_pending(e, -1, 0);
        if (ret >= 0 && e->umi)
            ret = count_mol_flush(e, -1, 0);
    }
    ring_free(&q);
    return ret < 0 ? ret : 0;
}
