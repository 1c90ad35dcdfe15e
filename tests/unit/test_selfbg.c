/* test_selfbg.c -- the self background's read walk (selfbg.c) against a
 * plain per-base count written here: random reads (soft clips, insertions,
 * deletions, N bases, low, missing and out-of-range base qualities, odd
 * and even query offsets) over several windows on two contigs; and long
 * clean reads, whose bases mostly pass 16 at a time. */
#include <stdlib.h>

#include <htslib/sam.h>

#include "vw_test.h"
#include "vafwatch/count.h"
#include "../../src/selfbg.h"

#define N_WIN 4

static const vw_selfwin_t win0[N_WIN] = {{.beg = 100, .end = 160, .tid = 0}, {.beg = 170, .end = 230, .tid = 0},
                                         {.beg = 400, .end = 421, .tid = 0}, {.beg = 50, .end = 90, .tid = 1}};

static uint64_t rng_state = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* The per-base rule of the self background, plainly: an aligned base (M, =,
 * X) inside a window, of quality >= min_bq, A/C/G/T, adds 1. */
static void naive_add(const bam1_t *b, uint32_t (*cnt[N_WIN])[4], int min_bq)
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
        int op = bam_cigar_op(cig[j]), ol = bam_cigar_oplen(cig[j]);
        int t = bam_cigar_type(op);
        for (int e = 0; e < ol && t == 3; e++) {
            int nib = bam_seqi(seq, qp + e), bi = nib == 1 ? 0 : nib == 2 ? 1 : nib == 4 ? 2 : nib == 8 ? 3 : -1;
            for (int k = 0; k < N_WIN; k++)
                if (win0[k].tid == c->tid && rp + e >= win0[k].beg && rp + e < win0[k].end && bi >= 0
                    && (no_qual || qual[qp + e] >= min_bq))
                    cnt[k][rp + e - win0[k].beg][bi]++;
        }
        if (t & 1)
            qp += ol;
        if (t & 2)
            rp += ol;
    }
}

/* 1: long blocks (17 to 156 bases), few errors and few low qualities, as in
 * real reads: most 16-base words pass whole, and the last bases of a block
 * are tested as the 16 that end it. */
static int clean;

/* A random read at tid:pos over a reference 'truth' (4-bit codes). */
static void random_read(bam1_t *b, int tid, hts_pos_t pos, const uint8_t *truth, int variant)
{
    uint32_t cig[8];
    int nc = 0, ql = 0;
    char seq[600];
    uint8_t qual[600];
    if (rnd(4) == 0) {
        int s = 1 + (int)rnd(5);
        cig[nc++] = bam_cigar_gen(s, BAM_CSOFT_CLIP);
        ql += s;
    }
    int n_blocks = 1 + (int)rnd(3);
    for (int k = 0; k < n_blocks; k++) {
        int m = clean ? 17 + (int)rnd(140) : 1 + (int)rnd(60);
        cig[nc++] = bam_cigar_gen(m, k == 1 && rnd(2) ? BAM_CEQUAL : BAM_CMATCH);
        ql += m;
        if (k + 1 < n_blocks) {
            int l = 1 + (int)rnd(3), ins = rnd(2);
            cig[nc++] = bam_cigar_gen(l, ins ? BAM_CINS : BAM_CDEL);
            ql += ins ? l : 0;
        }
    }
    hts_pos_t rp = pos;
    int qp = 0;
    for (int j = 0; j < nc; j++) {
        int t = bam_cigar_type(bam_cigar_op(cig[j])), ol = bam_cigar_oplen(cig[j]);
        for (int e = 0; e < ol && (t & 1); e++) {
            unsigned r = clean ? (rnd(500) == 0 ? 0 : 99) : rnd(100);
            int nib = (t == 3 && r >= 4) ? truth[rp + e] : (int)"\1\2\4\x8\xf\0"[rnd(6)]; /* with N and '=' */
            if (variant && t == 3 && r < 30 && (rp + e) % 7 == 0)
                nib = 8; /* a polymorphic column now and then */
            seq[qp + e] = seq_nt16_str[nib];
            unsigned qr = clean ? (rnd(300) == 0 ? 0 : 99) : rnd(100);
            qual[qp + e] = qr < 10 ? (uint8_t)rnd(20) : qr < 12 ? (uint8_t)(130 + rnd(100)) : (uint8_t)(30 + rnd(10));
        }
        if (t & 1)
            qp += ol;
        if (t & 2)
            rp += ol;
    }
    assert_int_equal(qp, ql);
    if (rnd(50) == 0)
        qual[0] = 0xff; /* QUAL '*' */
    if (qual[0] == 0xff)
        memset(qual, 0xff, (size_t)ql);
    assert_true(bam_set1(b, 4, "r1", BAM_FPAIRED, tid, pos, 60, (size_t)nc, cig, -1, -1, 0, (size_t)ql, seq,
                         (const char *)qual, 0) >= 0);
}

