/* track.c -- per patient x target series of plasma draws and the emergence
 * decision (docs/tracking.md). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/log.h"
#include "vafwatch/track.h"

void vw_track_opt_init(vw_track_opt_t *opt)
{
    if (!opt)
        return;
    opt->rule = VW_RULE_CONSECUTIVE;
    opt->alpha = 0.05;
    opt->cusum_k = 1.0;
    opt->truncal = NULL;
    opt->ch_patients = 3;
    opt->ch_max_vaf = 0.02;
}

static const char *const status_names[] = {"pre-existing", "germline?", "emerging",
                                           "transient", "never", "not_assessed", "unconfirmed", "CH?"};

static int rule_consecutive(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                            double level, const vw_track_opt_t *opt, vw_emergence_t *e);
static int rule_strict(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                       double level, const vw_track_opt_t *opt, vw_emergence_t *e);
static int rule_cusum(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                      double level, const vw_track_opt_t *opt, vw_emergence_t *e);
static int rule_first_detected(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                               double level, const vw_track_opt_t *opt, vw_emergence_t *e);

/* The emergence rules (docs/tracking.md).  Amplification draws have no
 * p-value: strict takes the first amplified draw (the call is itself a
 * thresholded test) and CUSUM falls back to consecutive. */
static const vw_rule_t rule_table[] = {
    {VW_RULE_CONSECUTIVE, "consecutive", rule_consecutive, rule_consecutive, "",
     "a detected draw confirmed by a detected next draw"},
    {VW_RULE_STRICT, "strict", rule_strict, rule_first_detected, "alpha",
     "p < alpha / (T m) at one draw, p < alpha / m at the next"},
    {VW_RULE_CUSUM, "cusum", rule_cusum, rule_consecutive, "alpha, cusum_k",
     "a CUSUM alarm over the draws' p-values, p < alpha / m at the next draw"},
};
#define N_RULES (sizeof(rule_table) / sizeof(rule_table[0]))

const vw_rule_t *vw_rules(size_t *ret_n)
{
    if (ret_n)
        *ret_n = N_RULES;
    return rule_table;
}

const vw_rule_t *vw_rule_find(const char *name)
{
    for (size_t i = 0; name && i < N_RULES; i++)
        if (strcmp(name, rule_table[i].name) == 0)
            return &rule_table[i];
    return NULL;
}

const vw_rule_t *vw_rule_get(vw_track_rule_t id)
{
    for (size_t i = 0; i < N_RULES; i++)
        if (rule_table[i].id == id)
            return &rule_table[i];
    return NULL;
}

int vw_rule_names(char *buf, size_t size, const char *sep)
{
    if (!sep || (!buf && size > 0))
        return -EINVAL;
    size_t len = 0;
    for (size_t i = 0; i < N_RULES; i++) {
        const char *parts[2] = {i ? sep : "", rule_table[i].name};
        for (int k = 0; k < 2; k++)
            for (const char *c = parts[k]; *c; c++, len++)
                if (len + 1 < size)
                    buf[len] = *c;
    }
    if (size > 0)
        buf[len < size ? len : size - 1] = '\0';
    return (int)len;
}

const char *vw_track_rule_name(vw_track_rule_t r)
{
    const vw_rule_t *row = vw_rule_get(r);
    return row ? row->name : "?";
}

int vw_track_rule_parse(const char *s, vw_track_rule_t *ret_rule)
{
    if (!s || !ret_rule)
        return -EINVAL;
    const vw_rule_t *row = vw_rule_find(s);
    if (!row)
        return VW_EPARSE;
    *ret_rule = row->id;
    return 0;
}

const char *vw_track_kind_name(vw_track_kind_t k)
{
    return k == VW_KIND_AMPLIFICATION ? "amplification" : k == VW_KIND_MUTATION ? "mutation" : "?";
}

const char *vw_track_status_name(vw_track_status_t s)
{
    return (unsigned)s < 8 ? status_names[s] : "?";
}

static int opt_valid(const vw_track_opt_t *o)
{
    return vw_rule_get(o->rule) != NULL && o->alpha > 0 && o->alpha < 1 && o->cusum_k >= 0 && o->cusum_k <= 10 &&
           o->ch_patients >= 0 && o->ch_max_vaf >= 0 && o->ch_max_vaf <= 1;
}

/* ------------------------------------------------------------------------ */
/* Emergence                                                                 */
/* ------------------------------------------------------------------------ */

/* A draw whose p-value is below 'level' (strict and cusum confirmations). */
static int p_below(const vw_track_draw_t *d, double level)
{
    return d->state != VW_DRAW_NA && isfinite(d->p_value) && d->p_value < level;
}

/* The next assessable draw after i, or -1. */
static long next_assessable(const vw_track_draw_t *d, size_t n, long i)
{
    for (size_t k = (size_t)(i + 1); k < n; k++)
        if (d[k].state != VW_DRAW_NA)
            return (long)k;
    return -1;
}

/* Rule consecutive: a detected draw, confirmed by the next assessable one. */
static int rule_consecutive(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                            double level, const vw_track_opt_t *opt, vw_emergence_t *e)
{
    (void)n_patient_draws, (void)level, (void)opt;
    for (size_t i = (size_t)(baseline + 1); i < n && e->fire < 0; i++) {
        if (d[i].state != VW_DRAW_DET)
            continue;
        long nx = next_assessable(d, n, (long)i);
        if (nx < 0)
            e->pending = (long)i;
        else if (d[nx].state == VW_DRAW_DET)
            e->first = (long)i, e->fire = nx;
    }
    return 0;
}

/* Rule strict: p < level / T at one draw, p < level at the next. */
static int rule_strict(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                       double level, const vw_track_opt_t *opt, vw_emergence_t *e)
{
    (void)opt;
    double sig = level / (double)(n_patient_draws ? n_patient_draws : 1);
    for (size_t i = (size_t)(baseline + 1); i < n && e->fire < 0; i++) {
        if (!p_below(&d[i], sig))
            continue;
        long nx = next_assessable(d, n, (long)i);
        if (nx < 0)
            e->pending = (long)i;
        else if (p_below(&d[nx], level))
            e->first = (long)i, e->fire = nx;
    }
    return 0;
}

