/* test_model.c -- unit tests of the background model (model.c) and of the
 * evidence-table reader (count_tsv.c).  Expected numbers are hand
 * computations written beside them: mu = (sum x + 0.5) / (sum n + 1) over
 * the normals with VAF <= 0.1 (pseudocounts 0.5 + 0.5, stats.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "vw_test.h"
#include "vw_test_bam.h"
#include "vafwatch/log.h"
#include "vafwatch/model.h"

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* n SNVs T0 .. at chr7:1001 + i, G>A */
static vw_targets_t *mk_targets(int n) { return vw_test_targets(n, "chr7", 1000, "G", "A"); }

/* normals[j]: alt counts x[i][j] at depth 1000 */
static vw_sample_counts_t *mk_normal(const vw_targets_t *ts, const long *alt)
{
    vw_sample_counts_t *s = calloc(1, sizeof(*s));
    s->sample = strdup("N");
    s->path = strdup("mem");
    s->n = ts->n;
    s->c = calloc((size_t)ts->n, sizeof(vw_count_t));
    s->chrom = calloc((size_t)ts->n, sizeof(char *));
    for (int i = 0; i < ts->n; i++) {
        s->chrom[i] = strdup("chr7");
        s->c[i].assessed = 1;
        s->c[i].depth = 1000;
        s->c[i].alt = alt[i];
        s->c[i].ref = 1000 - alt[i];
    }
    return s;
}

/* Four normals, four targets:
 *   T0: x = 0,0,0,1       mu = 1.5/4001, 1 of 4 with >= 1: not noisy
 *   T1: x = 2,0,0,0       1 of 4 (25 % >= 20 %) with >= 2: noisy
 *   T2: x = 1,1,1,0       3 of 4 (75 %) with >= 1: noisy
 *   T3: x = 1,2,0,200     the 4th (VAF 0.2) left out: mu = 3.5/3001, 3 used */
static vw_model_t *fit_example(vw_targets_t **ret_ts)
{
    vw_targets_t *ts = mk_targets(4);
    long x[4][4] = {{0, 2, 1, 1}, {0, 0, 1, 2}, {0, 0, 1, 0}, {1, 0, 0, 200}};
    vw_sample_counts_t *n[4];
    for (int j = 0; j < 4; j++)
        n[j] = mk_normal(ts, x[j]);
    vw_model_t *m = vw_model_init();
    vw_model_opt_t o;
    vw_model_opt_init(&o);
    o.shrink = 0; /* each site on its own: the hand values below */
    o.scale = 0;  /* no error levels (test_levels) */
    assert_int_equal(vw_model_fit(m, ts, n, 4, &o), 0);
    for (int j = 0; j < 4; j++)
        vw_sample_counts_destroy(n[j]);
    *ret_ts = ts;
    return m;
}

static void test_fit(void **state)
{
    (void)state;
    vw_targets_t *ts;
    vw_model_t *m = fit_example(&ts);
    assert_int_equal(m->n, 4);
    assert_int_equal(m->n_normals, 4);
    assert_rel(m->s[0].mu, 1.5 / 4001.0, 1e-12);
    assert_int_equal(m->s[0].noisy, 0);
    assert_int_equal(m->s[1].noisy, 1);
    assert_int_equal(m->s[2].noisy, 1);
    assert_rel(m->s[3].mu, 3.5 / 3001.0, 1e-12);
    assert_int_equal(m->s[3].n_normals, 3);
    assert_int_equal(m->s[3].depth_total, 3000);
    assert_int_equal(m->s[3].alt_total, 3);
    /* rho: the site's own estimate, floored at 0.04 mu */
    for (int i = 0; i < 4; i++) {
        assert_true(m->s[i].rho >= 0.04 * m->s[i].mu * (1 - 1e-12) && m->s[i].rho <= 0.1);
        if (isfinite(m->s[i].rel_rho_site))
            assert_rel(m->s[i].rho, fmax(m->s[i].rel_rho_site, 0.04) * m->s[i].mu, 1e-12);
    }
    assert_int_equal(m->s[0].pos1, 1001);
    assert_int_equal(vw_model_find(m, "7", 1004, "G", "A"), 3);
    assert_int_equal(vw_model_find(m, "chr7", 1004, "G", "T"), -1);
    vw_model_destroy(m);
    vw_targets_destroy(ts);
}

