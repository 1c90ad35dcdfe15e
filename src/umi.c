/*
 * umi.c -- UMIs, directional grouping and consensus (see umi.h for the rules).
 *
 * The collector keeps, per target, one entry per read observation (its
 * position key, UMI, name hash and allele).  Resolving a target sorts its
 * entries by key and UMI, runs the directional grouping in each bundle,
 * and votes each molecule's consensus from its fragments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/sam.h>

#include "vafwatch/umi.h"

/* ------------------------------------------------------------------ */
/* Reading a UMI                                                       */

/* 1-5 for A, C, G, T, N in either case, 6 for '-' and '+', 0 otherwise. */
static const uint8_t base_code[256] = {
    ['A'] = 1, ['C'] = 2, ['G'] = 3, ['T'] = 4, ['N'] = 5,
    ['a'] = 1, ['c'] = 2, ['g'] = 3, ['t'] = 4, ['n'] = 5, ['-'] = 6, ['+'] = 6,
};

/* Checks and copies s[0..n) as a UMI; returns VW_UMI_OK or VW_UMI_BAD. */
static int umi_copy(const char *s, size_t n, char buf[VW_UMI_MAX], int *ret_sep)
{
    int sep = -1;
    if (n == 0 || n >= VW_UMI_MAX)
        return VW_UMI_BAD;
    for (size_t i = 0; i < n; i++) {
        int code = base_code[(unsigned char)s[i]];
        if (code == 6) {
            if (sep >= 0 || i == 0 || i + 1 == n)
                return VW_UMI_BAD;
            sep = (int)i;
        } else if (code == 0) {
            return VW_UMI_BAD;
        }
        buf[i] = "?ACGTN-"[code];
    }
    buf[n] = '\0';
    *ret_sep = sep;
    return VW_UMI_OK;
}

int vw_umi_extract(const bam1_t *b, vw_umi_source_t src, char buf[VW_UMI_MAX], int *ret_sep)
{
    if (src == VW_UMI_TAG) {
        const uint8_t *rx = bam_aux_get(b, "RX");
        if (!rx)
            return VW_UMI_NONE;
        if (*rx != 'Z')
            return VW_UMI_BAD;
        const char *s = (const char *)rx + 1;
        return umi_copy(s, strlen(s), buf, ret_sep);
    }
    const char *name = bam_get_qname(b);
    const char *u = NULL;
    for (const char *p = name; *p; p++)
        if (*p == '_' || *p == ':')
            u = p + 1;
    if (!u)
        return VW_UMI_NONE;
    /* a name whose last field is not a UMI simply has none */
    return umi_copy(u, strlen(u), buf, ret_sep) == VW_UMI_OK ? VW_UMI_OK : VW_UMI_NONE;
}

int vw_umi_detect(const bam1_t *b)
{
    char buf[VW_UMI_MAX];
    int sep;
    if (bam_aux_get(b, "RX"))
        return VW_UMI_TAG;
    if (vw_umi_extract(b, VW_UMI_NAME, buf, &sep) == VW_UMI_OK)
        return VW_UMI_NAME;
    return -1;
}

/* Unclipped 5' end of a read given its start, reference length and CIGAR. */
static int64_t five_prime(int64_t pos, int64_t rlen, int rev, const uint32_t *cig, int n)
{
    if (rev) {
        int64_t p = pos + rlen;
        if (n > 0 && bam_cigar_op(cig[n - 1]) == BAM_CSOFT_CLIP)
            p += bam_cigar_oplen(cig[n - 1]);
        return p;
    }
    if (n > 0 && bam_cigar_op(cig[0]) == BAM_CSOFT_CLIP)
        pos -= bam_cigar_oplen(cig[0]);
    return pos;
}

