/* patient_series.c -- the patient-level test over time (patient.h,
 * "Over time"): baseline, molecular response, the rise test against the
 * nadir, molecular progression with its false-alarm control over draws,
 * the patient table read back, and the patient-level columns of the
 * lead-time table (docs/patient-series.md). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash_str2int.h>

#include "vafwatch/leadtime.h"
#include "vafwatch/log.h"
#include "vafwatch/patient.h"
#include "vafwatch/stats.h"
#include "vafwatch/table.h"
#include "vafwatch/timeline.h"

void vw_patient_series_opt_init(vw_patient_series_opt_t *opt)
{
    opt->response_drop = 0.5;
    opt->alpha = 0.05;
}

int vw_patient_rise_p(const vw_patient_row_t *t, const vw_patient_row_t *n, double *ret_p)
{
    if (!t || !n || !ret_p || t->r.depth < 0 || n->r.depth < 0 || t->r.alt < 0 || n->r.alt < 0
        || !(t->r.expected >= 0) || !(n->r.expected >= 0))
        return -EINVAL;
    if (t->r.depth == 0 || n->r.depth == 0) {
        *ret_p = NAN;
        return 0;
    }
    double nt = (double)t->r.depth, nn = (double)n->r.depth;
    double f = ((double)(t->r.alt + n->r.alt) - t->r.expected - n->r.expected) / (nt + nn);
    if (f < 0)
        f = 0;
    double lt = t->r.expected + f * nt, ln = n->r.expected + f * nn;
    if (t->r.alt == 0) {
        *ret_p = 1;
        return 0;
    }
    if (!(lt + ln > 0)) { /* no background and no excess: any mutant fragment is a rise */
        *ret_p = 0;
        return 0;
    }
    double it = isnan(t->r.inflation) || t->r.inflation < 1 ? 1 : t->r.inflation;
    double in = isnan(n->r.inflation) || n->r.inflation < 1 ? 1 : n->r.inflation;
    double phi = (it * lt + in * ln) / (lt + ln);
    long xt = lround((double)t->r.alt / phi), k = lround((double)(t->r.alt + n->r.alt) / phi);
    if (xt == 0) {
        *ret_p = 1;
        return 0;
    }
    return vw_stats_binom_upper(xt, k, lt / (lt + ln), ret_p);
}

/* The rows [a, b) of one patient: baseline, change, response, rise and
 * molecular progression.  Returns 0 or a stats error. */
static int one_patient(vw_patient_row_t *r, int a, int b, const vw_patient_t *p, const vw_patient_series_opt_t *o)
{
    long bi = vw_timeline_baseline_index(p);
    int base = -1;
    for (int i = a; bi >= 0 && i < b; i++)
        if (!strcmp(r[i].sample, p->samples[bi].sample))
            base = i;
    if (base < 0)
        return 0;
    vw_patient_row_t *r0 = &r[base];
    r0->baseline = 1;
    int T = 0; /* assessable draws after the baseline: the family of the signal */
    for (int i = base + 1; i < b; i++)
        T += r[i].r.detected >= 0;
    int nadir = r0->r.detected >= 0 ? base : -1, signal = -1, prog = -1, fired = -1;
    for (int i = base + 1; i < b; i++) {
        vw_patient_row_t *x = &r[i];
        if (x->r.detected < 0)
            continue; /* not assessable: neither breaks nor extends a confirmation */
        if (r0->r.detected == 1 && r0->r.frac > 0) {
            x->change = x->r.frac / r0->r.frac;
            x->response = x->r.frac <= (1 - o->response_drop) * r0->r.frac;
        }
        if (nadir >= 0) {
            int rc = vw_patient_rise_p(x, &r[nadir], &x->rise_p);
            if (rc < 0)
                return rc;
            x->rise = x->r.detected == 1 && x->rise_p < o->alpha;
            if (prog < 0 && signal >= 0) {
                if (x->rise) {
                    prog = signal;
                    fired = i;
                }
                signal = -1;
            }
            if (prog < 0 && x->rise && x->rise_p < o->alpha / T)
                signal = i;
        }
        if (nadir < 0 || x->r.frac < r[nadir].r.frac)
            nadir = i;
    }
    for (int i = prog >= 0 ? a : b; i < b; i++) {
        r[i].molecular_progression = r[prog].date;
        r[i].progression_fired = r[fired].date;
        if (p->has_progression)
            r[i].lead_days = (double)(p->progression_date - r[prog].date);
    }
    return 0;
}

