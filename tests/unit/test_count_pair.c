/* test_count_pair.c -- pairing mates in the fragment unit: a read whose
 * mate starts after it does not look its mate up (it cannot be waiting
 * yet), and the walk hashes the names of some reads early and the others
 * only when they come to wait.  Reads placed by hand at one SNV: mates
 * starting at the same position (several pairs interleaved, agreeing and
 * disagreeing), the mate before and after, after the target, on another
 * contig, unmapped, and unpaired reads.  The counts must equal a hand
 * count (below) and the general path's (count_general_only: every paired
 * read looks its mate up), through the index and streaming (with and
 * without a decoding thread), with the pending-mate table unbounded and
 * bounded at 2 reads (spills), and with names long enough to be held
 * outside the waiting record. */
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
#include "../../src/count_priv.h"

#define LEN1 2000
#define RLEN 50
#define SNV 999 /* 0-based; REF A (the reference is all A), ALT C */

static char dir[] = "/tmp/vw_test_count_pair_XXXXXX";
static char bam_path[600], tsv[600];

typedef struct {
    int tid, pos, order;
    char *line;
} rec_t;

static rec_t recs[64];
static int n_recs;

static int rec_cmp(const void *a, const void *b)
{
    const rec_t *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid - y->tid;
    if (x->pos != y->pos)
        return x->pos - y->pos;
    return x->order - y->order; /* at one position: the order of add() */
}

/* A read of RLEN bases at pos (0-based) on contig tid ("c1" or "c2"),
 * all A but 'base' at SNV when it covers it; mtid -1: no mate placed. */
static void add(const char *name, int flag, int tid, int pos, int mtid, int mpos, char base)
{
    char seq[RLEN + 1], qual[RLEN + 1];
    for (int i = 0; i < RLEN; i++) {
        seq[i] = tid == 0 && pos + i == SNV ? base : 'A';
        qual[i] = 'I';
    }
    seq[RLEN] = qual[RLEN] = '\0';
    const char *mctg = mtid < 0 ? "*" : mtid == tid ? "=" : mtid == 0 ? "c1" : "c2";
    kstring_t ks = {0, 0, NULL};
    ksprintf(&ks, "%s\t%d\t%s\t%d\t60\t%dM\t%s\t%d\t0\t%s\t%s", name, flag, tid ? "c2" : "c1", pos + 1, RLEN, mctg,
             mpos + 1, seq, qual);
    recs[n_recs] = (rec_t){tid, pos, n_recs, ks.s};
    n_recs++;
}

/* The reads, with 'pad' characters appended to every name.  Hand count at
 * the SNV (fragments): alt 5 + 2 + 1 = 8, ref 4 + 3 + 3 = 10, discordant 2. */
