/* test_patient.c -- the patient-level test of tumour-informed monitoring
 * (patient.c).  Expected numbers come from closed forms evaluated here with
 * libm (the binomial likelihood ratio of pooled counts, the "3 / N" rule)
 * and from tables (the chi-square quantile chi2_{32,0.95} = 46.194, which
 * gives the Poisson limit through P(Pois(l) >= s) = P(chi2_{2s} <= 2 l)),
 * and from a simulation with gsl_rng mt19937 and a fixed seed whose noise
 * is not the test's own model (docs/calling.md, "Tumour-informed
 * monitoring"). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "vw_test.h"
#include "vafwatch/call.h"
#include "vafwatch/patient.h"
#include "vafwatch/stats.h"

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static vw_patient_locus_t locus(long depth, long alt, double mu, double rho)
{
    vw_patient_locus_t l = {"L", 1, depth, alt, mu, rho, 0, 0};
    return l;
}

/* binomial log-likelihood without the constant */
static double binll(long n, long x, double p)
{
    return (double)x * log(p) + (double)(n - x) * log1p(-p);
}

/* One binomial locus: f^ = (x/n - mu) / (1 - mu), LR = 2 [l(x/n) - l(mu)],
 * p = P(Bin(n, mu) >= x) (the exact aggregate of one locus); the interval
 * ends lie 1.9207 below the top. */
static void test_one_locus_closed_form(void **state)
{
    (void)state;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_patient_locus_t l = locus(10000, 30, 1e-3, 0);
    vw_patient_res_t r;
    assert_int_equal(vw_patient_test(&o, &l, 1, NULL, &r), 0);
    double fh = (0.003 - 1e-3) / (1 - 1e-3);
    double lr = 2 * (binll(10000, 30, 0.003) - binll(10000, 30, 1e-3));
    assert_rel(r.frac, fh, 1e-9);
    assert_rel(r.lr, lr, 1e-9);
    double pb;
    assert_int_equal(vw_stats_binom_upper(30, 10000, 1e-3, &pb), 0);
    assert_rel(r.p_value, pb, 1e-6); /* 1 - P(S < s) in double precision */
    assert_true(r.dispersion == 1);
    /* binomial variance over Poisson at p = x / n: 1 - 0.003 */
    assert_rel(r.inflation, 0.997, 1e-9);
    assert_int_equal(r.detected, 1);
    assert_int_equal(r.n_loci, 1);
    assert_int_equal(r.depth, 10000);
    assert_int_equal(r.alt, 30);
    assert_rel(r.expected, 10.0, 1e-12);
    /* profile-likelihood ends: l(end) = l(f^) - chi2_{1,0.95} / 2 */
    double top = binll(10000, 30, 0.003);
    double plo = 1e-3 + r.frac_lo * (1 - 1e-3), phi = 1e-3 + r.frac_hi * (1 - 1e-3);
    assert_abs(binll(10000, 30, plo), top - 3.841458820694124 / 2, 1e-7);
    assert_abs(binll(10000, 30, phi), top - 3.841458820694124 / 2, 1e-7);
    assert_true(r.frac_lo > 0 && r.frac_lo < fh && r.frac_hi > fh);
}

/* Binomial loci with one background: the likelihood depends on the totals
 * only, so two loci give the one-locus answer of their sum (counts in
 * proportion to depth: no dispersion); the sum of the counts is
 * Bin(sum n, mu), so p is the one-locus p too. */
