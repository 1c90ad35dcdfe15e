/* patient.c -- the patient-level test of tumour-informed monitoring
 * (patient.h; docs/calling.md, "Tumour-informed monitoring"). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/call.h"
#include "vafwatch/patient.h"
#include "vafwatch/table.h"
#include "vafwatch/stats.h"
#include "vafwatch/timeline.h"

/* chi2_1 quantile at 0.95: the profile-likelihood drop of a 95 % interval */
#define CHI2_1_95 3.841458820694124
#define N_ITER 200
/* relative precision of f^, its interval and the LoD (bisections) */
#define TOL 1e-11

void vw_patient_opt_init(vw_patient_opt_t *opt)
{
    opt->alpha = 0.05;
    opt->exclude = VW_FLAG_GERMLINE | VW_FLAG_NOISY_SITE | VW_FLAG_STRAND_BIAS;
}

static int usable(const vw_patient_locus_t *l)
{
    return l->assessed && l->depth > 0;
}

int vw_patient_loglik(const vw_patient_locus_t *loci, int n, double f, double *ret_l)
{
    if ((!loci && n > 0) || n < 0 || !ret_l || !(f >= 0 && f <= 1))
        return -EINVAL;
    double s = 0;
    for (int i = 0; i < n; i++) {
        const vw_patient_locus_t *l = &loci[i];
        if (!usable(l))
            continue;
        double p = l->mu + f * (1 - l->mu), lp;
        if (p > 1)
            p = 1;
        if (l->rho == 0) { /* binomial without the constant C(n, x) */
            double x = (double)l->alt, m = (double)(l->depth - l->alt);
            lp = (x > 0 ? x * log(p) : 0) + (m > 0 ? m * log1p(-p) : 0);
        } else {
            int r = vw_stats_bb_logpmf((long)l->alt, (long)l->depth, p, l->rho, &lp);
            if (r < 0)
                return r;
        }
        s += lp;
    }
    *ret_l = s;
    return 0;
}

/* l(f) with the error folded into a flag (the arguments were checked). */
static double ll(const vw_patient_locus_t *loci, int n, double f, int *err)
{
    double v = -INFINITY;
    int r = vw_patient_loglik(loci, n, f, &v);
    if (r < 0 && !*err)
        *err = r;
    return v;
}

/* dl/df at f (the arguments were checked); 0 < p_i < 1 is kept. */
static double score(const vw_patient_locus_t *loci, int n, double f, int *err)
{
    double s = 0, d;
    for (int i = 0; i < n; i++) {
        const vw_patient_locus_t *l = &loci[i];
        double p = l->mu + f * (1 - l->mu);
        if (p <= 0)
            p = DBL_MIN;
        if (p >= 1)
            p = 1 - DBL_EPSILON;
        int r = vw_stats_bb_score((long)l->alt, (long)l->depth, p, l->rho, &d);
        if (r < 0) {
            if (!*err)
                *err = r;
            return 0;
        }
        s += (1 - l->mu) * d;
    }
    return s;
}

/* The f in [a, b] where l(f) = target, l decreasing from a to b (bisection). */
static double cross(const vw_patient_locus_t *loci, int n, double a, double b, double target, int *err)
{
    for (int it = 0; it < N_ITER && b - a > TOL * b; it++) {
        double m = 0.5 * (a + b);
        if (ll(loci, n, m, err) > target)
            a = m;
        else
            b = m;
    }
    return 0.5 * (a + b);
}

/* Pearson dispersion of the loci around the fit at f: the mean of
 * (x_i - n_i p_i)^2 / (n_i p_i (1 - p_i) (1 + (n_i - 1) r_i)) over m - 1
 * degrees of freedom, at least 1 (1 with one locus). */
static double dispersion(const vw_patient_locus_t *loci, int n, double f)
{
    if (n < 2)
        return 1;
    double x2 = 0;
    for (int i = 0; i < n; i++) {
        const vw_patient_locus_t *l = &loci[i];
        double p = l->mu + f * (1 - l->mu), nn = (double)l->depth;
        double v = nn * p * (1 - p) * (1 + (nn - 1) * l->rho);
        double e = (double)l->alt - nn * p;
        if (v > 0)
            x2 += e * e / v;
    }
    double d = x2 / (n - 1);
    return d > 1 ? d : 1;
}

