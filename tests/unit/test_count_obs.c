/* test_count_obs.c -- the alleles of reads at their edges: the fast path
 * of the SNV alleles (a read aligned in one block, its qualities present:
 * count_obs.c observe_block) against the general path (a CIGAR walk per
 * target and every base's quality checked: count_general_only), and a
 * hand count of the same edges.
 *
 * The targets are SNVs at every position of c1:301-420, with an MNV, a
 * deletion and an insertion among them, so that every read starting in
 * that range has a target at its first and its last aligned base, and a
 * read in one block meets the other kinds between SNVs (the fast loop
 * hands the rest of the read to the general one there). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/faidx.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vw_test.h"
#include "vw_test_bam.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "../../src/count_priv.h"

#define LEN 1000
#define T_BEG 300 /* SNV targets at 0-based [T_BEG, T_END) */
#define T_END 420

static char dir[] = "/tmp/vw_test_count_obs_XXXXXX";
static char bam_path[600], tsv[600];
static char ref[LEN + 1];

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* The ALT of the SNV at p: the base after REF in ACGT, cyclically. */
static char alt_at(int p)
{
    return "CGTA"[strchr("ACGT", ref[p]) - "ACGT"];
}

static void write_targets(void)
{
    FILE *fp = fopen(tsv, "w");
    assert_non_null(fp);
    fprintf(fp, "chrom\tpos\tref\talt\tid\n");
    for (int p = T_BEG; p < T_END; p++)
        fprintf(fp, "c1\t%d\t%c\t%c\ts%d\n", p + 1, ref[p], alt_at(p), p);
    /* an MNV at 340-341, a deletion of 361-362 (anchored at 360), an insertion after 380 */
    fprintf(fp, "c1\t341\t%.2s\t%c%c\tmnv\n", ref + 340, alt_at(340), alt_at(341));
    fprintf(fp, "c1\t361\t%.3s\t%c\tdel\n", ref + 360, ref[360]);
    fprintf(fp, "c1\t381\t%c\t%cA\tins\n", ref[380], ref[380]);
    fclose(fp);
}

static vw_targets_t *load_targets(void)
{
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, tsv, NULL), 0);
    vw_targets_sort_unique(ts);
    assert_int_equal(ts->n, T_END - T_BEG + 3);
    return ts;
}

static const vw_count_t *by_id(const vw_targets_t *ts, const vw_sample_counts_t *s, const char *id)
{
    for (int i = 0; i < ts->n; i++)
        if (strcmp(ts->t[i].id, id) == 0)
            return &s->c[i];
    fail_msg("no target %s", id);
    return NULL;
}

static const vw_count_t *snv(const vw_targets_t *ts, const vw_sample_counts_t *s, int p)
{
    char id[16];
    snprintf(id, sizeof id, "s%d", p);
    return by_id(ts, s, id);
}

