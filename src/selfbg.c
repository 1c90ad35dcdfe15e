/* selfbg.c -- the self background: a sample's own error rate per
 * substitution class at the non-hotspot positions of the target windows
 * (see selfbg.h and vw_count_self_bg() in count.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/sam.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vafwatch/aln.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "selfbg.h"

/* ------------------------------------------------------------------ */
/* Self background                                                     */

const char *const vw_sub_names[VW_N_SUB] = {"C>A", "C>G", "C>T", "T>A", "T>C", "T>G"};

static int base_idx(char b)
{
    switch (toupper((unsigned char)b)) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': return 3;
    default: return -1;
    }
}

/* class of ref base index r, alt base index a (0..3 = ACGT), or -1 */
static int sub_class_idx(int r, int a)
{
    if (r < 0 || a < 0 || r == a)
        return -1;
    if (r == 0 || r == 2) { /* purine REF: complement both (A<->T, C<->G) */
        r = 3 - r;
        a = 3 - a;
    }
    /* r is C (1) or T (3) */
    static const int cls[4][4] = {
        {-1, -1, -1, -1},
        {VW_SUB_CA, -1, VW_SUB_CG, VW_SUB_CT},
        {-1, -1, -1, -1},
        {VW_SUB_TA, VW_SUB_TC, VW_SUB_TG, -1}};
    return cls[r][a];
}

int vw_sub_class(const char *ref, const char *alt)
{
    if (!ref || !alt || strlen(ref) != 1 || strlen(alt) != 1)
        return -1;
    return sub_class_idx(base_idx(ref[0]), base_idx(alt[0]));
}

/* base index (0..3 = ACGT, -1 other) of a 4-bit BAM base code */
static const int8_t nt16_idx[16] = {-1, 0, 1, -1, 2, -1, -1, -1, 3, -1, -1, -1, -1, -1, -1, -1};

static int win_cmp(const void *a, const void *b)
{
    const vw_selfwin_t *x = a, *y = b;
    if (x->tid != y->tid) return x->tid < y->tid ? -1 : 1;
    return x->beg < y->beg ? -1 : x->beg > y->beg;
}

int vw_selfbg_windows(const vw_targets_t *ts, const sam_hdr_t *h, int flank, vw_selfwin_t **ret)
{
    *ret = NULL;
    vw_selfwin_t *w = calloc((size_t)(ts->n ? ts->n : 1), sizeof(*w));
    if (!w)
        return -ENOMEM;
    int nw = 0;
    for (int i = 0; i < ts->n; i++) {
        int tid = vw_contig_tid(h, ts->t[i].chrom);
        if (tid < 0)
            continue;
        w[nw].tid = tid;
        w[nw].beg = ts->t[i].beg > flank ? ts->t[i].beg - flank : 0;
        w[nw].end = ts->t[i].beg + (hts_pos_t)strlen(ts->t[i].ref) + flank;
        nw++;
    }
    qsort(w, (size_t)nw, sizeof(*w), win_cmp);
    int nm = 0; /* merge overlapping windows */
    for (int i = 0; i < nw; i++) {
        if (nm && w[nm - 1].tid == w[i].tid && w[i].beg <= w[nm - 1].end) {
            if (w[i].end > w[nm - 1].end)
                w[nm - 1].end = w[i].end;
        } else {
            w[nm++] = w[i];
        }
    }
    if (nm == 0)
        free(w);
    else
        *ret = w;
    return nm;
}

int vw_selfwin_alloc(vw_selfwin_t *w)
{
    size_t len = (size_t)(w->end - w->beg);
    w->cnt = calloc(len ? len : 1, sizeof(*w->cnt));
    w->ref = calloc(len ? len : 1, 1);
    w->diff = calloc(len + 1, sizeof(*w->diff));
    w->pk[0] = calloc(len / 2 + 2, 1);
    w->pk[1] = calloc(len / 2 + 2, 1);
    if (!w->cnt || !w->ref || !w->diff || !w->pk[0] || !w->pk[1]) {
        vw_selfwin_free(w);
        return -ENOMEM;
    }
    return 0;
}