/* Rule cusum: an alarm of the probit CUSUM of the p-values at threshold h
 * (vw_stats_zcusum_h() for the assessable draws after baseline), confirmed
 * by p < level at the next draw. */
static int rule_cusum(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                      double level, const vw_track_opt_t *opt, vw_emergence_t *e)
{
    (void)n_patient_draws;
    size_t start = (size_t)(baseline + 1), m = 0;
    for (size_t i = start; i < n; i++)
        m += d[i].state != VW_DRAW_NA;
    if (m == 0)
        return 0;
    int rc = vw_stats_zcusum_h(m, opt->cusum_k, level, &e->h);
    if (rc < 0)
        return rc;
    /* the CUSUM runs on, from 0 again, after an alarm that is not confirmed */
    double S = 0;
    long run = -1; /* first draw of the current excursion above 0 */
    for (size_t i = start; i < n && e->fire < 0; i++) {
        if (d[i].state == VW_DRAW_NA)
            continue;
        double z = vw_stats_zcusum_z(isfinite(d[i].p_value) ? d[i].p_value : 1.0);
        double s1 = S + z - opt->cusum_k;
        if (s1 > 0 && !(S > 0))
            run = (long)i;
        S = s1 > 0 ? s1 : 0;
        if (!(S > e->h))
            continue;
        long nx = next_assessable(d, n, (long)i);
        if (nx < 0) {
            e->pending = (long)i;
        } else if (p_below(&d[nx], level)) {
            /* the emergence is the first draw of the excursion that is itself
             * positive at the per-series level, else the alarm draw */
            e->first = (long)i;
            for (long k = run; k >= 0 && k < (long)i; k++)
                if (p_below(&d[k], level)) {
                    e->first = k;
                    break;
                }
            e->fire = nx;
        } else {
            S = 0;
        }
    }
    return 0;
}

/* Amplifications under rule strict: the first detected draw, with no
 * confirmation (the call is itself a thresholded test). */
static int rule_first_detected(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                               double level, const vw_track_opt_t *opt, vw_emergence_t *e)
{
    (void)n_patient_draws, (void)level, (void)opt;
    for (long i = baseline + 1; i < (long)n && e->first < 0; i++)
        if (d[i].state == VW_DRAW_DET)
            e->first = e->fire = i;
    return 0;
}

/* Runs the rule's function 'fn' and derives the last negative draw. */
static int emergence_run(vw_rule_fn fn, const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                         size_t family, const vw_track_opt_t *opt, vw_emergence_t *ret)
{
    vw_emergence_t e = {-1, -1, -1, -1, NAN};
    double level = opt->alpha / (double)family; /* the series' share of the patient's level */
    int rc = fn(d, n, baseline, n_patient_draws, level, opt, &e);
    if (rc < 0)
        return rc;
    for (long i = e.first - 1; e.first >= 0 && i >= 0; i--)
        if (d[i].state == VW_DRAW_NEG) {
            e.last_neg = i;
            break;
        }
    *ret = e;
    return 0;
}

int vw_track_emergence(const vw_track_draw_t *d, size_t n, long baseline, size_t n_patient_draws,
                       size_t family, const vw_track_opt_t *opt, vw_emergence_t *ret)
{
    if ((!d && n) || !opt || !ret || baseline >= (long)n || baseline < -1 || family == 0 || !opt_valid(opt))
        return -EINVAL;
    const vw_rule_t *rule = vw_rule_get(opt->rule);
    if (!rule || !rule->mutation)
        return -EINVAL; /* no silent default: a rule without a row or a function is an error */
    return emergence_run(rule->mutation, d, n, baseline, n_patient_draws, family, opt, ret);
}

/* ------------------------------------------------------------------------ */
/* Trend and growth                                                          */
/* ------------------------------------------------------------------------ */

/* Fits the Poisson growth GLM on the assessable draws dated in [from, to];
 * needs >= 3 detected draws there.  t is days since draws[0]. */
static int fit_window(const vw_track_draw_t *d, size_t n, int32_t from, int32_t to, vw_track_fit_t *f)
{
    memset(f, 0, sizeof(*f));
    f->r = f->r_lo = f->r_hi = f->td = f->td_lo = f->td_hi = NAN;
    double *t = malloc((n ? n : 1) * sizeof(double)), *bg = malloc((n ? n : 1) * sizeof(double));
    long *x = malloc((n ? n : 1) * sizeof(long)), *nn = malloc((n ? n : 1) * sizeof(long));
    int rc = -ENOMEM;
    if (!t || !x || !nn || !bg)
        goto out;
    size_t m = 0;
    int det = 0;
    for (size_t i = 0; i < n; i++) {
        if (d[i].state == VW_DRAW_NA || d[i].date < from || d[i].date > to)
            continue;
        t[m] = (double)(d[i].date - d[0].date);
        x[m] = d[i].alt;
        bg[m] = d[i].bg_error >= 0 && d[i].bg_error < 1 ? d[i].bg_error : 0; /* NaN: none known */
        nn[m++] = d[i].depth;
        det += d[i].state == VW_DRAW_DET;
    }
    rc = 0;
    if (det < 3)
        goto out;
    vw_growth_est_t g;
    /* the quasi-Poisson fit with each draw's expected background count
     * subtracted: unbiased under per-draw noise, its interval widened by the
     * Pearson scale (statistics.md section 9; coverage in tracking.md) */
    if (vw_stats_growth_quasi(t, x, nn, bg, m, &g) != 0)
        goto out; /* degenerate window: no fit, not an error */
    f->ok = 1;
    f->n_draws = (int)m;
    f->r = g.r;
    f->r_lo = g.lo;
    f->r_hi = g.hi;
    f->td = g.td;
    f->td_lo = g.td_lo;
    f->td_hi = g.td_hi;
out:
    free(bg);
    free(t);
    free(x);
    free(nn);
    return rc;
}

