/* test_umi.c -- UMIs: extraction, directional grouping, consensus, the
 * collector on hand-made records, and UMI-tools' own grouping of real reads.
 *
 * Expected numbers are hand counts of the records written here, or
 * UMI-tools' output (../shared/data/reads/umitools, see its MANIFEST). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>
#include <htslib/sam.h>

#include "vw_test.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/umi.h"

/* One header for the hand-made records. */
static sam_hdr_t *hdr(void)
{
    static const char txt[] = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:100000\n";
    sam_hdr_t *h = sam_hdr_parse(sizeof txt - 1, txt);
    assert_non_null(h);
    return h;
}

static bam1_t *rec(sam_hdr_t *h, const char *line)
{
    bam1_t *b = bam_init1();
    kstring_t ks = {0, 0, NULL};
    kputs(line, &ks);
    assert_true(sam_parse1(&ks, h, b) >= 0);
    free(ks.s);
    return b;
}

static void test_extract(void **state)
{
    (void)state;
    sam_hdr_t *h = hdr();
    char u[VW_UMI_MAX];
    int sep;
    bam1_t *b = rec(h, "r1_acgTN\t0\tc1\t100\t60\t10M\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:AAT-CCG");
    assert_int_equal(vw_umi_extract(b, VW_UMI_NAME, u, &sep), VW_UMI_OK);
    assert_string_equal(u, "ACGTN");
    assert_int_equal(sep, -1);
    assert_int_equal(vw_umi_extract(b, VW_UMI_TAG, u, &sep), VW_UMI_OK);
    assert_string_equal(u, "AAT-CCG");
    assert_int_equal(sep, 3);
    assert_int_equal(vw_umi_detect(b), VW_UMI_TAG);
    bam_destroy1(b);
    /* Illumina name: the last ':' field is not a UMI -> none; bcl-convert '+' duplex -> '-' */
    b = rec(h, "A00:1:FC:1:1101:1000:2000\t0\tc1\t100\t60\t10M\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII");
    assert_int_equal(vw_umi_extract(b, VW_UMI_NAME, u, &sep), VW_UMI_NONE);
    assert_int_equal(vw_umi_extract(b, VW_UMI_TAG, u, &sep), VW_UMI_NONE);
    assert_int_equal(vw_umi_detect(b), -1);
    bam_destroy1(b);
    b = rec(h, "A00:1:FC:1:1101:1000:2000:ACGT+TTGA\t0\tc1\t100\t60\t10M\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII");
    assert_int_equal(vw_umi_extract(b, VW_UMI_NAME, u, &sep), VW_UMI_OK);
    assert_string_equal(u, "ACGT-TTGA");
    assert_int_equal(vw_umi_detect(b), VW_UMI_NAME);
    bam_destroy1(b);
    /* malformed tags */
    static const char *bad[] = {"RX:Z:AC1T", "RX:Z:AC-GT-AA", "RX:Z:-ACGT", "RX:Z:ACGT-", "RX:i:5",
                                "RX:Z:ACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTA"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char line[256];
        snprintf(line, sizeof line, "r\t0\tc1\t100\t60\t10M\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII\t%s", bad[i]);
        b = rec(h, line);
        assert_int_equal(vw_umi_extract(b, VW_UMI_TAG, u, &sep), VW_UMI_BAD);
        bam_destroy1(b);
    }
    sam_hdr_destroy(h);
}

