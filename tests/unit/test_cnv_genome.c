/* test_cnv_genome.c -- genome-wide copy number: the WIG and centromere
 * parsers, track matching (bin size, naming, build), instability and arm
 * summaries on hand-made states, and the fit on seeded simulations whose
 * noise is not the model's own (tests/unit/genome_sim.h).  Expected values
 * are hand counts or the simulation's truth, noted beside each. */
#include <errno.h>
#include <htslib/faidx.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vafwatch/cnv_genome.h"
#include "vafwatch/log.h"
#include "vw_test.h"
#include "genome_sim.h"

static char tmpdir[] = "/tmp/vwgenome.XXXXXX";

static const char *put_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    vw_test_put(path, text);
    return path;
}

static int setup(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_QUIET);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(tmpdir);
}

/* Two contigs, 3 + 2 bins of 1000 bp; the -1 is unknown; a track line and
 * a comment are skipped.  Bins: hand-listed. */
static void test_wig_read(void **state)
{
    (void)state;
    const char *p = put_file("a.wig", "track type=wiggle_0\n# c\nfixedStep chrom=chr1 start=1 step=1000 span=1000\n"
                                      "5\n7.5\n-1\nfixedStep chrom=chr2 start=2001 step=1000\n3\n0\n");
    vw_gwig_t *w = NULL;
    assert_int_equal(vw_gwig_read(p, &w), 0);
    assert_int_equal(w->n, 5);
    assert_int_equal(w->n_chrom, 2);
    assert_int_equal(w->step, 1000);
    assert_string_equal(w->chrom[w->cid[3]], "chr2");
    assert_int_equal(w->beg[0], 0);
    assert_int_equal(w->end[2], 3000);
    assert_int_equal(w->beg[3], 2000); /* start=2001 is 1-based */
    assert_int_equal(w->end[4], 4000);
    assert_rel(w->v[1], 7.5, 1e-12);
    assert_true(isnan(w->v[2]));
    assert_abs(w->v[4], 0, 0);
    assert_int_equal(w->chrom_len[0], 3000);
    vw_gwig_destroy(w);
}

static void expect_parse_error(const char *text)
{
    vw_gwig_t *w = NULL;
    assert_int_equal(vw_gwig_read(put_file("bad.wig", text), &w), VW_EPARSE);
    assert_null(w);
}

static void test_wig_errors(void **state)
{
    (void)state;
    expect_parse_error("");                                                            /* no bins */
    expect_parse_error("5\n");                                                         /* value first */
    expect_parse_error("variableStep chrom=1\n1 5\n");                                 /* not fixed bins */
    expect_parse_error("fixedStep chrom=1 start=1 step=1000 span=500\n1\n");           /* span != step */
    expect_parse_error("fixedStep chrom=1 start=1 step=1000\n1\nfixedStep chrom=2 start=1 step=500\n1\n");
    expect_parse_error("fixedStep chrom=1 start=2 step=1000\n1\n");                    /* off the grid */
    expect_parse_error("fixedStep chrom=1 start=1 step=1000\nx1\n");                   /* not a number */
    expect_parse_error("fixedStep chrom=1 start=1 step=1000\nnan\n");
    expect_parse_error("fixedStep chrom=1 start=1 step=1000\n1\nfixedStep chrom=1 start=1 step=1000\n2\n");
    expect_parse_error("fixedStep chrom=1 start=1 step=0\n1\n");
    expect_parse_error("fixedStep start=1 step=1000\n1\n");                            /* no chrom */
    expect_parse_error("fixedStep chrom=1 start=1 step=1000 foo\n1\n");
    vw_gwig_t *w = NULL;
    assert_int_equal(vw_gwig_read("/nonexistent/x.wig", &w), -ENOENT);
}

/* Counts named 1, 2 (3 and 2 bins); GC named chr1, chr2: matched by the
 * canonical name.  Another bin size: VW_EINPUT; another bin count on a
 * matched contig (a build difference): VW_EBUILD; nothing in common: VW_EBUILD. */
static void test_transfer(void **state)
{
    (void)state;
    vw_gwig_t *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
    assert_int_equal(vw_gwig_read(put_file("a.wig", "fixedStep chrom=1 start=1 step=1000\n1\n2\n3\n"
                                                    "fixedStep chrom=2 start=1 step=1000\n4\n5\n"), &a), 0);
    assert_int_equal(vw_gwig_read(put_file("b.wig", "fixedStep chrom=chr2 start=1 step=1000\n0.5\n0.6\n"
                                                    "fixedStep chrom=chr1 start=1 step=1000\n0.1\n0.2\n0.3\n"), &b), 0);
    double out[5];
    assert_int_equal(vw_gwig_transfer(a, "a", b, "b", out), 0);
    assert_rel(out[0], 0.1, 1e-12);
    assert_rel(out[2], 0.3, 1e-12);
    assert_rel(out[3], 0.5, 1e-12);
    assert_rel(out[4], 0.6, 1e-12);
    assert_int_equal(vw_gwig_read(put_file("c.wig", "fixedStep chrom=1 start=1 step=500\n1\n"), &c), 0);
    assert_int_equal(vw_gwig_transfer(a, "a", c, "c", out), VW_EINPUT);
    assert_int_equal(vw_gwig_read(put_file("d.wig", "fixedStep chrom=1 start=1 step=1000\n1\n2\n3\n4\n"), &d), 0);
    assert_int_equal(vw_gwig_transfer(a, "a", d, "d", out), VW_EBUILD);
    assert_int_equal(vw_gwig_read(put_file("e.wig", "fixedStep chrom=chrZ start=1 step=1000\n1\n"), &e), 0);
    assert_int_equal(vw_gwig_transfer(a, "a", e, "e", out), VW_EBUILD);
    /* a contig of the counts missing from the track: its bins stay NAN */
    vw_gwig_destroy(c);
    c = NULL;
    assert_int_equal(vw_gwig_read(put_file("f.wig", "fixedStep chrom=chr1 start=1 step=1000\n7\n8\n9\n"), &c), 0);
    assert_int_equal(vw_gwig_transfer(a, "a", c, "f", out), 0);
    assert_rel(out[1], 8, 0);
    assert_true(isnan(out[3]) && isnan(out[4]));
    vw_gwig_destroy(c);
    vw_gwig_destroy(a);
    vw_gwig_destroy(b);
    vw_gwig_destroy(d);
    vw_gwig_destroy(e);
}

