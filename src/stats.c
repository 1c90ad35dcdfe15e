/* stats.c -- binomial/beta-binomial tails, background fit, multiple testing,
 * confidence intervals, limits of detection, trend, growth, CUSUM,
 * Kaplan-Meier.  The only user of GSL.  See include/vafwatch/stats.h and
 * docs/statistics.md. */
#include <errno.h>
#include <limits.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "vafwatch/stats.h"

/* ---------------------------------------------------------------------- */
/* Small helpers                                                            */
/* ---------------------------------------------------------------------- */

static int is_prob(double p) { return p >= 0.0 && p <= 1.0; } /* false for NaN */

static double clamp01(double v) { return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v; }

/* A GSL special-function status: success, or an underflow whose value
 * (0 or a subnormal, or 1 - underflowed term) is still the right answer. */
static int sf_ok(int status, double val)
{
    return (status == GSL_SUCCESS || status == GSL_EUNDRFLW) && isfinite(val);
}

/* log B(a, b) for a, b > 0. */
static int lnbeta(double a, double b, double *ret)
{
    gsl_sf_result r;
    int st = gsl_sf_lnbeta_e(a, b, &r);
    if (!sf_ok(st, r.val))
        return VW_ESTATS;
    *ret = r.val;
    return 0;
}

/* log C(n, k) = -log(n+1) - log B(k+1, n-k+1), 0 <= k <= n. */
static int lnchoose(long n, long k, double *ret)
{
    if (k == 0 || k == n) {
        *ret = 0.0;
        return 0;
    }
    double lb;
    int rc = lnbeta((double)k + 1.0, (double)(n - k) + 1.0, &lb);
    if (rc)
        return rc;
    *ret = -log((double)n + 1.0) - lb;
    return 0;
}