/* SAM reads, under the header of contig c1, to dir/r.bam, indexed. */
static void sam_to_bam(const char *text)
{
    char header[128];
    snprintf(header, sizeof header, "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:%d\n", LEN);
    vw_test_sam_to_bam(header, text, bam_path, 1);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(bam_path, sizeof bam_path, "%s/r.bam", dir);
    snprintf(tsv, sizeof tsv, "%s/targets.tsv", dir);
    for (int i = 0; i < LEN; i++)
        ref[i] = "ACGT"[rnd(4)];
    write_targets();
    vw_log_set_level(VW_LOG_ERROR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(dir);
}

/* Counts dir/r.bam: mode bit 0 streaming, bits 1-2 the unit (fragment,
 * read, molecule). */
static vw_sample_counts_t *count(const vw_targets_t *ts, int mode, int min_bq, int general)
{
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.stream = mode & 1;
    opt.unit = (mode >> 1) == 0 ? VW_UNIT_FRAGMENT : (mode >> 1) == 1 ? VW_UNIT_READ : VW_UNIT_MOLECULE;
    opt.min_bq = min_bq;
    count_general_only = general;
    vw_sample_counts_t *s = NULL;
    int rc = vw_count_file(bam_path, "x", ts, &opt, &s);
    count_general_only = 0;
    assert_int_equal(rc, 0);
    return s;
}

/* ------------------------------------------------------------------ */
/* A hand count                                                        */

/* A read line: QNAME FLAG c1 POS(1-based) 60 CIGAR * 0 0 SEQ QUAL. */
static void add_line(kstring_t *ks, const char *name, int pos0, const char *cigar, const char *seq, const char *qual)
{
    ksprintf(ks, "%s\t0\tc1\t%d\t60\t%s\t*\t0\t0\t%s\t%s\n", name, pos0 + 1, cigar, seq, qual);
}

/* The reference [beg, end) into buf, NUL-terminated. */
static char *ref_part(char *buf, int beg, int end)
{
    memcpy(buf, ref + beg, (size_t)(end - beg));
    buf[end - beg] = '\0';
    return buf;
}

/* Single reads (no mates), each built from the reference:
 *   a 4S10M2S at 300: ALT at its first (300) and last (309) aligned base, REF between; the
 *     clipped bases (outside the block) count nowhere;
 *   b 10M at 310, QUAL '*': no quality, so nothing at min BQ 20; REF at 310-319 at min BQ 0;
 *   c 2S10M at 320: N (quality 20) at 320, quality 19 at 321: other at 320, nothing at 321
 *     (REF at min BQ 0);
 *   d 12M at 335: the MNV (REF) among SNVs, ALT at 344;
 *   e 6M2D9M at 355 (walked): REF at 355-360, the deletion's ALT, the deleted 361-362 other,
 *     REF at 363-371;
 *   f 10M at 375, QUAL '*': the insertion's REF (indels take no base quality), SNVs nothing
 *     at min BQ 20;
 *   g 10M3S at 410: ALT at the last target, 419 (the block's last base). */
static void test_hand_count(void **state)
{
    (void)state;
    kstring_t ks = {0, 0, NULL};
    char s[160], q[64], r[32];
    snprintf(s, sizeof s, "ACGT%s", ref_part(r, 300, 310));
    s[4] = alt_at(300);
    s[13] = alt_at(309);
    strcat(s, "GG");
    memset(q, 'I', 16);
    q[16] = '\0';
    add_line(&ks, "a", 300, "4S10M2S", s, q);
    add_line(&ks, "b", 310, "10M", ref_part(r, 310, 320), "*");
    snprintf(s, sizeof s, "TT%s", ref_part(r, 320, 330));
    s[2] = 'N';
    snprintf(q, sizeof q, "II54IIIIIIII");
    add_line(&ks, "c", 320, "2S10M", s, q);
    ref_part(s, 335, 347);
    s[344 - 335] = alt_at(344);
    add_line(&ks, "d", 335, "12M", s, "IIIIIIIIIIII");
    snprintf(s, sizeof s, "%s", ref_part(r, 355, 361));
    strcat(s, ref_part(r, 363, 372));
    add_line(&ks, "e", 355, "6M2D9M", s, "IIIIIIIIIIIIIII");
    add_line(&ks, "f", 375, "10M", ref_part(r, 375, 385), "*");
    snprintf(s, sizeof s, "%sCCC", ref_part(r, 410, 420));
    s[9] = alt_at(419);
    add_line(&ks, "g", 410, "10M3S", s, "IIIIIIIIIIIII");
    sam_to_bam(ks.s);
    free(ks.s);

    vw_targets_t *ts = load_targets();
    for (int k = 0; k < 8; k++) {
        int mode = k & 3, min_bq = k & 4 ? 0 : 20;
        vw_sample_counts_t *x = count(ts, mode, min_bq, 0);
        /* a: ALT at both ends of the block, REF between, nothing beside it */
        assert_int_equal(snv(ts, x, 300)->alt, 1);
        assert_int_equal(snv(ts, x, 309)->alt, 1);
        for (int p = 301; p < 309; p++)
            assert_int_equal(snv(ts, x, p)->ref, 1);
        assert_int_equal(snv(ts, x, 300)->depth, 1);
        assert_int_equal(snv(ts, x, 309)->depth, 1);
        /* b: no quality */
        for (int p = 310; p < 320; p++) {
            assert_int_equal(snv(ts, x, p)->depth, min_bq ? 0 : 1);
            assert_int_equal(snv(ts, x, p)->ref, min_bq ? 0 : 1);
        }
        /* c: N at quality 20, then quality 19 */
        assert_int_equal(snv(ts, x, 320)->other, 1);
        assert_int_equal(snv(ts, x, 320)->depth, 1);
        assert_int_equal(snv(ts, x, 321)->depth, min_bq ? 0 : 1);
        for (int p = 322; p < 330; p++)
            assert_int_equal(snv(ts, x, p)->ref, 1);
        /* d: the MNV among SNVs */
        assert_int_equal(by_id(ts, x, "mnv")->ref, 1);
        assert_int_equal(by_id(ts, x, "mnv")->depth, 1);
        for (int p = 335; p < 347; p++) {
            assert_int_equal(snv(ts, x, p)->depth, 1);
            assert_int_equal(snv(ts, x, p)->alt, p == 344);
        }
        /* e: walked */
        assert_int_equal(by_id(ts, x, "del")->alt, 1);
        assert_int_equal(by_id(ts, x, "del")->depth, 1);
        for (int p = 355; p < 372; p++) {
            assert_int_equal(snv(ts, x, p)->depth, 1);
            assert_int_equal(snv(ts, x, p)->other, p == 361 || p == 362);
        }
        /* f: the insertion without base qualities */
        assert_int_equal(by_id(ts, x, "ins")->ref, 1);
        assert_int_equal(by_id(ts, x, "ins")->depth, 1);
        for (int p = 375; p < 385; p++)
            assert_int_equal(snv(ts, x, p)->depth, min_bq ? 0 : 1);
        /* g: the last target at the block's last base */
        assert_int_equal(snv(ts, x, 419)->alt, 1);
        assert_int_equal(snv(ts, x, 419)->depth, 1);
        for (int p = 410; p < 419; p++)
            assert_int_equal(snv(ts, x, p)->ref, 1);
        /* nothing else: 10 + 10 or 0 + 10 or 9 + 12 + 17 + 10 or 0 + 10 SNVs, 3 others */
        int64_t depth = 0;
        for (int i = 0; i < x->n; i++)
            depth += x->c[i].depth;
        assert_int_equal(depth, 10 + (min_bq ? 0 : 10) + (min_bq ? 9 : 10) + 12 + 17 + (min_bq ? 0 : 10) + 10 + 3);
        vw_sample_counts_destroy(x);
    }
    vw_targets_destroy(ts);
}

/* A mate line: QNAME FLAG c1 POS MAPQ 10M = MPOS ISIZE SEQ QUAL, the
 * reference's bases at [pos0, pos0 + 10) but base 'b' at p, quality 'q'
 * there ('I' elsewhere). */
static void add_mate(kstring_t *ks, const char *name, int flag, int pos0, int mapq, int mpos0, int isize, int p,
                     char b, char q)
{
    char seq[16], qual[16];
    ref_part(seq, pos0, pos0 + 10);
    memset(qual, 'I', 10);
    qual[10] = '\0';
    seq[p - pos0] = b;
    qual[p - pos0] = q;
    ksprintf(ks, "%s\t%d\tc1\t%d\t%d\t10M\t=\t%d\t%d\t%s\t%s\n", name, flag, pos0 + 1, mapq, mpos0 + 1, isize, seq,
             qual);
}

/* Overlapping mates at the SNV 305 (fragments, read 1 forward at 300,
 * read 2 reverse at 302, fragment length 12):
 *   m1 ALT at quality 30 (MAPQ 50) and ALT at quality 40 (MAPQ 60);
 *   m2 ALT at quality 41 (MAPQ 30) and ALT at quality 25 (MAPQ 55);
 *   m3 REF and REF; m4 ALT and REF (discordant).
 * Hand count: alt 2, ref 1, discordant 1, depth 3; a fragment's quality is
 * the better mate's: alt_bq_sum 40 + 41, alt_mq_sum 60 + 55; all forward
 * (read 1's strand); fragment length 12 in both histograms.  By reads
 * instead: alt 5 (quality 30 + 40 + 41 + 25 + 40), ref 3. */
static void test_mates_merge(void **state)
{
    (void)state;
    kstring_t ks = {0, 0, NULL};
    const char a = alt_at(305), r = ref[305];
    add_mate(&ks, "m1", 0x1 | 0x2 | 0x20 | 0x40, 300, 50, 302, 12, 305, a, '?');
    add_mate(&ks, "m2", 0x1 | 0x2 | 0x20 | 0x40, 300, 30, 302, 12, 305, a, 'J');
    add_mate(&ks, "m3", 0x1 | 0x2 | 0x20 | 0x40, 300, 60, 302, 12, 305, r, 'I');
    add_mate(&ks, "m4", 0x1 | 0x2 | 0x20 | 0x40, 300, 60, 302, 12, 305, a, 'I');
    add_mate(&ks, "m1", 0x1 | 0x2 | 0x10 | 0x80, 302, 60, 300, -12, 305, a, 'I');
    add_mate(&ks, "m2", 0x1 | 0x2 | 0x10 | 0x80, 302, 55, 300, -12, 305, a, ':');
    add_mate(&ks, "m3", 0x1 | 0x2 | 0x10 | 0x80, 302, 60, 300, -12, 305, r, 'I');
    add_mate(&ks, "m4", 0x1 | 0x2 | 0x10 | 0x80, 302, 60, 300, -12, 305, r, 'I');
    sam_to_bam(ks.s);
    free(ks.s);
    vw_targets_t *ts = load_targets();
    for (int mode = 0; mode < 4; mode++) {
        vw_sample_counts_t *x = count(ts, mode, 20, 0);
        const vw_count_t *c = snv(ts, x, 305);
        if (mode < 2) { /* fragments */
            assert_int_equal(c->alt, 2);
            assert_int_equal(c->ref, 1);
            assert_int_equal(c->discordant, 1);
            assert_int_equal(c->depth, 3);
            assert_int_equal(c->alt_bq_sum, 40 + 41);
            assert_int_equal(c->alt_mq_sum, 60 + 55);
            assert_int_equal(c->alt_fwd, 2);
            assert_int_equal(c->ref_fwd, 1);
            assert_non_null(c->fl_alt);
            assert_int_equal(c->fl_alt[12], 2);
            assert_int_equal(c->fl_ref[12], 1);
        } else { /* reads */
            assert_int_equal(c->alt, 5);
            assert_int_equal(c->ref, 3);
            assert_int_equal(c->discordant, 0);
            assert_int_equal(c->alt_bq_sum, 30 + 40 + 41 + 25 + 40);
            assert_int_equal(c->alt_mq_sum, 50 + 60 + 30 + 55 + 60);
        }
        vw_sample_counts_destroy(x);
    }
    vw_targets_destroy(ts);
}

/* A deletion in a run, whose window (checked against the reference)
 * starts before an SNV of a lower target index: the reads' observations
 * follow the bound targets (window starts), not the target indexes.
 * Reference (0-based) C at 499, AAAAA at 500-504, G at 505; SNV A>C at
 * 501; deletion of one A (1-based 504 AA>A) with window [500, 505).  Read
 * 1 (490, 50M) shows both as REF; its mate (495, 8M) ends at 502: it
 * shows the SNV, not the deletion (its window's flanks end at 505).  Hand
 * count, fragments: one fragment at each target, REF (its mates agree at
 * the SNV); reads: the SNV twice, the deletion once. */
static void test_window_order(void **state)
{
    (void)state;
    char seq[LEN + 1], path[640], fa[640];
    memcpy(seq, ref, LEN + 1);
    memcpy(seq + 499, "CAAAAAG", 7);
    snprintf(fa, sizeof fa, "%s/w.fa", dir);
    FILE *fp = fopen(fa, "w");
    assert_non_null(fp);
    fprintf(fp, ">c1\n%s\n", seq);
    fclose(fp);
    assert_int_equal(fai_build(fa), 0);
    faidx_t *fai = fai_load(fa);
    assert_non_null(fai);
    snprintf(path, sizeof path, "%s/w.tsv", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "chrom\tpos\tref\talt\tid\nc1\t502\tA\tC\tsnv\nc1\t504\tAA\tA\tdel\n");
    fclose(fp);
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, path, fai), 0);
    assert_int_equal(vw_targets_check_ref(ts, fai, fa), 0);
    vw_targets_sort_unique(ts);
    fai_destroy(fai);
    assert_string_equal(ts->t[0].id, "snv");
    assert_int_equal(ts->t[1].win_beg, 500);

    kstring_t ks = {0, 0, NULL};
    char q[64];
    memset(q, 'I', 50);
    q[50] = '\0';
    ksprintf(&ks, "f\t%d\tc1\t491\t60\t50M\t=\t496\t50\t%.50s\t%s\n", 0x1 | 0x2 | 0x20 | 0x40, seq + 490, q);
    ksprintf(&ks, "f\t%d\tc1\t496\t60\t8M\t=\t491\t-50\t%.8s\t%.8s\n", 0x1 | 0x2 | 0x10 | 0x80, seq + 495, q);
    sam_to_bam(ks.s);
    free(ks.s);
    for (int mode = 0; mode < 4; mode++) {
        vw_sample_counts_t *x = count(ts, mode, 20, 0);
        const vw_count_t *c = by_id(ts, x, "snv"), *d = by_id(ts, x, "del");
        assert_int_equal(c->depth, mode < 2 ? 1 : 2);
        assert_int_equal(c->ref, mode < 2 ? 1 : 2);
        assert_int_equal(d->depth, 1);
        assert_int_equal(d->ref, 1);
        vw_sample_counts_destroy(x);
    }
    vw_targets_destroy(ts);
}