static void test_key(void **state)
{
    (void)state;
    sam_hdr_t *h = hdr();
    vw_umi_key_t k1, k2;
    /* single-end reverse read 100-109 (1-based) with 3S at the end: 5' end = 0-based 109 + 3 = 112 */
    bam1_t *b = rec(h, "r\t16\tc1\t100\t60\t10M3S\t*\t0\t0\tAAAAAAAAAAAAA\tIIIIIIIIIIIII");
    vw_umi_key_of(b, 0, &k1);
    assert_int_equal(k1.pos, 112);
    assert_int_equal(k1.span, -1);
    assert_int_equal(k1.strand, 1);
    bam_destroy1(b);
    /* forward read at 100 with 2S: 0-based 99 - 2 = 97 */
    b = rec(h, "r\t0\tc1\t100\t60\t2S8M\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII");
    vw_umi_key_of(b, 0, &k1);
    assert_int_equal(k1.pos, 97);
    assert_int_equal(k1.strand, 0);
    bam_destroy1(b);
    /* an F2R1 pair (read 1 reverse at 241-250, read 2 forward at 100): read 1's
     * key is its 5' end, 0-based 240 + 10 = 250, TLEN -151, reverse */
    b = rec(h, "p\t83\tc1\t241\t60\t10M\t=\t100\t-151\tAAAAAAAAAA\tIIIIIIIIII");
    assert_int_equal(vw_umi_key_of(b, 0, &k1), 0);
    assert_int_equal(k1.pos, 250);
    assert_int_equal(k1.span, -151);
    assert_int_equal(k1.strand, 1);
    assert_int_equal(vw_umi_key_of(b, 1, &k2), 0); /* duplex: leftmost 99, |TLEN| */
    assert_int_equal(k2.pos, 99);
    assert_int_equal(k2.span, 151);
    assert_int_equal(k2.strand, 1);
    bam_destroy1(b);
    /* read 2 with MC: read 1's key exactly; without: from TLEN (99 + 151), an estimate */
    b = rec(h, "p\t163\tc1\t100\t60\t10M\t=\t241\t151\tAAAAAAAAAA\tIIIIIIIIII\tMC:Z:10M");
    assert_int_equal(vw_umi_key_of(b, 0, &k2), 0);
    assert_true(k1.tid == k2.tid && k1.pos == k2.pos && k1.span == k2.span && k1.strand == k2.strand);
    bam_destroy1(b);
    b = rec(h, "p\t163\tc1\t100\t60\t10M\t=\t241\t151\tAAAAAAAAAA\tIIIIIIIIII\tMC:Z:8M2S");
    assert_int_equal(vw_umi_key_of(b, 0, &k2), 0);
    assert_int_equal(k2.pos, 250); /* 240 + 8 + 2 */
    bam_destroy1(b);
    b = rec(h, "p\t163\tc1\t100\t60\t10M\t=\t241\t151\tAAAAAAAAAA\tIIIIIIIIII");
    assert_int_equal(vw_umi_key_of(b, 0, &k2), 1);
    assert_int_equal(k2.pos, 250);
    assert_int_equal(k2.span, -151);
    assert_int_equal(k2.strand, 1);
    assert_int_equal(vw_umi_key_of(b, 1, &k2), 0);
    assert_int_equal(k2.pos, 99);
    bam_destroy1(b);
    sam_hdr_destroy(h);
}

static void test_directional(void **state)
{
    (void)state;
    int g[8];
    /* hand-drawn graph: ACGT 456 -> AAGT 90 (456 >= 179), ACGT -> ACAT 72,
     * ACAT -> ACAG 1 (72 >= 1): one group; TTGT 75 -> TTGG 3 (75 >= 5), and
     * TTGT is two mismatches from every UMI of the first group */
    const char *u1[] = {"ACGT", "AAGT", "ACAT", "ACAG", "TTGT", "TTGG"};
    int64_t c1[] = {456, 90, 72, 1, 75, 3};
    assert_int_equal(vw_umi_directional(u1, c1, 6, g), 2);
    int e1[] = {0, 0, 0, 0, 1, 1};
    assert_memory_equal(g, e1, sizeof e1);
    /* no edge when count(a) < 2 count(b) - 1: 5 and 4 (5 < 7) stay apart */
    const char *u2[] = {"AAAA", "AAAT"};
    int64_t c2[] = {5, 4};
    assert_int_equal(vw_umi_directional(u2, c2, 2, g), 2);
    assert_int_equal(g[0], 0);
    assert_int_equal(g[1], 1);
    /* ties go to the first seen: TATA 2 and AAAA 2 both have an edge to AATA 1
     * (2 >= 1); TATA, seen first, takes it */
    const char *u3[] = {"TATA", "AAAA", "AATA"};
    int64_t c3[] = {2, 2, 1};
    assert_int_equal(vw_umi_directional(u3, c3, 3, g), 2);
    int e3[] = {0, 1, 0};
    assert_memory_equal(g, e3, sizeof e3);
    /* a chain: AAAA 10 -> AAAC 5 (10 >= 9) -> AACC 2 (5 >= 3), though AAAA and
     * AACC differ at two positions: one group; GGGG alone */
    const char *u4[] = {"AAAA", "AAAC", "GGGG", "AACC"};
    int64_t c4[] = {10, 5, 4, 2};
    assert_int_equal(vw_umi_directional(u4, c4, 4, g), 2);
    int e4[] = {0, 0, 1, 0};
    assert_memory_equal(g, e4, sizeof e4);
    /* different lengths are never adjacent; n = 0 */
    const char *u5[] = {"AAAA", "AAAAT"};
    int64_t c5[] = {9, 1};
    assert_int_equal(vw_umi_directional(u5, c5, 2, g), 2);
    assert_int_equal(vw_umi_directional(NULL, NULL, 0, g), 0);
}

/* Many UMIs (the half-index search for neighbours, on packed UMIs) against
 * a plain all-pairs reading of the rule written here: same groups.  UMIs of
 * L characters from the first 'na' letters of "ACGTN-". */