/* The build from contig 1's bin count: GRCh37 chr1 249,250,621 bp -> 250
 * bins of 1 Mb; GRCh38 248,956,422 bp -> 249. */
static void test_build(void **state)
{
    (void)state;
    vw_gwig_t *w = vw_gwig_init(1000000);
    assert_int_equal(vw_gwig_add_contig(w, "chr1", 249250621), 0);
    assert_int_equal(w->n, 250);
    assert_int_equal(w->end[249], 249250621);
    assert_int_equal(vw_gwig_build(w), VW_BUILD_GRCH37);
    assert_int_equal(vw_gwig_add_contig(w, "chr1", 10), -EINVAL);
    vw_gwig_destroy(w);
    w = vw_gwig_init(1000000);
    assert_int_equal(vw_gwig_add_contig(w, "1", 248956422), 0);
    assert_int_equal(vw_gwig_build(w), VW_BUILD_GRCH38);
    vw_gwig_destroy(w);
}

static void test_gaps(void **state)
{
    (void)state;
    vw_gaps_t *g = NULL;
    assert_int_equal(vw_gaps_read(put_file("c.txt", "Chr\tStart\tEnd\tGapType\n1\t1500\t2500\tcentromere\n"), &g),
                     0);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->beg[0], 1500);
    vw_gaps_destroy(g);
    g = NULL;
    assert_int_equal(vw_gaps_read(put_file("c2.txt", "1\t10\t20\nchr2\tx\t5\n"), &g), VW_EPARSE);
    assert_int_equal(vw_gaps_read(put_file("c3.txt", "1\t30\t20\n"), &g), VW_EPARSE);
    assert_null(g);
}

/* Masking: contig 1 (4 bins) with a centromere over bins 1-2 (0-based
 * 1500-2500), map 0.5 on bin 3; contig 2 without reads; contig X not an
 * autosome.  Left: bin 0 only (hand count). */
static void test_mask(void **state)
{
    (void)state;
    vw_gwig_t *w = vw_gwig_init(1000);
    assert_int_equal(vw_gwig_add_contig(w, "1", 4000), 0);
    assert_int_equal(vw_gwig_add_contig(w, "2", 2000), 0);
    assert_int_equal(vw_gwig_add_contig(w, "X", 1000), 0);
    double v[] = {5, 6, 7, 8, 0, 0, 9};
    memcpy(w->v, v, sizeof v);
    vw_genome_t *g = vw_genome_init("s", w);
    g->map[3] = 0.5;
    vw_gaps_t *gp = NULL;
    assert_int_equal(vw_gaps_read(put_file("c.txt", "1\t1500\t2500\n"), &gp), 0);
    vw_genome_opt_t o;
    vw_genome_opt_init(&o);
    char empty[64];
    assert_int_equal(vw_genome_mask(g, gp, &o, empty, sizeof empty), 1);
    assert_string_equal(empty, "2");
    assert_int_equal(g->mask[0], 0);
    assert_int_equal(g->mask[1], VW_GBIN_CENTRO);
    assert_int_equal(g->mask[2], VW_GBIN_CENTRO);
    assert_int_equal(g->mask[3], VW_GBIN_LOWMAP);
    assert_int_equal(g->mask[4], VW_GBIN_NODATA);
    assert_int_equal(g->mask[6], VW_GBIN_NONAUTO);
    vw_gaps_destroy(gp);
    vw_genome_destroy(g);
}

/* Hand-set states on 3 autosomes of 10 bins: chr1 all 2; chr2 bins 0-4 at 3
 * (half altered); chr3 bins 0-1 at 1 (a fifth).  FGA = 7/30; wGII = mean of
 * (0, 0.5, 0.2) = 0.2333.  Arms split at a centromere of chr2 at 5000 bp. */
static void test_instability_arms(void **state)
{
    (void)state;
    vw_gwig_t *w = vw_gwig_init(1000);
    for (int c = 1; c <= 3; c++) {
        char n[4];
        snprintf(n, sizeof n, "%d", c);
        assert_int_equal(vw_gwig_add_contig(w, n, 10000), 0);
    }
    vw_genome_t *g = vw_genome_init("s", w);
    for (int i = 0; i < 30; i++) {
        g->cn[i] = 2;
        g->log2r[i] = 0;
    }
    for (int i = 10; i < 15; i++)
        g->cn[i] = 3, g->log2r[i] = 0.2;
    g->cn[20] = g->cn[21] = 1;
    double fga, wgii;
    vw_genome_instability(g, 2, &fga, &wgii);
    assert_rel(fga, 7.0 / 30, 1e-12);
    assert_rel(wgii, (0 + 0.5 + 0.2) / 3, 1e-12);
    vw_gaps_t *gp = NULL;
    assert_int_equal(vw_gaps_read(put_file("c.txt", "2\t4900\t5100\n"), &gp), 0);
    vw_garm_t *a = NULL;
    int n = 0;
    assert_int_equal(vw_genome_arms(g, gp, 2, &a, &n), 0);
    assert_int_equal(n, 4); /* 1 all, 2p, 2q, 3 all */
    assert_string_equal(a[1].arm, "p");
    assert_int_equal(a[1].n_bins, 5);
    assert_int_equal(a[1].call, 1);
    assert_rel(a[1].log2r, 0.2, 1e-12);
    assert_int_equal(a[2].call, 0);
    assert_string_equal(a[3].arm, "all");
    assert_int_equal(a[3].call, 0); /* median state of chr3 is 2 */
    assert_rel(a[3].frac_altered, 0.2, 1e-12);
    vw_gseg_t *s = NULL;
    assert_int_equal(vw_genome_segments(g, &s, &n), 0);
    assert_int_equal(n, 5); /* chr1; chr2 3, 2; chr3 1, 2 */
    assert_int_equal(s[1].cn, 3);
    assert_int_equal(s[1].n_bins, 5);
    assert_int_equal(s[1].end, 5000);
    free(s);
    free(a);
    vw_gaps_destroy(gp);
    vw_genome_destroy(g);
}

/* Simulated genomes: known segments (arm-sized gains and losses and one
 * 4 Mb focal gain), in a diploid and a triploid tumour. */