int vw_umi_key_of(const bam1_t *b, int duplex, vw_umi_key_t *k)
{
    const bam1_core_t *c = &b->core;
    const uint32_t *cig = bam_get_cigar(b);
    int n = c->n_cigar;
    int rev = !!(c->flag & BAM_FREVERSE);
    int paired = (c->flag & BAM_FPAIRED) && !(c->flag & BAM_FMUNMAP) && c->mtid == c->tid && c->isize != 0;
    int r2 = (c->flag & BAM_FPAIRED) && (c->flag & BAM_FREAD2);
    /* |isize| clamped to int32 without negating INT64_MIN (a fuzzed record may hold it) */
    int64_t t = c->isize < -INT32_MAX ? INT32_MAX : c->isize < 0 ? -c->isize : c->isize;
    if (t > INT32_MAX)
        t = INT32_MAX;
    k->tid = c->tid;
    if (paired && duplex) {
        /* both strands of a molecule: outer coordinates only */
        k->pos = c->pos < c->mpos ? c->pos : c->mpos;
        k->span = (int32_t)t;
        k->strand = r2 ? !!(c->flag & BAM_FMREVERSE) : rev;
        return 0;
    }
    if (paired && !r2) {
        k->pos = five_prime(c->pos, bam_cigar2rlen(n, cig), rev, cig, n);
        k->span = c->isize > 0 ? (int32_t)t : -(int32_t)t;
        k->strand = rev;
        return 0;
    }
    if (paired) {
        /* read 2: read 1's key, from its CIGAR (MC) when given */
        int mrev = !!(c->flag & BAM_FMREVERSE);
        k->strand = mrev;
        k->span = c->isize > 0 ? -(int32_t)t : (int32_t)t;
        const uint8_t *mc = bam_aux_get(b, "MC");
        const char *ms = mc && *mc == 'Z' ? (const char *)mc + 1 : NULL;
        uint32_t mcig[64];
        int mn = 0;
        for (const char *p = ms; p && *p && mn < 64;) {
            char *e;
            long len = strtol(p, &e, 10);
            int op = e > p && *e ? bam_cigar_table[(unsigned char)*e] : -1;
            if (op < 0 || len < 0 || len >= (1L << 28)) {
                mn = -1;
                break;
            }
            mcig[mn++] = bam_cigar_gen(len, op);
            p = e + 1;
        }
        if (ms && mn > 0 && mn < 64) {
            k->pos = five_prime(c->mpos, bam_cigar2rlen(mn, mcig), mrev, mcig, mn);
            return 0;
        }
        /* no MC: read 1's aligned start, or the fragment's far end */
        k->pos = mrev ? (c->pos < c->mpos ? c->pos : c->mpos) + t : c->mpos;
        return 1;
    }
    k->span = -1;
    k->pos = five_prime(c->pos, bam_endpos(b) - c->pos, rev, cig, n);
    /* a read of a pair whose mate is elsewhere is keyed in read 1's orientation */
    k->strand = r2 ? !rev : rev;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Directional grouping and voting                                     */

static int hamming1(const char *a, const char *b)
{
    int d = 0;
    for (; *a && *b; a++, b++)
        if (*a != *b && ++d > 1)
            return 0;
    return d == 1 && !*a && !*b;
}

/* A UMI of at most 21 characters as one integer, 3 bits a character (A 1,
 * C 2, G 3, T 4, N 5, '-' 6); 0 when longer.  One-to-one for the UMIs of one
 * length, so that sorting and comparing them needs no string compare. */
#define PACK_MAX 21

static uint64_t umi_pack(const char *s, int len)
{
    if (len > PACK_MAX)
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < len; i++)
        v = v << 3 | base_code[(unsigned char)s[i]]; /* (a checked UMI: codes 1-6) */
    return v;
}

/* The string of a packed UMI of 'len' characters, written to buf (len + 1 bytes). */
static const char *umi_unpack(uint64_t v, int len, char *buf)
{
    for (int i = len - 1; i >= 0; i--, v >>= 3)
        buf[i] = "?ACGTN-"[v & 7];
    buf[len] = '\0';
    return buf;
}

/* 1 when two packed UMIs of one length differ at exactly one character. */
static int packed_hamming1(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ b;
    x = (x | x >> 1 | x >> 2) & 0x1249249249249249ULL; /* one bit per character that differs */
    return x && !(x & (x - 1));
}

/* Candidate pairs one mismatch apart: all pairs when the UMIs are few or of
 * several lengths; else, as UMI-tools does for many UMIs, only pairs that
 * share the first or the second half (one mismatch leaves one half intact). */
typedef struct { uint64_t h; int i; } half_t; /* a packed half, its UMI */