static void directional_many(int L, int na)
{
    enum { N = 3000, LM = 21 };
    static char buf[N][LM + 1];
    const char *u[N];
    int64_t c[N];
    int g[N], want[N];
    uint64_t x = 12345;
    int n = 0;
    while (n < N) {
        /* a few hundred "true" UMIs, each with one-mismatch offspring of smaller counts */
        char base[LM + 1];
        for (int k = 0; k < L; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            base[k] = "ACGTN-"[((x >> 33) & 0xffff) % (uint64_t)na];
        }
        base[L] = '\0';
        for (int m = 0; m < 8 && n < N; m++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            memcpy(buf[n], base, L + 1);
            if (m)
                buf[n][(x >> 20) % (uint64_t)L] = "ACGTN-"[((x >> 40) & 0xffff) % (uint64_t)na];
            int dup = 0;
            for (int j = 0; j < n && !dup; j++)
                dup = !strcmp(buf[j], buf[n]);
            if (dup)
                continue;
            u[n] = buf[n];
            c[n] = m ? 1 + (int64_t)((x >> 50) % 4) : 20 + (int64_t)((x >> 45) % 30);
            n++;
        }
    }
    int ng = vw_umi_directional(u, c, n, g);
    assert_true(ng > 0);
    /* the rule read plainly: visit by count (ties: index), take what is reachable */
    static char adj[N][N];
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            int d = 0;
            for (int k = 0; k < L; k++)
                d += u[a][k] != u[b][k];
            adj[a][b] = d == 1 && c[a] >= 2 * c[b] - 1;
        }
    int taken = 0, ngw = 0;
    for (int i = 0; i < n; i++)
        want[i] = -1;
    while (taken < n) {
        int s = -1;
        for (int i = 0; i < n; i++)
            if (want[i] < 0 && (s < 0 || c[i] > c[s]))
                s = i;
        static int q[N];
        static char seen[N];
        memset(seen, 0, sizeof seen);
        int qh = 0, qt = 0;
        q[qt++] = s;
        seen[s] = 1;
        while (qh < qt) {
            int v = q[qh++];
            if (want[v] < 0) {
                want[v] = ngw;
                taken++;
            }
            for (int w = 0; w < n; w++)
                if (adj[v][w] && !seen[w]) {
                    seen[w] = 1;
                    q[qt++] = w;
                }
        }
        ngw++;
    }
    assert_int_equal(ng, ngw);
    assert_memory_equal(g, want, (size_t)n * sizeof(int));
}

static void test_directional_many(void **state)
{
    (void)state;
    directional_many(8, 4);   /* even length, ACGT */
    directional_many(13, 6);  /* odd length, N and the duplex separator too */
    directional_many(21, 4);  /* the longest packed UMI */
}

static void test_vote(void **state)
{
    (void)state;
    uint32_t c[] = {1, 1, 2};
    uint8_t q[] = {30, 30, 30};
    /* 2/3 of the weight for code 1: passes 0.66, fails 0.7 */
    assert_int_equal(vw_umi_vote(c, q, 3, 0.66), 1);
    assert_int_equal(vw_umi_vote(c, q, 3, 0.7), 0);
    /* quality-aware: one Q40 against two Q10 -> 40/60 for code 2 */
    uint8_t q2[] = {10, 10, 40};
    assert_int_equal(vw_umi_vote(c, q2, 3, 0.6), 2);
    /* a zero code does not vote; a zero quality weighs 30 */
    uint32_t c3[] = {0, 5};
    uint8_t q3[] = {40, 0};
    assert_int_equal(vw_umi_vote(c3, q3, 2, 1.0), 5);
    assert_int_equal(vw_umi_vote(c3, q3, 0, 0.5), 0);
    /* a pair of two disagreeing votes has no 2/3 consensus */
    uint32_t c4[] = {1, 2};
    uint8_t q4[] = {30, 30};
    assert_int_equal(vw_umi_vote(c4, q4, 2, 0.66), 0);
}

static void add(vw_umi_col_t *col, sam_hdr_t *h, const char *line, uint32_t code, int expect)
{
    bam1_t *b = rec(h, line);
    vw_umi_obs_t o = {0, code, 30, 60};
    assert_int_equal(vw_umi_col_add(col, b, &o, 1), expect);
    bam_destroy1(b);
}

/* Duplex: A-B with read 1 forward and B-A with read 1 reverse at one
 * position are one molecule, duplex when both strands agree. */