static void test_pooled_equals_one_locus(void **state)
{
    (void)state;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_patient_locus_t two[2] = {locus(4000, 12, 1e-3, 0), locus(6000, 18, 1e-3, 0)};
    vw_patient_locus_t one = locus(10000, 30, 1e-3, 0);
    vw_patient_res_t a, b;
    assert_int_equal(vw_patient_test(&o, two, 2, NULL, &a), 0);
    assert_int_equal(vw_patient_test(&o, &one, 1, NULL, &b), 0);
    assert_rel(a.frac, b.frac, 1e-9);
    assert_rel(a.lr, b.lr, 1e-9);
    assert_rel(a.frac_hi, b.frac_hi, 1e-9);
    assert_rel(a.frac_lo, b.frac_lo, 1e-9);
    assert_rel(a.lod95, b.lod95, 1e-12);
    assert_rel(a.p_value, b.p_value, 1e-6);
    assert_int_equal(a.n_loci, 2);
    /* the same totals spread unevenly (5 and 25): dispersion > 1 shrinks LR
     * by it and widens the interval; the aggregate p is unchanged */
    two[0].alt = 5;
    two[1].alt = 25;
    assert_int_equal(vw_patient_test(&o, two, 2, NULL, &a), 0);
    double x2 = (5 - 12.0) * (5 - 12.0) / (4000 * 0.003 * 0.997) + (25 - 18.0) * (25 - 18.0) / (6000 * 0.003 * 0.997);
    assert_rel(a.dispersion, x2, 1e-6);
    assert_rel(a.lr, b.lr / x2, 1e-6);
    assert_rel(a.p_value, b.p_value, 1e-6);
    assert_true(a.frac_hi - a.frac_lo > b.frac_hi - b.frac_lo);
    /* twenty loci at 0.05 % each: none alone below 0.05, together clear.
     * Each: 2,000 fragments, mu 1e-4 (0.2 expected), 2 mutant:
     * P(Bin(2000, 1e-4) >= 2) = 1 - e^-0.2 (1 + 0.2) ~ 0.0175 by Poisson;
     * with a family of 20 (Holm) none would pass; the pooled test over
     * 40 mutant against 4 expected has p far below 1e-10. */
    vw_patient_locus_t many[20];
    for (int i = 0; i < 20; i++)
        many[i] = locus(2000, 2, 1e-4, 0);
    assert_int_equal(vw_patient_test(&o, many, 20, NULL, &a), 0);
    double lr = 2 * (binll(40000, 40, 1e-3) - binll(40000, 40, 1e-4));
    assert_rel(a.lr, lr, 1e-9);
    assert_true(a.p_value <= 1e-9);
    assert_rel(a.frac, (1e-3 - 1e-4) / (1 - 1e-4), 1e-9);
}

/* No excess: f^ = 0, LR 0, interval from 0; p = P(Bin(20000, 1e-3) >= 18);
 * Pearson 2 (1 / 9.99) < 1: no dispersion. */
static void test_no_excess(void **state)
{
    (void)state;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_patient_locus_t l[2] = {locus(10000, 9, 1e-3, 0), locus(10000, 9, 1e-3, 0)};
    vw_patient_res_t r;
    assert_int_equal(vw_patient_test(&o, l, 2, NULL, &r), 0);
    assert_true(r.frac == 0);
    assert_true(r.lr == 0);
    double pb;
    assert_int_equal(vw_stats_binom_upper(18, 20000, 1e-3, &pb), 0);
    assert_rel(r.p_value, pb, 1e-9);
    assert_true(r.dispersion == 1);
    assert_int_equal(r.detected, 0);
    assert_true(r.frac_lo == 0);
    /* upper end: l(p) = l(mu) - 1.9207 with p > mu (18 alt in 20,000) */
    double phi = 1e-3 + r.frac_hi * (1 - 1e-3);
    assert_abs(binll(20000, 18, phi), binll(20000, 18, 1e-3) - 3.841458820694124 / 2, 1e-7);
}

/* LoD95 of the pooled count.  Background 0: s* = 1 and
 * P(Pois(l) >= 1) = 0.95 gives l = -ln 0.05 = 2.9957 (the "3 / N" rule).
 * Background 10 expected: P(Pois(10) >= 16) = 0.0487 < 0.05 <= 0.0835
 * = P(>= 15), so s* = 16 and l95 = chi2_{32,0.95} / 2 = 46.194 / 2. */
static void test_lod_closed_form(void **state)
{
    (void)state;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_patient_locus_t l[2] = {locus(4000, 0, 0, 0), locus(6000, 0, 0, 0)};
    vw_patient_res_t r;
    assert_int_equal(vw_patient_test(&o, l, 2, NULL, &r), 0);
    assert_rel(r.lod95, -log(0.05) / 10000, 1e-9);
    l[0].mu = l[1].mu = 1e-3;
    assert_int_equal(vw_patient_test(&o, l, 2, NULL, &r), 0);
    assert_rel(r.lod95, (46.194 / 2 - 10) / (10000 - 10), 1e-3);
}

/* Flagged loci are left out (and marked); loci without evidence inform
 * nothing; no usable locus gives NA. */
