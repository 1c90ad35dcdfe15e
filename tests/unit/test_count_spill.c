/* test_count_spill.c -- fragment counting with the pending-mate table
 * bounded (vw_count_opt_t mate_buffer): the reads that wait for their mates
 * beyond the bound go to a temporary file and come back when the stream
 * reaches their mates.  The counts must be those of an unbounded table and
 * of a hand count of the fixture.
 *
 * Fixture: 3,000 read pairs of 2x50 bp over one SNV (sim1:1001 C>T), mates
 * overlapping, written from a seeded generator whose classes fix each
 * fragment's allele by construction:
 *   class 0  both mates C                    -> ref (forward strand)
 *   class 1  both mates T                    -> alt
 *   class 2  read 1 T, read 2 C              -> discordant
 *   class 3  read 1 C, read 2 C at quality 2 -> ref, read 1 alone (its mate
 *            arrives without an observation: the waiting read is counted
 *            when the stream passes the mate's start)
 *   class 4  read 1 T, read 2 starts after the SNV -> alt, read 1 alone at once
 *   class 5  read 1 T, read 2 at MAPQ 0 (filtered) -> alt, read 1 alone (its
 *            mate never comes; the latest of them are still on disk when the
 *            region ends)
 * Read 2 starts at or after read 1 (some at the same position); about 60
 * pairs share each mate start, more than the small bounds, so the case of
 * reads that cannot go to disk (their mates start at the current position)
 * is exercised too.  A second
 * contig holds the same pairs again, so that the contig change also ends
 * the waiting of reads on disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vw_test.h"
#include "vw_test_bam.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"

#define N_PAIRS 3000
#define RL 50
#define SITE 1001 /* 1-based */

static char dir[] = "/tmp/vw_test_count_spill_XXXXXX";
static char bam_path[600], tsv[600];
static int64_t expect_ref, expect_alt, expect_disc; /* per contig, from the generator */

typedef struct {
    int pos; /* 1-based */
    char line[400];
} rec_t;

static int rec_cmp(const void *a, const void *b)
{
    const rec_t *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* A 50-bp read at pos with 'base' (at quality 'q') on the SNV when it covers it. */
static void read_seq(int pos, char base, char q, char *seq, char *qual)
{
    for (int i = 0; i < RL; i++) {
        seq[i] = 'A';
        qual[i] = 'I';
    }
    if (pos <= SITE && SITE < pos + RL) {
        seq[SITE - pos] = base;
        qual[SITE - pos] = q;
    }
    seq[RL] = qual[RL] = '\0';
}

static void add_pair(rec_t *r, int *n, const char *ctg, int i, int cls, int p1, int p2)
{
    char s1[RL + 1], q1[RL + 1], s2[RL + 1], q2[RL + 1];
    char b1 = (cls == 1 || cls == 2 || cls == 4 || cls == 5) ? 'T' : 'C';
    char b2 = cls == 1 ? 'T' : 'C';
    read_seq(p1, b1, 'I', s1, q1);
    read_seq(p2, b2, cls == 3 ? '#' : 'I', s2, q2);
    int tlen = p2 + RL - p1;
    r[*n].pos = p1;
    snprintf(r[*n].line, sizeof r[*n].line, "p%d\t99\t%s\t%d\t60\t%dM\t=\t%d\t%d\t%s\t%s\n", i, ctg, p1, RL, p2,
             tlen, s1, q1);
    (*n)++;
    r[*n].pos = p2;
    snprintf(r[*n].line, sizeof r[*n].line, "p%d\t147\t%s\t%d\t%d\t%dM\t=\t%d\t%d\t%s\t%s\n", i, ctg, p2,
             cls == 5 ? 0 : 60, RL, p1, -tlen, s2, q2);
    (*n)++;
}

/* The pairs of one contig, sorted by position, appended to ks. */
static void contig_pairs(kstring_t *ks, const char *ctg, int count_expect)
{
    rec_t *r = calloc(2 * N_PAIRS, sizeof(*r));
    assert_non_null(r);
    int n = 0;
    uint64_t seed = 12345;
    for (int i = 0; i < N_PAIRS; i++) {
        int cls = (int)(lcg(&seed) % 6);
        int p1 = SITE - RL + 1 + (int)(lcg(&seed) % RL); /* read 1 covers the SNV */
        int p2 = cls == 4 ? SITE + 1 + (int)(lcg(&seed) % 40)
                          : p1 + (int)(lcg(&seed) % (SITE - p1 + 1)); /* read 2 covers it too */
        add_pair(r, &n, ctg, i, cls, p1, p2);
        if (count_expect) {
            expect_ref += cls == 0 || cls == 3;
            expect_alt += cls == 1 || cls == 4 || cls == 5;
            expect_disc += cls == 2;
        }
    }
    qsort(r, (size_t)n, sizeof(*r), rec_cmp); /* stable enough: equal positions in any order */
    for (int i = 0; i < n; i++)
        kputs(r[i].line, ks);
    free(r);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    vw_log_set_level(VW_LOG_ERROR);
    kstring_t ks = {0, 0, NULL};
    contig_pairs(&ks, "sim1", 1);
    contig_pairs(&ks, "sim2", 0);
    snprintf(bam_path, sizeof bam_path, "%s/pairs.bam", dir);
    snprintf(tsv, sizeof tsv, "%s/targets.tsv", dir);
    vw_test_sam_to_bam("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:3000\n@SQ\tSN:sim2\tLN:3000\n", ks.s,
                       bam_path, 1);
    free(ks.s);
    FILE *fp = fopen(tsv, "w");
    if (!fp)
        return -1;
    fprintf(fp, "chrom\tpos\tref\talt\tid\nsim1\t%d\tC\tT\tone\nsim2\t%d\tC\tT\ttwo\n", SITE, SITE);
    fclose(fp);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(dir);
}

static vw_targets_t *load_targets(void)
{
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, tsv, NULL), 0);
    vw_targets_sort_unique(ts);
    assert_int_equal(ts->n, 2);
    return ts;
}