static void test_duplex(void **state)
{
    (void)state;
    sam_hdr_t *h = hdr();
    vw_umi_col_t *col = vw_umi_col_init(1, VW_UMI_AUTO);
    assert_non_null(col);
    const char *R = "\tc1\t100\t60\t10M\t=\t191\t101\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:";
    char line[256];
    /* molecule 1 (AAA/CCC): top strand 3 fragments alt(2), one of them with a
     * disagreeing mate; bottom strand 2 fragments alt: duplex alt */
    struct { const char *name; int flag; const char *umi; uint32_t code; } r[] = {
        {"t1", 99, "AAA-CCC", 2}, {"t2", 99, "AAA-CCC", 2}, {"t3", 99, "AAA-CCC", 2},
        {"b1", 163, "CCC-AAA", 2}, {"b2", 163, "CCC-AAA", 2},
        /* molecule 2 (GGG/TTT): top strand ref, bottom strand alt: no consensus */
        {"u1", 99, "GGG-TTT", 1}, {"u2", 163, "TTT-GGG", 2},
        /* a UMI error: AAT-CCC (1 fragment) is one mismatch from AAA-CCC (5 fragments,
         * 5 >= 1): it joins molecule 1's top strand as a 4th fragment, with ref */
        {"e1", 99, "AAT-CCC", 1},
    };
    for (size_t i = 0; i < sizeof r / sizeof *r; i++) {
        snprintf(line, sizeof line, "%s\t%d%s%s", r[i].name, r[i].flag, R, r[i].umi);
        add(col, h, line, r[i].code, 0);
    }
    /* the disagreeing mate of t3 (read 2 of the top strand, same key) */
    add(col, h, "t3\t147\tc1\t191\t60\t10M\t=\t100\t-101\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:AAA-CCC", 1, 0);
    /* bad input: no separator in a duplex file, no tag */
    add(col, h, "x1\t99\tc1\t100\t60\t10M\t=\t191\t101\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:AAACCC", 2, 1);
    add(col, h, "x2\t99\tc1\t100\t60\t10M\t=\t191\t101\tAAAAAAAAAA\tIIIIIIIIII", 2, 1);
    assert_int_equal(vw_umi_col_pending(col, 0), 9); /* x1, x2 skipped */
    const vw_umi_mol_t *m;
    int n, *em = NULL;
    assert_int_equal(vw_umi_col_resolve(col, 0, 0.66, &m, &n, &em), 0);
    assert_int_equal(n, 2);
    /* sorted by UMI: AAA-CCC first */
    assert_int_equal(m[0].size_a, 4); /* t1 t2 t3 e1 */
    assert_int_equal(m[0].size_b, 2);
    assert_int_equal(m[0].size, 6);
    assert_int_equal(m[0].code, 2); /* top: t1 t2 alt (Q30 each), t3 no vote, e1 ref: 60/90 >= 0.66 */
    assert_int_equal(m[0].duplex, 1);
    assert_int_equal(m[0].fraglen, 101);
    assert_int_equal(m[1].size, 2);
    assert_int_equal(m[1].code, 0);
    assert_int_equal(m[1].duplex, 0);
    /* entry order: t1..e1 (8), then t3's mate */
    int e[] = {0, 0, 0, 0, 0, 1, 1, 0, 0};
    assert_memory_equal(em, e, sizeof e);
    free(em);
    const vw_umi_stats_t *st = vw_umi_col_stats(col);
    assert_int_equal(st->source, VW_UMI_TAG);
    assert_int_equal(st->duplex, 1);
    assert_int_equal(st->n_no_sep, 1);
    assert_int_equal(st->n_no_umi, 1);
    assert_int_equal(vw_umi_col_pending(col, 0), 0);
    vw_umi_col_destroy(col);
    /* AUTO with a first read without any UMI: an error */
    col = vw_umi_col_init(1, VW_UMI_AUTO);
    add(col, h, "plain\t0\tc1\t100\t60\t10M\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII", 1, VW_EINPUT);
    vw_umi_col_destroy(col);
    vw_umi_col_destroy(NULL);
    sam_hdr_destroy(h);
}

/* The collector's two sorts give the same molecules: UMIs of 10 bases are
 * packed into integers and radix-sorted; the same UMIs with 14 more bases
 * (the same in every read, so the distances do not change) are too long to
 * pack and go through qsort and the all-pairs neighbour search.  One
 * amplicon-like position holds a few hundred UMIs (the radix sorts of the
 * neighbour search), others a few; random alleles, names, strands, UMI errors. */
static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void collect_random(vw_umi_col_t *col, sam_hdr_t *h, const char *suffix)
{
    uint64_t x = 88172645463325252ULL;
#define NEXT() xorshift(&x)
    char line[512], umi[64];
    int nr = 0;
    for (int mol = 0; mol < 600; mol++) {
        char u[11];
        for (int k = 0; k < 10; k++)
            u[k] = "ACGT"[NEXT() % 4];
        u[10] = '\0';
        int pos = mol < 400 ? 1000 : 1000 + (int)(NEXT() % 5) * 37;
        int flag = mol < 400 ? 0 : (NEXT() % 2) * 16, copies = 1 + (int)(NEXT() % 5);
        for (int c = 0; c < copies; c++) {
            snprintf(umi, sizeof umi, "%s%s", u, suffix);
            if (NEXT() % 10 == 0) {
                int k = (int)(NEXT() % 10);
                umi[k] = "ACGT"[NEXT() % 4]; /* a UMI error (or none) */
            }
            snprintf(line, sizeof line, "r%d\t%d\tc1\t%d\t60\t10M\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:%s",
                     nr++, flag, pos, umi);
            add(col, h, line, 1 + (uint32_t)(NEXT() % 8 == 0), 0);
        }
    }
#undef NEXT
}

