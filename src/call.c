/* call.c -- per-draw decisions: p-value against the background, multiple
 * testing across the targets of a sample, VAF interval, LoD95, flags. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/call.h"
#include "vafwatch/stats.h"
#include "vafwatch/therapy.h"

/* weight, in flank positions, of the mean of a sample's classes in the
 * shrinkage of one class's relative over-dispersion (self background) */
#define VW_SELF_SHRINK_N0 120.0

void vw_call_opt_init(vw_call_opt_t *opt)
{
    opt->alpha = 0.05;
    opt->adjust = VW_ADJ_HOLM;
    opt->ci = VW_CI_CP;
    opt->min_depth = 100;
    opt->bg_floor = 1e-4;
    opt->germ_lo = 0.35;
    opt->germ_hi = 0.65;
    opt->germ_homo = 0.9;
    opt->germ_min_depth = 20;
    opt->strand_p = 0.001;
    opt->strand_min_alt = 5;
    opt->discordant_frac = 0.05;
    opt->veto = VW_FLAG_STRAND_BIAS | VW_FLAG_LOW_ALT_BQ;
    opt->min_alt_bq = 25;
    opt->n_known = 0;
    opt->therapy_map = NULL;
    opt->n_therapy = 0;
    opt->off_share = 0.1;
    opt->ev_class = NULL;
}

/* Weights of the m discovery tests idx[] (sum m): therapy-relevant targets
 * share 1 - off_share of alpha, the others off_share; 1 each when the
 * sample has no therapy class or either group is empty.  Returns 1 when
 * weighted. */
static int therapy_weights(const vw_call_opt_t *opt, const vw_targets_t *ts, const int *idx, size_t m, double *w)
{
    size_t n_rel = 0;
    for (size_t k = 0; k < m; k++) {
        int rel = 0;
        for (int c = 0; c < opt->n_therapy && !rel && opt->therapy_map; c++)
            rel = vw_therapy_relevant(opt->therapy_map, opt->therapy[c], &ts->t[idx[k]]);
        w[k] = rel;
        n_rel += (size_t)rel;
    }
    int on = n_rel > 0 && n_rel < m && opt->off_share > 0 && opt->off_share < 1;
    for (size_t k = 0; k < m; k++)
        w[k] = !on ? 1.0 : w[k] > 0 ? (1 - opt->off_share) * (double)m / (double)n_rel
                                    : opt->off_share * (double)m / (double)(m - n_rel);
    return on;
}