int vw_patient_series_run(vw_patient_rows_t *rs, const vw_timeline_t *tl, const vw_patient_series_opt_t *opt)
{
    if (!rs || !tl || !opt || !(opt->response_drop > 0 && opt->response_drop < 1)
        || !(opt->alpha > 0 && opt->alpha < 1))
        return -EINVAL;
    for (int i = 0; i < rs->n; i++) { /* a second run starts afresh */
        vw_patient_row_t *r = &rs->r[i];
        r->baseline = 0;
        r->change = r->lead_days = r->rise_p = NAN;
        r->response = r->rise = -1;
        r->molecular_progression = r->progression_fired = VW_DATE_NONE;
    }
    for (int a = 0, b; a < rs->n; a = b) {
        for (b = a + 1; b < rs->n && !strcmp(rs->r[b].patient, rs->r[a].patient); b++)
            ;
        const vw_patient_t *p = vw_timeline_find_patient(tl, rs->r[a].patient);
        int rc = p ? one_patient(rs->r, a, b, p, opt) : 0;
        if (rc < 0)
            return rc;
    }
    return 0;
}

int vw_patient_series(vw_patient_rows_t *rs, const vw_timeline_t *tl, double response_drop)
{
    vw_patient_series_opt_t o;
    vw_patient_series_opt_init(&o);
    o.response_drop = response_drop;
    return vw_patient_series_run(rs, tl, &o);
}

int vw_patient_lead(vw_leadtime_t *lt, const vw_patient_rows_t *rs)
{
    if (!lt || !rs)
        return -EINVAL;
    for (size_t k = 0; k < lt->n; k++) {
        vw_lead_t *l = &lt->p[k];
        for (int i = 0; i < rs->n; i++) {
            if (strcmp(rs->r[i].patient, l->patient->id) != 0)
                continue;
            l->has_patient_test = 1;
            l->patient_progression = rs->r[i].molecular_progression;
            l->patient_fired = rs->r[i].progression_fired;
            l->patient_lead_days = rs->r[i].lead_days;
            break;
        }
    }
    return 0;
}