static vw_sample_counts_t *count(const vw_targets_t *ts, int stream, size_t bound)
{
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.stream = stream;
    opt.mate_buffer = bound;
    vw_sample_counts_t *s = NULL;
    assert_int_equal(vw_count_file(bam_path, "x", ts, &opt, &s), 0);
    return s;
}

static int64_t hist_sum(const uint32_t *h)
{
    int64_t n = 0;
    for (int i = 0; h && i < VW_FRAGLEN_BINS; i++)
        n += h[i];
    return n;
}

/* The hand count, with the table unbounded, bounded at one read, at 16
 * (many runs on disk, merged past 32) and at the default (held in memory):
 * the same numbers, through the index and streaming. */
static void test_bounded_equals_unbounded(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    for (int stream = 0; stream < 2; stream++) {
        vw_sample_counts_t *ref = count(ts, stream, 0);
        assert_int_equal(ref->n_mates_on_disk, 0);
        for (int k = 0; k < 2; k++) {
            const vw_count_t *c = &ref->c[k];
            assert_int_equal(c->ref, expect_ref);
            assert_int_equal(c->alt, expect_alt);
            assert_int_equal(c->discordant, expect_disc);
            assert_int_equal(c->other, 0);
            assert_int_equal(c->depth, expect_ref + expect_alt);
            assert_int_equal(c->ref_fwd, expect_ref); /* read 1 forward: every fragment forward */
            assert_int_equal(c->alt_fwd, expect_alt);
            assert_int_equal(c->alt_bq_sum, 40 * expect_alt); /* 'I' */
            assert_int_equal(c->alt_mq_sum, 60 * expect_alt);
            assert_int_equal(hist_sum(c->fl_ref), expect_ref);
            assert_int_equal(hist_sum(c->fl_alt), expect_alt);
        }
        const size_t bounds[] = {1, 16, VW_MATE_BUFFER};
        for (int b = 0; b < 3; b++) {
            vw_sample_counts_t *s = count(ts, stream, bounds[b]);
            for (int k = 0; k < 2; k++)
                vw_test_assert_count_equal(&s->c[k], &ref->c[k]);
            assert_int_equal(s->n_used, ref->n_used);
            assert_int_equal(s->n_informative, ref->n_informative);
            if (bounds[b] < 100) { /* hundreds of reads wait at once: the bound is exercised */
                assert_true(s->n_mates_on_disk > 1000);
                /* about 60 pairs share each mate start (3,000 over 50 positions): more than
                 * the bound wait at once for mates at the current position */
                assert_true(s->mates_over > (int64_t)bounds[b]);
            } else {
                assert_int_equal(s->n_mates_on_disk, 0);
                assert_int_equal(s->mates_over, 0);
            }
            vw_sample_counts_destroy(s);
        }
        vw_sample_counts_destroy(ref);
    }
    vw_targets_destroy(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounded_equals_unbounded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
