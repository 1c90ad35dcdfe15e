/*
 * patient.h -- tumour-informed monitoring: one patient-level test per
 * patient x draw over the patient's own mutations (its "known" targets).
 *
 * Model (docs/calling.md, "Tumour-informed monitoring").  Locus i of the
 * patient has n_i informative fragments, x_i of them mutant, and a
 * background (mu_i, rho_i) from the panel of normals, the sample's own
 * error rate or the floor.  With a tumour-derived mutant fraction f common
 * to the loci, the mutant share at locus i is p_i(f) = mu_i + f (1 - mu_i)
 * and x_i ~ BB(n_i, p_i(f), r_i) with r_i = rho_i + 1 / (bg_n_i + 1) when the
 * background was estimated from bg_n_i fragments (its sampling variance,
 * mu (1 - mu) / (bg_n + 1), added to the beta's), else r_i = rho_i
 * (binomial when 0).  f is estimated by maximum likelihood, with
 *     LR = 2 [ l(f^) - l(0) ],  f^ = argmax over [0, 1] of l(f).
 * The test of "tumour DNA present" has as p-value the exact aggregate: P(S >= sum x_i) for S the sum of
 * independent BB(n_i, mu_i, r_i) (convolved; normal approximation above
 * 2,000 mutant fragments), robust to errors in single loci's background
 * weights; where the likelihood ratio's own p (P(chi2_1 >= LR) / 2, the
 * boundary mixture) is below 1e-12, or the aggregate below 1e-9, the
 * likelihood ratio's p is reported (capped at 1e-9).
 * The 95 % interval of f is the profile-likelihood interval
 * { f : 2 [l(f^) - l(f)] <= 3.841 D }, D >= 1 the Pearson dispersion of
 * the loci around the fit (over m - 1 degrees of freedom), which widens it
 * when the loci disagree more than the model allows (subclonal or
 * copy-number-altered loci, under-estimated over-dispersion); 'lr' is
 * reported divided by D.  The patient-level LoD95 is that of
 * the pooled count: s* is the smallest total with P(Pois(sum n_i mu_i) >= s*)
 * < alpha, and LoD95 the smallest f with P(Pois(sum n_i p_i(f)) >= s*)
 * >= 0.95 (the "3 / N" rule when the background is 0).
 *
 * Loci with a flag in opt->exclude (possible germline or clonal
 * haematopoiesis, noisy site, strand bias: artefacts) are left out and
 * counted; loci not assessed or with depth 0 do not inform.
 */
#ifndef VW_PATIENT_H
#define VW_PATIENT_H

#include <stdint.h>
#include <stdio.h>

#include "vafwatch/timeline.h"
#include "vafwatch/util.h"

/* One locus of the patient in one draw (all borrowed). */
typedef struct {
    const char *id;       /* target id, for the list of excluded loci */
    int assessed;         /* 0: no evidence (not informative) */
    int64_t depth, alt;   /* informative and mutant fragments */
    double mu, rho;       /* the locus's background (beta-binomial; rho 0: binomial) */
    double bg_n;          /* fragments the background was estimated from (the panel's depth
                           * total); its uncertainty adds 1 / (bg_n + 1) to rho; 0: exact */
    uint32_t flags;       /* the call's VW_FLAG_* of this locus in this draw */
} vw_patient_locus_t;

typedef struct {
    double alpha;         /* detected when p < alpha [0.05] */
    uint32_t exclude;     /* loci with any of these flags are left out
                           * [possible_germline, noisy_site, strand_bias] */
} vw_patient_opt_t;

void vw_patient_opt_init(vw_patient_opt_t *opt);