static void run_case(int min_bq, int n_reads, int variant)
{
    uint8_t truth[1000];
    for (int i = 0; i < 1000; i++)
        truth[i] = (uint8_t)"\1\2\4\x8"[rnd(4)];
    sam_hdr_t *h = sam_hdr_parse(40, "@SQ\tSN:c1\tLN:1000\n@SQ\tSN:c2\tLN:1000\n");
    assert_non_null(h);
    vw_selfwin_t w[N_WIN];
    uint32_t (*naive[N_WIN])[4];
    memcpy(w, win0, sizeof w);
    for (int k = 0; k < N_WIN; k++) {
        assert_int_equal(vw_selfwin_alloc(&w[k]), 0);
        naive[k] = calloc((size_t)(w[k].end - w[k].beg), sizeof(*naive[k]));
        assert_non_null(naive[k]);
    }
    bam1_t *b = bam_init1();
    int cur = 0;
    /* sorted reads: contig c1 from 40 to 460, then c2 */
    for (int i = 0; i < n_reads; i++) {
        int tid = i < n_reads * 4 / 5 ? 0 : 1;
        hts_pos_t pos = tid == 0 ? 40 + (hts_pos_t)i * 420 / (n_reads * 4 / 5) : (hts_pos_t)(i - n_reads * 4 / 5) * 100 / (n_reads / 5 + 1);
        random_read(b, tid, pos, truth, variant);
        vw_selfbg_add_read(b, w, N_WIN, &cur, min_bq);
        naive_add(b, naive, min_bq);
    }
    vw_targets_t *ts = vw_targets_init();
    uint64_t n_bases = 0;
    vw_selfbg_t r, rn;
    memset(&r, 0, sizeof r);
    memset(&rn, 0, sizeof rn);
    for (int k = 0; k < N_WIN; k++) {
        vw_selfbg_summarise(&r, &w[k], ts, h);
        /* after summarising, the window holds the plain base counts */
        for (hts_pos_t p = 0; p < w[k].end - w[k].beg; p++)
            for (int a = 0; a < 4; a++)
            {
                assert_int_equal(w[k].cnt[p][a], naive[k][p][a]);
                n_bases += naive[k][p][a];
            }
        vw_selfwin_t nw = w[k];
        nw.cnt = naive[k];
        memset(nw.ref, 0, (size_t)(nw.end - nw.beg));
        memset(nw.diff, 0, (size_t)(nw.end - nw.beg + 1) * sizeof(*nw.diff));
        vw_selfbg_summarise(&rn, &nw, ts, h);
    }
    assert_true(n_bases > 0);
    if (min_bq <= 40) /* (few bases pass -Q 200: positions under 10 reads are left out) */
        assert_true(r.n_pos > 0);
    assert_int_equal(r.n_pos, rn.n_pos);
    for (int cl = 0; cl < VW_N_SUB; cl++) {
        assert_int_equal(r.x[cl], rn.x[cl]);
        assert_int_equal(r.n[cl], rn.n[cl]);
    }
    for (int k = 0; k < N_WIN; k++) {
        vw_selfwin_free(&w[k]);
        assert_null(w[k].cnt);
        free(naive[k]);
    }
    vw_targets_destroy(ts);
    bam_destroy1(b);
    sam_hdr_destroy(h);
}

static void test_walk_q20(void **state) { (void)state; run_case(20, 4000, 0); }
static void test_walk_q0(void **state) { (void)state; run_case(0, 4000, 0); }
static void test_walk_q1_variant(void **state) { (void)state; run_case(1, 4000, 1); }
static void test_walk_q37(void **state) { (void)state; run_case(37, 4000, 1); }
static void test_walk_q200(void **state) { (void)state; run_case(200, 2000, 0); }
static void test_walk_clean(void **state) { (void)state; clean = 1; run_case(20, 4000, 0); clean = 0; }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_q20), cmocka_unit_test(test_walk_q0), cmocka_unit_test(test_walk_q1_variant),
        cmocka_unit_test(test_walk_q37), cmocka_unit_test(test_walk_q200), cmocka_unit_test(test_walk_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
