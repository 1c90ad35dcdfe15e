/* model.c -- background error model from a panel of normals. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/model.h"
#include "vafwatch/table.h"

void vw_model_opt_init(vw_model_opt_t *opt)
{
    vw_stats_bbfit_opt_init(&opt->fit);
    opt->noisy_frac2 = 0.2;
    opt->noisy_frac1 = 0.75;
    opt->min_depth = 100;
    opt->shrink_n0 = 20;
    opt->rho_rel_min = 0.04;
    opt->shrink = 1;
    opt->scale = 1;
    opt->outlier_p = 1e-6;
}

/* 1 when normal j's count at target i enters the error levels: assessed,
 * deep enough, VAF <= vaf_max, and not above 10 times its expected count
 * plus 5 (e: n mu L; NaN: not known yet). */
static int level_row(const vw_count_t *c, const vw_model_opt_t *opt, double e)
{
    if (!c->assessed || c->depth <= 0 || c->depth < opt->min_depth ||
        (double)c->alt > opt->fit.vaf_max * (double)c->depth)
        return 0;
    return !((double)c->alt > 10.0 * e + 5.0);
}

/* Error level L_j of every normal (docs: vw_model_fit()) into lvl[] and
 * their between-sample variance into *ret_var (0: not scaled, fewer than
 * VW_MODEL_SCALE_MIN_NORMALS normals or fewer than 2 targets); keep[j * ts->n + i] == 0
 * leaves normal j's count at site i out (a variant of that normal).  Returns 0 or -ENOMEM. */
static int normal_levels(const vw_targets_t *ts, vw_sample_counts_t *const *normals, int n,
                         const vw_model_opt_t *opt, const char *keep, double *lvl, double *ret_var)
{
    for (int j = 0; j < n; j++)
        lvl[j] = 1.0;
    *ret_var = 0;
    if (!opt->scale || n < VW_MODEL_SCALE_MIN_NORMALS || ts->n < 2)
        return 0;
    double *mu = malloc((size_t)ts->n * sizeof(double)), *ex = malloc((size_t)n * sizeof(double));
    if (!mu || !ex) {
        free(mu);
        free(ex);
        return -ENOMEM;
    }
    for (int i = 0; i < ts->n; i++)
        mu[i] = NAN;
    for (int it = 0; it < 20; it++) {
        for (int i = 0; i < ts->n; i++) {
            double X = 0, D = 0;
            for (int j = 0; j < n; j++) {
                const vw_count_t *c = &normals[j]->c[i];
                if (keep[(size_t)j * (size_t)ts->n + (size_t)i] && level_row(c, opt, (double)c->depth * mu[i] * lvl[j])) {
                    X += (double)c->alt;
                    D += (double)c->depth * lvl[j];
                }
            }
            mu[i] = D > 0 ? (X + 0.5) / (D + 1.0) : NAN;
        }
        double sum = 0;
        int k = 0;
        for (int j = 0; j < n; j++) {
            double X = 0, E = 0;
            for (int i = 0; i < ts->n; i++) {
                const vw_count_t *c = &normals[j]->c[i];
                double e = (double)c->depth * mu[i];
                if (isfinite(mu[i]) && keep[(size_t)j * (size_t)ts->n + (size_t)i] && level_row(c, opt, e * lvl[j])) {
                    X += (double)c->alt;
                    E += e;
                }
            }
            ex[j] = E; /* a normal with no usable site keeps level 1 */
            lvl[j] = E > 0 ? (X + 0.5) / (E + 0.5) : 1.0;
            sum += E > 0 ? lvl[j] : 0;
            k += E > 0;
        }
        for (int j = 0; j < n && k > 0; j++)
            if (ex[j] > 0)
                lvl[j] *= (double)k / sum;
    }
    /* the spread of the levels less their counting variance L / E */
    double v = 0, cnt = 0;
    int k = 0;
    for (int j = 0; j < n; j++)
        k += ex[j] > 0;
    for (int j = 0; j < n && k >= 3; j++)
        if (ex[j] > 0) {
            v += (lvl[j] - 1.0) * (lvl[j] - 1.0) / (double)(k - 1);
            cnt += lvl[j] / (ex[j] + 0.5) / (double)k;
        }
    *ret_var = k < 3 ? 0 : v - cnt > 1e-3 ? v - cnt : 1e-3;
    free(mu);
    free(ex);
    return 0;
}