void vw_selfwin_free(vw_selfwin_t *w)
{
    free(w->cnt);
    free(w->ref);
    free(w->diff);
    free(w->pk[0]);
    free(w->pk[1]);
    w->pk[0] = w->pk[1] = NULL;
    w->cnt = NULL;
    w->ref = NULL;
    w->diff = NULL;
}

/* The rare base of add_block at window position p: one that leaves the
 * coverage (low quality, N, '='), the first one at a position (it becomes
 * the position's guess, also in both packed copies), or one other than the
 * guess (counted in its own column). */
static void add_odd(vw_selfwin_t *w, hts_pos_t p, int nib, int bad)
{
    int bi = nt16_idx[nib];
    if (bad || bi < 0) {
        w->diff[p]--;
        w->diff[p + 1]++;
    } else if (w->ref[p] == 0) {
        w->ref[p] = (uint8_t)nib;
        for (int o = 0; o < 2; o++) /* position p at byte (p + o) / 2, high nibble when p + o is even */
            w->pk[o][(p + o) >> 1] |= (uint8_t)(nib << (((p + o) & 1) ? 0 : 4));
    } else {
        w->cnt[p][bi]++;
    }
}

/* The bases of query [qp, qp + len) against window positions [p, p + len),
 * one at a time: blocks under 33 bases, and in longer ones a first base at
 * an odd query position and a last base the chunks do not reach
 * (add_block). */
static inline void add_each(vw_selfwin_t *w, hts_pos_t p, const uint8_t *seq, const uint8_t *qual, int qp, int len,
                            int minq)
{
    const uint8_t *ref = w->ref + p;
    for (int i = 0; i < len; i++) {
        int nib = bam_seqi(seq, qp + i);
        int bad = qual[qp + i] < minq;
        if (__builtin_expect(nib != ref[i] || bad || nib == 0, 0))
            add_odd(w, p + i, nib, bad);
    }
}

#if defined(__SSE2__) && !defined(VW_SELFBG_PORTABLE)
#define SELFBG_SSE2 1
typedef __m128i minq_t; /* minq in each of 16 bytes */
#define MINQ_SET(q) _mm_set1_epi8((char)(uint8_t)(q))
static inline __m128i load16(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)(const void *)p); }
/* what the test of chunks gathers (chunk_acc): bits left set by a base
 * other than its guess (bad), the zero-nibble test before its mask 0x88..
 * (zn), and the least quality seen in each byte lane (qmin) */
typedef struct {
    __m128i bad, zn, qmin;
} acc_t;
#define ACC0 {_mm_setzero_si128(), _mm_setzero_si128(), _mm_set1_epi8(-1)}
#else
#define SELFBG_SSE2 0
typedef int minq_t;
#define MINQ_SET(q) (q)
typedef struct {
    uint64_t bad, zn;
} acc_t;
#define ACC0 {0, 0}
#endif

/* A chunk is 32 bases: 16 SEQ bytes s8 (from an even query position),
 * their 32 qualities q and the 16 bytes of their positions' guesses packed
 * the same way (g8).  A chunk is plain when its 32 bases need nothing
 * beyond the block's coverage: each equal to its guess, none '=' (code 0,
 * also the unset guess), every quality >= minq (0 <= minq <= 255).
 * chunk_acc() adds a chunk's test to a; acc_plain() says whether all the
 * chunks added were plain. */
