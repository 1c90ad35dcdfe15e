/* test_aln.c -- unit tests of the alignment-file prologue and read walk
 * (aln.c): open errors, the header-only mode, sample names, build check,
 * the walk through the index and streaming (read counts are hand counts
 * of the reads written here), an unsorted stream, a stale index, the
 * hand-offs of the decoding thread, the 'prepare' hook on either
 * thread, the read-error messages and the end-of-file marker of a stream. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <htslib/bgzf.h>
#include <htslib/sam.h>

#include "vw_test.h"
#include "vafwatch/aln.h"
#include "vafwatch/log.h"

static char dir[] = "/tmp/vw_test_aln_XXXXXX";
static FILE *sink;

/* Fills 'b' with record i of a file being written; returns 1 to end the
 * BGZF block after it, else 0. */
typedef int (*make_read_f)(void *ud, int i, bam1_t *b);

/* Writes 'path' with the header 'hdr' (SAM text) and the n records
 * make(ud, 0 .. n-1) in that order: a SAM when 'sam', else a BAM indexed
 * with 'min_shift' (0: BAI, else CSI). */
static void write_bam(const char *path, const char *hdr, int n, make_read_f make, void *ud, int sam, int min_shift)
{
    samFile *fp = sam_open(path, sam ? "w" : "wb");
    assert_non_null(fp);
    sam_hdr_t *h = sam_hdr_parse(strlen(hdr), hdr);
    assert_non_null(h);
    assert_int_equal(sam_hdr_write(fp, h), 0);
    bam1_t *b = bam_init1();
    for (int i = 0; i < n; i++) {
        int flush = make(ud, i, b);
        assert_true(sam_write1(fp, h, b) >= 0);
        if (flush)
            assert_int_equal(bgzf_flush(fp->fp.bgzf), 0);
    }
    bam_destroy1(b);
    sam_hdr_destroy(h);
    assert_int_equal(sam_close(fp), 0);
    if (!sam)
        assert_int_equal(sam_index_build(path, min_shift), 0);
}

/* Read i of write_reads: "r<i>", 40 bp of C, 40M at starts[i] on sim1. */
static int make_read40(void *ud, int i, bam1_t *b)
{
    const int *starts = ud;
    char name[32], seq[41], qual[40];
    memset(seq, 'C', 40);
    seq[40] = 0;
    memset(qual, 30, sizeof qual);
    snprintf(name, sizeof name, "r%d", i);
    uint32_t cig = bam_cigar_gen(40, BAM_CMATCH);
    assert_true(bam_set1(b, strlen(name), name, 0, 0, starts[i], 60, 1, &cig, -1, -1, 0, 40, seq, qual, 0) >= 0);
    return 0;
}

/* 40-bp reads on contig sim1 (6000 bp) starting at starts[0..n); a BAM with
 * its index, or a SAM when 'sam'.  Read group SM 'sm' when not NULL. */