/* Empirical Bayes across three sites of one class, five normals of 1,000
 * fragments each: alt totals 5, 10, 30 (one alt per normal at site 0; 2 at
 * site 1; 6 at site 2).  By hand: m_c = 45 / 15000 = 0.003; between-site
 * variance of the rates (0.001, 0.002, 0.006) about m_c with k - 1 = 2:
 * (4 + 1 + 9)e-6 / 2 = 7e-6, minus the binomial part m_c (1 - m_c) / 5000 =
 * 5.982e-7: v = 6.4018e-6; A = m_c (1 - m_c) / v - 1 = 466.2123.  So
 * mu_0 = (5 + 0.003 A) / (5000 + A) = 0.0011705 (pulled up from 0.001). */
static void test_shrink(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(3);
    vw_sample_counts_t *n[6];
    long x[3] = {1, 2, 6};
    for (int j = 0; j < 5; j++)
        n[j] = mk_normal(ts, x);
    /* a sixth normal with 50 fragments: below min_depth, left out */
    n[5] = mk_normal(ts, x);
    for (int i = 0; i < 3; i++) {
        n[5]->c[i].depth = 50;
        n[5]->c[i].ref = 50 - x[i];
    }
    vw_model_t *m = vw_model_init();
    assert_int_equal(vw_model_fit(m, ts, n, 6, NULL), 0);
    for (int j = 0; j < 6; j++)
        vw_sample_counts_destroy(n[j]);
    assert_int_equal(m->n, 3);
    assert_int_equal(m->s[0].n_normals, 5);
    double mc = 0.003, v = 7e-6 - mc * (1 - mc) / 5000, A = mc * (1 - mc) / v - 1;
    assert_rel(A, 466.2123, 1e-6);
    assert_rel(m->s[0].mu, (5 + A * mc) / (5000 + A), 1e-12);
    assert_rel(m->s[0].mu, 0.00117058, 1e-5);
    assert_rel(m->s[2].mu, (30 + A * mc) / (5000 + A), 1e-12);
    /* identical normals: no spread, so each site's own rho is 0 and the class
     * mean is 0: r takes the floor 0.04, plus the panel's uncertainty about
     * the mean, 1 / (X + 0.5) + 0.04 / 5 normals: for X = 5, 10, 30,
     * r = 0.229818, 0.143238, 0.080787 */
    const double X[3] = {5, 10, 30};
    for (int i = 0; i < 3; i++) {
        assert_abs(m->s[i].rel_rho_site, 0.0, 0);
        double r = 0.04 + 1 / (X[i] + 0.5) + 0.04 / 5;
        assert_rel(m->s[i].rho, r * m->s[i].mu, 1e-12);
    }
    assert_rel(m->s[0].rho / m->s[0].mu, 0.229818, 1e-5);
    vw_model_destroy(m);
    vw_targets_destroy(ts);
}

/* Error levels: 12 normals of 10,000 fragments at 10 sites of rates
 * r_i = 1e-3 * (i + 1), normal j at level L_j = 0.5, 1, 1.5 (j mod 3), with
 * the expected counts x_ij = 10,000 r_i L_j exactly (5 ... 150, no noise).
 * The levels are a fixed point of the fit (mean 1), so every site's rate of
 * a level-1 sample comes back, mu_i = (sum_j x_ij + 0.5) / (sum_j 10,000
 * L_j + 1) = (12 x_i1 + 0.5) / 120,001 with x_i1 = 10 (i + 1); the spread
 * of the normals is all level, so no site has over-dispersion left (its own
 * moment estimate 0); and scale_var = var(L) - mean(L / (E_j + 0.5)).  With
 * E_j = sum_i 10,000 mu_i = 550 (level-1 rates, up to the pseudocounts) the
 * estimated levels are (550 L_j + 0.5) / 550.5 = 275.5, 550.5, 825.5 over
 * 550.5 (the pseudocount 0.5 of the level), of variance 8 (275 / 550.5)^2 / 11
 * (4 normals at each level, k - 1 = 11), and mean(L) = 1:
 * 0.181488 - 1 / 550.5 = 0.179672 (to 1e-5). */
