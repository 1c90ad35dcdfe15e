/* test_count_fast.c -- the counting engine's fast paths (the SNV allele of
 * a read aligned in one block, the wheel left alone while the stream
 * stands still) against its general paths (a CIGAR walk per target, the
 * wheel checked at every read), which the other count tests check against
 * hand counts and samtools.
 *
 * Random reads, seeded: pairs with overlapping and distant mates, soft and
 * hard clips, insertions, deletions, skips, =/X blocks, N bases, low and
 * missing (QUAL '*') qualities, unmapped mates, mates on another contig,
 * single reads, duplicates, low mapping qualities; targets of every kind
 * (SNV, MNV, deletion, insertion).  Every field of every count, the
 * fragment-length histograms and the self background must be equal, in
 * both units, through the index and streaming, with the pending-mate table
 * unbounded, bounded at 4 reads (spills) and at the default.
 *
 * The pending-mate table: the same reads under names of every length
 * (1 to 250 characters: in the waiting record, at its limit, allocated)
 * give the same counts as under short names; and its lookup, on two names
 * whose hashes share the 32 bits a slot keeps, and on two names given one
 * hash, finds each waiting read by its name alone. */
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

#define LEN1 3000
#define LEN2 600

static char dir[] = "/tmp/vw_test_count_fast_XXXXXX";
static char bam_path[600], tsv[600];
static char ref1[LEN1 + 1], ref2[LEN2 + 1];

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct {
    int tid;
    int pos;
    char *line; /* the SAM line, from QNAME */
} rec_t;