static const gs_seg_t seg2[] = {{1, 150, 250, 3}, {3, 0, 90, 1}, {8, 48, 147, 4}, {13, 0, 116, 1},
                                {17, 0, 24, 1}, {20, 0, 64, 3}, {11, 68, 72, 5}};
static const gs_seg_t seg3[] = {{1, 150, 250, 4}, {3, 0, 90, 2}, {8, 48, 147, 5}, {13, 0, 116, 2},
                                {17, 0, 24, 2}, {20, 0, 64, 4}, {5, 0, 181, 2}};

typedef struct {
    gs_layout_t l;
    int *truth;
} sim_t;

static vw_gfit_t sim_fit(sim_t *sm, uint64_t seed, double tf, int base, double depth, vw_genome_t **ret_g)
{
    vw_genome_opt_t o;
    vw_genome_opt_init(&o);
    if (base == 3) { /* read depth alone cannot tell a triploid genome from a diploid one: say it */
        o.ploidies[0] = 3;
        o.ploidies[1] = 0;
    }
    vw_genome_t *g = vw_genome_init("sim", gs_bins(&sm->l));
    assert_non_null(g);
    gs_sample(&sm->l, g, seed, tf, base, base == 2 ? seg2 : seg3, 7, depth, 600, 0.005, sm->truth);
    assert_true(vw_genome_mask(g, NULL, &o, NULL, 0) > 2500);
    assert_int_equal(vw_genome_correct(g, &o), 0);
    vw_gfit_t f;
    assert_int_equal(vw_genome_fit(g, &o, &f, NULL, NULL), 0);
    if (ret_g)
        *ret_g = g;
    else
        vw_genome_destroy(g);
    return f;
}

/* Every true segment that the data can show -- its expected log2 shift
 * times sqrt(bins) at least 8 times the sample's sd (a one-copy arm change
 * at 0.1x and TF 0.1 is near that limit, docs/copy-number.md) -- has the true state
 * as the median of its fitted bins.  Returns the number checked. */
static int check_segments(const vw_genome_t *g, const vw_gfit_t *f, int base, double tf, const char *depth)
{
    const gs_seg_t *seg = base == 2 ? seg2 : seg3;
    int checked = 0;
    for (int k = 0; k < 7; k++) {
        int cnt[32] = {0}, n = 0;
        for (int i = 0; i < g->w->n; i++) {
            int b = (int)(g->w->beg[i] / 1000000);
            if (g->w->cid[i] + 1 == seg[k].chr && b >= seg[k].b && b < seg[k].e && isfinite(g->cn[i])) {
                cnt[(int)g->cn[i]]++;
                n++;
            }
        }
        double shift = fabs(log2((2 * (1 - tf) + seg[k].cn * tf) / (2 * (1 - tf) + base * tf)));
        if (shift * sqrt(n) < 8 * f->sd)
            continue;
        int acc = 0, med = -1;
        for (int c = 0; c < 32 && med < 0; c++)
            if ((acc += cnt[c]) * 2 > n)
                med = c;
        if (med != seg[k].cn)
            fail_msg("%s TF %.2f ploidy %d: segment %d:%d-%d Mb has state %d, truth %d", depth, tf, base, seg[k].chr,
                     seg[k].b, seg[k].e, med, seg[k].cn);
        checked++;
    }
    return checked;
}

/* Issue check: TF within +/- 0.03 of the truth for TF >= 0.05 at 0.1x
 * (667 reads per 1 Mb bin) and 1x (6667), ploidy 2 and 3, and every
 * segment's copy number right. */
static void test_sim_accuracy(void **state)
{
    (void)state;
    sim_t sm;
    assert_int_equal(gs_layout(&sm.l, 42), 0);
    sm.truth = malloc((size_t)sm.l.w->n * sizeof(int));
    static const double tfs[] = {0.05, 0.1, 0.2, 0.3, 0.5};
    static const double depth[] = {667, 6667};
    int quick = getenv("VW_UNDER_VALGRIND") != NULL; /* memory check: the same paths, fewer repetitions */
    for (int d = quick; d < 2; d++)
        for (int t = quick ? 2 : 0; t < (quick ? 3 : 5); t++)
            for (int base = 2; base <= 3; base++) {
                vw_genome_t *g = NULL;
                vw_gfit_t f = sim_fit(&sm, 1000 + (uint64_t)(d * 100 + t * 10 + base), tfs[t], base, depth[d], &g);
                if (fabs(f.tf_ml - tfs[t]) > 0.03)
                    fail_msg("%s TF %.2f ploidy %d: fitted %.3f", d ? "1x" : "0.1x", tfs[t], base, f.tf_ml);
                /* not detected (only at TF 0.05): tf is reported as 0 (tf_ml keeps the estimate) */
                assert_true(f.detected ? f.tf_lo <= f.tf && f.tf <= f.tf_hi : f.tf == 0 && isnan(f.tf_hi));
                if (tfs[t] >= 0.1) {
                    assert_true(f.detected);
                    assert_rel(f.ploidy, base, 0.1);
                }
                int nc = f.detected ? check_segments(g, &f, base, tfs[t], d ? "1x" : "0.1x") : 0;
                if (tfs[t] >= 0.2)
                    assert_true(nc >= 5); /* at TF 0.2 the arm-sized changes are visible */
                vw_genome_destroy(g);
            }
    free(sm.truth);
    gs_layout_free(&sm.l);
}

/* Issue check: normal-only samples "not detected" in >= 95 % (10 at each
 * depth, at most 1 of the 20 detected; the calibration of
 * docs/copy-number.md used 200). */
static void test_sim_normals(void **state)
{
    (void)state;
    sim_t sm;
    assert_int_equal(gs_layout(&sm.l, 42), 0);
    sm.truth = malloc((size_t)sm.l.w->n * sizeof(int));
    int det = 0, n = 0, reps = getenv("VW_UNDER_VALGRIND") ? 1 : 10;
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < reps; k++) {
            vw_gfit_t f = sim_fit(&sm, 5000 + (uint64_t)(d * 100 + k), 0, 2, d ? 6667 : 667, NULL);
            det += f.detected;
            n++;
        }
    if (det * 20 > n)
        fail_msg("%d of %d normal-only samples detected", det, n);
    free(sm.truth);
    gs_layout_free(&sm.l);
}