/* The variance of the pooled count over its Poisson variance at f:
 * D sum_i n_i p_i (1 - p_i) (1 + (n_i - 1) r_i) / sum_i n_i p_i (1 when
 * the loci expect no mutant fragment). */
static double inflation(const vw_patient_locus_t *loci, int n, double f, double d)
{
    double v = 0, e = 0;
    for (int i = 0; i < n; i++) {
        const vw_patient_locus_t *l = &loci[i];
        double p = l->mu + f * (1 - l->mu), nn = (double)l->depth;
        v += nn * p * (1 - p) * (1 + (nn - 1) * l->rho);
        e += nn * p;
    }
    return e > 0 && v > 0 ? d * v / e : 1;
}

/* P(S >= s) for S = sum X_i, X_i ~ BB(n_i, mu_i, r_i): the "exact
 * aggregate".  Up to EXACT_MAX the distribution of S below s is convolved
 * from each locus's pmf (cut above its mean where the remaining tail, or
 * the term, is below 1e-16);
 * above, the normal approximation with the same mean and variance and a
 * continuity correction. */
#define EXACT_MAX 2000
static int aggregate_upper(const vw_patient_locus_t *loci, int n, long s, double *ret)
{
    double mean = 0, var = 0;
    for (int i = 0; i < n; i++) {
        double nn = (double)loci[i].depth, mu = loci[i].mu;
        mean += nn * mu;
        var += nn * mu * (1 - mu) * (1 + (nn - 1) * loci[i].rho);
    }
    if (s <= 0) {
        *ret = 1;
        return 0;
    }
    if (s > EXACT_MAX) {
        *ret = var > 0 ? 0.5 * erfc((s - 0.5 - mean) / sqrt(2 * var)) : (s > mean ? 0 : 1);
        return 0;
    }
    double *dist = calloc((size_t)s, sizeof(double)), *next = calloc((size_t)s, sizeof(double));
    double *pmf = malloc((size_t)s * sizeof(double));
    int r = 0;
    if (!dist || !next || !pmf) {
        r = -ENOMEM;
        goto out;
    }
    dist[0] = 1;
    long top = 0; /* dist[k] = 0 above top */
    for (int i = 0; i < n; i++) {
        const vw_patient_locus_t *l = &loci[i];
        long kmax = 0;
        double cum = 0;
        for (long k = 0; k < s && k <= (long)l->depth; k++) {
            double lp;
            if ((r = vw_stats_bb_logpmf(k, (long)l->depth, l->mu, l->rho, &lp)) < 0)
                goto out;
            pmf[k] = exp(lp);
            cum += pmf[k];
            kmax = k;
            if ((1 - cum < 1e-16 || pmf[k] < 1e-16 * cum) && (double)k > (double)l->depth * l->mu)
                break;
        }
        long ntop = top + kmax < s - 1 ? top + kmax : s - 1;
        memset(next, 0, (size_t)(ntop + 1) * sizeof(double));
        for (long a = 0; a <= top; a++) {
            if (dist[a] == 0)
                continue;
            for (long k = 0; k <= kmax && a + k <= ntop; k++)
                next[a + k] += dist[a] * pmf[k];
        }
        double *t = dist; dist = next; next = t;
        top = ntop;
    }
    double below = 0;
    for (long k = 0; k <= top; k++)
        below += dist[k];
    *ret = below >= 1 ? 0 : 1 - below;
out:
    free(dist);
    free(next);
    free(pmf);
    return r;
}

