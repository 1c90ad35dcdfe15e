/*
 * stats.h -- the statistics of vafwatch: binomial and beta-binomial tails,
 * background fit from normals, p-values, multiple testing, confidence
 * intervals, limits of detection, trend tests, growth fits, CUSUM,
 * Kaplan-Meier and medians.  This is the only module that uses GSL.
 *
 * Conventions of every function below:
 *   - Counts (alt molecules x, depth n) are 'long' and must be >= 0 with
 *     x <= n.  Probabilities and fractions are plain proportions in [0,1]
 *     (never percent).  Times are in days unless said otherwise.
 *   - The return value is 0 on success, -EINVAL for a bad argument (NULL
 *     pointer, count out of range, probability outside its domain, NaN),
 *     -ENOMEM when an allocation fails, VW_ESTATS when a numerical routine
 *     fails (a GSL status other than GSL_SUCCESS, or no convergence) and
 *     VW_EINPUT where noted.
 *   - Results are written through 'ret_' pointers only on success; on
 *     failure they are left untouched.  Result pointers are required unless
 *     the comment says "may be NULL".
 *   - Nothing here prints, logs or exits.  The GSL error handler must be
 *     off (gsl_set_error_handler_off(), done once by main and by the tests);
 *     every GSL status is checked and mapped to VW_ESTATS.
 *   - "NaN" in a result field means "not available" and is written as NA
 *     by the report writers.
 *
 * docs/statistics.md explains each method in prose.
 *
 * Thread safety: no shared state; every function may run on several threads
 * at once (GSL's error handler is switched off once, by main, before any
 * thread starts).
 */
#ifndef VW_STATS_H
#define VW_STATS_H

#include <stddef.h>

#include "vafwatch/util.h"

/* Genome equivalents per nanogram of human DNA: one haploid genome weighs
 * about 3.3 pg (3.1e9 bp x 650 g/mol per bp / 6.022e23 per mol), so 1 ng / 3.3 pg = 303 GE. */
#define VW_GE_PER_NG 303.0

/* Defaults of the background fit (the conventions of shearwater: Gerstung et al.,
 * Bioinformatics 2014). */
#define VW_STATS_VAF_MAX_NORMAL 0.1  /* normals with x/n above this are excluded */
#define VW_STATS_RHO_MIN 1e-4        /* lower bound of the over-dispersion rho */
#define VW_STATS_RHO_MAX 0.1         /* upper bound of rho */
#define VW_STATS_PSEUDO_ALT 0.5      /* pseudocount added to the alt total */
#define VW_STATS_PSEUDO_REF 0.5      /* pseudocount added to the ref total */

/* ===================================================================== */
/* Binomial distribution X ~ Bin(n, p)                                    */
/* ===================================================================== */

/* P(X = k) = C(n,k) p^k (1-p)^(n-k), computed as
 * exp(lnC(n,k) + k log p + (n-k) log1p(-p)); 0^0 = 1.
 * Any integer k is accepted (k < 0 or k > n gives 0).
 * Returns 0, -EINVAL (n < 0, p outside [0,1]) or VW_ESTATS. */
int vw_stats_binom_pmf(long k, long n, double p, double *ret_prob) VW_WARN_UNUSED;

/* Upper tail P(X >= k).  For 1 <= k <= n it is the regularised incomplete
 * beta function P(X >= k) = I_p(k, n-k+1) (gsl_sf_beta_inc_e), which keeps
 * full relative accuracy when the tail is tiny (p = 1e-5, n = 1e5).
 * k <= 0 gives 1 and k > n gives 0 exactly.
 * Returns 0, -EINVAL (n < 0, p outside [0,1]) or VW_ESTATS. */
int vw_stats_binom_upper(long k, long n, double p, double *ret_prob) VW_WARN_UNUSED;

/* Lower tail P(X <= k) = I_(1-p)(n-k, k+1) for 0 <= k < n; k < 0 gives 0
 * and k >= n gives 1.  Returns as vw_stats_binom_upper(). */
int vw_stats_binom_lower(long k, long n, double p, double *ret_prob) VW_WARN_UNUSED;