/* Real data (../shared/data/cn/ichorcna, skipped when absent): the WIG
 * holds 3113 bins, 3,052,419 reads, 82 bins on chromosome 17 (hand count:
 * grep -vc fixedStep; awk sum); ichorCNA's hg19 GC track matches it and
 * the hg38 one does not (another build). */
static void test_real_wig(void **state)
{
    (void)state;
    const char *dir = getenv("VW_SHARED_DATA");
    char p[1024], q[1024];
    snprintf(p, sizeof p, "%s/cn/ichorcna/MBC_315.ctDNA.reads.wig", dir ? dir : "");
    if (!dir || access(p, R_OK) != 0)
        skip();
    vw_gwig_t *w = NULL, *gc = NULL, *gc38 = NULL;
    assert_int_equal(vw_gwig_read(p, &w), 0);
    assert_int_equal(w->n, 3113);
    double s = 0;
    int n17 = 0;
    for (int i = 0; i < w->n; i++) {
        s += w->v[i];
        n17 += !strcmp(w->chrom[w->cid[i]], "17");
    }
    assert_rel(s, 3052419, 0);
    assert_int_equal(n17, 82);
    assert_int_equal(vw_gwig_build(w), VW_BUILD_GRCH37);
    snprintf(q, sizeof q, "%s/cn/ichorcna/gc_hg19_1000kb.wig", dir);
    assert_int_equal(vw_gwig_read(q, &gc), 0);
    double *out = malloc((size_t)w->n * sizeof(double));
    assert_int_equal(vw_gwig_transfer(w, "counts", gc, "gc19", out), 0);
    snprintf(q, sizeof q, "%s/cn/ichorcna/gc_hg38_1000kb.wig", dir);
    assert_int_equal(vw_gwig_read(q, &gc38), 0);
    assert_int_equal(vw_gwig_transfer(w, "counts", gc38, "gc38", out), VW_EBUILD);
    free(out);
    vw_gwig_destroy(w);
    vw_gwig_destroy(gc);
    vw_gwig_destroy(gc38);
}

/* Panel of normals: five simulated normals share the layout's fixed site
 * effects (log-normal sd 0.03); removing their median must lower the
 * sample's noise (robust sd) and keep TF within 0.03.  Expected at 1x, in
 * log2 units: without a PoN sqrt(0.058^2 (over-dispersion) + 0.043^2 (site)
 * + 0.018^2 (Poisson)) = 0.074; with it the site term goes and the median
 * of 5 normals adds about 1.2 x 0.058 / sqrt(5) = 0.031: 0.066, so about
 * 10 % lower (measured 0.078 -> 0.072); asserted: at least 5 % lower.  With 5 normals the
 * noisiest 5 % of bins are masked.  Normals of another layout: VW_EINPUT. */
static void test_pon(void **state)
{
    (void)state;
    sim_t sm;
    assert_int_equal(gs_layout(&sm.l, 42), 0);
    sm.truth = malloc((size_t)sm.l.w->n * sizeof(int));
    vw_genome_opt_t o;
    vw_genome_opt_init(&o);
    vw_genome_t *nrm[5];
    for (int k = 0; k < 5; k++) {
        nrm[k] = vw_genome_init("n", gs_bins(&sm.l));
        gs_sample(&sm.l, nrm[k], 7000 + (uint64_t)k, 0, 2, seg2, 7, 6667, 600, 0.005, sm.truth);
        vw_genome_mask(nrm[k], NULL, &o, NULL, 0);
        assert_int_equal(vw_genome_correct(nrm[k], &o), 0);
    }
    vw_gpon_t *pon = NULL;
    assert_int_equal(vw_gpon_build(nrm, 5, &pon), 0);
    assert_int_equal(pon->n_normals, 5);
    vw_genome_t *a = NULL, *b = NULL;
    vw_gfit_t fa = sim_fit(&sm, 7100, 0.2, 2, 6667, &a);
    vw_genome_t *g = vw_genome_init("t", gs_bins(&sm.l));
    gs_sample(&sm.l, g, 7100, 0.2, 2, seg2, 7, 6667, 600, 0.005, sm.truth);
    vw_genome_mask(g, NULL, &o, NULL, 0);
    assert_int_equal(vw_genome_correct(g, &o), 0);
    assert_int_equal(vw_genome_apply_pon(g, pon), 0);
    int n_pon = 0;
    for (int i = 0; i < g->w->n; i++)
        n_pon += (g->mask[i] & VW_GBIN_PON) != 0;
    assert_true(n_pon >= g->w->n / 25 && n_pon <= g->w->n / 15); /* the top 5 % of bin sd, about 143 of 2853 */
    vw_gfit_t fb;
    assert_int_equal(vw_genome_fit(g, &o, &fb, NULL, NULL), 0);
    if (!(fb.sd < 0.95 * fa.sd))
        fail_msg("sd with the PoN %.4f, without %.4f", fb.sd, fa.sd);
    assert_true(fb.detected);
    assert_rel(fb.tf, 0.2, 0.03);
    /* another layout */
    vw_gwig_t *w = vw_gwig_init(1000000);
    assert_int_equal(vw_gwig_add_contig(w, "1", 5000000), 0);
    b = vw_genome_init("other", w);
    vw_genome_t *mixed[2] = {nrm[0], b};
    vw_gpon_t *bad = NULL;
    assert_int_equal(vw_gpon_build(mixed, 2, &bad), VW_EINPUT);
    assert_int_equal(vw_genome_apply_pon(b, pon), VW_EINPUT);
    vw_gpon_destroy(pon);
    for (int k = 0; k < 5; k++)
        vw_genome_destroy(nrm[k]);
    vw_genome_destroy(a);
    vw_genome_destroy(b);
    vw_genome_destroy(g);
    free(sm.truth);
    gs_layout_free(&sm.l);
}

/* The serial table on hand-set fits: draw 1 not detected, draw 2 TF 0.10
 * (0.08-0.12), draw 3 TF 0.20 (0.18-0.22), draw 4 TF 0.25 (0.23-0.27); a
 * normal sample and an input outside the sheet are left out.  Draw 2 is a
 * first detection, not a rise (the previous draw is not detected); draw 3
 * rises over draw 2 (0.18 > 0.12) and draw 4 also rises over draw 2 (0.23 >
 * 0.12): confirmed, first rise dated at draw 3; draw 4 rises over draw 3
 * (0.23 > 0.22), unconfirmed (the last draw). */