static void test_excluded(void **state)
{
    (void)state;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_patient_locus_t l[4] = {locus(10000, 30, 1e-3, 0), locus(100, 50, 1e-3, 0), locus(0, 0, 1e-3, 0),
                               locus(5000, 40, 1e-3, 0)};
    l[1].flags = VW_FLAG_GERMLINE;
    l[2].assessed = 0;
    l[3].flags = VW_FLAG_STRAND_BIAS | VW_FLAG_LOW_DEPTH;
    uint8_t ex[4];
    vw_patient_res_t r, one;
    assert_int_equal(vw_patient_test(&o, l, 4, ex, &r), 0);
    assert_int_equal(ex[0], 0);
    assert_int_equal(ex[1], 1);
    assert_int_equal(ex[2], 0);
    assert_int_equal(ex[3], 1);
    assert_int_equal(r.n_loci, 1);
    assert_int_equal(r.n_excluded, 2);
    assert_int_equal(vw_patient_test(&o, l, 1, NULL, &one), 0);
    assert_rel(r.lr, one.lr, 1e-12);
    /* low_depth alone does not exclude */
    o.exclude = VW_FLAG_GERMLINE;
    assert_int_equal(vw_patient_test(&o, l, 4, ex, &r), 0);
    assert_int_equal(r.n_loci, 2);
    assert_int_equal(ex[3], 0);
    /* nothing usable */
    assert_int_equal(vw_patient_test(&o, &l[2], 1, NULL, &r), 0);
    assert_int_equal(r.n_loci, 0);
    assert_int_equal(r.detected, -1);
    assert_true(isnan(r.p_value) && isnan(r.frac) && isnan(r.lod95));
    assert_int_equal(vw_patient_test(&o, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.detected, -1);
}

/* Over-dispersion of the background makes the same counts less surprising. */
static void test_overdispersed(void **state)
{
    (void)state;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_patient_locus_t l[3] = {locus(5000, 12, 1e-3, 0), locus(5000, 3, 1e-3, 0), locus(5000, 9, 1e-3, 0)};
    vw_patient_res_t bin, bb;
    assert_int_equal(vw_patient_test(&o, l, 3, NULL, &bin), 0);
    for (int i = 0; i < 3; i++)
        l[i].rho = 1e-3;
    assert_int_equal(vw_patient_test(&o, l, 3, NULL, &bb), 0);
    assert_true(bb.p_value > bin.p_value);
    assert_true(bb.frac_hi - bb.frac_lo > bin.frac_hi - bin.frac_lo);
    /* the log-likelihood is the sum of the beta-binomial log pmfs */
    double s = 0, v, got;
    for (int i = 0; i < 3; i++) {
        double p = 1e-3 + 2e-3 * (1 - 1e-3);
        assert_int_equal(vw_stats_bb_logpmf((long)l[i].alt, 5000, p, 1e-3, &v), 0);
        s += v;
    }
    assert_int_equal(vw_patient_loglik(l, 3, 2e-3, &got), 0);
    assert_rel(got, s, 1e-12);
}

/* The two stats.c helpers of this module: the Poisson tail against
 * 1 - e^-l (k = 1) and 1 - e^-l (1 + l) (k = 2); the beta-binomial score
 * against x/mu - (n-x)/(1-mu) (rho 0) and a central difference of the log
 * pmf (rho > 0). */
static void test_stats_helpers(void **state)
{
    (void)state;
    double v;
    assert_int_equal(vw_stats_poisson_upper(1, 2.5, &v), 0);
    assert_rel(v, 1 - exp(-2.5), 1e-12);
    assert_int_equal(vw_stats_poisson_upper(2, 0.3, &v), 0);
    assert_rel(v, 1 - exp(-0.3) * 1.3, 1e-10);
    assert_int_equal(vw_stats_poisson_upper(0, 0.3, &v), 0);
    assert_true(v == 1);
    assert_int_equal(vw_stats_poisson_upper(3, 0, &v), 0);
    assert_true(v == 0);
    assert_int_equal(vw_stats_poisson_upper(3, -1, &v), -EINVAL);
    assert_int_equal(vw_stats_bb_score(7, 5000, 1e-3, 0, &v), 0);
    assert_rel(v, 7 / 1e-3 - 4993 / (1 - 1e-3), 1e-12);
    double lp1, lp2, h = 1e-7;
    assert_int_equal(vw_stats_bb_logpmf(7, 5000, 1e-3 + h, 2e-4, &lp1), 0);
    assert_int_equal(vw_stats_bb_logpmf(7, 5000, 1e-3 - h, 2e-4, &lp2), 0);
    assert_int_equal(vw_stats_bb_score(7, 5000, 1e-3, 2e-4, &v), 0);
    assert_rel(v, (lp1 - lp2) / (2 * h), 1e-5);
    assert_int_equal(vw_stats_bb_score(7, 5000, 0, 2e-4, &v), -EINVAL);
}

static void test_bad_args(void **state)
{
    (void)state;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_patient_res_t r;
    r.n_loci = 77;
    vw_patient_locus_t l = locus(100, 1, 1.0, 0);
    assert_int_equal(vw_patient_test(&o, &l, 1, NULL, &r), -EINVAL);
    l = locus(100, 101, 1e-3, 0);
    assert_int_equal(vw_patient_test(&o, &l, 1, NULL, &r), -EINVAL);
    l = locus(100, 1, 1e-3, 1.0);
    assert_int_equal(vw_patient_test(&o, &l, 1, NULL, &r), -EINVAL);
    assert_int_equal(vw_patient_test(NULL, &l, 1, NULL, &r), -EINVAL);
    assert_int_equal(vw_patient_test(&o, NULL, 1, NULL, &r), -EINVAL);
    l = locus(100, 1, 1e-3, 0);
    assert_int_equal(vw_patient_test(&o, &l, 1, NULL, NULL), -EINVAL);
    assert_int_equal(r.n_loci, 77); /* untouched */
    double v;
    assert_int_equal(vw_patient_loglik(&l, 1, 1.5, &v), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* Simulation (docs/calling.md, "Tumour-informed monitoring")          */

typedef struct {
    int n_loci;
    double f;          /* mean tumour-derived fraction; 0: null patient */
    int n_draws;
    /* results */
    int det, det_best_single, covered, n_pos;
} simcase_t;

/* One draw's alt count at a locus: true background mu_t (times the draw's
 * multiplier, log-normal with sd 0.1), over-dispersed (beta-binomial, rho_t), plus the tumour's
 * share f_i; an occasional artefact adds Poisson(3) mutant fragments. */
static long sim_alt(gsl_rng *rng, long n, double mu_t, double rho_t, double f_i)
{
    double p = mu_t + f_i * (1 - mu_t);
    double a = p * (1 - rho_t) / rho_t, b = (1 - p) * (1 - rho_t) / rho_t;
    long x = (long)gsl_ran_binomial(rng, gsl_ran_beta(rng, a, b), (unsigned)n);
    if (gsl_rng_uniform(rng) < 0.002)
        x += (long)gsl_ran_poisson(rng, 3.0);
    return x > n ? n : x;
}

/* Runs one setting: n_loci sites with their own true background, a panel
 * of 20 normals to fit each site's (mu, rho) with the model's own fit
 * (vw_stats_bbfit), then n_draws draws of one patient each. */
static void run_case(gsl_rng *rng, simcase_t *c)
{
    int L = c->n_loci;
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    double *mu_t = malloc((size_t)L * sizeof(double)), *rho_t = malloc((size_t)L * sizeof(double));
    double *mu = malloc((size_t)L * sizeof(double)), *rho = malloc((size_t)L * sizeof(double));
    double *bgn = malloc((size_t)L * sizeof(double));
    int *single_det = calloc((size_t)L, sizeof(int));
    vw_patient_locus_t *loci = malloc((size_t)L * sizeof(*loci));
    long xs[20], ns[20];
    vw_bbfit_opt_t fo;
    vw_stats_bbfit_opt_init(&fo);
    for (int i = 0; i < L; i++) {
        /* site-to-site variation: log-normal around 1e-4, rho 1e-4..1e-3 */
        mu_t[i] = 1e-4 * exp(0.8 * gsl_ran_ugaussian(rng));
        if (mu_t[i] > 0.01)
            mu_t[i] = 0.01;
        rho_t[i] = pow(10, -4 + gsl_rng_uniform(rng));
        for (int j = 0; j < 20; j++) {
            ns[j] = 2000 + (long)gsl_rng_uniform_int(rng, 4000);
            xs[j] = sim_alt(rng, ns[j], mu_t[i], rho_t[i], 0);
        }
        vw_bbfit_t fit;
        assert_int_equal(vw_stats_bbfit(xs, ns, 20, &fo, &fit), 0);
        /* the fit's uncertainty: binomial over the panel's fragments, inflated
         * by the panel's own over-dispersion at a normal's mean depth */
        bgn[i] = (double)fit.n_sum / (1 + ((double)fit.n_sum / 20.0 - 1) * fit.rho);
        mu[i] = fit.mu;
        rho[i] = fit.rho;
    }
    c->det = c->det_best_single = c->covered = c->n_pos = 0;
    for (int d = 0; d < c->n_draws; d++) {
        double mult = exp(0.1 * gsl_ran_ugaussian(rng)); /* the draw's own error level */
        for (int i = 0; i < L; i++) {
            long n = 1000 + (long)gsl_rng_uniform_int(rng, 4000);
            /* the tumour share varies between loci (clonality, copy number) */
            double fi = c->f > 0 ? c->f * gsl_ran_gamma(rng, 10.0, 0.1) : 0;
            double m = mu_t[i] * mult;
            loci[i] = (vw_patient_locus_t){"L", 1, n, sim_alt(rng, n, m > 0.5 ? 0.5 : m, rho_t[i], fi), mu[i],
                                           rho[i], bgn[i], 0};
            double p;
            assert_int_equal(vw_stats_pvalue((long)loci[i].alt, n, mu[i], rho[i], &p), 0);
            single_det[i] += p < o.alpha;
        }
        vw_patient_res_t r;
        assert_int_equal(vw_patient_test(&o, loci, L, NULL, &r), 0);
        c->det += r.detected == 1;
        if (c->f > 0) {
            c->n_pos++;
            c->covered += r.frac_lo <= c->f && c->f <= r.frac_hi;
        }
    }
    for (int i = 0; i < L; i++)
        if (single_det[i] > c->det_best_single)
            c->det_best_single = single_det[i];
    free(mu_t); free(rho_t); free(mu); free(rho); free(bgn); free(single_det); free(loci);
}

static void test_simulation(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20261201);
    int loci[3] = {20, 50, 200};
    double fr[4] = {0, 1e-4, 3e-4, 1e-3};
    /* 100 draws a setting here; tests/bench/bench_patient.sh runs 1,000 */
    const char *nd = getenv("VW_PATIENT_SIM_DRAWS");
    int n_draws = nd && atoi(nd) >= 100 ? atoi(nd) : 100;
    int quick = getenv("VW_UNDER_VALGRIND") != NULL; /* memory check: the same paths, 10 draws, no rates */
    if (quick)
        n_draws = 10;
    print_message("loci  fraction  patient_detected  best_single_locus  interval_coverage  (of %d draws)\n", n_draws);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 4; b++) {
            simcase_t c = {loci[a], fr[b], n_draws, 0, 0, 0, 0};
            run_case(rng, &c);
            print_message("%4d  %8.0e  %16.3f  %17.3f  %17.3f\n", c.n_loci, c.f, c.det / (double)n_draws,
                          c.det_best_single / (double)n_draws, c.n_pos ? c.covered / (double)c.n_pos : NAN);
            if (quick)
                continue;
            if (c.f == 0) {
                /* specificity per draw >= 95 % */
                if (c.det > n_draws * 5 / 100)
                    fail_msg("null patients with %d loci: %d of %d draws detected", c.n_loci, c.det, n_draws);
            } else {
                if (c.covered < c.n_pos * 90 / 100)
                    fail_msg("%d loci at %g: the interval covered the truth in %d of %d draws", c.n_loci, c.f,
                             c.covered, c.n_pos);
                /* from 3e-4 on the patient-level test beats the best single
                 * locus (whose rate includes its own false positives) */
                if (c.f >= 3e-4 && c.det < c.det_best_single)
                    fail_msg("%d loci at %g: patient %d < best single locus %d", c.n_loci, c.f, c.det,
                             c.det_best_single);
            }
        }
    gsl_rng_free(rng);
}

/* The patient table and its JSON: the columns of docs/formats.md in order,
 * dates as YYYY-MM-DD, the documented number formats, NA (null in JSON)
 * for a draw without a usable locus, "." for no excluded locus. */
static void test_patient_writers(void **state)
{
    (void)state;
    vw_patient_rows_t *rs = vw_patient_rows_init();
    assert_non_null(rs);
    vw_patient_row_t row;
    memset(&row, 0, sizeof row);
    row.patient = "P1";
    row.sample = "P1_d0";
    assert_int_equal(vw_date_parse("2023-01-09", &row.date), 0);
    row.n_targets = 12;
    row.r.n_loci = 10; row.r.n_excluded = 2; row.r.depth = 50000; row.r.alt = 40;
    row.r.expected = 5.0; row.r.dispersion = 1.0; row.r.inflation = 1.25; row.r.lr = 55.25; row.r.p_value = 1.5e-12;
    row.r.detected = 1; row.r.frac = 7e-4; row.r.frac_lo = 5e-4; row.r.frac_hi = 9e-4; row.r.lod95 = 2e-4;
    row.excluded = "T1:possible_germline;T2:noisy_site";
    assert_int_equal(vw_patient_rows_push(rs, &row), 0);
    row.sample = "P1_d28";
    assert_int_equal(vw_date_parse("2023-02-06", &row.date), 0);
    memset(&row.r, 0, sizeof row.r);
    row.r.detected = -1;
    row.r.p_value = row.r.frac = row.r.frac_lo = row.r.frac_hi = row.r.lod95 = row.r.lr = NAN;
    row.r.expected = row.r.dispersion = row.r.inflation = NAN;
    row.excluded = NULL;
    assert_int_equal(vw_patient_rows_push(rs, &row), 0);
    /* push resets the over-time fields (vw_patient_series sets them) */
    assert_int_equal(rs->r[0].baseline, 0);
    rs->r[0].baseline = 1;

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(vw_patient_write_tsv(fp, rs), 0);
    assert_int_equal(fclose(fp), 0);
    const char *want_header = "#patient\tsample\tdate\tn_targets\tloci_used\tloci_excluded\tdepth\talt_count\t"
                              "expected_alt\tfraction\tfraction_lo\tfraction_hi\tlr\tp_value\tdetected\tlod95\t"
                              "excluded\tbaseline\tchange\tresponse\trise\tmolecular_progression\tlead_time_days\t"
                              "inflation\trise_p\tprogression_confirmed\n";
    assert_int_equal(strncmp(buf, want_header, strlen(want_header)), 0);
    char *l1 = buf + strlen(want_header), *l2 = strchr(l1, '\n');
    assert_non_null(l2);
    *l2++ = '\0';
    char *f1[32], *f2[32];
    assert_int_equal(vw_split_tabs(l1, f1, 32), 26);
    vw_chomp(l2);
    assert_int_equal(vw_split_tabs(l2, f2, 32), 26);
    assert_string_equal(f1[2], "2023-01-09");
    assert_string_equal(f1[4], "10");
    assert_string_equal(f1[5], "2");
    assert_string_equal(f1[6], "50000");
    assert_string_equal(f1[7], "40");
    assert_string_equal(f1[8], "5");          /* %.4g */
    assert_string_equal(f1[9], "0.0007");     /* %.6g */
    assert_string_equal(f1[12], "55.25");     /* %.4g */
    assert_string_equal(f1[13], "1.5e-12");   /* %.4g */
    assert_string_equal(f1[14], "yes");
    assert_string_equal(f1[16], "T1:possible_germline;T2:noisy_site");
    assert_string_equal(f1[17], "yes");
    assert_string_equal(f1[21], "NA");
    assert_string_equal(f1[23], "1.25");      /* %.6g */
    assert_string_equal(f1[24], "NA");        /* rise_p: not set by the series */
    assert_string_equal(f1[25], "NA");
    assert_string_equal(f2[2], "2023-02-06");
    assert_string_equal(f2[9], "NA");
    assert_string_equal(f2[13], "NA");
    assert_string_equal(f2[14], "NA");
    assert_string_equal(f2[16], ".");
    assert_string_equal(f2[17], "no");
    assert_string_equal(f2[23], "NA");
    free(buf);

    buf = NULL;
    fp = open_memstream(&buf, &len);
    assert_int_equal(vw_patient_write_json(fp, rs, "vafwatch run x"), 0);
    assert_int_equal(fclose(fp), 0);
    assert_non_null(strstr(buf, "\"command\": \"vafwatch run x\""));
    assert_non_null(strstr(buf, "\"patient_tests\": ["));
    assert_non_null(strstr(buf, "\"detected\": true"));
    assert_non_null(strstr(buf, "\"detected\": null"));
    assert_null(strstr(buf, "nan"));
    free(buf);
    vw_patient_rows_destroy(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_locus_closed_form),
        cmocka_unit_test(test_pooled_equals_one_locus),
        cmocka_unit_test(test_no_excess),
        cmocka_unit_test(test_lod_closed_form),
        cmocka_unit_test(test_excluded),
        cmocka_unit_test(test_overdispersed),
        cmocka_unit_test(test_stats_helpers),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_simulation),
        cmocka_unit_test(test_patient_writers),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
