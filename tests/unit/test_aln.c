/* test_aln.c -- unit tests of the alignment-file prologue and read walk
 * (aln.c): open errors, the header-only mode, sample names, build check,
 * the walk through the index and streaming (read counts are hand counts
 * of the reads written here), an unsorted stream, a stale index, the
 * hand-offs of the decoding thread, and the 'prepare' hook on either
 * thread. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <htslib/sam.h>

#include "vw_test.h"
#include "vafwatch/aln.h"
#include "vafwatch/log.h"

static char dir[] = "/tmp/vw_test_aln_XXXXXX";
static FILE *sink;

/* 40-bp reads on contig sim1 (6000 bp) starting at starts[0..n); a BAM with
 * its index, or a SAM when 'sam'.  Read group SM 'sm' when not NULL. */
static void write_reads(const char *path, const int *starts, int n, int sam, const char *sm)
{
    samFile *fp = sam_open(path, sam ? "w" : "wb");
    assert_non_null(fp);
    char txt[256];
    snprintf(txt, sizeof txt, "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:6000\n%s%s%s",
             sm ? "@RG\tID:g1\tSM:" : "", sm ? sm : "", sm ? "\n" : "");
    sam_hdr_t *h = sam_hdr_parse(strlen(txt), txt);
    assert_non_null(h);
    assert_int_equal(sam_hdr_write(fp, h), 0);
    bam1_t *b = bam_init1();
    char seq[41], qual[40];
    memset(seq, 'C', 40);
    seq[40] = 0;
    memset(qual, 30, sizeof qual);
    for (int k = 0; k < n; k++) {
        char name[32];
        snprintf(name, sizeof name, "r%d", k);
        uint32_t cig = bam_cigar_gen(40, BAM_CMATCH);
        assert_true(bam_set1(b, strlen(name), name, 0, 0, starts[k], 60, 1, &cig, -1, -1, 0, 40, seq, qual, 0) >= 0);
        assert_true(sam_write1(fp, h, b) >= 0);
    }
    bam_destroy1(b);
    sam_hdr_destroy(h);
    assert_int_equal(sam_close(fp), 0);
    if (!sam)
        assert_int_equal(sam_index_build(path, 0), 0);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    sink = tmpfile();
    vw_log_set_sink(sink);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vw_log_set_sink(NULL);
    fclose(sink);
    return vw_test_rmtree(dir);
}

static void test_open_errors(void **state)
{
    (void)state;
    char p[256];
    vw_aln_t *a = NULL;
    snprintf(p, sizeof p, "%s/none.bam", dir);
    assert_int_equal(vw_aln_open(p, NULL, 0, 0, &a), -ENOENT);
    assert_int_equal(vw_aln_open(p, NULL, 0, VW_ALN_HEADER, &a), -ENOENT);
    assert_null(a);
    /* a text file that is no alignment file */
    snprintf(p, sizeof p, "%s/t.txt", dir);
    FILE *f = fopen(p, "w");
    fputs("chrom\tpos\n1\t2\n", f);
    fclose(f);
    assert_int_equal(vw_aln_open(p, NULL, 0, 0, &a), VW_EFORMAT);
    assert_null(a);
    assert_int_equal(vw_aln_close(NULL, 7), 7);
}

typedef struct {
    int n, n_span[4];
} tally_t;

static int count_read(void *ud, const bam1_t *b, int span, uint64_t word)
{
    (void)b;
    (void)word;
    tally_t *t = ud;
    t->n++;
    if (span >= 0)
        t->n_span[span]++;
    return 0;
}

static int stop_at_3(void *ud, const bam1_t *b, int span, uint64_t word)
{
    (void)b;
    (void)word;
    (void)span;
    return ++((tally_t *)ud)->n == 3 ? -EINTR : 0;
}