/* ===================================================================== */
/* Beta-binomial X ~ BB(n, mu, rho)                                       */
/* ===================================================================== */
/*
 * Parameterised by the mean proportion mu and the over-dispersion (intra-
 * class correlation) rho, as in deepSNV/shearwater:
 *     alpha = mu (1-rho)/rho,  beta = (1-mu)(1-rho)/rho,
 *     P(X = x) = C(n,x) B(x+alpha, n-x+beta) / B(alpha, beta),
 *     E[X] = n mu,  Var[X] = n mu (1-mu) (1 + (n-1) rho).
 * Domain: 0 <= mu <= 1, 0 <= rho < 1.  rho == 0 is the binomial Bin(n, mu)
 * and the functions then return exactly the binomial functions' results.
 * mu == 0 (mu == 1) puts all mass on x = 0 (x = n) for any rho.
 */

/* log P(X = x).  x outside [0,n] gives -INFINITY.
 * Returns 0, -EINVAL or VW_ESTATS. */
int vw_stats_bb_logpmf(long x, long n, double mu, double rho, double *ret_logp) VW_WARN_UNUSED;

/* P(X = x) = exp(vw_stats_bb_logpmf()). */
int vw_stats_bb_pmf(long x, long n, double mu, double rho, double *ret_prob) VW_WARN_UNUSED;

/* Upper tail P(X >= k).  The probabilities are summed with the ratio
 * P(x+1)/P(x) = (n-x)(x+alpha) / ((x+1)(n-x-1+beta)) in a rescaled linear
 * scale, re-anchored on the exact log pmf every 4096 terms.  The side that
 * is summed is chosen so that no catastrophic cancellation happens: when k
 * is at or below the mean and the lower sum L = P(X < k) is <= 0.9 the
 * result is 1 - L (at most k terms); otherwise P(X >= k) is summed from k
 * upwards, stopping early only when a proven bound on the remaining terms
 * falls below 1e-17 of the sum (possible when beta >= 1; with beta < 1 all
 * terms up to n are added).  Cost is O(k) or O(n - k) at worst (n = 1e5
 * takes well under a millisecond).  Returns 0, -EINVAL or VW_ESTATS. */
int vw_stats_bb_upper(long k, long n, double mu, double rho, double *ret_prob) VW_WARN_UNUSED;

/* Lower tail P(X <= k), computed as the upper tail of n - X, which is
 * BB(n, 1-mu, rho).  Returns as vw_stats_bb_upper(). */
int vw_stats_bb_lower(long k, long n, double mu, double rho, double *ret_prob) VW_WARN_UNUSED;

/* ===================================================================== */
/* Background fit from normals (panel of normals)                         */
/* ===================================================================== */

typedef struct {
    double vaf_max;     /* exclude normals with x/n > vaf_max [VW_STATS_VAF_MAX_NORMAL] */
    double pseudo_alt;  /* a: pseudocount added to sum x [VW_STATS_PSEUDO_ALT] */
    double pseudo_ref;  /* b: pseudocount added to sum (n - x) [VW_STATS_PSEUDO_REF] */
    double rho_min;     /* clamp of an estimated rho [VW_STATS_RHO_MIN] */
    double rho_max;     /* [VW_STATS_RHO_MAX] */
} vw_bbfit_opt_t;

/* Fills 'opt' with the defaults above. */
void vw_stats_bbfit_opt_init(vw_bbfit_opt_t *opt);

typedef struct {
    double mu;          /* (sum x + a) / (sum n + a + b) over the samples used */
    double rho;         /* moment estimate clamped to [rho_min, rho_max], or rho_min */
    double rho_raw;     /* the unclamped moment estimate (may be < 0); NaN if not estimable */
    int rho_estimated;  /* 1 if rho came from the data, 0 if it is the rho_min default */
    int n_used;         /* samples used: n_j > 0 and x_j / n_j <= vaf_max */
    long x_sum, n_sum;  /* sum of x_j and n_j over the samples used */
} vw_bbfit_t;