/* Substitution class of a site: 0-5 for SNVs, 6 for anything else. */
static int site_class(const vw_model_site_t *s)
{
    int c = vw_sub_class(s->ref, s->alt);
    return c < 0 ? VW_N_SUB : c;
}

/* Mean of the relative over-dispersion rho_site / mu of the sites of class
 * c (c < 0: all sites); NaN with no estimate. */
static double class_rel_rho(const vw_model_t *m, int c, double *buf)
{
    size_t k = 0;
    for (int i = 0; i < m->n; i++)
        if ((c < 0 || site_class(&m->s[i]) == c) && isfinite(m->s[i].rel_rho_site))
            buf[k++] = m->s[i].rel_rho_site;
    if (k < 3)
        return NAN;
    /* the mean, not the median: a moment estimate of a variance is skewed to the
     * right (heavy-tailed rates make it more so), so its median is biased low */
    double sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += buf[i];
    return sum / (double)k;
}

/* Empirical-Bayes shrinkage of every site's mu and rho toward its class. */
static int shrink(vw_model_t *m, const vw_model_opt_t *opt)
{
    double *buf = malloc(((size_t)m->n + 1) * sizeof(double));
    if (!buf)
        return -ENOMEM;
    double r_all = opt->shrink ? class_rel_rho(m, -1, buf) : NAN;
    for (int c = 0; c <= VW_N_SUB; c++) {
        double r_c = opt->shrink ? class_rel_rho(m, c, buf) : NAN;
        if (isnan(r_c))
            r_c = r_all;
        /* the class's pooled rate and the between-site variance of the rates */
        double X = 0, N = 0, mean = 0, var = 0, samp = 0;
        int k = 0;
        for (int i = 0; i < m->n; i++)
            if (site_class(&m->s[i]) == c && m->s[i].depth_total > 0) {
                X += (double)m->s[i].alt_total;
                N += (double)m->s[i].depth_total;
                k++;
            }
        double A = 0;
        if (opt->shrink && k >= 3 && X > 0) {
            double mc = X / N;
            for (int i = 0; i < m->n; i++)
                if (site_class(&m->s[i]) == c && m->s[i].depth_total > 0) {
                    double p = (double)m->s[i].alt_total / (double)m->s[i].depth_total;
                    mean += p / k;
                    var += (p - mc) * (p - mc) / (k - 1);
                    samp += mc * (1 - mc) / (double)m->s[i].depth_total / k;
                }
            double v = var - samp;
            A = v > 0 ? mc * (1 - mc) / v - 1 : 1e7;
            A = A < 0 ? 0 : A > 1e7 ? 1e7 : A;
            for (int i = 0; i < m->n; i++) {
                vw_model_site_t *s = &m->s[i];
                if (site_class(s) == c && s->depth_total > 0)
                    s->mu = ((double)s->alt_total + A * mc) / ((double)s->depth_total + A);
            }
        }
        for (int i = 0; i < m->n; i++) {
            vw_model_site_t *s = &m->s[i];
            if (site_class(s) != c)
                continue;
            double J = isfinite(s->rel_rho_site) ? (double)s->n_normals : 0, r_s = J > 0 ? s->rel_rho_site : 0;
            double r = isnan(r_c) ? (J > 0 ? r_s : opt->rho_rel_min)
                                  : (J * r_s + opt->shrink_n0 * r_c) / (J + opt->shrink_n0);
            if (r < opt->rho_rel_min)
                r = opt->rho_rel_min;
            /* a new sample's rate varies around the true mean, which the panel knows only
             * to a relative variance of about 1/X (counting) + r/J (between normals):
             * the predictive over-dispersion adds it */
            if (opt->shrink && s->n_normals > 0)
                r += 1.0 / ((double)s->alt_total + 0.5) + r / (double)s->n_normals;
            s->rho = r * s->mu;
            if (s->rho > opt->fit.rho_max)
                s->rho = opt->fit.rho_max;
        }
    }
    free(buf);
    return 0;
}