static int half_cmp(const void *x, const void *y)
{
    const half_t *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Sorts a[0..n) by (h, i), the entries given in increasing i: a stable LSD
 * radix sort on the bytes of h that are not the same in all (qsort when few).
 * Returns 0 or -ENOMEM. */
static int half_sort(half_t *a, int n)
{
    if (n < 64) {
        qsort(a, (size_t)n, sizeof(*a), half_cmp);
        return 0;
    }
    half_t *tmp = malloc((size_t)n * sizeof(*tmp));
    if (!tmp)
        return -ENOMEM;
    uint64_t or_ = 0, and_ = ~0ULL;
    for (int k = 0; k < n; k++)
        or_ |= a[k].h, and_ &= a[k].h;
    for (int sh = 0; sh < 64; sh += 8) {
        if ((((or_ ^ and_) >> sh) & 0xff) == 0)
            continue;
        uint32_t c[256] = {0}, off = 0;
        for (int k = 0; k < n; k++)
            c[(a[k].h >> sh) & 0xff]++;
        for (int d = 0; d < 256; d++) {
            uint32_t t = c[d];
            c[d] = off;
            off += t;
        }
        for (int k = 0; k < n; k++)
            tmp[c[(a[k].h >> sh) & 0xff]++] = a[k];
        memcpy(a, tmp, (size_t)n * sizeof(*a));
    }
    free(tmp);
    return 0;
}

typedef struct { int *e; int64_t n, m; } edges_t; /* pairs (from, to) */

static int edge_add(edges_t *E, int from, int to)
{
    if (E->n + 2 > E->m) {
        int64_t m = E->m ? 2 * E->m : 256;
        int *t = realloc(E->e, (size_t)m * sizeof(int));
        if (!t)
            return -ENOMEM;
        E->e = t;
        E->m = m;
    }
    E->e[E->n++] = from;
    E->e[E->n++] = to;
    return 0;
}

/* Adds the directed edges between a and b when they are one mismatch apart. */
static int pair_edges(edges_t *E, const char *const *umi, const int64_t *count, int a, int b)
{
    if (!hamming1(umi[a], umi[b]))
        return 0;
    if (count[a] >= 2 * count[b] - 1 && edge_add(E, a, b) < 0)
        return -ENOMEM;
    if (count[b] >= 2 * count[a] - 1 && edge_add(E, b, a) < 0)
        return -ENOMEM;
    return 0;
}

/* Adds the directed edges between packed UMIs a and b one mismatch apart. */
static int packed_edges(edges_t *E, const uint64_t *pk, const int64_t *count, int a, int b)
{
    if (!packed_hamming1(pk[a], pk[b]))
        return 0;
    if (count[a] >= 2 * count[b] - 1 && edge_add(E, a, b) < 0)
        return -ENOMEM;
    if (count[b] >= 2 * count[a] - 1 && edge_add(E, b, a) < 0)
        return -ENOMEM;
    return 0;
}

/* Many UMIs of one length (at most PACK_MAX): pairs within the groups of
 * UMIs that share their first half, then their second half, each UMI and
 * half packed into an integer (one sort of integers a half). */
static int half_edges(edges_t *E, const char *const *umi, const int64_t *count, int n, int len)
{
    half_t *h = malloc((size_t)n * sizeof(*h));
    uint64_t *pk = malloc((size_t)n * sizeof(*pk));
    int hl = len / 2, ret = h && pk ? 0 : -ENOMEM;
    for (int i = 0; i < n && ret == 0; i++)
        pk[i] = umi_pack(umi[i], len);
    for (int part = 0; part < 2 && ret == 0; part++) {
        /* the half of the packed UMI: the high (first) or the low (second) characters */
        int lo_chars = len - hl, shift = part ? 0 : 3 * lo_chars;
        uint64_t mask = part ? (1ULL << (3 * lo_chars)) - 1 : ~0ULL; /* lo_chars <= 11 */
        for (int i = 0; i < n; i++)
            h[i] = (half_t){(pk[i] >> shift) & mask, i};
        if ((ret = half_sort(h, n)) < 0)
            break;
        for (int r0 = 0; r0 < n && ret == 0;) {
            int r1 = r0 + 1;
            while (r1 < n && h[r1].h == h[r0].h)
                r1++;
            for (int x = r0; x < r1 && ret == 0; x++)
                for (int y = x + 1; y < r1 && ret == 0; y++)
                    ret = packed_edges(E, pk, count, h[x].i, h[y].i);
            r0 = r1;
        }
    }
    free(h);
    free(pk);
    return ret;
}

static int find_edges(edges_t *E, const char *const *umi, const int64_t *count, int n)
{
    size_t len = strlen(umi[0]);
    int same = len >= 2;
    for (int i = 1; i < n && same; i++)
        same = strlen(umi[i]) == len;
    if (n > 32 && same && len <= PACK_MAX)
        return half_edges(E, umi, count, n, (int)len);
    /* few UMIs, several lengths, or UMIs too long to pack: all pairs */
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (pair_edges(E, umi, count, a, b) < 0)
                return -ENOMEM;
    return 0;
}

int vw_umi_directional(const char *const *umi, const int64_t *count, int n, int *ret_group)
{
    if (n <= 0)
        return 0;
    half_t *order = malloc((size_t)n * sizeof(*order));
    int *adj_n = calloc((size_t)n, sizeof(int)), *adj_off = malloc(((size_t)n + 1) * sizeof(int));
    int *queue = malloc((size_t)n * sizeof(int)), *adj = NULL, ng = -ENOMEM;
    char *seen = calloc((size_t)n, 1);
    edges_t E = {NULL, 0, 0};
    if (!order || !adj_n || !adj_off || !queue || !seen)
        goto out;
    /* directed edges a -> b: one mismatch and count(a) >= 2 count(b) - 1 */
    if (find_edges(&E, umi, count, n) < 0)
        goto out;
    if (!(adj = malloc((size_t)(E.n ? E.n / 2 : 1) * sizeof(int))))
        goto out;
    for (int64_t k = 0; k < E.n; k += 2)
        adj_n[E.e[k]]++;
    adj_off[0] = 0;
    for (int a = 0; a < n; a++)
        adj_off[a + 1] = adj_off[a] + adj_n[a];
    memset(adj_n, 0, (size_t)n * sizeof(int));
    for (int64_t k = 0; k < E.n; k += 2)
        adj[adj_off[E.e[k]] + adj_n[E.e[k]]++] = E.e[k + 1];
    /* visiting order: decreasing count, ties in first-seen order */
    for (int i = 0; i < n; i++) /* (counts are >= 0: ~count sorts them decreasing) */
        order[i] = (half_t){~(uint64_t)count[i], i};
    if (half_sort(order, n) < 0) {
        ng = -ENOMEM;
        goto out;
    }
    for (int i = 0; i < n; i++)
        ret_group[i] = -1;
    ng = 0;
    for (int oi = 0; oi < n; oi++) {
        int s = order[oi].i;
        if (ret_group[s] >= 0)
            continue;
        /* everything reachable from s, through taken UMIs too; the untaken ones join s */
        int qh = 0, qt = 0;
        queue[qt++] = s;
        seen[s] = 1;
        while (qh < qt) {
            int u = queue[qh++];
            if (ret_group[u] < 0)
                ret_group[u] = ng;
            for (int k = adj_off[u]; k < adj_off[u + 1]; k++)
                if (!seen[adj[k]]) {
                    seen[adj[k]] = 1;
                    queue[qt++] = adj[k];
                }
        }
        for (int k = 0; k < qt; k++)
            seen[queue[k]] = 0;
        ng++;
    }
out:
    free(order); free(adj_n); free(adj_off); free(queue); free(seen); free(adj); free(E.e);
    return ng;
}

#define NOQUAL_WEIGHT 30

uint32_t vw_umi_vote(const uint32_t *code, const uint8_t *qual, int n, double min_agree)
{
    double total = 0, best_w = 0;
    uint32_t best = 0;
    for (int i = 0; i < n; i++)
        if (code[i])
            total += qual[i] ? qual[i] : NOQUAL_WEIGHT;
    for (int i = 0; i < n; i++) {
        if (!code[i])
            continue;
        int first = 1;
        for (int j = 0; j < i && first; j++)
            if (code[j] == code[i])
                first = 0;
        if (!first)
            continue;
        double w = 0;
        for (int j = i; j < n; j++)
            if (code[j] == code[i])
                w += qual[j] ? qual[j] : NOQUAL_WEIGHT;
        if (w > best_w) {
            best_w = w;
            best = code[i];
        }
    }
    return total > 0 && best_w >= min_agree * total * (1 - 1e-12) ? best : 0;
}

/* ------------------------------------------------------------------ */
/* The collector                                                       */

typedef struct {
    vw_umi_key_t key;
    uint64_t name_h;
    uint64_t packed;   /* umi_pack(umi): 0 when longer than PACK_MAX */
    int32_t seq;       /* insertion order at its target */
    uint32_t code;
    uint8_t bq, mq;
    uint8_t len;       /* UMI length, separator included */
    uint8_t bottom;    /* duplex: 1 for the bottom strand (read 1 reverse) */
    uint8_t r2;        /* read 2 of a pair keyed by read 1 (takes read 1's key when both are here) */
    union {            /* a UMI too long to pack, in the top strand's order: */
        size_t off;    /* its offset in the target's pool while collecting */
        const char *s; /* the string itself while resolving */
    } u;
} ent_t;

typedef struct {
    ent_t *e;
    int32_t n, m;
    char *pool; /* the UMIs too long to pack, each with its '\0' */
    size_t pool_n, pool_m;
} tvec_t;

struct vw_umi_col_s {
    int n_targets;
    tvec_t *tv;
    vw_umi_stats_t st;
    vw_umi_mol_t *mol;
    int n_mol, m_mol;
};

vw_umi_col_t *vw_umi_col_init(int n_targets, vw_umi_source_t src)
{
    vw_umi_col_t *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->n_targets = n_targets;
    c->tv = calloc((size_t)(n_targets > 0 ? n_targets : 1), sizeof(tvec_t));
    if (!c->tv) {
        free(c);
        errno = ENOMEM;
        return NULL;
    }
    c->st.source = src;
    c->st.umi_len = -1;
    return c;
}

void vw_umi_col_destroy(vw_umi_col_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n_targets; i++) {
        free(c->tv[i].e);
        free(c->tv[i].pool);
    }
    free(c->tv);
    free(c->mol);
    free(c);
}