static void test_levels(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(10);
    vw_sample_counts_t *n[12];
    for (int j = 0; j < 12; j++) {
        double L = 0.5 * (1 + j % 3);
        long x[10];
        for (int i = 0; i < 10; i++)
            x[i] = lround(10000 * 1e-3 * (i + 1) * L);
        n[j] = mk_normal(ts, x);
        for (int i = 0; i < 10; i++) {
            n[j]->c[i].depth = 10000;
            n[j]->c[i].ref = 10000 - x[i];
        }
    }
    vw_model_t *m = vw_model_init();
    vw_model_opt_t o;
    vw_model_opt_init(&o);
    o.shrink = 0;
    assert_int_equal(vw_model_fit(m, ts, n, 12, &o), 0);
    for (int i = 0; i < 10; i++) {
        assert_rel(m->s[i].mu, (12.0 * 10 * (i + 1) + 0.5) / 120001.0, 2e-3);
        assert_true(m->s[i].rel_rho_site < 1e-3); /* the levels explain the spread */
    }
    assert_abs(m->scale_var, 8 * (275 / 550.5) * (275 / 550.5) / 11 - 1.0 / 550.5, 1e-5);
    vw_model_destroy(m);
    /* not scaled: the same normals leave a large over-dispersion at every site */
    m = vw_model_init();
    o.scale = 0;
    assert_int_equal(vw_model_fit(m, ts, n, 12, &o), 0);
    assert_true(m->scale_var == 0);
    for (int i = 0; i < 10; i++)
        assert_true(m->s[i].rel_rho_site > 0.05);
    /* site 0 by hand (stats.md 3): p = 120 / 120000, S = 8 * 5^2 / 10000 = 0.02,
     * rho = (S / (p (1 - p)) - 11) / (120000 - 12e8 / 120000 - 11), over
     * mu = 120.5 / 120001 */
    double p0 = 1e-3, rho0 = (0.02 / (p0 * (1 - p0)) - 11) / (120000.0 - 1e4 - 11);
    assert_rel(m->s[0].rel_rho_site, rho0 / (120.5 / 120001), 1e-9);
    vw_model_destroy(m);
    for (int j = 0; j < 12; j++)
        vw_sample_counts_destroy(n[j]);
    vw_targets_destroy(ts);
}

static void test_round_trip(void **state)
{
    (void)state;
    vw_targets_t *ts;
    vw_model_t *m = fit_example(&ts);
    m->build = VW_BUILD_GRCH38; /* written as '##build=GRCh38' and read back */
    m->scale_var = 0.2756858054; /* '##sample_scale_var=' */
    char path[] = "test_model_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    const char *prov[] = {"vafwatchVersion=test", "options=x"};
    assert_int_equal(vw_model_write_tsv(fp, m, prov, 2), 0);
    fclose(fp);
    vw_model_t *r = vw_model_init();
    assert_int_equal(vw_model_read_tsv(r, path), 0);
    assert_int_equal(r->n, m->n);
    assert_int_equal(r->n_normals, 4);
    assert_int_equal(r->build, VW_BUILD_GRCH38);
    assert_rel(r->scale_var, 0.2756858054, 1e-15);
    /* the check: same build and shared sites pass; another build or no shared
     * site (another panel) is refused */
    FILE *sink = tmpfile();
    vw_log_set_sink(sink);
    ts->build = VW_BUILD_GRCH38;
    assert_int_equal(vw_model_check(r, ts, "m.tsv"), 0);
    ts->build = VW_BUILD_GRCH37;
    assert_int_equal(vw_model_check(r, ts, "m.tsv"), VW_EINPUT);
    ts->build = VW_BUILD_UNKNOWN;
    assert_int_equal(vw_model_check(r, ts, "m.tsv"), 0);
    for (int i = 0; i < ts->n; i++)
        ts->t[i].beg += 5000; /* other positions */
    assert_int_equal(vw_model_check(r, ts, "m.tsv"), VW_EINPUT);
    for (int i = 0; i < ts->n; i++)
        ts->t[i].beg -= 5000;
    vw_log_set_sink(NULL);
    fclose(sink);
    for (int i = 0; i < m->n; i++) {
        assert_string_equal(r->s[i].chrom, m->s[i].chrom);
        assert_int_equal(r->s[i].pos1, m->s[i].pos1);
        assert_rel(r->s[i].mu, m->s[i].mu, 1e-9);
        assert_rel(r->s[i].rho, m->s[i].rho, 1e-9);
        assert_int_equal(r->s[i].noisy, m->s[i].noisy);
        assert_int_equal(r->s[i].depth_total, m->s[i].depth_total);
    }
    vw_model_destroy(r);
    remove(path);
    vw_model_destroy(m);
    vw_targets_destroy(ts);
}