static void test_walk(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/r.bam", dir);
    const int starts[] = {100, 150, 200, 1000, 1010, 3000};
    write_reads(p, starts, 6, 0, "S1");
    vw_aln_t *a = NULL;
    assert_int_equal(vw_aln_open(p, NULL, 0, 0, &a), 0);
    assert_int_equal(a->stream, 0);
    assert_int_equal(a->format, bam);
    char *s = vw_aln_sample(a, NULL);
    assert_string_equal(s, "S1");
    free(s);
    s = vw_aln_sample(a, "given");
    assert_string_equal(s, "given");
    free(s);
    assert_int_equal(vw_aln_one_sample(a), 0);
    assert_int_equal(vw_aln_check_build(a, VW_BUILD_UNKNOWN, "targets"), 0);
    hts_idx_t *idx = NULL;
    assert_int_equal(vw_aln_index(a, NULL, &idx), 0);
    /* [0, 160): reads at 100, 150 (and none at 200); [990, 1005): 1000 (ends 1040), 1010 does not
     * start before 1005; [2000, 2100): none */
    vw_aln_span_t sp[3] = {{0, 0, 160}, {0, 990, 1005}, {0, 2000, 2100}};
    tally_t t = {0, {0}};
    int64_t n = -1;
    assert_int_equal(vw_aln_walk(a, idx, sp, 3, NULL, &(vw_aln_reader_t){.read = count_read, .ud = &t}, &n), 0);
    assert_int_equal(t.n, 3);
    assert_int_equal(n, 3);
    assert_int_equal(t.n_span[0], 2);
    assert_int_equal(t.n_span[1], 1);
    assert_int_equal(t.n_span[2], 0);
    /* a callback's error stops the walk with its code */
    tally_t u = {0, {0}};
    vw_aln_span_t all = {0, 0, 6000};
    assert_int_equal(vw_aln_walk(a, idx, &all, 1, NULL, &(vw_aln_reader_t){.read = stop_at_3, .ud = &u}, NULL), -EINTR);
    assert_int_equal(u.n, 3);
    hts_idx_destroy(idx);
    assert_int_equal(vw_aln_close(a, 0), 0);
    /* streaming: every read, span -1 */
    assert_int_equal(vw_aln_open(p, NULL, 0, VW_ALN_STREAM, &a), 0);
    assert_int_equal(a->stream, 1);
    tally_t v = {0, {0}};
    assert_int_equal(vw_aln_walk(a, NULL, NULL, 0, NULL, &(vw_aln_reader_t){.read = count_read, .ud = &v}, &n), 0);
    assert_int_equal(v.n, 6);
    assert_int_equal(n, 6);
    assert_int_equal(v.n_span[0], 0);
    assert_int_equal(vw_aln_close(a, 0), 0);
    /* header only: the sample from the file name when no read group names one */
    snprintf(p, sizeof p, "%s/P1_d0.bam", dir);
    write_reads(p, starts, 2, 0, NULL);
    assert_int_equal(vw_aln_open(p, NULL, 0, VW_ALN_HEADER, &a), 0);
    s = vw_aln_sample(a, NULL);
    assert_string_equal(s, "P1_d0");
    free(s);
    assert_int_equal(vw_aln_close(a, 0), 0);
}

static void test_unsorted(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/u.sam", dir);
    const int starts[] = {100, 300, 200, 400};
    write_reads(p, starts, 4, 1, NULL);
    vw_aln_t *a = NULL;
    assert_int_equal(vw_aln_open(p, NULL, 0, VW_ALN_STREAM, &a), 0);
    assert_int_equal(a->format, sam);
    tally_t t = {0, {0}};
    int64_t n = 0;
    assert_int_equal(vw_aln_walk(a, NULL, NULL, 0, NULL, &(vw_aln_reader_t){.read = count_read, .ud = &t}, &n),
                     VW_EFORMAT);
    assert_int_equal(n, 3); /* the third record is the first out of order */
    assert_true(t.n <= 2);  /* (records in the look-ahead window when it stops are not handed on) */
    assert_int_equal(vw_aln_close(a, 0), 0);
}

/* Streaming with the decoding thread through a BAM whose last record is an
 * unplaced unmapped read: every placed read is handed on and the stop at
 * the unplaced read is no error (it was taken for a file cut short). */