static void test_sort_paths(void **state)
{
    (void)state;
    sam_hdr_t *h = hdr();
    vw_umi_col_t *c1 = vw_umi_col_init(1, VW_UMI_TAG), *c2 = vw_umi_col_init(1, VW_UMI_TAG);
    collect_random(c1, h, "");
    collect_random(c2, h, "ACGTACGTACGTAC");
    int64_t n = vw_umi_col_pending(c1, 0);
    assert_true(n > 1000);
    assert_int_equal(vw_umi_col_pending(c2, 0), n);
    const vw_umi_mol_t *m1, *m2;
    int n1, n2, *e1 = NULL, *e2 = NULL;
    assert_int_equal(vw_umi_col_resolve(c1, 0, 0.66, &m1, &n1, &e1), 0);
    assert_int_equal(vw_umi_col_resolve(c2, 0, 0.66, &m2, &n2, &e2), 0);
    assert_true(n1 > 500 && n1 < 600); /* some UMI errors merged back */
    assert_int_equal(n1, n2);
    for (int i = 0; i < n1; i++) {
        assert_int_equal(m1[i].size, m2[i].size);
        assert_int_equal(m1[i].code, m2[i].code);
        assert_int_equal(m1[i].strand, m2[i].strand);
    }
    assert_memory_equal(e1, e2, (size_t)n * sizeof(int));
    free(e1);
    free(e2);
    vw_umi_col_destroy(c1);
    vw_umi_col_destroy(c2);
    sam_hdr_destroy(h);
}

/* The molecule unit through vw_count_file (stream, with and without the
 * decoding thread).  Target sim1:101 C>T; read base 7 of a read at 95 is
 * position 101.  Hand count:
 *   m1 AAAA/CCCC: top strand 2 copies T, bottom strand 1 copy T -> duplex ALT, size 3
 *   m2 GGGG/TTTT: top strand 3 copies C, C, T (Q40 each) -> REF (2/3), size 3
 *   m3 ACGT/ACGT: one copy C -> REF, a singleton
 *   u1: no RX tag -> skipped (counted) */
static const char *mol_sam =
    "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n@RG\tID:a\tSM:mol\n"
    "a1\t99\tsim1\t95\t60\t10M\t=\t150\t65\tAAAAAATAAA\tIIIIIIIIII\tRX:Z:AAAA-CCCC\tMC:Z:10M\n"
    "a2\t99\tsim1\t95\t60\t10M\t=\t150\t65\tAAAAAATAAA\tIIIIIIIIII\tRX:Z:AAAA-CCCC\tMC:Z:10M\n"
    "b1\t163\tsim1\t95\t60\t10M\t=\t150\t65\tAAAAAATAAA\tIIIIIIIIII\tRX:Z:CCCC-AAAA\tMC:Z:10M\n"
    "c1\t99\tsim1\t96\t60\t10M\t=\t150\t64\tAAAAACAAAA\tIIIIIIIIII\tRX:Z:GGGG-TTTT\tMC:Z:10M\n"
    "c2\t99\tsim1\t96\t60\t10M\t=\t150\t64\tAAAAACAAAA\tIIIIIIIIII\tRX:Z:GGGG-TTTT\tMC:Z:10M\n"
    "c3\t99\tsim1\t96\t60\t10M\t=\t150\t64\tAAAAATAAAA\tIIIIIIIIII\tRX:Z:GGGG-TTTT\tMC:Z:10M\n"
    "d1\t99\tsim1\t97\t60\t10M\t=\t150\t63\tAAAACAAAAA\tIIIIIIIIII\tRX:Z:ACGT-ACGT\tMC:Z:10M\n"
    "u1\t0\tsim1\t98\t60\t10M\t*\t0\t0\tAAACAAAAAA\tIIIIIIIIII\n"
    "a1\t147\tsim1\t150\t60\t10M\t=\t95\t-65\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:AAAA-CCCC\tMC:Z:10M\n"
    "a2\t147\tsim1\t150\t60\t10M\t=\t95\t-65\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:AAAA-CCCC\tMC:Z:10M\n"
    "b1\t83\tsim1\t150\t60\t10M\t=\t95\t-65\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:CCCC-AAAA\tMC:Z:10M\n"
    "c1\t147\tsim1\t150\t60\t10M\t=\t96\t-64\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:GGGG-TTTT\tMC:Z:10M\n"
    "c2\t147\tsim1\t150\t60\t10M\t=\t96\t-64\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:GGGG-TTTT\tMC:Z:10M\n"
    "c3\t147\tsim1\t150\t60\t10M\t=\t96\t-64\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:GGGG-TTTT\tMC:Z:10M\n"
    "d1\t147\tsim1\t150\t60\t10M\t=\t97\t-63\tAAAAAAAAAA\tIIIIIIIIII\tRX:Z:ACGT-ACGT\tMC:Z:10M\n";