const vw_umi_stats_t *vw_umi_col_stats(const vw_umi_col_t *c)
{
    return &c->st;
}

int64_t vw_umi_col_pending(const vw_umi_col_t *c, int ti)
{
    return c->tv[ti].n;
}

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

int vw_umi_col_add(vw_umi_col_t *c, const bam1_t *b, const vw_umi_obs_t *obs, int n_obs)
{
    vw_umi_stats_t *st = &c->st;
    st->n_reads++;
    if (st->source == VW_UMI_AUTO) {
        int s = vw_umi_detect(b);
        if (s < 0)
            return VW_EINPUT;
        st->source = s;
    }
    char umi[VW_UMI_MAX];
    int sep, r = vw_umi_extract(b, st->source, umi, &sep);
    if (r == VW_UMI_NONE) {
        st->n_no_umi++;
        return 1;
    }
    if (r == VW_UMI_BAD) {
        st->n_bad++;
        return 1;
    }
    int len = (int)strlen(umi);
    if (st->umi_len < 0) {
        st->umi_len = len - (sep >= 0);
        st->duplex = sep >= 0;
    }
    if ((sep >= 0) != st->duplex) {
        st->n_no_sep++;
        return 1;
    }
    if (len - (sep >= 0) != st->umi_len)
        st->n_other_len++;
    vw_umi_key_t key;
    vw_umi_key_of(b, st->duplex, &key);
    const bam1_core_t *bc = &b->core;
    int r2 = !st->duplex && (bc->flag & BAM_FPAIRED) && (bc->flag & BAM_FREAD2) && !(bc->flag & BAM_FMUNMAP)
             && bc->mtid == bc->tid && bc->isize != 0;
    int bottom = 0;
    if (sep >= 0 && key.strand) {
        /* B-A on the bottom strand: written as the top strand's A-B */
        char sw[VW_UMI_MAX];
        int lb = len - sep - 1;
        memcpy(sw, umi + sep + 1, (size_t)lb);
        sw[lb] = '-';
        memcpy(sw + lb + 1, umi, (size_t)sep);
        sw[len] = '\0';
        memcpy(umi, sw, (size_t)len + 1);
        bottom = 1;
    }
    uint64_t h = hash_name(bam_get_qname(b)), packed = umi_pack(umi, len);
    for (int i = 0; i < n_obs; i++) {
        tvec_t *v = &c->tv[obs[i].ti];
        if (v->n == v->m) {
            int32_t m = v->m ? 2 * v->m : 16;
            ent_t *e = realloc(v->e, (size_t)m * sizeof(*e));
            if (!e)
                return -ENOMEM;
            v->e = e;
            v->m = m;
        }
        ent_t *e = &v->e[v->n];
        e->u.off = 0;
        if (!packed) {
            if (v->pool_n + (size_t)len + 1 > v->pool_m) {
                size_t m = v->pool_m ? 2 * v->pool_m : 1024;
                while (m < v->pool_n + (size_t)len + 1)
                    m *= 2;
                char *t = realloc(v->pool, m);
                if (!t)
                    return -ENOMEM;
                v->pool = t;
                v->pool_m = m;
            }
            e->u.off = v->pool_n;
            memcpy(v->pool + v->pool_n, umi, (size_t)len + 1);
            v->pool_n += (size_t)len + 1;
        }
        e->key = key;
        if (sep >= 0)
            e->key.strand = 0; /* both strands in one bundle */
        e->name_h = h;
        e->seq = v->n++;
        e->code = obs[i].code;
        e->bq = obs[i].bq;
        e->mq = obs[i].mq;
        e->len = (uint8_t)len;
        e->packed = packed;
        e->bottom = (uint8_t)bottom;
        e->r2 = (uint8_t)r2;
    }
    return 0;
}

