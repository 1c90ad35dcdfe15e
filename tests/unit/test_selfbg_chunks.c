/* test_selfbg_chunks.c -- the self background's chunked read walk
 * (selfbg.c: 32 bases tested at a time, the closer look at a chunk that
 * is not plain, runs of low qualities) against a plain base-by-base count
 * written here.  The reads are built to hit the walk's edges: blocks of
 * every length around the chunk size, odd and even query and window
 * starts, soft clips, reads partly outside the window, low-quality runs
 * that start, end or cross at chunk bounds, mismatches, N and '=' bases at
 * the bounds, first reads at positions with no guess yet.  After each
 * read, the coverage (the prefix sum of the difference array) and the
 * non-guess columns are compared with the reference at every position;
 * after the last, the summarised base counts.
 *
 * Built twice by tests/meson.build: with the library's walk (SSE2 on x86)
 * and with selfbg.c compiled here with VW_SELFBG_PORTABLE (the word-wise
 * chunk test of other machines). */
#include <stdlib.h>

#include <htslib/sam.h>

#include "vw_test.h"
#include "vafwatch/count.h"
#include "../../src/selfbg.h"

#define WBEG 1000
#define WEND 1301 /* odd length */
#define WLEN (WEND - WBEG)
#define REFLEN 2000

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* The reference: per position, the reads showing each base (A/C/G/T,
 * quality >= min_bq, aligned in an M/=/X block inside the window). */
typedef struct {
    uint32_t cnt[WLEN][4];
} naive_t;

static int nt16_base(int nib) { return nib == 1 ? 0 : nib == 2 ? 1 : nib == 4 ? 2 : nib == 8 ? 3 : -1; }

static void naive_add(const bam1_t *b, naive_t *nv, int min_bq)
{
    const bam1_core_t *c = &b->core;
    const uint8_t *qual = bam_get_qual(b), *seq = bam_get_seq(b);
    int no_qual = qual[0] == 0xff;
    if (c->l_qseq == 0 || (no_qual && min_bq > 0))
        return;
    const uint32_t *cig = bam_get_cigar(b);
    hts_pos_t rp = c->pos;
    int qp = 0;
    for (uint32_t j = 0; j < c->n_cigar; j++) {
        int t = bam_cigar_type(bam_cigar_op(cig[j])), ol = bam_cigar_oplen(cig[j]);
        for (int e = 0; e < ol && t == 3; e++) {
            int bi = nt16_base(bam_seqi(seq, qp + e));
            if (rp + e >= WBEG && rp + e < WEND && bi >= 0 && (no_qual || qual[qp + e] >= min_bq))
                nv->cnt[rp + e - WBEG][bi]++;
        }
        if (t & 1)
            qp += ol;
        if (t & 2)
            rp += ol;
    }
}

/* The window's state against the reference, before summarising: the
 * coverage of usable bases and, where a guess is set, the other columns;
 * where none is set, no usable base was seen. */
static void check_state(const vw_selfwin_t *w, const naive_t *nv)
{
    int64_t cov = 0;
    for (int p = 0; p < WLEN; p++) {
        cov += w->diff[p];
        const uint32_t *r = nv->cnt[p];
        uint32_t tot = r[0] + r[1] + r[2] + r[3];
        assert_int_equal(cov, tot);
        int g = nt16_base(w->ref[p]);
        if (w->ref[p] == 0) {
            assert_int_equal(tot, 0);
            continue;
        }
        assert_true(g >= 0);
        for (int a = 0; a < 4; a++)
            if (a != g)
                assert_int_equal(w->cnt[p][a], r[a]);
        /* the packed copies hold the same guess */
        for (int o = 0; o < 2; o++)
            assert_int_equal(w->pk[o][(p + o) >> 1] >> (((p + o) & 1) ? 0 : 4) & 15, w->ref[p]);
    }
}

static const uint8_t acgt[4] = {1, 2, 4, 8};

/* A read of m aligned bases at pos (soft clips of sl and sr bases around
 * them, or a 2-base deletion in the middle when del) over the reference
 * 'truth': bases copied from it, then edits at chosen offsets of the
 * aligned part (1 in 8 qualities are 200 to 254; 1 read in 60 has QUAL
 * '*').  kind: 0 clean, 1 a low-quality run [r0, r1), 2
 * mismatches, 3 N and '=' bases, 4 all mixed at random. */