static void test_count_molecules(void **state)
{
    (void)state;
    char dir[] = "/tmp/vw_test_umi_XXXXXX", sam[600], tsv[600];
    assert_non_null(mkdtemp(dir));
    snprintf(sam, sizeof sam, "%s/m.sam", dir);
    snprintf(tsv, sizeof tsv, "%s/t.tsv", dir);
    FILE *fp = fopen(sam, "w");
    fputs(mol_sam, fp);
    fclose(fp);
    fp = fopen(tsv, "w");
    fputs("chrom\tpos\tref\talt\tid\nsim1\t101\tC\tT\tsnv\n", fp);
    fclose(fp);
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, tsv, NULL), 0);
    for (int v = 0; v < 4; v++) {
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.stream = 1;
        opt.unit = VW_UNIT_MOLECULE;
        opt.threads = v == 1 ? 2 : 0; /* a decoding thread */
        opt.min_family = v == 2 ? 2 : 1;
        opt.duplex_only = v == 3;
        vw_sample_counts_t *s = NULL;
        assert_int_equal(vw_count_file(sam, NULL, ts, &opt, &s), 0);
        const vw_count_t *c = &s->c[0];
        const vw_molcount_t *m = c->mol;
        assert_non_null(m);
        assert_int_equal(m->families, 3);
        assert_int_equal(m->fragments, 7);
        assert_int_equal(m->alt, 1);
        assert_int_equal(m->duplex_alt, 1);
        assert_int_equal(m->ref, v == 2 ? 1 : 2);
        assert_int_equal(m->small, v == 2 ? 1 : 0);
        assert_int_equal(m->duplex_ref, 0);
        assert_int_equal(m->no_consensus, 0);
        assert_int_equal(m->fam_hist[1], 1);
        assert_int_equal(m->fam_hist[3], 2);
        assert_int_equal(vw_famsize_median(m->fam_hist), 3);
        /* evidence columns: molecules (duplex only: the one duplex molecule) */
        assert_int_equal(c->alt, 1);
        assert_int_equal(c->ref, v == 3 ? 0 : v == 2 ? 1 : 2);
        assert_int_equal(c->depth, c->ref + c->alt);
        assert_int_equal(c->alt_fwd, 1); /* top strand, read 1 forward, is the larger family */
        assert_int_equal(vw_fraglen_median(c->fl_alt), 65);
        assert_int_equal(s->umi.n_no_umi, 1);
        assert_int_equal(s->umi.source, VW_UMI_TAG);
        vw_sample_counts_destroy(s);
    }
    vw_targets_destroy(ts);
    unlink(sam);
    unlink(tsv);
    rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* UMI-tools' grouping, read for read                                  */

KHASH_MAP_INIT_STR(s2i, int)

/* Reads 'bam' (all mapped reads; paired: read 1 with a mapped mate, as
 * umi_tools group --paired --unmapped=discard), groups them in one
 * collector, and checks the partition against 'want' (record id -> group).
 * Record ids: name:position (single-end; UMI-tools' position is our key's, the
 * 5' end) or name:flag:pos:mpos:tlen (paired; secondary alignments included). */