static inline void chunk_acc(acc_t *a, const uint8_t *s8, const uint8_t *q, const uint8_t *g8, minq_t mq)
{
#if SELFBG_SSE2
    __m128i s = load16(s8);
    (void)mq; /* (applied once, to the least quality: acc_plain) */
    a->qmin = _mm_min_epu8(a->qmin, _mm_min_epu8(load16(q), load16(q + 16)));
    a->bad = _mm_or_si128(a->bad, _mm_xor_si128(s, load16(g8)));
    /* a zero nibble in a 64-bit lane leaves a high bit of (x - 0x11..) & ~x & 0x88.. set (exact as a yes/no) */
    a->zn = _mm_or_si128(a->zn, _mm_andnot_si128(s, _mm_sub_epi64(s, _mm_set1_epi8(0x11))));
#else
    uint64_t rd[2], rf[2];
    memcpy(rd, s8, 16);
    memcpy(rf, g8, 16);
    for (int k = 0; k < 2; k++) {
        a->bad |= rd[k] ^ rf[k];
        a->zn |= (rd[k] - 0x1111111111111111ULL) & ~rd[k];
    }
    for (int i = 0; i < 32; i++)
        a->bad |= q[i] < mq;
#endif
}

static inline int acc_plain(acc_t a, minq_t mq)
{
#if SELFBG_SSE2
    /* minq - q saturates to 0 exactly when q >= minq */
    __m128i x = _mm_or_si128(_mm_or_si128(a.bad, _mm_subs_epu8(mq, a.qmin)),
                             _mm_and_si128(a.zn, _mm_set1_epi8((char)0x88)));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_setzero_si128())) == 0xffff;
#else
    (void)mq; /* (applied in chunk_acc) */
    return !(a.bad | (a.zn & 0x8888888888888888ULL));
#endif
}

static inline int chunk_plain(const uint8_t *s8, const uint8_t *q, const uint8_t *g8, minq_t mq)
{
    acc_t a = ACC0;
    chunk_acc(&a, s8, q, g8, mq);
    return acc_plain(a, mq);
}

/* The bases of a chunk that is not plain, at window positions from p,
 * leaving out its first 'from' (passed by the chunk before): the
 * low-quality ones leave the coverage, each run of them as one pair of
 * updates of the difference array; any other that differs from its guess,
 * or is '=', goes to add_odd(). */
static void chunk_fix(vw_selfwin_t *w, hts_pos_t p, const uint8_t *s8, const uint8_t *q, const uint8_t *g8, int minq,
                      int from)
{
    uint64_t low = 0; /* bit i: base i is below minq */
    uint32_t odd = 0; /* bit i: base i differs from its guess or is '=' */
#if SELFBG_SSE2
    __m128i mq = MINQ_SET(minq), zero = _mm_setzero_si128(), q0 = load16(q), q1 = load16(q + 16);
    low = ~(uint64_t)((uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(q0, mq), q0))
                      | (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(q1, mq), q1)) << 16)
          & 0xffffffffULL;
    __m128i s = load16(s8), x = _mm_xor_si128(s, load16(g8));
    /* per nibble (those of mask m), all ones when it equals its guess and is not 0 */
#define NIB_OK(m) _mm_andnot_si128(_mm_cmpeq_epi8(_mm_and_si128(s, m), zero), _mm_cmpeq_epi8(_mm_and_si128(x, m), zero))
    __m128i ok_hi = NIB_OK(_mm_set1_epi8((char)0xf0)), ok_lo = NIB_OK(_mm_set1_epi8(0x0f));
#undef NIB_OK
    /* in base order (the high nibble of a SEQ byte comes first) */
    odd = ~((uint32_t)_mm_movemask_epi8(_mm_unpacklo_epi8(ok_hi, ok_lo))
            | (uint32_t)_mm_movemask_epi8(_mm_unpackhi_epi8(ok_hi, ok_lo)) << 16);
#else
    for (int i = 0; i < 32; i++) {
        int sh = i & 1 ? 0 : 4, nib = s8[i >> 1] >> sh & 15;
        low |= (uint64_t)(q[i] < minq) << i;
        odd |= (uint32_t)(nib == 0 || nib != (g8[i >> 1] >> sh & 15)) << i;
    }
