/*
 * track.h -- per patient x target series of plasma draws, and the decision
 * of whether and when a resistance clone emerged (docs/tracking.md).
 *
 * Input: a timeline (cohort sheet + events; vw_timeline_t) and the calls of
 * the cohort (vw_calls_t, from the call stage or its table).  A call is
 * linked to its draw by the sample name.  Targets are identified by
 * id, chrom, pos, ref and alt together.
 *
 * docs/tracking.md describes every rule, status, column and default.
 *
 * Return convention: 0 on success, -EINVAL for a NULL or invalid argument
 * (not logged), -ENOMEM, VW_EINPUT for calls that contradict the sheet
 * (logged: the sample or target is named) and VW_ESTATS when a statistic
 * fails.  Output parameters are left untouched on failure.
 *
 * Thread safety: no global state; the rule table and the name tables are
 * constant.  Calls on different inputs may run on different threads at
 * once; a vw_track_t may be read from several threads once built.
 */
#ifndef VW_TRACK_H
#define VW_TRACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vafwatch/call.h"
#include "vafwatch/stats.h"
#include "vafwatch/timeline.h"
#include "vafwatch/util.h"

/* The emergence rule (docs/tracking.md). */
typedef enum {
    VW_RULE_CONSECUTIVE = 0, /* two consecutive detected (assessable) draws; the date is the first */
    VW_RULE_STRICT,          /* one draw with p_value < alpha / (T m), confirmed at the next draw */
    VW_RULE_CUSUM            /* CUSUM of the draws' p-values (probit), confirmed at the next draw */
} vw_track_rule_t;

/* Status of a patient x target series. */
typedef enum {
    VW_TRACK_PRE_EXISTING = 0, /* detected at the baseline draw */
    VW_TRACK_GERMLINE,         /* detected at baseline with the possible_germline flag ("germline?") */
    VW_TRACK_EMERGING,         /* not detected at baseline, the rule fired afterwards */
    VW_TRACK_TRANSIENT,        /* detected, the rule never fired, and a later draw cleared it */
    VW_TRACK_NEVER,            /* assessed, never detected */
    VW_TRACK_NOT_ASSESSED,     /* no assessable draw */
    VW_TRACK_UNCONFIRMED,      /* the last assessable draw is positive, the rule awaits the next draw */
    VW_TRACK_CH                /* detected in the patient's own white cells (a 'normal' sample of
                                * the sheet) without looking germline, or low and flat from the
                                * baseline draw in this and at least opt->ch_patients - 1 other
                                * patients (the cohort rule): possible clonal haematopoiesis
                                * ("CH?"), never an emergence */
} vw_track_status_t;

/* What a series follows. */
typedef enum {
    VW_KIND_MUTATION = 0,     /* a target of the calls (SNV, indel) */
    VW_KIND_AMPLIFICATION     /* a gene amplification from the cnv tables */
} vw_track_kind_t;

/* State of one draw for one target. */
typedef enum {
    VW_DRAW_NA = -1,      /* no call, detected NA, not_assessed flag or depth 0 */
    VW_DRAW_NEG = 0,      /* assessed, not detected */
    VW_DRAW_DET = 1       /* detected */
} vw_draw_state_t;

typedef struct {
    vw_track_rule_t rule;    /* [VW_RULE_CONSECUTIVE] */
    double alpha;            /* strict and cusum: false emergence per patient over its draws and
                              * the targets of its family [0.05] */
    double cusum_k;          /* CUSUM reference value, in standard normal units [1] */
    const char *truncal;     /* id of the truncal target for clone fractions, or NULL */
    int ch_patients;         /* the cohort rule of possible CH: a variant low and flat from the
                              * baseline draw in at least this many patients makes those patients'
                              * series CH? [3]; 0 turns the rule off */
    double ch_max_vaf;       /* "low" of that rule: every assessable draw at VAF <= this [0.02] */
} vw_track_opt_t;

/* Fills 'opt' with the defaults above. */
void vw_track_opt_init(vw_track_opt_t *opt);

/* One plasma draw of a series.  Counts are -1 and fractions NaN when there
 * is no call or the call has no evidence. */
typedef struct {
    const char *sample;      /* borrowed from the timeline */
    int32_t date;            /* days since 1970-01-01 */
    vw_draw_state_t state;
    long depth, alt;
    double vaf, vaf_lo, vaf_hi, lod95, p_value, bg_error;
    uint32_t flags;          /* the call's VW_FLAG_* (0 without a call) */
    char ev_class[24];       /* the call's evidence class (evclass.h) when not fragments, else "" */
    double clone_fraction;   /* vaf / truncal vaf (--truncal), NaN when not computable */
    double cf_lo, cf_hi;     /* its 95 % interval (vw_stats_ratio_ci()), NaN when not computable */
    /* amplifications only (NaN for mutations): plasma copy number, its z
     * against the PoN, tumour fraction used and tumour copy number CN_t */
    double pcn, cn_z, tf, cn_t;
} vw_track_draw_t;