static void check_partition(const char *bam, vw_umi_source_t src, int paired, khash_t(s2i) *want)
{
    samFile *fp = sam_open(bam, "r");
    assert_non_null(fp);
    sam_hdr_t *h = sam_hdr_read(fp);
    bam1_t *b = bam_init1();
    vw_umi_col_t *col = vw_umi_col_init(1, src);
    char **ids = NULL;
    int n = 0, m = 0;
    while (sam_read1(fp, h, b) >= 0) {
        const bam1_core_t *c = &b->core;
        if (c->flag & BAM_FUNMAP)
            continue;
        if (paired && ((c->flag & BAM_FREAD2) || (c->flag & BAM_FMUNMAP)))
            continue;
        vw_umi_obs_t o = {0, 1, 30, 60};
        assert_int_equal(vw_umi_col_add(col, b, &o, 1), 0);
        if (n == m) {
            m = m ? 2 * m : 1024;
            ids = realloc(ids, (size_t)m * sizeof(char *));
        }
        char id[512];
        vw_umi_key_t key;
        vw_umi_key_of(b, 0, &key);
        if (paired)
            snprintf(id, sizeof id, "%s:%d:%lld:%lld:%lld", bam_get_qname(b), c->flag, (long long)c->pos + 1,
                     (long long)c->mpos + 1, (long long)c->isize);
        else /* a name can map twice: the name and UMI-tools' position (our key's) */
            snprintf(id, sizeof id, "%s:%lld", bam_get_qname(b), (long long)key.pos);
        ids[n++] = strdup(id);
    }
    const vw_umi_mol_t *mol;
    int n_mol, *em = NULL;
    assert_int_equal(vw_umi_col_resolve(col, 0, 0.66, &mol, &n_mol, &em), 0);
    /* a bijection between our molecules and their groups */
    int *ours_to_theirs = malloc((size_t)n_mol * sizeof(int));
    khash_t(s2i) *theirs_to_ours = kh_init(s2i);
    for (int i = 0; i < n_mol; i++)
        ours_to_theirs[i] = -1;
    int n_theirs = 0, bad = 0;
    for (int i = 0; i < n; i++) {
        khint_t k = kh_get(s2i, want, ids[i]);
        if (k == kh_end(want)) {
            if (bad++ < 5)
                print_message("%s: read %s not in UMI-tools' output\n", bam, ids[i]);
            continue;
        }
        int t = kh_val(want, k);
        if (ours_to_theirs[em[i]] < 0)
            ours_to_theirs[em[i]] = t;
        else if (ours_to_theirs[em[i]] != t && bad++ < 5)
            print_message("%s: read %s in our molecule %d with group %d, UMI-tools says %d\n", bam, ids[i],
                          em[i], ours_to_theirs[em[i]], t);
        char key[32];
        snprintf(key, sizeof key, "%d", t);
        int r;
        khint_t j = kh_put(s2i, theirs_to_ours, key, &r);
        if (r > 0) {
            kh_key(theirs_to_ours, j) = strdup(key);
            kh_val(theirs_to_ours, j) = em[i];
            n_theirs++;
        } else if (kh_val(theirs_to_ours, j) != em[i] && bad++ < 5) {
            print_message("%s: read %s: UMI-tools group %d is split\n", bam, ids[i], t);
        }
    }
    assert_int_equal(bad, 0);
    assert_int_equal(n, (int)kh_size(want));
    assert_int_equal(n_mol, n_theirs);
    print_message("%s: %d reads, %d molecules, equal to UMI-tools' groups\n", bam, n, n_mol);
    for (khint_t k = 0; k < kh_end(theirs_to_ours); k++)
        if (kh_exist(theirs_to_ours, k))
            free((char *)kh_key(theirs_to_ours, k));
    kh_destroy(s2i, theirs_to_ours);
    free(ours_to_theirs);
    for (int i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    free(em);
    vw_umi_col_destroy(col);
    bam_destroy1(b);
    sam_hdr_destroy(h);
    sam_close(fp);
}

static void free_map(khash_t(s2i) *h)
{
    for (khint_t k = 0; k < kh_end(h); k++)
        if (kh_exist(h, k))
            free((char *)kh_key(h, k));
    kh_destroy(s2i, h);
}

static void test_umitools_single(void **state)
{
    (void)state;
    const char *data = getenv("VW_SHARED_DATA");
    char p[1024];
    snprintf(p, sizeof p, "%s/reads/umitools/group_dir_py3.tsv", data ? data : "");
    FILE *fp = data ? fopen(p, "r") : NULL;
    if (!fp)
        skip();
    /* read_id contig position gene umi umi_count final_umi final_umi_count unique_id */
    khash_t(s2i) *want = kh_init(s2i);
    char line[1024];
    int ln = 0;
    while (fgets(line, sizeof line, fp)) {
        if (ln++ == 0)
            continue;
        char *f[10];
        int nf = vw_split_tabs(line, f, 10);
        assert_int_equal(nf, 9);
        char id[512];
        snprintf(id, sizeof id, "%s:%s", f[0], f[2]);
        int r;
        khint_t k = kh_put(s2i, want, strdup(id), &r);
        assert_true(r > 0);
        kh_val(want, k) = atoi(f[8]);
    }
    fclose(fp);
    snprintf(p, sizeof p, "%s/reads/umitools/chr19.bam", data);
    check_partition(p, VW_UMI_AUTO, 0, want);
    snprintf(p, sizeof p, "%s/reads/umitools/chr19_tag.bam", data);
    check_partition(p, VW_UMI_TAG, 0, want);
    free_map(want);
}

static void test_umitools_paired(void **state)
{
    (void)state;
    const char *data = getenv("VW_SHARED_DATA");
    char p[1024];
    snprintf(p, sizeof p, "%s/reads/umitools/paired_group_discard_unmapped.sam", data ? data : "");
    samFile *fp = data ? sam_open(p, "r") : NULL;
    if (!fp)
        skip();
    sam_hdr_t *h = sam_hdr_read(fp);
    bam1_t *b = bam_init1();
    khash_t(s2i) *want = kh_init(s2i);
    while (sam_read1(fp, h, b) >= 0) {
        const uint8_t *ug = bam_aux_get(b, "UG");
        if (!ug)
            continue; /* UMI-tools tags read 1 only */
        char id[512];
        snprintf(id, sizeof id, "%s:%d:%lld:%lld:%lld", bam_get_qname(b), b->core.flag, (long long)b->core.pos + 1,
                 (long long)b->core.mpos + 1, (long long)b->core.isize);
        int r;
        khint_t k = kh_put(s2i, want, strdup(id), &r);
        assert_true(r > 0);
        kh_val(want, k) = (int)bam_aux2i(ug);
    }
    bam_destroy1(b);
    sam_hdr_destroy(h);
    sam_close(fp);
    snprintf(p, sizeof p, "%s/reads/umitools/paired.bam", data);
    check_partition(p, VW_UMI_NAME, 1, want);
    free_map(want);
}

/* The evidence class written into tables and reports (docs/umi.md). */
static void test_count_class(void **state)
{
    (void)state;
    char b[64];
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    assert_string_equal(vw_count_class(&opt, b, sizeof b), "fragment");
    opt.unit = VW_UNIT_READ;
    assert_string_equal(vw_count_class(&opt, b, sizeof b), "read");
    opt.unit = VW_UNIT_MOLECULE;
    opt.min_family = 3;
    opt.duplex_only = 0;
    assert_string_equal(vw_count_class(&opt, b, sizeof b), "molecule (families >= 3)");
    opt.duplex_only = 1;
    assert_string_equal(vw_count_class(&opt, b, sizeof b), "duplex molecule (families >= 3)");
    char small[8];
    assert_string_equal(vw_count_class(&opt, small, sizeof small), "duplex ");
}

/* A molecule count worked out by hand: five families of sizes 1, 1, 3, 3, 7
 * (15 fragments; lower median 3; singleton share 2/5), two below
 * --min-family 3, two ref and one alt by consensus, one duplex ref and one
 * duplex alt. */
static vw_molcount_t hand_mol(void)
{
    vw_molcount_t m;
    memset(&m, 0, sizeof m);
    m.fam_hist[1] = 2;
    m.fam_hist[3] = 2;
    m.fam_hist[7] = 1;
    m.fragments = 15;
    m.families = 5;
    m.small = 2;
    m.ref = 2;
    m.alt = 1;
    m.duplex_ref = 1;
    m.duplex_alt = 1;
    return m;
}

static void test_molecule_writers(void **state)
{
    (void)state;
    vw_molcount_t m = hand_mol();
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    vw_count_json_molecules(fp, &m, 3, 1);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf, ", \"molecules\": {\"min_family\": 3, \"duplex_only\": true, \"fragments\": 15, "
                             "\"molecules\": 5, \"family_median\": 3, \"singleton_share\": 0.4000, "
                             "\"below_min_family\": 2, \"no_consensus\": 0, \"mol_ref\": 2, \"mol_alt\": 1, "
                             "\"mol_other\": 0, \"duplex_ref\": 1, \"duplex_alt\": 1, \"duplex_other\": 0}");
    free(buf);

    /* the table: one row per target of the molecule sample only; a target
     * without molecules is NA */
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_GRCH37), 0);
    vw_count_t *cm = calloc((size_t)ts->n, sizeof *cm), *cf = calloc((size_t)ts->n, sizeof *cf);
    char **chrom = calloc((size_t)ts->n, sizeof *chrom);
    assert_non_null(cm);
    assert_non_null(cf);
    assert_non_null(chrom);
    for (int i = 0; i < ts->n; i++)
        chrom[i] = ts->t[i].chrom;
    cm[0].mol = &m;
    vw_sample_counts_t mol = {0}, frag = {0};
    mol.sample = "M"; mol.n = ts->n; mol.c = cm; mol.chrom = chrom;
    mol.unit = VW_UNIT_MOLECULE; mol.min_family = 3;
    frag.sample = "F"; frag.n = ts->n; frag.c = cf; frag.chrom = chrom;
    vw_sample_counts_t *ss[] = {&frag, &mol};
    buf = NULL;
    fp = open_memstream(&buf, &len);
    assert_int_equal(vw_count_write_molecules(fp, ts, ss, 2), 0);
    assert_int_equal(fclose(fp), 0);
    int lines = 0;
    for (const char *q = buf; *q; q++)
        lines += *q == '\n';
    assert_int_equal(lines, 1 + ts->n);
    assert_null(strstr(buf, "\nF\t"));
    char want[512];
    const vw_target_t *t = &ts->t[0];
    snprintf(want, sizeof want, "\nM\t%s\t%lld\t%s\t%s\t%s\t3\t15\t5\t3\t0.4000\t2\t0\t2\t1\t0\t1\t1\t0\n", t->chrom,
             (long long)t->beg + 1, t->ref, t->alt, t->id);
    assert_non_null(strstr(buf, want));
    t = &ts->t[1];
    snprintf(want, sizeof want, "\nM\t%s\t%lld\t%s\t%s\t%s\t3\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n",
             t->chrom, (long long)t->beg + 1, t->ref, t->alt, t->id);
    assert_non_null(strstr(buf, want));
    free(buf);
    free(cm);
    free(cf);
    free(chrom);
    vw_targets_destroy(ts);
}

int main(void)
{
    vw_log_set_level(VW_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract),
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_directional),
        cmocka_unit_test(test_directional_many),
        cmocka_unit_test(test_vote),
        cmocka_unit_test(test_duplex),
        cmocka_unit_test(test_sort_paths),
        cmocka_unit_test(test_count_molecules),
        cmocka_unit_test(test_umitools_single),
        cmocka_unit_test(test_umitools_paired),
        cmocka_unit_test(test_count_class),
        cmocka_unit_test(test_molecule_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
