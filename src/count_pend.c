/* count_pend.c -- reads waiting for their mate: a name table (open
 * addressing on a 64-bit hash) and a timing wheel of buckets keyed by the
 * mate's start (see count.c for the rules, count_priv.h for the layers). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "count_priv.h"

/* ------------------------------------------------------------------ */
/* Pending mates                                                       */

uint64_t count_name_hash(const char *s)
{
    return count_name_hash_n(s, strlen(s));
}

void count_tab_delete(engine_t *e, size_t i)
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
        if (m > ((size_t)1 << 32)) /* the slots' 32 bits of the hash give the home slot */
            return -ENOMEM;
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
    e->tab[i].h = (uint32_t)h;
    e->tab[i].idx = idx;
    e->tab_n++;
    return 0;
}

static void pend_release(engine_t *e, int idx)
{
    pend_t *p = POOL(e, idx);
    if (p->alive) {
        /* its slot, found by the record's index rather than its name: no
         * name compared, and of two waiting reads of one name (mate fields
         * that contradict each other) the right one goes */
        size_t k = p->hash & e->tab_mask;
        while (e->tab[k].idx >= 0 && e->tab[k].idx != idx)
            k = (k + 1) & e->tab_mask;
        if (e->tab[k].idx == idx)
            count_tab_delete(e, k);
    }
    p->alive = 0;
    p->n_obs = 0;
    /* the free list is a stack: the record freed last, still in the
     * cache, is the next one used */
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
            int ret = count_commit_one(e, q->obs, q->n_obs, q->fraglen);
            if (ret < 0)
                return ret;
        }
        pend_release(e, idx);
        e->n_waiting--;
        idx = next;
    }
    return 0;
}

static int spill_reload(engine_t *e, hts_pos_t pos);

/* Counts alone every waiting read whose mate can no longer come before
 * (tid, pos); with tid < 0, all of them.  Then the reads on disk whose
 * mates start at pos come back to the table. */
int count_flush_pending(engine_t *e, int tid, hts_pos_t pos)
{
    int ret;
    if (count_wheel_still(e, tid, pos))
        return 0;
    if (e->n_waiting == 0 && e->n_runs == 0) {
        e->wheel_tid = tid;
        e->wheel_pos = pos;
        return 0;
    }
    int all = tid < 0 || tid != e->wheel_tid || pos - e->wheel_pos >= WHEEL;
    if (all) {
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
    if (e->n_runs > 0 && (all || e->spill_next <= pos))
        return spill_reload(e, all ? HTS_POS_MAX : pos);
    return 0;
}

/* A new entry in the table and the wheel: a read named 'name' (nl bytes;
 * 'room' bytes may be read from it) whose mate starts at mpos, with
 * observations obs[0, n_obs). */
static int pend_insert(engine_t *e, const char *name, size_t nl, size_t room, hts_pos_t mpos, int32_t tid,
                       int fraglen, uint64_t h, const obs_t *obs, int n_obs)
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
            /* aligned to a cache line: each record spans exactly three;
             * left uninitialised (a record is set up when first used) */
            c[nc] = aligned_alloc(64, ((size_t)1 << CHUNK_BITS) * sizeof(pend_t));
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
        pend_t *p = POOL(e, idx); /* first use: no name or observations allocated */
        p->m_name = 0;
        p->heap_name = NULL;
        p->obs = p->obs_buf;
        p->m_obs = OBS_INLINE;
    }
    pend_t *p = POOL(e, idx);
    char *dst = p->name_buf;
    p->long_name = nl >= NAME_INLINE;
    if (p->long_name) {
        if (p->m_name < nl + 1) {
            char *s = realloc(p->heap_name, nl + 1);
            if (!s)
                return -ENOMEM;
            p->heap_name = s;
            p->m_name = (uint32_t)(nl + 1);
        }
        dst = p->heap_name;
    }
    /* a short name whose record holds a whole buffer's worth after its
     * start (the usual case: the CIGAR, sequence and qualities follow it)
     * is copied with the buffer's fixed length, a few moves instead of a
     * call; the bytes past the name are never read */
    if (!p->long_name && room >= NAME_INLINE)
        memcpy(dst, name, NAME_INLINE);
    else
        memcpy(dst, name, nl);
    dst[nl] = '\0';
    p->mpos = mpos;
    p->tid = tid;
    p->fraglen = fraglen;
    p->alive = 1;
    if (p->m_obs < n_obs) {
        obs_t *o = p->obs == p->obs_buf ? malloc((size_t)n_obs * sizeof(obs_t))
                                         : realloc(p->obs, (size_t)n_obs * sizeof(obs_t));
        if (!o)
            return -ENOMEM;
        p->obs = o;
        p->m_obs = n_obs;
    }
    memcpy(p->obs, obs, (size_t)n_obs * sizeof(obs_t));
    p->n_obs = n_obs;
    p->hash = h;
    /* the caller has looked the name up and not found it: a record with
     * this name that is waiting would have been merged instead */
    if (tab_insert(e, p->hash, idx) < 0)
        return -ENOMEM;
    int slot = (int)(p->mpos & (WHEEL - 1));
    p->next = e->wheel[slot];
    e->wheel[slot] = idx;
    e->n_waiting++;
    if (mpos > e->wheel_hi)
        e->wheel_hi = mpos;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The bound: waiting reads on disk                                    */

