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

/* Hash of a read name, 8 bytes at a time (multiply-xorshift mixing). */
uint64_t count_name_hash(const char *s)
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
long count_tab_find(const engine_t *e, const char *name, uint64_t h)
{
    size_t i = h & e->tab_mask;
    while (e->tab[i].idx >= 0) {
        if (e->tab[i].h == h && strcmp(POOL(e, e->tab[i].idx)->qname, name) == 0)
            return (long)i;
        i = (i + 1) & e->tab_mask;
    }
    return -1;
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

void count_name_free(pend_t *p)
{
    if (p->qname && p->qname != p->name_buf)
        free(p->qname);
    p->qname = NULL;
}

static void pend_release(engine_t *e, int idx)
{
    pend_t *p = POOL(e, idx);
    if (p->alive) {
        long k = count_tab_find(e, p->qname, p->hash);
        if (k >= 0 && e->tab[k].idx == idx)
            count_tab_delete(e, (size_t)k);
    }
    count_name_free(p);
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
            int ret = count_commit(e, q->obs, q->n_obs, NULL, 0, q->fraglen);
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
int count_flush_pending(engine_t *e, int tid, hts_pos_t pos)
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

int count_pend_add(engine_t *e, const bam1_t *b, int fraglen, uint64_t h)
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