/* A growth (or decay) fit of a series: the Poisson GLM of vw_stats_growth_fit(). */
typedef struct {
    int ok;                  /* 1 when fitted (>= 3 detected draws in the window) */
    int n_draws;             /* draws used */
    double r, r_lo, r_hi;    /* rate per day and its 95 % profile-likelihood CI */
    double td, td_lo, td_hi; /* ln 2 / |r| and the CI ends (doubling time or half-life) */
} vw_track_fit_t;

/* One patient x target series and its summary.  Strings are owned. */
typedef struct {
    const vw_patient_t *patient; /* borrowed from the timeline */
    char *id, *chrom, *ref, *alt, *gene, *protein;
    int64_t pos1;
    vw_track_draw_t *draws;  /* the patient's plasma draws in date order */
    size_t n_draws;
    vw_track_status_t status;
    long baseline;           /* index in draws of the baseline draw, -1 if none */
    double baseline_vaf;     /* NaN when the baseline is missing or not assessable */
    long first_pos;          /* index of the first detection (see docs), -1 if none */
    long last_neg;           /* last not-detected draw before first_pos, -1 if none */
    int32_t first_detection; /* date of draws[first_pos] or VW_DATE_NONE */
    int32_t last_negative;   /* date of draws[last_neg] or VW_DATE_NONE */
    int n_assessed, n_detected;
    double max_vaf;          /* over the assessable draws; NaN if none */
    double trend_z, trend_p; /* Cochran-Armitage, one-sided for rising; NaN if not computable */
    double glm_slope, glm_p; /* logistic GLM slope per day, one-sided LRT p; NaN if not */
    double cusum_h;          /* CUSUM threshold used (rule cusum), NaN otherwise */
    long fire;               /* index of the draw at which the rule fired (confirmation), -1 */
    int32_t rule_fired;      /* date of draws[fire] or VW_DATE_NONE */
    int known;               /* tested on its own: a call of the series has the 'known' flag */
    size_t family;           /* targets the series' level is divided by: 1 when known, else the
                              * patient's discovery targets (not known, not detected at baseline) */
    int wbc;                 /* detected in a normal (white-cell) sample of the patient: 1, and 2
                              * when that call has possible_germline; 0 otherwise */
    int ch_flat;             /* low and flat from the baseline draw (the cohort rule's carrier) */
    int ch_cohort;           /* CH? by the cohort rule (not by the patient's own white cells) */
    int recurrent_patients;  /* other patients of the cohort whose series of this target is low and
                              * flat from baseline (or CH? by their white cells); -1 for amplifications */
    int32_t stop_date;       /* treatment stop that splits growth and decay, VW_DATE_NONE */
    vw_track_fit_t growth;   /* on-treatment growth from the first detection to the stop */
    vw_track_fit_t decay;    /* after the stop */
    int is_truncal;          /* this target is the --truncal one */
    vw_track_kind_t kind;    /* mutation or amplification */
    double max_pcn, max_cn_t;/* amplifications: over the assessable draws; NaN otherwise / if none */
} vw_track_series_t;

/* The result.  Caller owns; free with vw_track_destroy(). */
typedef struct {
    vw_track_series_t *s;    /* by patient (sheet order), then target (chrom, pos, ref, alt, id) */
    size_t n;
    vw_track_opt_t opt;      /* the options used (truncal borrowed from the caller) */
} vw_track_t;

/*
 * Builds and analyses every patient x target series.
 * Calls of samples not in the sheet are an error naming the sample; calls of
 * non-plasma samples (normal, tissue) are ignored; two calls of one sample
 * and target are an error.  A --truncal id that no call has is an error.
 * Logs on failure (VW_EINPUT: the sample, target or option is named).
 * Returns 0, -EINVAL (NULL, bad options), -ENOMEM, VW_EINPUT or VW_ESTATS.
 */
int vw_track_run(const vw_timeline_t *tl, const vw_calls_t *calls, const vw_track_opt_t *opt,
                 vw_track_t **ret_tr) VW_WARN_UNUSED;

/*
 * The same with gene copy-number results as well ('cnv' may be NULL: then
 * it is vw_track_run()).  Each patient x gene of 'cnv' becomes a series of
 * kind VW_KIND_AMPLIFICATION with id "<GENE>_amplification", protein
 * "amplification", chrom/pos1 the gene span's contig and 1-based start,
 * ref "." and alt "AMP"; a draw is detected when 'amplified' is yes, not
 * detected when no, not assessable when NA or absent.  The emergence rule
 * is opt->rule except that CUSUM (which needs counts) falls back to
 * consecutive and strict takes the first amplified draw (the call is
 * itself a thresholded test).  No trend, growth or clone fraction is
 * computed for amplifications.  Rows of samples not in the sheet are an
 * error (VW_EINPUT, logged); non-plasma rows are ignored.
 */