/*
 * Fits the background (mu, rho) of one site from 'm' normals (x[j], n[j]).
 *
 * Samples with n_j == 0 or x_j / n_j > opt->vaf_max (truly variant; the 0.1 of
 * shearwater and ctDNAtools) are skipped.  With X = sum x_j, N = sum n_j and J samples used:
 *
 *   mu = (X + a) / (N + a + b)                          (pseudocounts a, b)
 *
 * rho is the moment estimator of Kleinman (1973) with weights w_j = n_j
 * (the first, non-iterated step): with p = X/N and
 *   S = sum_j n_j (x_j/n_j - p)^2 = sum_j (x_j - n_j p)^2 / n_j,
 * the beta-binomial gives E[S] = p(1-p) [(J-1) + rho (N - sum n_j^2/N - (J-1))]
 * (exactly, for the pooled p), so
 *
 *   rho_raw = (S / (p(1-p)) - (J-1)) / (N - sum_j n_j^2 / N - (J-1)).
 *
 * rho_raw is "estimable" when J >= 2, 0 < X < N and the denominator is > 0;
 * then rho = min(max(rho_raw, rho_min), rho_max).  Otherwise (a single
 * normal, or no alt molecule at all, which carries no information about
 * the spread) rho = rho_min, rho_estimated = 0 and rho_raw = NaN.
 *
 * 'opt' may be NULL for the defaults.
 * Returns 0; -EINVAL for NULL arrays, m == 0, x_j < 0, n_j < x_j or bad
 * options (vaf_max outside (0,1], pseudocounts < 0 or a + b == 0,
 * 0 <= rho_min <= rho_max < 1 violated); VW_EINPUT when no sample is left
 * after the exclusions.
 */
int vw_stats_bbfit(const long *x, const long *n, size_t m, const vw_bbfit_opt_t *opt,
                   vw_bbfit_t *ret_fit) VW_WARN_UNUSED;

/* ===================================================================== */
/* Test of one observation against its background                         */
/* ===================================================================== */

/* One-sided p-value of x alt molecules in n under the background (mu, rho):
 * P(X >= x) with X ~ BB(n, mu, rho), or X ~ Bin(n, mu) when rho == 0.
 * x == 0 gives 1.  Returns 0, -EINVAL (x < 0, x > n, mu/rho out of domain)
 * or VW_ESTATS. */
int vw_stats_pvalue(long x, long n, double mu, double rho, double *ret_p) VW_WARN_UNUSED;

/* ===================================================================== */
/* Multiple testing                                                       */
/* ===================================================================== */

/* Holm (1979) step-down adjusted p-values (family-wise error).  With the p
 * sorted ascending p_(1) <= ... <= p_(m) (ties kept in input order),
 *   adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)),
 * written back in input order: ret_adj[i] belongs to p[i].  ret_adj may be
 * the same array as p.  Returns 0, -EINVAL (NULL, m == 0, a p outside [0,1]
 * or NaN) or -ENOMEM. */
int vw_stats_holm(const double *p, size_t m, double *ret_adj) VW_WARN_UNUSED;

/* Weighted Holm (Holm 1979, section 5): weights w_i > 0; with the ratios
 * p_i / w_i sorted ascending (ties in input order) and W_(j) the sum of the
 * weights of the ratios from the j-th on,
 *   adj_(i) = max_{j <= i} min(1, W_(j) p_(j) / w_(j)).
 * Rejecting adj < alpha keeps the family-wise error at alpha; equal weights
 * give vw_stats_holm().  Weights summing to m spend alpha w_i / m on test
 * i at the first step.  Returns 0, -EINVAL (NULL, m == 0, a p outside
 * [0,1], a weight not > 0 or infinite) or -ENOMEM. */
int vw_stats_holm_weighted(const double *p, const double *w, size_t m, double *ret_adj) VW_WARN_UNUSED;

/* Benjamini-Hochberg (1995) q-values (false discovery rate):
 *   q_(i) = min_{j >= i} min(1, m p_(j) / j),
 * monotone in p and capped at 1; same conventions as vw_stats_holm(). */
int vw_stats_bh(const double *p, size_t m, double *ret_q) VW_WARN_UNUSED;

/* ===================================================================== */
/* Confidence intervals for a proportion x/n                               */
/* ===================================================================== */

/* Clopper-Pearson exact interval at confidence level 'conf' (e.g. 0.95),
 * a = 1 - conf:
 *   lo = Beta quantile a/2 of Beta(x, n-x+1)      (lo = 0 when x = 0)
 *   hi = Beta quantile 1-a/2 of Beta(x+1, n-x)    (hi = 1 when x = n)
 * (gsl_cdf_beta_Pinv / gsl_cdf_beta_Qinv).  So at x = 0, hi = 1 - (a/2)^(1/n)
 * and at x = n, lo = (a/2)^(1/n).
 * Returns 0, -EINVAL (n < 1, x outside [0,n], conf outside (0,1)) or
 * VW_ESTATS (a quantile was not finite). */