static void test_series(void **state)
{
    (void)state;
    const char *sp = put_file("sheet.tsv", "patient\tsample\tdate\tfile\ttype\n"
                                           "P\tD3\t2024-03-01\tc.wig\tplasma\nP\tD1\t2024-01-01\ta.wig\tplasma\n"
                                           "P\tD2\t2024-02-01\tb.wig\tplasma\nP\tN\t2024-01-01\tn.wig\tnormal\n"
                                           "P\tD4\t2024-04-01\td.wig\tplasma\n");
    vw_timeline_t *tl = NULL;
    assert_int_equal(vw_timeline_read_sheet(sp, VW_TIMELINE_NO_FILE_CHECK, &tl), 0);
    const char *names[] = {"D2", "X", "D1", "D3", "N", "D4"};
    vw_genome_t *g[6];
    vw_gfit_t f[6];
    double fga[6] = {0.1, 0.1, 0, 0.2, 0, 0.25}, wgii[6] = {0.1, 0.1, 0, 0.3, 0, 0.35};
    for (int i = 0; i < 6; i++) {
        vw_gwig_t *w = vw_gwig_init(1000);
        assert_int_equal(vw_gwig_add_contig(w, "1", 1000), 0);
        g[i] = vw_genome_init(names[i], w);
        memset(&f[i], 0, sizeof f[i]);
        f[i].ploidy = 2;
    }
    f[0] = (vw_gfit_t){.tf = 0.10, .tf_lo = 0.08, .tf_hi = 0.12, .detected = 1, .ploidy = 2};
    f[2] = (vw_gfit_t){.tf = 0, .tf_lo = 0, .tf_hi = NAN, .detected = 0, .ploidy = 2};
    f[3] = (vw_gfit_t){.tf = 0.20, .tf_lo = 0.18, .tf_hi = 0.22, .detected = 1, .ploidy = 2};
    f[5] = (vw_gfit_t){.tf = 0.25, .tf_lo = 0.23, .tf_hi = 0.27, .detected = 1, .ploidy = 2};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    int rows = 0;
    assert_int_equal(vw_genome_write_series(fp, tl, names, f, fga, wgii, 6, &rows), 0);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(rows, 4);
    const char *want =
        "#patient\tsample\tdate\ttf\ttf_lo\ttf_hi\tdetected\tploidy\tfga\tcin_wgii\ttf_change\trise\tconfirmed\tfirst_rise\n"
        "P\tD1\t2024-01-01\t0.000\t0.000\tNA\tno\t2.000\t0.0000\t0.0000\tNA\tNA\tNA\t2024-03-01\n"
        "P\tD2\t2024-02-01\t0.100\t0.080\t0.120\tyes\t2.000\t0.1000\t0.1000\t0.100\tno\tno\t2024-03-01\n"
        "P\tD3\t2024-03-01\t0.200\t0.180\t0.220\tyes\t2.000\t0.2000\t0.3000\t0.100\tyes\tyes\t2024-03-01\n"
        "P\tD4\t2024-04-01\t0.250\t0.230\t0.270\tyes\t2.000\t0.2500\t0.3500\t0.050\tyes\tNA\t2024-03-01\n";
    assert_string_equal(buf, want);
    free(buf);
    for (int i = 0; i < 6; i++)
        vw_genome_destroy(g[i]);
    vw_timeline_destroy(tl);
}

/* Contig names for matching: "chr" of any case dropped (not when nothing
 * follows it), MT -> M, the result cut to the buffer. */
static void test_gwig_canon(void **state)
{
    (void)state;
    char b[16], tiny[3];
    assert_string_equal(vw_gwig_canon("chr7", b, sizeof b), "7");
    assert_string_equal(vw_gwig_canon("CHRX", b, sizeof b), "X");
    assert_string_equal(vw_gwig_canon("7", b, sizeof b), "7");
    assert_string_equal(vw_gwig_canon("chrM", b, sizeof b), "M");
    assert_string_equal(vw_gwig_canon("MT", b, sizeof b), "M");
    assert_string_equal(vw_gwig_canon("chrMT", b, sizeof b), "M");
    assert_string_equal(vw_gwig_canon("chr", b, sizeof b), "chr");
    assert_string_equal(vw_gwig_canon("sim1", b, sizeof b), "sim1");
    assert_ptr_equal(vw_gwig_canon("chr12", tiny, sizeof tiny), tiny);
    assert_string_equal(tiny, "12");
    assert_string_equal(vw_gwig_canon("chr123", tiny, sizeof tiny), "12");
}

/* A 40-base contig chr1 in four 10-base pieces, GC counted by hand over the
 * A/C/G/T bases only:
 *   [0,10)  GGGGCCCCAA  8/10 = 0.8
 *   [10,20) ATATATATGC  2/10 = 0.2
 *   [20,30) NNNNNNACGT  2/4 (6 N)
 *   [30,40) NNNNACGTAC  3/6 = 0.5 (4 N) */
static const char *gc_fasta = ">chr1\nGGGGCCCCAAATATATATGCNNNNNNACGTNNNNACGTAC\n";

/* vw_genome_gc_fasta: bins of 10 on contig "1" (found as chr1); a bin more
 * than half N is NAN, one with 4 N of 10 counts its 6 bases. */
static void test_genome_gc_fasta(void **state)
{
    (void)state;
    const char *fa = put_file("gc.fa", gc_fasta);
    assert_int_equal(fai_build(fa), 0);
    vw_gwig_t *w = vw_gwig_init(10);
    assert_non_null(w);
    assert_int_equal(vw_gwig_add_contig(w, "1", 40), 0);
    vw_genome_t *g = vw_genome_init("s", w);
    assert_non_null(g);
    assert_int_equal(vw_genome_gc_fasta(g, fa), 0);
    assert_rel(g->gc[0], 0.8, 1e-15);
    assert_rel(g->gc[1], 0.2, 1e-15);
    assert_true(isnan(g->gc[2]));
    assert_rel(g->gc[3], 0.5, 1e-15);
    vw_genome_destroy(g);
    /* a contig the FASTA does not have */
    w = vw_gwig_init(10);
    assert_int_equal(vw_gwig_add_contig(w, "chr9", 20), 0);
    g = vw_genome_init("s", w);
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_genome_gc_fasta(g, fa), VW_EBUILD);
    vw_log_set_level(lvl);
    vw_genome_destroy(g);
}