static int rec_cmp(const void *a, const void *b)
{
    const rec_t *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid - y->tid;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* A random CIGAR over the read at ref position pos: returns the query
 * length and fills cig (text) and *rlen. */
static int random_cigar(kstring_t *cig, int *rlen)
{
    int ql = 0, rl = 0;
    cig->l = 0;
    int plain = rnd(10) < 7;
    if (rnd(8) == 0)
        ksprintf(cig, "%dH", 1 + rnd(5));
    if (rnd(4) == 0) {
        int s = 1 + (int)rnd(8);
        ksprintf(cig, "%dS", s);
        ql += s;
    }
    int nb = plain ? 1 : 1 + (int)rnd(3);
    for (int k = 0; k < nb; k++) {
        int m = (plain ? 30 : 5) + (int)rnd(plain ? 120 : 50);
        char op = plain || rnd(3) ? 'M' : rnd(2) ? '=' : 'X';
        ksprintf(cig, "%d%c", m, op);
        ql += m;
        rl += m;
        if (k + 1 < nb) {
            int l = 1 + (int)rnd(4), t = rnd(5);
            ksprintf(cig, "%d%c", l, t < 2 ? 'I' : t < 4 ? 'D' : 'N');
            ql += t < 2 ? l : 0;
            rl += t < 2 ? 0 : l;
        }
    }
    if (rnd(4) == 0) {
        int s = 1 + (int)rnd(8);
        ksprintf(cig, "%dS", s);
        ql += s;
    }
    *rlen = rl;
    return ql;
}

/* SEQ and QUAL of a read of ql bases from ref (mostly matching, some
 * errors, N, an inserted base now and then). */
static void random_seq(kstring_t *ks, const char *ref, int reflen, int pos, int ql)
{
    char seq[400], qual[400];
    for (int i = 0; i < ql; i++) {
        int p = pos + i < reflen ? pos + i : reflen - 1;
        unsigned r = rnd(1000);
        seq[i] = r < 15 ? "ACGT"[rnd(4)] : r < 18 ? 'N' : ref[p];
        unsigned q = rnd(100);
        qual[i] = (char)(33 + (q < 8 ? (int)rnd(20) : 30 + (int)rnd(11)));
    }
    seq[ql] = qual[ql] = '\0';
    if (rnd(60) == 0)
        strcpy(qual, "*");
    ksprintf(ks, "%s\t%s", seq, qual);
}

static void add_read(rec_t *r, int *n, const char *name, int flag, int tid, int pos, int mapq, int mtid, int mpos,
                     int isize)
{
    kstring_t ks = {0, 0, NULL}, cig = {0, 0, NULL};
    int rlen, ql = random_cigar(&cig, &rlen);
    const char *ctg = tid == 0 ? "c1" : "c2";
    const char *mctg = mtid < 0 ? "*" : mtid == tid ? "=" : mtid == 0 ? "c1" : "c2";
    ksprintf(&ks, "%s\t%d\t%s\t%d\t%d\t%s\t%s\t%d\t%d\t", name, flag, ctg, pos + 1, mapq, cig.s, mctg, mpos + 1,
             isize);
    random_seq(&ks, tid == 0 ? ref1 : ref2, tid == 0 ? LEN1 : LEN2, pos, ql);
    r[*n].tid = tid;
    r[*n].pos = pos;
    r[*n].line = ks.s;
    (*n)++;
    free(cig.s);
}

/* Read names: 0 "p<i>"; 1 "p<i>" padded to a length drawn (by i, not from
 * the reads' random stream) from lengths around the waiting record's
 * inline name (NAME_INLINE) and far past it. */
static int name_style;

static void pair_name(char *name, size_t size, int i)
{
    static const int lens[] = {1, 12, NAME_INLINE - 2, NAME_INLINE - 1, NAME_INLINE, NAME_INLINE + 1, 150, 250};
    int n = snprintf(name, size, "p%d", i);
    if (name_style == 0)
        return;
    int want = lens[((unsigned)i * 2654435761u >> 7) % (sizeof lens / sizeof lens[0])];
    for (; n < want && n + 1 < (int)size; n++)
        name[n] = (char)('a' + (i + n) % 26);
    name[n] = '\0';
}

/* Writes dir/r.bam (indexed) with about 2 * n_pairs random reads. */
static void write_bam(int n_pairs)
{
    rec_t *r = calloc((size_t)n_pairs * 2 + 8, sizeof(*r));
    assert_non_null(r);
    int n = 0;
    for (int i = 0; i < n_pairs; i++) {
        char name[256];
        pair_name(name, sizeof name, i);
        int tid = rnd(10) == 0 ? 1 : 0, len = tid ? LEN2 : LEN1;
        int p1 = 50 + (int)rnd((unsigned)len - 400), frag = 60 + (int)rnd(250), p2 = p1 + frag - 100;
        if (p2 < p1 - 20)
            p2 = p1 - 20;
        if (p2 < 0)
            p2 = 0;
        int mq = rnd(20) == 0 ? (int)rnd(20) : 60, dup = rnd(30) == 0 ? 0x400 : 0, kind = rnd(20);
        int rev1 = rnd(2) ? 0x10 : 0, rev2 = rev1 ? 0 : 0x10;
        if (kind == 0) { /* a single read */
            add_read(r, &n, name, rev1 | dup, tid, p1, mq, -1, -1, 0);
        } else if (kind == 1) { /* the mate unmapped, placed at the read */
            add_read(r, &n, name, 0x1 | 0x8 | 0x40 | rev1, tid, p1, mq, tid, p1, 0);
        } else if (kind == 2) { /* the mate on the other contig */
            add_read(r, &n, name, 0x1 | 0x40 | rev1, tid, p1, mq, 1 - tid, 100, 0);
            add_read(r, &n, name, 0x1 | 0x80 | rev2, 1 - tid, 100, mq, tid, p1, 0);
        } else {
            int isize = kind == 3 ? 0 : p2 + 100 - p1;
            add_read(r, &n, name, 0x1 | 0x2 | 0x40 | rev1 | (rev2 ? 0x20 : 0) | dup, tid, p1, mq, tid, p2, isize);
            add_read(r, &n, name, 0x1 | 0x2 | 0x80 | rev2 | (rev1 ? 0x20 : 0) | dup, tid, p2, mq, tid, p1, -isize);
        }
    }
    qsort(r, (size_t)n, sizeof(*r), rec_cmp);
    kstring_t header = {0, 0, NULL}, reads = {0, 0, NULL};
    ksprintf(&header, "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:%d\n@SQ\tSN:c2\tLN:%d\n", LEN1, LEN2);
    for (int i = 0; i < n; i++) {
        kputs(r[i].line, &reads);
        kputc('\n', &reads);
        free(r[i].line);
    }
    free(r);
    vw_test_sam_to_bam(header.s, reads.s, bam_path, 1);
    free(header.s);
    free(reads.s);
}

/* Targets: SNVs every 37 bp on c1 and every 53 bp on c2 (REF from the
 * reference), an MNV, a deletion and an insertion on c1. */
static void write_targets(void)
{
    FILE *fp = fopen(tsv, "w");
    assert_non_null(fp);
    fprintf(fp, "chrom\tpos\tref\talt\tid\n");
    int k = 0;
    for (int p = 120; p < LEN1 - 120; p += 37) {
        char ref = ref1[p], alt = "ACGT"[(strchr("ACGT", ref) - "ACGT" + 1 + (int)rnd(3)) % 4];
        fprintf(fp, "c1\t%d\t%c\t%c\ts%d\n", p + 1, ref, alt, k++);
    }
    for (int p = 130; p < LEN2 - 130; p += 53)
        fprintf(fp, "c2\t%d\t%c\t%c\ts%d\n", p + 1, ref2[p], ref2[p] == 'A' ? 'G' : 'A', k++);
    char mnv[3] = {"CGTA"[strchr("ACGT", ref1[1000]) - "ACGT"], "CGTA"[strchr("ACGT", ref1[1001]) - "ACGT"], 0};
    fprintf(fp, "c1\t%d\t%.2s\t%s\tmnv\n", 1001, ref1 + 1000, mnv);
    fprintf(fp, "c1\t%d\t%.3s\t%c\tdel\n", 1501, ref1 + 1500, ref1[1500]);
    fprintf(fp, "c1\t%d\t%c\t%cA\tins\n", 2001, ref1[2000], ref1[2000]);
    fclose(fp);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(bam_path, sizeof bam_path, "%s/r.bam", dir);
    snprintf(tsv, sizeof tsv, "%s/targets.tsv", dir);
    for (int i = 0; i < LEN1; i++)
        ref1[i] = "ACGT"[rnd(4)];
    for (int i = 0; i < LEN2; i++)
        ref2[i] = "ACGT"[rnd(4)];
    vw_log_set_level(VW_LOG_ERROR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vw_test_rm_bam(bam_path);
    unlink(tsv);
    rmdir(dir);
    return 0;
}

static void assert_counts_equal(const vw_sample_counts_t *x, const vw_sample_counts_t *y)
{
    assert_int_equal(x->n, y->n);
    assert_int_equal(x->n_reads, y->n_reads);
    assert_int_equal(x->n_used, y->n_used);
    assert_int_equal(x->n_informative, y->n_informative);
    for (int i = 0; i < x->n; i++)
        vw_test_assert_count_equal(&x->c[i], &y->c[i]);
    assert_int_equal(x->have_self, y->have_self);
    assert_memory_equal(&x->self, &y->self, sizeof(x->self));
}

static vw_sample_counts_t *count(const vw_targets_t *ts, int mode, int general)
{
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.stream = mode & 1;
    opt.unit = mode & 2 ? VW_UNIT_READ : VW_UNIT_FRAGMENT;
    opt.mate_buffer = (mode >> 2) == 0 ? VW_MATE_BUFFER : (mode >> 2) == 1 ? 4 : 0;
    opt.self_flank = opt.stream ? -1 : 20;
    opt.min_bq = 20;
    opt.min_mq = 10;
    count_general_only = general;
    vw_sample_counts_t *s = NULL;
    int rc = vw_count_file(bam_path, "x", ts, &opt, &s);
    count_general_only = 0;
    assert_int_equal(rc, 0);
    return s;
}

static void run(int n_pairs)
{
    if (getenv("VW_UNDER_VALGRIND")) /* the same paths, fewer reads */
        n_pairs /= 4;
    write_bam(n_pairs);
    write_targets();
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, tsv, NULL), 0);
    vw_targets_sort_unique(ts);
    assert_true(ts->n > 80);
    for (int mode = 0; mode < 12; mode++) {
        vw_sample_counts_t *fast = count(ts, mode, 0), *general = count(ts, mode, 1);
        int64_t depth = 0, alt = 0;
        for (int i = 0; i < fast->n; i++) {
            depth += fast->c[i].depth;
            alt += fast->c[i].alt;
        }
        assert_true(depth > n_pairs); /* the reads do inform */
        assert_true(alt > 0);
        assert_counts_equal(fast, general);
        vw_sample_counts_destroy(fast);
        vw_sample_counts_destroy(general);
    }
    vw_targets_destroy(ts);
}