int vw_stats_ci_cp(long x, long n, double conf, double *ret_lo, double *ret_hi) VW_WARN_UNUSED;

/* Wilson score interval, z = Phi^-1(1 - a/2):
 *   centre = (x + z^2/2) / (n + z^2)
 *   half   = z / (n + z^2) * sqrt(x (n-x) / n + z^2 / 4)
 *   [centre - half, centre + half], with lo = 0 exactly at x = 0 and hi = 1
 *   exactly at x = n.  Returns as vw_stats_ci_cp(). */
int vw_stats_ci_wilson(long x, long n, double conf, double *ret_lo, double *ret_hi) VW_WARN_UNUSED;

/* ===================================================================== */
/* Limits of detection (docs/statistics.md section 7)                     */
/* ===================================================================== */

/* Critical count k* = min{k : P(Bin(n, eps) >= k) <= alpha}: a sample with
 * x >= k* alt molecules is called at level alpha.  k* is in [1, n+1]; k* =
 * n+1 means no count can reach significance.  Found by bisection on k (the
 * tail is non-increasing in k).
 * Returns 0, -EINVAL (n < 0, eps outside [0,1), alpha outside (0,1)) or
 * VW_ESTATS. */
int vw_stats_kstar_binom(long n, double eps, double alpha, long *ret_k) VW_WARN_UNUSED;

/* The same with a beta-binomial background: min{k : P(BB(n,mu,rho) >= k) <= alpha}.
 * Domain 0 <= mu < 1, 0 <= rho < 1; rho == 0 gives vw_stats_kstar_binom(). */
int vw_stats_kstar_bb(long n, double mu, double rho, double alpha, long *ret_k) VW_WARN_UNUSED;

/* Detection power at true variant allele fraction f (0 <= f <= 1) with
 * critical count k: P(Bin(n, f + eps (1 - f)) >= k).  Mutant molecules read
 * as mutant, the others show the error with probability eps. */
int vw_stats_power_binom(long n, double eps, long k, double f, double *ret_power) VW_WARN_UNUSED;

/* Beta-binomial analogue: P(BB(n, f + mu (1 - f), rho) >= k), i.e. the
 * sample's rate is shifted by f and keeps the background's over-dispersion.
 * At f = 0 this is the null tail. */
int vw_stats_power_bb(long n, double mu, double rho, long k, double f,
                      double *ret_power) VW_WARN_UNUSED;

/*
 * Error-limited limit of detection: the smallest f in (0,1] whose power is
 * >= 'power' (0.95 for the LoD95), with k* computed at level
 * alpha / n_tests (Bonferroni over n_tests tests; pass 1 for none).
 * power(f) is continuous and increasing in f, so f is found by bisection
 * on (0,1] to a relative width of 1e-9; the value returned is the upper end
 * of the final bracket, whose power is >= 'power'.
 * If k* > n no VAF can be detected: *ret_f = NaN (still a success).
 * ret_k (may be NULL) receives k*.
 * Returns 0, -EINVAL (n < 1, eps outside [0,1), alpha or power outside
 * (0,1), n_tests < 1) or VW_ESTATS.
 */
int vw_stats_lod_binom(long n, double eps, double alpha, long n_tests, double power,
                       double *ret_f, long *ret_k) VW_WARN_UNUSED;

/* The same with the beta-binomial background (vw_stats_kstar_bb(),
 * vw_stats_power_bb()); 0 <= mu < 1, 0 <= rho < 1; rho == 0 gives
 * exactly vw_stats_lod_binom(). */
int vw_stats_lod_bb(long n, double mu, double rho, double alpha, long n_tests, double power,
                    double *ret_f, long *ret_k) VW_WARN_UNUSED;