#endif
    low &= ~0ULL << from;
    odd &= (uint32_t)~low & (~0u << from);
    while (odd) {
        int i = __builtin_ctz(odd);
        odd &= odd - 1;
        add_odd(w, p + i, i & 1 ? s8[i >> 1] & 15 : s8[i >> 1] >> 4, 0);
    }
    while (low) { /* runs of low qualities */
        int a = __builtin_ctzll(low), r = __builtin_ctzll(~(low >> a));
        w->diff[p + a]--;
        w->diff[p + a + r]++;
        low &= ~(((1ULL << r) - 1) << a);
    }
}

/* The packed guesses of window position p onwards, for a read base at an
 * even query position (the high nibble of a SEQ byte). */
static inline const uint8_t *pk_at(const vw_selfwin_t *w, hts_pos_t p)
{
    int o = (int)(p & 1);
    return w->pk[o] + ((p + o) >> 1);
}

/* The chunks of bases [0, nb + 32) (nb even) from even query position qp
 * at window positions from p, for a block that is not all plain, one by
 * one: those at 0, 32, .. below nb, then the one at nb; a chunk's changes
 * to the guesses are seen by the next.  Out of line: most blocks do not
 * come here. */
static __attribute__((noinline)) void block_fix(vw_selfwin_t *w, hts_pos_t p, const uint8_t *seq, const uint8_t *qual,
                                                int qp, int nb, int minq)
{
    minq_t mq = MINQ_SET(minq);
    const uint8_t *s8 = seq + (qp >> 1), *q = qual + qp, *g8 = pk_at(w, p);
    int j = 0;
    for (; j < nb; j += 32)
        if (!chunk_plain(s8 + j / 2, q + j, g8 + j / 2, mq))
            chunk_fix(w, p + j, s8 + j / 2, q + j, g8 + j / 2, minq, 0);
    if (!chunk_plain(s8 + nb / 2, q + nb, g8 + nb / 2, mq)) /* its first j - nb bases were passed above */
        chunk_fix(w, p + nb, s8 + nb / 2, q + nb, g8 + nb / 2, minq, j - nb);
}

/* Adds the bases of query [qp, qp + len) at window positions from 'off' on
 * (one aligned block inside one window), with qualities >= minq (0 to
 * 255).  The block adds 1 to the coverage of all its positions at once
 * (two updates of the difference array); a base equal to the position's
 * guess (the first usable base seen there) needs nothing more.  The block
 * is tested as chunks of 32 bases compared with their guesses (packed as
 * SEQ is), their qualities tested as vectors: the chunks from its first
 * even query position on, the last one ending the block and overlapping
 * the one before (the test only reads).  Only when a chunk is not plain
 * are the chunks looked at closer (block_fix).
 * vw_selfbg_summarise() turns guesses and coverage back into base counts. */
static inline void add_block(vw_selfwin_t *w, hts_pos_t off, const uint8_t *seq, const uint8_t *qual, int qp,
                             int len, int minq)
{
    w->diff[off]++;
    w->diff[off + len]--;
    if (len < 33) {
        add_each(w, off, seq, qual, qp, len, minq);
        return;
    }
    int i = qp & 1;
    if (i) /* to an even query position: whole SEQ bytes */
        add_each(w, off, seq, qual, qp, 1, minq);
    /* the chunk that ends the block starts at an even query position too:
     * one base before the end when qp + len is odd (that base is added
     * alone) */
    int odd_end = (qp + len) & 1;
    size_t nbb = (size_t)(len - 32 - odd_end - i) / 2; /* SEQ bytes before the last chunk */
    const uint8_t *g8 = pk_at(w, off + i), *s8 = seq + ((qp + 1) >> 1), *q = qual + qp + i;
    minq_t mq = MINQ_SET(minq);
    acc_t a = ACC0;
    for (size_t j = 0; j < nbb; j += 16)
        chunk_acc(&a, s8 + j, q + 2 * j, g8 + j, mq);
    chunk_acc(&a, s8 + nbb, q + 2 * nbb, g8 + nbb, mq);
    if (!acc_plain(a, mq))
        block_fix(w, off + i, seq, qual, qp + i, (int)nbb * 2, minq);
    if (odd_end)
        add_each(w, off + len - 1, seq, qual, qp + len - 1, 1, minq);
}