/* vw_gsum_read_tsv: columns found by name (in any order, extra ones
 * ignored), NA as NaN; a sample twice is VW_EINPUT; a bad number VW_EPARSE. */
static void test_gsum_read(void **state)
{
    (void)state;
    const char *p = put_file("sum.tsv",
        "#sample\textra\ttf\ttf_lo\ttf_hi\tdetected\tllr\tploidy\tneutral_cn\tfga\tcin_wgii\n"
        "D1\tx\t0.12\t0.08\t0.15\tyes\t35.5\t2\t2\t0.31\t0.27\n"
        "D2\ty\t0\t0\t0.02\tno\t0.4\t2\t2\tNA\tNA\n");
    vw_gsum_t *s = vw_gsum_init();
    assert_non_null(s);
    assert_int_equal(vw_gsum_read_tsv(s, p), 0);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->sample[0], "D1");
    assert_rel(s->fit[0].tf, 0.12, 1e-15);
    assert_rel(s->fit[0].tf_lo, 0.08, 1e-15);
    assert_rel(s->fit[0].tf_hi, 0.15, 1e-15);
    assert_int_equal(s->fit[0].detected, 1);
    assert_rel(s->fit[0].llr, 35.5, 1e-15);
    assert_rel(s->fga[0], 0.31, 1e-15);
    assert_rel(s->wgii[0], 0.27, 1e-15);
    assert_string_equal(s->sample[1], "D2");
    assert_int_equal(s->fit[1].detected, 0);
    assert_abs(s->fit[1].tf, 0.0, 0.0);
    assert_true(isnan(s->fga[1]));
    assert_true(isnan(s->wgii[1]));
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_gsum_read_tsv(s, p), VW_EINPUT);    /* D1 again */
    vw_gsum_t *t = vw_gsum_init();
    assert_int_equal(vw_gsum_read_tsv(t, put_file("bad.tsv",
        "#sample\ttf\ttf_lo\ttf_hi\tdetected\tllr\tploidy\tneutral_cn\tfga\tcin_wgii\n"
        "D1\t0.1x\t0\t0.2\tyes\t1\t2\t2\t0\t0\n")), VW_EPARSE);
    assert_int_equal(vw_gsum_read_tsv(t, "/nonexistent/sum.tsv"), -ENOENT);
    vw_log_set_level(lvl);
    vw_gsum_destroy(t);
    vw_gsum_destroy(s);
    vw_gsum_destroy(NULL);
}

/* A row whose tf_lo, ploidy or neutral_cn is missing (NA, which the
 * parser lets through as NaN) or not a copy number is refused with
 * VW_EPARSE, the message naming that row's line and its own column. */
static void test_gsum_bad_column(void **state)
{
    (void)state;
    static const struct {
        const char *row, *col;
    } bad[] = {
        {"D1\t0.1\tNA\t0.2\tyes\t1\t2\t2\t0\t0\n", "tf_lo"},
        {"D1\t0.1\t0\t0.2\tyes\t1\tNA\t2\t0\t0\n", "ploidy"},
        {"D1\t0.1\t0\t0.2\tyes\t1\t2\tNA\t0\t0\n", "neutral_cn"},
        {"D1\t0.1\t0\t0.2\tyes\t1\t2\t2.5\t0\t0\n", "neutral_cn"},
    };
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_ERROR);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512], want[320];
        vw_test_cap_t cap;
        snprintf(text, sizeof text, "#sample\ttf\ttf_lo\ttf_hi\tdetected\tllr\tploidy\tneutral_cn\tfga\tcin_wgii\n"
                 "D0\t0.1\t0\t0.2\tyes\t1\t2\t2\t0\t0\n%s", bad[i].row);
        const char *p = put_file("badcol.tsv", text);
        snprintf(want, sizeof want, "%s:3: column '%s': ", p, bad[i].col); /* line 3: the header, D0, the row */
        vw_test_cap_start(&cap);
        vw_gsum_t *s = vw_gsum_init();
        assert_non_null(s);
        assert_int_equal(vw_gsum_read_tsv(s, p), VW_EPARSE);
        char *msg = vw_test_cap_stop(&cap);
        if (!strstr(msg, want))
            fail_msg("row %zu: '%s' not in '%s'", i, want, msg);
        free(msg);
        vw_gsum_destroy(s);
    }
    vw_log_set_level(lvl);
}

/* The summary table written for two draws reads back through
 * vw_gsum_read_tsv; tf_change and rise follow the header's rule (rise: both
 * detected and this tf_lo above the previous tf_hi); the best fit of each
 * ploidy goes to tf_ploidy2/3. */