/* Molecule-limited limit of detection for G genome equivalents of input
 * (G = ng * VW_GE_PER_NG).  The number of mutant molecules sampled is
 * Poisson(G f), so P(at least one) = 1 - exp(-G f) >= power gives
 *   f = -ln(1 - power) / G        (power 0.95: f = ln 20 / G, about 3 / G).
 * When that exceeds 1 (G < -ln(1-power)) *ret_f = NaN.
 * Returns 0 or -EINVAL (G <= 0 or not finite, power outside (0,1)). */
int vw_stats_lod_molecules(double ge, double power, double *ret_f) VW_WARN_UNUSED;

/* ===================================================================== */
/* Trend over time (docs/statistics.md section 8)                         */
/* ===================================================================== */

/* Cochran-Armitage test for a trend in proportions with scores t_i over m
 * groups (x_i alt in n_i).  With N = sum n_i and pbar = sum x_i / N:
 *   Z = sum t_i (x_i - n_i pbar)
 *       / sqrt(pbar (1-pbar) [sum n_i t_i^2 - (sum n_i t_i)^2 / N])
 * and the one-sided p-value for an increasing proportion p = 1 - Phi(Z).
 * When pbar is 0 or 1 (no variation at all) Z = 0 and p = 1.
 * Returns 0 or -EINVAL (NULL, m < 2, bad counts, non-finite scores, N == 0,
 * or the scores of the groups with n_i > 0 all equal). */
int vw_stats_cochran_armitage(const long *x, const long *n, const double *t, size_t m,
                              double *ret_z, double *ret_p) VW_WARN_UNUSED;

/* Status of a fit that finished without error (see each function). */
enum {
    VW_FIT_OK = 0,          /* finite maximum likelihood estimate */
    VW_FIT_ALL_ZERO = 1,    /* every x_i == 0: no estimate, no evidence */
    VW_FIT_ALL_N = 2,       /* every x_i == n_i */
    VW_FIT_SEPARATED = 3    /* (quasi-)complete separation: the slope's MLE is infinite */
};

typedef struct {
    int status;         /* VW_FIT_* */
    double b0, b1;      /* logit(pi_t) = b0 + b1 t; b1 per unit of t.  NaN unless VW_FIT_OK */
    double se_b1;       /* Wald standard error of b1 (inverse Fisher information); NaN unless OK */
    double lrt;         /* D = 2 [l(b0,b1) - l(b0 only)] >= 0 */
    double p;           /* one-sided p for b1 > 0: 1 - Phi(sign(b1) sqrt(D)) */
    int iter;           /* Newton iterations used */
} vw_trend_t;

/*
 * Binomial GLM x_i ~ Bin(n_i, pi_i), logit pi_i = b0 + b1 t_i, fitted by
 * Newton-Raphson (= IRLS for the canonical link) on centred t with step
 * halving; converged when the Newton step |d_b0| + |d_b1| max|t - tbar| is
 * below 1e-10 (at most 100 iterations).  The one-sided likelihood-ratio test of b1 > 0 uses the
 * signed root of D, which is half the chi-square(1) tail when b1 > 0.
 * Groups with n_i == 0 are ignored.
 * Degenerate data do not diverge; they return 0 with a status:
 *   VW_FIT_ALL_ZERO / VW_FIT_ALL_N: D = 0, p = 1;
 *   VW_FIT_SEPARATED: all x > 0 groups lie at t >= every group with
 *     x < n (or the reverse); the slope's MLE is +-infinity.  b1 = +-INFINITY,
 *     D is the limit 2 [l_sup - l0] and p = 1 - Phi(sign sqrt(D)).
 * Returns 0, -EINVAL (as Cochran-Armitage) or VW_ESTATS (no convergence).
 */
int vw_stats_logit_trend(const long *x, const long *n, const double *t, size_t m,
                         vw_trend_t *ret_fit) VW_WARN_UNUSED;

/* ===================================================================== */
/* Growth and decay (docs/statistics.md section 9)                        */
/* ===================================================================== */

typedef struct {
    double a;           /* log rate per molecule at t = 0 */
    double r;           /* growth rate per day (< 0: decay) */
    double se;          /* standard error of r */
    double lo, hi;      /* 95 % confidence interval of r */
    double td;          /* ln 2 / |r| days: doubling time if r > 0, half-life if r < 0 */
    double td_lo, td_hi;/* the CI of r mapped through ln 2 / |r|; td_hi = INFINITY
                           when the CI of r contains 0 */
    int decay;          /* 1 when r < 0 (td is a half-life) */
} vw_growth_est_t;