vw_model_t *vw_model_init(void)
{
    vw_model_t *m = calloc(1, sizeof(*m));
    if (!m)
        errno = ENOMEM;
    return m;
}

static void site_free(vw_model_site_t *s)
{
    free(s->chrom); free(s->ref); free(s->alt); free(s->id); free(s->ev_class);
}

void vw_model_destroy(vw_model_t *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++)
        site_free(&m->s[i]);
    for (int i = 0; i < m->n_out; i++)
        free(m->out[i].sample);
    free(m->out);
    free(m->s);
    free(m);
}

static int push(vw_model_t *m, const vw_model_site_t *src)
{
    if (m->n == m->m) {
        int n = m->m ? 2 * m->m : 64;
        vw_model_site_t *t = realloc(m->s, (size_t)n * sizeof(*t));
        if (!t)
            return -ENOMEM;
        m->s = t;
        m->m = n;
    }
    vw_model_site_t *d = &m->s[m->n];
    *d = *src;
    d->chrom = vw_strdup(src->chrom);
    d->ref = vw_strdup(src->ref);
    d->alt = vw_strdup(src->alt);
    d->id = vw_strdup(src->id ? src->id : ".");
    d->ev_class = src->ev_class ? vw_strdup(src->ev_class) : NULL;
    if (!d->chrom || !d->ref || !d->alt || !d->id || (src->ev_class && !d->ev_class)) {
        site_free(d);
        return -ENOMEM;
    }
    m->n++;
    return 0;
}

/* The upper tail of normal q's count at a site against the beta-binomial
 * of the other kept normals (use[] != 0); 1 when it cannot be tested. */
static int outlier_tail(const long *x, const long *dp, const char *use, size_t k, size_t q,
                        const vw_model_opt_t *opt, long *bx, long *bn, double *ret_p)
{
    size_t o = 0;
    for (size_t j = 0; j < k; j++)
        if (use[j] && j != q)
            bx[o] = x[j], bn[o++] = dp[j];
    *ret_p = 1;
    vw_bbfit_opt_t fo = opt->fit;
    fo.rho_min = 0;
    vw_bbfit_t f;
    int r = vw_stats_bbfit(bx, bn, o, &fo, &f);
    if (r == VW_EINPUT || (r == 0 && !((double)x[q] > (double)dp[q] * f.mu)))
        return 0; /* no other normal left, or not above their mean */
    if (r < 0)
        return r;
    double rho = f.rho > opt->rho_rel_min * f.mu ? f.rho : opt->rho_rel_min * f.mu;
    return vw_stats_bb_upper(x[q], dp[q], f.mu, rho, ret_p) < 0 ? VW_ESTATS : 0;
}

/* Leaves a normal's own variant out of a site (vw_model_fit(), outlier_p):
 * clears use[] of each normal left out and records it in m.  Returns 0 or
 * a negative code. */
static int site_outliers(vw_model_t *m, const vw_targets_t *ts, int i, vw_sample_counts_t *const *normals,
                         const int *who, const long *x, const long *dp, char *use, size_t k,
                         const vw_model_opt_t *opt)
{
    if (!(opt->outlier_p > 0) || k < 4)
        return 0;
    long *bx = malloc(k * sizeof(long)), *bn = malloc(k * sizeof(long));
    int rc = bx && bn ? 0 : -ENOMEM;
    for (size_t left = k; rc == 0 && left >= 4; left--) {
        size_t worst = k;
        double pw = 1, p;
        for (size_t q = 0; q < k && rc == 0; q++)
            if (use[q] && !((double)x[q] > opt->fit.vaf_max * (double)dp[q]) /* VAF > vaf_max: left out anyway */
                && (rc = outlier_tail(x, dp, use, k, q, opt, bx, bn, &p)) == 0 && p < pw)
                pw = p, worst = q;
        if (rc < 0 || worst == k || !(pw < opt->outlier_p / (double)left))
            break;
        use[worst] = 0;
        if (m->n_out == m->m_out) {
            int mm = m->m_out ? 2 * m->m_out : 8;
            vw_model_outlier_t *t = realloc(m->out, (size_t)mm * sizeof(*t));
            if (!t) {
                rc = -ENOMEM;
                break;
            }
            m->out = t, m->m_out = mm;
        }
        const vw_sample_counts_t *nj = normals[who[worst]];
        vw_model_outlier_t *o = &m->out[m->n_out];
        if (!(o->sample = vw_strdup(nj->sample ? nj->sample : "."))) {
            rc = -ENOMEM;
            break;
        }
        o->site = i; /* the target, made the site's index by vw_model_fit() */
        o->alt = nj->c[i].alt;
        o->depth = nj->c[i].depth;
        o->p = pw;
        m->n_out++;
        vw_warn("model: normal '%s' left out of the fit of %s (%s:%lld %s>%s): %ld alt of %ld fragments, "
                "p = %.3g against the site's %zu other normals (a variant of that normal: CH or germline?)",
                o->sample, ts->t[i].id, ts->t[i].chrom, (long long)ts->t[i].beg + 1, ts->t[i].ref, ts->t[i].alt,
                o->alt, o->depth, pw, left - 1);
    }
    free(bx);
    free(bn);
    return rc;
}