static void make_read(bam1_t *b, const uint8_t *truth, hts_pos_t pos, int m, int sl, int sr, int del, int kind,
                      int r0, int r1)
{
    char seq[400];
    uint8_t qual[400];
    int ql = sl + m + sr;
    for (int i = 0; i < ql; i++) {
        seq[i] = seq_nt16_str[acgt[rnd(4)]];
        qual[i] = (uint8_t)(30 + rnd(10));
    }
    int d = del ? m / 2 : m; /* bases before the deletion */
    for (int i = 0; i < m; i++) {
        hts_pos_t rp = pos + i + (i >= d ? 2 : 0);
        seq[sl + i] = seq_nt16_str[truth[rp]];
    }
    if (kind == 1 || kind == 4)
        for (int i = r0; i < r1 && i < m; i++)
            qual[sl + i] = (uint8_t)(2 + rnd(18)); /* below -Q 20 */
    if (kind == 2 || kind == 4) /* a mismatch at the chunk bounds and one at random */
        for (int i = 0; i < m; i++)
            if (i % 32 == 31 || i % 32 == 0 || i == m - 1 || rnd(40) == 0)
                seq[sl + i] = seq_nt16_str[acgt[(nt16_base(truth[pos + i]) + 1 + rnd(3)) & 3]];
    if (kind == 3 || kind == 4)
        for (int i = 0; i < m; i++)
            if (i % 32 == 30 || i % 32 == 1 || rnd(50) == 0)
                seq[sl + i] = rnd(2) ? 'N' : '=';
    if (kind == 4)
        for (int i = 0; i < m; i++)
            if (rnd(30) == 0)
                qual[sl + i] = (uint8_t)rnd(20);
    for (int i = 0; i < ql; i++) /* now and then one out of the usual range (saturation near 255) */
        if (rnd(8) == 0)
            qual[i] = (uint8_t)(200 + rnd(55));
    if (rnd(60) == 0) /* QUAL '*' */
        memset(qual, 0xff, (size_t)ql);
    uint32_t cig[5];
    int nc = 0;
    if (sl)
        cig[nc++] = bam_cigar_gen(sl, BAM_CSOFT_CLIP);
    if (del) {
        cig[nc++] = bam_cigar_gen(d, BAM_CMATCH);
        cig[nc++] = bam_cigar_gen(2, BAM_CDEL);
        cig[nc++] = bam_cigar_gen(m - d, BAM_CMATCH);
    } else {
        cig[nc++] = bam_cigar_gen(m, rnd(4) ? BAM_CMATCH : BAM_CEQUAL);
    }
    if (sr)
        cig[nc++] = bam_cigar_gen(sr, BAM_CSOFT_CLIP);
    assert_true(bam_set1(b, 2, "r", 0, 0, pos, 60, (size_t)nc, cig, -1, -1, 0, (size_t)ql, seq, (const char *)qual, 0)
                >= 0);
}

typedef struct {
    vw_selfwin_t w;
    naive_t *nv;
    uint8_t truth[REFLEN];
    bam1_t *b;
    int cur, min_bq;
    long n_reads;
} fixture_t;

static void fx_init(fixture_t *f, int min_bq)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < REFLEN; i++)
        f->truth[i] = acgt[rnd(4)];
    f->w = (vw_selfwin_t){.beg = WBEG, .end = WEND, .tid = 0};
    assert_int_equal(vw_selfwin_alloc(&f->w), 0);
    f->nv = calloc(1, sizeof *f->nv);
    assert_non_null(f->nv);
    f->b = bam_init1();
    f->min_bq = min_bq;
}

static void fx_add(fixture_t *f)
{
    vw_selfbg_add_read(f->b, &f->w, 1, &f->cur, f->min_bq);
    naive_add(f->b, f->nv, f->min_bq);
    f->n_reads++;
    check_state(&f->w, f->nv);
}

/* After the last read: the summarised window holds the reference counts. */
static void fx_finish(fixture_t *f)
{
    sam_hdr_t *h = sam_hdr_parse(23, "@SQ\tSN:c1\tLN:2000\n");
    assert_non_null(h);
    vw_targets_t *ts = vw_targets_init();
    vw_selfbg_t r;
    memset(&r, 0, sizeof r);
    vw_selfbg_summarise(&r, &f->w, ts, h);
    uint64_t n = 0;
    for (int p = 0; p < WLEN; p++)
        for (int a = 0; a < 4; a++) {
            assert_int_equal(f->w.cnt[p][a], f->nv->cnt[p][a]);
            n += f->nv->cnt[p][a];
        }
    assert_true(n > 0);
    vw_targets_destroy(ts);
    sam_hdr_destroy(h);
    vw_selfwin_free(&f->w);
    free(f->nv);
    bam_destroy1(f->b);
}

/* Low-quality runs at every start and end around the chunk bounds of a
 * 100-base read (bounds at 32, 64 and the last chunk at 68), at both
 * parities of the query start, over positions that already have guesses
 * and (the first reads) positions that do not. */
