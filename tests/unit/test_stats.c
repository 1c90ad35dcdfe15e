/* test_stats.c -- unit tests of the stats module.
 *
 * Every expected number has its independent source beside it: a closed
 * form evaluated here with plain libm (not GSL), a hand computation written
 * out in a comment, or a value computed outside the repository with Python
 * (mpmath at 60 digits, exact sums with math.comb / fractions.Fraction,
 * quantiles by bisection on exact binomial sums).  Simulations use gsl_rng
 * mt19937 with fixed seeds, so they are deterministic. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "vw_test.h"
#include "vafwatch/stats.h"

#define SENTINEL -12345.0

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* log C(n, k) and the beta-binomial pmf straight from lgamma (libm). */
static double lchoose_ref(long n, long k)
{
    return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

static double bb_pmf_ref(long x, long n, double a, double b)
{
    double lb1 = lgamma(x + a) + lgamma(n - x + b) - lgamma(n + a + b);
    double lb0 = lgamma(a) + lgamma(b) - lgamma(a + b);
    return exp(lchoose_ref(n, x) + lb1 - lb0);
}

static double upper(long k, long n, double p)
{
    double v = SENTINEL;
    assert_int_equal(vw_stats_binom_upper(k, n, p, &v), 0);
    return v;
}

static double bbup(long k, long n, double mu, double rho)
{
    double v = SENTINEL;
    assert_int_equal(vw_stats_bb_upper(k, n, mu, rho, &v), 0);
    return v;
}

/* Standard normal upper tail from libm, independent of GSL. */
static double norm_q(double z) { return 0.5 * erfc(z / sqrt(2.0)); }

/* ===================================================================== */
/* Binomial                                                               */
/* ===================================================================== */

static void test_binom_closed_forms(void **state)
{
    (void)state;
    /* P(X >= 1) = 1 - (1-p)^n and P(X >= 2) = 1 - (1-p)^n - n p (1-p)^(n-1),
     * evaluated with expm1/log1p so the reference itself is accurate. */
    const struct { long n; double p; } c[] = {
        {20000, 1e-5}, {1000, 1e-3}, {100000, 1e-7}, {10, 0.3}, {3000, 1e-3}, {50, 0.02}
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        long n = c[i].n;
        double p = c[i].p;
        double q0 = exp(n * log1p(-p));                          /* (1-p)^n */
        double p1 = -expm1(n * log1p(-p));
        double p2 = p1 - n * p * exp((n - 1) * log1p(-p));
        assert_rel(upper(1, n, p), p1, 1e-13);
        assert_rel(upper(2, n, p), p2, 1e-12);
        double lo = SENTINEL;
        assert_int_equal(vw_stats_binom_lower(0, n, p, &lo), 0);
        assert_rel(lo, q0, 1e-13);
    }
}

static void test_binom_small_n_sums(void **state)
{
    (void)state;
    /* n = 5, p = 0.3, written out by hand:
     * P(X>=3) = C(5,3) .3^3 .7^2 + C(5,4) .3^4 .7 + .3^5
     *         = 10*.027*.49 + 5*.0081*.7 + .00243 = .1323 + .02835 + .00243 = .16308 */
    assert_rel(upper(3, 5, 0.3), 0.16308, 1e-12);
    /* P(X<=2) = 1 - .16308 = .83692 */
    double v = SENTINEL;
    assert_int_equal(vw_stats_binom_lower(2, 5, 0.3, &v), 0);
    assert_rel(v, 0.83692, 1e-12);
    /* P(X=2) = 10 * .09 * .343 = .3087 */
    assert_int_equal(vw_stats_binom_pmf(2, 5, 0.3, &v), 0);
    assert_rel(v, 0.3087, 1e-12);
    /* n = 4, p = 1/2: P(X>=3) = (4 + 1)/16 = 0.3125 */
    assert_rel(upper(3, 4, 0.5), 0.3125, 1e-14);
    /* the pmf sums to 1 and the tails add up: n = 30, p = 0.17 */
    double s = 0.0;
    for (long k = 0; k <= 30; k++) {
        double pk, up, lo;
        assert_int_equal(vw_stats_binom_pmf(k, 30, 0.17, &pk), 0);
        /* pmf against lgamma (libm) */
        assert_rel(pk, exp(lchoose_ref(30, k) + k * log(0.17) + (30 - k) * log(0.83)), 1e-11);
        s += pk;
        assert_int_equal(vw_stats_binom_upper(k, 30, 0.17, &up), 0);
        assert_int_equal(vw_stats_binom_lower(k - 1, 30, 0.17, &lo), 0);
        assert_rel(up + lo, 1.0, 1e-13);
    }
    assert_rel(s, 1.0, 1e-13);
}

static void test_binom_reference(void **state)
{
    (void)state;
    /* Python mpmath, 60 digits, the exact sums of C(n,x) p^x (1-p)^(n-x), with
     * p the double nearest 1e-5 or 1e-3 (mpf(float), so the reference and the
     * code see the same p):
     *   P(Bin(20000, 1e-5) >= 10)   = 2.3479906296060108538e-14
     *   P(Bin(100000, 1e-3) >= 300) = 1.4893043881528652215e-58
     *   P(Bin(1000, 1e-3) >= 40)    = 2.1788007941760682414e-49
     *   P(Bin(20000, 1e-3) <= 5)    = 7.1497486186480363758e-05
     * Upper tails come from GSL's regularised incomplete beta: 2e-14 to 1.2e-13
     * relative measured, so 1e-12 relative (no absolute slack, whatever the size). */
    assert_rel(upper(10, 20000, 1e-5), 2.3479906296060108538e-14, 1e-12);
    assert_rel(upper(300, 100000, 1e-3), 1.4893043881528652215e-58, 1e-12);
    assert_rel(upper(40, 1000, 1e-3), 2.1788007941760682414e-49, 1e-12);
    double v;
    /* the lower tail of few terms is summed directly (2.4e-16 measured) */
    assert_int_equal(vw_stats_binom_lower(5, 20000, 1e-3, &v), 0);
    assert_rel(v, 7.1497486186480363758e-05, 1e-14);
}

static void test_binom_edges(void **state)
{
    (void)state;
    double v;
    assert_true(upper(0, 10, 0.2) == 1.0);
    assert_true(upper(-3, 10, 0.2) == 1.0);
    assert_true(upper(11, 10, 0.2) == 0.0);
    assert_true(upper(1, 10, 0.0) == 0.0);
    assert_true(upper(10, 10, 1.0) == 1.0);
    assert_true(upper(0, 0, 0.5) == 1.0);
    assert_true(upper(1, 0, 0.5) == 0.0);
    assert_int_equal(vw_stats_binom_lower(10, 10, 0.3, &v), 0);
    assert_true(v == 1.0);
    assert_int_equal(vw_stats_binom_lower(-1, 10, 0.3, &v), 0);
    assert_true(v == 0.0);
    assert_int_equal(vw_stats_binom_lower(3, 10, 0.0, &v), 0);
    assert_true(v == 1.0);
    assert_int_equal(vw_stats_binom_pmf(0, 10, 0.0, &v), 0);
    assert_true(v == 1.0);
    assert_int_equal(vw_stats_binom_pmf(11, 10, 0.5, &v), 0);
    assert_true(v == 0.0);
    /* (1/2)^10 */
    assert_int_equal(vw_stats_binom_pmf(10, 10, 0.5, &v), 0);
    assert_rel(v, 1.0 / 1024.0, 1e-14);
}

static void test_binom_invalid(void **state)
{
    (void)state;
    double v = SENTINEL;
    assert_int_equal(vw_stats_binom_upper(1, 10, 0.1, NULL), -EINVAL);
    assert_int_equal(vw_stats_binom_upper(1, -1, 0.1, &v), -EINVAL);
    assert_int_equal(vw_stats_binom_upper(1, 10, -0.1, &v), -EINVAL);
    assert_int_equal(vw_stats_binom_upper(1, 10, 1.5, &v), -EINVAL);
    assert_int_equal(vw_stats_binom_upper(1, 10, NAN, &v), -EINVAL);
    assert_int_equal(vw_stats_binom_lower(1, 10, NAN, &v), -EINVAL);
    assert_int_equal(vw_stats_binom_lower(1, 10, 0.1, NULL), -EINVAL);
    assert_int_equal(vw_stats_binom_pmf(1, 10, 2.0, &v), -EINVAL);
    assert_int_equal(vw_stats_binom_pmf(1, 10, 0.5, NULL), -EINVAL);
    assert_true(v == SENTINEL);
}


/* ===================================================================== */
/* Beta-binomial                                                          */
/* ===================================================================== */

static void test_bb_pmf(void **state)
{
    (void)state;
    double v;
    /* mu = 1/4, rho = 1/5 gives alpha = 1, beta = 3.  Exact fractions
     * (Python, fractions.Fraction, C(4,x) B(x+1, 7-x) / B(1,3)):
     *   3/7, 2/7, 6/35, 3/35, 1/35 */
    const double ex[5] = { 3.0 / 7, 2.0 / 7, 6.0 / 35, 3.0 / 35, 1.0 / 35 };
    for (long x = 0; x <= 4; x++) {
        assert_int_equal(vw_stats_bb_pmf(x, 4, 0.25, 0.2, &v), 0);
        assert_rel(v, ex[x], 1e-12);
        assert_int_equal(vw_stats_bb_logpmf(x, 4, 0.25, 0.2, &v), 0);
        assert_rel(v, log(ex[x]), 1e-12);
    }
    /* General case against C(n,x) B(x+a, n-x+b) / B(a,b) with libm lgamma:
     * n = 20, mu = 0.2, rho = 0.1 -> a = 1.8, b = 7.2 */
    double s = 0.0;
    for (long x = 0; x <= 20; x++) {
        assert_int_equal(vw_stats_bb_pmf(x, 20, 0.2, 0.1, &v), 0);
        assert_rel(v, bb_pmf_ref(x, 20, 1.8, 7.2), 1e-10);
        s += v;
    }
    assert_rel(s, 1.0, 1e-12);
    /* outside the support */
    assert_int_equal(vw_stats_bb_pmf(21, 20, 0.2, 0.1, &v), 0);
    assert_true(v == 0.0);
    assert_int_equal(vw_stats_bb_logpmf(-1, 20, 0.2, 0.1, &v), 0);
    assert_true(isinf(v) && v < 0);
}

static void test_bb_tails(void **state)
{
    (void)state;
    /* Upper tail = sum of the lgamma pmf; upper(k) + lower(k-1) = 1. */
    const struct { long n; double mu, rho; } c[] = {
        {50, 0.01, 0.05}, {50, 0.3, 0.2}, {40, 0.001, 0.1}, {60, 0.9, 0.01}, {30, 0.5, 0.5}
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        long n = c[i].n;
        double a = c[i].mu * (1 - c[i].rho) / c[i].rho;
        double b = (1 - c[i].mu) * (1 - c[i].rho) / c[i].rho;
        for (long k = 0; k <= n + 1; k++) {
            double ref = 0.0, lo;
            for (long x = k; x <= n; x++)
                ref += bb_pmf_ref(x, n, a, b);
            double up = bbup(k, n, c[i].mu, c[i].rho);
            if (ref > 1e-300)
                assert_rel(up, ref, 1e-9);
            assert_int_equal(vw_stats_bb_lower(k - 1, n, c[i].mu, c[i].rho, &lo), 0);
            assert_rel(up + lo, 1.0, 1e-12);
        }
    }
}

static void test_bb_large_n(void **state)
{
    (void)state;
    /* Python mpmath (60 digits): P(k) = C(n,k) B(k+a, n-k+b) / B(a,b) by
     * loggamma, then P(x+1) = P(x) (n-x)(x+a) / ((x+1)(n-x-1+b)) summed until
     * a term is below 1e-70 of the sum; a, b from the doubles mu and rho.
     * Tolerances are relative, from the measured error of the code (given
     * beside), never an absolute floor. */
    assert_rel(bbup(5, 100000, 1e-4, 1e-4), 0.62092621912829746226, 1e-12);     /* 4e-14 */
    assert_rel(bbup(50, 100000, 1e-4, 1e-4), 0.0085148751623097767776, 1e-12);  /* 7e-14 */
    assert_rel(bbup(50, 100000, 1e-4, 0.01), 0.024442915157848232416, 1e-12);   /* 2e-14 */
    assert_rel(bbup(3, 100000, 1e-4, 0.1), 0.0070607841928661233336, 1e-12);    /* 3e-13 */
    assert_rel(bbup(200, 100000, 1e-4, 0.1), 0.0031593773166828673484, 5e-12);  /* 1.3e-12 */
    /* 30,000 of 100,000 at rho 0.1: lnpoch(a, x) and lnchoose(n, x) are each
     * about 1e5 and cancel, so the error is larger (3.1e-11 measured). */
    assert_rel(bbup(30000, 100000, 1e-4, 0.1), 1.1204012744616036388e-5, 1e-10);
    assert_rel(bbup(12, 5000, 1e-3, 1e-3), 0.11217811156000138799, 1e-12);      /* 2e-13 */
    assert_rel(bbup(40, 5000, 1e-3, 1e-3), 0.00067001415345792060663, 1e-12);   /* 1.3e-13 */
    assert_rel(bbup(30, 60, 0.1, 0.05), 0.00034085946182132295573, 1e-13);      /* 5e-15 */
}

static void test_bb_deep_tails(void **state)
{
    (void)state;
    /* Beta-binomial upper tails from 1e-8 down to 1e-302, same mpmath
     * reference as above; relative tolerance at every depth. */
    assert_rel(bbup(100, 5000, 1e-3, 1e-3), 1.0530062660277791086e-8, 1e-12);     /* 2e-13 */
    assert_rel(bbup(400, 2000, 0.01, 0.01), 5.5011581569340231163e-10, 5e-12);     /* 1.2e-12 */
    assert_rel(bbup(300, 5000, 1e-3, 1e-3), 4.1128189162932157238e-25, 1e-12);     /* 3.5e-13 */
    assert_rel(bbup(1000, 100000, 1e-4, 1e-4), 2.6094736429875986997e-42, 5e-12); /* 1.1e-12 */
    assert_rel(bbup(700, 5000, 1e-3, 1e-3), 6.3309371639504731779e-60, 5e-12);     /* 2e-12 */
    assert_rel(bbup(2000, 100000, 1e-4, 1e-4), 2.6970916271974367251e-84, 1e-11); /* 4.1e-12 */
    assert_rel(bbup(4000, 100000, 1e-3, 1e-4), 7.2882224013996510313e-152, 5e-12); /* 4.6e-13 */
    assert_rel(bbup(7500, 100000, 1e-3, 1e-4), 1.500407361821661658e-302, 1e-11); /* 4.5e-12 */
}

static void test_bb_rho_zero(void **state)
{
    (void)state;
    /* rho == 0 is the binomial exactly (same code path, bit-identical). */
    for (long k = 0; k <= 12; k++) {
        double b, bb;
        assert_int_equal(vw_stats_binom_upper(k, 5000, 1e-3, &b), 0);
        assert_int_equal(vw_stats_bb_upper(k, 5000, 1e-3, 0.0, &bb), 0);
        assert_true(b == bb);
        assert_int_equal(vw_stats_binom_lower(k, 5000, 1e-3, &b), 0);
        assert_int_equal(vw_stats_bb_lower(k, 5000, 1e-3, 0.0, &bb), 0);
        assert_true(b == bb);
        assert_int_equal(vw_stats_binom_pmf(k, 5000, 1e-3, &b), 0);
        assert_int_equal(vw_stats_bb_pmf(k, 5000, 1e-3, 0.0, &bb), 0);
        assert_true(b == bb);
    }
    /* rho -> 0 converges to the binomial (Var ratio 1 + (n-1) rho). */
    for (long k = 1; k <= 12; k++)
        assert_rel(bbup(k, 5000, 1e-3, 1e-12), upper(k, 5000, 1e-3), 1e-6);
    /* mu == 0: all mass at 0 whatever rho */
    assert_true(bbup(1, 100, 0.0, 0.05) == 0.0);
    assert_true(bbup(0, 100, 0.0, 0.05) == 1.0);
}

static void test_bb_invalid(void **state)
{
    (void)state;
    double v = SENTINEL;
    assert_int_equal(vw_stats_bb_upper(1, 10, 0.1, 1.0, &v), -EINVAL);
    assert_int_equal(vw_stats_bb_upper(1, 10, 0.1, -0.1, &v), -EINVAL);
    assert_int_equal(vw_stats_bb_upper(1, 10, 1.1, 0.1, &v), -EINVAL);
    assert_int_equal(vw_stats_bb_upper(1, -2, 0.1, 0.1, &v), -EINVAL);
    assert_int_equal(vw_stats_bb_upper(1, 10, NAN, 0.1, &v), -EINVAL);
    assert_int_equal(vw_stats_bb_upper(1, 10, 0.1, NAN, &v), -EINVAL);
    assert_int_equal(vw_stats_bb_upper(1, 10, 0.1, 0.1, NULL), -EINVAL);
    assert_int_equal(vw_stats_bb_lower(1, 10, 0.1, 0.1, NULL), -EINVAL);
    assert_int_equal(vw_stats_bb_pmf(1, 10, 0.1, 0.1, NULL), -EINVAL);
    assert_int_equal(vw_stats_bb_logpmf(1, 10, 0.1, 0.1, NULL), -EINVAL);
    assert_int_equal(vw_stats_bb_logpmf(1, 10, -1, 0.1, &v), -EINVAL);
    assert_true(v == SENTINEL);
}

/* ===================================================================== */
/* Background fit                                                         */
/* ===================================================================== */

/* The moment estimator from sums: the hand example of test_bbfit_hand below
 * (J = 4, X = 20, N = 4000, sum x^2/n = (0 + 100 + 4 + 64)/1000 = 0.168,
 * sum n^2 = 4e6) gives rho = 2123/596403. */
/* Katz log interval of a ratio of proportions: 10/1000 over 100/1000, ratio
 * 0.1, se^2 = 1/10 - 1/1000 + 1/100 - 1/1000 = 0.108; 95 %:
 * [0.05251297564748, 0.19042912492961] (Python, statistics.NormalDist). */
static void test_ratio_ci(void **state)
{
    (void)state;
    double lo, hi;
    assert_int_equal(vw_stats_ratio_ci(10, 1000, 100, 1000, 0.95, &lo, &hi), 0);
    assert_rel(lo, 0.05251297564748, 1e-10);
    assert_rel(hi, 0.19042912492961, 1e-10);
    assert_int_equal(vw_stats_ratio_ci(0, 1000, 100, 1000, 0.95, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ratio_ci(10, 5, 100, 1000, 0.95, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ratio_ci(10, 1000, 100, 1000, 1.0, &lo, &hi), -EINVAL);
}

static void test_bb_rho_moments(void **state)
{
    (void)state;
    double rho = -1;
    assert_int_equal(vw_stats_bb_rho_moments(4, 20, 4000, 0.168, 4e6, 0.1, &rho), 0);
    assert_rel(rho, 2123.0 / 596403.0, 1e-12);
    /* clamped to rho_max; under-dispersed (S = 0) to 0 */
    assert_int_equal(vw_stats_bb_rho_moments(4, 20, 4000, 0.168, 4e6, 1e-3, &rho), 0);
    assert_true(rho == 1e-3);
    assert_int_equal(vw_stats_bb_rho_moments(4, 20, 4000, 0.1, 4e6, 0.1, &rho), 0);
    assert_true(rho == 0);
    /* not estimable: one group, no alt */
    assert_int_equal(vw_stats_bb_rho_moments(1, 20, 4000, 0.168, 4e6, 0.1, &rho), VW_EINPUT);
    assert_int_equal(vw_stats_bb_rho_moments(4, 0, 4000, 0, 4e6, 0.1, &rho), VW_EINPUT);
    assert_int_equal(vw_stats_bb_rho_moments(4, 20, 10, 0.168, 4e6, 0.1, &rho), -EINVAL);
    assert_int_equal(vw_stats_bb_rho_moments(4, 20, 4000, 0.168, 4e6, 0.1, NULL), -EINVAL);
}

static void test_bbfit_hand(void **state)
{
    (void)state;
    /* x = {0,10,2,8}, n = 1000 each, plus a variant normal 60/100 (VAF 0.6,
     * excluded).  By hand (and Python fractions):
     *   X = 20, N = 4000, p = 0.005
     *   S = sum (x - n p)^2 / n = (25 + 25 + 9 + 9)/1000 = 0.068 = 17/250
     *   S/(p(1-p)) - (J-1) = 13.66834... - 3
     *   N - sum n^2/N - (J-1) = 4000 - 1000 - 3 = 2997
     *   rho_raw = 2123/596403 = 0.003559673576423995
     *   mu = (20 + 0.5)/(4000 + 1) = 0.005123719070232442 */
    const long x[] = { 0, 10, 2, 60, 8 }, n[] = { 1000, 1000, 1000, 100, 1000 };
    vw_bbfit_t fit;
    assert_int_equal(vw_stats_bbfit(x, n, 5, NULL, &fit), 0);
    assert_int_equal(fit.n_used, 4);
    assert_int_equal(fit.x_sum, 20);
    assert_int_equal(fit.n_sum, 4000);
    assert_int_equal(fit.rho_estimated, 1);
    assert_rel(fit.rho_raw, 2123.0 / 596403.0, 1e-12);
    assert_rel(fit.rho, 2123.0 / 596403.0, 1e-12);
    assert_rel(fit.mu, 20.5 / 4001.0, 1e-14);

    /* Under-dispersed data: x = {1,2,0,3}, n = {1000,1000,500,1500}
     * X = 6, N = 4000, p = .0015; S = .00025+.00025+.001125+.000375 = .002;
     * S/(p(1-p)) = .002/.00149775 = 1.3353 < J-1 = 3 -> rho_raw < 0,
     * clamped to rho_min = 1e-4. */
    const long x2[] = { 1, 2, 0, 3 }, n2[] = { 1000, 1000, 500, 1500 };
    assert_int_equal(vw_stats_bbfit(x2, n2, 4, NULL, &fit), 0);
    assert_true(fit.rho_raw < 0);
    assert_rel(fit.rho_raw, (0.002 / (0.0015 * 0.9985) - 3.0) /
                 (4000.0 - (1e6 + 1e6 + 250000.0 + 2250000.0) / 4000.0 - 3.0), 1e-12);
    assert_true(fit.rho == 1e-4);

    /* Two normals x = {0, 10}, n = {100, 100} (VAF 0.1 is kept):
     * p = .05, S = (25 + 25)/100 = .5, S/(p(1-p)) - 1 = .5/.0475 - 1,
     * denominator 200 - 20000/200 - 1 = 99 -> rho_raw = .0962; with
     * rho_max = .05 it is clamped to .05. */
    const long x3[] = { 0, 10 }, n3[] = { 100, 100 };
    assert_int_equal(vw_stats_bbfit(x3, n3, 2, NULL, &fit), 0);
    assert_rel(fit.rho_raw, (0.5 / 0.0475 - 1.0) / 99.0, 1e-12);
    vw_bbfit_opt_t opt;
    vw_stats_bbfit_opt_init(&opt);
    opt.rho_max = 0.05;
    assert_int_equal(vw_stats_bbfit(x3, n3, 2, &opt, &fit), 0);
    assert_true(fit.rho == 0.05);
}

static void test_bbfit_not_estimable(void **state)
{
    (void)state;
    vw_bbfit_t fit;
    /* All zero: no information on the spread -> rho_min, flagged. */
    const long x[] = { 0, 0, 0 }, n[] = { 1000, 2000, 3000 };
    assert_int_equal(vw_stats_bbfit(x, n, 3, NULL, &fit), 0);
    assert_int_equal(fit.rho_estimated, 0);
    assert_true(isnan(fit.rho_raw));
    assert_true(fit.rho == 1e-4);
    assert_rel(fit.mu, 0.5 / 6001.0, 1e-14);       /* pseudocounts only */
    /* A single normal. */
    const long x1[] = { 3 }, n1[] = { 1000 };
    assert_int_equal(vw_stats_bbfit(x1, n1, 1, NULL, &fit), 0);
    assert_int_equal(fit.rho_estimated, 0);
    assert_int_equal(fit.n_used, 1);
    assert_rel(fit.mu, 3.5 / 1001.0, 1e-14);
    /* Everything excluded (VAF > 0.1 or n = 0) -> VW_EINPUT, untouched. */
    const long xe[] = { 50, 0 }, ne[] = { 100, 0 };
    fit.mu = SENTINEL;
    assert_int_equal(vw_stats_bbfit(xe, ne, 2, NULL, &fit), VW_EINPUT);
    assert_true(fit.mu == SENTINEL);
    /* VAF exactly 0.1 is kept (the rule is "> 0.1"). */
    const long xb[] = { 10 }, nb[] = { 100 };
    assert_int_equal(vw_stats_bbfit(xb, nb, 1, NULL, &fit), 0);
    assert_int_equal(fit.n_used, 1);
}

static void test_bbfit_simulated(void **state)
{
    (void)state;
    /* 400 normals drawn from BB(5000, 1e-3, 5e-3) (gsl_ran_beta then
     * gsl_ran_binomial, seed 11): the moment estimates land near the truth.
     * SD of rho_hat here is about 10 % of rho; we allow 30 %. */
    enum { J = 400 };
    long x[J], n[J];
    double mu = 1e-3, rho = 5e-3;
    double a = mu * (1 - rho) / rho, b = (1 - mu) * (1 - rho) / rho;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    for (int j = 0; j < J; j++) {
        n[j] = 5000;
        x[j] = gsl_ran_binomial(r, gsl_ran_beta(r, a, b), 5000);
    }
    gsl_rng_free(r);
    vw_bbfit_t fit;
    assert_int_equal(vw_stats_bbfit(x, n, J, NULL, &fit), 0);
    assert_int_equal(fit.rho_estimated, 1);
    assert_rel(fit.mu, mu, 0.15);
    assert_rel(fit.rho, rho, 0.3);
}

static void test_bbfit_invalid(void **state)
{
    (void)state;
    const long x[] = { 1, 2 }, n[] = { 100, 100 }, bad[] = { 200, 100 };
    vw_bbfit_t fit;
    fit.mu = SENTINEL;
    vw_bbfit_opt_t opt;
    assert_int_equal(vw_stats_bbfit(NULL, n, 2, NULL, &fit), -EINVAL);
    assert_int_equal(vw_stats_bbfit(x, NULL, 2, NULL, &fit), -EINVAL);
    assert_int_equal(vw_stats_bbfit(x, n, 0, NULL, &fit), -EINVAL);
    assert_int_equal(vw_stats_bbfit(x, n, 2, NULL, NULL), -EINVAL);
    assert_int_equal(vw_stats_bbfit(bad, n, 2, NULL, &fit), -EINVAL);
    vw_stats_bbfit_opt_init(&opt);
    opt.rho_min = 0.2;
    opt.rho_max = 0.1;
    assert_int_equal(vw_stats_bbfit(x, n, 2, &opt, &fit), -EINVAL);
    vw_stats_bbfit_opt_init(&opt);
    opt.pseudo_alt = opt.pseudo_ref = 0.0;
    assert_int_equal(vw_stats_bbfit(x, n, 2, &opt, &fit), -EINVAL);
    vw_stats_bbfit_opt_init(&opt);
    opt.vaf_max = 0.0;
    assert_int_equal(vw_stats_bbfit(x, n, 2, &opt, &fit), -EINVAL);
    assert_true(fit.mu == SENTINEL);
}

/* ===================================================================== */
/* p-value                                                                */
/* ===================================================================== */

static void test_pvalue(void **state)
{
    (void)state;
    double p = SENTINEL;
    /* binomial: P(Bin(20000,1e-5) >= 1) = 1 - (1-1e-5)^20000 */
    assert_int_equal(vw_stats_pvalue(1, 20000, 1e-5, 0.0, &p), 0);
    assert_rel(p, -expm1(20000 * log1p(-1e-5)), 1e-13);
    /* beta-binomial: the mpmath value of test_bb_large_n */
    assert_int_equal(vw_stats_pvalue(40, 5000, 1e-3, 1e-3, &p), 0);
    assert_rel(p, 0.00067001415345792060663, 1e-12);
    assert_int_equal(vw_stats_pvalue(0, 5000, 1e-3, 1e-3, &p), 0);
    assert_true(p == 1.0);
    p = SENTINEL;
    assert_int_equal(vw_stats_pvalue(-1, 10, 0.1, 0, &p), -EINVAL);
    assert_int_equal(vw_stats_pvalue(11, 10, 0.1, 0, &p), -EINVAL);
    assert_int_equal(vw_stats_pvalue(1, 10, 0.1, 1.0, &p), -EINVAL);
    assert_int_equal(vw_stats_pvalue(1, 10, 0.1, 0.0, NULL), -EINVAL);
    assert_true(p == SENTINEL);
}

/* ===================================================================== */
/* Multiple testing                                                       */
/* ===================================================================== */

static void test_holm_bh(void **state)
{
    (void)state;
    /* p = {.01, .04, .03, .005}; sorted .005(3) .01(0) .03(2) .04(1), m = 4.
     * Holm: 4*.005 = .02; 3*.01 = .03; 2*.03 = .06; 1*.04 = .04 -> max .06
     *   -> {.03, .06, .06, .02}
     * BH from the top: .04*4/4 = .04; min(.04, .03*4/3 = .04) = .04;
     *   min(.04, .01*4/2 = .02) = .02; min(.02, .005*4/1 = .02) = .02
     *   -> {.02, .04, .04, .02} */
    const double p[] = { 0.01, 0.04, 0.03, 0.005 };
    const double holm[] = { 0.03, 0.06, 0.06, 0.02 }, bh[] = { 0.02, 0.04, 0.04, 0.02 };
    double out[4];
    assert_int_equal(vw_stats_holm(p, 4, out), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(out[i], holm[i], 1e-15);
    assert_int_equal(vw_stats_bh(p, 4, out), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(out[i], bh[i], 1e-15);

    /* Ties and the cap at 1: p = {.5, .5, .9}.
     * Holm: 3*.5 = 1.5 -> 1; then max -> 1, 1 -> {1, 1, 1}
     * BH: .9; min(.9, 3*.5/2 = .75) = .75; min(.75, 1.5) = .75 -> {.75, .75, .9} */
    const double pt[] = { 0.5, 0.5, 0.9 };
    assert_int_equal(vw_stats_holm(pt, 3, out), 0);
    for (int i = 0; i < 3; i++)
        assert_true(out[i] == 1.0);
    assert_int_equal(vw_stats_bh(pt, 3, out), 0);
    assert_rel(out[0], 0.75, 1e-15);
    assert_rel(out[1], 0.75, 1e-15);
    assert_rel(out[2], 0.9, 1e-15);

    /* In place, and a single p is unchanged. */
    double q[] = { 0.01, 0.04, 0.03, 0.005 };
    assert_int_equal(vw_stats_bh(q, 4, q), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(q[i], bh[i], 1e-15);
    double one = 0.2;
    assert_int_equal(vw_stats_holm(&one, 1, &one), 0);
    assert_true(one == 0.2);

    /* Monotone in p. */
    const double pm[] = { 0.2, 0.001, 0.05, 0.04, 0.3, 0.0001, 0.04 };
    double hq[7], bq[7];
    assert_int_equal(vw_stats_holm(pm, 7, hq), 0);
    assert_int_equal(vw_stats_bh(pm, 7, bq), 0);
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 7; j++)
            if (pm[i] <= pm[j]) {
                assert_true(hq[i] <= hq[j]);
                assert_true(bq[i] <= bq[j]);
            }
    for (int i = 0; i < 7; i++) {
        assert_true(bq[i] <= hq[i]);          /* BH is never stricter than Holm */
        assert_true(hq[i] >= pm[i] && hq[i] <= 1.0);
    }
}

/* Weighted Holm, by hand: p = {.01, .04, .03, .005}, w = {2, 1, .5, .5}
 * (sum 4).  Ratios p/w: .005(0) .04(1) .06(2) .01(3); sorted 0, 3, 1, 2.
 * Step 1: W = 4: .005 * 4 = .02; step 2: W = 2 (weights of 3, 1, 2):
 * .01 * 2 = .02; step 3: W = 1.5: .04 * 1.5 = .06; step 4: W = .5:
 * .06 * .5 = .03 -> running max .06.  -> {.02, .06, .06, .02}.  Equal
 * weights give Holm (test_holm_bh's values). */
static void test_holm_weighted(void **state)
{
    (void)state;
    const double p[] = {0.01, 0.04, 0.03, 0.005}, w[] = {2, 1, 0.5, 0.5}, one[] = {1, 1, 1, 1};
    const double want[] = {0.02, 0.06, 0.06, 0.02}, holm[] = {0.03, 0.06, 0.06, 0.02};
    double out[4];
    assert_int_equal(vw_stats_holm_weighted(p, w, 4, out), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(out[i], want[i], 1e-15);
    assert_int_equal(vw_stats_holm_weighted(p, one, 4, out), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(out[i], holm[i], 1e-15);
    const double bad_w[] = {1, 0, 1, 1}, bad_p[] = {0.1, 1.5, 0.1, 0.1};
    assert_int_equal(vw_stats_holm_weighted(p, bad_w, 4, out), -EINVAL);
    assert_int_equal(vw_stats_holm_weighted(bad_p, one, 4, out), -EINVAL);
    assert_int_equal(vw_stats_holm_weighted(p, one, 0, out), -EINVAL);
    assert_int_equal(vw_stats_holm_weighted(p, NULL, 4, out), -EINVAL);
}

static void test_holm_bh_invalid(void **state)
{
    (void)state;
    double p[] = { 0.1, 1.2 }, out[2] = { SENTINEL, SENTINEL };
    assert_int_equal(vw_stats_holm(NULL, 2, out), -EINVAL);
    assert_int_equal(vw_stats_holm(p, 0, out), -EINVAL);
    assert_int_equal(vw_stats_holm(p, 2, NULL), -EINVAL);
    assert_int_equal(vw_stats_holm(p, 2, out), -EINVAL);
    p[1] = NAN;
    assert_int_equal(vw_stats_bh(p, 2, out), -EINVAL);
    assert_int_equal(vw_stats_bh(NULL, 2, out), -EINVAL);
    assert_true(out[0] == SENTINEL && out[1] == SENTINEL);
}

/* ===================================================================== */
/* Confidence intervals                                                   */
/* ===================================================================== */

static void test_ci_cp(void **state)
{
    (void)state;
    double lo, hi;
    /* x = 0, n = 10: lo = 0, hi = 1 - 0.025^(1/10) */
    assert_int_equal(vw_stats_ci_cp(0, 10, 0.95, &lo, &hi), 0);
    assert_true(lo == 0.0);
    assert_rel(hi, 1.0 - pow(0.025, 0.1), 1e-10);
    /* x = n = 10: lo = 0.025^(1/10), hi = 1 */
    assert_int_equal(vw_stats_ci_cp(10, 10, 0.95, &lo, &hi), 0);
    assert_rel(lo, pow(0.025, 0.1), 1e-10);
    assert_true(hi == 1.0);
    /* x = 3, n = 100: Python, bisection (200 steps, mpmath 60 digits) on
     * P(Bin(100,p) >= 3) = .025 and P(Bin(100,p) <= 3) = .025 */
    assert_int_equal(vw_stats_ci_cp(3, 100, 0.95, &lo, &hi), 0);
    assert_rel(lo, 0.0062299715383063945, 1e-9);
    assert_rel(hi, 0.085176052974280035, 1e-9);
    /* x = 2, n = 100000, same method */
    assert_int_equal(vw_stats_ci_cp(2, 100000, 0.95, &lo, &hi), 0);
    assert_rel(lo, 2.4221019627031545e-6, 1e-9);
    assert_rel(hi, 7.2244989365047909e-5, 1e-9);
    /* x = 0, n = 1, conf 0.9: hi = 1 - 0.05 */
    assert_int_equal(vw_stats_ci_cp(0, 1, 0.9, &lo, &hi), 0);
    assert_rel(hi, 0.95, 1e-10);
}

static void test_ci_wilson(void **state)
{
    (void)state;
    double lo, hi;
    const double z = 1.9599639845400542355; /* Phi^-1(.975), mpmath sqrt(2) erfinv(.95) */
    const long xs[] = { 0, 1, 3, 50, 99, 100 };
    for (int i = 0; i < 6; i++) {
        double x = xs[i], n = 100, z2 = z * z;
        double c = (x + z2 / 2) / (n + z2);
        double h = z / (n + z2) * sqrt(x * (n - x) / n + z2 / 4);
        assert_int_equal(vw_stats_ci_wilson(xs[i], 100, 0.95, &lo, &hi), 0);
        assert_abs(lo, fmax(0.0, c - h), 1e-12);
        assert_abs(hi, fmin(1.0, c + h), 1e-12);
    }
    /* Python mpmath of the same formula: 3/100 -> [.010254524024038922,
     * .084519364290527621]; 0/10 -> [0, .27753279986288925]; 10/10 ->
     * [.72246720013711075, 1] */
    assert_int_equal(vw_stats_ci_wilson(3, 100, 0.95, &lo, &hi), 0);
    assert_rel(lo, 0.010254524024038922, 1e-12);
    assert_rel(hi, 0.084519364290527621, 1e-12);
    assert_int_equal(vw_stats_ci_wilson(0, 10, 0.95, &lo, &hi), 0);
    assert_true(lo == 0.0);
    assert_rel(hi, 0.27753279986288925, 1e-12);
    assert_int_equal(vw_stats_ci_wilson(10, 10, 0.95, &lo, &hi), 0);
    assert_rel(lo, 0.72246720013711075, 1e-12);
    assert_true(hi == 1.0);
}

static void test_ci_invalid(void **state)
{
    (void)state;
    double lo = SENTINEL, hi = SENTINEL;
    assert_int_equal(vw_stats_ci_cp(1, 0, 0.95, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ci_cp(11, 10, 0.95, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ci_cp(-1, 10, 0.95, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ci_cp(1, 10, 1.0, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ci_cp(1, 10, NAN, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ci_cp(1, 10, 0.95, NULL, &hi), -EINVAL);
    assert_int_equal(vw_stats_ci_wilson(1, 10, 0.0, &lo, &hi), -EINVAL);
    assert_int_equal(vw_stats_ci_wilson(1, 10, 0.95, &lo, NULL), -EINVAL);
    assert_true(lo == SENTINEL && hi == SENTINEL);
}

/* ===================================================================== */
/* Limits of detection                                                    */
/* ===================================================================== */

static void test_lod_table(void **state)
{
    (void)state;
    /* Critical counts and power at alpha 0.01, derived independently in Python
     * (mpmath 60 digits, exact binomial sums); the table is correct.
     * Power columns at f = 0.1 %, 0.5 %, 1 %:
     *   (1e-3, 1000)  k* 5  .0523823923861 .715077868115 .985185191471
     *   (1e-3, 5000)  k* 12 .3025409141    .999937443192 1.0
     *   (1e-3, 20000) k* 32 .914216740454  1.0           1.0
     *   (1e-4, 1000)  k* 2  .300954207959  .963119188556 .999562417726
     *   (1e-4, 5000)  k* 4  .798400009526  .99999997501  1.0
     *   (1e-5, 1000)  k* 1  .635963224037  .993412239844 .999957258316 */
    const struct { double eps; long n, k; double pw[3], table[3]; } r[] = {
        {1e-3, 1000, 5, {.0523823923861, .715077868115, .985185191471}, {.05, .72, .99}},
        {1e-3, 5000, 12, {.3025409141, .999937443192, 1.0}, {.30, 1.00, 1.00}},
        {1e-3, 20000, 32, {.914216740454, 1.0, 1.0}, {.91, 1.00, 1.00}},
        {1e-4, 1000, 2, {.300954207959, .963119188556, .999562417726}, {.30, .96, 1.00}},
        {1e-4, 5000, 4, {.798400009526, .99999997501, 1.0}, {.80, 1.00, 1.00}},
        {1e-5, 1000, 1, {.635963224037, .993412239844, .999957258316}, {.64, .99, 1.00}},
    };
    const double f[3] = { 0.001, 0.005, 0.01 };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        long k = -1;
        assert_int_equal(vw_stats_kstar_binom(r[i].n, r[i].eps, 0.01, &k), 0);
        assert_int_equal(k, r[i].k);
        for (int j = 0; j < 3; j++) {
            double pw;
            assert_int_equal(vw_stats_power_binom(r[i].n, r[i].eps, k, f[j], &pw), 0);
            assert_rel(pw, r[i].pw[j], 1e-9);
            assert_rel(round(pw * 100) / 100, r[i].table[j], 1e-12);
        }
        /* the beta-binomial versions with rho = 0 agree */
        long kb;
        assert_int_equal(vw_stats_kstar_bb(r[i].n, r[i].eps, 0.0, 0.01, &kb), 0);
        assert_int_equal(kb, k);
    }
}

static void test_lod95(void **state)
{
    (void)state;
    /* LoD95 by bisection in Python (mpmath, 60 steps on exact sums):
     *   (1e-3, 1000) .00813809065453    (1e-3, 5000) .00264151970193
     *   (1e-3, 20000) .0010924070458    (1e-4, 1000) .00463545712121
     *   (1e-4, 5000) .00145013929364    (1e-5, 1000) .00298127935789
     *   Bonferroni 0.05/50 at (1e-3, 5000): k* 14, LoD95 .00313367726343 */
    const struct { double eps; long n; double lod; } r[] = {
        {1e-3, 1000, .00813809065453}, {1e-3, 5000, .00264151970193},
        {1e-3, 20000, .0010924070458}, {1e-4, 1000, .00463545712121},
        {1e-4, 5000, .00145013929364}, {1e-5, 1000, .00298127935789},
    };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        double lod;
        long k;
        assert_int_equal(vw_stats_lod_binom(r[i].n, r[i].eps, 0.01, 1, 0.95, &lod, &k), 0);
        assert_rel(lod, r[i].lod, 1e-7);
        /* power at the LoD is >= .95 and just below it is < .95 */
        double pw;
        assert_int_equal(vw_stats_power_binom(r[i].n, r[i].eps, k, lod, &pw), 0);
        assert_true(pw >= 0.95);
        assert_int_equal(vw_stats_power_binom(r[i].n, r[i].eps, k, lod * (1 - 1e-7), &pw), 0);
        assert_true(pw < 0.95);
    }
    double lod;
    long k;
    assert_int_equal(vw_stats_lod_binom(5000, 1e-3, 0.05, 50, 0.95, &lod, &k), 0);
    assert_int_equal(k, 14);
    assert_rel(lod, .00313367726343, 1e-7);
    /* ret_k may be NULL */
    assert_int_equal(vw_stats_lod_binom(5000, 1e-3, 0.05, 50, 0.95, &lod, NULL), 0);
    /* undetectable: n = 3, eps = 0.5, alpha = 0.01: P(X >= 3) = 1/8 > alpha,
     * so k* = 4 > n and the LoD is NaN */
    assert_int_equal(vw_stats_lod_binom(3, 0.5, 0.01, 1, 0.95, &lod, &k), 0);
    assert_int_equal(k, 4);
    assert_true(isnan(lod));
}

static void test_lod_bb(void **state)
{
    (void)state;
    /* n = 5000, mu = 1e-3, rho = 1e-3 (Python mpmath, exact BB pmfs):
     * k* = 26 (null tail .0086970847828 at 26, .0104420931383 at 25),
     * LoD95 = .00913806938979 (power = P(BB(n, f + mu(1-f), rho) >= 26)). */
    long k;
    double lod, pw;
    assert_int_equal(vw_stats_kstar_bb(5000, 1e-3, 1e-3, 0.01, &k), 0);
    assert_int_equal(k, 26);
    assert_rel(bbup(26, 5000, 1e-3, 1e-3), 0.0086970847828079540869, 1e-12); /* 1e-13 measured */
    assert_rel(bbup(25, 5000, 1e-3, 1e-3), 0.010442093138333870918, 1e-12);
    assert_int_equal(vw_stats_lod_bb(5000, 1e-3, 1e-3, 0.01, 1, 0.95, &lod, &k), 0);
    assert_rel(lod, .00913806938979, 1e-7);
    assert_int_equal(vw_stats_power_bb(5000, 1e-3, 1e-3, k, lod, &pw), 0);
    assert_true(pw >= 0.95);
    /* power at f = 0 is the null tail */
    assert_int_equal(vw_stats_power_bb(5000, 1e-3, 1e-3, k, 0.0, &pw), 0);
    assert_rel(pw, 0.0086970847828079540869, 1e-12);
    /* rho = 0 is the binomial LoD */
    double lb;
    assert_int_equal(vw_stats_lod_bb(5000, 1e-3, 0.0, 0.01, 1, 0.95, &lod, &k), 0);
    assert_int_equal(vw_stats_lod_binom(5000, 1e-3, 0.01, 1, 0.95, &lb, NULL), 0);
    assert_true(lod == lb);
    /* over-dispersion can only raise the LoD */
    assert_int_equal(vw_stats_lod_bb(5000, 1e-3, 1e-2, 0.01, 1, 0.95, &lod, &k), 0);
    assert_true(lod > .00913806938979);
}

static void test_lod_molecules(void **state)
{
    (void)state;
    double f;
    /* ln 20 / G: G = 10 ng * 303 = 3030 GE -> 9.887e-4 (P(no mutant molecule) =
     * exp(-G f) = 0.05 solved for f: 10 ng gives about 0.1 %) */
    assert_int_equal(vw_stats_lod_molecules(10 * VW_GE_PER_NG, 0.95, &f), 0);
    assert_rel(f, log(20.0) / 3030.0, 1e-14);
    assert_abs(f, 0.001, 0.0002);
    /* 1 - exp(-G f) = .95 at that f */
    assert_rel(1 - exp(-3030.0 * f), 0.95, 1e-12);
    /* G = 2: ln 20 / 2 > 1 -> NaN */
    assert_int_equal(vw_stats_lod_molecules(2.0, 0.95, &f), 0);
    assert_true(isnan(f));
    f = SENTINEL;
    assert_int_equal(vw_stats_lod_molecules(0.0, 0.95, &f), -EINVAL);
    assert_int_equal(vw_stats_lod_molecules(INFINITY, 0.95, &f), -EINVAL);
    assert_int_equal(vw_stats_lod_molecules(100, 1.0, &f), -EINVAL);
    assert_int_equal(vw_stats_lod_molecules(100, 0.95, NULL), -EINVAL);
    assert_true(f == SENTINEL);
}

static void test_lod_invalid(void **state)
{
    (void)state;
    long k = -7;
    double f = SENTINEL;
    assert_int_equal(vw_stats_kstar_binom(100, 1.0, 0.01, &k), -EINVAL);
    assert_int_equal(vw_stats_kstar_binom(100, 1e-3, 0.0, &k), -EINVAL);
    assert_int_equal(vw_stats_kstar_binom(-1, 1e-3, 0.01, &k), -EINVAL);
    assert_int_equal(vw_stats_kstar_binom(100, 1e-3, 0.01, NULL), -EINVAL);
    assert_int_equal(vw_stats_kstar_bb(100, 1e-3, 1.0, 0.01, &k), -EINVAL);
    assert_int_equal(vw_stats_power_binom(100, 1e-3, 3, 1.5, &f), -EINVAL);
    assert_int_equal(vw_stats_power_bb(100, 1e-3, 0.1, 3, NAN, &f), -EINVAL);
    assert_int_equal(vw_stats_lod_binom(0, 1e-3, 0.01, 1, 0.95, &f, &k), -EINVAL);
    assert_int_equal(vw_stats_lod_binom(100, 1e-3, 0.01, 0, 0.95, &f, &k), -EINVAL);
    assert_int_equal(vw_stats_lod_binom(100, 1e-3, 0.01, 1, 1.0, &f, &k), -EINVAL);
    assert_int_equal(vw_stats_lod_binom(100, 1e-3, 0.01, 1, 0.95, NULL, &k), -EINVAL);
    assert_int_equal(vw_stats_lod_bb(100, 1e-3, -0.1, 0.01, 1, 0.95, &f, &k), -EINVAL);
    assert_true(k == -7 && f == SENTINEL);
}

/* ===================================================================== */
/* Calibration by simulation                                              */
/* ===================================================================== */

#define NREP 20000

/* Rejection rate of the one-sided test at 'alpha' on NREP draws of
 * x ~ Bin(n, E) with E ~ Beta(mean m, over-dispersion rho) (E = m when
 * rho = 0); the test uses the background (mu, rho). */
static double reject_rate(gsl_rng *r, long n, double m, double mu, double rho, double alpha)
{
    double a = m * (1 - rho) / rho, b = (1 - m) * (1 - rho) / rho;
    long rej = 0;
    for (int i = 0; i < NREP; i++) {
        double e = rho > 0 ? gsl_ran_beta(r, a, b) : m;
        long x = gsl_ran_binomial(r, e, n);
        double p;
        assert_int_equal(vw_stats_pvalue(x, n, mu, rho, &p), 0);
        rej += p <= alpha;
    }
    return (double)rej / NREP;
}

static void test_calibration_binom(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20240501);
    const long n = 3000;
    const double eps = 1e-3, alpha = 0.01;
    double se = sqrt(alpha * (1 - alpha) / NREP);
    /* null: rate <= alpha + 3 SE (the test is conservative: discrete) */
    double null = reject_rate(r, n, eps, eps, 0.0, alpha);
    assert_true(null <= alpha + 3 * se);
    /* power at VAF 0.5 %: x ~ Bin(n, f + eps(1-f)) */
    double f = 0.005;
    double pw = reject_rate(r, n, f + eps * (1 - f), eps, 0.0, alpha);
    assert_true(pw >= 0.95);
    /* at the computed LoD95 the simulated power is .95 within 4 SE */
    double lod;
    assert_int_equal(vw_stats_lod_binom(n, eps, alpha, 1, 0.95, &lod, NULL), 0);
    pw = reject_rate(r, n, lod + eps * (1 - lod), eps, 0.0, alpha);
    assert_abs(pw, 0.95, 4 * sqrt(0.95 * 0.05 / NREP));
    gsl_rng_free(r);
}

static void test_calibration_bb(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 777);
    const long n = 3000;
    const double mu = 1e-3, rho = 0.002, alpha = 0.01;
    double se = sqrt(alpha * (1 - alpha) / NREP);
    /* null data drawn from the beta-binomial itself */
    double null = reject_rate(r, n, mu, mu, rho, alpha);
    assert_true(null <= alpha + 3 * se);
    /* the binomial test on the same over-dispersed data is anti-conservative,
     * which is why the beta-binomial exists */
    {
        long rej = 0;
        double a = mu * (1 - rho) / rho, b = (1 - mu) * (1 - rho) / rho;
        for (int i = 0; i < NREP; i++) {
            long x = gsl_ran_binomial(r, gsl_ran_beta(r, a, b), n);
            double p;
            assert_int_equal(vw_stats_pvalue(x, n, mu, 0.0, &p), 0);
            rej += p <= alpha;
        }
        assert_true((double)rej / NREP > 2 * alpha);
    }
    /* power at the beta-binomial LoD95, data drawn from the model of
     * vw_stats_power_bb: BB(n, f + mu(1-f), rho) */
    double lod;
    assert_int_equal(vw_stats_lod_bb(n, mu, rho, alpha, 1, 0.95, &lod, NULL), 0);
    double pw = reject_rate(r, n, lod + mu * (1 - lod), mu, rho, alpha);
    assert_abs(pw, 0.95, 4 * sqrt(0.95 * 0.05 / NREP));
    /* and at VAF 0.5 % the power is >= .95 only if the LoD is below it */
    pw = reject_rate(r, n, 0.005 + mu * 0.995, mu, rho, alpha);
    if (lod <= 0.005)
        assert_true(pw >= 0.95 - 4 * sqrt(0.95 * 0.05 / NREP));
    else
        assert_true(pw < 0.95 + 4 * sqrt(0.95 * 0.05 / NREP));
    gsl_rng_free(r);
}

/* ===================================================================== */
/* Trend                                                                  */
/* ===================================================================== */

static void test_cochran_armitage(void **state)
{
    (void)state;
    /* x = {1,3,6}, n = 20 each, t = {0,1,2}; by hand:
     * pbar = 10/60 = 1/6; numerator = 0*(1-10/3) + 1*(3-10/3) + 2*(6-10/3) = 5
     * sum n t^2 = 100, (sum n t)^2/N = 3600/60 = 60 -> bracket 40
     * Z = 5 / sqrt(5/36 * 40) = 30/sqrt(200) = 3/sqrt(2) = 2.1213203435596424
     * p = 1 - Phi(Z) = erfc(1.5)/2 = 0.016947426762344636 (mpmath) */
    const long x[] = { 1, 3, 6 }, n[] = { 20, 20, 20 };
    const double t[] = { 0, 1, 2 };
    double z, p;
    assert_int_equal(vw_stats_cochran_armitage(x, n, t, 3, &z, &p), 0);
    assert_rel(z, 3.0 / sqrt(2.0), 1e-13);
    assert_rel(p, 0.016947426762344636467, 1e-12);
    /* invariant to shifting and (positively) scaling the scores */
    const double t2[] = { 100, 130, 160 };
    double z2;
    assert_int_equal(vw_stats_cochran_armitage(x, n, t2, 3, &z2, &p), 0);
    assert_rel(z2, z, 1e-12);
    /* two groups: the pooled two-proportion z statistic
     * (p2 - p1) / sqrt(pbar (1-pbar) (1/n1 + 1/n2)) */
    const long x3[] = { 5, 20 }, n3[] = { 1000, 1500 };
    const double t3[] = { 0, 1 };
    double p1 = 5.0 / 1000, p2 = 20.0 / 1500, pb = 25.0 / 2500;
    assert_int_equal(vw_stats_cochran_armitage(x3, n3, t3, 2, &z, &p), 0);
    assert_rel(z, (p2 - p1) / sqrt(pb * (1 - pb) * (1.0 / 1000 + 1.0 / 1500)), 1e-12);
    assert_rel(p, norm_q(z), 1e-12);
    /* all zero: Z = 0, p = 1 */
    const long x0[] = { 0, 0, 0 };
    assert_int_equal(vw_stats_cochran_armitage(x0, n, t, 3, &z, &p), 0);
    assert_true(z == 0.0 && p == 1.0);
}

static void test_trend_invalid(void **state)
{
    (void)state;
    const long x[] = { 1, 3, 6 }, n[] = { 20, 20, 20 }, bad[] = { 21, 20, 20 };
    const double t[] = { 0, 1, 2 }, tc[] = { 5, 5, 5 }, tn[] = { 0, NAN, 2 };
    double z = SENTINEL, p = SENTINEL;
    vw_trend_t fit;
    fit.p = SENTINEL;
    assert_int_equal(vw_stats_cochran_armitage(NULL, n, t, 3, &z, &p), -EINVAL);
    assert_int_equal(vw_stats_cochran_armitage(x, n, t, 1, &z, &p), -EINVAL);
    assert_int_equal(vw_stats_cochran_armitage(bad, n, t, 3, &z, &p), -EINVAL);
    assert_int_equal(vw_stats_cochran_armitage(x, n, tc, 3, &z, &p), -EINVAL);
    assert_int_equal(vw_stats_cochran_armitage(x, n, tn, 3, &z, &p), -EINVAL);
    assert_int_equal(vw_stats_cochran_armitage(x, n, t, 3, NULL, &p), -EINVAL);
    assert_int_equal(vw_stats_logit_trend(x, n, tc, 3, &fit), -EINVAL);
    assert_int_equal(vw_stats_logit_trend(x, NULL, t, 3, &fit), -EINVAL);
    assert_int_equal(vw_stats_logit_trend(x, n, t, 3, NULL), -EINVAL);
    const long n0[] = { 0, 0, 0 }, x00[] = { 0, 0, 0 };
    assert_int_equal(vw_stats_logit_trend(x00, n0, t, 3, &fit), -EINVAL);
    assert_true(z == SENTINEL && p == SENTINEL && fit.p == SENTINEL);
}

static void test_logit_exact_curve(void **state)
{
    (void)state;
    /* x_t = round(n / (1 + exp(-(b0 + b1 t)))) with n = 1e9, b0 = -6,
     * b1 = 0.03: rounding moves pi by <= 5e-10, so the MLE is the truth to
     * well within 1e-6. */
    const double t[] = { 0, 30, 60, 90, 120, 150 };
    long x[6], n[6];
    for (int i = 0; i < 6; i++) {
        n[i] = 1000000000L;
        x[i] = (long)llround(1e9 / (1 + exp(-(-6 + 0.03 * t[i]))));
    }
    vw_trend_t fit;
    assert_int_equal(vw_stats_logit_trend(x, n, t, 6, &fit), 0);
    assert_int_equal(fit.status, VW_FIT_OK);
    assert_abs(fit.b1, 0.03, 1e-6);
    assert_abs(fit.b0, -6, 1e-5);
    assert_true(fit.p < 1e-300 || fit.p == 0.0);
    assert_true(fit.se_b1 > 0 && fit.se_b1 < 1e-5);
}

static void test_logit_two_groups(void **state)
{
    (void)state;
    /* Two groups are saturated by the logistic line, so closed forms hold:
     * b1 = logit(p2) - logit(p1), b0 = logit(p1) - b1 t1,
     * se(b1) = sqrt(1/(n1 p1 q1) + 1/(n2 p2 q2)),
     * D = G statistic 2 sum O log(O/E) over the 4 cells, E from the pooled
     * rate. */
    const long x[] = { 5, 20 }, n[] = { 1000, 1000 };
    const double t[] = { 10, 40 };
    double p1 = 0.005, p2 = 0.02, pb = 25.0 / 2000;
    double b1 = (log(p2 / (1 - p2)) - log(p1 / (1 - p1))) / 30.0;
    double se = sqrt(1 / (1000 * p1 * (1 - p1)) + 1 / (1000 * p2 * (1 - p2))) / 30.0;
    double D = 2 * (5 * log(5 / (1000 * pb)) + 995 * log(995 / (1000 * (1 - pb))) +
                    20 * log(20 / (1000 * pb)) + 980 * log(980 / (1000 * (1 - pb))));
    vw_trend_t fit;
    assert_int_equal(vw_stats_logit_trend(x, n, t, 2, &fit), 0);
    assert_int_equal(fit.status, VW_FIT_OK);
    assert_rel(fit.b1, b1, 1e-9);
    assert_rel(fit.b0, log(p1 / (1 - p1)) - b1 * 10, 1e-9);
    assert_rel(fit.se_b1, se, 1e-8);
    assert_rel(fit.lrt, D, 1e-8);
    assert_rel(fit.p, norm_q(sqrt(D)), 1e-8);
    /* the same data reversed in time: b1 < 0 and p = 1 - Phi(-sqrt D) */
    const double tr[] = { 40, 10 };
    assert_int_equal(vw_stats_logit_trend(x, n, tr, 2, &fit), 0);
    assert_rel(fit.b1, -b1, 1e-9);
    assert_rel(fit.p, norm_q(-sqrt(D)), 1e-8);
}

static void test_logit_degenerate(void **state)
{
    (void)state;
    const long n[] = { 100, 100, 100 };
    const double t[] = { 0, 1, 2 };
    vw_trend_t fit;
    /* all zero */
    const long x0[] = { 0, 0, 0 };
    assert_int_equal(vw_stats_logit_trend(x0, n, t, 3, &fit), 0);
    assert_int_equal(fit.status, VW_FIT_ALL_ZERO);
    assert_true(fit.p == 1.0 && fit.lrt == 0.0 && isnan(fit.b1));
    /* all x == n */
    assert_int_equal(vw_stats_logit_trend(n, n, t, 3, &fit), 0);
    assert_int_equal(fit.status, VW_FIT_ALL_N);
    /* quasi-separation: a clone that appears only at the last draw.
     * Supremum: the last group keeps its own rate .05, the others 0, so
     * D = 2 [5 log .05 + 95 log .95 - (5 log(5/300) + 295 log(295/300))] */
    const long xs[] = { 0, 0, 5 };
    double D = 2 * (5 * log(0.05) + 95 * log(0.95) -
                    (5 * log(5.0 / 300) + 295 * log(295.0 / 300)));
    assert_int_equal(vw_stats_logit_trend(xs, n, t, 3, &fit), 0);
    assert_int_equal(fit.status, VW_FIT_SEPARATED);
    assert_true(isinf(fit.b1) && fit.b1 > 0);
    assert_rel(fit.lrt, D, 1e-10);
    assert_rel(fit.p, norm_q(sqrt(D)), 1e-10);
    /* complete separation downwards: D = 2 (0 - l0), b1 = -inf */
    const long xd[] = { 100, 0, 0 };
    assert_int_equal(vw_stats_logit_trend(xd, n, t, 3, &fit), 0);
    assert_int_equal(fit.status, VW_FIT_SEPARATED);
    assert_true(isinf(fit.b1) && fit.b1 < 0);
    assert_rel(fit.lrt, -2 * (100 * log(1.0 / 3) + 200 * log(2.0 / 3)), 1e-10);
    assert_true(fit.p > 0.99);
    /* zeros at some draws only, not separated: ordinary fit */
    const long xz[] = { 0, 2, 5 };
    assert_int_equal(vw_stats_logit_trend(xz, n, t, 3, &fit), 0);
    assert_int_equal(fit.status, VW_FIT_OK);
    assert_true(fit.b1 > 0 && fit.p < 0.05);
}

/* ===================================================================== */
/* Growth                                                                 */
/* ===================================================================== */

static void test_growth_exact(void **state)
{
    (void)state;
    /* Noise-free doubling every 10 days: x = 10, 20, 40, 80 in n = 10000.
     * r = ln 2 / 10, doubling time 10 d, a = log(10/10000). */
    const double t[] = { 0, 10, 20, 30 };
    const long x[] = { 10, 20, 40, 80 }, n[] = { 10000, 10000, 10000, 10000 };
    vw_growth_t g;
    assert_int_equal(vw_stats_growth_fit(t, x, n, 4, &g), 0);
    assert_int_equal(g.n_pos, 4);
    assert_int_equal(g.n_used, 4);
    assert_rel(g.wls.r, log(2.0) / 10, 1e-12);
    assert_rel(g.wls.td, 10.0, 1e-10);
    assert_rel(g.wls.a, log(1e-3), 1e-12);
    assert_true(g.wls.se < 1e-12);
    assert_int_equal(g.wls.decay, 0);
    assert_rel(g.glm.r, log(2.0) / 10, 1e-9);
    assert_rel(g.glm.td, 10.0, 1e-7);
    assert_rel(g.glm.a, log(1e-3), 1e-9);
    assert_true(g.glm.lo < g.glm.r && g.glm.r < g.glm.hi);
    assert_true(g.glm.td_lo < 10 && 10 < g.glm.td_hi);
    assert_rel(g.glm.td_lo, log(2.0) / g.glm.hi, 1e-12);

    /* Decay with depth varying: mutant fraction halves every 14 days,
     * n = 5000, 10000, 20000 and x = 400, 400, 400 -> fraction .08, .04, .02 */
    const double td[] = { 0, 14, 28 };
    const long xd[] = { 400, 400, 400 }, nd[] = { 5000, 10000, 20000 };
    assert_int_equal(vw_stats_growth_fit(td, xd, nd, 3, &g), 0);
    assert_rel(g.wls.r, -log(2.0) / 14, 1e-12);
    assert_int_equal(g.wls.decay, 1);
    assert_rel(g.wls.td, 14.0, 1e-10);
    assert_rel(g.glm.r, -log(2.0) / 14, 1e-9);
    assert_int_equal(g.glm.decay, 1);
    assert_rel(g.glm.td, 14.0, 1e-7);

    /* A zero count among the points is used by the GLM only. */
    const double tz[] = { 0, 10, 20, 30, 40 };
    const long xz[] = { 0, 10, 20, 40, 80 }, nz[] = { 10000, 10000, 10000, 10000, 10000 };
    assert_int_equal(vw_stats_growth_fit(tz, xz, nz, 5, &g), 0);
    assert_int_equal(g.n_pos, 4);
    assert_int_equal(g.n_used, 5);
    assert_rel(g.wls.r, log(2.0) / 10, 1e-12);
    assert_true(g.glm.r > log(2.0) / 10);    /* the zero pulls the start down */
}

/* Checks of the GLM fit against its defining equations, written here:
 * the score of the profile likelihood vanishes at r and the profile
 * deviance equals chi2(.95,1) = 3.841458820694124 at both CI ends. */
static double prof_ref(const double *t, const long *x, const long *n, int m, double r)
{
    double X = 0, sxt = 0, s = 0;
    for (int i = 0; i < m; i++) {
        X += x[i];
        sxt += x[i] * t[i];
        s += n[i] * exp(r * t[i]);
    }
    return X * (log(X) - log(s)) + r * sxt;   /* up to a constant */
}

static void test_growth_glm_equations(void **state)
{
    (void)state;
    const double t[] = { 0, 21, 42, 63, 84 };
    const long x[] = { 3, 9, 7, 20, 41 }, n[] = { 8000, 12000, 6000, 9000, 11000 };
    vw_growth_t g;
    assert_int_equal(vw_stats_growth_fit(t, x, n, 5, &g), 0);
    double r = g.glm.r, h = 1e-6;
    double score = (prof_ref(t, x, n, 5, r + h) - prof_ref(t, x, n, 5, r - h)) / (2 * h);
    assert_abs(score, 0, 1e-4);
    double lmax = prof_ref(t, x, n, 5, r);
    assert_rel(2 * (lmax - prof_ref(t, x, n, 5, g.glm.lo)), 3.841458820694124, 1e-7);
    assert_rel(2 * (lmax - prof_ref(t, x, n, 5, g.glm.hi)), 3.841458820694124, 1e-7);
    /* WLS by its normal equations: sum w (y - a - r t) = 0 and
     * sum w t (y - a - r t) = 0 with w = x, y = log(x/n) */
    double e0 = 0, e1 = 0;
    for (int i = 0; i < 5; i++) {
        double res = log((double)x[i] / n[i]) - g.wls.a - g.wls.r * t[i];
        e0 += x[i] * res;
        e1 += x[i] * t[i] * res;
    }
    assert_abs(e0, 0, 1e-9);
    assert_abs(e1, 0, 1e-7);
    /* doubling-time CI is the r CI mapped through ln2/r */
    if (g.glm.lo > 0)
        assert_rel(g.glm.td_hi, log(2.0) / g.glm.lo, 1e-12);
    else
        assert_true(isinf(g.glm.td_hi));
}

static void test_growth_coverage(void **state)
{
    (void)state;
    /* 2000 series x_i ~ Poisson(n e^(a + r t_i)), n = 1e5, e^a = 2e-4,
     * r = 0.02/day, six draws 14 days apart (expected 20 .. 81 molecules).
     * Both 95 % intervals must cover r in 92-98 % of the replicates. */
    const double t[] = { 0, 14, 28, 42, 56, 70 }, r_true = 0.02;
    long x[6], n[6];
    int cov_w = 0, cov_g = 0, reps = 2000;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 4242);
    for (int k = 0; k < reps; k++) {
        for (int i = 0; i < 6; i++) {
            n[i] = 100000;
            x[i] = gsl_ran_poisson(r, 1e5 * 2e-4 * exp(r_true * t[i]));
        }
        vw_growth_t g;
        assert_int_equal(vw_stats_growth_fit(t, x, n, 6, &g), 0);
        cov_w += g.wls.lo <= r_true && r_true <= g.wls.hi;
        cov_g += g.glm.lo <= r_true && r_true <= g.glm.hi;
    }
    gsl_rng_free(r);
    double cw = (double)cov_w / reps, cg = (double)cov_g / reps;
    assert_true(cw >= 0.92 && cw <= 0.98);
    assert_true(cg >= 0.92 && cg <= 0.98);
}

/* Over-dispersed series (what tracking fits): five draws 28 days apart, VAF
 * 0.2 % doubling every 28 days times a per-draw log-normal factor of sd 0.3,
 * plus a background error 5e-4, 5,000 fragments, 2,000 seeded replicates.
 * The WLS interval (residual scale, Student t) covers the true rate in
 * >= 90 %; the Poisson GLM's profile interval, which ignores the
 * over-dispersion, in far fewer (measured 0.915 and 0.51). */
static void test_growth_coverage_overdispersed(void **state)
{
    (void)state;
    const double rt = log(2.0) / 28.0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    int cw = 0, cg = 0, tot = 0;
    for (int it = 0; it < 2000; it++) {
        double t[5];
        long x[5], n[5];
        for (int i = 0; i < 5; i++) {
            t[i] = 28.0 * i;
            n[i] = 5000;
            double v = 0.002 * exp(rt * t[i]) * exp(gsl_ran_gaussian(r, 0.3)), e = 5e-4;
            x[i] = (long)gsl_ran_binomial(r, v + e * (1 - v), (unsigned)n[i]);
        }
        vw_growth_t g;
        if (vw_stats_growth_fit(t, x, n, 5, &g) != 0)
            continue;
        tot++;
        cw += g.wls.lo <= rt && rt <= g.wls.hi;
        cg += g.glm.lo <= rt && rt <= g.glm.hi;
    }
    gsl_rng_free(r);
    assert_true(tot >= 1990);
    assert_true((double)cw / tot >= 0.90);
    assert_true((double)cg / tot < 0.70);
}

/* The quasi-Poisson fit with the background subtracted.  Noise-free: x =
 * n bg + 10 * 2^(t/28) with n = 10000, bg = 3e-4 (3 a draw): the fit of
 * y = x - 3 reproduces r = ln 2 / 28 (to 1e-9), with no residual (phi 0,
 * taken as 1).  Simulated as test_growth_coverage_overdispersed (2,000
 * series, sd 0.3 and 0.5): the interval covers the true rate in >= 93 %
 * and 90 %, the mean rate within 3 % of it (WLS without subtraction: -8 %). */
static void test_growth_quasi(void **state)
{
    (void)state;
    const double l2 = log(2.0), rt = l2 / 28.0;
    double t[5], bg[5];
    long x[5], n[5];
    for (int i = 0; i < 5; i++) {
        t[i] = 28.0 * i;
        n[i] = 10000;
        bg[i] = 3e-4;
        x[i] = 3 + lround(10 * pow(2, i));
    }
    vw_growth_est_t e;
    assert_int_equal(vw_stats_growth_quasi(t, x, n, bg, 5, &e), 0);
    assert_rel(e.r, rt, 1e-9);
    assert_rel(e.td, 28.0, 1e-9);
    assert_int_equal(e.decay, 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    for (int k = 0; k < 2; k++) {
        double sd = k ? 0.5 : 0.3, sum = 0;
        int cov = 0, tot = 0;
        for (int it = 0; it < 2000; it++) {
            for (int i = 0; i < 5; i++) {
                n[i] = 5000;
                bg[i] = 5e-4;
                double v = 0.002 * exp(rt * t[i]) * exp(gsl_ran_gaussian(r, sd));
                x[i] = (long)gsl_ran_binomial(r, v + 5e-4 * (1 - v), (unsigned)n[i]);
            }
            if (vw_stats_growth_quasi(t, x, n, bg, 5, &e) != 0)
                continue;
            tot++;
            sum += e.r;
            cov += e.lo <= rt && rt <= e.hi;
        }
        assert_true(tot >= 1990);
        assert_true((double)cov / tot >= (k ? 0.90 : 0.93));
        assert_rel(sum / tot, rt, 0.03);
    }
    gsl_rng_free(r);
    /* invalid */
    assert_int_equal(vw_stats_growth_quasi(NULL, x, n, bg, 5, &e), -EINVAL);
    bg[0] = 1.5;
    assert_int_equal(vw_stats_growth_quasi(t, x, n, bg, 5, &e), -EINVAL);
    const long z[5] = {0, 0, 0, 5, 9};
    assert_int_equal(vw_stats_growth_quasi(t, z, n, NULL, 5, &e), -EINVAL); /* 2 positive */
}

static void test_growth_invalid(void **state)
{
    (void)state;
    const double t[] = { 0, 10, 20, 30 };
    const long x[] = { 0, 0, 4, 8 }, n[] = { 100, 100, 100, 100 };
    const long x3[] = { 2, 4, 8, 16 }, bad[] = { 200, 4, 8, 16 };
    vw_growth_t g;
    g.n_pos = -9;
    /* fewer than 3 positive points */
    assert_int_equal(vw_stats_growth_fit(t, x, n, 4, &g), -EINVAL);
    assert_int_equal(vw_stats_growth_fit(NULL, x3, n, 4, &g), -EINVAL);
    assert_int_equal(vw_stats_growth_fit(t, x3, n, 4, NULL), -EINVAL);
    assert_int_equal(vw_stats_growth_fit(t, bad, n, 4, &g), -EINVAL);
    assert_int_equal(vw_stats_growth_fit(t, x3, n, 0, &g), -EINVAL);
    /* positive points all at one time */
    const double ts[] = { 5, 5, 5, 5 };
    assert_int_equal(vw_stats_growth_fit(ts, x3, n, 4, &g), -EINVAL);
    assert_int_equal(g.n_pos, -9);
}

/* ===================================================================== */
/* CUSUM                                                                  */
/* ===================================================================== */

static void test_cusum_hand(void **state)
{
    (void)state;
    /* pi0 = .001, pi1 = .005: la = ln 5 = 1.6094379124341004,
     * lb = ln(.995/.999) = -0.0040120414899607485 (mpmath).
     * (x,n) = (0,1000): S = max(0, 1000 lb) = 0
     *         (3,1000): S = 3 la + 997 lb = 0.82830837181143483
     *         (8,1000): S += 8 la + 992 lb -> 9.7238665132431753  > h = 5: alarm
     *         (1,2000): S += la + 1999 lb  -> 3.3132334872457393 */
    const long x[] = { 0, 3, 8, 1 }, n[] = { 1000, 1000, 1000, 2000 };
    double s[4];
    long alarm = -9;
    assert_int_equal(vw_stats_cusum(x, n, 4, 0.001, 0.005, 5.0, s, &alarm), 0);
    assert_int_equal(alarm, 2);
    assert_true(s[0] == 0.0);
    assert_rel(s[1], 0.82830837181143483, 1e-12);
    assert_rel(s[2], 9.7238665132431753, 1e-12);
    assert_rel(s[3], 3.3132334872457393, 1e-12);
    /* higher threshold: no alarm; path may be NULL */
    assert_int_equal(vw_stats_cusum(x, n, 4, 0.001, 0.005, 10.0, NULL, &alarm), 0);
    assert_int_equal(alarm, -1);
    /* empty series */
    assert_int_equal(vw_stats_cusum(x, n, 0, 0.001, 0.005, 1.0, NULL, &alarm), 0);
    assert_int_equal(alarm, -1);
}

/* The p-value CUSUM of the emergence rule: its z transform and its threshold. */
static void test_zcusum(void **state)
{
    (void)state;
    /* z = Phi^-1(1 - p): 0.5 -> 0, 0.01 -> 2.3263478740408408 (Python
     * statistics.NormalDist); the ends are clamped to -8 and 8 */
    assert_abs(vw_stats_zcusum_z(0.5), 0.0, 1e-12);
    assert_rel(vw_stats_zcusum_z(0.01), 2.3263478740408408, 1e-9);
    assert_true(vw_stats_zcusum_z(1.0) == -8.0 && vw_stats_zcusum_z(0.0) == 8.0);
    assert_true(vw_stats_zcusum_z(1e-300) == 8.0);
    assert_true(isnan(vw_stats_zcusum_z(NAN)));
    double h;
    /* one draw: Q(h + k) = level, so h = Phi^-1(0.95) - 1 = 0.6448536269514722 */
    assert_int_equal(vw_stats_zcusum_h(1, 1.0, 0.05, &h), 0);
    assert_rel(h, 0.6448536269514722, 1e-8);
    /* nine draws at 0.05/58, bisection on the same sum with Python's math.erfc */
    assert_int_equal(vw_stats_zcusum_h(9, 1.0, 0.05 / 58, &h), 0);
    assert_rel(h, 3.952178154544849, 1e-8);
    assert_rel(vw_stats_zcusum_bound(9, 1.0, h), 0.05 / 58, 1e-6);
    /* the bound holds: 200,000 in-control series of 9 N(0,1) draws at the h of
     * level 0.05 alarm in <= 5 % (+3 SE); at h / 2 the rate is above 5 % (the
     * bound is not vacuous) */
    assert_int_equal(vw_stats_zcusum_h(9, 1.0, 0.05, &h), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    long alarm = 0, alarm_half = 0, n_sim = 200000;
    for (long i = 0; i < n_sim; i++) {
        double S = 0;
        int a = 0, b = 0;
        for (int t = 0; t < 9; t++) {
            S = fmax(0.0, S + gsl_ran_ugaussian(r) - 1.0);
            a |= S > h;
            b |= S > h / 2;
        }
        alarm += a;
        alarm_half += b;
    }
    gsl_rng_free(r);
    double se = sqrt(0.05 * 0.95 / (double)n_sim);
    assert_true((double)alarm / (double)n_sim <= 0.05 + 3 * se);
    assert_true((double)alarm_half / (double)n_sim > 0.05);
    /* bad arguments */
    assert_int_equal(vw_stats_zcusum_h(0, 1.0, 0.05, &h), -EINVAL);
    assert_int_equal(vw_stats_zcusum_h(9, -1.0, 0.05, &h), -EINVAL);
    assert_int_equal(vw_stats_zcusum_h(9, 1.0, 1.0, &h), -EINVAL);
    assert_int_equal(vw_stats_zcusum_h(9, 1.0, 0.05, NULL), -EINVAL);
    assert_true(isnan(vw_stats_zcusum_bound(0, 1.0, 1.0)));
}

static void test_cusum_choose_h(void **state)
{
    (void)state;
    const long n[] = { 3000, 5000, 2000 };
    const double pi0 = 1e-3, pi1 = 2.5e-3, target = 50;
    const size_t nsim = 2000;
    double h = -1, arl = -1;
    assert_int_equal(vw_stats_cusum_choose_h(n, 3, pi0, pi1, target, 42, nsim, &h, &arl), 0);
    assert_true(h > 0 && arl >= target);
    /* deterministic */
    double h2, arl2;
    assert_int_equal(vw_stats_cusum_choose_h(n, 3, pi0, pi1, target, 42, nsim, &h2, &arl2), 0);
    assert_true(h == h2 && arl == arl2);

    /* Reproduce the estimate with vw_stats_cusum on the same draws (same
     * seed, same order, runs capped at T = 10 * target), then check the ARL
     * on fresh draws (another seed, runs of up to 1000 draws). */
    enum { T = 500, L = 1000 };
    long xs[L], ns[L];
    for (int q = 0; q < L; q++)
        ns[q] = n[q % 3];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double sum = 0, sum_low = 0;
    gsl_rng_set(r, 42);
    for (size_t j = 0; j < nsim; j++) {
        long alarm, alarm_low;
        for (int q = 0; q < T; q++)
            xs[q] = gsl_ran_binomial(r, pi0, ns[q]);
        assert_int_equal(vw_stats_cusum(xs, ns, T, pi0, pi1, h, NULL, &alarm), 0);
        assert_int_equal(vw_stats_cusum(xs, ns, T, pi0, pi1, 0.95 * h, NULL, &alarm_low), 0);
        sum += alarm < 0 ? T : alarm + 1;
        sum_low += alarm_low < 0 ? T : alarm_low + 1;
    }
    assert_rel(sum / nsim, arl, 1e-12);
    assert_true(sum_low / nsim < target);      /* h is (close to) the smallest */
    gsl_rng_set(r, 99);
    sum = 0;
    for (int j = 0; j < 1000; j++) {
        long alarm;
        for (int q = 0; q < L; q++)
            xs[q] = gsl_ran_binomial(r, pi0, ns[q]);
        assert_int_equal(vw_stats_cusum(xs, ns, L, pi0, pi1, h, NULL, &alarm), 0);
        sum += alarm < 0 ? L : alarm + 1;
    }
    gsl_rng_free(r);
    /* independent estimate: >= target up to Monte Carlo error (~3 %) */
    assert_true(sum / 1000 >= 0.9 * target);
}

static void test_cusum_invalid(void **state)
{
    (void)state;
    const long x[] = { 0, 3 }, n[] = { 1000, 1000 }, bad[] = { 1000, 2 };
    long alarm = -9;
    double h = SENTINEL;
    assert_int_equal(vw_stats_cusum(NULL, n, 2, 0.001, 0.005, 5, NULL, &alarm), -EINVAL);
    assert_int_equal(vw_stats_cusum(x, n, 2, 0.005, 0.001, 5, NULL, &alarm), -EINVAL);
    assert_int_equal(vw_stats_cusum(x, n, 2, 0.0, 0.001, 5, NULL, &alarm), -EINVAL);
    assert_int_equal(vw_stats_cusum(x, n, 2, 0.001, 0.005, -1, NULL, &alarm), -EINVAL);
    assert_int_equal(vw_stats_cusum(x, n, 2, 0.001, 0.005, NAN, NULL, &alarm), -EINVAL);
    assert_int_equal(vw_stats_cusum(x, bad, 2, 0.001, 0.005, 5, NULL, &alarm), -EINVAL);
    assert_int_equal(vw_stats_cusum(x, n, 2, 0.001, 0.005, 5, NULL, NULL), -EINVAL);
    assert_int_equal(alarm, -9);
    assert_int_equal(vw_stats_cusum_choose_h(NULL, 2, 0.001, 0.005, 50, 1, 100, &h, NULL), -EINVAL);
    assert_int_equal(vw_stats_cusum_choose_h(n, 0, 0.001, 0.005, 50, 1, 100, &h, NULL), -EINVAL);
    assert_int_equal(vw_stats_cusum_choose_h(n, 2, 0.001, 0.005, 0.5, 1, 100, &h, NULL), -EINVAL);
    assert_int_equal(vw_stats_cusum_choose_h(n, 2, 0.001, 0.005, 50, 1, 5, &h, NULL), -EINVAL);
    assert_int_equal(vw_stats_cusum_choose_h(x, 2, 0.001, 0.005, 50, 1, 100, &h, NULL), -EINVAL);
    assert_int_equal(vw_stats_cusum_choose_h(n, 2, 0.001, 0.005, 50, 1, 100, NULL, NULL), -EINVAL);
    assert_true(h == SENTINEL);
}

/* ===================================================================== */
/* Kaplan-Meier                                                           */
/* ===================================================================== */

static void test_km_six(void **state)
{
    (void)state;
    /* 6 subjects: 2, 3+, 4, 4, 5+, 7 (+ = censored).  By hand:
     *   t=2: r=6 d=1 S = 5/6;            v = 1/(6*5) = 1/30
     *   t=3: r=5 censored, S = 5/6
     *   t=4: r=4 d=2 S = 5/6 * 2/4 = 5/12; v = 1/30 + 2/(4*2) = 17/60
     *   t=5: r=2 censored
     *   t=7: r=1 d=1 S = 0 (SE undefined)
     * Greenwood SE: 5/6 sqrt(1/30) = 0.152145154862546,
     *               5/12 sqrt(17/60) = 0.221787769759324
     * log-log 95 % CI (mpmath): t=2 [0.273122849928356, 0.974712426690893],
     *                           t=4 [0.0559918648520529, 0.76652221955058]
     * median = 4 (first S <= .5); median CI: first lo <= .5 is t=2, first
     * hi <= .5 is t=7. */
    const double t[] = { 4, 2, 7, 3, 5, 4 };
    const int ev[] = { 1, 1, 1, 0, 0, 1 };
    vw_km_t *km = NULL;
    assert_int_equal(vw_stats_km(t, ev, 6, 0.95, &km), 0);
    assert_non_null(km);
    assert_int_equal(km->n, 5);
    const double et[] = { 2, 3, 4, 5, 7 };
    const long er[] = { 6, 5, 4, 2, 1 }, ed[] = { 1, 0, 2, 0, 1 }, ec[] = { 0, 1, 0, 1, 0 };
    const double es[] = { 5.0 / 6, 5.0 / 6, 5.0 / 12, 5.0 / 12, 0 };
    for (int i = 0; i < 5; i++) {
        assert_true(km->time[i] == et[i]);
        assert_int_equal(km->n_risk[i], er[i]);
        assert_int_equal(km->n_event[i], ed[i]);
        assert_int_equal(km->n_censor[i], ec[i]);
        assert_rel(km->surv[i], es[i], 1e-14);
    }
    assert_rel(km->se[0], 0.152145154862546, 1e-12);
    assert_rel(km->se[2], 0.221787769759324, 1e-12);
    assert_true(isnan(km->se[4]));
    assert_rel(km->lo[0], 0.273122849928356, 1e-10);
    assert_rel(km->hi[0], 0.974712426690893, 1e-10);
    assert_rel(km->lo[2], 0.0559918648520529, 1e-10);
    assert_rel(km->hi[2], 0.76652221955058, 1e-10);
    assert_true(km->lo[4] == 0.0 && km->hi[4] == 0.0);
    assert_true(km->median == 4.0);
    assert_true(km->median_lo == 2.0);
    assert_true(km->median_hi == 7.0);
    vw_stats_km_destroy(km);
    vw_stats_km_destroy(NULL);
}

static void test_km_6mp(void **state)
{
    (void)state;
    /* The 6-MP arm of Freireich et al. (1963), the standard textbook example
     * (21 patients, remission times in weeks, + = censored):
     * 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+.
     * Textbook KM and Greenwood SE: 6 .857 (.0764), 7 .807 (.0869),
     * 10 .753 (.0963), 13 .690 (.1068), 16 .627 (.1141), 22 .538 (.1282),
     * 23 .448 (.1346); median 23.  Full precision from Python (fractions):
     * S(6) = 18/21, S(7) = .8067226891, ..., S(23) = .4481792717.
     * log-log lower limits drop below .5 first at t = 13 (.4316102225), the
     * upper limit never does -> median CI [13, NA). */
    const double t[] = { 6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32,
                         34, 35 };
    const int ev[] = { 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0 };
    vw_km_t *km = NULL;
    assert_int_equal(vw_stats_km(t, ev, 21, 0.95, &km), 0);
    const double et[] = { 6, 7, 10, 13, 16, 22, 23 };
    const double es[] = { .8571428571, .8067226891, .7529411765, .6901960784, .6274509804,
                          .5378151261, .4481792717 };
    const double ese[] = { .07636035483, .08693528518, .09634965299, .1068147078, .1140538653,
                           .1282337517, .1345914568 };
    const double elo[] = { .6197179553, .5631465646, .5031995108, .4316102225, .367510856,
                           .2677789368, .188052006 };
    int j = 0;
    for (size_t i = 0; i < km->n; i++) {
        if (km->n_event[i] == 0)
            continue;
        assert_true(km->time[i] == et[j]);
        assert_rel(km->surv[i], es[j], 1e-9);
        assert_rel(km->se[i], ese[j], 1e-8);
        assert_rel(km->lo[i], elo[j], 1e-8);
        j++;
    }
    assert_int_equal(j, 7);
    assert_int_equal(km->n_risk[0], 21);
    assert_true(km->median == 23.0);
    assert_true(km->median_lo == 13.0);
    assert_true(isnan(km->median_hi));
    vw_stats_km_destroy(km);

    /* no event at all: S = 1 throughout, no median */
    const int none[] = { 0, 0, 0 };
    assert_int_equal(vw_stats_km(t, none, 3, 0.95, &km), 0);
    assert_true(km->surv[0] == 1.0 && isnan(km->median));
    vw_stats_km_destroy(km);
}

static void test_km_invalid(void **state)
{
    (void)state;
    const double t[] = { 1, 2 }, tn[] = { -1, 2 };
    const int ev[] = { 1, 0 }, evb[] = { 1, 2 };
    static vw_km_t dummy;
    vw_km_t *km = &dummy;               /* sentinel: must stay untouched */
    vw_km_t *const s = km;
    assert_int_equal(vw_stats_km(NULL, ev, 2, 0.95, &km), -EINVAL);
    assert_int_equal(vw_stats_km(t, NULL, 2, 0.95, &km), -EINVAL);
    assert_int_equal(vw_stats_km(t, ev, 0, 0.95, &km), -EINVAL);
    assert_int_equal(vw_stats_km(tn, ev, 2, 0.95, &km), -EINVAL);
    assert_int_equal(vw_stats_km(t, evb, 2, 0.95, &km), -EINVAL);
    assert_int_equal(vw_stats_km(t, ev, 2, 1.5, &km), -EINVAL);
    assert_int_equal(vw_stats_km(t, ev, 2, 0.95, NULL), -EINVAL);
    assert_ptr_equal(km, s);
}

/* ===================================================================== */
/* Medians                                                                */
/* ===================================================================== */

static void test_median(void **state)
{
    (void)state;
    double m;
    const double odd[] = { 3, 1, 2 }, even[] = { 4, 1, 3, 2 }, one[] = { -7.5 };
    assert_int_equal(vw_stats_median(odd, 3, &m), 0);
    assert_true(m == 2);
    assert_int_equal(vw_stats_median(even, 4, &m), 0);
    assert_true(m == 2.5);
    assert_int_equal(vw_stats_median(one, 1, &m), 0);
    assert_true(m == -7.5);
    assert_true(odd[0] == 3);               /* input untouched */
    /* histogram {0,2,1,1}: values 1,1,2,3 -> (1+2)/2 */
    const long h[] = { 0, 2, 1, 1 }, h2[] = { 0, 0, 5 }, h3[] = { 1, 0, 0, 1 };
    assert_int_equal(vw_stats_median_hist(h, 4, &m), 0);
    assert_true(m == 1.5);
    assert_int_equal(vw_stats_median_hist(h2, 3, &m), 0);
    assert_true(m == 2);
    assert_int_equal(vw_stats_median_hist(h3, 4, &m), 0); /* values 0 and 3 */
    assert_true(m == 1.5);

    m = SENTINEL;
    const double bad[] = { 1, NAN };
    const long hn[] = { 1, -1 }, hz[] = { 0, 0 };
    assert_int_equal(vw_stats_median(NULL, 3, &m), -EINVAL);
    assert_int_equal(vw_stats_median(odd, 0, &m), -EINVAL);
    assert_int_equal(vw_stats_median(bad, 2, &m), -EINVAL);
    assert_int_equal(vw_stats_median(odd, 3, NULL), -EINVAL);
    assert_int_equal(vw_stats_median_hist(hn, 2, &m), -EINVAL);
    assert_int_equal(vw_stats_median_hist(hz, 2, &m), -EINVAL);
    assert_int_equal(vw_stats_median_hist(NULL, 2, &m), -EINVAL);
    assert_true(m == SENTINEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binom_closed_forms),
        cmocka_unit_test(test_binom_small_n_sums),
        cmocka_unit_test(test_binom_reference),
        cmocka_unit_test(test_binom_edges),
        cmocka_unit_test(test_binom_invalid),
        cmocka_unit_test(test_bb_pmf),
        cmocka_unit_test(test_bb_tails),
        cmocka_unit_test(test_bb_large_n),
        cmocka_unit_test(test_bb_deep_tails),
        cmocka_unit_test(test_bb_rho_zero),
        cmocka_unit_test(test_bb_invalid),
        cmocka_unit_test(test_bbfit_hand),
        cmocka_unit_test(test_bbfit_not_estimable),
        cmocka_unit_test(test_bbfit_simulated),
        cmocka_unit_test(test_bbfit_invalid),
        cmocka_unit_test(test_pvalue),
        cmocka_unit_test(test_holm_bh),
        cmocka_unit_test(test_holm_weighted),
        cmocka_unit_test(test_holm_bh_invalid),
        cmocka_unit_test(test_ci_cp),
        cmocka_unit_test(test_ci_wilson),
        cmocka_unit_test(test_ci_invalid),
        cmocka_unit_test(test_lod_table),
        cmocka_unit_test(test_lod95),
        cmocka_unit_test(test_lod_bb),
        cmocka_unit_test(test_lod_molecules),
        cmocka_unit_test(test_lod_invalid),
        cmocka_unit_test(test_calibration_binom),
        cmocka_unit_test(test_calibration_bb),
        cmocka_unit_test(test_cochran_armitage),
        cmocka_unit_test(test_trend_invalid),
        cmocka_unit_test(test_logit_exact_curve),
        cmocka_unit_test(test_logit_two_groups),
        cmocka_unit_test(test_logit_degenerate),
        cmocka_unit_test(test_growth_exact),
        cmocka_unit_test(test_growth_glm_equations),
        cmocka_unit_test(test_growth_coverage),
        cmocka_unit_test(test_growth_invalid),
        cmocka_unit_test(test_cusum_hand),
        cmocka_unit_test(test_zcusum),
        cmocka_unit_test(test_growth_coverage_overdispersed),
        cmocka_unit_test(test_growth_quasi),
        cmocka_unit_test(test_bb_rho_moments),
        cmocka_unit_test(test_ratio_ci),
        cmocka_unit_test(test_cusum_choose_h),
        cmocka_unit_test(test_cusum_invalid),
        cmocka_unit_test(test_km_six),
        cmocka_unit_test(test_km_6mp),
        cmocka_unit_test(test_km_invalid),
        cmocka_unit_test(test_median),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