const char *vw_patient_rows_unknown(const vw_patient_rows_t *rs, const vw_timeline_t *tl)
{
    for (int i = 0; rs && tl && i < rs->n; i++)
        if (!vw_timeline_find_patient(tl, rs->r[i].patient))
            return rs->r[i].patient;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The table read back                                                 */

enum {
    PC_PATIENT, PC_SAMPLE, PC_DATE, PC_NTARGETS, PC_USED, PC_EXCL, PC_DEPTH, PC_ALT, PC_EXPECTED, PC_FRAC,
    PC_LO, PC_HI, PC_LR, PC_P, PC_DETECTED, PC_LOD, PC_EXCLUDED, PC_INFL, PC_N
};

static const vw_table_col_t patient_cols[PC_N] = {
    {"patient", 1}, {"sample", 1}, {"date", 1}, {"n_targets", 1}, {"loci_used", 1}, {"loci_excluded", 1},
    {"depth", 1}, {"alt_count", 1}, {"expected_alt", 1}, {"fraction", 1}, {"fraction_lo", 1},
    {"fraction_hi", 1}, {"lr", 1}, {"p_value", 1}, {"detected", 1}, {"lod95", 1}, {"excluded", 1},
    {"inflation", 0},
};

/* Parses one row into *r (strings borrowed from f).  Returns -1 or the
 * index of the column that does not parse. */
static int parse_row(char **f, const int *col, vw_patient_row_t *r)
{
    long v[5];
    const int ic[5] = {PC_NTARGETS, PC_USED, PC_EXCL, PC_DEPTH, PC_ALT};
    double *d[7] = {&r->r.expected, &r->r.frac, &r->r.frac_lo, &r->r.frac_hi, &r->r.lr, &r->r.p_value, &r->r.lod95};
    const int dc[7] = {PC_EXPECTED, PC_FRAC, PC_LO, PC_HI, PC_LR, PC_P, PC_LOD};
    memset(r, 0, sizeof(*r));
    r->patient = f[col[PC_PATIENT]];
    r->sample = f[col[PC_SAMPLE]];
    r->excluded = f[col[PC_EXCLUDED]];
    if (!*r->patient)
        return PC_PATIENT;
    if (!*r->sample)
        return PC_SAMPLE;
    if (vw_date_parse(f[col[PC_DATE]], &r->date) < 0)
        return PC_DATE;
    for (int k = 0; k < 5; k++)
        if (vw_table_parse_long(f[col[ic[k]]], 0, k < 3 ? 100000000L : 1000000000000000L, &v[k]) < 0)
            return ic[k];
    r->n_targets = (int)v[0];
    r->r.n_loci = (int)v[1];
    r->r.n_excluded = (int)v[2];
    r->r.depth = v[3];
    r->r.alt = v[4];
    if (r->r.alt > r->r.depth)
        return PC_ALT;
    for (int k = 0; k < 7; k++)
        if (vw_table_parse_double(f[col[dc[k]]], VW_NUM_NA, 0, 1e308, d[k]) < 0)
            return dc[k];
    if (isnan(r->r.expected) || r->r.expected > (double)r->r.depth)
        return PC_EXPECTED; /* the background's mutant fragments are among the fragments */
    r->r.inflation = NAN; /* absent from older tables: the rise test takes 1 */
    if (col[PC_INFL] >= 0 && vw_table_parse_double(f[col[PC_INFL]], VW_NUM_NA, 0, 1e308, &r->r.inflation) < 0)
        return PC_INFL;
    const char *det = f[col[PC_DETECTED]];
    r->r.detected = !strcmp(det, "yes") ? 1 : !strcmp(det, "no") ? 0 : !strcmp(det, "NA") ? -1 : -2;
    if (r->r.detected == -2)
        return PC_DETECTED;
    if (r->r.detected >= 0 && (r->r.depth == 0 || isnan(r->r.frac)))
        return PC_DETECTED; /* a decision needs fragments and a fraction */
    return -1;
}

/* Rows of a patient contiguous, each patient's in date order (stable):
 * the order vw_patient_series_run() needs. */
typedef struct {
    int first;  /* the index of the patient's first row */
    int i;      /* the row's own index */
    vw_patient_row_t row;
} keyed_t;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    if (x->row.date != y->row.date)
        return x->row.date < y->row.date ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int sort_rows(vw_patient_rows_t *rs)
{
    keyed_t *k = malloc(((size_t)rs->n + 1) * sizeof(*k));
    void *first = khash_str2int_init(); /* patient -> its first row (keys borrowed from the rows) */
    if (!k || !first) {
        free(k);
        khash_str2int_destroy(first);
        return -ENOMEM;
    }
    for (int i = 0; i < rs->n; i++) {
        int f = i;
        if (khash_str2int_get(first, rs->r[i].patient, &f) != 0 && khash_str2int_set(first, rs->r[i].patient, i) < 0) {
            free(k);
            khash_str2int_destroy(first);
            return -ENOMEM;
        }
        k[i] = (keyed_t){f, i, rs->r[i]};
    }
    khash_str2int_destroy(first);
    qsort(k, (size_t)rs->n, sizeof(*k), cmp_keyed);
    for (int i = 0; i < rs->n; i++)
        rs->r[i] = k[i].row;
    free(k);
    return 0;
}

/* A sample given twice for one patient: its row index, or -1. */
static int duplicate(const vw_patient_rows_t *rs)
{
    for (int i = 1; i < rs->n; i++)
        if (!strcmp(rs->r[i].patient, rs->r[i - 1].patient) && !strcmp(rs->r[i].sample, rs->r[i - 1].sample))
            return i;
    return -1;
}

int vw_patient_rows_read_tsv(vw_patient_rows_t *rs, const char *path)
{
    vw_table_t *t = NULL;
    int rc, col[PC_N];
    char **f;
    if (!rs || !path)
        return -EINVAL;
    if ((rc = vw_table_open(path, "patient table", &t)) < 0)
        return rc;
    if ((rc = vw_table_header(t, "patient table", patient_cols, PC_N, VW_TABLE_UNKNOWN_IGNORE, col)) < 0)
        goto out;
    while ((rc = vw_table_row(t, &f)) == 1) {
        vw_patient_row_t r;
        int bad = parse_row(f, col, &r);
        if (bad >= 0) {
            vw_table_error(path, vw_table_lineno(t), patient_cols[bad].name, "cannot parse '%s'", f[col[bad]]);
            rc = VW_EPARSE;
            break;
        }
        if ((rc = vw_patient_rows_push(rs, &r)) < 0)
            break;
    }
    if (rc == 0 && (rc = sort_rows(rs)) == 0 && duplicate(rs) >= 0) {
        int d = duplicate(rs);
        vw_table_error(path, 0, "sample", "sample '%s' of patient '%s' is given twice", rs->r[d].sample,
                       rs->r[d].patient);
        rc = VW_EPARSE;
    }
out:
    if (rc == -ENOMEM)
        vw_error_code(rc, "reading '%s'", path);
    vw_table_close(t);
    return rc;
}

int vw_patient_rows_load(const char *path, const vw_timeline_t *tl, vw_patient_rows_t **ret)
{
    if (!path || !tl || !ret)
        return -EINVAL;
    vw_patient_rows_t *rs = vw_patient_rows_init();
    int rc = rs ? vw_patient_rows_read_tsv(rs, path) : -ENOMEM;
    if (rc == -ENOMEM && !rs)
        vw_error_code(rc, "reading '%s'", path);
    const char *unknown = rc == 0 ? vw_patient_rows_unknown(rs, tl) : NULL;
    if (unknown) {
        vw_error("%s: patient '%s' is not in the cohort sheet", path, unknown);
        rc = VW_EINPUT;
    }
    if (rc == 0 && (rc = vw_patient_series(rs, tl, 0.5)) < 0)
        vw_error_code(rc, "%s: the patient-level series", path);
    if (rc < 0) {
        vw_patient_rows_destroy(rs);
        return rc;
    }
    *ret = rs;
    return 0;
}