/* Patient-level LoD95 of the pooled count (patient.h). */
static int pooled_lod(const vw_patient_locus_t *loci, int n, double alpha, double *ret)
{
    double lam0 = 0, depth = 0, p;
    int r;
    for (int i = 0; i < n; i++)
        if (usable(&loci[i])) {
            lam0 += (double)loci[i].depth * loci[i].mu;
            depth += (double)loci[i].depth;
        }
    /* s*: the smallest total with P(Pois(lam0) >= s*) < alpha */
    long s = (long)floor(lam0);
    if ((r = vw_stats_poisson_upper(s, lam0, &p)) < 0)
        return r;
    if (p < alpha) {
        while (s > 0) {
            if ((r = vw_stats_poisson_upper(s - 1, lam0, &p)) < 0)
                return r;
            if (p >= alpha)
                break;
            s--;
        }
    } else {
        do {
            s++;
            if ((r = vw_stats_poisson_upper(s, lam0, &p)) < 0)
                return r;
        } while (p >= alpha);
    }
    /* lambda95: P(Pois(lambda95) >= s) = 0.95, increasing in lambda */
    double lo = lam0, hi = lam0 + 10.0 + 4.0 * (double)s;
    for (int it = 0; it < N_ITER && hi - lo > TOL * hi; it++) {
        double m = 0.5 * (lo + hi);
        if ((r = vw_stats_poisson_upper(s, m, &p)) < 0)
            return r;
        if (p >= 0.95)
            hi = m;
        else
            lo = m;
    }
    double f = (hi - lam0) / (depth - lam0);
    *ret = f > 1 ? 1 : f;
    return 0;
}