/* A panel of 20 normals of 5,000 fragments at 4 sites of one class, alt
 * counts 4-8 (x = 4 + (7 j + 3 i) mod 5, about 1.2e-3); normal N07 carries a
 * 2 % variant at site T2 (100 more alt fragments).  Against the beta-binomial
 * of the other 19 (mu about 1.2e-3, rho floored at 0.04 mu) its 104 alt of
 * 5,000 has an upper tail far below 1e-6 / 20, so it is left out: every site's
 * mu, rho, counts, noisy flag and LoD95 equal those of the panel fitted
 * without N07's count at T2 (the reference, which leaves nothing out), and a
 * warning names N07 and T2.  With outlier_p 0 the variant raises T2's mu (the failure the
 * rule prevents). */
static void panel20(vw_targets_t *ts, vw_sample_counts_t **n, int carrier)
{
    for (int j = 0; j < 20; j++) {
        long x[4];
        for (int i = 0; i < 4; i++)
            x[i] = 4 + (7 * j + 3 * i) % 5 + (j == carrier && i == 2 ? 100 : 0);
        n[j] = mk_normal(ts, x);
        free(n[j]->sample);
        char name[8];
        snprintf(name, sizeof name, "N%02d", j);
        n[j]->sample = strdup(name);
        for (int i = 0; i < 4; i++) {
            n[j]->c[i].depth = 5000;
            n[j]->c[i].ref = 5000 - x[i];
        }
    }
}