static void test_genome_summary_round_trip(void **state)
{
    (void)state;
    vw_gwig_t *w1 = vw_gwig_init(1000), *w2 = vw_gwig_init(1000);
    assert_int_equal(vw_gwig_add_contig(w1, "1", 5000), 0);
    assert_int_equal(vw_gwig_add_contig(w2, "1", 5000), 0);
    vw_genome_t *g1 = vw_genome_init("D1", w1), *g2 = vw_genome_init("D2", w2);
    assert_non_null(g1);
    assert_non_null(g2);
    vw_gfit_t f1, f2, alt[2];
    memset(&f1, 0, sizeof f1);
    memset(alt, 0, sizeof alt);
    f1.tf = 0.05; f1.tf_lo = 0.03; f1.tf_hi = 0.07; f1.tf_ml = 0.05; f1.ploidy = 2.0; f1.neutral = 2;
    f1.llr = 20.0; f1.sd = 0.1; f1.detected = 1; f1.n_bins = 100;
    f2 = f1;
    f2.tf = 0.2; f2.tf_lo = 0.15; f2.tf_hi = 0.25; f2.tf_ml = 0.2; f2.neutral = 3; f2.ploidy = 3.1;
    alt[0].neutral = 2; alt[0].tf = 0.18;
    alt[1].neutral = 3; alt[1].tf = 0.2;
    const char *p = put_file("summary.tsv", "");
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    assert_int_equal(vw_genome_write_summary_header(fp), 0);
    assert_int_equal(vw_genome_write_summary(fp, g1, &f1, 0.1, 0.12, 0, NULL, NULL), 0);
    assert_int_equal(vw_genome_write_summary(fp, g2, &f2, 0.3, NAN, 2, alt, &f1), 0);
    assert_int_equal(fclose(fp), 0);
    vw_gsum_t *sum = vw_gsum_init();
    assert_int_equal(vw_gsum_read_tsv(sum, p), 0);
    assert_int_equal(sum->n, 2);
    assert_string_equal(sum->sample[1], "D2");
    assert_rel(sum->fit[0].tf, 0.05, 1e-12);   /* written to 3 decimals: exact here */
    assert_rel(sum->fit[1].tf_lo, 0.15, 1e-12);
    assert_rel(sum->fit[1].tf_hi, 0.25, 1e-12);
    assert_int_equal(sum->fit[1].detected, 1);
    assert_int_equal(sum->fit[1].neutral, 3);
    assert_rel(sum->fit[1].ploidy, 3.1, 1e-12);
    assert_rel(sum->fga[1], 0.3, 1e-12);
    assert_true(isnan(sum->wgii[1]));
    vw_gsum_destroy(sum);
    /* the columns vw_gsum_read_tsv does not read, by name */
    fp = fopen(p, "r");
    char line[3][1024];
    for (int i = 0; i < 3; i++)
        assert_non_null(fgets(line[i], sizeof line[i], fp));
    fclose(fp);
    char *hf[32], *r1[32], *r2[32];
    int nh = vw_split_tabs(line[0], hf, 32);
    vw_chomp(line[1]);
    vw_chomp(line[2]);
    assert_int_equal(vw_split_tabs(line[1], r1, 32), nh);
    assert_int_equal(vw_split_tabs(line[2], r2, 32), nh);
    int seen = 0;
    for (int i = 0; i < nh; i++) {
        vw_chomp(hf[i]);
        /* column, its value in the first draw (NULL: not checked), in the second */
        static const char *want[][3] = {{"tf_change", "NA", "0.150"}, {"rise", "NA", "yes"},
                                        {"tf_ploidy2", "NA", "0.180"}, {"tf_ploidy3", NULL, "0.200"}};
        for (int k = 0; k < 4; k++) {
            if (strcmp(hf[i], want[k][0]) != 0)
                continue;
            if (want[k][1])
                assert_string_equal(r1[i], want[k][1]);
            assert_string_equal(r2[i], want[k][2]);
            seen++;
        }
    }
    assert_int_equal(seen, 4);
    /* not a rise when the intervals overlap */
    f2.tf_lo = 0.06;
    fp = fopen(p, "w");
    assert_int_equal(vw_genome_write_summary(fp, g2, &f2, 0.3, 0.2, 0, NULL, &f1), 0);
    fclose(fp);
    fp = fopen(p, "r");
    assert_non_null(fgets(line[0], sizeof line[0], fp));
    fclose(fp);
    assert_non_null(strstr(line[0], "\t0.150\tno\t"));
    vw_genome_destroy(g1);
    vw_genome_destroy(g2);
}

/* The segment, arm and focal tables of hand-made records: 0-based starts
 * written 1-based (the seg format of DNAcopy/ichorCNA: ID chrom loc.start
 * loc.end num.mark ... seg.mean), NA for unknown values, calls by name. */
static void test_genome_region_writers(void **state)
{
    (void)state;
    vw_gwig_t *w = vw_gwig_init(1000000);
    assert_int_equal(vw_gwig_add_contig(w, "chr1", 5000000), 0);
    vw_genome_t *g = vw_genome_init("D1", w);
    assert_non_null(g);
    vw_gseg_t seg = {0, 0, 3000000, 3, 3, 0.25};
    vw_garm_t arms[2] = {{0, "p", 0, 1000000, 1, NAN, NAN, NAN, -2},
                         {0, "q", 1000000, 5000000, 4, -0.3, 1.0, 0.75, -1}};
    vw_gfocal_t foc[2] = {{"ERBB2", -1, 0, 0, NAN, NAN, NAN, -1},
                          {"MET", 0, 2000000, 3000000, 0.5, 4.2, 5.0, 1}};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(vw_genome_write_seg(fp, g, &seg, 1, 1), 0);
    assert_int_equal(vw_genome_write_arms(fp, g, arms, 2, 1), 0);
    assert_int_equal(vw_genome_write_focal(fp, g, foc, 2, 1), 0);
    assert_int_equal(vw_genome_write_seg(fp, g, &seg, 1, 0), 0);   /* no header */
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf,
        "ID\tchrom\tloc.start\tloc.end\tnum.mark\tcopy_number\tseg.mean\n"
        "D1\tchr1\t1\t3000000\t3\t3\t0.2500\n"
        "#sample\tchrom\tarm\tstart\tend\tn_bins\tlog2r\tcn\tfrac_altered\tcall\n"
        "D1\tchr1\tp\t1\t1000000\t1\tNA\tNA\tNA\tNA\n"
        "D1\tchr1\tq\t1000001\t5000000\t4\t-0.3000\t1.0\t0.750\tloss\n"
        "#sample\tgene\tchrom\tbin_start\tbin_end\tlog2r\tz\tcn\tfocal_gain\n"
        "D1\tERBB2\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n"
        "D1\tMET\tchr1\t2000001\t3000000\t0.5000\t4.20\t5\tyes\n"
        "D1\tchr1\t1\t3000000\t3\t3\t0.2500\n");
    free(buf);
    vw_genome_destroy(g);
}

/* vw_genome_focal: the bin holding a built-in gene's midpoint against the
 * rest of its arm.  chr17 of GRCh37 in 1-Mb bins; ERBB2 (17:37,844,167-
 * 37,886,679, midpoint in bin [37 Mb, 38 Mb)) at log2r 0.8, state 5; every
 * other bin log2r 0, state 2.  No centromere given: the whole contig is the
 * arm, median 0, so z = 0.8 / sd.  EGFR, MET, KRAS (chr7, chr12) are not in
 * the bins: NA. */