/* The general walk of a read's CIGAR from window k on: each aligned block
 * is cut at the window bounds, and the piece inside each window is added
 * (add_block).  Kept out of line: reads in one block do not come here. */
static __attribute__((noinline)) void add_cigar(const bam1_t *b, vw_selfwin_t *w, int n, int k, const uint8_t *seq,
                                                const uint8_t *qual, int minq)
{
    const bam1_core_t *c = &b->core;
    const uint32_t *cig = bam_get_cigar(b);
    hts_pos_t rp = c->pos;
    int qp = 0;
    for (uint32_t j = 0; j < c->n_cigar && k < n; j++) {
        int ol = bam_cigar_oplen(cig[j]);
        int t = bam_cigar_type(bam_cigar_op(cig[j]));
        if (t == 3) {
            hts_pos_t op_end = rp + ol;
            while (rp < op_end) {
                while (k < n && w[k].tid == c->tid && w[k].end <= rp)
                    k++;
                if (k == n || w[k].tid != c->tid)
                    return;
                if (w[k].beg >= op_end)
                    break;
                hts_pos_t a = rp > w[k].beg ? rp : w[k].beg, e = op_end < w[k].end ? op_end : w[k].end;
                int qa = qp + (int)(a - rp);
                int len = (int)(e - a);
                if (len > c->l_qseq - qa) /* a CIGAR longer than SEQ: the bases past its end are not there */
                    len = c->l_qseq - qa;
                if (len > 0)
                    add_block(&w[k], a - w[k].beg, seq, qual, qa, len, minq);
                qp += (int)(e - rp);
                rp = e;
            }
            qp += (int)(op_end - rp);
            rp = op_end;
        } else if (t == 1) {
            qp += ol;
        } else if (t == 2) {
            rp += ol;
        }
    }
}

/* A read in one block from window w on (we: past the last window): the
 * piece of the block inside each window it meets. */
static inline void add_one_block(const bam1_t *b, vw_selfwin_t *w, const vw_selfwin_t *we, const uint8_t *seq,
                                 const uint8_t *qual, int q0, hts_pos_t re, int minq)
{
    const bam1_core_t *c = &b->core;
    /* windows are sorted and apart: those from w on that begin before re */
    for (; w < we && w->tid == c->tid && w->beg < re; w++) {
        hts_pos_t a = c->pos > w->beg ? c->pos : w->beg, e = re < w->end ? re : w->end;
        int qa = q0 + (int)(a - c->pos), len = (int)(e - a);
        if (len > c->l_qseq - qa) /* a CIGAR longer than SEQ */
            len = c->l_qseq - qa;
        if (len > 0)
            add_block(w, a - w->beg, seq, qual, qa, len, minq);
        if (w->end >= re)
            break;
    }
}

/* vw_selfbg_add_parsed() of any read, from a search of the window the
 * read starts in.  Out of line: the usual read does not come here, and
 * does not pay for its registers. */
static __attribute__((noinline)) void add_searched(const bam1_t *b, vw_selfwin_t *w, int n, int *cur, int min_bq,
                                                   int q0, hts_pos_t re)
{
    const bam1_core_t *c = &b->core;
    const uint8_t *seq = bam_get_seq(b), *qual = seq + ((c->l_qseq + 1) >> 1);
    vw_selfwin_t *wk = w + *cur, *we = w + n;
    while (wk < we && (wk->tid < c->tid || (wk->tid == c->tid && wk->end <= c->pos)))
        wk++;
    *cur = (int)(wk - w);
    /* SEQ '*' has no base; QUAL '*' (stored 0xff) has quality 0, below any
     * -Q but 0; no quality reaches -Q 256 */
    if (wk == we || wk->tid != c->tid || c->l_qseq == 0 || min_bq > 255)
        return;
    if (min_bq > 0 && qual[0] == 0xff)
        return;
    int minq = min_bq > 0 ? min_bq : 0;
    if (q0 < 0)
        add_cigar(b, wk, (int)(we - wk), 0, seq, qual, minq);
    else
        add_one_block(b, wk, we, seq, qual, q0, re, minq);
}