#include "vafwatch/cnv.h"
int vw_track_run_cnv(const vw_timeline_t *tl, const vw_calls_t *calls, const vw_cnv_rows_t *cnv,
                     const vw_track_opt_t *opt, vw_track_t **ret_tr) VW_WARN_UNUSED;

/* "mutation" or "amplification". */
const char *vw_track_kind_name(vw_track_kind_t k);

/* Frees everything; accepts NULL. */
void vw_track_destroy(vw_track_t *tr);

/* Writes the per-series table (PREFIX.vafwatch.track.tsv; docs/tracking.md).
 * Returns 0 or -EIO. */
int vw_track_write_tsv(FILE *fp, const vw_track_t *tr) VW_WARN_UNUSED;
/* Writes the per-draw table (PREFIX.vafwatch.series.tsv).  Returns 0 or -EIO. */
int vw_track_write_series(FILE *fp, const vw_track_t *tr) VW_WARN_UNUSED;

/* The rule's name ("?" for a value with no row in the rule table);
 * vw_track_rule_parse() returns 0 or VW_EPARSE (a name with no row). */
const char *vw_track_rule_name(vw_track_rule_t r);
int vw_track_rule_parse(const char *s, vw_track_rule_t *ret_rule) VW_WARN_UNUSED;
/* "pre-existing", "germline?", "emerging", "transient", "never", "not_assessed", "unconfirmed",
 * "CH?". */
const char *vw_track_status_name(vw_track_status_t s);

/* The emergence decision of one series (vw_track_emergence()). */
typedef struct {
    long first;      /* the first positive draw of the signal that the rule confirmed (the
                      * emergence date), -1 when the rule did not fire */
    long fire;       /* the draw at which the rule fired (its confirmation), -1 */
    long last_neg;   /* last not-detected draw before 'first', -1 */
    long pending;    /* a signal at the last assessable draw, awaiting its confirmation, -1 */
    double h;        /* CUSUM threshold (rule cusum), NaN otherwise */
} vw_emergence_t;

/* The emergence decision on its own, for one series (exposed for tests):
 * given the draws and the baseline index (rules look only after it),
 * n_patient_draws (T of the strict rule) and the family size m (>= 1; the
 * series' level is alpha / m), fills *ret.  Every rule needs a signal
 * confirmed by the next assessable draw (docs/tracking.md): consecutive, a
 * detected draw then another; strict, p < alpha / (T m) then p < alpha / m;
 * cusum, an alarm of the p-value CUSUM at the per-series level alpha / m
 * over the assessable draws after baseline, then p < alpha / m.
 * Returns 0, -EINVAL or a stats error. */
int vw_track_emergence(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                       size_t family, const vw_track_opt_t *opt, vw_emergence_t *ret) VW_WARN_UNUSED;

/*
 * The emergence rules, one row each (track.c: rule_table).  A rule's
 * function gets a series' draws, its baseline index (look only after it),
 * n_patient_draws (T) and the series' level alpha / m, and fills 'first',
 * 'fire', 'pending' and 'h' of *e (set to {-1, -1, -1, -1, NaN} before the
 * call; 'last_neg' is derived by the caller).  It returns 0 or a stats
 * error.  'amplification' is the function used for copy-number series,
 * whose draws have no p-value.  Adding a rule: a vw_track_rule_t value, its
 * row and its function, docs/tracking.md and a test (docs/HACKING.md).
 * The table is constant: every function here is thread-safe.
 */
typedef int (*vw_rule_fn)(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                          double level, const vw_track_opt_t *opt, vw_emergence_t *e);
typedef struct {
    vw_track_rule_t id;
    const char *name;             /* as given to --rule */
    vw_rule_fn mutation;          /* the decision on a mutation (counts and p-values) */
    vw_rule_fn amplification;     /* the decision on an amplification (detected or not) */
    const char *parameters;       /* the options it reads, e.g. "alpha, cusum_k", or "" */
    const char *description;      /* one line for --help and the docs */
} vw_rule_t;

/* The rule table and its length. */
const vw_rule_t *vw_rules(size_t *ret_n);
/* The row named 'name' (exact, case-sensitive), or NULL (also for NULL). */
const vw_rule_t *vw_rule_find(const char *name);
/* The row of rule 'id', or NULL when the table has none. */
const vw_rule_t *vw_rule_get(vw_track_rule_t id);
/* The rule names joined by 'sep' ("consecutive, strict, cusum" with ", ")
 * into buf.  Returns the length the full text needs (as snprintf does; it
 * is truncated when >= size), or -EINVAL for a NULL sep or buf with size > 0. */
int vw_rule_names(char *buf, size_t size, const char *sep);

#endif