typedef struct {
    int n_loci;           /* loci used: assessed, depth > 0, not excluded */
    int n_excluded;       /* loci left out for a flag of opt->exclude */
    int64_t depth;        /* informative fragments over the loci used */
    int64_t alt;          /* mutant fragments over the loci used */
    double expected;      /* background's expected mutant fragments: sum n_i mu_i */
    double dispersion;    /* Pearson dispersion of the loci around the fit (>= 1) */
    double lr;            /* the likelihood-ratio statistic divided by the dispersion (>= 0) */
    double p_value;       /* NaN when no locus was used */
    int detected;         /* 1 / 0, or -1 when no locus was used */
    double frac;          /* maximum-likelihood tumour-derived mutant fraction f^ */
    double frac_lo, frac_hi; /* its 95 % profile-likelihood interval */
    double lod95;         /* patient-level LoD95 of this draw (a fraction) */
    double inflation;     /* variance of the pooled count over its Poisson variance at f^:
                           * dispersion x sum of the loci's beta-binomial variances / sum n_i p_i(f^)
                           * (>= about 1; NaN when no locus was used) */
} vw_patient_res_t;

/* Runs the patient-level test over loci[0..n-1].  With no usable locus,
 * *ret has n_loci 0, detected -1 and NaN statistics.  'excluded' (may be
 * NULL) receives 1 for each locus left out for its flags (n entries).
 * Returns 0, -EINVAL (NULL, n < 0, mu outside [0, 1), rho outside [0, 1))
 * or a stats error; *ret is untouched on failure.  Does not log. */
int vw_patient_test(const vw_patient_opt_t *opt, const vw_patient_locus_t *loci, int n, uint8_t *excluded,
                    vw_patient_res_t *ret) VW_WARN_UNUSED;

/* The log-likelihood l(f) above (sum over the loci given, none excluded).
 * Returns 0, -EINVAL or a stats error. */
int vw_patient_loglik(const vw_patient_locus_t *loci, int n, double f, double *ret_l) VW_WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* The table DIR/vafwatch.patient.tsv (docs/formats.md)                */

typedef struct {
    char *patient, *sample;
    int32_t date;         /* days since 1970-01-01 */
    int n_targets;        /* the patient's own targets */
    vw_patient_res_t r;
    char *excluded;       /* "ID:flag,flag;ID:flag" of the loci left out, "." when none */
    /* over time (vw_patient_series_run; NaN / -1 / VW_DATE_NONE until then) */
    int baseline;         /* 1: the patient's baseline draw */
    double change;        /* fraction / the baseline's fraction (after the baseline, which was detected) */
    int response;         /* 1: fraction <= (1 - response_drop) x baseline's; 0: not; -1: NA */
    double rise_p;        /* the rise test against the nadir so far (vw_patient_rise_p), NaN */
    int rise;             /* 1: detected and rise_p < alpha; 0: not; -1: NA */
    int32_t molecular_progression; /* the patient's confirmed rise (its signal draw), or VW_DATE_NONE */
    int32_t progression_fired;     /* the draw that confirmed it, or VW_DATE_NONE */
    double lead_days;     /* radiographic progression - molecular_progression, NaN without both */
} vw_patient_row_t;

typedef struct {
    int n, m;
    vw_patient_row_t *r;
} vw_patient_rows_t;

/* Empty set; caller owns; free with vw_patient_rows_destroy(). */
vw_patient_rows_t *vw_patient_rows_init(void);
/* Accepts NULL. */
void vw_patient_rows_destroy(vw_patient_rows_t *rs);
/* Appends a copy of *row (strings copied; excluded NULL is written "."). 
 * Returns 0 or -ENOMEM. */
int vw_patient_rows_push(vw_patient_rows_t *rs, const vw_patient_row_t *row) VW_WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Over time (patient_series.c; docs/patient-series.md)                */

typedef struct {
    double response_drop; /* molecular response: a fall of at least this share [0.5] */
    double alpha;         /* level of the rise test [0.05]; the signal's is alpha / T */
} vw_patient_series_opt_t;

void vw_patient_series_opt_init(vw_patient_series_opt_t *opt);