/* Smallest mate start at the heads of the runs; closes finished runs. */
static void spill_heads(engine_t *e)
{
    int k = 0;
    e->spill_next = HTS_POS_MAX;
    for (int i = 0; i < e->n_runs; i++) {
        if (!e->runs[i].have) {
            count_spill_close(&e->runs[i]);
            continue;
        }
        e->runs[k++] = e->runs[i];
        if (e->runs[k - 1].rec.mpos < e->spill_next)
            e->spill_next = e->runs[k - 1].rec.mpos;
    }
    e->n_runs = k;
}

/* Writes the waiting reads whose mates start in [from, wheel_pos + WHEEL)
 * to a new run, in order of the mate's start, and frees their entries
 * (those already merged are only freed). */
static int spill_range(engine_t *e, hts_pos_t from)
{
    if (e->n_runs == e->m_runs) {
        int m = e->m_runs ? 2 * e->m_runs : 8;
        spill_run_t *r = realloc(e->runs, (size_t)m * sizeof(*r));
        if (!r)
            return -ENOMEM;
        e->runs = r;
        e->m_runs = m;
    }
    spill_run_t *r = &e->runs[e->n_runs];
    int ret = count_spill_open(r, e->out->path);
    if (ret < 0)
        return ret;
    e->n_runs++;
    hts_pos_t hi = e->wheel_hi < e->wheel_pos + WHEEL ? e->wheel_hi : e->wheel_pos + WHEEL - 1;
    for (hts_pos_t p = from; p <= hi; p++) {
        int slot = (int)(p & (WHEEL - 1)), idx = e->wheel[slot];
        e->wheel[slot] = -1;
        while (idx >= 0) {
            pend_t *q = POOL(e, idx);
            int next = q->next;
            if (q->alive && ret == 0) {
                const char *nm = pend_name(q);
                spill_rec_t h = {q->mpos, q->hash, q->tid, q->fraglen, q->n_obs, (uint32_t)strlen(nm)};
                ret = count_spill_write(r, &h, nm, q->obs);
                e->n_spilled++;
            }
            pend_release(e, idx);
            e->n_waiting--;
            idx = next;
        }
    }
    e->wheel_hi = from - 1;
    if (ret == 0)
        ret = count_spill_rewind(r);
    if (ret == 0 && e->n_runs >= SPILL_MAX_RUNS) {
        spill_run_t one;
        ret = count_spill_merge(e->runs, e->n_runs, &one, e->out->path);
        e->runs[0] = one;
        e->n_runs = 1;
    }
    if (ret == 0)
        spill_heads(e);
    else
        vw_error("%s: cannot write the temporary file of waiting mates: %s", e->out->path, vw_strerror(ret));
    return ret;
}