/* A read in one block (nearly all) goes straight to the windows its block
 * meets (add_one_block); any other takes the general walk of its CIGAR
 * (add_cigar).  The usual read at depth, one block that meets no window
 * past the one at the cursor and does not end that one's turn (it ends
 * after the read starts), with its qualities present, is added with no
 * window search: the piece of it inside that window, often all of it
 * (what the search and add_one_block would do with it, checked before). */
void vw_selfbg_add_parsed(const bam1_t *b, vw_selfwin_t *w, int n, int *cur, int min_bq, int q0, hts_pos_t re)
{
    const bam1_core_t *c = &b->core;
    const uint8_t *seq = bam_get_seq(b), *qual = seq + ((c->l_qseq + 1) >> 1);
    if (__builtin_expect(q0 >= 0 && *cur < n, 1)) {
        vw_selfwin_t *wk = w + *cur;
        /* (the cursor stays: the window ends after pos; no later window
         * begins before re on this contig; SEQ '*' has no QUAL to test) */
        if (wk->tid == c->tid && wk->end > c->pos && (*cur + 1 == n || wk[1].beg >= re || wk[1].tid != c->tid)
            && c->l_qseq > 0 && min_bq <= 255 && (min_bq <= 0 || qual[0] != 0xff)) {
            hts_pos_t a = c->pos > wk->beg ? c->pos : wk->beg, e = re < wk->end ? re : wk->end;
            int qa = q0 + (int)(a - c->pos), len = (int)(e - a);
            if (len > c->l_qseq - qa) /* a CIGAR longer than SEQ */
                len = c->l_qseq - qa;
            if (len > 0)
                add_block(wk, a - wk->beg, seq, qual, qa, len, min_bq > 0 ? min_bq : 0);
            return;
        }
    }
    add_searched(b, w, n, cur, min_bq, q0, re);
}

void vw_selfbg_add_read(const bam1_t *b, vw_selfwin_t *w, int n, int *cur, int min_bq)
{
    hts_pos_t re = 0;
    int q0 = vw_selfbg_one_block(b, &re);
    vw_selfbg_add_parsed(b, w, n, cur, min_bq, q0, re);
}

/* Base counts from the walk's form: the coverage is the prefix sum of the
 * difference array, and the guess's column is the coverage less the other
 * columns. */
static void win_finish(vw_selfwin_t *w)
{
    hts_pos_t len = w->end - w->beg;
    int64_t cov = 0;
    for (hts_pos_t p = 0; p < len; p++) {
        cov += w->diff[p];
        int g = w->ref[p] ? nt16_idx[w->ref[p]] : -1;
        if (g < 0)
            continue; /* no usable base here: cov is 0 */
        uint32_t *cp = w->cnt[p];
        cp[g] = (uint32_t)(cov - (int64_t)cp[0] - cp[1] - cp[2] - cp[3]);
    }
}