static void write_reads(const char *path, const int *starts, int n, int sam, const char *sm)
{
    char txt[256];
    snprintf(txt, sizeof txt, "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:6000\n%s%s%s",
             sm ? "@RG\tID:g1\tSM:" : "", sm ? sm : "", sm ? "\n" : "");
    write_bam(path, txt, n, make_read40, (void *)starts, sam, 0);
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

/* vw_aln_read_error(a, r, n_done, through_index, no reference): its code
 * in *ret, and what it logged (caller frees); the file's sink put back. */
static char *logged_read_error(const vw_aln_t *a, int r, int64_t n_done, int through_index, int *ret)
{
    vw_test_cap_t cap;
    vw_test_cap_start(&cap);
    *ret = vw_aln_read_error(a, r, n_done, through_index, NULL);
    char *msg = vw_test_cap_stop(&cap);
    vw_log_set_sink(sink);
    return msg;
}

/* vw_aln_read_error: VW_EFORMAT and the likely cause by format: a bad SAM
 * line (the record after the n_done read), a BAM read through the index
 * (a stale or foreign index), a BAM cut short. */
static void test_read_error(void **state)
{
    (void)state;
    static const int starts[] = {100, 200};
    char p[256], want[512];
    int rc;
    snprintf(p, sizeof p, "%s/e.sam", dir);
    write_reads(p, starts, 2, 1, NULL);
    vw_aln_t *a = NULL;
    assert_int_equal(vw_aln_open(p, NULL, 0, VW_ALN_STREAM, &a), 0);
    char *msg = logged_read_error(a, -2, 4, 0, &rc);
    assert_int_equal(rc, VW_EFORMAT);
    snprintf(want, sizeof want, "vafwatch: %s: record 5 is not a valid SAM line (read error -2)\n", p);
    assert_string_equal(msg, want);
    free(msg);
    assert_int_equal(vw_aln_close(a, 0), 0);
    snprintf(p, sizeof p, "%s/e.bam", dir);
    write_reads(p, starts, 2, 0, NULL);
    assert_int_equal(vw_aln_open(p, NULL, 0, 0, &a), 0);
    msg = logged_read_error(a, -4, 10, 1, &rc);
    assert_int_equal(rc, VW_EFORMAT);
    snprintf(want, sizeof want, "vafwatch: %s: truncated or corrupt, or its index belongs to another file: a record the "
             "index points to cannot be read (read error -4 after 10 records); check the file and index it again\n",
             p);
    assert_string_equal(msg, want);
    free(msg);
    msg = logged_read_error(a, -4, 10, 0, &rc);
    assert_int_equal(rc, VW_EFORMAT);
    snprintf(want, sizeof want, "vafwatch: %s: truncated or corrupt BAM/CRAM after 10 records (read error -4)\n", p);
    assert_string_equal(msg, want);
    free(msg);
    assert_int_equal(vw_aln_close(a, 0), 0);
}

/* Reads every record of 'path' streamed; returns vw_aln_check_stream_end's
 * code, the message in *ret_msg (caller frees). */
static int stream_to_end(const char *path, int want_reads, char **ret_msg)
{
    vw_aln_t *a = NULL;
    assert_int_equal(vw_aln_open(path, NULL, 0, VW_ALN_STREAM, &a), 0);
    bam1_t *b = bam_init1();
    int n = 0, r;
    while ((r = sam_read1(a->fp, a->h, b)) >= 0)
        n++;
    assert_int_equal(r, -1);
    assert_int_equal(n, want_reads);
    vw_test_cap_t cap;
    vw_test_cap_start(&cap);
    int rc = vw_aln_check_stream_end(a, n);
    *ret_msg = vw_test_cap_stop(&cap);
    vw_log_set_sink(sink);
    bam_destroy1(b);
    (void)vw_aln_close(a, 1);
    return rc;
}

/* vw_aln_check_stream_end: a BAM read whole ends at its end-of-file
 * marker (0); the same bytes without the marker's 28 bytes, through a pipe
 * (a regular file is checked when opened), end cleanly after the last
 * record but are cut short: VW_EFORMAT naming the records read. */
static void test_stream_end(void **state)
{
    (void)state;
    static const int starts[] = {100, 200, 300};
    char p[256], fd_path[64], want[512], *msg;
    snprintf(p, sizeof p, "%s/whole.bam", dir);
    write_reads(p, starts, 3, 0, NULL);
    assert_int_equal(stream_to_end(p, 3, &msg), 0);
    assert_string_equal(msg, "");
    free(msg);
    /* the file's bytes but the last 28 (the empty BGZF block that marks the end) into a pipe */
    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_true(n > 28 && n < sizeof buf);
    static const unsigned char eof_block[28] = {0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43,
                                                2, 0, 0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(buf + n - 28, eof_block, 28); /* SAM spec 4.1.2, the end-of-file marker */
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    assert_int_equal(write(pfd[1], buf, n - 28), (ssize_t)(n - 28)); /* (well under a pipe's buffer) */
    assert_int_equal(close(pfd[1]), 0);
    snprintf(fd_path, sizeof fd_path, "/dev/fd/%d", pfd[0]);
    assert_int_equal(stream_to_end(fd_path, 3, &msg), VW_EFORMAT);
    snprintf(want, sizeof want,
             "vafwatch: %s: the BGZF end-of-file marker is missing after 3 records: the input is cut short\n", fd_path);
    assert_string_equal(msg, want);
    free(msg);
    close(pfd[0]);
}

/* ------------------------------------------------------------------ */
/* The walk through the index against htslib's iterator                */

/* Contigs of the edge BAM: c1 has reads everywhere, c2 a gap [20000,
 * 36000) with no read starting in it, c3 is short (reads at both ends). */
static const int edge_len[3] = {300000, 70000, 40000};

/* The k-th kind of read: its CIGAR (n_cigar 0: none) and flag. */
static int edge_cigar(int kind, uint32_t *cig, uint16_t *flag)
{
    *flag = 0;
    switch (kind) {
    case 0: /* 100M */
        cig[0] = bam_cigar_gen(100, BAM_CMATCH);
        return 1;
    case 1: /* an intron spanning kb */
        cig[0] = bam_cigar_gen(30, BAM_CMATCH), cig[1] = bam_cigar_gen(2000, BAM_CREF_SKIP);
        cig[2] = bam_cigar_gen(70, BAM_CMATCH);
        return 3;
    case 2: /* a deletion */
        cig[0] = bam_cigar_gen(40, BAM_CMATCH), cig[1] = bam_cigar_gen(50, BAM_CDEL);
        cig[2] = bam_cigar_gen(60, BAM_CMATCH);
        return 3;
    case 3: /* clipped, inserted */
        cig[0] = bam_cigar_gen(10, BAM_CSOFT_CLIP), cig[1] = bam_cigar_gen(20, BAM_CMATCH);
        cig[2] = bam_cigar_gen(5, BAM_CINS), cig[3] = bam_cigar_gen(65, BAM_CMATCH);
        return 4;
    case 4: /* a long read: a high-level bin */
        cig[0] = bam_cigar_gen(70, BAM_CMATCH), cig[1] = bam_cigar_gen(40000, BAM_CREF_SKIP);
        cig[2] = bam_cigar_gen(30, BAM_CMATCH);
        return 3;
    case 5: /* mapped without CIGAR (written unmapped, the flag cleared after): ends at pos + 1 */
        *flag = BAM_FUNMAP;
        return 0;
    case 6: /* unmapped, placed at its mate: ends at pos + 1 */
        *flag = BAM_FUNMAP;
        return 0;
    case 7: /* unmapped with a CIGAR left over: still ends at pos + 1 */
        *flag = BAM_FUNMAP;
        cig[0] = bam_cigar_gen(100, BAM_CMATCH);
        return 1;
    default: /* a CIGAR consuming no reference: ends at pos + 1 */
        cig[0] = bam_cigar_gen(100, BAM_CSOFT_CLIP);
        return 1;
    }
}

typedef struct {
    int tid, pos, kind;
} edge_read_t;

static int edge_cmp(const void *x, const void *y)
{
    const edge_read_t *a = x, *b = y;
    return a->tid != b->tid ? a->tid - b->tid : a->pos - b->pos;
}

static uint64_t edge_rng = 88172645463325252ULL;
static uint32_t edge_rand(uint32_t n)
{
    edge_rng ^= edge_rng << 13, edge_rng ^= edge_rng >> 7, edge_rng ^= edge_rng << 17;
    return (uint32_t)(edge_rng % n);
}

/* The reads of the edge BAM and the index of the next read after which
 * its BGZF block ends. */
typedef struct {
    const edge_read_t *r;
    int next_flush;
} edge_file_t;

/* Read i of the edge BAM: "e<i>", 100 bp of A, shaped by its kind. */
static int make_edge_read(void *ud, int i, bam1_t *b)
{
    edge_file_t *f = ud;
    char name[32], seq[101], qual[100];
    memset(seq, 'A', 100);
    seq[100] = 0;
    memset(qual, 30, sizeof qual);
    uint32_t cig[4];
    uint16_t flag;
    snprintf(name, sizeof name, "e%d", i);
    int nc = edge_cigar(f->r[i].kind, cig, &flag);
    assert_true(bam_set1(b, strlen(name), name, flag, f->r[i].tid, f->r[i].pos, flag ? 0 : 60, (size_t)nc, cig, -1,
                         -1, 0, 100, seq, qual, 0) >= 0);
    if (f->r[i].kind == 5)
        b->core.flag = 0; /* (bam_set1 refuses a mapped read without CIGAR; a BAM may hold one) */
    if (i != f->next_flush)
        return 0;
    f->next_flush += 3 + (int)edge_rand(60);
    return 1;
}

/* Writes the edge BAM (read i named "e<i>" in file order) with small BGZF
 * blocks (flushed every few reads, so that spans kb apart share blocks and
 * chunks) and its index (min_shift 0: BAI, else CSI); returns the reads in
 * *ret (caller frees). */
static int write_edge_bam(const char *path, int min_shift, edge_read_t **ret)
{
    int n = 0, cap = 20000;
    edge_read_t *r = malloc((size_t)cap * sizeof(*r));
    assert_non_null(r);
    for (int tid = 0; tid < 3; tid++) {
        for (int pos = 0; pos < edge_len[tid]; pos += 1 + (int)edge_rand(tid == 2 ? 60 : 120)) {
            if (tid == 1 && pos >= 20000 && pos < 36000)
                continue;
            uint32_t u = edge_rand(100);
            int kind = u < 50 ? 0 : u < 90 ? 1 + (int)(u - 50) / 10 : 5 + (int)(u - 90) / 3;
            if (kind == 4 && edge_rand(8) != 0)
                kind = 0; /* long reads rarer */
            if (pos + 42200 > edge_len[tid] && (kind == 1 || kind == 4))
                kind = 0;  /* nothing past a contig's end */
            if (pos + 100 > edge_len[tid] && kind == 0)
                kind = 5;
            r[n++] = (edge_read_t){tid, pos, kind};
            if (n == cap)
                assert_non_null(r = realloc(r, (size_t)(cap *= 2) * sizeof(*r)));
        }
        r[n++] = (edge_read_t){tid, edge_len[tid] - 1, 5}; /* the contig's last base */
    }
    qsort(r, (size_t)n, sizeof(*r), edge_cmp);
    const char *txt = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:300000\n@SQ\tSN:c2\tLN:70000\n"
                      "@SQ\tSN:c3\tLN:40000\n";
    write_bam(path, txt, n, make_edge_read, &(edge_file_t){r, 7}, 0, min_shift);
    *ret = r;
    return n;
}

/* A span from edges: the start or end of a read, a position near it, the
 * contig's ends; of width 1 to 20 kb. */
static vw_aln_span_t edge_span(const edge_read_t *r, int n)
{
    const edge_read_t *e = &r[edge_rand((uint32_t)n)];
    uint32_t cig[4];
    uint16_t flag;
    int nc = edge_cigar(e->kind, cig, &flag);
    hts_pos_t len = flag & BAM_FUNMAP ? 0 : bam_cigar2rlen(nc, cig), end = e->pos + (len > 0 ? len : 1);
    hts_pos_t w = 1 + (hts_pos_t)edge_rand(edge_rand(4) == 0 ? 20000 : 600), beg;
    switch (edge_rand(6)) {
    case 0: beg = end; break;                     /* the read ends at the span's start */
    case 1: beg = e->pos - w; break;              /* the read starts at the span's end */
    case 2: beg = e->pos + (hts_pos_t)edge_rand(200) - 100; break;
    case 3: beg = edge_rand(2) ? 0 : edge_len[e->tid] - w; break; /* a contig's ends */
    case 4: beg = e->tid == 1 ? 20000 + (hts_pos_t)edge_rand(15000) : end - 1; break; /* an empty span */
    default: beg = end - 1; break;
    }
    if (beg < 0)
        beg = 0;
    if (beg + w > edge_len[e->tid])
        w = edge_len[e->tid] - beg;
    return (vw_aln_span_t){e->tid, beg, beg + (w > 0 ? w : 1)};
}

static int span_cmp(const void *x, const void *y)
{
    const vw_aln_span_t *a = x, *b = y;
    return a->tid != b->tid ? a->tid - b->tid : a->beg < b->beg ? -1 : a->beg > b->beg;
}

typedef struct {
    int n, cap;
    int64_t *rec; /* (span << 32) | the read's number in its name */
} seen_t;

static void seen_add(seen_t *t, const bam1_t *b, int span)
{
    if (t->n == t->cap)
        assert_non_null(t->rec = realloc(t->rec, (size_t)(t->cap = t->cap ? 2 * t->cap : 4096) * sizeof(*t->rec)));
    t->rec[t->n++] = ((int64_t)span << 32) | atoi(bam_get_qname(b) + 1);
}

static int seen_read(void *ud, const bam1_t *b, int span, uint64_t word)
{
    (void)word;
    seen_add(ud, b, span);
    return 0;
}

/* The reads of each span in turn as htslib's iterator gives them. */
static void iterator_reads(const char *path, hts_idx_t *idx, const vw_aln_span_t *sp, int n, seen_t *t)
{
    samFile *fp = sam_open(path, "r");
    assert_non_null(fp);
    sam_hdr_t *h = sam_hdr_read(fp);
    assert_non_null(h);
    bam1_t *b = bam_init1();
    for (int s = 0; s < n; s++) {
        hts_itr_t *itr = sam_itr_queryi(idx, sp[s].tid, sp[s].beg, sp[s].end);
        assert_non_null(itr);
        int r;
        while ((r = sam_itr_next(fp, itr, b)) >= 0)
            seen_add(t, b, s);
        assert_int_equal(r, -1);
        hts_itr_destroy(itr);
    }
    bam_destroy1(b);
    sam_hdr_destroy(h);
    sam_close(fp);
}

/* vw_aln_walk's own chunk loop for a BAM hands on the reads htslib's
 * iterator gives, span by span in the same order (a read overlapping
 * two spans twice), on spans whose edges are reads' starts and ends, in
 * file order and shuffled (seeks back into the loaded block and past it),
 * single- and multi-threaded decompression; BAM 'name' indexed with
 * 'min_shift' (see write_edge_bam). */
static void walk_chunks_check(const char *name, int min_shift)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    edge_read_t *r = NULL;
    int n = write_edge_bam(p, min_shift, &r);
    enum { N_SP = 400 };
    vw_aln_span_t *sp = malloc(N_SP * sizeof(*sp));
    assert_non_null(sp);
    for (int i = 0; i < N_SP; i++)
        sp[i] = edge_span(r, n);
    for (int order = 0; order < 2; order++) {
        if (order == 0) {
            qsort(sp, N_SP, sizeof(*sp), span_cmp);
        } else {
            for (int i = N_SP - 1; i > 0; i--) {
                int j = (int)edge_rand((uint32_t)i + 1);
                vw_aln_span_t x = sp[i];
                sp[i] = sp[j], sp[j] = x;
            }
        }
        for (int threads = 0; threads <= 2; threads += 2) {
            vw_aln_t *a = NULL;
            hts_idx_t *idx = NULL;
            assert_int_equal(vw_aln_open(p, NULL, threads, 0, &a), 0);
            assert_int_equal(vw_aln_index(a, NULL, &idx), 0);
            seen_t want = {0, 0, NULL}, got = {0, 0, NULL};
            iterator_reads(p, idx, sp, N_SP, &want);
            int64_t n_read = -1;
            assert_int_equal(vw_aln_walk(a, idx, sp, N_SP, NULL, &(vw_aln_reader_t){.read = seen_read, .ud = &got},
                                         &n_read), 0);
            assert_true(want.n > 10 * N_SP); /* (the spans are not mostly empty) */
            assert_int_equal(got.n, want.n);
            assert_int_equal(n_read, want.n);
            assert_memory_equal(got.rec, want.rec, (size_t)want.n * sizeof(*want.rec));
            free(want.rec);
            free(got.rec);
            hts_idx_destroy(idx);
            assert_int_equal(vw_aln_close(a, 0), 0);
        }
    }
    free(sp);
    free(r);
}

static void test_walk_chunks(void **state)
{
    (void)state;
    walk_chunks_check("edges.bam", 0);
    walk_chunks_check("edges_csi.bam", 14);
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
        cmocka_unit_test(test_walk_chunks),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_stream_end),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