static void test_low_runs(void **state)
{
    (void)state;
    fixture_t f;
    fx_init(&f, 20);
    static const int edges[] = {0, 1, 2, 30, 31, 32, 33, 63, 64, 65, 67, 68, 69, 95, 96, 98, 99, 100};
    int ne = (int)(sizeof edges / sizeof *edges);
    for (int a = 0; a < ne; a++)
        for (int z = a + 1; z < ne; z++)
            for (int sl = 0; sl < 2; sl++) { /* odd and even window offsets, positions in order */
                make_read(f.b, f.truth, WBEG + 3 + f.n_reads / 16, 100, sl, 0, 0, 1, edges[a], edges[z]);
                fx_add(&f);
            }
    fx_finish(&f);
}

/* Blocks of every length from 1 to 140 (around one, two and three chunks),
 * with 0 to 3 soft-clipped bases before and after them, clean and with
 * mismatches, N and '=' bases and low qualities. */
static void test_lengths(void **state)
{
    (void)state;
    fixture_t f;
    fx_init(&f, 20);
    hts_pos_t pos = WBEG;
    for (int m = 1; m <= 140; m++)
        for (int kind = 0; kind <= 4; kind++) {
            int r0 = (int)rnd((unsigned)m), r1 = r0 + 1 + (int)rnd(40);
            make_read(f.b, f.truth, pos, m, (int)rnd(4), (int)rnd(4), 0, kind, r0, r1);
            fx_add(&f);
            if (rnd(3) == 0 && pos + 140 < WEND)
                pos++;
        }
    fx_finish(&f);
}

/* Reads sliding over both ends of the window (partly outside: the piece
 * inside starts at an odd or even query position), some with a deletion
 * (two blocks: the general CIGAR walk), all kinds of edits; then -Q 0 and
 * -Q 200 on the same kind of reads. */
static void run_slide(int min_bq)
{
    fixture_t f;
    fx_init(&f, min_bq);
    for (hts_pos_t pos = WBEG - 160; pos < WEND + 10; pos += 1 + (hts_pos_t)rnd(3))
        for (int k = 0; k < 3; k++) {
            int m = 33 + (int)rnd(120), r0 = (int)rnd((unsigned)m);
            make_read(f.b, f.truth, pos, m, (int)rnd(3), (int)rnd(3), rnd(5) == 0, (int)rnd(5), r0,
                      r0 + (int)rnd(50));
            fx_add(&f);
        }
    fx_finish(&f);
}

static void test_slide_q20(void **state) { (void)state; run_slide(20); }
static void test_slide_q0(void **state) { (void)state; run_slide(0); }
static void test_slide_q200(void **state) { (void)state; run_slide(200); }

/* A column whose guess is not the majority base: the first read at each
 * position carries a mismatch, so later clean reads all differ from the
 * guesses there (chunks not plain at every read). */
static void test_wrong_first_guess(void **state)
{
    (void)state;
    fixture_t f;
    fx_init(&f, 20);
    make_read(f.b, f.truth, WBEG + 10, 150, 0, 0, 0, 2, 0, 0);
    fx_add(&f);
    for (int k = 0; k < 40; k++) {
        make_read(f.b, f.truth, WBEG + 10 + k, 100 + (int)rnd(30), (int)rnd(2), 0, 0, rnd(3) ? 0 : 4, 40, 70);
        fx_add(&f);
    }
    fx_finish(&f);
}

/* A '=' base (code 0) at a position with no guess yet (code 0 too), the
 * rest of its chunk plain: the chunk test must not take the two for equal.
 * Every earlier read has an N or a low quality there. */
static void test_eq_at_unset(void **state)
{
    (void)state;
    fixture_t f;
    fx_init(&f, 20);
    for (int k = 0; k < 4; k++) { /* the same 100 bases, clean but at base 40 + k: an N, then a '=' */
        for (int eq = 0; eq < 2; eq++) {
            bam1_t *b = f.b;
            make_read(b, f.truth, WBEG + 20, 100, 0, 0, 0, 0, 0, 0);
            uint8_t *seq = bam_get_seq(b), *qual = bam_get_qual(b);
            for (int i = 0; i < 100; i++) /* no QUAL '*', no quality out of range */
                qual[i] = 35;
            int i = 40 + k, sh = i & 1 ? 0 : 4;
            if (!eq && k & 1)
                qual[i] = 5; /* a low quality instead of the N */
            seq[i >> 1] = (uint8_t)((seq[i >> 1] & (0xf0 >> sh)) | (eq ? 0 : 15) << sh);
            fx_add(&f);
        }
    }
    fx_finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_low_runs),   cmocka_unit_test(test_lengths),    cmocka_unit_test(test_slide_q20),
        cmocka_unit_test(test_slide_q0),   cmocka_unit_test(test_slide_q200), cmocka_unit_test(test_wrong_first_guess),
        cmocka_unit_test(test_eq_at_unset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