void vw_selfbg_summarise(vw_selfbg_t *r, vw_selfwin_t *w, const vw_targets_t *ts, const sam_hdr_t *h)
{
    win_finish(w);
    hts_pos_t len = w->end - w->beg;
    for (hts_pos_t p = 0; p < len; p++) {
        const uint32_t *cp = w->cnt[p];
        uint32_t tot = cp[0] + cp[1] + cp[2] + cp[3];
        if (tot < 10)
            continue;
        hts_pos_t gp = w->beg + p;
        int excluded = 0;
        for (int i = 0; i < ts->n && !excluded; i++) /* catalogue positions are left out */
            if (gp >= ts->t[i].beg && gp < ts->t[i].beg + (hts_pos_t)strlen(ts->t[i].ref) &&
                vw_contig_tid(h, ts->t[i].chrom) == w->tid)
                excluded = 1;
        if (excluded)
            continue;
        int rb = 0;
        for (int a = 1; a < 4; a++)
            if (cp[a] > cp[rb])
                rb = a;
        int poly = 0;
        for (int a = 0; a < 4; a++)
            if (a != rb && cp[a] > 0.1 * tot)
                poly = 1;
        if (poly)
            continue;
        r->n_pos++;
        r->have_disp = 1;
        for (int a = 0; a < 4; a++) {
            int cl = sub_class_idx(rb, a);
            if (cl < 0)
                continue;
            r->x[cl] += cp[a];
            r->j[cl]++;
            r->sxx[cl] += (double)cp[a] * (double)cp[a] / (double)tot;
            r->snn[cl] += (double)tot * (double)tot;
        }
        /* the class's denominator: every read at a REF base of the class */
        for (int cl = 0; cl < VW_N_SUB; cl++) {
            int cr = cl < 3 ? 1 : 3; /* C or T */
            if (rb == cr || rb == 3 - cr)
                r->n[cl] += tot;
        }
    }
}

/* What the walk of the windows needs per read. */
typedef struct {
    const vw_count_opt_t *opt;
    vw_selfwin_t *w;
    int cur;
} selfbg_walk_t;

static int selfbg_read(void *ud, const bam1_t *b, int span, uint64_t word)
{
    (void)word;
    selfbg_walk_t *x = ud;
    const bam1_core_t *c = &b->core;
    const vw_count_opt_t *opt = x->opt;
    if ((c->flag & opt->excl_flags) || (c->flag & opt->req_flags) != opt->req_flags || c->qual < opt->min_mq)
        return 0;
    vw_selfbg_add_read(b, &x->w[span], 1, &x->cur, opt->min_bq);
    return 0;
}

/* The self background in a pass of its own, window by window through the
 * index (vw_count_file computes the same in its counting pass when asked). */
int vw_count_self_bg(const char *path, const vw_targets_t *ts, const vw_count_opt_t *opt, int flank,
                     vw_selfbg_t *ret)
{
    if (!path || !ts || !opt || !ret || flank < 0)
        return -EINVAL;
    int rc, nw = 0;
    vw_aln_t *a = NULL;
    hts_idx_t *idx = NULL;
    vw_selfwin_t *w = NULL;
    vw_selfbg_t r;
    memset(&r, 0, sizeof(r));
    if ((rc = vw_aln_open(path, opt->reference, 0, 0, &a)) < 0 || (rc = vw_aln_index(a, NULL, &idx)) < 0)
        goto out;
    if ((nw = vw_selfbg_windows(ts, a->h, flank, &w)) < 0) {
        rc = nw;
        nw = 0;
        goto out;
    }
    /* one window at a time: its counts are summarised and freed before the next */
    for (int k = 0; k < nw && rc == 0; k++) {
        if ((rc = vw_selfwin_alloc(&w[k])) < 0)
            break;
        vw_aln_span_t sp = {w[k].tid, w[k].beg, w[k].end};
        selfbg_walk_t x = {opt, w + k, 0};
        vw_aln_reader_t rd = {NULL, NULL, selfbg_read, NULL, &x, 0};
        if ((rc = vw_aln_walk(a, idx, &sp, 1, opt->reference, &rd, NULL)) < 0)
            break;
        vw_selfbg_summarise(&r, &w[k], ts, a->h);
        vw_selfwin_free(&w[k]);
    }
out:
    for (int k = 0; k < nw; k++)
        vw_selfwin_free(&w[k]);
    free(w);
    if (idx)
        hts_idx_destroy(idx);
    rc = vw_aln_close(a, rc);
    if (rc == 0)
        *ret = r;
    return rc;
}