/* The rise test of draw t against the nadir n, on the pooled counts: with
 * f~ = max(0, (x_t + x_n - E_t - E_n) / (N_t + N_n)) the common fraction
 * under "no rise" and lambda = E + f~ N each draw's expected mutant
 * fragments (N: 'depth', x: 'alt', E: 'expected'), the p-value is
 * P(Bin(x_t + x_n, lambda_t / (lambda_t + lambda_n)) >= x_t) (the
 * conditional test of two Poisson counts), with every count divided by
 * phi, the lambda-weighted mean of the two draws' 'inflation' (1 where NaN
 * or below 1; quasi-Poisson), rounded to the nearest integer.  NaN when
 * either draw has no fragment.  Returns 0, -EINVAL or a stats error. */
int vw_patient_rise_p(const vw_patient_row_t *t, const vw_patient_row_t *n, double *ret_p) VW_WARN_UNUSED;

/* Over time, per patient (rows of one patient contiguous, in date order, as
 * vafwatch run writes them and vw_patient_rows_read_tsv() sorts them): the
 * baseline is the patient's baseline plasma draw
 * (vw_timeline_baseline_index(): the last on or before the first treatment
 * start).  After it: 'change' and 'response' (a fall of at least
 * response_drop from a detected baseline); 'rise_p' against the nadir (the
 * assessable draw of lowest fraction from the baseline on) and 'rise'
 * (detected and rise_p < alpha); molecular progression: a signal (a rise
 * with rise_p < alpha / T, T the assessable draws after the baseline)
 * confirmed by the next assessable draw being a rise, dated at the signal
 * (as an emergence under the 'strict' rule), with its lead over
 * radiographic progression.  The over-time fields are reset first; rows of
 * patients not in 'tl' keep them unset.  Returns 0, -EINVAL or a stats
 * error. */
int vw_patient_series_run(vw_patient_rows_t *rs, const vw_timeline_t *tl,
                          const vw_patient_series_opt_t *opt) VW_WARN_UNUSED;
/* The same with alpha 0.05. */
int vw_patient_series(vw_patient_rows_t *rs, const vw_timeline_t *tl, double response_drop) VW_WARN_UNUSED;

/* Reads DIR/vafwatch.patient.tsv (the columns up to 'excluded' are
 * required, 'inflation' is read when present; the over-time columns are
 * ignored: vw_patient_series_run() computes them) into rs, rows sorted by
 * patient (in order of first appearance) then date.  A sample given twice for a patient is an error.
 * Returns 0, -EINVAL, -ENOMEM or a table error.  Logs on failure. */
int vw_patient_rows_read_tsv(vw_patient_rows_t *rs, const char *path) VW_WARN_UNUSED;

/* vw_patient_rows_read_tsv() of 'path' into a new set (*ret: caller owns;
 * free with vw_patient_rows_destroy()), every patient checked against the
 * cohort sheet (one not in it is VW_EINPUT), then vw_patient_series().
 * Returns 0 or a negative code.  Logs on failure. */
int vw_patient_rows_load(const char *path, const vw_timeline_t *tl, vw_patient_rows_t **ret) VW_WARN_UNUSED;

/* The first patient of rs that 'tl' does not have (borrowed), or NULL. */
const char *vw_patient_rows_unknown(const vw_patient_rows_t *rs, const vw_timeline_t *tl);

/* The patient-level molecular progression into the lead-time table: each
 * patient of lt with rows in rs gets has_patient_test, patient_progression,
 * patient_fired and patient_lead_days from its rows (after
 * vw_patient_series_run()).  Returns 0 or -EINVAL. */
struct vw_leadtime_s;
int vw_patient_lead(struct vw_leadtime_s *lt, const vw_patient_rows_t *rs) VW_WARN_UNUSED;

/* Writes the table (one '#' header line; columns in docs/formats.md).
 * Returns 0 or -EIO. */
int vw_patient_write_tsv(FILE *fp, const vw_patient_rows_t *rs) VW_WARN_UNUSED;
/* The same as JSON {"command":..., "patient_tests":[{...}]} (NaN as null). */
int vw_patient_write_json(FILE *fp, const vw_patient_rows_t *rs, const char *command) VW_WARN_UNUSED;

#endif
