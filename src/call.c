/* call.c -- per-draw decisions: p-value against the background, multiple
 * testing across the targets of a sample, VAF interval, LoD95, flags. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/call.h"
#include "vafwatch/stats.h"

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
    opt->ev_class = NULL;
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

vw_bg_t vw_call_bg_self(const vw_selfbg_t *sb, const char *ref, const char *alt, double floor)
{
    vw_bg_t bg = {floor, 0.0, VW_BG_DEFAULT, 0, 1};
    int cl = vw_sub_class(ref, alt);
    if (!sb || cl < 0 || sb->n[cl] < 1000)
        return bg;
    double mu = ((double)sb->x[cl] + 0.5) / ((double)sb->n[cl] + 1.0), rho;
    bg.mu = mu > floor ? mu : floor;
    bg.source = VW_BG_SELF;
    if (sb->have_disp && vw_stats_bb_rho_moments((long)sb->j[cl], (double)sb->x[cl], (double)sb->n[cl],
                                                 sb->sxx[cl], sb->snn[cl], 0.1, &rho) == 0) {
        bg.rho = rho;
        bg.rho_unknown = 0;
    }
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
    int n = ts->n, ret = 0;
    if (n == 0)
        return 0;
    vw_call_t *cs = calloc((size_t)n, sizeof(*cs));
    double *p = malloc((size_t)n * sizeof(double)), *q = malloc((size_t)n * sizeof(double));
    int *idx = malloc((size_t)n * sizeof(int));
    size_t m = 0;
    if (!cs || !p || !q || !idx) {
        ret = -ENOMEM;
        goto out;
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
    if (m > 0) {
        if (opt->adjust == VW_ADJ_HOLM)
            ret = vw_stats_holm(p, m, q);
        else if (opt->adjust == VW_ADJ_BH)
            ret = vw_stats_bh(p, m, q);
        else
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
            ret = vw_stats_lod_bb((long)r->depth, b->mu, b->rho, opt->alpha, n_tests, 0.95, &r->lod95, NULL);
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
        vw_json_num_field(fp, "copies_per_ml", c->copies_per_ml, "%.4g");
        fprintf(fp, ", \"class\": \"%s\"", c->ev_class ? c->ev_class : "fragment");
        fputc('}', fp);
    }
    fputs("\n  ]\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