static void test_genome_focal(void **state)
{
    (void)state;
    vw_gwig_t *w = vw_gwig_init(1000000);
    assert_int_equal(vw_gwig_add_contig(w, "chr17", 81195210), 0);
    vw_genome_t *g = vw_genome_init("D1", w);
    assert_non_null(g);
    for (int i = 0; i < g->w->n; i++) {
        g->log2r[i] = 0.0;
        g->cn[i] = 2.0;
    }
    g->log2r[37] = 0.8;
    g->cn[37] = 5.0;
    vw_gfocal_t f[4];
    assert_int_equal(vw_genome_focal(g, NULL, VW_BUILD_GRCH37, 2, 0.2, f), 4);
    int seen = 0;
    for (int k = 0; k < 4; k++) {
        if (strcmp(f[k].gene, "ERBB2") != 0) {
            assert_int_equal(f[k].cid, -1);
            assert_int_equal(f[k].gain, -1);
            continue;
        }
        seen = 1;
        assert_int_equal(f[k].cid, 0);
        assert_int_equal(f[k].beg, 37000000);
        assert_int_equal(f[k].end, 38000000);
        assert_rel(f[k].log2r, 0.8, 1e-15);
        assert_rel(f[k].z, 4.0, 1e-12);
        assert_rel(f[k].cn, 5.0, 1e-15);
        assert_int_equal(f[k].gain, 1);
    }
    assert_true(seen);
    /* z = 0.8 / 0.5 = 1.6 < 3: no gain */
    assert_int_equal(vw_genome_focal(g, NULL, VW_BUILD_GRCH37, 2, 0.5, f), 4);
    for (int k = 0; k < 4; k++)
        if (!strcmp(f[k].gene, "ERBB2")) {
            assert_rel(f[k].z, 1.6, 1e-12);
            assert_int_equal(f[k].gain, 0);
        }
    /* an unknown build: every row NA */
    assert_int_equal(vw_genome_focal(g, NULL, VW_BUILD_UNKNOWN, 2, 0.2, f), 4);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(f[k].cid, -1);
        assert_int_equal(f[k].gain, -1);
        assert_true(isnan(f[k].z));
    }
    vw_genome_destroy(g);
}

/* The bins table: 1-based starts, the last bin of a contig short, NA for
 * unknown values, the mask as names (docs/copy-number.md). */
static void test_genome_write_bins(void **state)
{
    (void)state;
    vw_gwig_t *w = vw_gwig_init(1000);
    assert_int_equal(vw_gwig_add_contig(w, "chr1", 2500), 0);
    w->v[0] = 120; w->v[1] = 98; w->v[2] = NAN;
    vw_genome_t *g = vw_genome_init("D1", w);
    assert_non_null(g);
    g->gc[0] = 0.41; g->gc[1] = 0.5;
    g->log2r[0] = -0.05; g->cn[0] = 2;
    g->mask[1] = VW_GBIN_LOWMAP | VW_GBIN_OUTLIER;
    g->mask[2] = VW_GBIN_NODATA;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(vw_genome_write_bins(fp, g, 1), 0);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf, "#sample\tchrom\tstart\tend\treads\tgc\tmap\tlog2r\tcn\tmask\n"
                             "D1\tchr1\t1\t1000\t120\t0.4100\tNA\t-0.0500\t2\t.\n"
                             "D1\tchr1\t1001\t2000\t98\t0.5000\tNA\tNA\tNA\tlow_map,outlier\n"
                             "D1\tchr1\t2001\t2500\tNA\tNA\tNA\tNA\tNA\tno_data\n");
    free(buf);
    vw_genome_destroy(g);
}

/* The genome report page of two draws: one self-contained HTML document
 * (no external resource), sample names escaped, the tumour fraction over
 * the draws and one genome plot per draw as inline SVG. */
static void test_genome_write_html(void **state)
{
    (void)state;
    vw_genome_t *g[2];
    vw_gfit_t f[2];
    double fga[2] = {0.1, NAN}, wgii[2] = {0.12, NAN};
    const char *names[2] = {"D<1>", "D2"};
    for (int k = 0; k < 2; k++) {
        vw_gwig_t *w = vw_gwig_init(1000000);
        assert_int_equal(vw_gwig_add_contig(w, "chr1", 10000000), 0);
        g[k] = vw_genome_init(names[k], w);
        assert_non_null(g[k]);
        for (int i = 0; i < g[k]->w->n; i++) {
            g[k]->log2r[i] = i < 5 ? 0.0 : 0.3;
            g[k]->cn[i] = i < 5 ? 2 : 3;
        }
        memset(&f[k], 0, sizeof f[k]);
        f[k].tf = k ? 0.2 : 0.1; f[k].tf_lo = f[k].tf - 0.03; f[k].tf_hi = f[k].tf + 0.03;
        f[k].neutral = 2; f[k].ploidy = 2.5; f[k].detected = 1; f[k].n_bins = 10;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(vw_genome_write_html(fp, (const vw_genome_t *const *)g, f, fga, wgii, 2), 0);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(strncasecmp(buf, "<!DOCTYPE html>", 15), 0);
    assert_non_null(strstr(buf, "</html>"));
    assert_null(strstr(buf, "D<1>"));
    assert_non_null(strstr(buf, "D&lt;1&gt;"));
    assert_null(strstr(buf, "src=\"http"));
    assert_null(strstr(buf, "href=\"http"));
    int svg = 0, end = 0;
    for (const char *q = buf; (q = strstr(q, "<svg")) != NULL; q++)
        svg++;
    for (const char *q = buf; (q = strstr(q, "</svg>")) != NULL; q++)
        end++;
    assert_int_equal(svg, end);
    assert_int_equal(svg, 1 + 2);   /* the TF over the draws, and one genome plot per draw */
    free(buf);
    for (int k = 0; k < 2; k++)
        vw_genome_destroy(g[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wig_read),
        cmocka_unit_test(test_wig_errors),
        cmocka_unit_test(test_transfer),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_instability_arms),
        cmocka_unit_test(test_sim_accuracy),
        cmocka_unit_test(test_sim_normals),
        cmocka_unit_test(test_real_wig),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_pon),
        cmocka_unit_test(test_gwig_canon),
        cmocka_unit_test(test_genome_gc_fasta),
        cmocka_unit_test(test_gsum_read),
        cmocka_unit_test(test_gsum_bad_column),
        cmocka_unit_test(test_genome_summary_round_trip),
        cmocka_unit_test(test_genome_region_writers),
        cmocka_unit_test(test_genome_focal),
        cmocka_unit_test(test_genome_write_bins),
        cmocka_unit_test(test_genome_write_html),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