/* log(1 + e^z) without overflow. */
static double log1pexp(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

static int check_counts(const long *x, const long *n, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (x[i] < 0 || n[i] < x[i])
            return -EINVAL;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Binomial                                                                 */
/* ---------------------------------------------------------------------- */

/* The static helpers below write their result only when they return 0, so
 * the public functions pass their ret_ pointers straight through. */

/* log P(X = k); -INFINITY outside the support. */
static int binom_logpmf(long k, long n, double p, double *ret)
{
    if (k < 0 || k > n) { *ret = -INFINITY; return 0; }
    if (p == 0.0) { *ret = k == 0 ? 0.0 : -HUGE_VAL; return 0; }
    if (p == 1.0) { *ret = k == n ? 0.0 : -HUGE_VAL; return 0; }
    double lc;
    int rc = lnchoose(n, k, &lc);
    if (rc)
        return rc;
    *ret = lc + (double)k * log(p) + (double)(n - k) * log1p(-p);
    return 0;
}

static int binom_pmf(long k, long n, double p, double *ret)
{
    double lp;
    int rc = binom_logpmf(k, n, p, &lp);
    if (rc)
        return rc;
    *ret = exp(lp);
    return 0;
}

/* P(X >= k), arguments already checked. */
static int binom_upper(long k, long n, double p, double *ret)
{
    if (k <= 0) { *ret = 1.0; return 0; }
    if (k > n) { *ret = 0.0; return 0; }
    if (p == 0.0) { *ret = 0.0; return 0; }
    if (p == 1.0) { *ret = 1.0; return 0; }
    gsl_sf_result r;
    int st = gsl_sf_beta_inc_e((double)k, (double)(n - k) + 1.0, p, &r);
    if (!sf_ok(st, r.val))
        return VW_ESTATS;
    *ret = clamp01(r.val);
    return 0;
}

/* Terms of the lower tail summed directly when there are few of them:
 * P(X = 0) = exp(n log1p(-p)), P(X = j+1) = P(X = j) (n-j)/(j+1) p/(1-p).
 * The incomplete beta below is given x = 1 - p, whose rounding costs up to
 * n * 1e-16 relative (9e-13 at n = 20,000, p = 1e-5); this sum does not. */
#define BINOM_SUM_MAX 64

static int binom_lower_sum(long k, long n, double p, double *ret)
{
    double l0 = (double)n * log1p(-p);
    if (k > BINOM_SUM_MAX || l0 < -700.0 || (double)k > (double)n * p)
        return 1;
    double t = exp(l0), s = t, odds = p / (1.0 - p);
    for (long j = 0; j < k; j++) {
        t *= (double)(n - j) / (double)(j + 1) * odds;
        s += t;
    }
    *ret = clamp01(s);
    return 0;
}

/* P(X <= k) = P(n - X >= n - k), n - X ~ Bin(n, 1 - p). */
static int binom_lower(long k, long n, double p, double *ret)
{
    if (k < 0) { *ret = 0.0; return 0; }
    if (k >= n) { *ret = 1.0; return 0; }
    if (p == 0.0) { *ret = 1.0; return 0; }
    if (p == 1.0) { *ret = 0.0; return 0; }
    if (binom_lower_sum(k, n, p, ret) == 0)
        return 0;
    gsl_sf_result r;
    int st = gsl_sf_beta_inc_e((double)(n - k), (double)k + 1.0, 1.0 - p, &r);
    if (!sf_ok(st, r.val))
        return VW_ESTATS;
    *ret = clamp01(r.val);
    return 0;
}

int vw_stats_binom_pmf(long k, long n, double p, double *ret_prob)
{
    if (!ret_prob || n < 0 || !is_prob(p))
        return -EINVAL;
    return binom_pmf(k, n, p, ret_prob);
}

int vw_stats_binom_upper(long k, long n, double p, double *ret_prob)
{
    if (!ret_prob || n < 0 || !is_prob(p))
        return -EINVAL;
    return binom_upper(k, n, p, ret_prob);
}

int vw_stats_binom_lower(long k, long n, double p, double *ret_prob)
{
    if (!ret_prob || n < 0 || !is_prob(p))
        return -EINVAL;
    return binom_lower(k, n, p, ret_prob);
}

/* ---------------------------------------------------------------------- */
/* Beta-binomial                                                            */
/* ---------------------------------------------------------------------- */

static int bb_args_ok(long n, double mu, double rho)
{
    return n >= 0 && is_prob(mu) && rho >= 0.0 && rho < 1.0;
}

/* True when BB(n, mu, rho) is handled by the binomial code: rho == 0 is
 * the binomial, and mu in {0, 1} is a point mass whatever rho is. */
static int bb_is_binom(double mu, double rho)
{
    return rho == 0.0 || mu == 0.0 || mu == 1.0;
}

static void bb_shape(double mu, double rho, double *a, double *b)
{
    *a = mu * (1.0 - rho) / rho;
    *b = (1.0 - mu) * (1.0 - rho) / rho;
}

/* log(Gamma(a + x) / Gamma(a)) by GSL, for shapes below BB_STIRLING. */
static int lnpoch(double a, double x, double *ret)
{
    if (x == 0.0) {
        *ret = 0.0;
        return 0;
    }
    gsl_sf_result r;
    int st = gsl_sf_lnpoch_e(a, x, &r);
    if (!sf_ok(st, r.val))
        return VW_ESTATS;
    *ret = r.val;
    return 0;
}

/* Shapes at or above this use the Stirling forms below. */
#define BB_STIRLING 10.0

/* Stirling remainder lgamma(z) - [(z - 1/2) log z - z + log(2 pi)/2] for
 * z >= 10 (the series to z^-9; the next term is below 2e-14). */
static double stirling_rem(double z)
{
    double w = 1.0 / (z * z);
    return (1.0 / 12 - w * (1.0 / 360 - w * (1.0 / 1260 - w * (1.0 / 1680 - w / 1188)))) / z;
}

/* log(Gamma(a + x) / Gamma(a)) for a >= BB_STIRLING:
 * (a - 1/2) log1p(x/a) + x log(a + x) - x + rem(a + x) - rem(a). */
static double lnpoch_big(double a, double x)
{
    return (a - 0.5) * log1p(x / a) + x * log(a + x) - x + stirling_rem(a + x) - stirling_rem(a);
}

/*
 * log P(X = x) with shapes a, b > 0, 0 <= x <= n:
 *   log C(n,x) + log Gamma(a+x)/Gamma(a) + log Gamma(b+n-x)/Gamma(b)
 *              - log Gamma(a+b+n)/Gamma(a+b).
 * When b (and so a+b) is large -- small rho -- the last two terms are both
 * about n log b and cancel; they are combined analytically instead.  With
 * m = n - x and B = a + b, Stirling's series gives
 *   D = (b - 1/2) log1p(m/b) - (B - 1/2) log1p(n/B)
 *       + m log1p(-(a+x)/(B+n)) - x log(B+n) + x
 *       + rem(b+m) - rem(b) - rem(B+n) + rem(B),
 * so no term is larger than the result by more than a factor of about n.
 * P(X = x | a, b) = P(X = n-x | b, a) lets the large shape take that role.
 */
static int bb_logpmf_ab(long x, long n, double a, double b, double *ret)
{
    if (b < BB_STIRLING && a >= BB_STIRLING) {
        double t = a;
        a = b;
        b = t;
        x = n - x;
    }
    double lc, pa, pb, pab;
    int rc;
    if ((rc = lnchoose(n, x, &lc)) != 0)
        return rc;
    if (a >= BB_STIRLING)
        pa = lnpoch_big(a, (double)x);
    else if ((rc = lnpoch(a, (double)x, &pa)) != 0)
        return rc;
    /* b below BB_STIRLING with many terms: lnpoch(b, m) - lnpoch(B, n) both
     * grow like n log n and cancel (relative error ~1e-10 at n = 1e5).  Take
     * the first K factors exactly, Gamma(b+K)/Gamma(b) over Gamma(B+K)/Gamma(B),
     * and the rest by D with b + K, B + K and n - K (m - K = n - K - x). */
    double shift = 0.0;
    long K = 0;
    if (b < BB_STIRLING && n - x > (long)BB_STIRLING + 1) {
        double sb, sab;
        K = (long)ceil(BB_STIRLING - b);
        if ((rc = lnpoch(b, (double)K, &sb)) != 0 || (rc = lnpoch(a + b, (double)K, &sab)) != 0)
            return rc;
        shift = sb - sab;
    }
    if (b + (double)K >= BB_STIRLING) {
        double bk = b + (double)K, nd = (double)(n - K);
        double m = nd - (double)x, xd = (double)x, B = a + bk;
        double d = (bk - 0.5) * log1p(m / bk) - (B - 0.5) * log1p(nd / B) +
                   m * log1p(-(a + xd) / (B + nd)) - xd * log(B + nd) + xd +
                   stirling_rem(bk + m) - stirling_rem(bk) - stirling_rem(B + nd) + stirling_rem(B);
        double lp = lc + pa + shift + d;
        if (!isfinite(lp))
            return VW_ESTATS;
        *ret = lp;
        return 0;
    }
    if ((rc = lnpoch(b, (double)(n - x), &pb)) != 0 || (rc = lnpoch(a + b, (double)n, &pab)) != 0)
        return rc;
    *ret = lc + pa + pb - pab;
    return 0;
}

#define BB_ANCHOR 4096      /* re-anchor the ratio recurrence every so many terms */
#define BB_BIG 1e280        /* rescale the running term above this */
#define BB_STOP 1e-17       /* relative size of a neglected remainder */

/*
 * Sum of P(X = x) for x = from .. to (ascending), shapes a, b > 0.  The
 * terms follow t(x+1) = t(x) r(x), r(x) = f1 f2 with f1 = (x+a)/(x+1) and
 * f2 = (n-x)/(n-x-1+b), kept relative to a scale exp(scale) so neither the
 * terms nor the sum over- or underflow.  With may_stop (only meaningful
 * when to == n) and b >= 1, f2 is non-increasing in x and f1 is bounded for
 * every y >= x by max(1, f1(x)) (f1 increases to 1 when a < 1 and decreases
 * when a > 1), so R = f2(x) max(1, f1(x)) bounds every later ratio and the
 * remainder is at most t R / (1 - R); the sum stops once that is below
 * BB_STOP of the sum.
 */
static int bb_sum(long from, long to, long n, double a, double b, int may_stop, double *ret)
{
    double scale, t = 1.0, s = 0.0;
    int rc = bb_logpmf_ab(from, n, a, b, &scale);
    if (rc)
        return rc;
    for (long x = from;; x++) {
        s += t;
        if (x == to)
            break;
        double f1 = ((double)x + a) / ((double)x + 1.0);
        double f2 = (double)(n - x) / ((double)(n - x) - 1.0 + b);
        if (may_stop && b >= 1.0) {
            double R = f2 * (f1 > 1.0 ? f1 : 1.0);
            if (R < 1.0 && t * R / (1.0 - R) <= BB_STOP * s)
                break;
        }
        if ((x + 1 - from) % BB_ANCHOR == 0) {
            double lp;
            if ((rc = bb_logpmf_ab(x + 1, n, a, b, &lp)) != 0)
                return rc;
            t = exp(lp - scale);
        } else {
            t *= f1 * f2;
        }
        if (t > BB_BIG) {
            s /= t;
            scale += log(t);
            t = 1.0;
        }
    }
    double v = s * exp(scale);
    if (!isfinite(v))
        return VW_ESTATS;
    *ret = clamp01(v);
    return 0;
}

/* P(X >= k) for shapes a, b > 0, see the header for the choice of side. */
static int bb_upper_ab(long k, long n, double a, double b, double *ret)
{
    if (k <= 0) { *ret = 1.0; return 0; }
    if (k > n) { *ret = 0.0; return 0; }
    int rc;
    if ((double)k <= (double)n * a / (a + b)) {
        double lower;
        if ((rc = bb_sum(0, k - 1, n, a, b, 0, &lower)) != 0)
            return rc;
        if (lower <= 0.9) {
            *ret = 1.0 - lower;
            return 0;
        }
    }
    return bb_sum(k, n, n, a, b, 1, ret);
}

/* P(X >= k) for checked arguments, any mu and rho. */
static int bb_upper(long k, long n, double mu, double rho, double *ret)
{
    if (bb_is_binom(mu, rho))
        return binom_upper(k, n, mu, ret);
    double a, b;
    bb_shape(mu, rho, &a, &b);
    return bb_upper_ab(k, n, a, b, ret);
}

int vw_stats_bb_logpmf(long x, long n, double mu, double rho, double *ret_logp)
{
    if (!ret_logp || !bb_args_ok(n, mu, rho))
        return -EINVAL;
    if (bb_is_binom(mu, rho))
        return binom_logpmf(x, n, mu, ret_logp);
    if (x < 0 || x > n) {
        *ret_logp = -HUGE_VAL;
        return 0;
    }
    double a, b;
    bb_shape(mu, rho, &a, &b);
    return bb_logpmf_ab(x, n, a, b, ret_logp);
}

int vw_stats_bb_pmf(long x, long n, double mu, double rho, double *ret_prob)
{
    if (!ret_prob || !bb_args_ok(n, mu, rho))
        return -EINVAL;
    if (bb_is_binom(mu, rho))
        return binom_pmf(x, n, mu, ret_prob);
    double lp;
    int rc = vw_stats_bb_logpmf(x, n, mu, rho, &lp);
    if (rc)
        return rc;
    *ret_prob = exp(lp);
    return 0;
}

int vw_stats_bb_upper(long k, long n, double mu, double rho, double *ret_prob)
{
    if (!ret_prob || !bb_args_ok(n, mu, rho))
        return -EINVAL;
    return bb_upper(k, n, mu, rho, ret_prob);
}

int vw_stats_bb_lower(long k, long n, double mu, double rho, double *ret_prob)
{
    if (!ret_prob || !bb_args_ok(n, mu, rho))
        return -EINVAL;
    if (bb_is_binom(mu, rho))
        return binom_lower(k, n, mu, ret_prob);
    /* P(X <= k) = P(n - X >= n - k) and n - X ~ BB with shapes (b, a). */
    double a, b;
    bb_shape(mu, rho, &a, &b);
    return bb_upper_ab(n - k, n, b, a, ret_prob);
}

/* ---------------------------------------------------------------------- */
/* Background fit                                                           */
/* ---------------------------------------------------------------------- */

void vw_stats_bbfit_opt_init(vw_bbfit_opt_t *opt)
{
    opt->vaf_max = VW_STATS_VAF_MAX_NORMAL;
    opt->pseudo_alt = VW_STATS_PSEUDO_ALT;
    opt->pseudo_ref = VW_STATS_PSEUDO_REF;
    opt->rho_min = VW_STATS_RHO_MIN;
    opt->rho_max = VW_STATS_RHO_MAX;
}

int vw_stats_bbfit(const long *x, const long *n, size_t m, const vw_bbfit_opt_t *opt,
                   vw_bbfit_t *ret_fit)
{
    vw_bbfit_opt_t def;
    if (!opt) {
        vw_stats_bbfit_opt_init(&def);
        opt = &def;
    }
    if (!x || !n || m == 0 || !ret_fit || check_counts(x, n, m))
        return -EINVAL;
    if (!(opt->vaf_max > 0.0 && opt->vaf_max <= 1.0) || !(opt->pseudo_alt >= 0.0) ||
        !(opt->pseudo_ref >= 0.0) || !isfinite(opt->pseudo_alt + opt->pseudo_ref) ||
        opt->pseudo_alt + opt->pseudo_ref <= 0.0 ||
        !(opt->rho_min >= 0.0 && opt->rho_min <= opt->rho_max && opt->rho_max < 1.0))
        return -EINVAL;

    /* Pass 1: which samples are used, and their totals. */
    long X = 0, N = 0;
    int J = 0;
    double sum_n2 = 0.0;
    for (size_t j = 0; j < m; j++) {
        if (n[j] == 0 || (double)x[j] > opt->vaf_max * (double)n[j])
            continue;
        X += x[j];
        N += n[j];
        sum_n2 += (double)n[j] * (double)n[j];
        J++;
    }
    if (J == 0)
        return VW_EINPUT;

    vw_bbfit_t fit;
    memset(&fit, 0, sizeof(fit));
    fit.n_used = J;
    fit.x_sum = X;
    fit.n_sum = N;
    fit.mu = ((double)X + opt->pseudo_alt) / ((double)N + opt->pseudo_alt + opt->pseudo_ref);
    fit.rho = opt->rho_min;
    fit.rho_raw = NAN;

    /* Pass 2: Kleinman's moment estimator with weights n_j. */
    double Nd = (double)N;
    double denom = Nd - sum_n2 / Nd - (double)(J - 1);
    if (J >= 2 && X > 0 && X < N && denom > 0.0) {
        double p = (double)X / Nd, S = 0.0;
        for (size_t j = 0; j < m; j++) {
            if (n[j] == 0 || (double)x[j] > opt->vaf_max * (double)n[j])
                continue;
            double d = (double)x[j] - (double)n[j] * p;
            S += d * d / (double)n[j];
        }
        double raw = (S / (p * (1.0 - p)) - (double)(J - 1)) / denom;
        if (!isfinite(raw))
            return VW_ESTATS;
        fit.rho_raw = raw;
        fit.rho = raw < opt->rho_min ? opt->rho_min : raw > opt->rho_max ? opt->rho_max : raw;
        fit.rho_estimated = 1;
    }
    *ret_fit = fit;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* p-value                                                                  */
/* ---------------------------------------------------------------------- */

int vw_stats_pvalue(long x, long n, double mu, double rho, double *ret_p)
{
    if (!ret_p || x < 0 || x > n || !bb_args_ok(n, mu, rho))
        return -EINVAL;
    return bb_upper(x, n, mu, rho, ret_p);
}

/* ---------------------------------------------------------------------- */
/* Multiple testing                                                         */
/* ---------------------------------------------------------------------- */

typedef struct { double p; size_t i; } pidx_t;

/* Ascending p; ties in input order, so the order is total and stable. */
static int pidx_cmp(const void *va, const void *vb)
{
    const pidx_t *a = va, *b = vb;
    if (a->p < b->p) return -1;
    if (a->p > b->p) return 1;
    return (a->i > b->i) - (a->i < b->i);
}

static int sorted_p(const double *p, size_t m, pidx_t **ret)
{
    if (!p || m == 0)
        return -EINVAL;
    for (size_t i = 0; i < m; i++)
        if (!is_prob(p[i]))
            return -EINVAL;
    pidx_t *s = malloc(m * sizeof(*s));
    if (!s)
        return -ENOMEM;
    for (size_t i = 0; i < m; i++) {
        s[i].p = p[i];
        s[i].i = i;
    }
    qsort(s, m, sizeof(*s), pidx_cmp);
    *ret = s;
    return 0;
}

int vw_stats_holm(const double *p, size_t m, double *ret_adj)
{
    pidx_t *s = NULL;
    if (!ret_adj)
        return -EINVAL;
    int rc = sorted_p(p, m, &s);
    if (rc)
        return rc;
    double run = 0.0;
    for (size_t k = 0; k < m; k++) {
        double v = (double)(m - k) * s[k].p;
        if (v > 1.0) v = 1.0;
        if (v > run) run = v;
        s[k].p = run;                    /* s[k].i still names the input slot */
    }
    for (size_t k = 0; k < m; k++)
        ret_adj[s[k].i] = s[k].p;
    free(s);
    return 0;
}

int vw_stats_holm_weighted(const double *p, const double *w, size_t m, double *ret_adj)
{
    if (!p || !w || !ret_adj || m == 0)
        return -EINVAL;
    double wsum = 0;
    for (size_t i = 0; i < m; i++) {
        if (!is_prob(p[i]) || !(w[i] > 0) || isinf(w[i]))
            return -EINVAL;
        wsum += w[i];
    }
    pidx_t *s = malloc(m * sizeof(*s));
    if (!s)
        return -ENOMEM;
    for (size_t i = 0; i < m; i++) {
        s[i].p = p[i] / w[i];
        s[i].i = i;
    }
    qsort(s, m, sizeof(*s), pidx_cmp);
    double run = 0.0, rest = wsum;
    for (size_t k = 0; k < m; k++) {
        double v = s[k].p * rest;
        rest -= w[s[k].i];
        if (v > 1.0) v = 1.0;
        if (v > run) run = v;
        s[k].p = run;
    }
    for (size_t k = 0; k < m; k++)
        ret_adj[s[k].i] = s[k].p;
    free(s);
    return 0;
}

int vw_stats_bh(const double *p, size_t m, double *ret_q)
{
    pidx_t *s = NULL;
    if (!ret_q)
        return -EINVAL;
    int rc = sorted_p(p, m, &s);
    if (rc)
        return rc;
    double run = 1.0;
    for (size_t k = m; k-- > 0;) {
        double v = (double)m * s[k].p / (double)(k + 1);
        if (v < run) run = v;
        s[k].p = run;
    }
    for (size_t k = 0; k < m; k++)
        ret_q[s[k].i] = s[k].p;
    free(s);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Confidence intervals                                                     */
/* ---------------------------------------------------------------------- */

/* Inverse of the Beta(a, b) CDF by bisection on gsl_cdf_beta_P (upper = 0)
 * or gsl_cdf_beta_Q (upper = 1): the t in [0, 1] with P(T <= t) = prob
 * (resp. P(T > t) = prob), to 1e-15 relative width.  NaN on failure. */
static double beta_inv_bisect(double prob, double a, double b, int upper)
{
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 2000 && hi - lo > 1e-15 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        double v = upper ? gsl_cdf_beta_Q(mid, a, b) : gsl_cdf_beta_P(mid, a, b);
        if (!isfinite(v))
            return NAN;
        if (upper ? v > prob : v < prob)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

int vw_stats_ci_cp(long x, long n, double conf, double *ret_lo, double *ret_hi)
{
    if (!ret_lo || !ret_hi || n < 1 || x < 0 || x > n || !(conf > 0.0 && conf < 1.0))
        return -EINVAL;
    double a2 = (1.0 - conf) / 2.0, lo = 0.0, hi = 1.0;
    if (x > 0) {
        lo = gsl_cdf_beta_Pinv(a2, (double)x, (double)(n - x) + 1.0);
        if (!is_prob(lo)) /* GSL's inversion does not converge for some large n (e.g. 10 of 5,000) */
            lo = beta_inv_bisect(a2, (double)x, (double)(n - x) + 1.0, 0);
    }
    if (x < n) {
        hi = gsl_cdf_beta_Qinv(a2, (double)x + 1.0, (double)(n - x));
        if (!is_prob(hi))
            hi = beta_inv_bisect(a2, (double)x + 1.0, (double)(n - x), 1);
    }
    if (!is_prob(lo) || !is_prob(hi) || lo > hi)
        return VW_ESTATS;
    *ret_lo = lo;
    *ret_hi = hi;
    return 0;
}

int vw_stats_ci_wilson(long x, long n, double conf, double *ret_lo, double *ret_hi)
{
    if (!ret_lo || !ret_hi || n < 1 || x < 0 || x > n || !(conf > 0.0 && conf < 1.0))
        return -EINVAL;
    double z = gsl_cdf_ugaussian_Qinv((1.0 - conf) / 2.0);
    if (!isfinite(z))
        return VW_ESTATS;
    double nd = (double)n, xd = (double)x, z2 = z * z;
    double centre = (xd + z2 / 2.0) / (nd + z2);
    double half = z / (nd + z2) * sqrt(xd * (nd - xd) / nd + z2 / 4.0);
    double lo = x == 0 ? 0.0 : clamp01(centre - half);
    double hi = x == n ? 1.0 : clamp01(centre + half);
    *ret_lo = lo;
    *ret_hi = hi;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Limits of detection                                                      */
/* ---------------------------------------------------------------------- */

/* Generic background: binomial (rho == 0) or beta-binomial. */
static int kstar(long n, double mu, double rho, double alpha, long *ret)
{
    long lo = 0, hi = n + 1;   /* tail(lo) > alpha, tail(hi) = 0 <= alpha */
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        double u;
        int rc = bb_upper(mid, n, mu, rho, &u);
        if (rc)
            return rc;
        if (u <= alpha)
            hi = mid;
        else
            lo = mid;
    }
    *ret = hi;
    return 0;
}

static int power_at(long n, double mu, double rho, long k, double f, double *ret)
{
    double p = f + mu * (1.0 - f);
    return bb_upper(k, n, clamp01(p), rho, ret);
}

static int lod(long n, double mu, double rho, double alpha, long n_tests, double target,
               double *ret_f, long *ret_k)
{
    long k;
    int rc = kstar(n, mu, rho, alpha / (double)n_tests, &k);
    if (rc)
        return rc;
    double f = NAN;
    if (k <= n) {
        double lo = 0.0, hi = 1.0;   /* power(hi) = 1 >= target */
        for (int it = 0; it < 200 && hi - lo > 1e-9 * hi; it++) {
            double mid = 0.5 * (lo + hi), pw;
            if ((rc = power_at(n, mu, rho, k, mid, &pw)) != 0)
                return rc;
            if (pw >= target)
                hi = mid;
            else
                lo = mid;
        }
        f = hi;
    }
    *ret_f = f;
    if (ret_k)
        *ret_k = k;
    return 0;
}

int vw_stats_kstar_binom(long n, double eps, double alpha, long *ret_k)
{
    if (!ret_k || n < 0 || !(eps >= 0.0 && eps < 1.0) || !(alpha > 0.0 && alpha < 1.0))
        return -EINVAL;
    return kstar(n, eps, 0.0, alpha, ret_k);
}

int vw_stats_kstar_bb(long n, double mu, double rho, double alpha, long *ret_k)
{
    if (!ret_k || !bb_args_ok(n, mu, rho) || mu == 1.0 || !(alpha > 0.0 && alpha < 1.0))
        return -EINVAL;
    return kstar(n, mu, rho, alpha, ret_k);
}

int vw_stats_power_binom(long n, double eps, long k, double f, double *ret_power)
{
    if (!ret_power || n < 0 || !is_prob(eps) || !is_prob(f))
        return -EINVAL;
    return power_at(n, eps, 0.0, k, f, ret_power);
}

int vw_stats_power_bb(long n, double mu, double rho, long k, double f, double *ret_power)
{
    if (!ret_power || !bb_args_ok(n, mu, rho) || !is_prob(f))
        return -EINVAL;
    return power_at(n, mu, rho, k, f, ret_power);
}

int vw_stats_lod_binom(long n, double eps, double alpha, long n_tests, double power,
                       double *ret_f, long *ret_k)
{
    if (!ret_f || n < 1 || !(eps >= 0.0 && eps < 1.0) || !(alpha > 0.0 && alpha < 1.0) ||
        n_tests < 1 || !(power > 0.0 && power < 1.0))
        return -EINVAL;
    return lod(n, eps, 0.0, alpha, n_tests, power, ret_f, ret_k);
}

int vw_stats_lod_bb(long n, double mu, double rho, double alpha, long n_tests, double power,
                    double *ret_f, long *ret_k)
{
    if (!ret_f || n < 1 || !bb_args_ok(n, mu, rho) || mu == 1.0 ||
        !(alpha > 0.0 && alpha < 1.0) || n_tests < 1 || !(power > 0.0 && power < 1.0))
        return -EINVAL;
    return lod(n, mu, rho, alpha, n_tests, power, ret_f, ret_k);
}

int vw_stats_lod_molecules(double ge, double power, double *ret_f)
{
    if (!ret_f || !(ge > 0.0) || !isfinite(ge) || !(power > 0.0 && power < 1.0))
        return -EINVAL;
    double f = -log1p(-power) / ge;
    *ret_f = f > 1.0 ? (double)NAN : f;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Trend                                                                    */
/* ---------------------------------------------------------------------- */

/* Common checks of (x, n, t) series; sets the totals and the n-weighted
 * mean of t over groups with n > 0.  -EINVAL if the design has no spread. */
static int series_check(const long *x, const long *n, const double *t, size_t m,
                        double *ret_X, double *ret_N, double *ret_tbar)
{
    if (!x || !n || !t || m < 2 || check_counts(x, n, m))
        return -EINVAL;
    double X = 0.0, N = 0.0, NT = 0.0;
    for (size_t i = 0; i < m; i++) {
        if (!isfinite(t[i]))
            return -EINVAL;
        X += (double)x[i];
        N += (double)n[i];
        NT += (double)n[i] * t[i];
    }
    if (N <= 0.0)
        return -EINVAL;
    double tbar = NT / N, sxx = 0.0;
    for (size_t i = 0; i < m; i++)
        sxx += (double)n[i] * (t[i] - tbar) * (t[i] - tbar);
    if (!(sxx > 0.0))
        return -EINVAL;
    *ret_X = X;
    *ret_N = N;
    *ret_tbar = tbar;
    return 0;
}

int vw_stats_cochran_armitage(const long *x, const long *n, const double *t, size_t m,
                              double *ret_z, double *ret_p)
{
    double X, N, tbar;
    if (!ret_z || !ret_p)
        return -EINVAL;
    int rc = series_check(x, n, t, m, &X, &N, &tbar);
    if (rc)
        return rc;
    double pbar = X / N;
    if (X == 0.0 || X == N) {
        *ret_z = 0.0;
        *ret_p = 1.0;
        return 0;
    }
    /* Centred forms: sum t (x - n pbar) = sum (t - tbar)(x - n pbar), and
     * sum n t^2 - (sum n t)^2 / N = sum n (t - tbar)^2. */
    double num = 0.0, sxx = 0.0;
    for (size_t i = 0; i < m; i++) {
        double u = t[i] - tbar;
        num += u * ((double)x[i] - (double)n[i] * pbar);
        sxx += (double)n[i] * u * u;
    }
    double z = num / sqrt(pbar * (1.0 - pbar) * sxx);
    if (!isfinite(z))
        return VW_ESTATS;
    *ret_z = z;
    *ret_p = gsl_cdf_ugaussian_Q(z);
    return 0;
}

/* Binomial log-likelihood without the binomial coefficients at linear
 * predictor eta_i = b0 + b1 u_i. */
static double logit_ll(const long *x, const long *n, const double *u, size_t m,
                       double b0, double b1)
{
    double ll = 0.0;
    for (size_t i = 0; i < m; i++) {
        if (n[i] == 0)
            continue;
        double eta = b0 + b1 * u[i];
        ll += (double)x[i] * eta - (double)n[i] * log1pexp(eta);
    }
    return ll;
}

/* sum x log p + (N - X) log(1 - p) with 0 log 0 = 0. */
static double pooled_ll(double X, double N)
{
    if (X == 0.0 || X == N)
        return 0.0;
    double p = X / N;
    return X * log(p) + (N - X) * log1p(-p);
}

int vw_stats_logit_trend(const long *x, const long *n, const double *t, size_t m,
                         vw_trend_t *ret_fit)
{
    double X, N, tbar;
    if (!ret_fit)
        return -EINVAL;
    int rc = series_check(x, n, t, m, &X, &N, &tbar);
    if (rc)
        return rc;

    vw_trend_t fit = { .status = VW_FIT_OK, .b0 = NAN, .b1 = NAN, .se_b1 = NAN,
                       .lrt = 0.0, .p = 1.0, .iter = 0 };
    if (X == 0.0 || X == N) {
        fit.status = X == 0.0 ? VW_FIT_ALL_ZERO : VW_FIT_ALL_N;
        *ret_fit = fit;
        return 0;
    }
    double ll0 = pooled_ll(X, N);

    /* Separation: the largest t of a group with a failure against the
     * smallest t of a group with a success (and the reverse). */
    double f_max = -INFINITY, f_min = INFINITY, s_max = -INFINITY, s_min = INFINITY;
    for (size_t i = 0; i < m; i++) {
        if (n[i] == 0)
            continue;
        if (x[i] > 0) { s_min = fmin(s_min, t[i]); s_max = fmax(s_max, t[i]); }
        if (x[i] < n[i]) { f_min = fmin(f_min, t[i]); f_max = fmax(f_max, t[i]); }
    }
    int sep = f_max <= s_min ? 1 : s_max <= f_min ? -1 : 0;
    if (sep) {
        /* Supremum of the likelihood: groups strictly on either side are fitted
         * exactly (log-likelihood 0); groups at the boundary share one rate. */
        double c = sep > 0 ? f_max : s_max, Xc = 0.0, Nc = 0.0;
        for (size_t i = 0; i < m; i++)
            if (n[i] > 0 && t[i] == c) {
                Xc += (double)x[i];
                Nc += (double)n[i];
            }
        double d = 2.0 * (pooled_ll(Xc, Nc) - ll0);
        fit.status = VW_FIT_SEPARATED;
        fit.b1 = sep > 0 ? INFINITY : -INFINITY;
        fit.lrt = d > 0.0 ? d : 0.0;
        fit.p = gsl_cdf_ugaussian_Q((double)sep * sqrt(fit.lrt));
        *ret_fit = fit;
        return 0;
    }

    double *u = malloc(m * sizeof(*u));
    if (!u)
        return -ENOMEM;
    double umax = 0.0;
    for (size_t i = 0; i < m; i++) {
        u[i] = t[i] - tbar;
        if (n[i] > 0 && fabs(u[i]) > umax)
            umax = fabs(u[i]);
    }

    double b0 = log((X + 0.5) / (N - X + 0.5)), b1 = 0.0;
    double ll = logit_ll(x, n, u, m, b0, b1), i00 = 0, i01 = 0, i11 = 0;
    int conv = 0, it;
    rc = VW_ESTATS;
    for (it = 1; it <= 100; it++) {
        double g0 = 0, g1 = 0;
        i00 = i01 = i11 = 0;
        for (size_t i = 0; i < m; i++) {
            if (n[i] == 0)
                continue;
            double eta = b0 + b1 * u[i];
            double pi = 1.0 / (1.0 + exp(-eta));
            double w = (double)n[i] * pi * (1.0 - pi);
            double r = (double)x[i] - (double)n[i] * pi;
            g0 += r;
            g1 += r * u[i];
            i00 += w;
            i01 += w * u[i];
            i11 += w * u[i] * u[i];
        }
        double det = i00 * i11 - i01 * i01;
        if (!(det > 0.0) || !isfinite(det))
            goto out;
        double d0 = (i11 * g0 - i01 * g1) / det;
        double d1 = (i00 * g1 - i01 * g0) / det;
        double step = 1.0, nb0 = b0, nb1 = b1, nll = ll;
        int h;
        for (h = 0; h < 40; h++) {
            nb0 = b0 + step * d0;
            nb1 = b1 + step * d1;
            nll = logit_ll(x, n, u, m, nb0, nb1);
            if (isfinite(nll) && nll >= ll - 1e-12 * (1.0 + fabs(ll)))
                break;
            step *= 0.5;
        }
        if (h == 40)
            goto out;
        b0 = nb0;
        b1 = nb1;
        ll = nll;
        if (fabs(d0) + fabs(d1) * umax < 1e-10) {
            conv = 1;
            break;
        }
    }
    if (!conv)
        goto out;
    {
        double det = i00 * i11 - i01 * i01;
        double d = 2.0 * (ll - ll0);
        fit.b1 = b1;
        fit.b0 = b0 - b1 * tbar;
        fit.se_b1 = sqrt(i00 / det);
        fit.lrt = d > 0.0 ? d : 0.0;
        fit.p = gsl_cdf_ugaussian_Q((b1 > 0.0 ? 1.0 : -1.0) * sqrt(fit.lrt));
        fit.iter = it;
        if (!isfinite(fit.b0) || !isfinite(fit.se_b1))
            goto out;
        *ret_fit = fit;
        rc = 0;
    }
out:
    free(u);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Growth                                                                   */
/* ---------------------------------------------------------------------- */

static void growth_td(vw_growth_est_t *e)
{
    const double l2 = 0.693147180559945309417232121458; /* ln 2 */
    if (e->r >= 0.0) {
        e->decay = 0;
        e->td = e->r > 0.0 ? l2 / e->r : INFINITY;
        e->td_lo = e->hi > 0.0 ? l2 / e->hi : INFINITY;
        e->td_hi = e->lo > 0.0 ? l2 / e->lo : INFINITY;
    } else {
        e->decay = 1;
        e->td = l2 / -e->r;
        e->td_lo = e->lo < 0.0 ? l2 / -e->lo : INFINITY;
        e->td_hi = e->hi < 0.0 ? l2 / -e->hi : INFINITY;
    }
}

/* Weighted least squares of log(x/n) on t with weights x, positive points. */
static int growth_wls(const double *t, const long *x, const long *n, size_t m, int k,
                      vw_growth_est_t *e)
{
    double sw = 0, swt = 0, swy = 0;
    for (size_t i = 0; i < m; i++) {
        if (x[i] == 0)
            continue;
        double w = (double)x[i], y = log((double)x[i] / (double)n[i]);
        sw += w;
        swt += w * t[i];
        swy += w * y;
    }
    double tb = swt / sw, yb = swy / sw, sxx = 0, sxy = 0;
    for (size_t i = 0; i < m; i++) {
        if (x[i] == 0)
            continue;
        double w = (double)x[i], y = log((double)x[i] / (double)n[i]);
        sxx += w * (t[i] - tb) * (t[i] - tb);
        sxy += w * (t[i] - tb) * (y - yb);
    }
    if (!(sxx > 0.0))
        return -EINVAL;
    double r = sxy / sxx, a = yb - r * tb, rss = 0;
    for (size_t i = 0; i < m; i++) {
        if (x[i] == 0)
            continue;
        double w = (double)x[i], y = log((double)x[i] / (double)n[i]);
        double res = y - a - r * t[i];
        rss += w * res * res;
    }
    double phi = rss / (double)(k - 2);
    double se = sqrt(phi / sxx);
    double tq = gsl_cdf_tdist_Pinv(0.975, (double)(k - 2));
    if (!isfinite(r) || !isfinite(se) || !isfinite(tq))
        return VW_ESTATS;
    e->a = a;
    e->r = r;
    e->se = se;
    e->lo = r - tq * se;
    e->hi = r + tq * se;
    growth_td(e);
    return 0;
}

int vw_stats_growth_quasi(const double *t, const long *x, const long *n, const double *bg, size_t m,
                          vw_growth_est_t *ret)
{
    if (!t || !x || !n || !ret || m == 0)
        return -EINVAL;
    double *y = malloc(m * sizeof(double));
    if (!y)
        return -ENOMEM;
    double tb = 0, N = 0, Y = 0;
    int k = 0, pos = 0, rc = -EINVAL;
    for (size_t i = 0; i < m; i++) {
        double b = bg ? bg[i] : 0;
        if (x[i] < 0 || n[i] < 0 || x[i] > n[i] || !isfinite(t[i]) || !(b >= 0 && b < 1))
            goto out;
        y[i] = n[i] > 0 ? fmax((double)x[i] - (double)n[i] * b, 0.0) : 0;
        if (n[i] == 0)
            continue;
        k++;
        pos += y[i] > 0;
        tb += t[i];
        N += (double)n[i];
        Y += y[i];
    }
    if (pos < 3 || k < 3)
        goto out;
    tb /= k;
    /* Newton on the Poisson log-likelihood of y (real counts), centred t */
    double a = log(Y / N), r = 0, haa = 0, har = 0, hrr = 0;
    for (int it = 0; it < 200; it++) {
        double ga = 0, gr = 0;
        haa = har = hrr = 0;
        for (size_t i = 0; i < m; i++) {
            if (n[i] == 0)
                continue;
            double u = t[i] - tb, mu = (double)n[i] * exp(a + r * u);
            ga += y[i] - mu;
            gr += (y[i] - mu) * u;
            haa += mu;
            har += mu * u;
            hrr += mu * u * u;
        }
        double det = haa * hrr - har * har;
        if (!(det > 0)) {
            rc = VW_ESTATS;
            goto out;
        }
        double da = (hrr * ga - har * gr) / det, dr = (haa * gr - har * ga) / det;
        a += da;
        r += dr;
        if (fabs(dr) <= 1e-13 * (1 + fabs(r)) && fabs(da) <= 1e-12)
            break;
    }
    double phi = 0, var_r = haa / (haa * hrr - har * har);
    for (size_t i = 0; i < m; i++)
        if (n[i] > 0) {
            double mu = (double)n[i] * exp(a + r * (t[i] - tb));
            phi += (y[i] - mu) * (y[i] - mu) / mu;
        }
    phi /= (double)(k - 2);
    double se = sqrt(var_r * (phi > 1 ? phi : 1)), tq = gsl_cdf_tdist_Pinv(0.975, (double)(k - 2));
    if (!isfinite(r) || !isfinite(a) || !isfinite(se) || !isfinite(tq)) {
        rc = VW_ESTATS;
        goto out;
    }
    ret->a = a - r * tb;
    ret->r = r;
    ret->se = se;
    ret->lo = r - tq * se;
    ret->hi = r + tq * se;
    growth_td(ret);
    rc = 0;
out:
    free(y);
    return rc;
}

typedef struct {
    const double *u;    /* centred times */
    const long *x, *n;
    size_t m;
    double X, sxu;      /* sum x, sum x u */
    double target;      /* profile log-likelihood at the MLE minus chi2/2 */
} prof_t;

/* log sum n_i e^(r u_i) over n_i > 0, stably. */
static double lse_nexp(const prof_t *p, double r)
{
    double mx = -INFINITY, s = 0.0;
    for (size_t i = 0; i < p->m; i++)
        if (p->n[i] > 0)
            mx = fmax(mx, log((double)p->n[i]) + r * p->u[i]);
    for (size_t i = 0; i < p->m; i++)
        if (p->n[i] > 0)
            s += exp(log((double)p->n[i]) + r * p->u[i] - mx);
    return mx + log(s);
}

/* Poisson profile log-likelihood in r (constants dropped): with
 * a(r) = log X - log sum n e^(r u), l_p(r) = X a(r) + r sum x u - X. */
static double prof_ll(const prof_t *p, double r)
{
    return p->X * (log(p->X) - lse_nexp(p, r)) + r * p->sxu - p->X;
}

static double prof_fn(double r, void *vp)
{
    const prof_t *p = vp;
    return prof_ll(p, r) - p->target;
}

/* Root of prof_fn in [lo, hi] (signs differ) by Brent's method. */
static int brent(prof_t *p, double lo, double hi, double *ret)
{
    gsl_function F = { prof_fn, p };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return -ENOMEM;
    int rc = VW_ESTATS;
    if (gsl_root_fsolver_set(s, &F, lo, hi) != GSL_SUCCESS)
        goto out;
    for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            goto out;
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        int st = gsl_root_test_interval(a, b, 1e-14, 1e-12);
        if (st == GSL_SUCCESS) {
            *ret = gsl_root_fsolver_root(s);
            rc = 0;
            goto out;
        }
        if (st != GSL_CONTINUE)
            goto out;
    }
out:
    gsl_root_fsolver_free(s);
    return rc;
}

/* Poisson GLM log E[x] = log n + a + r t by Newton/IRLS on centred t, with
 * a profile-likelihood CI for r.  'start' is the WLS slope. */
static int growth_glm(const double *t, const long *x, const long *n, size_t m,
                      double start, vw_growth_est_t *e)
{
    double N = 0, X = 0, NT = 0;
    for (size_t i = 0; i < m; i++) {
        if (n[i] == 0)
            continue;
        N += (double)n[i];
        X += (double)x[i];
        NT += (double)n[i] * t[i];
    }
    double tbar = NT / N;
    double *u = malloc(m * sizeof(*u));
    if (!u)
        return -ENOMEM;
    double umax = 0.0, sxu = 0.0;
    for (size_t i = 0; i < m; i++) {
        u[i] = t[i] - tbar;
        if (n[i] > 0) {
            umax = fmax(umax, fabs(u[i]));
            sxu += (double)x[i] * u[i];
        }
    }
    prof_t pr = { u, x, n, m, X, sxu, 0.0 };
    int rc = VW_ESTATS;

    /* Start at the WLS slope with its profile intercept. */
    double r = isfinite(start) ? start : 0.0;
    double a = log(X) - lse_nexp(&pr, r);
    double iaa = 0, iar = 0, irr = 0, ll = -INFINITY;
    int conv = 0;
    for (int it = 0; it < 100; it++) {
        double ga = 0, gr = 0;
        iaa = iar = irr = 0;
        ll = 0;
        for (size_t i = 0; i < m; i++) {
            if (n[i] == 0)
                continue;
            double eta = log((double)n[i]) + a + r * u[i], mu = exp(eta);
            ll += (double)x[i] * eta - mu;
            ga += (double)x[i] - mu;
            gr += ((double)x[i] - mu) * u[i];
            iaa += mu;
            iar += mu * u[i];
            irr += mu * u[i] * u[i];
        }
        double det = iaa * irr - iar * iar;
        if (!(det > 0.0) || !isfinite(det) || !isfinite(ll))
            goto out;
        double da = (irr * ga - iar * gr) / det, dr = (iaa * gr - iar * ga) / det;
        double step = 1.0;
        int h;
        for (h = 0; h < 40; h++) {
            double na = a + step * da, nr = r + step * dr, nll = 0;
            for (size_t i = 0; i < m; i++) {
                if (n[i] == 0)
                    continue;
                double eta = log((double)n[i]) + na + nr * u[i];
                nll += (double)x[i] * eta - exp(eta);
            }
            if (isfinite(nll) && nll >= ll - 1e-12 * (1.0 + fabs(ll))) {
                a = na;
                r = nr;
                break;
            }
            step *= 0.5;
        }
        if (h == 40)
            goto out;
        if (fabs(da) + fabs(dr) * umax < 1e-10) {
            conv = 1;
            break;
        }
    }
    if (!conv)
        goto out;
    {
        /* Information at the final estimate. */
        iaa = iar = irr = 0;
        for (size_t i = 0; i < m; i++) {
            if (n[i] == 0)
                continue;
            double mu = exp(log((double)n[i]) + a + r * u[i]);
            iaa += mu;
            iar += mu * u[i];
            irr += mu * u[i] * u[i];
        }
        double det = iaa * irr - iar * iar;
        double se = sqrt(iaa / det);
        if (!isfinite(se) || !(se > 0.0))
            goto out;
        double z = gsl_cdf_ugaussian_Pinv(0.975);
        pr.target = prof_ll(&pr, r) - 0.5 * z * z;
        double ends[2];
        for (int side = 0; side < 2; side++) {
            double dir = side ? 1.0 : -1.0, step = se, inner = r, outer = r + dir * step;
            int k;
            for (k = 0; k < 80 && prof_fn(outer, &pr) > 0.0; k++) {
                inner = outer;
                step *= 2.0;
                outer = r + dir * step;
            }
            if (k == 80)
                goto out;
            int brc = side ? brent(&pr, inner, outer, &ends[side])
                           : brent(&pr, outer, inner, &ends[side]);
            if (brc) {
                rc = brc;
                goto out;
            }
        }
        e->a = a - r * tbar;
        e->r = r;
        e->se = se;
        e->lo = ends[0];
        e->hi = ends[1];
        growth_td(e);
        rc = 0;
    }
out:
    free(u);
    return rc;
}

int vw_stats_growth_fit(const double *t, const long *x, const long *n, size_t m,
                        vw_growth_t *ret_fit)
{
    if (!t || !x || !n || !ret_fit || check_counts(x, n, m))
        return -EINVAL;
    vw_growth_t g;
    memset(&g, 0, sizeof(g));
    for (size_t i = 0; i < m; i++) {
        if (!isfinite(t[i]))
            return -EINVAL;
        if (n[i] > 0)
            g.n_used++;
        if (x[i] > 0)
            g.n_pos++;
    }
    if (g.n_pos < 3)
        return -EINVAL;
    int rc = growth_wls(t, x, n, m, g.n_pos, &g.wls);
    if (rc)
        return rc;
    rc = growth_glm(t, x, n, m, g.wls.r, &g.glm);
    if (rc)
        return rc;
    *ret_fit = g;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* CUSUM                                                                    */
/* ---------------------------------------------------------------------- */

static int cusum_pis_ok(double pi0, double pi1)
{
    return pi0 > 0.0 && pi0 < pi1 && pi1 < 1.0;
}

int vw_stats_ratio_ci(long x1, long n1, long x2, long n2, double conf, double *ret_lo, double *ret_hi)
{
    if (!ret_lo || !ret_hi || x1 <= 0 || x2 <= 0 || x1 > n1 || x2 > n2 || !(conf > 0 && conf < 1))
        return -EINVAL;
    double r = ((double)x1 / (double)n1) / ((double)x2 / (double)n2);
    double se = sqrt(1.0 / (double)x1 - 1.0 / (double)n1 + 1.0 / (double)x2 - 1.0 / (double)n2);
    double z = gsl_cdf_ugaussian_Qinv((1.0 - conf) / 2.0);
    *ret_lo = r * exp(-z * se);
    *ret_hi = r * exp(z * se);
    return 0;
}

double vw_stats_zcusum_z(double p)
{
    if (isnan(p))
        return NAN;
    if (!(p < 1.0))
        return -8.0;
    if (!(p > 0.0))
        return 8.0;
    double z = gsl_cdf_ugaussian_Qinv(p);
    return z < -8.0 ? -8.0 : z > 8.0 ? 8.0 : z;
}

int vw_stats_bb_rho_moments(long j, double x, double n, double sxx, double snn, double rho_max,
                            double *ret_rho)
{
    if (!ret_rho || j < 0 || !(x >= 0) || !(n >= x) || !(sxx >= 0) || !(snn >= 0) || !(rho_max > 0) ||
        isinf(n) || isinf(sxx) || isinf(snn))
        return -EINVAL;
    if (j < 2 || !(x > 0) || !(x < n))
        return VW_EINPUT;
    double p = x / n, den = n - snn / n - (double)(j - 1);
    if (!(den > 0))
        return VW_EINPUT;
    double s = sxx - x * x / n;
    double rho = (s / (p * (1 - p)) - (double)(j - 1)) / den;
    *ret_rho = rho < 0 ? 0 : rho > rho_max ? rho_max : rho;
    return 0;
}

double vw_stats_zcusum_bound(size_t n_draws, double k, double h)
{
    if (n_draws == 0 || !(k >= 0) || !(h >= 0) || isinf(k))
        return NAN;
    double b = 0;
    for (size_t l = 1; l <= n_draws; l++)
        b += (double)(n_draws - l + 1) * gsl_cdf_ugaussian_Q((h + k * (double)l) / sqrt((double)l));
    return b;
}

int vw_stats_zcusum_h(size_t n_draws, double k, double level, double *ret_h)
{
    if (!ret_h || n_draws == 0 || !(k >= 0) || isinf(k) || !(level > 0 && level < 1))
        return -EINVAL;
    double lo = 0, hi = 1;
    if (vw_stats_zcusum_bound(n_draws, k, 0) <= level) {
        *ret_h = 0;
        return 0;
    }
    while (vw_stats_zcusum_bound(n_draws, k, hi) > level)
        hi *= 2; /* B decreases to 0 as h grows; h < 64 for any D <= 1e6 and level > 1e-300 */
    while (hi - lo > 1e-9 * hi) {
        double mid = 0.5 * (lo + hi);
        if (vw_stats_zcusum_bound(n_draws, k, mid) <= level)
            hi = mid;
        else
            lo = mid;
    }
    *ret_h = hi;
    return 0;
}

int vw_stats_cusum(const long *x, const long *n, size_t m, double pi0, double pi1, double h,
                   double *ret_s, long *ret_alarm)
{
    if (!x || !n || !ret_alarm || check_counts(x, n, m) || !cusum_pis_ok(pi0, pi1) ||
        !(h >= 0.0))
        return -EINVAL;
    double la = log(pi1 / pi0), lb = log1p(-pi1) - log1p(-pi0), s = 0.0;
    long alarm = -1;
    for (size_t i = 0; i < m; i++) {
        s += (double)x[i] * la + (double)(n[i] - x[i]) * lb;
        if (s < 0.0)
            s = 0.0;
        if (ret_s)
            ret_s[i] = s;
        if (alarm < 0 && s > h)
            alarm = (long)i;
    }
    *ret_alarm = alarm;
    return 0;
}

/* Records of one in-control path: (run length, value) each time the path
 * exceeds its previous maximum. */
typedef struct {
    size_t n, m;
    double *v;
    long *len;
    size_t *start;      /* first record of each replicate; start[n_sim] = n */
} records_t;

static int records_push(records_t *r, double v, long len)
{
    if (r->n == r->m) {
        size_t m = r->m ? 2 * r->m : 1024;
        double *nv = realloc(r->v, m * sizeof(*nv));
        if (!nv)
            return -ENOMEM;
        r->v = nv;
        long *nl = realloc(r->len, m * sizeof(*nl));
        if (!nl)
            return -ENOMEM;
        r->len = nl;
        r->m = m;
    }
    r->v[r->n] = v;
    r->len[r->n] = len;
    r->n++;
    return 0;
}

/* Estimated ARL0 of threshold h: each replicate's run length is the length
 * of its first record above h, or T when there is none. */
static double records_arl(const records_t *r, size_t n_sim, long T, double h)
{
    double sum = 0.0;
    for (size_t j = 0; j < n_sim; j++) {
        long len = T;
        for (size_t q = r->start[j]; q < r->start[j + 1]; q++)
            if (r->v[q] > h) {
                len = r->len[q];
                break;
            }
        sum += (double)len;
    }
    return sum / (double)n_sim;
}

int vw_stats_cusum_choose_h(const long *n, size_t m, double pi0, double pi1, double arl0,
                            unsigned long seed, size_t n_sim, double *ret_h, double *ret_arl)
{
    if (!n || m == 0 || !ret_h || !cusum_pis_ok(pi0, pi1) || !(arl0 >= 1.0 && arl0 <= 1e6) ||
        n_sim < 10)
        return -EINVAL;
    for (size_t i = 0; i < m; i++)
        if (n[i] < 1 || n[i] > (long)UINT32_MAX)
            return -EINVAL;

    long T = (long)ceil(10.0 * arl0);
    double la = log(pi1 / pi0), lb = log1p(-pi1) - log1p(-pi0);
    records_t rec = { 0, 0, NULL, NULL, NULL };
    int rc = -ENOMEM;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    rec.start = malloc((n_sim + 1) * sizeof(*rec.start));
    if (!rng || !rec.start)
        goto out;
    gsl_rng_set(rng, seed);

    double vmax = 0.0;
    for (size_t j = 0; j < n_sim; j++) {
        rec.start[j] = rec.n;
        double s = 0.0, best = 0.0;
        for (long q = 0; q < T; q++) {
            long nq = n[(size_t)q % m];
            unsigned int xq = gsl_ran_binomial(rng, pi0, (unsigned int)nq);
            s += (double)xq * la + (double)(nq - (long)xq) * lb;
            if (s < 0.0)
                s = 0.0;
            if (s > best) {
                best = s;
                if ((rc = records_push(&rec, s, q + 1)) != 0)
                    goto out;
            }
        }
        if (best > vmax)
            vmax = best;
    }
    rec.start[n_sim] = rec.n;

    double lo = 0.0, hi = vmax, arl;
    if ((arl = records_arl(&rec, n_sim, T, 0.0)) >= arl0) {
        hi = 0.0;
    } else {
        /* ARL(vmax) = T >= arl0; ARL is non-decreasing in h. */
        for (int it = 0; it < 200 && hi - lo > 1e-9 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (records_arl(&rec, n_sim, T, mid) >= arl0)
                hi = mid;
            else
                lo = mid;
        }
        arl = records_arl(&rec, n_sim, T, hi);
    }
    if (!(arl >= arl0) || !isfinite(hi)) {
        rc = VW_ESTATS;
        goto out;
    }
    *ret_h = hi;
    if (ret_arl)
        *ret_arl = arl;
    rc = 0;
out:
    gsl_rng_free(rng);
    free(rec.start);
    free(rec.v);
    free(rec.len);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Kaplan-Meier                                                             */
/* ---------------------------------------------------------------------- */

typedef struct { double t; int ev; } km_obs_t;

/* Ascending time; at a tie events come before censorings. */
static int km_cmp(const void *va, const void *vb)
{
    const km_obs_t *a = va, *b = vb;
    if (a->t < b->t) return -1;
    if (a->t > b->t) return 1;
    return b->ev - a->ev;
}

void vw_stats_km_destroy(vw_km_t *km)
{
    if (!km)
        return;
    free(km->time);
    free(km->n_risk);
    free(km->n_event);
    free(km->n_censor);
    free(km->surv);
    free(km->se);
    free(km->lo);
    free(km->hi);
    free(km);
}

int vw_stats_km(const double *time, const int *event, size_t m, double conf, vw_km_t **ret_km)
{
    if (!time || !event || m == 0 || !ret_km || !(conf > 0.0 && conf < 1.0))
        return -EINVAL;
    for (size_t i = 0; i < m; i++)
        if (!(time[i] >= 0.0) || !isfinite(time[i]) || (event[i] != 0 && event[i] != 1))
            return -EINVAL;

    km_obs_t *o = malloc(m * sizeof(*o));
    vw_km_t *km = calloc(1, sizeof(*km));
    if (!o || !km) {
        free(o);
        free(km);
        return -ENOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        o[i].t = time[i];
        o[i].ev = event[i];
    }
    qsort(o, m, sizeof(*o), km_cmp);
    size_t rows = 1;
    for (size_t i = 1; i < m; i++)
        rows += o[i].t != o[i - 1].t;

    km->time = malloc(rows * sizeof(double));
    km->n_risk = malloc(rows * sizeof(long));
    km->n_event = malloc(rows * sizeof(long));
    km->n_censor = malloc(rows * sizeof(long));
    km->surv = malloc(rows * sizeof(double));
    km->se = malloc(rows * sizeof(double));
    km->lo = malloc(rows * sizeof(double));
    km->hi = malloc(rows * sizeof(double));
    if (!km->time || !km->n_risk || !km->n_event || !km->n_censor || !km->surv || !km->se ||
        !km->lo || !km->hi) {
        free(o);
        vw_stats_km_destroy(km);
        return -ENOMEM;
    }
    km->n = rows;
    km->conf = conf;
    km->median = km->median_lo = km->median_hi = NAN;

    double z = gsl_cdf_ugaussian_Qinv((1.0 - conf) / 2.0);
    double S = 1.0, v = 0.0;
    long at_risk = (long)m;
    size_t i = 0;
    for (size_t row = 0; row < rows; row++) {
        double tt = o[i].t;
        long d = 0, c = 0;
        for (; i < m && o[i].t == tt; i++) {
            if (o[i].ev)
                d++;
            else
                c++;
        }
        km->time[row] = tt;
        km->n_risk[row] = at_risk;
        km->n_event[row] = d;
        km->n_censor[row] = c;
        if (d > 0) {
            S *= 1.0 - (double)d / (double)at_risk;
            if (d < at_risk)
                v += (double)d / ((double)at_risk * (double)(at_risk - d));
            else
                S = 0.0;
        }
        km->surv[row] = S;
        if (S == 0.0) {
            km->se[row] = NAN;
            km->lo[row] = km->hi[row] = 0.0;
        } else if (v == 0.0) {
            km->se[row] = 0.0;
            km->lo[row] = km->hi[row] = S;
        } else {
            double s = sqrt(v) / fabs(log(S));
            km->se[row] = S * sqrt(v);
            km->lo[row] = pow(S, exp(z * s));
            km->hi[row] = pow(S, exp(-z * s));
        }
        if (isnan(km->median) && S <= 0.5)
            km->median = tt;
        if (isnan(km->median_lo) && km->lo[row] <= 0.5)
            km->median_lo = tt;
        if (isnan(km->median_hi) && km->hi[row] <= 0.5)
            km->median_hi = tt;
        at_risk -= d + c;
    }
    free(o);
    *ret_km = km;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Medians                                                                  */
/* ---------------------------------------------------------------------- */

static int dbl_cmp(const void *va, const void *vb)
{
    double a = *(const double *)va, b = *(const double *)vb;
    return (a > b) - (a < b);
}

int vw_stats_median(const double *v, size_t m, double *ret_median)
{
    if (!v || m == 0 || !ret_median)
        return -EINVAL;
    for (size_t i = 0; i < m; i++)
        if (isnan(v[i]))
            return -EINVAL;
    double *c = malloc(m * sizeof(*c));
    if (!c)
        return -ENOMEM;
    memcpy(c, v, m * sizeof(*c));
    qsort(c, m, sizeof(*c), dbl_cmp);
    *ret_median = m % 2 ? c[m / 2] : 0.5 * (c[m / 2 - 1] + c[m / 2]);
    free(c);
    return 0;
}

int vw_stats_median_hist(const long *hist, size_t m, double *ret_median)
{
    if (!hist || m == 0 || !ret_median)
        return -EINVAL;
    long total = 0;
    for (size_t i = 0; i < m; i++) {
        if (hist[i] < 0)
            return -EINVAL;
        total += hist[i];
    }
    if (total == 0)
        return -EINVAL;
    /* 1-based ranks of the middle: (total+1)/2 and total/2+1 (equal when odd). */
    long r1 = (total + 1) / 2, r2 = total / 2 + 1, cum = 0;
    double v1 = NAN, v2 = NAN;
    for (size_t i = 0; i < m && isnan(v2); i++) {
        cum += hist[i];
        if (isnan(v1) && cum >= r1)
            v1 = (double)i;
        if (cum >= r2)
            v2 = (double)i;
    }
    *ret_median = 0.5 * (v1 + v2);
    return 0;
}

/* ===================================================================== */
/* Poisson tail (the patient-level limit of detection, patient.c)         */
/* ===================================================================== */

int vw_stats_poisson_upper(long k, double lambda, double *ret_prob)
{
    if (!ret_prob || !(lambda >= 0) || !isfinite(lambda))
        return -EINVAL;
    if (k <= 0) {
        *ret_prob = 1.0;
        return 0;
    }
    if (lambda == 0) {
        *ret_prob = 0.0;
        return 0;
    }
    if ((unsigned long)(k - 1) > (unsigned long)UINT_MAX)
        return -EINVAL;
    double q = gsl_cdf_poisson_Q((unsigned int)(k - 1), lambda);
    if (!(q >= 0 && q <= 1))
        return VW_ESTATS;
    *ret_prob = q;
    return 0;
}

/* d/dmu of log BB(x; n, mu, rho): with c = (1-rho)/rho, alpha = mu c and
 * beta = (1-mu) c, c [psi(x+alpha) - psi(alpha) - psi(n-x+beta) + psi(beta)];
 * rho == 0: x/mu - (n-x)/(1-mu). */
int vw_stats_bb_score(long x, long n, double mu, double rho, double *ret_d)
{
    if (!ret_d || n < 0 || x < 0 || x > n || !(mu > 0 && mu < 1) || !(rho >= 0 && rho < 1))
        return -EINVAL;
    if (rho == 0) {
        *ret_d = (double)x / mu - (double)(n - x) / (1 - mu);
        return 0;
    }
    double c = (1 - rho) / rho, a = mu * c, b = (1 - mu) * c;
    double d = 0;
    if (x > 0)
        d += gsl_sf_psi((double)x + a) - gsl_sf_psi(a);
    if (n - x > 0)
        d -= gsl_sf_psi((double)(n - x) + b) - gsl_sf_psi(b);
    d *= c;
    if (!isfinite(d))
        return VW_ESTATS;
    *ret_d = d;
    return 0;
}