static int trend(vw_track_series_t *s)
{
    size_t n = s->n_draws, m = 0;
    double *t = malloc((n ? n : 1) * sizeof(double));
    long *x = malloc((n ? n : 1) * sizeof(long)), *nn = malloc((n ? n : 1) * sizeof(long));
    if (!t || !x || !nn) {
        free(t), free(x), free(nn);
        return -ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (s->draws[i].state == VW_DRAW_NA)
            continue;
        t[m] = (double)(s->draws[i].date - s->draws[0].date);
        x[m] = s->draws[i].alt;
        nn[m++] = s->draws[i].depth;
    }
    double z, p;
    if (m >= 2 && vw_stats_cochran_armitage(x, nn, t, m, &z, &p) == 0) {
        s->trend_z = z;
        s->trend_p = p;
    }
    vw_trend_t tr;
    if (m >= 2 && vw_stats_logit_trend(x, nn, t, m, &tr) == 0) {
        s->glm_slope = tr.b1;
        s->glm_p = tr.p;
    }
    free(t);
    free(x);
    free(nn);
    return 0;
}

/* The stop that splits growth from decay: the earliest treatment stop on or
 * after the first detection. */
static int32_t stop_after(const vw_patient_t *p, int32_t date)
{
    int32_t best = VW_DATE_NONE;
    for (size_t i = 0; i < p->n_treatments; i++) {
        const vw_treatment_t *tr = &p->treatments[i];
        if (tr->has_stop && tr->stop >= date && (best == VW_DATE_NONE || tr->stop < best))
            best = tr->stop;
    }
    return best;
}

/* The baseline draw of a series (the index in the timeline is over all the
 * patient's samples; it is mapped to the plasma draws), and whether any call
 * of it carries the 'known' flag. */
static void set_baseline(vw_track_series_t *s)
{
    vw_track_draw_t *d = s->draws;
    size_t n = s->n_draws;
    s->baseline = vw_timeline_baseline_index(s->patient);
    /* the baseline index is over all samples; map it to the plasma draws */
    if (s->baseline >= 0) {
        const char *name = s->patient->samples[s->baseline].sample;
        s->baseline = -1;
        for (size_t i = 0; i < n; i++)
            if (d[i].sample == name)
                s->baseline = (long)i;
    }
    s->known = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i].flags & VW_FLAG_KNOWN)
            s->known = 1;
}

/* A series that belongs to its patient's discovery family: a mutation, not
 * known, assessable somewhere, not detected at baseline. */
static int in_discovery(const vw_track_series_t *s)
{
    if (s->kind != VW_KIND_MUTATION || s->known || s->wbc)
        return 0;
    if (s->baseline >= 0 && s->draws[s->baseline].state == VW_DRAW_DET)
        return 0;
    for (size_t i = 0; i < s->n_draws; i++)
        if (s->draws[i].state != VW_DRAW_NA)
            return 1;
    return 0;
}

/* Germline-looking across draws: at least two detected draws after the
 * baseline, every one of them with the possible_germline flag. */
static int germline_across(const vw_track_series_t *s)
{
    int k = 0;
    for (size_t i = (size_t)(s->baseline + 1); i < s->n_draws; i++) {
        if (s->draws[i].state != VW_DRAW_DET)
            continue;
        if (!(s->draws[i].flags & VW_FLAG_GERMLINE))
            return 0;
        k++;
    }
    return k >= 2;
}

/* Resets the results of s and counts its assessed and detected draws, the
 * maxima and the baseline VAF.  Returns the first detected draw, -1. */
static long summarise(vw_track_series_t *s)
{
    vw_track_draw_t *d = s->draws;
    s->fire = -1;
    s->rule_fired = VW_DATE_NONE;
    s->first_pos = s->last_neg = -1;
    s->first_detection = s->last_negative = s->stop_date = VW_DATE_NONE;
    s->baseline_vaf = s->max_vaf = s->max_pcn = s->max_cn_t = NAN;
    s->trend_z = s->trend_p = s->glm_slope = s->glm_p = s->cusum_h = NAN;
    vw_track_fit_t none = {0, 0, NAN, NAN, NAN, NAN, NAN, NAN};
    s->growth = s->decay = none;
    long first_det = -1;
    for (size_t i = 0; i < s->n_draws; i++) {
        if (d[i].state == VW_DRAW_NA)
            continue;
        s->n_assessed++;
        if (isfinite(d[i].vaf) && !(d[i].vaf <= s->max_vaf))
            s->max_vaf = d[i].vaf;
        if (isfinite(d[i].pcn) && !(d[i].pcn <= s->max_pcn))
            s->max_pcn = d[i].pcn;
        if (isfinite(d[i].cn_t) && !(d[i].cn_t <= s->max_cn_t))
            s->max_cn_t = d[i].cn_t;
        if (d[i].state == VW_DRAW_DET) {
            s->n_detected++;
            if (first_det < 0)
                first_det = (long)i;
        }
    }
    if (s->baseline >= 0 && d[s->baseline].state != VW_DRAW_NA)
        s->baseline_vaf = d[s->baseline].vaf;
    return first_det;
}

/* The status of a series not detected at baseline nor in white cells: the
 * emergence rule of the table (for mutations or amplifications), then
 * unconfirmed, transient or never.  -EINVAL for a rule with no row. */
static int decide(vw_track_series_t *s, const vw_track_opt_t *opt, long first_det)
{
    vw_track_draw_t *d = s->draws;
    size_t n = s->n_draws;
    vw_emergence_t e;
    const vw_rule_t *rule = vw_rule_get(opt->rule);
    vw_rule_fn fn = !rule ? NULL : s->kind == VW_KIND_AMPLIFICATION ? rule->amplification : rule->mutation;
    if (!fn)
        return -EINVAL;
    int rc = emergence_run(fn, d, n, s->baseline, n, s->family ? s->family : 1, opt, &e);
    if (rc < 0)
        return rc;
    s->cusum_h = e.h;
    long last_assessed = -1;
    for (long i = s->baseline + 1; i < (long)n; i++)
        if (d[i].state != VW_DRAW_NA)
            last_assessed = i;
    if (e.fire >= 0) {
        s->status = VW_TRACK_EMERGING;
        s->first_pos = e.first;
        s->last_neg = e.last_neg;
        s->fire = e.fire;
    } else if (e.pending >= 0 || (last_assessed >= 0 && d[last_assessed].state == VW_DRAW_DET)) {
        /* positive at the last draw: the rule waits for the next one */
        s->status = VW_TRACK_UNCONFIRMED;
        s->first_pos = e.pending >= 0 ? e.pending : last_assessed;
    } else if (first_det >= 0) {
        s->status = VW_TRACK_TRANSIENT;
        s->first_pos = first_det;
    } else {
        s->status = VW_TRACK_NEVER;
    }
    if (s->status == VW_TRACK_UNCONFIRMED || s->status == VW_TRACK_TRANSIENT)
        for (long i = s->first_pos - 1; i >= 0; i--)
            if (d[i].state == VW_DRAW_NEG) {
                s->last_neg = i;
                break;
            }
    return 0;
}