static void test_decoder_unplaced(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/unpl.bam", dir);
    samFile *fp = sam_open(p, "wb");
    assert_non_null(fp);
    const char *txt = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:6000\n";
    sam_hdr_t *h = sam_hdr_parse(strlen(txt), txt);
    assert_int_equal(sam_hdr_write(fp, h), 0);
    bam1_t *b = bam_init1();
    char seq[41], qual[40];
    memset(seq, 'C', 40);
    seq[40] = 0;
    memset(qual, 30, sizeof qual);
    uint32_t cig = bam_cigar_gen(40, BAM_CMATCH);
    for (int k = 0; k < 50; k++) {
        char name[32];
        snprintf(name, sizeof name, "r%d", k);
        assert_true(bam_set1(b, strlen(name), name, 0, 0, 100 + k, 60, 1, &cig, -1, -1, 0, 40, seq, qual, 0) >= 0);
        assert_true(sam_write1(fp, h, b) >= 0);
    }
    assert_true(bam_set1(b, 2, "un", BAM_FUNMAP, -1, -1, 0, 0, NULL, -1, -1, 0, 40, seq, qual, 0) >= 0);
    assert_true(sam_write1(fp, h, b) >= 0);
    bam_destroy1(b);
    sam_hdr_destroy(h);
    assert_int_equal(sam_close(fp), 0);
    for (int dec = 0; dec < 2; dec++) {
        vw_aln_t *a = NULL;
        assert_int_equal(vw_aln_open(p, NULL, 3, VW_ALN_STREAM | VW_ALN_DECODER, &a), 0);
        tally_t t = {0, {0}};
        int64_t n = 0;
        vw_aln_reader_t rd = {.read = count_read, .ud = &t, .decoder = dec};
        assert_int_equal(vw_aln_walk(a, NULL, NULL, 0, NULL, &rd, &n), 0);
        assert_int_equal(t.n, 50);
        assert_int_equal(n, 51);
        assert_int_equal(vw_aln_close(a, 0), 0);
    }
}

/* vw_aln_walk_prep: a record the 'prepare' hook skips reaches no other
 * hook, a kept one arrives with prepare's word; the same records and words
 * in the same order on one thread, through the index and with the decoding
 * thread; with a slow 'read' hook the decoding thread runs 'prepare' (the
 * records are 6,000: about a dozen batches). */
typedef struct {
    pthread_t main;
    int n_read, n_ahead, n_off_main, bad_word, skipped_seen, slow;
    uint64_t sum; /* order-dependent checksum of the words handed to 'read' */
} prep_t;

static int prep_hook(const void *ud, const bam1_t *b, uint64_t *word)
{
    prep_t *t = (prep_t *)(uintptr_t)ud; /* (the test's own counter: atomic enough as it is only compared > 0) */
    if (!pthread_equal(pthread_self(), t->main))
        __atomic_add_fetch(&t->n_off_main, 1, __ATOMIC_RELAXED);
    if (b->core.pos % 3 == 0)
        return 1;
    *word = (uint64_t)b->core.pos * 7919u + 1;
    return 0;
}

static int prep_ahead(void *ud, const bam1_t *b, uint64_t *word)
{
    prep_t *t = ud;
    t->n_ahead++;
    if (*word != (uint64_t)b->core.pos * 7919u + 1)
        t->bad_word++;
    return 0;
}

static int prep_read(void *ud, const bam1_t *b, int span, uint64_t word)
{
    (void)span;
    prep_t *t = ud;
    if (b->core.pos % 3 == 0)
        t->skipped_seen++;
    if (word != (uint64_t)b->core.pos * 7919u + 1)
        t->bad_word++;
    t->sum = t->sum * 31 + word;
    t->n_read++;
    if (t->slow && t->n_read < 200)
        usleep(2000); /* the hooks' thread behind: batches wait, the decoder prepares */
    return 0;
}

static void test_walk_prep(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/prep.bam", dir);
    enum { N = 6000 };
    int *starts = malloc(N * sizeof(int));
    assert_non_null(starts);
    for (int k = 0; k < N; k++)
        starts[k] = k / 2; /* two reads a position, positions 0..2999 */
    write_reads(p, starts, N, 0, NULL);
    free(starts);
    int expect_kept = 0; /* hand count: positions not divisible by 3, two reads each */
    for (int pos = 0; pos < N / 2; pos++)
        expect_kept += pos % 3 ? 2 : 0;
    uint64_t sum0 = 0;
    for (int mode = 0; mode < 4; mode++) { /* one thread; decoder; decoder with a slow reader; index */
        vw_aln_t *a = NULL;
        assert_int_equal(vw_aln_open(p, NULL, 2, mode == 3 ? 0 : VW_ALN_STREAM | VW_ALN_DECODER, &a), 0);
        hts_idx_t *idx = NULL;
        vw_aln_span_t sp = {0, 0, 6000};
        if (mode == 3)
            assert_int_equal(vw_aln_index(a, NULL, &idx), 0);
        prep_t t = {pthread_self(), 0, 0, 0, 0, 0, mode == 2, 0};
        vw_aln_reader_t rd = {.ahead = prep_ahead, .read = prep_read, .ud = &t, .decoder = mode == 1 || mode == 2};
        int64_t n = 0;
        assert_int_equal(vw_aln_walk_prep(a, idx, mode == 3 ? &sp : NULL, mode == 3, NULL, &rd, prep_hook, &n), 0);
        assert_int_equal(n, N);
        assert_int_equal(t.n_read, expect_kept);
        assert_int_equal(t.n_ahead, expect_kept);
        assert_int_equal(t.skipped_seen, 0);
        assert_int_equal(t.bad_word, 0);
        if (mode == 0)
            sum0 = t.sum;
        assert_true(t.sum == sum0);
        if (mode == 0 || mode == 3)
            assert_int_equal(t.n_off_main, 0);
        if (mode == 2)
            assert_true(t.n_off_main > 0);
        hts_idx_destroy(idx);
        assert_int_equal(vw_aln_close(a, 0), 0);
    }
}