static void test_normal_outlier(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(4);
    vw_sample_counts_t *n[20];
    panel20(ts, n, 7);
    vw_sample_counts_t *without[20]; /* the same panel, N07's count at T2 not assessed */
    panel20(ts, without, 7);
    without[7]->c[2].assessed = 0;
    for (int scale = 0; scale <= 1; scale++) {
        vw_model_opt_t o;
        vw_model_opt_init(&o);
        assert_rel(o.outlier_p, 1e-6, 0);
        o.scale = scale;
        char *log = NULL;
        size_t loglen = 0;
        FILE *sink = open_memstream(&log, &loglen);
        vw_log_set_sink(sink);
        vw_model_t *a = vw_model_init(), *b = vw_model_init();
        assert_int_equal(vw_model_fit(a, ts, n, 20, &o), 0);
        assert_int_equal(vw_model_fit(b, ts, without, 20, &o), 0);
        vw_log_set_sink(NULL);
        fclose(sink);
        assert_int_equal(a->n_out, 1);
        assert_int_equal(b->n_out, 0);
        assert_string_equal(a->out[0].sample, "N07");
        assert_int_equal(a->out[0].site, 2);
        assert_int_equal(a->out[0].alt, 104); /* 4 + (49 + 6) mod 5 = 4, + 100 */
        assert_true(a->out[0].p < 1e-6 / 20);
        assert_non_null(strstr(log, "normal 'N07' left out of the fit of T2 (chr7:1003 G>A): 104 alt of 5000"));
        free(log);
        /* N07's level leaves out its T2 count either way (VAF above 10 times the
         * expected count), so the two fits agree to rounding with levels too */
        double tol = 1e-12;
        for (int i = 0; i < 4; i++) {
            assert_int_equal(a->s[i].n_normals, 19 + (i != 2));
            assert_int_equal(a->s[i].n_normals, b->s[i].n_normals);
            assert_int_equal(a->s[i].alt_total, b->s[i].alt_total);
            assert_rel(a->s[i].mu, b->s[i].mu, tol);
            assert_rel(a->s[i].rho, b->s[i].rho, tol);
            assert_int_equal(a->s[i].noisy, b->s[i].noisy);
        }
        /* by hand (no shrinkage, no levels): mu = (sum of the 19 others' counts + 0.5) /
         * (95,000 + 1); those counts are 4 + (7 j + 6) mod 5, j != 7: 4 of each
         * residue 0-4 less N07's 0, so 19 * 4 + 4 * 10 - 0 = 116 */
        if (!scale) {
            vw_model_opt_t o1 = o;
            o1.shrink = 0;
            vw_model_t *h = vw_model_init();
            FILE *quiet = tmpfile();
            vw_log_set_sink(quiet);
            assert_int_equal(vw_model_fit(h, ts, n, 20, &o1), 0);
            vw_log_set_sink(NULL);
            fclose(quiet);
            assert_rel(h->s[2].mu, 116.5 / 95001.0, 1e-12);
            vw_model_destroy(h);
        }
        double la, lb;
        assert_int_equal(vw_stats_lod_bb(5000, a->s[2].mu, a->s[2].rho, 0.05, 1, 0.95, &la, NULL), 0);
        assert_int_equal(vw_stats_lod_bb(5000, b->s[2].mu, b->s[2].rho, 0.05, 1, 0.95, &lb, NULL), 0);
        assert_rel(la, lb, tol);
        /* without the rule the variant raises the site's mean: 106 more alt of 100,000 */
        vw_model_t *c = vw_model_init();
        o.outlier_p = 0;
        assert_int_equal(vw_model_fit(c, ts, n, 20, &o), 0);
        assert_int_equal(c->n_out, 0);
        assert_true(c->s[2].mu > 1.5 * b->s[2].mu);
        vw_model_destroy(c);
        /* the model file names it; a reader skips the line */
        char path[] = "test_model_XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *fp = fdopen(fd, "w");
        assert_int_equal(vw_model_write_tsv(fp, a, NULL, 0), 0);
        fclose(fp);
        char text[4096];
        fp = fopen(path, "r");
        size_t len = fread(text, 1, sizeof text - 1, fp);
        text[len] = '\0';
        fclose(fp);
        assert_non_null(strstr(text, "\n##normal_outlier=N07;site=T2;chrom=chr7;pos=1003;alt=104;depth=5000;p="));
        vw_model_t *r = vw_model_init();
        assert_int_equal(vw_model_read_tsv(r, path), 0);
        assert_int_equal(r->n, 4);
        assert_rel(r->s[2].mu, a->s[2].mu, 1e-9);
        vw_model_destroy(r);
        remove(path);
        vw_model_destroy(a);
        vw_model_destroy(b);
    }
    for (int j = 0; j < 20; j++) {
        vw_sample_counts_destroy(n[j]);
        vw_sample_counts_destroy(without[j]);
    }
    vw_targets_destroy(ts);
}

static void expect_bad(const char *text, const char *msg)
{
    char path[] = "test_model_bad_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    vw_test_put(path, text);
    FILE *sink = tmpfile();
    vw_log_set_sink(sink);
    vw_model_t *m = vw_model_init();
    assert_int_equal(vw_model_read_tsv(m, path), VW_EPARSE);
    vw_log_set_sink(NULL);
    char buf[512] = {0};
    rewind(sink);
    size_t l = fread(buf, 1, sizeof(buf) - 1, sink);
    buf[l] = '\0';
    fclose(sink);
    if (!strstr(buf, msg))
        fail_msg("message '%s' lacks '%s'", buf, msg);
    vw_model_destroy(m);
    remove(path);
}