typedef struct {
    vw_growth_est_t wls;    /* weighted least squares on log(x/n), positive points */
    vw_growth_est_t glm;    /* Poisson GLM with offset log n, all points with n > 0 */
    int n_pos;              /* points with x > 0 (and n > 0) */
    int n_used;             /* points with n > 0 (the GLM's) */
} vw_growth_t;

/*
 * Fits exponential growth or decay x_i ~ n_i exp(a + r t_i) to a series.
 *
 * WLS: y_i = log(x_i / n_i) on the n_pos points with x_i > 0, weights
 *   w_i = x_i (Var log x ~ 1/E[x] for a Poisson count); r is the weighted
 *   slope, the scale phi = sum w e^2 / (n_pos - 2) is estimated from the
 *   residuals e, se = sqrt(phi / sum w (t - tbar_w)^2) and the CI is
 *   r +- t_(0.975, n_pos - 2) se.  (With 3 points the t quantile is 12.7.)
 * GLM: log E[x_i] = log n_i + a + r t_i, Poisson, fitted by IRLS (Newton,
 *   centred t, step halving, same convergence rule as the logistic trend,
 *   started at the WLS slope).  se is the Wald standard error (inverse
 *   Fisher information); the CI is the profile-likelihood interval
 *   {r : 2 [l(r_hat) - l_p(r)] <= chi2_(0.95,1) = 3.8415}, where for fixed
 *   r the intercept has the closed form a(r) = log(sum x / sum n e^(r t)),
 *   solved on each side with Brent's method.
 * Doubling time ln 2 / r, half-life ln 2 / |r|; the CI ends map monotonely.
 *
 * Needs at least 3 points with x > 0 at at least 2 distinct times.
 * Returns 0; -EINVAL for NULL, bad counts, non-finite times, or fewer than
 * 3 positive points; VW_ESTATS when a fit does not converge.
 */
int vw_stats_growth_fit(const double *t, const long *x, const long *n, size_t m,
                        vw_growth_t *ret_fit) VW_WARN_UNUSED;

/*
 * Quasi-Poisson growth fit with the background subtracted (the fit `track`
 * reports, docs/tracking.md): y_i = max(x_i - n_i bg_i, 0) (bg may be NULL:
 * 0), log E[y_i] = log n_i + a + r t_i over the points with n_i > 0
 * (zeros count), fitted by Newton on the Poisson likelihood of the real
 * y_i; the Pearson scale phi = sum (y - mu)^2 / mu / (k - 2), k the points
 * with n > 0, widens the Wald standard error by sqrt(max(phi, 1)); the CI
 * is r +- t_(0.975, k - 2) se.  A multiplicative per-draw noise shifts the
 * intercept, not the slope, so r is unbiased where log(x/n) regressions
 * (and a background left in) are not.  Needs 3 points with y > 0 and 3
 * with n > 0.  Returns 0, -EINVAL (NULL, m == 0, bad counts, a bg outside
 * [0,1), too few points), -ENOMEM or VW_ESTATS.
 */
int vw_stats_growth_quasi(const double *t, const long *x, const long *n, const double *bg, size_t m,
                          vw_growth_est_t *ret_fit) VW_WARN_UNUSED;

/* ===================================================================== */
/* Page's CUSUM for a binomial series (Page, Biometrika 1954)             */
/* ===================================================================== */

/*
 * Log-likelihood-ratio CUSUM of pi1 (out of control) against pi0:
 *   l_t = x_t log(pi1/pi0) + (n_t - x_t) log((1-pi1)/(1-pi0)),
 *   S_t = max(0, S_(t-1) + l_t),  S_(-1) = 0,
 * alarm at the first t with S_t > h.
 * *ret_alarm = the 0-based index of the first alarm, or -1.
 * ret_s (may be NULL) receives the whole path S_0 .. S_(m-1) (m doubles);
 * it is computed to the end even after an alarm.
 * Returns 0 or -EINVAL (NULL x/n, bad counts, not 0 < pi0 < pi1 < 1,
 * h < 0 or NaN).  m == 0 is allowed (no alarm).
 */