static void write_bam(int pad)
{
    char nm[16][200];
    for (int i = 0; i < 16; i++) {
        int n = snprintf(nm[i], sizeof nm[i], "r%d_", i);
        for (int k = 0; k < pad; k++)
            nm[i][n + k] = (char)('a' + (i + k) % 26);
        nm[i][n + pad] = '\0';
    }
    n_recs = 0;
    /* mates starting at the same position, read 1 of each pair first, the
     * pairs interleaved: 5 fragments showing ALT */
    for (int i = 0; i < 5; i++)
        add(nm[i], 0x1 | 0x2 | 0x20 | 0x40, 0, 980, 0, 980, 'C');
    for (int i = 4; i >= 0; i--)
        add(nm[i], 0x1 | 0x2 | 0x10 | 0x80, 0, 980, 0, 980, 'C');
    /* at the same position, mates that disagree (read 2 first): 2 discordant */
    for (int i = 5; i < 7; i++) {
        add(nm[i], 0x1 | 0x2 | 0x10 | 0x80, 0, 975, 0, 975, 'A');
        add(nm[i], 0x1 | 0x2 | 0x20 | 0x40, 0, 975, 0, 975, 'C');
    }
    /* the mate after (overlapping, both over the SNV): 4 REF fragments */
    for (int i = 7; i < 11; i++) {
        add(nm[i], 0x1 | 0x2 | 0x20 | 0x40, 0, 960, 0, 990, 'A');
        add(nm[i], 0x1 | 0x2 | 0x10 | 0x80, 0, 990, 0, 960, 'A');
    }
    /* the mate after the SNV (it cannot cover it): 3 REF, counted at once */
    for (int i = 11; i < 14; i++) {
        add(nm[i], 0x1 | 0x2 | 0x20 | 0x40, 0, 955, 0, 1020, 'A');
        add(nm[i], 0x1 | 0x2 | 0x10 | 0x80, 0, 1020, 0, 955, 'A');
    }
    /* the mate on the other contig: 2 ALT, one a read */
    for (int i = 14; i < 16; i++) {
        add(nm[i], 0x1 | 0x40, 0, 985, 1, 100, 'C');
        add(nm[i], 0x1 | 0x80, 1, 100, 0, 985, 'A');
    }
    /* unpaired reads: 3 REF; a read whose mate is unmapped: 1 ALT */
    add("u1", 0, 0, 970, -1, -1, 'A');
    add("u2", 0x10, 0, 972, -1, -1, 'A');
    add("u3", 0, 0, 980, -1, -1, 'A');
    add("m1", 0x1 | 0x8 | 0x40, 0, 965, 0, 965, 'C');
    qsort(recs, (size_t)n_recs, sizeof(rec_t), rec_cmp);

    kstring_t header = {0, 0, NULL}, reads = {0, 0, NULL};
    ksprintf(&header, "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:%d\n@SQ\tSN:c2\tLN:%d\n", LEN1, LEN1);
    for (int i = 0; i < n_recs; i++) {
        kputs(recs[i].line, &reads);
        kputc('\n', &reads);
        free(recs[i].line);
    }
    vw_test_sam_to_bam(header.s, reads.s, bam_path, 1);
    free(header.s);
    free(reads.s);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(bam_path, sizeof bam_path, "%s/r.bam", dir);
    snprintf(tsv, sizeof tsv, "%s/targets.tsv", dir);
    FILE *fp = fopen(tsv, "w");
    if (!fp)
        return -1;
    fprintf(fp, "chrom\tpos\tref\talt\tid\nc1\t%d\tA\tC\tsnv\n", SNV + 1);
    fclose(fp);
    vw_log_set_level(VW_LOG_ERROR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(dir);
}

/* mode 0: through the index; 1: streamed; 2: streamed with a decoding
 * thread (the walk's first look at each record, hook_prepare, then runs
 * apart from the look-ahead hook; in the other modes one hook does both) */
static vw_sample_counts_t *count(const vw_targets_t *ts, int mode, size_t mate_buffer, int general)
{
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.stream = mode > 0;
    opt.threads = mode == 2 ? 2 : 1;
    opt.mate_buffer = mate_buffer;
    count_general_only = general;
    vw_sample_counts_t *s = NULL;
    int rc = vw_count_file(bam_path, "x", ts, &opt, &s);
    count_general_only = 0;
    assert_int_equal(rc, 0);
    return s;
}

static void check_pairs(int pad)
{
    write_bam(pad);
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, tsv, NULL), 0);
    vw_targets_sort_unique(ts);
    assert_int_equal(ts->n, 1);
    static const size_t bounds[] = {0, 2, VW_MATE_BUFFER};
    for (int mode = 0; mode < 3; mode++)
        for (int k = 0; k < 3; k++)
            for (int general = 0; general < 2; general++) {
                vw_sample_counts_t *s = count(ts, mode, bounds[k], general);
                const vw_count_t *c = &s->c[0];
                assert_int_equal(c->alt, 8);
                assert_int_equal(c->ref, 10);
                assert_int_equal(c->other, 0);
                assert_int_equal(c->discordant, 2);
                assert_int_equal(c->depth, 18);
                /* fragment strand: read 1's (reverse in the unpaired u2
                 * only): ALT 5 + 2 + 1 forward, REF 4 + 3 + 2 forward, 1 reverse */
                assert_int_equal(c->alt_fwd, 8);
                assert_int_equal(c->ref_fwd, 9);
                assert_int_equal(c->ref_rev, 1);
                vw_sample_counts_destroy(s);
            }
    vw_targets_destroy(ts);
}

static void test_pairs_short_names(void **state)
{
    (void)state;
    check_pairs(0);
}

/* Names past the waiting record's inline buffer, and of 8 to 16
 * characters (the hash's shorter branches). */
static void test_pairs_long_names(void **state)
{
    (void)state;
    check_pairs(NAME_INLINE + 20);
    check_pairs(8);
}

/* The hash reads the name's length from the record: the same value as
 * from the string, for names of every length up to 3 x 16 + 1 bytes. */
static void test_read_hash(void **state)
{
    (void)state;
    char name[64];
    bam1_t *b = bam_init1();
    assert_non_null(b);
    for (int n = 1; n < 50; n++) {
        for (int i = 0; i < n; i++)
            name[i] = (char)('!' + (i * 7 + n) % 90);
        name[n] = '\0';
        assert_true(bam_set1(b, (size_t)n, name, 0x1, 0, 100, 60, 0, NULL, 0, 200, 0, 0, NULL, NULL, 0) >= 0);
        assert_int_equal(count_qname_len(b), n);
        assert_true(count_read_hash(b) == count_name_hash(name));
        /* the padding to 4 bytes not counted in l_extranul (a writer's
         * record): the same length, from the slower path */
        uint8_t extranul = b->core.l_extranul;
        b->core.l_extranul = 0;
        assert_int_equal(count_qname_len(b), n);
        b->core.l_extranul = extranul;
        /* one character changed, anywhere: another hash (a 64-bit hash
         * collides on these few names with probability ~1e-16) */
        for (int i = 0; i < n; i++) {
            char c = name[i];
            name[i] = (char)(c == 'x' ? 'y' : 'x');
            assert_true(count_name_hash(name) != count_read_hash(b));
            name[i] = c;
        }
    }
    bam_destroy1(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs_short_names),
        cmocka_unit_test(test_pairs_long_names),
        cmocka_unit_test(test_read_hash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