static int key_cmp(const vw_umi_key_t *a, const vw_umi_key_t *b)
{
    if (a->tid != b->tid) return a->tid < b->tid ? -1 : 1;
    if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
    if (a->span != b->span) return a->span < b->span ? -1 : 1;
    if (a->strand != b->strand) return a->strand < b->strand ? -1 : 1;
    return 0;
}

/* Name, read 1 first, insertion order. */
static int name_cmp(const void *x, const void *y)
{
    const ent_t *a = *(const ent_t *const *)x, *b = *(const ent_t *const *)y;
    if (a->name_h != b->name_h) return a->name_h < b->name_h ? -1 : 1;
    if (a->r2 != b->r2) return a->r2 < b->r2 ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Read 2 entries take the key of their read 1 at this target, when it is here. */
static int join_mates(ent_t *e, int n)
{
    int n2 = 0;
    for (int i = 0; i < n; i++)
        n2 += e[i].r2;
    if (n2 == 0)
        return 0;
    ent_t **p = malloc((size_t)n * sizeof(*p));
    if (!p)
        return -ENOMEM;
    for (int i = 0; i < n; i++)
        p[i] = &e[i];
    qsort(p, (size_t)n, sizeof(*p), name_cmp);
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && p[j]->name_h == p[i]->name_h)
            j++;
        if (!p[i]->r2)
            for (int k = i + 1; k < j; k++)
                if (p[k]->r2)
                    p[k]->key = p[i]->key;
        i = j;
    }
    free(p);
    return 0;
}