#define HDR "#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy\n"
static void test_malformed(void **state)
{
    (void)state;
    expect_bad("#chrom\tpos\n", ":1: not a vafwatch model file");
    expect_bad("##vafwatch_model=9\n" HDR, ":1: model format version 9");
    expect_bad("##vafwatch_model=1\n#chrom\tpos\tref\talt\n", ":2: column 'id': required column missing");
    expect_bad("##vafwatch_model=1\n" HDR "7\t10\tG\tA\t.\t3\t3000\t3\t1.5\t0.001\tno\n", ":3: column 'mu'");
    expect_bad("##vafwatch_model=1\n" HDR "7\t10\tG\tA\t.\t3\t3000\t3\t0.001\t0.001\tmaybe\n", ":3: column 'noisy'");
    expect_bad("##vafwatch_model=1\n" HDR "7\tx\tG\tA\t.\t3\t3000\t3\t0.001\t0.001\tno\n", ":3: column 'pos'");
    expect_bad("##vafwatch_model=1\n" HDR "7\t10\tG\tA\t.\t3\t3000\t4000\t0.001\t0.001\tno\n", ":3: column 'alt_total'");
    expect_bad("##vafwatch_model=1\n" HDR "7\t10\tG\n", ":3: expected 11 tab-separated fields as in the header, found 3");
    expect_bad("##vafwatch_model=1\n", "without a header line");
    vw_model_t *m = vw_model_init();
    FILE *sink = tmpfile();
    vw_log_set_sink(sink);
    assert_true(vw_model_read_tsv(m, "no/such/model.tsv") < 0);
    vw_log_set_sink(NULL);
    fclose(sink);
    assert_int_equal(vw_model_fit(m, NULL, NULL, 0, NULL), -EINVAL);
    vw_model_destroy(m);
}

/* The evidence table read back equals what was written. */
static void test_count_tsv_round_trip(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(3);
    long x[3] = {5, 0, 7};
    vw_sample_counts_t *s = mk_normal(ts, x);
    s->c[1].assessed = 0;
    s->c[2].discordant = 3;
    s->c[2].alt_fwd = 4;
    s->c[2].alt_rev = 3;
    char path[] = "test_counts_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(vw_count_write_tsv(fp, ts, &s, 1), 0);
    fclose(fp);
    assert_int_equal(vw_count_is_tsv(path), 1);
    vw_targets_t *rt = vw_targets_init();
    assert_int_equal(vw_count_tsv_targets(path, rt), 0);
    assert_int_equal(rt->n, 3);
    assert_int_equal(rt->t[2].beg, 1002);
    assert_string_equal(rt->t[2].id, "T2");
    vw_sample_counts_t **r = NULL;
    int n = 0, skipped = -1;
    assert_int_equal(vw_count_read_tsv(path, rt, &r, &n, &skipped), 0);
    assert_int_equal(n, 1);
    assert_int_equal(skipped, 0);
    assert_int_equal(r[0]->c[0].alt, 5);
    assert_int_equal(r[0]->c[0].depth, 1000);
    assert_int_equal(r[0]->c[1].assessed, 0);
    assert_int_equal(r[0]->c[2].discordant, 3);
    assert_int_equal(r[0]->c[2].alt_fwd, 4);
    vw_sample_counts_destroy(r[0]);
    free(r);
    /* a malformed row names the file, line and column */
    vw_test_put(path, "#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
                     "\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq"
                     "\tref_median_fraglen\talt_median_fraglen\n"
                     "S\tchr7\t1001\tG\tA\tT0\t.\t.\t.\t10\t9\tx\t0\t0\t0\t0\t0\t0\tNA\tNA\tNA\tNA\n");
    FILE *sink = tmpfile();
    vw_log_set_sink(sink);
    assert_int_equal(vw_count_read_tsv(path, rt, &r, &n, NULL), VW_EPARSE);
    vw_log_set_sink(NULL);
    char buf[256] = {0};
    rewind(sink);
    size_t l = fread(buf, 1, sizeof(buf) - 1, sink);
    buf[l] = 0;
    fclose(sink);
    assert_non_null(strstr(buf, ":2: column 'alt_count'"));
    remove(path);
    vw_targets_destroy(rt);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_shrink),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_normal_outlier),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_count_tsv_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