int vw_call_is_known(const vw_call_opt_t *opt, const char *sample, const char *id)
{
    if (!opt || !id)
        return 0;
    size_t ls = sample ? strlen(sample) : 0;
    for (int i = 0; i < opt->n_known; i++) {
        const char *k = opt->known[i], *eq = strchr(k, '=');
        if (!eq) {
            if (strcmp(k, id) == 0)
                return 1;
        } else if (sample && (size_t)(eq - k) == ls && strncmp(k, sample, ls) == 0 && strcmp(eq + 1, id) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Relative over-dispersion rho / mu of class cl from the flank moments
 * (NaN when not estimable); *ret_j its positions. */
static double self_rel_rho(const vw_selfbg_t *sb, int cl, double *ret_j)
{
    double rho, mu = (double)sb->x[cl] / (double)sb->n[cl];
    *ret_j = (double)sb->j[cl];
    if (sb->n[cl] < 1000 || vw_stats_bb_rho_moments((long)sb->j[cl], (double)sb->x[cl], (double)sb->n[cl],
                                                    sb->sxx[cl], sb->snn[cl], 1.0, &rho) != 0)
        return NAN;
    return rho / mu;
}

vw_bg_t vw_call_bg_self(const vw_selfbg_t *sb, const char *ref, const char *alt, double floor)
{
    vw_bg_t bg = {floor, 0.0, VW_BG_DEFAULT, 0, 1, 0, 0.0};
    int cl = vw_sub_class(ref, alt);
    if (!sb || cl < 0 || sb->n[cl] < 1000)
        return bg;
    double mu = ((double)sb->x[cl] + 0.5) / ((double)sb->n[cl] + 1.0);
    bg.mu = mu > floor ? mu : floor;
    bg.source = VW_BG_SELF;
    if (!sb->have_disp)
        return bg;
    /* the class's estimate rests on ~40 positions and varies several-fold from
     * sample to sample: shrink it toward the mean of the sample's classes
     * (weights: positions), then add the uncertainty of the class mean (a new
     * site: 1 / J of the between-site variance; counting: 1 / x) */
    double jc, r_c = self_rel_rho(sb, cl, &jc), sum = 0, wsum = 0;
    for (int c = 0; c < VW_N_SUB; c++) {
        double j, r = self_rel_rho(sb, c, &j);
        if (isfinite(r)) {
            sum += j * r;
            wsum += j;
        }
    }
    if (!isfinite(r_c) || !(wsum > 0))
        return bg;
    double r = (jc * r_c + VW_SELF_SHRINK_N0 * (sum / wsum)) / (jc + VW_SELF_SHRINK_N0);
    r = r * (1.0 + 1.0 / jc) + 1.0 / ((double)sb->x[cl] + 0.5);
    bg.rho = r * bg.mu < 0.1 ? r * bg.mu : 0.1;
    bg.rho_unknown = 0;
    return bg;
}

int vw_call_strand_p(int64_t alt_fwd, int64_t alt_rev, int64_t ref_fwd, int64_t ref_rev, double *ret_p)
{
    if (alt_fwd < 0 || alt_rev < 0 || ref_fwd < 0 || ref_rev < 0 || !ret_p)
        return -EINVAL;
    long n = (long)(alt_fwd + alt_rev);
    if (n == 0) {
        *ret_p = 1.0;
        return 0;
    }
    double p0 = ((double)ref_fwd + 0.5) / ((double)(ref_fwd + ref_rev) + 1.0), lo, hi;
    int r = vw_stats_binom_lower((long)alt_fwd, n, p0, &lo);
    if (r == 0)
        r = vw_stats_binom_upper((long)alt_fwd, n, p0, &hi);
    if (r < 0)
        return r;
    double p = 2.0 * (lo < hi ? lo : hi);
    *ret_p = p < 1.0 ? p : 1.0;
    return 0;
}

/* 1 when target j of the sample informs its error level: a scaled model
 * site, assessed, not a known clone, and not itself an outlier (VAF above
 * 0.1, or more than 10 times the expected count plus 5: a real variant). */
static int level_site(const vw_targets_t *ts, const vw_sample_counts_t *s, const unsigned char *known,
                      const vw_bg_t *bg, int j)
{
    const vw_count_t *c = &s->c[j];
    if (!(bg[j].scale_var > 0) || !c->assessed || c->depth <= 0 || (known && known[j]) || ts->t[j].known)
        return 0;
    double e = (double)c->depth * bg[j].mu;
    return (double)c->alt <= 0.1 * (double)c->depth && (double)c->alt <= 10.0 * e + 5.0;
}

int vw_call_bg_scale(const vw_targets_t *ts, const vw_sample_counts_t *s, const unsigned char *known, vw_bg_t *bg)
{
    if (!ts || !s || !bg || s->n != ts->n)
        return -EINVAL;
    double X = 0, E = 0;
    for (int j = 0; j < ts->n; j++)
        if (level_site(ts, s, known, bg, j)) {
            X += (double)s->c[j].alt;
            E += (double)s->c[j].depth * bg[j].mu;
        }
    for (int i = 0; i < ts->n; i++) {
        vw_bg_t *b = &bg[i];
        if (!(b->scale_var > 0))
            continue;
        /* leave-one-out: the site's own count never sets its background */
        double xi = X, ei = E;
        if (level_site(ts, s, known, bg, i)) {
            xi -= (double)s->c[i].alt;
            ei -= (double)s->c[i].depth * b->mu;
        }
        /* gamma prior of mean 1 and variance scale_var (the panel's spread of
         * levels), Poisson counts: posterior mean (x + a) / (e + a), relative
         * variance 1 / (x + a), a = 1 / scale_var */
        double a = 1.0 / b->scale_var, lvl = (xi + a) / (ei + a), v = 1.0 / (xi + a);
        double rel = b->mu > 0 ? b->rho / b->mu : 0;
        b->mu = b->mu * lvl < 0.5 ? b->mu * lvl : 0.5;
        rel = rel + v + rel * v;
        b->rho = rel * b->mu < 0.1 ? rel * b->mu : 0.1;
        b->scale_var = 0;
    }
    return 0;
}

int vw_call_sample(const vw_call_opt_t *opt, const vw_targets_t *ts, const vw_sample_counts_t *s,
                   const vw_bg_t *bg, double cfdna_ng_ml, vw_calls_t *out)
{
    return vw_call_sample_known(opt, ts, s, bg, NULL, cfdna_ng_ml, out);
}

int vw_call_sample_known(const vw_call_opt_t *opt, const vw_targets_t *ts, const vw_sample_counts_t *s,
                         const vw_bg_t *bg, const unsigned char *known, double cfdna_ng_ml, vw_calls_t *out)
{
    if (!opt || !ts || !s || !bg || !out || s->n != ts->n || !(opt->alpha > 0 && opt->alpha < 1))
        return -EINVAL;
    int n = ts->n, ret = 0, scale = 0;
    if (n == 0)
        return 0;
    for (int i = 0; i < n; i++)
        scale |= bg[i].scale_var > 0;
    vw_call_t *cs = calloc((size_t)n, sizeof(*cs));
    double *p = malloc((size_t)n * sizeof(double)), *q = malloc((size_t)n * sizeof(double));
    double *w = malloc((size_t)n * sizeof(double));
    int *idx = malloc((size_t)n * sizeof(int));
    vw_bg_t *bs = scale ? malloc((size_t)n * sizeof(*bs)) : NULL;
    size_t m = 0;
    if (!cs || !p || !q || !w || !idx || (scale && !bs)) {
        ret = -ENOMEM;
        goto out;
    }
    if (scale) { /* backgrounds not yet scaled to this sample's error level */
        memcpy(bs, bg, (size_t)n * sizeof(*bs));
        if ((ret = vw_call_bg_scale(ts, s, known, bs)) < 0)
            goto out;
        bg = bs;
    }
    /* pass 1: p-values and everything that does not need the family */
    for (int i = 0; i < n; i++) {
        const vw_target_t *t = &ts->t[i];
        const vw_count_t *c = &s->c[i];
        vw_call_t *r = &cs[i];
        r->sample = s->sample;
        r->chrom = t->chrom; /* one naming for every sample: the targets' (inputs may differ: chr7 / 7) */
        r->pos1 = t->beg + 1;
        r->ref = t->ref; r->alt = t->alt; r->id = t->id;
        r->gene = t->gene; r->protein = t->protein; r->cdna = t->cdna;
        r->vaf = r->vaf_lo = r->vaf_hi = r->p_value = r->q_value = r->lod95 = r->copies_per_ml = NAN;
        r->alt_mean_bq = NAN;
        r->background = bg[i].source;
        r->bg_error = bg[i].mu;
        r->bg_normals = bg[i].source == VW_BG_PON ? bg[i].n_normals : 0;
        r->detected = -1;
        if (bg[i].noisy)
            r->flags |= VW_FLAG_NOISY_SITE;
        if ((known && known[i]) || t->known)
            r->flags |= VW_FLAG_KNOWN;
        if (!c->assessed) {
            r->flags |= VW_FLAG_NOT_ASSESSED;
            continue;
        }
        r->depth = c->depth; r->ref_count = c->ref; r->alt_count = c->alt;
        r->other_count = c->other; r->discordant = c->discordant;
        r->alt_fwd = c->alt_fwd; r->alt_rev = c->alt_rev;
        if (c->depth < opt->min_depth)
            r->flags |= VW_FLAG_LOW_DEPTH;
        if (c->discordant > opt->discordant_frac * (double)(c->depth + c->discordant))
            r->flags |= VW_FLAG_DISCORDANT;
        if (c->depth == 0)
            continue;
        if (bg[i].rho_unknown) /* tested under a binomial that real noise can exceed */
            r->flags |= VW_FLAG_BG_BINOMIAL;
        r->vaf = (double)c->alt / (double)c->depth;
        ret = opt->ci == VW_CI_WILSON ? vw_stats_ci_wilson((long)c->alt, (long)c->depth, 0.95, &r->vaf_lo, &r->vaf_hi)
                                      : vw_stats_ci_cp((long)c->alt, (long)c->depth, 0.95, &r->vaf_lo, &r->vaf_hi);
        if (ret == 0)
            ret = vw_stats_pvalue((long)c->alt, (long)c->depth, bg[i].mu, bg[i].rho, &r->p_value);
        double sp;
        if (ret == 0)
            ret = vw_call_strand_p(c->alt_fwd, c->alt_rev, c->ref_fwd, c->ref_rev, &sp);
        if (ret < 0)
            goto out;
        if (sp < opt->strand_p && c->alt >= opt->strand_min_alt)
            r->flags |= VW_FLAG_STRAND_BIAS;
        /* base qualities are known for SNV/MNV support counted from reads (an indel
         * or a VCF input has none: a sum of 0) */
        r->alt_mean_bq = c->alt > 0 && c->alt_bq_sum > 0 ? (double)c->alt_bq_sum / (double)c->alt : NAN;
        if (r->alt_mean_bq < opt->min_alt_bq)
            r->flags |= VW_FLAG_LOW_ALT_BQ;
        if (c->depth >= opt->germ_min_depth &&
            ((r->vaf >= opt->germ_lo && r->vaf <= opt->germ_hi) || r->vaf > opt->germ_homo))
            r->flags |= VW_FLAG_GERMLINE;
        if (cfdna_ng_ml > 0)
            r->copies_per_ml = r->vaf * cfdna_ng_ml * VW_GE_PER_NG;
        if ((known && known[i]) || t->known) { /* tested on its own, at alpha (t->known: a patient's own) */
            r->q_value = r->p_value;
            r->detected = r->p_value < opt->alpha && !(r->flags & opt->veto);
            if (r->p_value < opt->alpha && (r->flags & opt->veto))
                r->flags |= VW_FLAG_FILTERED;
            if (bg[i].mu < 1.0 &&
                (ret = vw_stats_lod_bb((long)c->depth, bg[i].mu, bg[i].rho, opt->alpha, 1, 0.95, &r->lod95, NULL)) < 0)
                goto out;
            continue;
        }
        p[m] = r->p_value;
        idx[m++] = i;
    }
    int weighted = m > 0 && opt->adjust != VW_ADJ_NONE && therapy_weights(opt, ts, idx, m, w);
    if (m > 0) {
        if (opt->adjust == VW_ADJ_HOLM)
            ret = weighted ? vw_stats_holm_weighted(p, w, m, q) : vw_stats_holm(p, m, q);
        else if (opt->adjust == VW_ADJ_BH) { /* weighted BH: the p / w (Genovese et al. 2006) */
            for (size_t k = 0; k < m && weighted; k++)
                q[k] = p[k] / w[k] < 1 ? p[k] / w[k] : 1;
            ret = vw_stats_bh(weighted ? q : p, m, q);
        } else
            memcpy(q, p, m * sizeof(double));
        if (ret < 0)
            goto out;
    }
    long n_tests = opt->adjust == VW_ADJ_NONE ? 1 : (long)(m > 0 ? m : 1);
    for (size_t k = 0; k < m; k++) {
        vw_call_t *r = &cs[idx[k]];
        const vw_bg_t *b = &bg[idx[k]];
        r->q_value = q[k];
        r->detected = q[k] < opt->alpha && !(r->flags & opt->veto);
        if (q[k] < opt->alpha && (r->flags & opt->veto))
            r->flags |= VW_FLAG_FILTERED;
        if (b->mu < 1.0) {
            /* the strictest per-test level: alpha w / m (alpha / m unweighted) */
            ret = vw_stats_lod_bb((long)r->depth, b->mu, b->rho, weighted ? opt->alpha * w[k] / (double)m : opt->alpha,
                                  weighted ? 1 : n_tests, 0.95, &r->lod95, NULL);
            if (ret < 0)
                goto out;
        }
    }
    for (int i = 0; i < n; i++)
        if ((ret = vw_calls_push(out, &cs[i])) < 0)
            goto out;
out:
    free(cs);
    free(p);
    free(q);
    free(idx);
    free(bs);
    free(w);
    return ret;
}

int vw_calls_write_json(FILE *fp, const vw_calls_t *cs, const char *command)
{
    char fb[160];
    /* format_version: docs/schema/vafwatch-calls.schema.json (2: the class of each call) */
    fputs("{\n  \"format\": \"vafwatch-calls\",\n  \"format_version\": 2,\n  \"command\": ", fp);
    vw_json_str(fp, command ? command : "");
    fputs(",\n  \"calls\": [", fp);
    for (int i = 0; i < cs->n; i++) {
        const vw_call_t *c = &cs->c[i];
        fputs(i ? ",\n    {\"sample\": " : "\n    {\"sample\": ", fp);
        vw_json_str(fp, c->sample);
        fputs(", \"chrom\": ", fp);
        vw_json_str(fp, c->chrom);
        fprintf(fp, ", \"pos\": %lld, \"ref\": \"%s\", \"alt\": \"%s\", \"id\": ", (long long)c->pos1, c->ref, c->alt);
        vw_json_str(fp, c->id);
        fputs(", \"gene\": ", fp);
        vw_json_str(fp, c->gene);
        fputs(", \"protein\": ", fp);
        vw_json_str(fp, c->protein);
        fputs(", \"cdna\": ", fp);
        vw_json_str(fp, c->cdna);
        if (c->flags & VW_FLAG_NOT_ASSESSED) {
            fputs(", \"assessed\": false", fp);
        } else {
            fprintf(fp, ", \"assessed\": true, \"depth\": %lld, \"ref_count\": %lld, \"alt_count\": %lld"
                        ", \"other_count\": %lld, \"discordant\": %lld, \"alt_fwd\": %lld, \"alt_rev\": %lld",
                    (long long)c->depth, (long long)c->ref_count, (long long)c->alt_count,
                    (long long)c->other_count, (long long)c->discordant, (long long)c->alt_fwd,
                    (long long)c->alt_rev);
        }
        vw_json_num_field(fp, "vaf", c->vaf, "%.6g");
        vw_json_num_field(fp, "vaf_lo", c->vaf_lo, "%.6g");
        vw_json_num_field(fp, "vaf_hi", c->vaf_hi, "%.6g");
        vw_json_num_field(fp, "p_value", c->p_value, "%.4g");
        vw_json_num_field(fp, "q_value", c->q_value, "%.4g");
        fprintf(fp, ", \"detected\": %s", c->detected > 0 ? "true" : c->detected == 0 ? "false" : "null");
        vw_json_num_field(fp, "lod95", c->lod95, "%.6g");
        fputs(", \"flags\": ", fp);
        vw_json_str(fp, vw_flags_str(c->flags, fb, sizeof(fb)));
        fprintf(fp, ", \"background\": \"%s\"", vw_bg_source_name(c->background));
        vw_json_num_field(fp, "bg_error", c->bg_error, "%.4g");
        vw_json_num_field(fp, "bg_normals", c->bg_normals > 0 ? (double)c->bg_normals : NAN, "%.0f");
        vw_json_num_field(fp, "copies_per_ml", c->copies_per_ml, "%.4g");
        fprintf(fp, ", \"class\": \"%s\"", c->ev_class ? c->ev_class : "fragment");
        fputc('}', fp);
    }
    fputs("\n  ]\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