/* The usable normals of target i into x, dp (depths times lvl; NULL: the
 * unscaled depths), who; the count.  use[] is set from keep (NULL: all). */
static size_t site_rows(const vw_targets_t *ts, int i, vw_sample_counts_t *const *normals, int n, const double *lvl,
                        const char *keep, const vw_model_opt_t *opt, long *x, long *dp, int *who, char *use)
{
    size_t k = 0;
    for (int j = 0; j < n; j++) {
        const vw_count_t *c = &normals[j]->c[i];
        if (!c->assessed || c->depth <= 0 || c->depth < opt->min_depth)
            continue;
        x[k] = (long)c->alt;
        dp[k] = lround((double)c->depth * (lvl ? lvl[j] : 1.0)); /* the depth of a sample of level 1 */
        if (dp[k] < x[k] || dp[k] < 1)
            dp[k] = x[k] > 1 ? (long)x[k] : 1;
        who[k] = j;
        use[k++] = keep ? keep[(size_t)j * (size_t)ts->n + (size_t)i] : 1;
    }
    return k;
}

/* The fit of target i on its usable normals less those keep[] leaves out
 * (a normal's own variant), the noisy flag; pushed into m (nothing when no
 * normal is usable).  x, dp, who, use: scratch of n entries. */
static int fit_site(vw_model_t *m, const vw_targets_t *ts, int i, vw_sample_counts_t *const *normals, int n,
                    const double *lvl, const char *keep, const vw_model_opt_t *opt, long *x, long *dp, int *who,
                    char *use)
{
    size_t k = site_rows(ts, i, normals, n, lvl, keep, opt, x, dp, who, use), u = 0;
    int n_cov = 0, n1 = 0, n2 = 0;
    for (size_t j = 0; j < k; j++)
        if (use[j]) {
            const vw_count_t *c = &normals[who[j]]->c[i];
            x[u] = x[j], dp[u++] = dp[j];
            n_cov++;
            n1 += c->alt >= 1;
            n2 += c->alt >= 2;
        }
    if (u == 0)
        return 0;
    vw_bbfit_t fit;
    vw_bbfit_opt_t fo = opt->fit;
    fo.rho_min = 0; /* the raw estimate: the floor is relative, after shrinkage */
    int r = vw_stats_bbfit(x, dp, u, &fo, &fit);
    if (r == VW_EINPUT) /* every normal looks truly variant here */
        return 0;
    if (r < 0)
        return r;
    vw_model_site_t s = {0};
    s.chrom = normals[0]->chrom ? normals[0]->chrom[i] : ts->t[i].chrom;
    s.pos1 = ts->t[i].beg + 1;
    s.ref = ts->t[i].ref;
    s.alt = ts->t[i].alt;
    s.id = ts->t[i].id;
    s.n_normals = fit.n_used;
    s.depth_total = fit.n_sum;
    s.alt_total = fit.x_sum;
    s.mu = fit.mu;
    s.rho = fit.rho;
    s.rel_rho_site = fit.rho_estimated && fit.mu > 0 ? fit.rho / fit.mu : NAN;
    s.noisy = n2 >= opt->noisy_frac2 * n_cov || n1 >= opt->noisy_frac1 * n_cov;
    return push(m, &s);
}