int vw_patient_test(const vw_patient_opt_t *opt, const vw_patient_locus_t *loci, int n, uint8_t *excluded,
                    vw_patient_res_t *ret)
{
    if (!opt || (!loci && n > 0) || n < 0 || !ret || !(opt->alpha > 0 && opt->alpha < 1))
        return -EINVAL;
    for (int i = 0; i < n; i++)
        if (!(loci[i].mu >= 0 && loci[i].mu < 1) || !(loci[i].rho >= 0 && loci[i].rho < 1) || loci[i].alt < 0
            || loci[i].alt > loci[i].depth || !(loci[i].bg_n >= 0))
            return -EINVAL;
    vw_patient_res_t res;
    memset(&res, 0, sizeof(res));
    res.lr = res.p_value = res.frac = res.frac_lo = res.frac_hi = res.lod95 = res.inflation = NAN;
    res.detected = -1;
    vw_patient_locus_t *use = malloc(((size_t)n + 1) * sizeof(*use));
    if (!use)
        return -ENOMEM;
    int m = 0, err = 0;
    double xmax = 0;
    for (int i = 0; i < n; i++) {
        int ex = usable(&loci[i]) && (loci[i].flags & opt->exclude);
        if (excluded)
            excluded[i] = (uint8_t)ex;
        if (ex)
            res.n_excluded++;
        if (ex || !usable(&loci[i]))
            continue;
        use[m] = loci[i];
        if (loci[i].bg_n > 0) /* the background's own uncertainty */
            use[m].rho = fmin(0.5, use[m].rho + 1 / (loci[i].bg_n + 1));
        m++;
        res.depth += loci[i].depth;
        res.alt += loci[i].alt;
        res.expected += (double)loci[i].depth * loci[i].mu;
        double v = ((double)loci[i].alt + 1) / (double)loci[i].depth;
        if (v > xmax)
            xmax = v;
    }
    res.n_loci = m;
    if (m > 0) {
        /* f^: the root of the score dl/df = sum (1 - mu_i) dlog/dp_i, which
         * decreases in f (l is concave for binomial loci); no locus pulls
         * p_i above (x_i + 1) / n_i. */
        double a = 0, b = xmax > 1 ? 1 : xmax;
        if (score(use, m, 0, &err) <= 0) {
            b = 0;
        } else {
            for (int it = 0; it < N_ITER && b - a > TOL * b; it++) {
                double mid = 0.5 * (a + b);
                if (score(use, m, mid, &err) > 0)
                    a = mid;
                else
                    b = mid;
            }
        }
        double fh = 0.5 * (a + b);
        double l0 = ll(use, m, 0, &err), lh = ll(use, m, fh, &err);
        if (l0 >= lh) {
            fh = 0;
            lh = l0;
        }
        res.frac = fh;
        res.dispersion = dispersion(use, m, fh);
        res.inflation = inflation(use, m, fh, res.dispersion);
        res.lr = 2 * (lh - l0) / res.dispersion;
        if (res.lr < 0)
            res.lr = 0;
        /* p: the exact aggregate of the mutant count over the loci; where
         * it is below 1e-9 (beyond the precision of 1 - P(S < s)) the
         * likelihood ratio's p, capped there */
        double p_lr = fh > 0 && res.lr > 0 ? 0.5 * erfc(sqrt(res.lr / 2)) : 1.0;
        if (p_lr < 1e-12) /* far beyond any level: not worth the convolution */
            res.p_value = p_lr;
        else if (!err)
            err = aggregate_upper(use, m, (long)res.alt, &res.p_value);
        if (!err && res.p_value < 1e-9)
            res.p_value = fmin(p_lr, 1e-9);
        res.detected = res.p_value < opt->alpha;
        double target = lh - res.dispersion * CHI2_1_95 / 2;
        /* the lower bound: l increases on [0, f^] */
        res.frac_lo = 0;
        if (l0 < target) {
            double lo = 0, hi = fh;
            for (int it = 0; it < N_ITER && hi - lo > TOL * hi; it++) {
                double mid = 0.5 * (lo + hi);
                if (ll(use, m, mid, &err) < target)
                    lo = mid;
                else
                    hi = mid;
            }
            res.frac_lo = 0.5 * (lo + hi);
        }
        res.frac_hi = ll(use, m, 1, &err) >= target ? 1 : cross(use, m, fh, 1, target, &err);
        if (!err)
            err = pooled_lod(use, m, opt->alpha, &res.lod95);
    }
    free(use);
    if (err)
        return err;
    *ret = res;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The table                                                           */

vw_patient_rows_t *vw_patient_rows_init(void)
{
    return calloc(1, sizeof(vw_patient_rows_t));
}

static void row_free(vw_patient_row_t *r)
{
    free(r->patient);
    free(r->sample);
    free(r->excluded);
}

void vw_patient_rows_destroy(vw_patient_rows_t *rs)
{
    if (!rs)
        return;
    for (int i = 0; i < rs->n; i++)
        row_free(&rs->r[i]);
    free(rs->r);
    free(rs);
}

int vw_patient_rows_push(vw_patient_rows_t *rs, const vw_patient_row_t *row)
{
    if (!rs || !row || !row->patient || !row->sample)
        return -EINVAL;
    if (rs->n == rs->m) {
        int m = rs->m ? 2 * rs->m : 16;
        vw_patient_row_t *t = realloc(rs->r, (size_t)m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        rs->r = t;
        rs->m = m;
    }
    vw_patient_row_t *r = &rs->r[rs->n];
    *r = *row;
    r->patient = vw_strdup(row->patient);
    r->sample = vw_strdup(row->sample);
    r->excluded = vw_strdup(row->excluded && *row->excluded ? row->excluded : ".");
    r->baseline = 0;
    r->change = r->lead_days = r->rise_p = NAN;
    r->response = r->rise = -1;
    r->molecular_progression = r->progression_fired = VW_DATE_NONE;
    if (!r->patient || !r->sample || !r->excluded) {
        row_free(r);
        return -ENOMEM;
    }
    rs->n++;
    return 0;
}

static void num(FILE *fp, double v, const char *fmt)
{
    fputc('\t', fp);
    vw_table_put_num(fp, v, fmt);
}

int vw_patient_write_tsv(FILE *fp, const vw_patient_rows_t *rs)
{
    char d[VW_DATE_BUFSZ];
    fputs("#patient\tsample\tdate\tn_targets\tloci_used\tloci_excluded\tdepth\talt_count\texpected_alt"
          "\tfraction\tfraction_lo\tfraction_hi\tlr\tp_value\tdetected\tlod95\texcluded\tbaseline\tchange"
          "\tresponse\trise\tmolecular_progression\tlead_time_days\tinflation\trise_p\tprogression_confirmed\n", fp);
    for (int i = 0; i < rs->n; i++) {
        const vw_patient_row_t *r = &rs->r[i];
        vw_date_format(r->date, d);
        fprintf(fp, "%s\t%s\t%s\t%d\t%d\t%d\t%lld\t%lld", r->patient, r->sample, d, r->n_targets, r->r.n_loci,
                r->r.n_excluded, (long long)r->r.depth, (long long)r->r.alt);
        num(fp, r->r.expected, "%.4g");
        num(fp, r->r.frac, "%.6g");
        num(fp, r->r.frac_lo, "%.6g");
        num(fp, r->r.frac_hi, "%.6g");
        num(fp, r->r.lr, "%.4g");
        num(fp, r->r.p_value, "%.4g");
        fprintf(fp, "\t%s", r->r.detected > 0 ? "yes" : r->r.detected == 0 ? "no" : "NA");
        num(fp, r->r.lod95, "%.6g");
        fprintf(fp, "\t%s\t%s", r->excluded ? r->excluded : ".", r->baseline ? "yes" : "no");
        num(fp, r->change, "%.4g");
        fprintf(fp, "\t%s\t%s", r->response > 0 ? "yes" : r->response == 0 ? "no" : "NA",
                r->rise > 0 ? "yes" : r->rise == 0 ? "no" : "NA");
        vw_date_format(r->molecular_progression, d);
        fprintf(fp, "\t%s", d);
        num(fp, r->lead_days, "%.0f");
        num(fp, r->r.inflation, "%.6g");
        num(fp, r->rise_p, "%.4g");
        vw_date_format(r->progression_fired, d);
        fprintf(fp, "\t%s\n", d);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_patient_write_json(FILE *fp, const vw_patient_rows_t *rs, const char *command)
{
    char d[VW_DATE_BUFSZ];
    fputs("{\n  \"command\": ", fp);
    vw_json_str(fp, command ? command : "");
    fputs(",\n  \"patient_tests\": [", fp);
    for (int i = 0; i < rs->n; i++) {
        const vw_patient_row_t *r = &rs->r[i];
        fputs(i ? ",\n    {\"patient\": " : "\n    {\"patient\": ", fp);
        vw_json_str(fp, r->patient);
        fputs(", \"sample\": ", fp);
        vw_json_str(fp, r->sample);
        vw_date_format(r->date, d);
        fprintf(fp, ", \"date\": \"%s\", \"n_targets\": %d, \"loci_used\": %d, \"loci_excluded\": %d"
                    ", \"depth\": %lld, \"alt_count\": %lld", d, r->n_targets, r->r.n_loci, r->r.n_excluded,
                (long long)r->r.depth, (long long)r->r.alt);
        vw_json_num_field(fp, "expected_alt", r->r.expected, "%.4g");
        vw_json_num_field(fp, "fraction", r->r.frac, "%.6g");
        vw_json_num_field(fp, "fraction_lo", r->r.frac_lo, "%.6g");
        vw_json_num_field(fp, "fraction_hi", r->r.frac_hi, "%.6g");
        vw_json_num_field(fp, "lr", r->r.lr, "%.4g");
        vw_json_num_field(fp, "p_value", r->r.p_value, "%.4g");
        fprintf(fp, ", \"detected\": %s", r->r.detected > 0 ? "true" : r->r.detected == 0 ? "false" : "null");
        vw_json_num_field(fp, "lod95", r->r.lod95, "%.6g");
        fputs(", \"excluded\": ", fp);
        vw_json_str(fp, r->excluded ? r->excluded : ".");
        fprintf(fp, ", \"baseline\": %s", r->baseline ? "true" : "false");
        vw_json_num_field(fp, "change", r->change, "%.4g");
        fprintf(fp, ", \"response\": %s, \"rise\": %s", r->response > 0 ? "true" : r->response == 0 ? "false" : "null",
                r->rise > 0 ? "true" : r->rise == 0 ? "false" : "null");
        if (r->molecular_progression == VW_DATE_NONE) {
            fputs(", \"molecular_progression\": null", fp);
        } else {
            vw_date_format(r->molecular_progression, d);
            fprintf(fp, ", \"molecular_progression\": \"%s\"", d);
        }
        vw_json_num_field(fp, "lead_time_days", r->lead_days, "%.0f");
        vw_json_num_field(fp, "inflation", r->r.inflation, "%.6g");
        vw_json_num_field(fp, "rise_p", r->rise_p, "%.4g");
        if (r->progression_fired == VW_DATE_NONE) {
            fputs(", \"progression_confirmed\": null", fp);
        } else {
            vw_date_format(r->progression_fired, d);
            fprintf(fp, ", \"progression_confirmed\": \"%s\"", d);
        }
        fputc('}', fp);
    }
    fputs("\n  ]\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