static void test_fast_equals_general(void **state)
{
    (void)state;
    run(3000);
}

/* Deep: many reads wait at once, so that the bound of 4 spills often. */
static void test_fast_equals_general_deep(void **state)
{
    (void)state;
    run(12000);
}

/* The same reads under long and short names: every count equal, in every
 * mode (the waiting records take names of every length in turn). */
static void test_name_lengths(void **state)
{
    (void)state;
    int n_pairs = getenv("VW_UNDER_VALGRIND") ? 1500 : 6000;
    uint64_t seed = rng;
    name_style = 0;
    write_bam(n_pairs);
    write_targets();
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, tsv, NULL), 0);
    vw_targets_sort_unique(ts);
    vw_sample_counts_t *short_names[12];
    for (int mode = 0; mode < 12; mode++)
        short_names[mode] = count(ts, mode, 0);
    rng = seed;
    name_style = 1;
    write_bam(n_pairs);
    name_style = 0;
    for (int mode = 0; mode < 12; mode++) {
        vw_sample_counts_t *long_names = count(ts, mode, mode & 1);
        assert_counts_equal(short_names[mode], long_names);
        vw_sample_counts_destroy(long_names);
        vw_sample_counts_destroy(short_names[mode]);
    }
    vw_targets_destroy(ts);
}

typedef struct {
    uint64_t h;
    int i;
} hn_t;

static int hn_cmp(const void *a, const void *b)
{
    uint32_t x = (uint32_t)((const hn_t *)a)->h, y = (uint32_t)((const hn_t *)b)->h;
    return (x > y) - (x < y);
}