/* The normals' own variants (opt->outlier_p) on the unscaled counts, before
 * the error levels (a variant would raise its site's pooled rate there):
 * keep[j * ts->n + i] = 0 for each one.  Returns 0 or a negative code. */
static int find_outliers(vw_model_t *m, const vw_targets_t *ts, vw_sample_counts_t *const *normals, int n,
                         const vw_model_opt_t *opt, char *keep, long *x, long *dp, int *who, char *use)
{
    int rc = 0;
    for (int i = 0; i < ts->n && rc == 0; i++) {
        size_t k = site_rows(ts, i, normals, n, NULL, NULL, opt, x, dp, who, use);
        if ((rc = site_outliers(m, ts, i, normals, who, x, dp, use, k, opt)) == 0)
            for (size_t q = 0; q < k; q++)
                if (!use[q])
                    keep[(size_t)who[q] * (size_t)ts->n + (size_t)i] = 0;
    }
    return rc;
}

int vw_model_fit(vw_model_t *m, const vw_targets_t *ts, vw_sample_counts_t *const *normals, int n,
                 const vw_model_opt_t *opt)
{
    vw_model_opt_t d;
    if (!m || !ts || (n > 0 && !normals) || n < 1)
        return -EINVAL;
    if (!opt) {
        vw_model_opt_init(&d);
        opt = &d;
    }
    long *x = malloc((size_t)n * sizeof(long)), *dp = malloc((size_t)n * sizeof(long));
    double *lvl = malloc((size_t)n * sizeof(double));
    int *who = malloc((size_t)n * sizeof(int)), *site_of = malloc(((size_t)ts->n + 1) * sizeof(int));
    char *use = malloc((size_t)n), *keep = malloc((size_t)n * (size_t)ts->n + 1);
    int ret = 0, n_out0 = m->n_out;
    if (!x || !dp || !lvl || !who || !use || !keep || !site_of) {
        ret = -ENOMEM;
        goto out;
    }
    memset(keep, 1, (size_t)n * (size_t)ts->n + 1);
    m->n_normals = n;
    m->build = ts->build;
    if ((ret = find_outliers(m, ts, normals, n, opt, keep, x, dp, who, use)) < 0 ||
        (ret = normal_levels(ts, normals, n, opt, keep, lvl, &m->scale_var)) < 0)
        goto out;
    for (int i = 0; i < ts->n && ret == 0; i++) {
        int before = m->n;
        ret = fit_site(m, ts, i, normals, n, lvl, keep, opt, x, dp, who, use);
        site_of[i] = m->n > before ? before : -1;
    }
    for (int o = n_out0; o < m->n_out && ret == 0; o++)
        m->out[o].site = site_of[m->out[o].site];
    if (ret == 0)
        ret = shrink(m, opt);
out:
    free(site_of);
    free(keep);
    free(x);
    free(dp);
    free(lvl);
    free(who);
    free(use);
    return ret;
}

int vw_model_check(const vw_model_t *m, const vw_targets_t *ts, const char *path)
{
    if (!m || !ts)
        return -EINVAL;
    if (m->build != VW_BUILD_UNKNOWN && ts->build != VW_BUILD_UNKNOWN && m->build != ts->build) {
        vw_error("%s: the model's normals are on %s, the inputs on %s", path, vw_build_name(m->build),
                 vw_build_name(ts->build));
        return VW_EINPUT;
    }
    int shared = 0;
    for (int i = 0; i < ts->n && !shared; i++)
        shared = vw_model_find(m, ts->t[i].chrom, ts->t[i].beg + 1, ts->t[i].ref, ts->t[i].alt) >= 0;
    if (m->n > 0 && !shared) {
        vw_error("%s: the model has no site at any of the %d targets (normals of another panel?)", path, ts->n);
        return VW_EINPUT;
    }
    return 0;
}

#define N_MCOLS 12
static const vw_table_col_t mcols[N_MCOLS] = {
    {"chrom", 1}, {"pos", 1}, {"ref", 1}, {"alt", 1}, {"id", 1}, {"n_normals", 1}, {"depth_total", 1},
    {"alt_total", 1}, {"mu", 1}, {"rho", 1}, {"noisy", 1}, {"class", 0}};