int vw_stats_cusum(const long *x, const long *n, size_t m, double pi0, double pi1, double h,
                   double *ret_s, long *ret_alarm) VW_WARN_UNUSED;

/*
 * Chooses the CUSUM threshold h by simulation so that the in-control
 * average run length (ARL0, in draws) is >= arl0.
 *
 * n_sim series are drawn under pi0 (gsl_rng mt19937 seeded with 'seed',
 * x_t ~ Bin(n_t, pi0) by gsl_ran_binomial) with the depths n[0..m-1]
 * recycled cyclically, each up to T = ceil(10 arl0) draws (a run longer than
 * T counts as T, which can only make h larger).  Because the path S_t does
 * not depend on h, the run length of every h is read off the path's running
 * maximum, and the returned h is the smallest (to a relative 1e-9) whose
 * estimated ARL0 is >= arl0.  *ret_arl (may be NULL) gets that estimate.
 * Deterministic for a given seed.  Cost: n_sim * T binomial draws.
 * Returns 0, -EINVAL (NULL, m == 0, a depth < 1, bad pi0/pi1, arl0 < 1 or
 * > 1e6, n_sim < 10), -ENOMEM or VW_ESTATS.
 */
int vw_stats_cusum_choose_h(const long *n, size_t m, double pi0, double pi1, double arl0,
                            unsigned long seed, size_t n_sim, double *ret_h,
                            double *ret_arl) VW_WARN_UNUSED;

/*
 * CUSUM on p-values (the emergence rule 'cusum' of vafwatch track).
 * Each draw's one-sided p-value (under its own background) becomes
 * z_t = Phi^-1(1 - p_t), clamped to [-8, 8];
 *   S_t = max(0, S_(t-1) + z_t - k),  alarm at the first S_t > h.
 * Under the null a p-value is uniform (or, being discrete, stochastically
 * larger), so z_t is N(0, 1) or stochastically smaller: the in-control
 * model is the background's own (beta-binomial) through its probability
 * integral transform.
 *
 * vw_stats_zcusum_z(p): z of one p-value (p in [0, 1]; NaN for NaN).
 *
 * vw_stats_zcusum_h(n_draws, k, level, &h): the smallest h >= 0 (to 1e-9)
 * with the union bound over every window of consecutive draws
 *   B(h) = sum_(L=1..D) (D - L + 1) Q((h + k L) / sqrt(L)) <= level,
 * D = n_draws, Q the standard normal upper tail.  S_t > h within D draws
 * needs some window sum of (z - k) above h, so B(h) bounds the probability
 * of any false alarm in D draws (closed form, no simulation).
 * Returns 0 or -EINVAL (NULL, D == 0, k < 0, level not in (0, 1)).
 */
double vw_stats_zcusum_z(double p);

/*
 * Confidence interval of a ratio of two proportions (x1/n1) / (x2/n2) by
 * the log method of Katz et al. (1978): log ratio +- z se, se^2 = 1/x1 -
 * 1/n1 + 1/x2 - 1/n2, z = Phi^-1(1 - (1 - conf)/2).  Needs x1 > 0, x2 > 0.
 * Returns 0 or -EINVAL (NULL, x <= 0, x > n, conf not in (0, 1)).
 */
int vw_stats_ratio_ci(long x1, long n1, long x2, long n2, double conf, double *ret_lo,
                      double *ret_hi) VW_WARN_UNUSED;

/*
 * Over-dispersion rho of a beta-binomial from the moments of J groups (the
 * Kleinman 1973 weighted moment estimator of vw_stats_bbfit(), from sums):
 * X = sum x_j, N = sum n_j, sxx = sum x_j^2 / n_j, snn = sum n_j^2.
 * With p = X / N and S = sxx - X^2 / N:
 *   rho = (S / (p (1 - p)) - (J - 1)) / (N - snn / N - (J - 1)),
 * clamped to [0, rho_max].  Returns 0 and *ret_rho, or VW_EINPUT when rho
 * cannot be estimated (J < 2, X == 0 or X == N, denominator <= 0), or
 * -EINVAL (NULL, negative or inconsistent sums).
 */
int vw_stats_bb_rho_moments(long j, double x, double n, double sxx, double snn, double rho_max,
                            double *ret_rho) VW_WARN_UNUSED;