/* ------------------------------------------------------------------ */
/* Fast against general on random reads at the edges                   */

typedef struct {
    int pos;
    char *line;
} rec_t;

static int rec_cmp(const void *a, const void *b)
{
    const rec_t *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* A read of the reference at pos: one block between optional soft clips
 * (5 in 6), else blocks with an insertion, a deletion or a skip between
 * them, or =/X blocks; bases mostly the reference's, some ALT, other and
 * N; qualities from 0 to 41 (about a tenth below 20, the threshold tried),
 * or absent ('*', one read in five).  Tags: UMI (RX), and with 'cons' the
 * family sizes of a consensus read (cD, aD, bD). */
static void add_read(rec_t *r, int *n, const char *name, int flag, int pos, int mpos, int isize, int cons)
{
    kstring_t ks = {0, 0, NULL}, cig = {0, 0, NULL};
    char seq[256], qual[256];
    int ql = 0, p = pos;
    if (rnd(3) == 0) {
        int s = 1 + (int)rnd(6);
        ksprintf(&cig, "%dS", s);
        for (int i = 0; i < s; i++)
            seq[ql++] = "ACGT"[rnd(4)];
    }
    int nb = rnd(6) ? 1 : 2 + (int)rnd(2);
    for (int k = 0; k < nb; k++) {
        int m = 5 + (int)rnd(nb == 1 ? 60 : 20);
        if (p + m > LEN - 20)
            m = 1;
        ksprintf(&cig, "%d%c", m, nb == 1 || rnd(3) ? 'M' : rnd(2) ? '=' : 'X');
        for (int i = 0; i < m; i++, p++) {
            unsigned u = rnd(100);
            seq[ql++] = u < 6 ? alt_at(p < T_BEG || p >= T_END ? T_BEG : p) : u < 9 ? "ACGT"[rnd(4)] : u < 11 ? 'N'
                                                                                                              : ref[p];
        }
        if (k + 1 < nb) {
            int l = 1 + (int)rnd(3), t = rnd(3);
            ksprintf(&cig, "%d%c", l, t == 0 ? 'I' : t == 1 ? 'D' : 'N');
            if (t == 0)
                for (int i = 0; i < l; i++)
                    seq[ql++] = "ACGT"[rnd(4)];
            else
                p += l;
        }
    }
    if (rnd(3) == 0) {
        int s = 1 + (int)rnd(6);
        ksprintf(&cig, "%dS", s);
        for (int i = 0; i < s; i++)
            seq[ql++] = "ACGT"[rnd(4)];
    }
    for (int i = 0; i < ql; i++) {
        unsigned u = rnd(10);
        qual[i] = (char)(33 + (u == 0 ? (int)rnd(20) : u == 1 ? 19 + (int)rnd(3) : 20 + (int)rnd(22)));
    }
    seq[ql] = qual[ql] = '\0';
    if (rnd(5) == 0)
        strcpy(qual, "*");
    ksprintf(&ks, "%s\t%d\tc1\t%d\t60\t%s\t%s\t%d\t%d\t%s\t%s\tRX:Z:%c%c%c%c", name, flag, pos + 1, cig.s,
             mpos < 0 ? "*" : "=", mpos + 1, isize, seq, qual, "ACGT"[rnd(2)], "ACGT"[rnd(2)], "AC"[rnd(2)], 'T');
    if (cons) {
        int a = (int)rnd(4), b = (int)rnd(3);
        ksprintf(&ks, "\tcD:i:%d\taD:i:%d\tbD:i:%d", a + b > 0 ? a + b : 1, a, b);
    }
    r[*n].pos = pos;
    r[*n].line = ks.s;
    (*n)++;
    free(cig.s);
}

/* About 2 * n_pairs reads starting around the targets: pairs whose mates
 * overlap (or not), single reads, unmapped mates. */
static void write_random_bam(int n_pairs, int cons)
{
    rec_t *r = calloc((size_t)n_pairs * 2, sizeof(*r));
    assert_non_null(r);
    int n = 0;
    for (int i = 0; i < n_pairs; i++) {
        char name[32];
        snprintf(name, sizeof name, "q%d", i);
        int p1 = T_BEG - 70 + (int)rnd(T_END - T_BEG + 80), p2 = p1 + (int)rnd(50);
        int rev1 = rnd(2) ? 0x10 : 0, rev2 = rev1 ? 0 : 0x10, kind = rnd(10);
        if (kind == 0) {
            add_read(r, &n, name, rev1, p1, -1, 0, cons);
        } else if (kind == 1) {
            add_read(r, &n, name, 0x1 | 0x8 | 0x40 | rev1, p1, p1, 0, cons);
        } else {
            int isize = p2 + 60 - p1;
            add_read(r, &n, name, 0x1 | 0x2 | 0x40 | rev1 | (rev2 ? 0x20 : 0), p1, p2, isize, cons);
            add_read(r, &n, name, 0x1 | 0x2 | 0x80 | rev2 | (rev1 ? 0x20 : 0), p2, p1, -isize, cons);
        }
    }
    qsort(r, (size_t)n, sizeof(*r), rec_cmp);
    kstring_t ks = {0, 0, NULL};
    for (int i = 0; i < n; i++) {
        kputs(r[i].line, &ks);
        kputc('\n', &ks);
        free(r[i].line);
    }
    free(r);
    sam_to_bam(ks.s);
    free(ks.s);
}

static void assert_hist_equal(const uint32_t *a, const uint32_t *b)
{
    assert_true((a == NULL) == (b == NULL));
    if (a)
        assert_memory_equal(a, b, VW_FRAGLEN_BINS * sizeof(uint32_t));
}

static void assert_counts_equal(const vw_sample_counts_t *x, const vw_sample_counts_t *y)
{
    assert_int_equal(x->n, y->n);
    assert_int_equal(x->n_used, y->n_used);
    assert_int_equal(x->n_informative, y->n_informative);
    for (int i = 0; i < x->n; i++) {
        const vw_count_t *a = &x->c[i], *b = &y->c[i];
        vw_test_assert_count_equal(a, b);
        assert_true((a->mol == NULL) == (b->mol == NULL));
        if (a->mol)
            assert_memory_equal(a->mol, b->mol, sizeof(*a->mol));
    }
}

/* Every unit, streaming and through the index, at min BQ 20 and 0 (where
 * the reads without qualities count, at quality 0). */
static void compare_all(void)
{
    vw_targets_t *ts = load_targets();
    for (int k = 0; k < 12; k++) {
        int mode = k % 6, min_bq = k < 6 ? 20 : 0;
        vw_sample_counts_t *fast = count(ts, mode, min_bq, 0), *general = count(ts, mode, min_bq, 1);
        int64_t depth = 0, alt = 0, other = 0;
        for (int i = 0; i < fast->n; i++) {
            depth += fast->c[i].depth;
            alt += fast->c[i].alt;
            other += fast->c[i].other;
        }
        assert_true(depth > 1000); /* the reads do inform */
        assert_true(alt > 0);
        assert_true(other > 0);
        assert_counts_equal(fast, general);
        vw_sample_counts_destroy(fast);
        vw_sample_counts_destroy(general);
    }
    vw_targets_destroy(ts);
}

static void test_fast_equals_general(void **state)
{
    (void)state;
    write_random_bam(getenv("VW_UNDER_VALGRIND") ? 300 : 1500, 0);
    compare_all();
}

/* Consensus reads (cD, aD, bD): the family byte of every observation. */
static void test_fast_equals_general_consensus(void **state)
{
    (void)state;
    write_random_bam(getenv("VW_UNDER_VALGRIND") ? 300 : 1500, 1);
    compare_all();
}

/* ------------------------------------------------------------------ */
/* One read's tally against the merge's                                */

/* Two engines that differ only in their outputs: the same options, the
 * same targets (span_beg 100 + t), each writing its own zeroed counts.
 * 'p' holds them all and must not move once initialised (the engines
 * point into it).  nt <= PAIR_MAX_T. */
enum { PAIR_MAX_T = 16 };
typedef struct {
    vw_count_opt_t opt;
    hts_pos_t span_beg[PAIR_MAX_T];
    vw_count_t c1[PAIR_MAX_T], c2[PAIR_MAX_T];
    vw_sample_counts_t out1, out2;
    engine_t e1, e2;
} engine_pair_t;

static void engine_pair_init(engine_pair_t *p, int nt)
{
    assert_true(nt > 0 && nt <= PAIR_MAX_T);
    memset(p, 0, sizeof *p);
    vw_count_opt_init(&p->opt);
    for (int t = 0; t < nt; t++)
        p->span_beg[t] = 100 + t;
    p->out1 = (vw_sample_counts_t){.n = nt, .c = p->c1};
    p->out2 = (vw_sample_counts_t){.n = nt, .c = p->c2};
    p->e1.opt = &p->opt;
    p->e1.span_beg = p->span_beg;
    p->e2 = p->e1;
    p->e1.out = &p->out1;
    p->e2.out = &p->out2;
}

/* The observations of one read go through count_commit's one-read path
 * (count_tally.c tally_read: the fragment length and its bin taken once);
 * the same observations split between two "mates" at distinct targets go
 * through the merge, which tallies each alone (tally).  Both must leave
 * every column and both histograms equal, for REF, ALT and other alleles
 * on both strands, fragment lengths below, at and past the last bin, the
 * first length at a target (the histogram allocated) and the next ones. */
static void test_commit_one_read(void **state)
{
    (void)state;
    enum { NT = 12, NR = 400 };
    static const int lens[] = {1, 167, VW_FRAGLEN_BINS - 2, VW_FRAGLEN_BINS - 1, VW_FRAGLEN_BINS, 5000};
    engine_pair_t p;
    engine_pair_init(&p, NT);
    vw_count_t *one = p.c1, *two = p.c2;
    engine_t *e1 = &p.e1, *e2 = &p.e2;
    for (int r = 0; r < NR; r++) {
        obs_t o[NT], a[NT], b[NT];
        int n = 0, na = 0, nb = 0;
        for (int t = 0; t < NT; t++) {
            if (rnd(3) == 0)
                continue;
            unsigned k = rnd(10);
            uint32_t code = k < 5 ? CODE_REF : k < 8 ? CODE_ALT : k < 9 ? CODE_BASE0 + 15 : CODE_SEQ0 + 7;
            o[n] = (obs_t){t, code, (uint8_t)rnd(42), (uint8_t)rnd(2), (uint8_t)rnd(61), 0};
            if (n & 1)
                b[nb++] = o[n];
            else
                a[na++] = o[n];
            n++;
        }
        int fl = r < 2 ? 0 : lens[rnd(6)]; /* (0: no length, the general loop) */
        assert_int_equal(count_commit(e1, o, n, NULL, 0, fl), 0);
        /* a read with no observation at an odd place: the merge tallies a alone */
        assert_int_equal(nb ? count_commit(e2, a, na, b, nb, fl) : count_commit(e2, a, na, NULL, 0, fl), 0);
    }
    for (int t = 0; t < NT; t++) {
        const vw_count_t *x = &one[t], *y = &two[t];
        assert_int_equal(x->depth, y->depth);
        assert_true(x->depth > 0);
        assert_int_equal(x->ref, y->ref);
        assert_int_equal(x->alt, y->alt);
        assert_int_equal(x->other, y->other);
        assert_int_equal(x->discordant, 0);
        assert_int_equal(x->ref_fwd, y->ref_fwd);
        assert_int_equal(x->ref_rev, y->ref_rev);
        assert_int_equal(x->alt_fwd, y->alt_fwd);
        assert_int_equal(x->alt_rev, y->alt_rev);
        assert_int_equal(x->alt_bq_sum, y->alt_bq_sum);
        assert_int_equal(x->alt_mq_sum, y->alt_mq_sum);
        assert_int_equal(x->depth, x->ref + x->alt + x->other);
        assert_non_null(x->fl_ref);
        assert_non_null(x->fl_alt);
        uint64_t nref = 0;
        for (int i = 0; i < VW_FRAGLEN_BINS; i++) {
            assert_int_equal(x->fl_ref[i], y->fl_ref[i]);
            assert_int_equal(x->fl_alt[i], y->fl_alt[i]);
            nref += x->fl_ref[i];
        }
        assert_true(nref > 0 && nref <= (uint64_t)x->ref); /* (reads without a length add none) */
        assert_true(x->fl_ref[VW_FRAGLEN_BINS - 1] > 0); /* the last bin: 1023, 1024 and 5000 */
        free(x->fl_ref);
        free(x->fl_alt);
        free(y->fl_ref);
        free(y->fl_alt);
    }
}

/* Two mates' observations through the merge's fast path (count_tally.c
 * tally_same: the targets both observe first, in the same order, then the
 * rest of the mate that observes more) and through the general merge
 * (count_general_only): every column and both histograms equal, for mates
 * that agree (REF, ALT with the better qualities of the two, other) and
 * disagree, mates of which either observes more, mates that part at a
 * target only one observes (the general loop takes over), fragment
 * lengths unknown, below, at and past the last bin. */
static void test_commit_mates_fast(void **state)
{
    (void)state;
    enum { NT = 10, NR = 600 };
    static const int lens[] = {0, 1, 167, VW_FRAGLEN_BINS - 1, VW_FRAGLEN_BINS, 5000};
    engine_pair_t p;
    engine_pair_init(&p, NT);
    vw_count_t *fast = p.c1, *gen = p.c2;
    engine_t *e1 = &p.e1, *e2 = &p.e2;
    int n_parted = 0, n_disc = 0;
    for (int r = 0; r < NR; r++) {
        obs_t a[NT], b[NT];
        int na = 0, nb = 0, t0 = (int)rnd(4), common = (int)rnd(4);
        for (int t = t0; t < NT && na < common; t++) { /* the targets both observe first */
            unsigned k = rnd(10);
            uint32_t code = k < 5 ? CODE_REF : k < 8 ? CODE_ALT : CODE_BASE0 + 4;
            a[na++] = (obs_t){t, code, (uint8_t)rnd(42), (uint8_t)rnd(2), (uint8_t)rnd(61), 0};
            b[nb] = (obs_t){t, rnd(8) ? code : CODE_REF + CODE_ALT - code, (uint8_t)rnd(42), (uint8_t)rnd(2),
                            (uint8_t)rnd(61), 0};
            n_disc += b[nb].code != code;
            nb++;
        }
        /* then one mate alone, or each at targets of its own */
        int t = na ? a[na - 1].ti + 1 : t0, how = (int)rnd(3);
        for (; t < NT; t++) {
            if (rnd(3) == 0)
                continue;
            obs_t o = {t, rnd(2) ? CODE_REF : CODE_ALT, (uint8_t)rnd(42), (uint8_t)rnd(2), (uint8_t)rnd(61), 0};
            if (how == 0 || (how == 2 && rnd(2)))
                a[na++] = o;
            else
                b[nb++] = o;
        }
        n_parted += how == 2 && na > common && nb > common;
        int fl = lens[rnd(6)];
        count_general_only = 0;
        assert_int_equal(count_commit(e1, a, na, b, nb, fl), 0);
        count_general_only = 1;
        assert_int_equal(count_commit(e2, a, na, b, nb, fl), 0);
        count_general_only = 0;
    }
    assert_true(n_parted > 20 && n_disc > 20);
    for (int t = 0; t < NT; t++) {
        const vw_count_t *x = &fast[t], *y = &gen[t];
        assert_true(x->depth > 0);
        assert_int_equal(x->depth, y->depth);
        assert_int_equal(x->ref, y->ref);
        assert_int_equal(x->alt, y->alt);
        assert_int_equal(x->other, y->other);
        assert_int_equal(x->discordant, y->discordant);
        assert_int_equal(x->ref_fwd, y->ref_fwd);
        assert_int_equal(x->ref_rev, y->ref_rev);
        assert_int_equal(x->alt_fwd, y->alt_fwd);
        assert_int_equal(x->alt_rev, y->alt_rev);
        assert_int_equal(x->alt_bq_sum, y->alt_bq_sum);
        assert_int_equal(x->alt_mq_sum, y->alt_mq_sum);
        assert_hist_equal(x->fl_ref, y->fl_ref);
        assert_hist_equal(x->fl_alt, y->fl_alt);
        free(x->fl_ref);
        free(x->fl_alt);
        free(y->fl_ref);
        free(y->fl_alt);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_count),
        cmocka_unit_test(test_mates_merge),
        cmocka_unit_test(test_window_order),
        cmocka_unit_test(test_fast_equals_general),
        cmocka_unit_test(test_fast_equals_general_consensus),
        cmocka_unit_test(test_commit_one_read),
        cmocka_unit_test(test_commit_mates_fast),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
