/* test_count.c -- the counting engine on hand-written SAM records.
 *
 * Every expected number below is a hand count of the records written in
 * the fixture (the comment beside each record says what it shows). */
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

static char dir[] = "/tmp/vw_test_count_XXXXXX";
static char sam_path[512], tsv_path[512];

/* One contig 'sim1' of 1000 bp.  Targets (1-based): SNV 101 C>T,
 * MNV 201 GG>TT, deletion 301 ACC>A. */
static const char *sam_text =
    "@HD\tVN:1.6\tSO:coordinate\n"
    "@SQ\tSN:sim1\tLN:1000\n"
    "@RG\tID:rg1\tSM:patientA_draw1\n"
    /* f3: R1 covers 101 with C (ref); its mate at 150 does not reach 101 */
    "f3\t99\tsim1\t92\t60\t10M\t=\t150\t68\tAAAAAAAAAC\tIIIIIIIIII\n"
    /* f1: overlapping mates, both T (alt) at 101 */
    "f1\t99\tsim1\t95\t60\t10M\t=\t98\t13\tAAAAAATAAA\tIIIIIIIIII\n"
    /* f2: overlapping mates, R1 T, R2 C: discordant */
    "f2\t99\tsim1\t96\t60\t10M\t=\t99\t13\tAAAAATAAAA\tIIIIIIIIII\n"
    /* f5: R1 T with Q40, R2 C with Q2 (below min BQ): the fragment is alt */
    "f5\t99\tsim1\t97\t60\t10M\t=\t100\t13\tAAAATAAAAA\tIIIIIIIIII\n"
    /* f8: single-end read with a deletion over 100-101: other */
    "f8\t0\tsim1\t97\t60\t3M2D5M\t*\t0\t0\tAAAAAAAA\tIIIIIIII\n"
    "f1\t147\tsim1\t98\t60\t10M\t=\t95\t-13\tAAATAAAAAA\tIIIIIIIIII\n"
    /* f6: MAPQ 10, below min MQ 20: excluded (both mates alt) */
    "f6\t99\tsim1\t98\t10\t10M\t=\t99\t12\tAAATAAAAAA\tIIIIIIIIII\n"
    "f2\t147\tsim1\t99\t60\t10M\t=\t96\t-13\tAACAAAAAAA\tIIIIIIIIII\n"
    "f6\t147\tsim1\t99\t10\t10M\t=\t98\t-12\tAATAAAAAAA\tIIIIIIIIII\n"
    /* f7: duplicate-flagged single read with T: excluded */
    "f7\t1024\tsim1\t99\t60\t10M\t*\t0\t0\tAATAAAAAAA\tIIIIIIIIII\n"
    /* f4: single-end reverse read with T: alt on the reverse strand */
    "f4\t16\tsim1\t100\t60\t10M\t*\t0\t0\tATAAAAAAAA\tIIIIIIIIII\n"
    "f5\t147\tsim1\t100\t60\t10M\t=\t97\t-13\tACAAAAAAAA\tI#IIIIIIII\n"
    "f3\t147\tsim1\t150\t60\t10M\t=\t92\t-68\tAAAAAAAAAA\tIIIIIIIIII\n"
    /* MNV 201-202 GG>TT: m1 TT alt, m2 TG other, m3 GG ref, m4 GG with an
     * insertion between 201 and 202: other */
    "m1\t0\tsim1\t196\t60\t10M\t*\t0\t0\tAAAAATTAAA\tIIIIIIIIII\n"
    "m2\t0\tsim1\t196\t60\t10M\t*\t0\t0\tAAAAATGAAA\tIIIIIIIIII\n"
    "m3\t0\tsim1\t196\t60\t10M\t*\t0\t0\tAAAAAGGAAA\tIIIIIIIIII\n"
    "m4\t0\tsim1\t196\t60\t6M1I4M\t*\t0\t0\tAAAAAGAGAAA\tIIIIIIIIIII\n"
    /* deletion 301 ACC>A (CC at 302-303 deleted): g3 ends inside the
     * window and does not inform; g1 carries the deletion; g2 is reference */
    "g3\t0\tsim1\t293\t60\t10M\t*\t0\t0\tAAAAAAAAAC\tIIIIIIIIII\n"
    "g1\t0\tsim1\t296\t60\t6M2D5M\t*\t0\t0\tAAAAAAGGGGG\tIIIIIIIIIII\n"
    "g2\t0\tsim1\t296\t60\t12M\t*\t0\t0\tAAAAAACCGGGG\tIIIIIIIIIIII\n";

static const char *targets_text =
    "chrom\tpos\tref\talt\tid\n"
    "sim1\t101\tC\tT\tsnv\n"
    "sim1\t201\tGG\tTT\tmnv\n"
    "sim1\t301\tACC\tA\tdel\n";

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(sam_path, sizeof(sam_path), "%s/t.sam", dir);
    snprintf(tsv_path, sizeof(tsv_path), "%s/targets.tsv", dir);
    FILE *fp = fopen(sam_path, "w");
    if (!fp)
        return -1;
    fputs(sam_text, fp);
    fclose(fp);
    fp = fopen(tsv_path, "w");
    if (!fp)
        return -1;
    fputs(targets_text, fp);
    fclose(fp);
    vw_log_set_level(VW_LOG_ERROR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(sam_path);
    unlink(tsv_path);
    rmdir(dir);
    return 0;
}