int vw_stats_zcusum_h(size_t n_draws, double k, double level, double *ret_h) VW_WARN_UNUSED;
/* The union bound B(h) above (exposed for tests); NaN for bad arguments. */
double vw_stats_zcusum_bound(size_t n_draws, double k, double h);

/* ===================================================================== */
/* Kaplan-Meier with right censoring                                      */
/* ===================================================================== */

typedef struct {
    size_t n;           /* rows: one per distinct time (event or censoring) */
    double *time;       /* ascending */
    long *n_risk;       /* at risk just before time[i] */
    long *n_event;      /* events at time[i] */
    long *n_censor;     /* censored at time[i] (at risk at time[i]) */
    double *surv;       /* S(time[i]) = prod_{t_j <= t_i} (1 - d_j / r_j) */
    double *se;         /* Greenwood: S sqrt(sum d_j / (r_j (r_j - d_j))); NaN once S == 0 */
    double *lo, *hi;    /* pointwise CI of S, log-log transform (see below) */
    double conf;        /* confidence level of lo/hi and of the median CI */
    double median;      /* min{t : S(t) <= 0.5}; NaN if not reached */
    double median_lo;   /* Brookmeyer-Crowley CI of the median: min{t : lo(t) <= 0.5} */
    double median_hi;   /* min{t : hi(t) <= 0.5}; each NaN if not reached */
} vw_km_t;

/*
 * Kaplan-Meier estimate from 'm' subjects: time[i] >= 0 and event[i] = 1
 * (event) or 0 (right-censored at time[i]).  At a tied time events are
 * counted before censorings.
 * The pointwise CI uses the log-log transform: with v = sum d/(r(r-d)),
 * s = sqrt(v) / |log S|, the interval is [S^exp(z s), S^exp(-z s)]
 * (z = Phi^-1(1 - (1-conf)/2)); it is [1,1] before the first event and
 * [0,0] once S = 0.  The median CI is the Brookmeyer-Crowley interval
 * obtained by inverting these pointwise intervals at 0.5.
 * *ret_km: caller owns; free with vw_stats_km_destroy().
 * Returns 0, -EINVAL (NULL, m == 0, negative or non-finite time, event not
 * 0/1, conf outside (0,1)) or -ENOMEM.
 */
int vw_stats_km(const double *time, const int *event, size_t m, double conf,
                vw_km_t **ret_km) VW_WARN_UNUSED;

/* Frees a vw_km_t; accepts NULL. */
void vw_stats_km_destroy(vw_km_t *km);

/* ===================================================================== */
/* Medians                                                                */
/* ===================================================================== */

/* Median of m values (mean of the two middle ones when m is even).  'v' is
 * not modified.  Returns 0, -EINVAL (NULL, m == 0, a NaN) or -ENOMEM. */
int vw_stats_median(const double *v, size_t m, double *ret_median) VW_WARN_UNUSED;

/* Median of a histogram of integers: hist[i] observations have the value i
 * (i = 0 .. m-1).  Even totals give the mean of the two middle values.
 * Returns 0 or -EINVAL (NULL, m == 0, a negative count, total 0). */
int vw_stats_median_hist(const long *hist, size_t m, double *ret_median) VW_WARN_UNUSED;

/* ===================================================================== */
/* Poisson tail                                                           */
/* ===================================================================== */

/* P(X >= k) for X ~ Poisson(lambda): 1 for k <= 0, 0 for lambda == 0 and
 * k > 0.  Returns 0, -EINVAL (NULL, lambda < 0 or not finite, k above
 * UINT_MAX) or VW_ESTATS. */
int vw_stats_poisson_upper(long k, double lambda, double *ret_prob) VW_WARN_UNUSED;

/* The score d/dmu log P(X = x) of X ~ BB(n, mu, rho) (binomial when rho
 * is 0), for 0 < mu < 1: with c = (1 - rho) / rho,
 * c [psi(x + mu c) - psi(mu c) - psi(n - x + (1 - mu) c) + psi((1 - mu) c)],
 * or x / mu - (n - x) / (1 - mu) when rho is 0.  Returns 0, -EINVAL or
 * VW_ESTATS. */
int vw_stats_bb_score(long x, long n, double mu, double rho, double *ret_d) VW_WARN_UNUSED;

#endif