/* A read named 'name' with hash h waiting in e (at mate start 1000). */
static void wait_read(engine_t *e, const char *name, uint64_t h)
{
    bam1_t *b = bam_init1();
    assert_non_null(b);
    assert_true(bam_set1(b, strlen(name), name, 0x1 | 0x40, 0, 900, 60, 0, NULL, 0, 1000, 200, 0, NULL, NULL, 0)
                >= 0);
    assert_int_equal(count_pend_add(e, b, 200, h, e->obs, e->n_obs), 0);
    bam_destroy1(b);
}

static int waiting_idx(const engine_t *e, const char *name, uint64_t h)
{
    long k = count_tab_find(e, name, h);
    return k < 0 ? -1 : e->tab[k].idx;
}

static void test_table_lookup_exact(void **state)
{
    (void)state;
    /* two names whose hashes agree in the low 32 bits (a slot's) and not
     * in the high: found by a search over 2^18 names (about 8 such pairs
     * expected) */
    enum { N = 1 << 18 };
    hn_t *hn = malloc(N * sizeof(*hn));
    assert_non_null(hn);
    char a[32], b[32];
    for (int i = 0; i < N; i++) {
        snprintf(a, sizeof a, "HWI:%d", i);
        hn[i] = (hn_t){count_name_hash(a), i};
    }
    qsort(hn, N, sizeof(*hn), hn_cmp);
    int ia = -1, ib = -1;
    for (int i = 1; i < N && ia < 0; i++)
        if ((uint32_t)hn[i].h == (uint32_t)hn[i - 1].h && hn[i].h != hn[i - 1].h) {
            ia = hn[i - 1].i;
            ib = hn[i].i;
        }
    free(hn);
    assert_true(ia >= 0);
    snprintf(a, sizeof a, "HWI:%d", ia);
    snprintf(b, sizeof b, "HWI:%d", ib);
    uint64_t ha = count_name_hash(a), hb = count_name_hash(b);
    assert_true((uint32_t)ha == (uint32_t)hb && ha != hb);

    engine_t e;
    memset(&e, 0, sizeof e);
    obs_t o = {0, CODE_ALT, 30, 0, 60, 0};
    e.obs = &o;
    e.n_obs = 1;
    e.tab_mask = 15;
    e.tab = malloc(16 * sizeof(*e.tab));
    e.wheel = malloc(WHEEL * sizeof(int));
    assert_non_null(e.tab);
    assert_non_null(e.wheel);
    for (int i = 0; i < 16; i++)
        e.tab[i].idx = -1;
    for (int i = 0; i < WHEEL; i++)
        e.wheel[i] = -1;
    char lng[200];
    memset(lng, 'L', sizeof lng - 1);
    lng[sizeof lng - 1] = '\0';
    wait_read(&e, a, ha);
    wait_read(&e, b, hb);
    wait_read(&e, "same-hash-1", 42); /* two names given one hash: the names decide */
    wait_read(&e, "same-hash-2", 42);
    wait_read(&e, lng, count_name_hash(lng));
    assert_int_equal(e.tab_n, 5);
    assert_int_equal(waiting_idx(&e, a, ha), 0);
    assert_int_equal(waiting_idx(&e, b, hb), 1);
    assert_int_equal(waiting_idx(&e, a, hb), -1);
    assert_int_equal(waiting_idx(&e, "same-hash-1", 42), 2);
    assert_int_equal(waiting_idx(&e, "same-hash-2", 42), 3);
    assert_int_equal(waiting_idx(&e, "same-hash-3", 42), -1);
    assert_int_equal(waiting_idx(&e, lng, count_name_hash(lng)), 4);
    lng[150] = 'M';
    assert_int_equal(waiting_idx(&e, lng, count_name_hash(lng)), -1);
    assert_string_equal(pend_name(POOL(&e, 1)), b);
    assert_int_equal(POOL(&e, 1)->mpos, 1000);
    /* deleting one of the names sharing a hash leaves the other found */
    count_tab_delete(&e, (size_t)count_tab_find(&e, "same-hash-1", 42));
    assert_int_equal(waiting_idx(&e, "same-hash-1", 42), -1);
    assert_int_equal(waiting_idx(&e, "same-hash-2", 42), 3);
    assert_int_equal(waiting_idx(&e, b, hb), 1);
    for (int i = 0; i < e.n_pool; i++)
        free(POOL(&e, i)->heap_name);
    free(e.chunks[0]);
    free(e.chunks);
    free(e.free_list);
    free(e.tab);
    free(e.wheel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_equals_general),
        cmocka_unit_test(test_fast_equals_general_deep),
        cmocka_unit_test(test_name_lengths),
        cmocka_unit_test(test_table_lookup_exact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