/* The hand-offs between the decoding thread and the walk: files of 1 to 6,000
 * records, around the batch sizes (256 records, woken per 4 batches, 8 in
 * the ring), give every record once and in order (positions k / 2: the
 * last position handed on, by hand); a walk that stops while the decoder
 * sleeps on a full ring (the first 50 reads slow, a stop at the 40th) or
 * later returns the hook's code and does not hang. */
typedef struct {
    int n, slow, stop_at;
    int64_t last_pos, disorder;
} handoff_t;

static int handoff_read(void *ud, const bam1_t *b, int span, uint64_t word)
{
    (void)span;
    (void)word;
    handoff_t *t = ud;
    if (b->core.pos < t->last_pos)
        t->disorder++;
    t->last_pos = b->core.pos;
    if (++t->n < t->slow)
        usleep(1000); /* the ring fills: the decoder sleeps */
    return t->n == t->stop_at ? -EINTR : 0;
}

static void test_decoder_handoff(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/handoff.bam", dir);
    static const int sizes[] = {1, 255, 256, 257, 1024, 2048, 2049, 6000};
    int *starts = malloc(6000 * sizeof(int));
    assert_non_null(starts);
    for (int k = 0; k < 6000; k++)
        starts[k] = k / 2;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        int n = sizes[i];
        write_reads(p, starts, n, 0, NULL);
        static const int stops[] = {-1, 40, 4000}; /* none; while the decoder sleeps; later */
        for (int j = 0; j < 3 && (j == 0 || n == 6000); j++) {
            int stop = stops[j];
            vw_aln_t *a = NULL;
            assert_int_equal(vw_aln_open(p, NULL, 2, VW_ALN_STREAM | VW_ALN_DECODER, &a), 0);
            handoff_t t = {0, stop > 0 ? 50 : 0, stop, -1, 0};
            int64_t got = 0;
            vw_aln_reader_t rd = {.read = handoff_read, .ud = &t, .decoder = 1};
            int rc = vw_aln_walk(a, NULL, NULL, 0, NULL, &rd, &got);
            assert_int_equal(rc, stop > 0 ? -EINTR : 0);
            assert_int_equal(t.n, stop > 0 ? stop : n);
            assert_int_equal(t.disorder, 0);
            assert_int_equal(t.last_pos, ((stop > 0 ? stop : n) - 1) / 2);
            if (stop < 0)
                assert_int_equal(got, n);
            assert_int_equal(vw_aln_close(a, 0), 0);
        }
    }
    free(starts);
}

static void test_stale_index(void **state)
{
    (void)state;
    char p[256], ip[280];
    snprintf(p, sizeof p, "%s/s.bam", dir);
    const int starts[] = {100};
    write_reads(p, starts, 1, 0, NULL);
    snprintf(ip, sizeof ip, "%s.csi", p);
    struct stat st;
    if (stat(ip, &st) != 0)
        snprintf(ip, sizeof ip, "%s.bai", p);
    struct timeval old[2] = {{1000000000, 0}, {1000000000, 0}};
    assert_int_equal(utimes(ip, old), 0);
    vw_aln_t *a = NULL;
    assert_int_equal(vw_aln_open(p, NULL, 0, 0, &a), VW_EINPUT);
    assert_null(a);
    /* streaming does not use the index: no check */
    assert_int_equal(vw_aln_open(p, NULL, 0, VW_ALN_STREAM, &a), 0);
    assert_int_equal(vw_aln_close(a, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_unsorted),
        cmocka_unit_test(test_stale_index),
        cmocka_unit_test(test_decoder_unplaced),
        cmocka_unit_test(test_decoder_handoff),
        cmocka_unit_test(test_walk_prep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