/* Bundle key, UMI length, UMI, name, insertion order. */
static int ent_cmp(const void *x, const void *y)
{
    const ent_t *a = x, *b = y;
    int r = key_cmp(&a->key, &b->key);
    if (r) return r;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    /* (the same length: both packed, or neither) */
    if (a->packed != b->packed) return a->packed < b->packed ? -1 : 1;
    if (!a->packed && (r = strcmp(a->u.s, b->u.s)) != 0) return r;
    if (a->name_h != b->name_h) return a->name_h < b->name_h ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* ent_cmp's order by a radix sort: the bundle key and UMI length packed into
 * one integer (offsets from their smallest values at the target), the packed
 * UMI into a second; the sort is stable (entries are in insertion order), so
 * only runs of one key and UMI are then ordered by name.  Targets whose keys
 * do not pack (UMIs over PACK_MAX characters, keys spread over more than 64
 * bits) are sorted with qsort.  Returns 0 or -ENOMEM. */
typedef struct { uint64_t hi, lo, nm; uint32_t i; } skey_t;

static int bits_of(uint64_t x)
{
    int b = 0;
    for (; x; x >>= 1)
        b++;
    return b;
}

static int skey_name_cmp(const void *x, const void *y)
{
    const skey_t *a = x, *b = y;
    if (a->nm != b->nm) return a->nm < b->nm ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static void skey_radix(skey_t *r, skey_t *tmp, int n)
{
    uint64_t or_[2] = {0, 0}, and_[2] = {~0ULL, ~0ULL};
    for (int k = 0; k < n; k++) {
        or_[0] |= r[k].lo; and_[0] &= r[k].lo;
        or_[1] |= r[k].hi; and_[1] &= r[k].hi;
    }
    for (int byte = 0; byte < 16; byte++) {
        int w = byte / 8, sh = 8 * (byte % 8);
        if ((((or_[w] ^ and_[w]) >> sh) & 0xff) == 0)
            continue; /* the same in every entry */
        uint32_t c[256] = {0}, off = 0;
        for (int k = 0; k < n; k++)
            c[((w ? r[k].hi : r[k].lo) >> sh) & 0xff]++;
        for (int d = 0; d < 256; d++) {
            uint32_t t = c[d];
            c[d] = off;
            off += t;
        }
        for (int k = 0; k < n; k++)
            tmp[c[((w ? r[k].hi : r[k].lo) >> sh) & 0xff]++] = r[k];
        memcpy(r, tmp, (size_t)n * sizeof(*r));
    }
}

static int sort_entries(tvec_t *v)
{
    int n = v->n;
    ent_t *e = v->e;
    uint64_t lo[5], hi[5]; /* tid, pos, span, strand, length */
    for (int f = 0; f < 5; f++)
        lo[f] = ~0ULL, hi[f] = 0;
    int packed = 1;
    for (int k = 0; k < n && packed; k++) {
        const ent_t *x = &e[k];
        uint64_t val[5] = {(uint64_t)(int64_t)x->key.tid ^ (1ULL << 63), (uint64_t)x->key.pos ^ (1ULL << 63),
                           (uint64_t)(int64_t)x->key.span ^ (1ULL << 63), x->key.strand, x->len};
        for (int f = 0; f < 5; f++) {
            if (val[f] < lo[f]) lo[f] = val[f];
            if (val[f] > hi[f]) hi[f] = val[f];
        }
        packed = x->packed != 0;
    }
    int width[5], total = 0;
    for (int f = 0; f < 5; f++)
        total += width[f] = bits_of(hi[f] - lo[f]);
    if (!packed || total > 64) {
        qsort(e, (size_t)n, sizeof(ent_t), ent_cmp);
        return 0;
    }
    skey_t *r = malloc((size_t)n * sizeof(*r)), *tmp = malloc((size_t)n * sizeof(*tmp));
    if (!r || !tmp) {
        free(r); free(tmp);
        return -ENOMEM;
    }
    for (int k = 0; k < n; k++) {
        const ent_t *x = &e[k];
        uint64_t val[5] = {(uint64_t)(int64_t)x->key.tid ^ (1ULL << 63), (uint64_t)x->key.pos ^ (1ULL << 63),
                           (uint64_t)(int64_t)x->key.span ^ (1ULL << 63), x->key.strand, x->len};
        uint64_t h = 0;
        for (int f = 0; f < 5; f++)
            if (width[f]) /* (a shift by 64 would be undefined) */
                h = (width[f] < 64 ? h << width[f] : 0) | (val[f] - lo[f]);
        r[k] = (skey_t){h, x->packed, x->name_h, (uint32_t)k};
    }
    skey_radix(r, tmp, n);
    for (int a = 0; a < n;) {
        int b = a + 1;
        while (b < n && r[b].hi == r[a].hi && r[b].lo == r[a].lo)
            b++;
        int sorted = 1; /* (insertion order already; names seldom out of order) */
        for (int k = a + 1; k < b && sorted; k++)
            sorted = r[k - 1].nm <= r[k].nm;
        if (!sorted)
            qsort(r + a, (size_t)(b - a), sizeof(*r), skey_name_cmp);
        a = b;
    }
    free(tmp);
    /* e[k] = old e[r[k].i], in place along the permutation's cycles (no second copy) */
    for (int k = 0; k < n; k++) {
        if (r[k].i == (uint32_t)k)
            continue;
        ent_t hold = e[k];
        int j = k;
        while (r[j].i != (uint32_t)k) {
            int src = (int)r[j].i;
            e[j] = e[src];
            r[j].i = (uint32_t)j;
            j = src;
        }
        e[j] = hold;
        r[j].i = (uint32_t)j;
    }
    free(r);
    return 0;
}

/* Strand family, name, insertion order. */
static int fam_cmp(const void *x, const void *y)
{
    const ent_t *a = *(const ent_t *const *)x, *b = *(const ent_t *const *)y;
    if (a->bottom != b->bottom) return a->bottom < b->bottom ? -1 : 1;
    if (a->name_h != b->name_h) return a->name_h < b->name_h ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

typedef struct {
    uint32_t *code;
    uint8_t *q, *mq;
    int m;
} votes_t;

/* Consensus of the fragments in f[0..n) (sorted by name): *ret_n fragments. */
static int family_vote(const ent_t *const *f, int n, double min_agree, votes_t *v, uint32_t *ret_code,
                       int *ret_n, uint8_t *ret_bq, uint8_t *ret_mq)
{
    if (n > v->m) {
        int m = n * 2;
        uint32_t *c = realloc(v->code, (size_t)m * sizeof(*c));
        if (c) v->code = c;
        uint8_t *q = realloc(v->q, (size_t)m);
        if (q) v->q = q;
        uint8_t *mq = realloc(v->mq, (size_t)m);
        if (mq) v->mq = mq;
        if (!c || !q || !mq)
            return -ENOMEM;
        v->m = m;
    }
    int k = 0;
    for (int i = 0; i < n;) {
        int j = i + 1;
        uint32_t code = f[i]->code;
        uint8_t q = f[i]->bq, mq = f[i]->mq;
        for (; j < n && f[j]->name_h == f[i]->name_h; j++) {
            if (f[j]->code != code)
                code = 0; /* mates disagree: no vote */
            if (f[j]->bq > q) q = f[j]->bq;
            if (f[j]->mq > mq) mq = f[j]->mq;
        }
        v->code[k] = code;
        v->q[k] = q;
        v->mq[k] = mq;
        k++;
        i = j;
    }
    uint32_t cons = vw_umi_vote(v->code, v->q, k, min_agree);
    uint8_t bq = 0, mq = 0;
    for (int i = 0; i < k; i++)
        if (cons && v->code[i] == cons) {
            if (v->q[i] > bq) bq = v->q[i];
            if (v->mq[i] > mq) mq = v->mq[i];
        }
    *ret_code = cons;
    *ret_n = k;
    *ret_bq = bq;
    *ret_mq = mq;
    return 0;
}

/* The molecule of one UMI group's fragments fam[0..nf) (sorted here by
 * strand family and name), appended to c->mol unless no family votes;
 * emol (may be NULL) gets its index per entry.  Returns 0 or -ENOMEM. */
static int group_molecule(vw_umi_col_t *c, const ent_t **fam, int nf, double min_agree, votes_t *vt, int *emol)
{
    if (nf > 16) {
        qsort(fam, (size_t)nf, sizeof(*fam), fam_cmp);
    } else {
        for (int k = 1; k < nf; k++) /* few: an insertion sort */
            for (int j = k; j > 0 && fam_cmp(&fam[j - 1], &fam[j]) > 0; j--) {
                const ent_t *t = fam[j];
                fam[j] = fam[j - 1];
                fam[j - 1] = t;
            }
    }
    int na = 0;
    while (na < nf && !fam[na]->bottom)
        na++;
    vw_umi_mol_t m;
    memset(&m, 0, sizeof(m));
    uint32_t ca = 0, cb = 0;
    uint8_t qa = 0, qb = 0, mqa = 0, mqb = 0;
    int r1 = na ? family_vote(fam, na, min_agree, vt, &ca, &m.size_a, &qa, &mqa) : 0;
    int r2 = nf > na ? family_vote(fam + na, nf - na, min_agree, vt, &cb, &m.size_b, &qb, &mqb) : 0;
    if (r1 < 0 || r2 < 0)
        return -ENOMEM;
    m.size = m.size_a + m.size_b;
    if (m.size_a && m.size_b) {
        m.duplex = ca && ca == cb;
        m.code = m.duplex ? ca : 0;
    } else {
        m.code = m.size_a ? ca : cb;
    }
    m.bq = qa > qb ? qa : qb;
    m.mq = mqa > mqb ? mqa : mqb;
    if (!m.size_a && !m.size_b)
        return 0;
    const ent_t *lead = fam[0];
    /* duplex bundles hold both strands (key strand 0): the larger family's */
    m.strand = c->st.duplex ? m.size_b > m.size_a : lead->key.strand;
    m.fraglen = lead->key.span == -1 ? 0 : lead->key.span < 0 ? -lead->key.span : lead->key.span;
    if (c->n_mol == c->m_mol) {
        int mm = c->m_mol ? 2 * c->m_mol : 64;
        vw_umi_mol_t *t = realloc(c->mol, (size_t)mm * sizeof(*t));
        if (!t)
            return -ENOMEM;
        c->mol = t;
        c->m_mol = mm;
    }
    if (emol)
        for (int k = 0; k < nf; k++)
            emol[fam[k]->seq] = c->n_mol;
    c->mol[c->n_mol++] = m;
    return 0;
}

int vw_umi_col_resolve(vw_umi_col_t *c, int ti, double min_agree, const vw_umi_mol_t **ret_mol, int *ret_n,
                       int **ret_entry_mol)
{
    tvec_t *v = &c->tv[ti];
    int n = v->n, ret = -ENOMEM;
    ent_t *e = v->e;
    int *emol = NULL, *first = NULL, *grp = NULL, *run_beg = NULL;
    int64_t *cnt = NULL;
    const char **u = NULL;
    const ent_t **fam = NULL;
    votes_t vt = {NULL, NULL, NULL, 0};
    c->n_mol = 0;
    if (ret_entry_mol && !(emol = malloc((size_t)(n ? n : 1) * sizeof(int))))
        goto out;
    if (n == 0) {
        ret = 0;
        goto out;
    }
    if (join_mates(e, n) < 0)
        goto out;
    for (int k = 0; k < n; k++)
        if (!e[k].packed)
            e[k].u.s = v->pool + e[k].u.off;
    if (sort_entries(v) < 0)
        goto out;
    e = v->e;
    first = malloc((size_t)n * sizeof(int));
    grp = malloc((size_t)n * sizeof(int));
    run_beg = malloc(((size_t)n + 1) * sizeof(int));
    cnt = malloc((size_t)n * sizeof(int64_t));
    u = malloc((size_t)n * sizeof(char *));
    fam = malloc((size_t)n * sizeof(ent_t *));
    if (!first || !grp || !run_beg || !cnt || !u || !fam)
        goto out;
    for (int b0 = 0; b0 < n;) {
        /* one bundle and UMI length: [b0, b1) */
        int b1 = b0 + 1;
        while (b1 < n && key_cmp(&e[b1].key, &e[b0].key) == 0 && e[b1].len == e[b0].len)
            b1++;
        /* distinct UMIs: runs; count distinct names, first insertion */
        int nu = 0;
        for (int i = b0; i < b1;) {
            int j = i + 1, mn = e[i].seq;
            int64_t names = 1;
            while (j < b1 && e[j].packed == e[i].packed && (e[i].packed || strcmp(e[j].u.s, e[i].u.s) == 0)) {
                if (e[j].name_h != e[j - 1].name_h) names++;
                if (e[j].seq < mn) mn = e[j].seq;
                j++;
            }
            run_beg[nu] = i;
            first[nu] = mn;
            cnt[nu] = names;
            nu++;
            i = j;
        }
        run_beg[nu] = b1;
        /* first-seen order: run indices sorted by first[] (distinct values) */
        int64_t *cnt2 = malloc((size_t)nu * sizeof(int64_t));
        int *g2 = malloc((size_t)nu * sizeof(int)), *ordc = malloc((size_t)nu * sizeof(int));
        int *g_off = calloc((size_t)nu + 1, sizeof(int)), *by_g = malloc((size_t)nu * sizeof(int));
        half_t *rk = malloc((size_t)nu * sizeof(*rk));
        if (!cnt2 || !g2 || !ordc || !g_off || !by_g || !rk) {
            free(cnt2); free(g2); free(ordc); free(g_off); free(by_g); free(rk);
            goto out;
        }
        for (int i = 0; i < nu; i++)
            rk[i] = (half_t){(uint64_t)first[i], i}; /* (first[] >= 0) */
        if (half_sort(rk, nu) < 0) {
            free(cnt2); free(g2); free(ordc); free(g_off); free(by_g); free(rk);
            goto out;
        }
        int *ord = grp;
        for (int i = 0; i < nu; i++)
            ord[i] = rk[i].i;
        free(rk);
        int ulen = e[b0].len;
        char *ubuf = e[b0].packed ? malloc((size_t)nu * (size_t)(ulen + 1)) : NULL;
        if (e[b0].packed && !ubuf) {
            free(cnt2); free(g2); free(ordc); free(g_off); free(by_g);
            goto out;
        }
        for (int i = 0; i < nu; i++) {
            const ent_t *x = &e[run_beg[ord[i]]];
            ordc[i] = ord[i];
            u[i] = ubuf ? umi_unpack(x->packed, ulen, ubuf + (size_t)i * (size_t)(ulen + 1)) : x->u.s;
            cnt2[i] = cnt[ord[i]];
        }
        int ng = vw_umi_directional(u, cnt2, nu, g2);
        free(ubuf);
        if (ng < 0) {
            free(cnt2); free(g2); free(ordc); free(g_off); free(by_g);
            goto out;
        }
        /* the UMIs of each group (a counting sort by group) */
        for (int i = 0; i < nu; i++)
            g_off[g2[i] + 1]++;
        for (int g = 0; g < ng; g++)
            g_off[g + 1] += g_off[g];
        for (int i = 0, *fill = g2; i < nu; i++)
            by_g[g_off[fill[i]]++] = i;
        for (int g = ng; g > 0; g--)
            g_off[g] = g_off[g - 1];
        g_off[0] = 0;
        /* each group: its entries, by strand family and name */
        for (int g = 0; g < ng; g++) {
            int nf = 0;
            for (int j = g_off[g]; j < g_off[g + 1]; j++) {
                int i = by_g[j];
                for (int k = run_beg[ordc[i]]; k < run_beg[ordc[i] + 1]; k++)
                    fam[nf++] = &e[k];
            }
            if (group_molecule(c, fam, nf, min_agree, &vt, emol) < 0) {
                free(cnt2); free(g2); free(ordc); free(g_off); free(by_g);
                goto out;
            }
        }
        free(cnt2); free(g2); free(ordc); free(g_off); free(by_g);
        b0 = b1;
    }
    ret = 0;
out:
    free(first); free(grp); free(run_beg); free(cnt); free(u); free(fam);
    free(vt.code); free(vt.q); free(vt.mq);
    /* a target is resolved once the stream has passed it: give its memory back */
    free(v->e);
    free(v->pool);
    v->e = NULL;
    v->pool = NULL;
    v->n = v->m = 0;
    v->pool_n = v->pool_m = 0;
    if (ret == 0 && ret_entry_mol)
        *ret_entry_mol = emol;
    else
        free(emol);
    if (ret == 0) {
        *ret_mol = c->mol;
        *ret_n = c->n_mol;
    }
    return ret;
}