static vw_targets_t *load_targets(void)
{
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, tsv_path, NULL), 0);
    vw_targets_sort_unique(ts);
    assert_int_equal(ts->n, 3);
    return ts;
}

/* The fixture SAM counted by streaming, 'opt' set to the defaults and
 * stream (for the caller to change and count again). */
static vw_sample_counts_t *count_sam(const vw_targets_t *ts, vw_count_opt_t *opt)
{
    vw_count_opt_init(opt);
    opt->stream = 1;
    vw_sample_counts_t *s = NULL;
    assert_int_equal(vw_count_file(sam_path, NULL, ts, opt, &s), 0);
    return s;
}

static const vw_count_t *by_id(const vw_targets_t *ts, const vw_sample_counts_t *s, const char *id)
{
    for (int i = 0; i < ts->n; i++)
        if (strcmp(ts->t[i].id, id) == 0)
            return &s->c[i];
    fail_msg("no target %s", id);
    return NULL;
}

static void test_fragments(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_sample_counts_t *s = count_sam(ts, &opt);
    assert_string_equal(s->sample, "patientA_draw1");
    const vw_count_t *c = by_id(ts, s, "snv");
    /* hand count: f3 ref; f1, f4, f5 alt; f8 other; f2 discordant */
    assert_int_equal(c->ref, 1);
    assert_int_equal(c->alt, 3);
    assert_int_equal(c->other, 1);
    assert_int_equal(c->discordant, 1);
    assert_int_equal(c->depth, 5);
    /* f1 and f5 are F1R2 (read 1 forward): forward; f4 is a reverse read */
    assert_int_equal(c->alt_fwd, 2);
    assert_int_equal(c->alt_rev, 1);
    assert_int_equal(c->ref_fwd, 1);
    /* TLEN: f1 and f5 13 bp, f3 68 bp; f4 is single-end (no length) */
    assert_int_equal(vw_fraglen_median(c->fl_alt), 13);
    assert_int_equal(vw_fraglen_median(c->fl_ref), 68);
    /* mean BQ of alt support: 'I' = 40 in every alt fragment */
    assert_int_equal(c->alt_bq_sum, 3 * 40);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

static void test_reads(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.stream = 1;
    opt.unit = VW_UNIT_READ;
    vw_sample_counts_t *s = NULL;
    assert_int_equal(vw_count_file(sam_path, "override", ts, &opt, &s), 0);
    assert_string_equal(s->sample, "override");
    const vw_count_t *c = by_id(ts, s, "snv");
    /* reads: ref f3R1, f2R2; alt f1R1, f1R2, f2R1, f4, f5R1; other f8;
     * f5R2 fails min BQ; f6 fails min MQ; f7 is a duplicate */
    assert_int_equal(c->ref, 2);
    assert_int_equal(c->alt, 5);
    assert_int_equal(c->other, 1);
    assert_int_equal(c->discordant, 0);
    vw_sample_counts_destroy(s);
    /* with min MQ 0 and no flag filter, f6 (2 reads) and f7 count too */
    opt.min_mq = 0;
    opt.excl_flags = 0;
    assert_int_equal(vw_count_file(sam_path, NULL, ts, &opt, &s), 0);
    c = by_id(ts, s, "snv");
    assert_int_equal(c->alt, 8);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

static void test_mnv_and_deletion(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_sample_counts_t *s = count_sam(ts, &opt);
    const vw_count_t *m = by_id(ts, s, "mnv");
    assert_int_equal(m->alt, 1);   /* m1 */
    assert_int_equal(m->ref, 1);   /* m3 */
    assert_int_equal(m->other, 2); /* m2 (one base changed), m4 (insertion inside) */
    const vw_count_t *d = by_id(ts, s, "del");
    assert_int_equal(d->alt, 1);   /* g1 */
    assert_int_equal(d->ref, 1);   /* g2 */
    assert_int_equal(d->depth, 2); /* g3 does not inform */
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

static void test_errors(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    vw_sample_counts_t *s = NULL;
    /* a SAM file has no index: without stream mode this is an input error */
    assert_int_equal(vw_count_file(sam_path, NULL, ts, &opt, &s), VW_EINPUT);
    assert_null(s);
    opt.stream = 1;
    char missing[600];
    snprintf(missing, sizeof(missing), "%s/missing.bam", dir);
    assert_true(vw_count_file(missing, NULL, ts, &opt, &s) < 0);
    /* a target on a contig the header lacks */
    vw_targets_t *bad = vw_targets_init();
    FILE *fp = fopen(tsv_path, "w");
    fputs("chrom\tpos\tref\talt\nchrZ\t10\tA\tG\n", fp);
    fclose(fp);
    assert_int_equal(vw_targets_load(bad, tsv_path, NULL), 0);
    assert_int_equal(vw_count_file(sam_path, NULL, bad, &opt, &s), VW_EBUILD);
    vw_targets_destroy(bad);
    fp = fopen(tsv_path, "w");
    fputs(targets_text, fp);
    fclose(fp);
    /* unsorted input in stream mode */
    char uns[600];
    snprintf(uns, sizeof(uns), "%s/unsorted.sam", dir);
    fp = fopen(uns, "w");
    fputs("@SQ\tSN:sim1\tLN:1000\n"
          "a\t0\tsim1\t200\t60\t4M\t*\t0\t0\tAAAA\tIIII\n"
          "b\t0\tsim1\t100\t60\t4M\t*\t0\t0\tAAAA\tIIII\n", fp);
    fclose(fp);
    assert_int_equal(vw_count_file(uns, NULL, ts, &opt, &s), VW_EFORMAT);
    unlink(uns);
    vw_targets_destroy(ts);
}

static void test_median(void **state)
{
    (void)state;
    uint32_t h[VW_FRAGLEN_BINS] = {0};
    assert_int_equal(vw_fraglen_median(NULL), -1);
    assert_int_equal(vw_fraglen_median(h), -1);
    h[100] = 1; h[150] = 1; h[200] = 1;  /* 100 150 200 -> 150 */
    assert_int_equal(vw_fraglen_median(h), 150);
    h[210] = 1;                          /* 100 150 200 210 -> lower median 150 */
    assert_int_equal(vw_fraglen_median(h), 150);
}

/* The self background travels in the evidence table: written as a
 * '#self_background' line, read back into the sample; a malformed line is
 * a parse error; a table without such lines reads as before. */
static void test_self_line(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_sample_counts_t *s = count_sam(ts, &opt), *none = NULL;
    assert_int_equal(vw_count_file(sam_path, "no_self", ts, &opt, &none), 0);
    s->have_self = 1;
    s->self_flank = 25;
    s->self.n_pos = 77;
    for (int i = 0; i < VW_N_SUB; i++) {
        s->self.n[i] = 1000 + i;
        s->self.x[i] = i;
    }
    /* the flank moments (site-to-site over-dispersion) travel too; 0.1 + i/3
     * is not a short decimal, so the round trip tests the %.17g */
    s->self.have_disp = 1;
    for (int i = 0; i < VW_N_SUB; i++) {
        s->self.j[i] = 10 + i;
        s->self.sxx[i] = 0.1 + i / 3.0;
        s->self.snn[i] = 1e5 * (i + 1);
    }
    char ev[600];
    snprintf(ev, sizeof(ev), "%s/ev.tsv", dir);
    FILE *fp = fopen(ev, "w");
    assert_non_null(fp);
    vw_sample_counts_t *both[2] = {s, none};
    assert_int_equal(vw_count_write_tsv(fp, ts, both, 2), 0);
    fclose(fp);
    assert_int_equal(vw_count_is_tsv(ev), 1);
    vw_sample_counts_t **v = NULL;
    int nv = 0, skipped = -1;
    assert_int_equal(vw_count_read_tsv(ev, ts, &v, &nv, &skipped), 0);
    assert_int_equal(nv, 2);
    assert_int_equal(skipped, 0);
    assert_string_equal(v[0]->sample, "patientA_draw1");
    assert_int_equal(v[0]->have_self, 1);
    assert_int_equal(v[0]->self_flank, 25);
    assert_int_equal(v[0]->self.n_pos, 77);
    for (int i = 0; i < VW_N_SUB; i++) {
        assert_int_equal(v[0]->self.n[i], 1000 + i);
        assert_int_equal(v[0]->self.x[i], i);
        assert_int_equal(v[0]->self.j[i], 10 + i);
        assert_true(v[0]->self.sxx[i] == 0.1 + i / 3.0);
        assert_true(v[0]->self.snn[i] == 1e5 * (i + 1));
    }
    assert_int_equal(v[0]->self.have_disp, 1);
    assert_int_equal(v[1]->have_self, 0);
    for (int i = 0; i < nv; i++)
        vw_sample_counts_destroy(v[i]);
    free(v);
    /* malformed: too few fields; x > n */
    /* malformed: a negative moment in the 34-field form */
    const char *bad[3] = {"#self_background\tpatientA_draw1\t50\t1\n",
                          "#self_background\tpatientA_draw1\t50\t1\t1\t1\t1\t1\t1\t1\t2\t0\t0\t0\t0\t0\n",
                          "#self_background\tS\t50\t1\t9\t9\t9\t9\t9\t9\t0\t0\t0\t0\t0\t0"
                          "\t1\t1\t1\t1\t1\t1\t0\t0\t-1\t0\t0\t0\t81\t81\t81\t81\t81\t81\n"};
    for (int k = 0; k < 3; k++) {
        fp = fopen(ev, "w");
        assert_non_null(fp);
        fputs("#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
              "\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq"
              "\tref_median_fraglen\talt_median_fraglen\n", fp);
        fputs(bad[k], fp);
        fputs("patientA_draw1\tsim1\t101\tC\tT\tsnv\t.\t.\t.\t3\t1\t2\t0\t0\t1\t0\t1\t1\t40\t60\tNA\tNA\n", fp);
        fclose(fp);
        v = NULL;
        assert_int_equal(vw_count_read_tsv(ev, ts, &v, &nv, NULL), VW_EPARSE);
        assert_null(v);
    }
    unlink(ev);
    vw_sample_counts_destroy(s);
    vw_sample_counts_destroy(none);
    vw_targets_destroy(ts);
}

/* A hostile TLEN (the 64-bit extremes htslib accepts in SAM text) must
 * neither overflow nor lose the fragment: f9's mates both read T at 101
 * and count once as alt; its length is clamped, not negated. */
static void test_extreme_tlen(void **state)
{
    (void)state;
    static const char *text = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n"
                              "f9\t99\tsim1\t95\t60\t10M\t=\t98\t-9223372036854775808\tAAAAAATAAA\tIIIIIIIIII\n"
                              "f9\t147\tsim1\t98\t60\t10M\t=\t95\t9223372036854775807\tAAATAAAAAA\tIIIIIIIIII\n";
    char p[600];
    snprintf(p, sizeof(p), "%s/tlen.sam", dir);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    vw_targets_t *ts = load_targets();
    for (int unit = 0; unit < 2; unit++) {
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.stream = 1;
        opt.unit = unit ? VW_UNIT_READ : VW_UNIT_FRAGMENT;
        vw_sample_counts_t *s = NULL;
        assert_int_equal(vw_count_file(p, "x", ts, &opt, &s), 0);
        const vw_count_t *c = by_id(ts, s, "snv");
        assert_int_equal(c->alt, unit ? 2 : 1);
        assert_int_equal(c->ref, 0);
        assert_true(vw_fraglen_median(c->fl_alt) > 0);
        vw_sample_counts_destroy(s);
    }
    vw_targets_destroy(ts);
    unlink(p);
}

/* Writes a coordinate-sorted BAM (and its index) of 'nr' single-end 40-bp
 * reads on a 6000-bp contig of C: reads start at 'starts'; read k carries a
 * T at offset 'toff[k]' of the read (or none when toff[k] < 0). */
static void write_c_bam(const char *path, const int *starts, const int *toff, int nr)
{
    samFile *fp = sam_open(path, "wb");
    assert_non_null(fp);
    sam_hdr_t *h = sam_hdr_parse(strlen("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:6000\n"),
                                 "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:6000\n");
    assert_non_null(h);
    assert_int_equal(sam_hdr_write(fp, h), 0);
    bam1_t *b = bam_init1();
    for (int k = 0; k < nr; k++) {
        char seq[41], qual[40], name[32];
        memset(seq, 'C', 40);
        seq[40] = 0;
        if (toff[k] >= 0)
            seq[toff[k]] = 'T';
        memset(qual, 40, sizeof qual);
        snprintf(name, sizeof name, "r%d", k);
        uint32_t cig = bam_cigar_gen(40, BAM_CMATCH);
        assert_true(bam_set1(b, strlen(name), name, 0, 0, starts[k], 60, 1, &cig, -1, -1, 0, 40, seq, qual, 0)
                    >= 0);
        assert_true(sam_write1(fp, h, b) >= 0);
    }
    bam_destroy1(b);
    sam_hdr_destroy(h);
    assert_int_equal(sam_close(fp), 0);
    assert_int_equal(sam_index_build(path, 0), 0);
}

static void assert_self_equal(const vw_selfbg_t *a, const vw_selfbg_t *b)
{
    assert_int_equal(a->n_pos, b->n_pos);
    for (int i = 0; i < VW_N_SUB; i++) {
        assert_int_equal(a->n[i], b->n[i]);
        assert_int_equal(a->x[i], b->x[i]);
    }
}

/* The self background measured in the counting pass equals its own pass
 * and a hand count, with targets in two regions far apart (each read must
 * count in its own region's windows once). */
static void test_self_in_pass(void **state)
{
    (void)state;
    /* targets C>T at 1-based 501 and 4001 (0-based 500, 4000); flank 10:
     * windows [490, 511) and [3990, 4011) */
    enum { NR = 48 };
    int starts[NR], toff[NR];
    for (int k = 0; k < NR; k++) {
        int second = k >= NR / 2;
        starts[k] = (second ? 3975 : 475) + (k % 24) / 6; /* 475..478, sorted: window bases covered 24 times */
        toff[k] = -1;
    }
    toff[0] = 20;  /* 475 + 20 = 495: in window 1, not the target */
    toff[7] = 26;  /* 476 + 26 = 502: in window 1 */
    toff[30] = 22; /* 3976 + 22 = 3998: in window 2 */
    toff[5] = 2;   /* 475 + 2 = 477: outside the windows */
    char bam[600], tsv[600];
    snprintf(bam, sizeof bam, "%s/self.bam", dir);
    snprintf(tsv, sizeof tsv, "%s/self.tsv", dir);
    write_c_bam(bam, starts, toff, NR);
    FILE *fp = fopen(tsv, "w");
    assert_non_null(fp);
    fputs("chrom\tpos\tref\talt\nsim1\t501\tC\tT\nsim1\t4001\tC\tT\n", fp);
    fclose(fp);
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, tsv, NULL), 0);
    vw_targets_sort_unique(ts);
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.self_flank = 10;
    vw_sample_counts_t *s = NULL;
    assert_int_equal(vw_count_file(bam, "x", ts, &opt, &s), 0);
    assert_int_equal(s->have_self, 1);
    assert_int_equal(s->self_flank, 10);
    vw_selfbg_t sep;
    assert_int_equal(vw_count_self_bg(bam, ts, &opt, 10, &sep), 0);
    assert_self_equal(&s->self, &sep);
    /* hand count: each window has 21 positions, one of them the target:
     * 40 usable positions, every one covered by 24 reads (all C) */
    assert_int_equal(s->self.n_pos, 40);
    assert_int_equal(s->self.n[VW_SUB_CT], 40 * 24);
    assert_int_equal(s->self.x[VW_SUB_CT], 3); /* 495, 502, 3998 */
    assert_int_equal(s->self.n[VW_SUB_TA], 0);
    vw_sample_counts_destroy(s);
    /* streaming has no index pass: no self background */
    opt.stream = 1;
    assert_int_equal(vw_count_file(bam, "x", ts, &opt, &s), 0);
    assert_int_equal(s->have_self, 0);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
    vw_test_rm_bam(bam);
    unlink(tsv);
}

/* SAM text (its header included) to dir/NAME.bam, indexed; the BAM path
 * goes to 'bam'. */
static void sam_text_to_bam(const char *text, const char *name, char *bam, size_t m)
{
    snprintf(bam, m, "%s/%s.bam", dir, name);
    vw_test_sam_to_bam(NULL, text, bam, 1);
}

/* Reads aligned in one block between soft clips take the SNV's query
 * position from their start; other CIGARs are walked.  Hand count at the
 * SNV 101 C>T (each read starts at 96, so 101 is its 6th aligned base):
 * s1 3S10M2S shows T (query 8), s2 5=1X4= shows T, s3 10X shows C, s4
 * 2H3S10M shows T (hard clip first: walked), s5 4S6M shows T (query 9);
 * alt 4, ref 1, in both units and through the index or streaming. */
static void test_one_block(void **state)
{
    (void)state;
    const char *text = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n"
                       "s1\t0\tsim1\t96\t60\t3S10M2S\t*\t0\t0\tGGGAAAAATAAAAGG\tIIIIIIIIIIIIIII\n"
                       "s2\t0\tsim1\t96\t60\t5=1X4=\t*\t0\t0\tAAAAATAAAA\tIIIIIIIIII\n"
                       "s3\t0\tsim1\t96\t60\t10X\t*\t0\t0\tAAAAACAAAA\tIIIIIIIIII\n"
                       "s4\t0\tsim1\t96\t60\t2H3S10M\t*\t0\t0\tGGGAAAAATAAAA\tIIIIIIIIIIIII\n"
                       "s5\t0\tsim1\t96\t60\t4S6M\t*\t0\t0\tGGGGAAAAAT\tIIIIIIIIII\n";
    char bam[600];
    sam_text_to_bam(text, "oneblock", bam, sizeof bam);
    vw_targets_t *ts = load_targets();
    for (int mode = 0; mode < 4; mode++) {
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.stream = mode & 1;
        opt.unit = mode & 2 ? VW_UNIT_READ : VW_UNIT_FRAGMENT;
        vw_sample_counts_t *s = NULL;
        assert_int_equal(vw_count_file(bam, "x", ts, &opt, &s), 0);
        const vw_count_t *c = by_id(ts, s, "snv");
        assert_int_equal(c->alt, 4);
        assert_int_equal(c->ref, 1);
        assert_int_equal(c->other, 0);
        vw_sample_counts_destroy(s);
    }
    vw_targets_destroy(ts);
    vw_test_rm_bam(bam);
}

/* Reads with SEQ '*' (l_qseq 0, legal SAM) carry no base and count for
 * nothing, whatever their CIGAR; QUAL '*' is quality 0.  Hand count: at
 * the SNV 101 C>T one read a1 shows T (Q40); q1 shows T with QUAL '*'
 * (passes only -Q 0); twenty SEQ '*' reads span every target.  At the
 * deletion 301 ACC>A, g2 is reference. */
static void test_seq_star(void **state)
{
    (void)state;
    kstring_t ks = {0, 0, NULL};
    kputs("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n", &ks);
    for (int i = 0; i < 20; i++)
        ksprintf(&ks, "s%02d\t0\tsim1\t%d\t60\t5S220M3I10M\t*\t0\t0\t*\t*\n", i, 90 + i / 10);
    kputs("a1\t0\tsim1\t95\t60\t10M\t*\t0\t0\tAAAAAATAAA\tIIIIIIIIII\n", &ks);
    kputs("q1\t0\tsim1\t95\t60\t10M\t*\t0\t0\tAAAAAATAAA\t*\n", &ks);
    kputs("g2\t0\tsim1\t296\t60\t12M\t*\t0\t0\tAAAAAACCGGGG\tIIIIIIIIIIII\n", &ks);
    char bam[600];
    sam_text_to_bam(ks.s, "seqstar", bam, sizeof bam);
    vw_targets_t *ts = load_targets();
    for (int mode = 0; mode < 4; mode++) { /* index / stream, -Q 20 / -Q 0 */
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.stream = mode & 1;
        opt.min_bq = mode & 2 ? 0 : 20;
        vw_sample_counts_t *s = NULL;
        assert_int_equal(vw_count_file(bam, "x", ts, &opt, &s), 0);
        const vw_count_t *c = by_id(ts, s, "snv");
        assert_int_equal(c->depth, mode & 2 ? 2 : 1);
        assert_int_equal(c->alt, mode & 2 ? 2 : 1);
        c = by_id(ts, s, "del");
        assert_int_equal(c->depth, 1);
        assert_int_equal(c->ref, 1);
        assert_int_equal(by_id(ts, s, "mnv")->depth, 0);
        vw_sample_counts_destroy(s);
    }
    vw_targets_destroy(ts);
    vw_test_rm_bam(bam);
    free(ks.s);
}

/* The self background ignores SEQ '*' reads and QUAL '*' bases (below
 * -Q 20): twelve C reads alone, and the same with twenty SEQ '*' reads and
 * twenty QUAL '*' reads showing T everywhere, give the same numbers. */
static void test_seq_star_self(void **state)
{
    (void)state;
    char bam[2][600];
    for (int k = 0; k < 2; k++) {
        kstring_t ks = {0, 0, NULL};
        kputs("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n", &ks);
        for (int i = 0; i < 12; i++) {
            ksprintf(&ks, "c%02d\t0\tsim1\t85\t60\t30M\t*\t0\t0\t%.30s\t%.30s\n", i,
                     "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", "IIIIIIIIIIIIIIIIIIIIIIIIIIIIII");
            if (k == 1 && i < 10) {
                ksprintf(&ks, "s%02da\t0\tsim1\t85\t60\t30M\t*\t0\t0\t*\t*\n", i);
                ksprintf(&ks, "s%02db\t0\tsim1\t85\t60\t5S30M\t*\t0\t0\t*\t*\n", i);
                ksprintf(&ks, "q%02da\t0\tsim1\t85\t60\t30M\t*\t0\t0\t%.30s\t*\n", i,
                         "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTT");
                ksprintf(&ks, "q%02db\t0\tsim1\t85\t60\t30M\t*\t0\t0\t%.30s\t*\n", i,
                         "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTT");
            }
        }
        sam_text_to_bam(ks.s, k ? "self_star" : "self_plain", bam[k], sizeof bam[k]);
        free(ks.s);
    }
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.self_flank = 10;
    vw_selfbg_t sb[2];
    for (int k = 0; k < 2; k++) {
        vw_sample_counts_t *s = NULL;
        assert_int_equal(vw_count_file(bam[k], "x", ts, &opt, &s), 0);
        assert_int_equal(s->have_self, 1);
        sb[k] = s->self;
        vw_selfbg_t sep;
        assert_int_equal(vw_count_self_bg(bam[k], ts, &opt, 10, &sep), 0);
        assert_self_equal(&s->self, &sep);
        vw_sample_counts_destroy(s);
    }
    /* hand count: window [90, 111) minus the target 100: 20 positions
     * covered by reads 84..113, twelve C reads each */
    assert_int_equal(sb[0].n_pos, 20);
    assert_int_equal(sb[0].n[VW_SUB_CT], 20 * 12);
    assert_self_equal(&sb[1], &sb[0]);
    vw_targets_destroy(ts);
    vw_test_rm_bam(bam[0]);
    vw_test_rm_bam(bam[1]);
}

/* The same on the real BAMs, at the built-in catalogue (hotspots on many
 * contigs and genes): skipped without the shared data. */
static void test_self_in_pass_real(void **state)
{
    (void)state;
    const char *data = getenv("VW_SHARED_DATA");
    static const char *const bams[] = {"vardict/L861Q.bam", "vardict/ArgumentNA_Tumor.bam",
                                       "vardict/ArgumentNA_Normal.bam", "ctdnatools/T1.bam"};
    char p[1024];
    int done = 0;
    int64_t n_pos = 0;
    for (size_t i = 0; data && i < sizeof bams / sizeof *bams; i++) {
        snprintf(p, sizeof p, "%s/reads/%s", data, bams[i]);
        if (access(p, R_OK) != 0)
            continue;
        samFile *fp = sam_open(p, "r");
        assert_non_null(fp);
        sam_hdr_t *h = sam_hdr_read(fp);
        assert_non_null(h);
        int chr = 0;
        vw_build_t build = vw_build_detect(h, &chr);
        sam_hdr_destroy(h);
        sam_close(fp);
        vw_targets_t *ts = vw_targets_init();
        assert_int_equal(vw_catalogue_builtin(ts, build), 0);
        vw_targets_set_naming(ts, chr);
        vw_targets_sort_unique(ts);
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.self_flank = 50;
        vw_sample_counts_t *s = NULL;
        assert_int_equal(vw_count_file(p, NULL, ts, &opt, &s), 0);
        vw_selfbg_t sep;
        assert_int_equal(vw_count_self_bg(p, ts, &opt, 50, &sep), 0);
        n_pos += sep.n_pos;
        assert_self_equal(&s->self, &sep);
        vw_sample_counts_destroy(s);
        vw_targets_destroy(ts);
        done++;
    }
    if (!done)
        skip();
    assert_true(n_pos > 100); /* (T1 alone has no usable position: too shallow) */
}

/* vw_count_regions: fragments per region, hand count.  Regions on sim1:
 * [0,100) [100,200) [200,300).  p1: pair at 11/61 (1-based), TLEN 100:
 * leftmost start 10 + 50 = midpoint 60 -> region 0, counted once (its mate
 * is not the leftmost).  p2: pair at 91/111, TLEN 40: 90 + 20 = 110 -> region
 * 1 (the fragment starts in region 0: the midpoint decides).  s1: single
 * read at 151, 20M: 150 + 10 = 160 -> region 1.  d1 duplicate, m1 MAPQ 5
 * (< 20), u1 secondary: skipped.  s2: 251, 10M: 255 -> region 2.  s3: 401,
 * in no region.  Expected 1, 2, 1; sample from @RG SM. */
static void test_count_regions(void **state)
{
    (void)state;
    kstring_t ks = {0, 0, NULL};
    kputs("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n@RG\tID:g\tSM:donor7\n", &ks);
    const char *r40 = "ACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT", *q40 = "IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII";
    ksprintf(&ks, "p1\t99\tsim1\t11\t60\t40M\t=\t61\t100\t%s\t%s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "p1\t147\tsim1\t61\t60\t40M\t=\t11\t-100\t%s\t%s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "p2\t99\tsim1\t91\t60\t20M\t=\t111\t40\t%.20s\t%.20s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "p2\t147\tsim1\t111\t60\t20M\t=\t91\t-40\t%.20s\t%.20s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "s1\t0\tsim1\t151\t60\t20M\t*\t0\t0\t%.20s\t%.20s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "d1\t1024\tsim1\t161\t60\t20M\t*\t0\t0\t%.20s\t%.20s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "m1\t0\tsim1\t171\t5\t20M\t*\t0\t0\t%.20s\t%.20s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "u1\t256\tsim1\t181\t60\t10M\t*\t0\t0\t%.10s\t%.10s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "s2\t0\tsim1\t251\t60\t10M\t*\t0\t0\t%.10s\t%.10s\tRG:Z:g\n", r40, q40);
    ksprintf(&ks, "s3\t0\tsim1\t401\t60\t10M\t*\t0\t0\t%.10s\t%.10s\tRG:Z:g\n", r40, q40);
    char bam[600];
    sam_text_to_bam(ks.s, "regions", bam, sizeof bam);
    ks_free(&ks);
    char *chrom[] = {"sim1", "sim1", "sim1"};
    hts_pos_t beg[] = {0, 100, 200}, end[] = {100, 200, 300};
    for (int stream = 0; stream < 2; stream++) {
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.stream = stream;
        int64_t frag[3] = {-1, -1, -1};
        char *sample = NULL;
        assert_int_equal(vw_count_regions(bam, NULL, 3, chrom, beg, end, VW_BUILD_UNKNOWN, &opt, frag, &sample), 0);
        assert_int_equal(frag[0], 1);
        assert_int_equal(frag[1], 2);
        assert_int_equal(frag[2], 1);
        assert_string_equal(sample, "donor7");
        free(sample);
        /* MAPQ 0 allowed: m1 joins region 1 */
        opt.min_mq = 0;
        assert_int_equal(vw_count_regions(bam, NULL, 3, chrom, beg, end, VW_BUILD_UNKNOWN, &opt, frag, &sample), 0);
        assert_int_equal(frag[1], 3);
        free(sample);
    }
    /* a contig the file does not have, and a region past its end */
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    int64_t frag[1];
    char *sample = NULL;
    char *other[] = {"sim9"};
    hts_pos_t b1[] = {0}, e1[] = {10}, e2[] = {5000};
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    int rc1 = vw_count_regions(bam, NULL, 1, other, b1, e1, VW_BUILD_UNKNOWN, &opt, frag, &sample);
    assert_int_equal(rc1, VW_EBUILD);  /* contig not in the file */
    int rc2 = vw_count_regions(bam, NULL, 1, chrom, b1, e2, VW_BUILD_UNKNOWN, &opt, frag, &sample);
    assert_int_equal(rc2, VW_EBUILD);  /* region past the contig end */
    char missing[640];
    snprintf(missing, sizeof missing, "%s/none.bam", dir);
    assert_int_equal(vw_count_regions(missing, NULL, 1, chrom, b1, e1, VW_BUILD_UNKNOWN, &opt, frag, &sample), -ENOENT);
    vw_log_set_level(lvl);
    assert_null(sample);
    vw_test_rm_bam(bam);
}

/* vw_count_open + vw_count_in give what vw_count_file gives (the hand count
 * of test_fragments), and the header is readable in between;
 * vw_count_in_close closes an input not counted (and accepts NULL). */
static void test_count_open_in(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.stream = 1;
    vw_count_in_t *in = NULL;
    assert_int_equal(vw_count_open(sam_path, &opt, &in), 0);
    const sam_hdr_t *h = vw_count_in_header(in);
    assert_non_null(h);
    assert_int_equal(sam_hdr_nref(h), 1);
    assert_string_equal(sam_hdr_tid2name(h, 0), "sim1");
    vw_sample_counts_t *s = NULL;
    assert_int_equal(vw_count_in(in, NULL, ts, &opt, &s), 0);
    assert_string_equal(s->sample, "patientA_draw1");
    const vw_count_t *c = by_id(ts, s, "snv");
    assert_int_equal(c->ref, 1);
    assert_int_equal(c->alt, 3);
    assert_int_equal(c->discordant, 1);
    vw_sample_counts_destroy(s);
    in = NULL;
    assert_int_equal(vw_count_open(sam_path, &opt, &in), 0);
    vw_count_in_close(in);
    vw_count_in_close(NULL);
    char missing[640];
    snprintf(missing, sizeof missing, "%s/none.sam", dir);
    in = NULL;
    assert_int_equal(vw_count_open(missing, &opt, &in), -ENOENT);
    assert_null(in);
    vw_targets_destroy(ts);
}

/* The count cache: a written cache reads back with the same counts under
 * its key (1); another key is stale (0); no file is 0; a cache cut short
 * (trailer gone) or with a wrong row count is broken (< 0). */
static void test_count_cache(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_sample_counts_t *s = count_sam(ts, &opt), *back = NULL;
    char path[640];
    snprintf(path, sizeof path, "%s/c.cache", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(vw_count_write_cache(fp, ts, s, "key-1"), 0);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(vw_count_read_cache(path, ts, "key-1", &back), 1);
    assert_non_null(back);
    assert_string_equal(back->sample, s->sample);
    for (int i = 0; i < ts->n; i++) {
        assert_int_equal(back->c[i].ref, s->c[i].ref);
        assert_int_equal(back->c[i].alt, s->c[i].alt);
        assert_int_equal(back->c[i].depth, s->c[i].depth);
        assert_int_equal(back->c[i].alt_fwd, s->c[i].alt_fwd);
        assert_int_equal(back->c[i].discordant, s->c[i].discordant);
    }
    vw_sample_counts_destroy(back);
    back = NULL;
    assert_int_equal(vw_count_read_cache(path, ts, "key-2", &back), 0);
    assert_null(back);
    char none[640];
    snprintf(none, sizeof none, "%s/none.cache", dir);
    assert_int_equal(vw_count_read_cache(none, ts, "key-1", &back), 0);
    /* cut short: everything but the trailer line */
    fp = fopen(path, "r");
    assert_non_null(fp);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    char *trailer = strstr(text, "#cache\t");
    assert_non_null(trailer);
    fp = fopen(path, "w");
    fwrite(text, 1, (size_t)(trailer - text), fp);
    fclose(fp);
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    assert_true(vw_count_read_cache(path, ts, "key-1", &back) < 0);
    /* a trailer that claims one row more than the table holds */
    fp = fopen(path, "w");
    fwrite(text, 1, (size_t)(trailer - text), fp);
    fprintf(fp, "#cache\t%d\tkey-1\n", ts->n + 1);
    fclose(fp);
    assert_true(vw_count_read_cache(path, ts, "key-1", &back) < 0);
    vw_log_set_level(lvl);
    assert_null(back);
    unlink(path);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* The counts as JSON carry the hand count of test_fragments (snv: depth 5,
 * ref 1, alt 3, other 1, discordant 1; fragment medians 68 ref, 13 alt). */
static void test_count_json(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    vw_count_opt_t opt;
    vw_sample_counts_t *s = count_sam(ts, &opt);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(vw_count_write_json(fp, ts, &s, 1, "vafwatch count x"), 0);
    assert_int_equal(fclose(fp), 0);
    assert_non_null(strstr(buf, "\"format\": \"vafwatch-counts\""));
    assert_non_null(strstr(buf, "\"command\": \"vafwatch count x\""));
    assert_non_null(strstr(buf, "\"sample\": \"patientA_draw1\""));
    const char *snv = strstr(buf, "{\"id\": \"snv\"");
    assert_non_null(snv);
    const char *end = strchr(snv, '}');
    assert_non_null(end);
    char obj[1024];
    snprintf(obj, sizeof obj, "%.*s", (int)(end - snv), snv);
    assert_non_null(strstr(obj, "\"depth\": 5,"));
    assert_non_null(strstr(obj, "\"ref_count\": 1,"));
    assert_non_null(strstr(obj, "\"alt_count\": 3,"));
    assert_non_null(strstr(obj, "\"other_count\": 1,"));
    assert_non_null(strstr(obj, "\"discordant\": 1,"));
    assert_non_null(strstr(obj, "\"ref_median_fraglen\": 68"));
    assert_non_null(strstr(obj, "\"alt_median_fraglen\": 13"));
    free(buf);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_mnv_and_deletion),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_self_line),
        cmocka_unit_test(test_extreme_tlen),
        cmocka_unit_test(test_self_in_pass),
        cmocka_unit_test(test_self_in_pass_real),
        cmocka_unit_test(test_seq_star),
        cmocka_unit_test(test_seq_star_self),
        cmocka_unit_test(test_count_regions),
        cmocka_unit_test(test_count_open_in),
        cmocka_unit_test(test_count_cache),
        cmocka_unit_test(test_count_json),
        cmocka_unit_test(test_one_block),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