/* The table is full: about half of the waiting reads, those whose mates
 * start farthest ahead, go to disk.  Reads whose mate starts at the
 * current position stay (they are needed now). */
static int pend_spill(engine_t *e)
{
    size_t want = (size_t)e->n_waiting / 2, got = 0;
    hts_pos_t p = e->wheel_hi < e->wheel_pos + WHEEL ? e->wheel_hi : e->wheel_pos + WHEEL - 1;
    for (; p > e->wheel_pos && got < want; p--)
        for (int idx = e->wheel[p & (WHEEL - 1)]; idx >= 0; idx = POOL(e, idx)->next)
            got++;
    int ret = got > 0 ? spill_range(e, p + 1) : 0;
    if ((size_t)e->n_waiting > e->pend_max && (size_t)e->n_waiting > e->over_n) {
        e->over_n = (size_t)e->n_waiting; /* what could not go: mates starting here */
        e->over_tid = e->wheel_tid;
        e->over_pos = e->wheel_pos;
    }
    /* when little could go (many reads share the current mate start) the
     * next attempt waits for half a bound more */
    e->spill_at = (size_t)e->n_waiting + e->pend_max / 2;
    if (e->spill_at < e->pend_max)
        e->spill_at = e->pend_max;
    return ret;
}

/* The runs' reads whose mates start at or before pos: those before pos are
 * counted alone (their mates have passed), those at pos wait again in the
 * table; with pos HTS_POS_MAX all are counted alone. */
static int spill_reload(engine_t *e, hts_pos_t pos)
{
    int ret = 0;
    for (int i = 0; i < e->n_runs && ret == 0; i++) {
        spill_run_t *r = &e->runs[i];
        while (ret == 0 && r->have && r->rec.mpos <= pos) {
            if (r->rec.mpos < pos || pos == HTS_POS_MAX)
                ret = count_commit_one(e, r->obs, r->rec.n_obs, r->rec.fraglen);
            else
                ret = pend_insert(e, r->name.s, r->rec.name_len, r->rec.name_len + 1, r->rec.mpos, r->rec.tid, r->rec.fraglen,
                                  r->rec.hash, r->obs, r->rec.n_obs);
            if (ret == 0)
                ret = count_spill_next(r);
        }
    }
    if (ret == -EIO)
        vw_error("%s: cannot read back the temporary file of waiting mates", e->out->path);
    spill_heads(e);
    /* the reads back may fill the table: those waiting farther go again */
    if (ret == 0 && e->pend_max > 0 && pos != HTS_POS_MAX && (size_t)e->n_waiting >= e->spill_at)
        ret = pend_spill(e);
    return ret;
}

void count_pend_free(engine_t *e)
{
    for (int i = 0; i < e->n_runs; i++)
        count_spill_close(&e->runs[i]);
    free(e->runs);
    e->runs = NULL;
    e->n_runs = e->m_runs = 0;
}

void count_pend_report(const engine_t *e)
{
    e->out->n_mates_on_disk = e->n_spilled;
    e->out->mates_over = (int64_t)e->over_n;
    if (e->n_spilled > 0)
        vw_info("%s: %lld reads waited for their mates on disk (the table's bound is %zu reads)", e->out->path,
                (long long)e->n_spilled, e->pend_max);
    if (e->over_n > 0)
        vw_warn("%s: %zu reads waited at once for mates that start at one position (near %s:%lld), more "
                "than the bound of %zu: memory grew past it (the counts are exact)",
                e->out->path, e->over_n, e->over_tid >= 0 ? sam_hdr_tid2name(e->aln->h, e->over_tid) : "?",
                (long long)e->over_pos + 1, e->pend_max);
}

int count_pend_add(engine_t *e, const bam1_t *b, int fraglen, uint64_t h, const obs_t *obs, int n_obs)
{
    int ret;
    if (e->pend_max > 0 && (size_t)e->n_waiting >= e->spill_at && (ret = pend_spill(e)) < 0)
        return ret;
    return pend_insert(e, bam_get_qname(b), count_qname_len(b), (size_t)b->l_data, b->core.mpos, b->core.tid, fraglen, h, obs, n_obs);
}