int vw_model_write_tsv(FILE *fp, const vw_model_t *m, const char *const *prov, int n_prov)
{
    fprintf(fp, "##vafwatch_model=%d\n", VW_MODEL_VERSION);
    for (int i = 0; i < n_prov; i++)
        fprintf(fp, "##%s\n", prov[i]);
    fprintf(fp, "##n_normals=%d\n", m->n_normals);
    if (m->build != VW_BUILD_UNKNOWN)
        fprintf(fp, "##build=%s\n", vw_build_name(m->build));
    if (m->scale_var > 0)
        fprintf(fp, "##sample_scale_var=%.10g\n", m->scale_var);
    for (int i = 0; i < m->n_out; i++) {
        const vw_model_outlier_t *o = &m->out[i];
        const vw_model_site_t *s = o->site >= 0 && o->site < m->n ? &m->s[o->site] : NULL;
        fprintf(fp, "##normal_outlier=%s;site=%s;chrom=%s;pos=%lld;alt=%ld;depth=%ld;p=%.3g\n", o->sample,
                s ? s->id : ".", s ? s->chrom : ".", s ? (long long)s->pos1 : 0LL, o->alt, o->depth, o->p);
    }
    int cls = 0; /* the class column: only in a model of several evidence classes (evclass.h) */
    for (int i = 0; i < m->n && !cls; i++)
        cls = m->s[i].ev_class != NULL;
    (void)vw_table_put_header(fp, mcols, N_MCOLS - !cls); /* a stream error is seen below */
    for (int i = 0; i < m->n; i++) {
        const vw_model_site_t *s = &m->s[i];
        fprintf(fp, "%s\t%lld\t%s\t%s\t%s\t%d\t%lld\t%lld\t%.10g\t%.10g\t%s", s->chrom, (long long)s->pos1, s->ref,
                s->alt, s->id, s->n_normals, (long long)s->depth_total, (long long)s->alt_total, s->mu, s->rho,
                s->noisy ? "yes" : "no");
        if (cls)
            fprintf(fp, "\t%s", s->ev_class ? s->ev_class : "NA");
        fputc('\n', fp);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

/* Line 1: '##vafwatch_model=VERSION'.  Returns 0 or VW_EPARSE (logged). */
static int model_version(const char *path, const char *line)
{
    long v;
    if (strncmp(line, "##vafwatch_model=", 17) != 0 || vw_parse_long(line + 17, &v) != 0) {
        vw_error("%s:1: not a vafwatch model file (no '##vafwatch_model=' line)", path);
        return VW_EPARSE;
    }
    if (v != VW_MODEL_VERSION) {
        vw_error("%s:1: model format version %ld, this vafwatch reads version %d", path, v, VW_MODEL_VERSION);
        return VW_EPARSE;
    }
    return 0;
}

/* A '##key=value' line: n_normals and build are read, others ignored.
 * Returns 0 or VW_EPARSE (logged). */
static int model_meta(vw_model_t *m, const char *path, long line, const char *s)
{
    long v;
    if (strncmp(s, "##n_normals=", 12) == 0) {
        if (vw_table_parse_long(s + 12, 1, INT_MAX, &v) != 0) {
            vw_error("%s:%ld: field 'n_normals': invalid value '%s'", path, line, s + 12);
            return VW_EPARSE;
        }
        m->n_normals = (int)v;
    } else if (strncmp(s, "##sample_scale_var=", 19) == 0) {
        if (vw_table_parse_double(s + 19, 0, 0, 1e6, &m->scale_var) != 0) {
            vw_error("%s:%ld: field 'sample_scale_var': invalid value '%s'", path, line, s + 19);
            return VW_EPARSE;
        }
    } else if (strncmp(s, "##build=", 8) == 0) {
        if ((m->build = vw_build_parse(s + 8)) == VW_BUILD_UNKNOWN) {
            vw_error("%s:%ld: field 'build': invalid value '%s'", path, line, s + 8);
            return VW_EPARSE;
        }
    }
    return 0;
}

/* One site row (fields in mcols order, borrowed into *s).  Returns -1 or
 * the column whose value is invalid. */
static int model_row(char **f, vw_model_site_t *s)
{
    long v[4];
    int ic[4] = {1, 5, 6, 7};
    memset(s, 0, sizeof(*s));
    s->chrom = f[0]; s->ref = f[2]; s->alt = f[3]; s->id = f[4];
    for (int i = 0; i < 4; i++)
        if (vw_table_parse_long(f[ic[i]], i == 0 ? 1 : 0, i == 1 ? INT_MAX : LONG_MAX, &v[i]) != 0)
            return ic[i];
    s->pos1 = v[0]; s->n_normals = (int)v[1]; s->depth_total = v[2]; s->alt_total = v[3];
    if (s->alt_total > s->depth_total)
        return 7;
    if (vw_table_parse_double(f[8], 0, 0, 1, &s->mu) != 0 || s->mu >= 1)
        return 8;
    if (vw_table_parse_double(f[9], 0, 0, 1, &s->rho) != 0 || s->rho >= 1)
        return 9;
    if (!strcmp(f[10], "yes")) s->noisy = 1;
    else if (!strcmp(f[10], "no")) s->noisy = 0;
    else return 10;
    if (!*s->ref || strspn(s->ref, "ACGTN") != strlen(s->ref))
        return 2;
    if (!*s->alt || strspn(s->alt, "ACGTN") != strlen(s->alt))
        return 3;
    int u, mf, dx;
    if (f[11] && vw_evclass_parse(f[11], &u, &mf, &dx) != 0)
        return 11;
    s->ev_class = f[11];
    return -1;
}

/* Reads line 1 and the '##' lines up to the header, then the header.
 * Returns 0 or a negative code (logged). */
static int model_head(vw_model_t *m, vw_table_t *t, int *col)
{
    const char *path = vw_table_path(t);
    char *line;
    int ret;
    while ((ret = vw_table_next_line(t, &line)) == 1) {
        long ln = vw_table_lineno(t);
        if (ln == 1) {
            if ((ret = model_version(path, line)) < 0)
                return ret;
        } else if (strncmp(line, "##", 2) == 0) {
            if ((ret = model_meta(m, path, ln, line)) < 0)
                return ret;
        } else if (line[0] != '\0') {
            return vw_table_header_parse(t, line, mcols, N_MCOLS, VW_TABLE_UNKNOWN_REFUSE, col);
        }
    }
    if (ret == 0) {
        vw_error("%s: %s", path, vw_table_lineno(t) == 0 ? "empty model file" : "model file without a header line");
        ret = VW_EPARSE;
    }
    return ret;
}

int vw_model_read_tsv(vw_model_t *m, const char *path)
{
    vw_table_t *t = NULL;
    char **f, *comment, *g[N_MCOLS];
    int col[N_MCOLS], ret;
    if (!m || !path)
        return -EINVAL;
    if ((ret = vw_table_open(path, "model file", &t)) < 0)
        return ret;
    if ((ret = model_head(m, t, col)) < 0)
        goto out;
    while ((ret = vw_table_next(t, &f, &comment)) > 0) {
        if (ret == VW_TABLE_COMMENT) {
            if (strncmp(comment, "##", 2) == 0 && (ret = model_meta(m, path, vw_table_lineno(t), comment)) < 0)
                break;
            continue;
        }
        for (int k = 0; k < N_MCOLS; k++)
            g[k] = col[k] >= 0 ? f[col[k]] : NULL;
        vw_model_site_t s;
        int bad = model_row(g, &s);
        if (bad >= 0) {
            vw_table_error(path, vw_table_lineno(t), mcols[bad].name, "invalid value '%s'", g[bad]);
            ret = VW_EPARSE;
            break;
        }
        if ((ret = push(m, &s)) < 0)
            break;
    }
out:
    vw_table_close(t);
    return ret;
}

int vw_model_find(const vw_model_t *m, const char *chrom, int64_t pos1, const char *ref, const char *alt)
{
    if (!m)
        return -1;
    for (int i = 0; i < m->n; i++) {
        const vw_model_site_t *s = &m->s[i];
        if (s->pos1 == pos1 && !strcmp(s->ref, ref) && !strcmp(s->alt, alt) && vw_contig_match(s->chrom, chrom))
            return i;
    }
    return -1;
}