static int analyse(vw_track_series_t *s, const vw_track_opt_t *opt)
{
    vw_track_draw_t *d = s->draws;
    size_t n = s->n_draws;
    long first_det = summarise(s);
    int amp = s->kind == VW_KIND_AMPLIFICATION;
    int rc = amp ? 0 : trend(s);
    if (rc < 0)
        return rc;
    if (s->n_assessed == 0) {
        s->status = VW_TRACK_NOT_ASSESSED;
        return 0;
    }
    if (!amp && s->wbc && first_det >= 0) {
        /* in the patient's own white cells: germline (near 50 % / 100 % there) or
         * clonal haematopoiesis, not a resistance clone (also when the baseline
         * draw has it: the white cells tell where it comes from) */
        s->status = s->wbc == 2 ? VW_TRACK_GERMLINE : VW_TRACK_CH;
        s->first_pos = first_det;
    } else if (s->ch_cohort) {
        /* low and flat from the baseline in several patients of the cohort: CH (or a recurrent
         * artefact), present before the therapy and not under its pressure */
        s->status = VW_TRACK_CH;
        s->first_pos = s->baseline;
    } else if (s->baseline >= 0 && d[s->baseline].state == VW_DRAW_DET) {
        s->status = (d[s->baseline].flags & VW_FLAG_GERMLINE) ? VW_TRACK_GERMLINE : VW_TRACK_PRE_EXISTING;
        s->first_pos = s->baseline;
    } else if (!amp && germline_across(s)) {
        /* near 50 % or 100 % at every detection: not a resistance clone, even when the
         * baseline could not be assessed */
        s->status = VW_TRACK_GERMLINE;
        s->first_pos = first_det;
    } else if ((rc = decide(s, opt, first_det)) < 0) {
        return rc;
    }
    if (s->fire >= 0)
        s->rule_fired = d[s->fire].date;
    if (s->first_pos >= 0)
        s->first_detection = d[s->first_pos].date;
    if (s->last_neg >= 0)
        s->last_negative = d[s->last_neg].date;
    if (!amp && (s->status == VW_TRACK_EMERGING || s->status == VW_TRACK_PRE_EXISTING)) {
        int32_t from = s->first_detection;
        s->stop_date = stop_after(s->patient, from);
        int32_t to = s->stop_date == VW_DATE_NONE ? INT32_MAX : s->stop_date;
        if ((rc = fit_window(d, n, from, to, &s->growth)) < 0)
            return rc;
        if (s->stop_date != VW_DATE_NONE && (rc = fit_window(d, n, s->stop_date, INT32_MAX, &s->decay)) < 0)
            return rc;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Building the series                                                       */
/* ------------------------------------------------------------------------ */

typedef struct {
    const vw_call_t *c;
    const vw_cnv_row_t *cn;  /* the copy-number row of an amplification, NULL for a call */
    size_t pi, si, ti;
} cref_t;

static int cmp_key(const vw_call_t *a, const vw_call_t *b)
{
    int r = strcmp(a->chrom, b->chrom);
    if (r)
        return r;
    if (a->pos1 != b->pos1)
        return a->pos1 < b->pos1 ? -1 : 1;
    if ((r = strcmp(a->ref, b->ref)) || (r = strcmp(a->alt, b->alt)))
        return r;
    return strcmp(a->id, b->id);
}

static int cmp_cref(const void *pa, const void *pb)
{
    const cref_t *a = pa, *b = pb;
    int r = cmp_key(a->c, b->c);
    if (r)
        return r;
    if (a->pi != b->pi)
        return a->pi < b->pi ? -1 : 1;
    if (a->si != b->si)
        return a->si < b->si ? -1 : 1;
    return 0;
}

void vw_track_destroy(vw_track_t *tr)
{
    if (!tr)
        return;
    for (size_t i = 0; i < tr->n; i++) {
        vw_track_series_t *s = &tr->s[i];
        free(s->id), free(s->chrom), free(s->ref), free(s->alt), free(s->gene), free(s->protein);
        free(s->draws);
    }
    free(tr->s);
    free(tr);
}

static void draw_from_call(vw_track_draw_t *d, const vw_call_t *c)
{
    int na = (c->flags & VW_FLAG_NOT_ASSESSED) != 0;
    d->state = (na || c->detected < 0 || c->depth <= 0) ? VW_DRAW_NA
             : c->detected > 0 ? VW_DRAW_DET : VW_DRAW_NEG;
    d->depth = na ? -1 : (long)c->depth;
    d->alt = na ? -1 : (long)c->alt_count;
    d->vaf = c->vaf;
    d->vaf_lo = c->vaf_lo;
    d->vaf_hi = c->vaf_hi;
    d->lod95 = c->lod95;
    d->p_value = c->p_value;
    d->bg_error = c->bg_error;
    d->flags = c->flags;
    snprintf(d->ev_class, sizeof d->ev_class, "%s",
             c->ev_class && strcmp(c->ev_class, "fragment") ? c->ev_class : "");
}

static void draw_from_cnv(vw_track_draw_t *d, const vw_cnv_row_t *r)
{
    d->state = r->amplified < 0 ? VW_DRAW_NA : r->amplified ? VW_DRAW_DET : VW_DRAW_NEG;
    d->pcn = r->pcn;
    d->cn_z = r->z;
    d->tf = r->tf;
    d->cn_t = r->cn_t;
}

static int copy_target(vw_track_series_t *s, const vw_call_t *c)
{
    s->id = vw_strdup(c->id ? c->id : ".");
    s->chrom = vw_strdup(c->chrom);
    s->ref = vw_strdup(c->ref);
    s->alt = vw_strdup(c->alt);
    s->gene = vw_strdup(c->gene ? c->gene : ".");
    s->protein = vw_strdup(c->protein ? c->protein : ".");
    s->pos1 = c->pos1;
    return (s->id && s->chrom && s->ref && s->alt && s->gene && s->protein) ? 0 : -ENOMEM;
}

static void clone_fractions(vw_track_t *tr, const char *truncal)
{
    for (size_t i = 0; i < tr->n; i++) {
        vw_track_series_t *tc = &tr->s[i];
        if (strcmp(tc->id, truncal) != 0)
            continue;
        tc->is_truncal = 1;
        for (size_t j = 0; j < tr->n; j++) {
            vw_track_series_t *s = &tr->s[j];
            if (s->patient != tc->patient)
                continue;
            for (size_t k = 0; k < s->n_draws; k++) {
                const vw_track_draw_t *t = &tc->draws[k];
                vw_track_draw_t *d = &s->draws[k];
                if (t->state != VW_DRAW_NA && d->state != VW_DRAW_NA && t->vaf > 0 && isfinite(d->vaf)) {
                    d->clone_fraction = d->vaf / t->vaf;
                    if (vw_stats_ratio_ci(d->alt, d->depth, t->alt, t->depth, 0.95, &d->cf_lo, &d->cf_hi) != 0)
                        d->cf_lo = d->cf_hi = NAN; /* no alt fragment: no log interval */
                }
            }
        }
    }
}

int vw_track_run(const vw_timeline_t *tl, const vw_calls_t *calls, const vw_track_opt_t *opt,
                 vw_track_t **ret_tr)
{
    return vw_track_run_cnv(tl, calls, NULL, opt, ret_tr);
}

/* Turns the copy-number rows into stand-in calls carrying the series key
 * (the per-draw values are taken from the rows themselves). */
static int cnv_calls(const vw_cnv_rows_t *cnv, vw_calls_t *out)
{
    for (int i = 0; cnv && i < cnv->n; i++) {
        const vw_cnv_row_t *r = &cnv->r[i];
        size_t l = strlen(r->gene) + 16;
        char *id = malloc(l);
        if (!id)
            return -ENOMEM;
        snprintf(id, l, "%s_amplification", r->gene);
        vw_call_t c;
        memset(&c, 0, sizeof(c));
        c.sample = r->sample;
        c.chrom = r->chrom;
        c.pos1 = (int64_t)r->beg + 1;
        c.ref = ".";
        c.alt = "AMP";
        c.id = id;
        c.gene = r->gene;
        c.protein = "amplification";
        c.cdna = ".";
        c.detected = r->amplified;
        c.vaf = c.vaf_lo = c.vaf_hi = c.p_value = c.q_value = c.lod95 = c.bg_error = c.copies_per_ml = NAN;
        int rc = vw_calls_push(out, &c);
        free(id);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The state of one vw_track_run_cnv(): the plasma calls (and copy-number
 * rows as stand-in calls) by series key, the detected white-cell calls,
 * the plasma draw index of each sheet sample and the series of each
 * patient x target. */
typedef struct {
    const vw_timeline_t *tl;
    const vw_calls_t *calls;
    const vw_cnv_rows_t *cnv;
    vw_calls_t *amp;          /* the copy-number rows as calls */
    cref_t *cr, *wb;          /* plasma calls; detected white-cell calls */
    size_t nc, nwb, np, nt;   /* counts of those, patients, targets */
    size_t *off;              /* first sample of each patient in dmap */
    long *dmap;               /* plasma draw index of each sample, -1 */
    long *sidx;               /* series of patient x target, -1 */
    unsigned char *seen;      /* patient x target has a call */
} build_t;

static void build_free(build_t *b)
{
    free(b->cr);
    free(b->wb);
    free(b->off);
    free(b->dmap);
    free(b->sidx);
    free(b->seen);
    vw_calls_destroy(b->amp);
}

/* The plasma draw index of every sheet sample. */
static int build_draw_map(build_t *b)
{
    const vw_timeline_t *tl = b->tl;
    for (size_t p = 0; p < b->np; p++)
        b->off[p + 1] = b->off[p] + tl->patients[p].n_samples;
    if (!(b->dmap = malloc((b->off[b->np] + 1) * sizeof(long))))
        return -ENOMEM;
    for (size_t p = 0; p < b->np; p++) {
        long k = 0;
        for (size_t i = 0; i < tl->patients[p].n_samples; i++)
            b->dmap[b->off[p] + i] = tl->patients[p].samples[i].type == VW_SAMPLE_PLASMA ? k++ : -1;
    }
    return 0;
}

/* Links every call and copy-number row to its sample: plasma ones to cr,
 * detected white-cell calls to wb.  VW_EINPUT (logged) for an unknown sample. */
static int build_refs(build_t *b)
{
    int n_all = b->calls->n + (b->cnv ? b->cnv->n : 0);
    for (int i = 0; i < n_all; i++) {
        int is_cn = i >= b->calls->n;
        const vw_call_t *c = is_cn ? &b->amp->c[i - b->calls->n] : &b->calls->c[i];
        const vw_patient_t *p;
        const vw_sample_t *s = vw_timeline_find_sample(b->tl, c->sample, &p);
        if (!s) {
            vw_error("%s of sample '%s' but no such sample in the cohort sheet '%s'",
                     is_cn ? "copy-number results" : "calls", c->sample, b->tl->sheet_path ? b->tl->sheet_path : "");
            return VW_EINPUT;
        }
        if (s->type != VW_SAMPLE_PLASMA) {
            /* a white-cell (normal) call detected: remembered for the patient's series */
            if (s->type == VW_SAMPLE_NORMAL && !is_cn && c->detected > 0) {
                b->wb[b->nwb].c = c;
                b->wb[b->nwb++].pi = (size_t)(p - b->tl->patients);
            }
            continue;
        }
        cref_t *r = &b->cr[b->nc++];
        r->c = c;
        r->cn = is_cn ? &b->cnv->r[i - b->calls->n] : NULL;
        r->pi = (size_t)(p - b->tl->patients);
        r->si = (size_t)(s - p->samples);
    }
    return 0;
}

/* Sorts the plasma calls by key and numbers the targets; two calls of one
 * sample and target are VW_EINPUT (logged). */
static int build_keys(build_t *b)
{
    cref_t *cr = b->cr;
    qsort(cr, b->nc, sizeof(cref_t), cmp_cref);
    for (size_t i = 0; i < b->nc; i++) {
        if (i > 0 && cmp_key(cr[i - 1].c, cr[i].c) != 0)
            b->nt++;
        cr[i].ti = b->nt;
        if (i > 0 && cmp_key(cr[i - 1].c, cr[i].c) == 0 && cr[i - 1].pi == cr[i].pi && cr[i - 1].si == cr[i].si) {
            vw_error("sample '%s' has two calls of target %s (%s:%" PRId64 " %s>%s)", cr[i].c->sample,
                     cr[i].c->id, cr[i].c->chrom, cr[i].c->pos1, cr[i].c->ref, cr[i].c->alt);
            return VW_EINPUT;
        }
    }
    if (b->nc)
        b->nt++;
    return 0;
}

/* A series of patient pt for the target of call c: its draws, all not
 * assessable until their calls are filled in. */
static int series_init(vw_track_series_t *s, const vw_patient_t *pt, const cref_t *first)
{
    size_t nd = 0;
    for (size_t i = 0; i < pt->n_samples; i++)
        nd += pt->samples[i].type == VW_SAMPLE_PLASMA;
    s->patient = pt;
    s->n_draws = nd;
    s->draws = calloc(nd + 1, sizeof(vw_track_draw_t));
    if (!s->draws || copy_target(s, first->c) < 0)
        return -ENOMEM;
    s->kind = first->cn ? VW_KIND_AMPLIFICATION : VW_KIND_MUTATION;
    for (size_t i = 0, k = 0; i < pt->n_samples; i++) {
        if (pt->samples[i].type != VW_SAMPLE_PLASMA)
            continue;
        vw_track_draw_t *d = &s->draws[k++];
        d->sample = pt->samples[i].sample;
        d->date = pt->samples[i].date;
        d->state = VW_DRAW_NA;
        d->depth = d->alt = -1;
        d->vaf = d->vaf_lo = d->vaf_hi = d->lod95 = d->p_value = d->bg_error = NAN;
        d->clone_fraction = d->cf_lo = d->cf_hi = NAN;
        d->pcn = d->cn_z = d->tf = d->cn_t = NAN;
    }
    return 0;
}

/* One series per patient (sheet order) x target (key order) with a call,
 * its draws filled from the calls. */
static int build_series(build_t *b, vw_track_t *tr)
{
    size_t np = b->np, nt = b->nt;
    b->sidx = malloc((np * nt + 1) * sizeof(long));
    b->seen = calloc(np * nt + 1, 1);
    if (!b->sidx || !b->seen)
        return -ENOMEM;
    for (size_t i = 0; i < b->nc; i++)
        b->seen[b->cr[i].pi * nt + b->cr[i].ti] = 1;
    size_t ns = 0;
    for (size_t i = 0; i < np * nt; i++)
        ns += b->seen[i];
    const cref_t **first = calloc(nt + 1, sizeof(*first));
    if (!(tr->s = calloc(ns + 1, sizeof(vw_track_series_t))) || !first) {
        free(first);
        return -ENOMEM;
    }
    for (size_t i = 0; i < b->nc; i++)
        if (!first[b->cr[i].ti])
            first[b->cr[i].ti] = &b->cr[i];
    int rc = 0;
    for (size_t p = 0; p < np && rc == 0; p++)
        for (size_t t = 0; t < nt && rc == 0; t++) {
            b->sidx[p * nt + t] = -1;
            if (!b->seen[p * nt + t])
                continue;
            b->sidx[p * nt + t] = (long)tr->n;
            rc = series_init(&tr->s[tr->n++], &b->tl->patients[p], first[t]);
        }
    free(first);
    for (size_t i = 0; i < b->nc && rc == 0; i++) {
        const cref_t *r = &b->cr[i];
        vw_track_series_t *s = &tr->s[b->sidx[r->pi * nt + r->ti]];
        long k = b->dmap[b->off[r->pi] + r->si];
        if (r->cn)
            draw_from_cnv(&s->draws[k], r->cn);
        else
            draw_from_call(&s->draws[k], r->c);
    }
    return rc;
}

/* Baselines, white-cell detections and the discovery family of each
 * patient (its series are tested at alpha / family). */
static void build_context(const build_t *b, vw_track_t *tr)
{
    for (size_t i = 0; i < tr->n; i++) {
        vw_track_series_t *s = &tr->s[i];
        set_baseline(s);
        for (size_t k = 0; k < b->nwb; k++) {
            const vw_call_t *c = b->wb[k].c;
            if (&b->tl->patients[b->wb[k].pi] == s->patient && s->kind == VW_KIND_MUTATION && s->pos1 == c->pos1 &&
                !strcmp(s->chrom, c->chrom) && !strcmp(s->ref, c->ref) && !strcmp(s->alt, c->alt) &&
                !strcmp(s->id, c->id ? c->id : "."))
                s->wbc = (c->flags & VW_FLAG_GERMLINE) ? 2 : (s->wbc ? s->wbc : 1);
        }
    }
    for (size_t i = 0, j; i < tr->n; i = j) {
        size_t fam = 0;
        for (j = i; j < tr->n && tr->s[j].patient == tr->s[i].patient; j++)
            fam += (size_t)in_discovery(&tr->s[j]);
        for (size_t k = i; k < j; k++)
            tr->s[k].family = tr->s[k].known || tr->s[k].kind != VW_KIND_MUTATION || fam == 0 ? 1 : fam;
    }
}

/* The cohort rule's carrier: a mutation detected at the baseline draw at VAF
 * <= max_vaf without the germline flag, every later assessable draw at VAF
 * <= max_vaf, and none whose 95 % interval lies above the baseline's (a rise
 * under therapy is a clone, not CH).  A series CH? by the patient's own white
 * cells is a carrier too; a known (tumour-informed) one never is. */
static int ch_flat(const vw_track_series_t *s, double max_vaf)
{
    if (s->kind != VW_KIND_MUTATION || s->known)
        return 0; /* a target known in the patient (its tumour's) is not CH */
    if (s->wbc == 1)
        for (size_t i = 0; i < s->n_draws; i++)
            if (s->draws[i].state == VW_DRAW_DET)
                return 1;
    if (s->baseline < 0)
        return 0;
    const vw_track_draw_t *b = &s->draws[s->baseline];
    if (b->state != VW_DRAW_DET || (b->flags & VW_FLAG_GERMLINE) || !(b->vaf <= max_vaf))
        return 0;
    for (size_t i = (size_t)s->baseline + 1; i < s->n_draws; i++) {
        const vw_track_draw_t *d = &s->draws[i];
        if (d->state == VW_DRAW_NA)
            continue;
        if (d->vaf > max_vaf || (isfinite(d->vaf_lo) && isfinite(b->vaf_hi) && d->vaf_lo > b->vaf_hi))
            return 0;
    }
    return 1;
}

/* The order of two series by target (chrom, pos, ref, alt, id); 0: the same target. */
static int target_cmp(const vw_track_series_t *a, const vw_track_series_t *b)
{
    int r = strcmp(a->chrom, b->chrom);
    if (r)
        return r;
    if (a->pos1 != b->pos1)
        return a->pos1 < b->pos1 ? -1 : 1;
    if ((r = strcmp(a->ref, b->ref)) || (r = strcmp(a->alt, b->alt)))
        return r;
    return strcmp(a->id, b->id);
}

static int cmp_series_key(const void *pa, const void *pb)
{
    const vw_track_series_t *a = *(const vw_track_series_t *const *)pa, *b = *(const vw_track_series_t *const *)pb;
    int r = target_cmp(a, b);
    return r ? r : (a < b ? -1 : a > b); /* a stable order: the sort does not depend on qsort's */
}

/* The cohort rule of possible CH (docs/tracking.md): per target, the patients
 * whose series is low and flat from the baseline; when there are at least
 * opt->ch_patients of them, their series are CH?.  Every mutation series gets
 * recurrent_patients, the number of such other patients. */
static int cohort_ch(vw_track_t *tr, const vw_track_opt_t *opt)
{
    vw_track_series_t **ix = malloc((tr->n + 1) * sizeof(*ix));
    if (!ix)
        return -ENOMEM;
    for (size_t i = 0; i < tr->n; i++) {
        ix[i] = &tr->s[i];
        ix[i]->ch_flat = ch_flat(ix[i], opt->ch_max_vaf);
        ix[i]->ch_cohort = 0;
        ix[i]->recurrent_patients = ix[i]->kind == VW_KIND_MUTATION ? 0 : -1;
    }
    qsort(ix, tr->n, sizeof(*ix), cmp_series_key);
    for (size_t i = 0, j; i < tr->n; i = j) {
        int carriers = 0;
        for (j = i; j < tr->n && target_cmp(ix[i], ix[j]) == 0; j++)
            carriers += ix[j]->ch_flat;
        for (size_t k = i; k < j; k++) {
            vw_track_series_t *s = ix[k];
            if (s->kind != VW_KIND_MUTATION)
                continue;
            s->recurrent_patients = carriers - s->ch_flat;
            s->ch_cohort = opt->ch_patients > 0 && s->ch_flat && carriers >= opt->ch_patients && s->wbc == 0;
        }
    }
    free(ix);
    return 0;
}

/* Every series' decision, then the clone fractions against --truncal
 * (VW_EINPUT, logged, when no call has that id). */
static int build_analyse(vw_track_t *tr, const vw_track_opt_t *opt)
{
    int rc;
    for (size_t i = 0; i < tr->n; i++)
        if ((rc = analyse(&tr->s[i], opt)) < 0)
            return rc;
    if (!opt->truncal)
        return 0;
    int found = 0;
    for (size_t i = 0; i < tr->n && !found; i++)
        found = strcmp(tr->s[i].id, opt->truncal) == 0;
    if (!found) {
        vw_error("--truncal: no call has the target id '%s'", opt->truncal);
        return VW_EINPUT;
    }
    clone_fractions(tr, opt->truncal);
    return 0;
}

int vw_track_run_cnv(const vw_timeline_t *tl, const vw_calls_t *calls, const vw_cnv_rows_t *cnv,
                     const vw_track_opt_t *opt, vw_track_t **ret_tr)
{
    if (!tl || !calls || !opt || !ret_tr || !opt_valid(opt))
        return -EINVAL;
    build_t b = {.tl = tl, .calls = calls, .cnv = cnv, .np = tl->n_patients};
    size_t n_all = (size_t)calls->n + (size_t)(cnv ? cnv->n : 0);
    b.amp = vw_calls_init();
    b.cr = malloc((n_all + 1) * sizeof(cref_t));
    b.wb = malloc((n_all + 1) * sizeof(cref_t));
    b.off = calloc(b.np + 1, sizeof(size_t));
    vw_track_t *tr = calloc(1, sizeof(*tr));
    int rc = -ENOMEM;
    if (b.cr && b.wb && b.off && tr && b.amp && cnv_calls(cnv, b.amp) == 0 && build_draw_map(&b) == 0) {
        tr->opt = *opt;
        if ((rc = build_refs(&b)) == 0 && (rc = build_keys(&b)) == 0 && (rc = build_series(&b, tr)) == 0) {
            build_context(&b, tr);
            if ((rc = cohort_ch(tr, opt)) == 0)
                rc = build_analyse(tr, opt);
        }
    }
    build_free(&b);
    if (rc < 0) {
        vw_track_destroy(tr);
        return rc;
    }
    *ret_tr = tr;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Writers                                                                   */
/* ------------------------------------------------------------------------ */

static void put_num(FILE *fp, double v, const char *fmt)
{
    fputc('\t', fp);
    if (isnan(v))
        fputs("NA", fp);
    else if (isinf(v))
        fputs(v > 0 ? "Inf" : "-Inf", fp);
    else
        fprintf(fp, fmt, v);
}

static void put_date(FILE *fp, int32_t d)
{
    char b[VW_DATE_BUFSZ];
    (void)vw_date_format(d, b); /* "NA" for VW_DATE_NONE */
    fprintf(fp, "\t%s", b);
}

int vw_track_write_tsv(FILE *fp, const vw_track_t *tr)
{
    if (!tr || !fp)
        return -EINVAL;
    fputs("#patient\ttarget\tchrom\tpos\tref\talt\tgene\tprotein\tstatus\tbaseline_vaf"
          "\tfirst_detection\tlast_negative\trule\tn_draws\tn_assessed\tn_detected\tmax_vaf"
          "\ttrend_z\ttrend_p\tglm_p\tdoubling_days\tdoubling_lo\tdoubling_hi"
          "\ttreatment_stop\thalf_life_days\thalf_life_lo\thalf_life_hi\tkind\tmax_pcn\tmax_cn_tumour"
          "\trule_fired\tfamily\trecurrent_patients\n", fp);
    for (size_t i = 0; i < tr->n; i++) {
        const vw_track_series_t *s = &tr->s[i];
        fprintf(fp, "%s\t%s\t%s\t%" PRId64 "\t%s\t%s\t%s\t%s\t%s", s->patient->id, s->id, s->chrom, s->pos1,
                s->ref, s->alt, s->gene, s->protein, vw_track_status_name(s->status));
        put_num(fp, s->baseline_vaf, "%.6g");
        put_date(fp, s->first_detection);
        put_date(fp, s->last_negative);
        fprintf(fp, "\t%s\t%zu\t%d\t%d", vw_track_rule_name(tr->opt.rule), s->n_draws, s->n_assessed,
                s->n_detected);
        put_num(fp, s->max_vaf, "%.6g");
        put_num(fp, s->trend_z, "%.4f");
        put_num(fp, s->trend_p, "%.4g");
        put_num(fp, s->glm_p, "%.4g");
        int g = s->growth.ok && s->growth.r > 0;
        put_num(fp, g ? s->growth.td : NAN, "%.4g");
        put_num(fp, g ? s->growth.td_lo : NAN, "%.4g");
        put_num(fp, g ? s->growth.td_hi : NAN, "%.4g");
        put_date(fp, s->stop_date);
        int h = s->decay.ok && s->decay.r < 0;
        put_num(fp, h ? s->decay.td : NAN, "%.4g");
        put_num(fp, h ? s->decay.td_lo : NAN, "%.4g");
        put_num(fp, h ? s->decay.td_hi : NAN, "%.4g");
        fprintf(fp, "\t%s", vw_track_kind_name(s->kind));
        put_num(fp, s->max_pcn, "%.3f");
        put_num(fp, s->max_cn_t, "%.2f");
        put_date(fp, s->rule_fired);
        if (s->known)
            fputs("\tknown", fp);
        else
            fprintf(fp, "\t%zu", s->family);
        if (s->recurrent_patients >= 0)
            fprintf(fp, "\t%d", s->recurrent_patients);
        else
            fputs("\tNA", fp);
        fputc('\n', fp);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_track_write_series(FILE *fp, const vw_track_t *tr)
{
    if (!tr || !fp)
        return -EINVAL;
    fputs("#patient\tsample\tdate\tdays_since_start\ttarget\tgene\tprotein\tdepth\talt\tvaf\tvaf_lo"
          "\tvaf_hi\tlod95\tp_value\tdetected\tclone_fraction\tpcn\tcn_z\ttf\tcn_tumour"
          "\tclone_fraction_lo\tclone_fraction_hi\tcopies_per_ml\n", fp);
    for (size_t i = 0; i < tr->n; i++) {
        const vw_track_series_t *s = &tr->s[i];
        for (size_t k = 0; k < s->n_draws; k++) {
            const vw_track_draw_t *d = &s->draws[k];
            fprintf(fp, "%s\t%s", s->patient->id, d->sample);
            put_date(fp, d->date);
            if (s->patient->has_treatment_start)
                fprintf(fp, "\t%ld", (long)d->date - (long)s->patient->first_treatment_start);
            else
                fputs("\tNA", fp);
            fprintf(fp, "\t%s\t%s\t%s", s->id, s->gene, s->protein);
            if (d->depth >= 0)
                fprintf(fp, "\t%ld\t%ld", d->depth, d->alt);
            else
                fputs("\tNA\tNA", fp);
            put_num(fp, d->vaf, "%.6g");
            put_num(fp, d->vaf_lo, "%.6g");
            put_num(fp, d->vaf_hi, "%.6g");
            put_num(fp, d->lod95, "%.6g");
            put_num(fp, d->p_value, "%.4g");
            fprintf(fp, "\t%s", d->state == VW_DRAW_DET ? "yes" : d->state == VW_DRAW_NEG ? "no" : "NA");
            put_num(fp, d->clone_fraction, "%.4g");
            put_num(fp, d->pcn, "%.3f");
            put_num(fp, d->cn_z, "%.2f");
            put_num(fp, d->tf, "%.4g");
            put_num(fp, d->cn_t, "%.2f");
            put_num(fp, d->cf_lo, "%.4g");
            put_num(fp, d->cf_hi, "%.4g");
            /* mutant copies per mL plasma, as the calls table: VAF x cfDNA ng/mL x VW_GE_PER_NG, from
             * the VAF as the calls table writes it (6 significant figures), so that a calls table
             * read back gives the same digits as the calls in memory (run) */
            double cp = NAN;
            for (size_t j = 0; s->kind == VW_KIND_MUTATION && d->state != VW_DRAW_NA && j < s->patient->n_samples; j++)
                if (s->patient->samples[j].sample == d->sample || strcmp(s->patient->samples[j].sample, d->sample) == 0) {
                    char vb[32];
                    snprintf(vb, sizeof(vb), "%.6g", d->vaf);
                    cp = strtod(vb, NULL) * s->patient->samples[j].cfdna_ng_per_ml * VW_GE_PER_NG;
                    break;
                }
            put_num(fp, cp, "%.4g");
            fputc('\n', fp);
        }
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
