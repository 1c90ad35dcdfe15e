/* leadtime.c -- molecular emergence against radiographic progression
 * (docs/tracking.md, "Lead time"). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/leadtime.h"
#include "vafwatch/stats.h"

static const char *const lead_names[] = {"molecular_first", "radiographic_first", "concordant",
                                         "no_emergence", "censored"};

const char *vw_lead_status_name(vw_lead_status_t s)
{
    return (unsigned)s < 5 ? lead_names[s] : "?";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median spacing of the patient's plasma draws (days); NaN with < 2 draws. */
static double draw_interval(const vw_patient_t *p)
{
    double gaps[p->n_samples + 1];
    size_t n = 0;
    int32_t prev = VW_DATE_NONE;
    for (size_t i = 0; i < p->n_samples; i++) {
        if (p->samples[i].type != VW_SAMPLE_PLASMA)
            continue;
        if (prev != VW_DATE_NONE)
            gaps[n++] = (double)(p->samples[i].date - prev);
        prev = p->samples[i].date;
    }
    if (n == 0)
        return NAN;
    qsort(gaps, n, sizeof(double), cmp_double);
    return n % 2 ? gaps[n / 2] : 0.5 * (gaps[n / 2 - 1] + gaps[n / 2]);
}

static void one_patient(const vw_patient_t *p, const vw_track_t *tr, vw_lead_t *l)
{
    memset(l, 0, sizeof(*l));
    l->patient = p;
    l->first_detection = l->last_negative = l->last_draw = VW_DATE_NONE;
    l->progression = p->has_progression ? p->progression_date : VW_DATE_NONE;
    l->start = p->has_treatment_start ? p->first_treatment_start : VW_DATE_NONE;
    l->lead_days = l->lead_months = l->t_molecular = l->t_radiographic = NAN;
    l->patient_progression = l->patient_fired = VW_DATE_NONE; /* vw_patient_lead() */
    l->patient_lead_days = NAN;
    for (size_t i = 0; i < p->n_samples; i++)
        if (p->samples[i].type == VW_SAMPLE_PLASMA)
            l->last_draw = p->samples[i].date;
    l->draw_interval = draw_interval(p);
    for (size_t i = 0; i < tr->n; i++) {
        const vw_track_series_t *s = &tr->s[i];
        if (s->patient != p || s->status != VW_TRACK_EMERGING)
            continue;
        if (!l->clone || s->first_detection < l->first_detection) {
            l->clone = s;
            l->first_detection = s->first_detection;
            l->last_negative = s->last_negative;
        }
    }
    if (l->clone && p->has_progression) {
        l->lead_days = (double)(l->progression - l->first_detection);
        l->lead_months = vw_date_months(l->lead_days);
        double w = isnan(l->draw_interval) ? 0 : l->draw_interval;
        l->status = fabs(l->lead_days) <= w ? VW_LEAD_CONCORDANT
                  : l->lead_days > 0 ? VW_LEAD_MOLECULAR_FIRST : VW_LEAD_RADIOGRAPHIC_FIRST;
    } else if (p->has_progression) {
        l->status = VW_LEAD_NO_EMERGENCE;
    } else {
        l->status = VW_LEAD_CENSORED;
    }
    if (l->start != VW_DATE_NONE) {
        if (l->clone) {
            l->t_molecular = (double)(l->first_detection - l->start);
            l->molecular_event = 1;
        } else if (l->last_draw != VW_DATE_NONE) {
            l->t_molecular = (double)(l->last_draw - l->start);
        }
        if (p->has_progression) {
            l->t_radiographic = (double)(l->progression - l->start);
            l->radiographic_event = 1;
        } else {
            l->t_radiographic = (double)(p->last_followup - l->start);
        }
        if (l->t_molecular < 0)
            l->t_molecular = NAN; /* cannot enter a survival curve from the start */
        if (l->t_radiographic < 0)
            l->t_radiographic = NAN;
    }
}

static const char *group_of(const vw_lead_t *l)
{
    /* an amplification is its own group ("ERBB2_amplification"), apart from ERBB2 mutations */
    return !l->clone ? "none" : l->clone->kind == VW_KIND_AMPLIFICATION ? l->clone->id : l->clone->gene;
}

static int km_median(const vw_lead_t *p, size_t n, const char *group, int molecular, double *med,
                     double *lo, double *hi)
{
    double t[n + 1];
    int e[n + 1];
    size_t m = 0;
    *med = *lo = *hi = NAN;
    for (size_t i = 0; i < n; i++) {
        if ((group && strcmp(group_of(&p[i]), group) != 0) || p[i].last_draw == VW_DATE_NONE)
            continue;
        double v = molecular ? p[i].t_molecular : p[i].t_radiographic;
        if (isnan(v))
            continue;
        t[m] = v;
        e[m++] = molecular ? p[i].molecular_event : p[i].radiographic_event;
    }
    if (m == 0)
        return 0;
    vw_km_t *km;
    int rc = vw_stats_km(t, e, m, 0.95, &km);
    if (rc < 0)
        return rc;
    *med = km->median;
    *lo = km->median_lo;
    *hi = km->median_hi;
    vw_stats_km_destroy(km);
    return 0;
}

static int fill_group(vw_lead_group_t *g, const vw_lead_t *p, size_t n, const char *group)
{
    double lead[n + 1];
    size_t nl = 0;
    for (size_t i = 0; i < n; i++) {
        if ((group && strcmp(group_of(&p[i]), group) != 0) || p[i].last_draw == VW_DATE_NONE)
            continue; /* a sheet entry without a plasma draw (normals only) is not a patient */
        g->n++;
        g->n_progression += p[i].progression != VW_DATE_NONE;
        g->n_emergence += p[i].clone != NULL;
        g->n_status[p[i].status]++;
        if (!isnan(p[i].lead_days))
            lead[nl++] = p[i].lead_days;
    }
    g->n_both = (int)nl;
    g->lead_median = g->lead_min = g->lead_max = NAN;
    if (nl) {
        qsort(lead, nl, sizeof(double), cmp_double);
        g->lead_min = lead[0];
        g->lead_max = lead[nl - 1];
        int rc = vw_stats_median(lead, nl, &g->lead_median);
        if (rc < 0)
            return rc;
    }
    int rc = km_median(p, n, group, 1, &g->km_mol_median, &g->km_mol_lo, &g->km_mol_hi);
    if (rc == 0)
        rc = km_median(p, n, group, 0, &g->km_rad_median, &g->km_rad_lo, &g->km_rad_hi);
    return rc;
}

void vw_leadtime_destroy(vw_leadtime_t *lt)
{
    if (!lt)
        return;
    for (size_t i = 0; i < lt->n_groups; i++)
        free(lt->g[i].group);
    free(lt->g);
    free(lt->p);
    free(lt);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int vw_leadtime_run(const vw_timeline_t *tl, const vw_track_t *tr, vw_leadtime_t **ret_lt)
{
    if (!tl || !tr || !ret_lt)
        return -EINVAL;
    int rc = -ENOMEM;
    vw_leadtime_t *lt = calloc(1, sizeof(*lt));
    const char **names = NULL;
    if (!lt)
        return -ENOMEM;
    lt->p = calloc(tl->n_patients + 1, sizeof(vw_lead_t));
    names = calloc(tl->n_patients + 1, sizeof(char *));
    if (!lt->p || !names)
        goto err;
    lt->n = tl->n_patients;
    size_t nn = 0;
    for (size_t i = 0; i < lt->n; i++) {
        one_patient(&tl->patients[i], tr, &lt->p[i]);
        if (lt->p[i].last_draw != VW_DATE_NONE)
            names[nn++] = group_of(&lt->p[i]);
    }
    qsort(names, nn, sizeof(char *), cmp_str);
    size_t ng = 0;
    for (size_t i = 0; i < nn; i++)
        if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
            names[ng++] = names[i];
    lt->g = calloc(ng + 1, sizeof(vw_lead_group_t));
    if (!lt->g)
        goto err;
    for (size_t i = 0; i <= ng; i++) {
        vw_lead_group_t *g = &lt->g[lt->n_groups++];
        g->group = vw_strdup(i < ng ? names[i] : "total");
        if (!g->group)
            goto err;
        if ((rc = fill_group(g, lt->p, lt->n, i < ng ? names[i] : NULL)) < 0)
            goto err;
        rc = -ENOMEM;
    }
    free(names);
    *ret_lt = lt;
    return 0;
err:
    free(names);
    vw_leadtime_destroy(lt);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Writers                                                                   */
/* ------------------------------------------------------------------------ */

static void put_num(FILE *fp, double v, const char *fmt)
{
    fputc('\t', fp);
    if (isnan(v))
        fputs("NA", fp);
    else
        fprintf(fp, fmt, v);
}

static void put_date(FILE *fp, int32_t d, int first)
{
    char b[VW_DATE_BUFSZ];
    (void)vw_date_format(d, b);
    fprintf(fp, first ? "%s" : "\t%s", b);
}

int vw_leadtime_write_tsv(FILE *fp, const vw_leadtime_t *lt)
{
    if (!lt || !fp)
        return -EINVAL;
    fputs("#patient\tfirst_detection\tprogression\tlead_time_days\tstatus\tlead_time_months"
          "\tlast_negative\ttarget\tgene\tprotein\ttreatment_start\tlast_draw\tdraw_interval_days"
          "\tdays_to_molecular\tmolecular_event\tdays_to_radiographic\tradiographic_event\tkind"
          "\trule_fired\tlead_time_rule_days\tpatient_molecular_progression\tpatient_lead_time_days"
          "\tpatient_rule_fired\n", fp);
    for (size_t i = 0; i < lt->n; i++) {
        const vw_lead_t *l = &lt->p[i];
        fprintf(fp, "%s", l->patient->id);
        put_date(fp, l->first_detection, 0);
        put_date(fp, l->progression, 0);
        put_num(fp, l->lead_days, "%.0f");
        fprintf(fp, "\t%s", vw_lead_status_name(l->status));
        put_num(fp, l->lead_months, "%.2f");
        put_date(fp, l->last_negative, 0);
        fprintf(fp, "\t%s\t%s\t%s", l->clone ? l->clone->id : "NA", l->clone ? l->clone->gene : "NA",
                l->clone ? l->clone->protein : "NA");
        put_date(fp, l->start, 0);
        put_date(fp, l->last_draw, 0);
        put_num(fp, l->draw_interval, "%.1f");
        put_num(fp, l->t_molecular, "%.0f");
        fprintf(fp, "\t%s", isnan(l->t_molecular) ? "NA" : l->molecular_event ? "1" : "0");
        put_num(fp, l->t_radiographic, "%.0f");
        fprintf(fp, "\t%s", isnan(l->t_radiographic) ? "NA" : l->radiographic_event ? "1" : "0");
        fprintf(fp, "\t%s", l->clone ? vw_track_kind_name(l->clone->kind) : "NA");
        int32_t fired = l->clone ? l->clone->rule_fired : VW_DATE_NONE;
        put_date(fp, fired, 0);
        put_num(fp, fired != VW_DATE_NONE && l->progression != VW_DATE_NONE ? (double)(l->progression - fired) : NAN,
                "%.0f");
        put_date(fp, l->patient_progression, 0);
        put_num(fp, l->patient_lead_days, "%.0f");
        put_date(fp, l->patient_fired, 0);
        fputc('\n', fp);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_leadtime_write_cohort(FILE *fp, const vw_leadtime_t *lt)
{
    if (!lt || !fp)
        return -EINVAL;
    fputs("#group\tpatients\twith_progression\twith_emergence\twith_both\tmolecular_first"
          "\tradiographic_first\tconcordant\tno_emergence\tcensored\tlead_median_days\tlead_min_days"
          "\tlead_max_days\tlead_median_months\tkm_molecular_median_days\tkm_molecular_lo\tkm_molecular_hi"
          "\tkm_radiographic_median_days\tkm_radiographic_lo\tkm_radiographic_hi\n", fp);
    for (size_t i = 0; i < lt->n_groups; i++) {
        const vw_lead_group_t *g = &lt->g[i];
        fprintf(fp, "%s\t%d\t%d\t%d\t%d", g->group, g->n, g->n_progression, g->n_emergence, g->n_both);
        for (int s = 0; s < 5; s++)
            fprintf(fp, "\t%d", g->n_status[s]);
        put_num(fp, g->lead_median, "%.1f");
        put_num(fp, g->lead_min, "%.0f");
        put_num(fp, g->lead_max, "%.0f");
        put_num(fp, isnan(g->lead_median) ? NAN : vw_date_months(g->lead_median), "%.2f");
        put_num(fp, g->km_mol_median, "%.0f");
        put_num(fp, g->km_mol_lo, "%.0f");
        put_num(fp, g->km_mol_hi, "%.0f");
        put_num(fp, g->km_rad_median, "%.0f");
        put_num(fp, g->km_rad_lo, "%.0f");
        put_num(fp, g->km_rad_hi, "%.0f");
        fputc('\n', fp);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

static void json_num(FILE *fp, const char *key, double v, const char *fmt)
{
    fprintf(fp, "\"%s\": ", key);
    if (isnan(v) || isinf(v))
        fputs("null", fp);
    else
        fprintf(fp, fmt, v);
}

static void json_date(FILE *fp, const char *key, int32_t d)
{
    char b[VW_DATE_BUFSZ];
    fprintf(fp, "\"%s\": ", key);
    if (vw_date_format(d, b) == 0)
        fprintf(fp, "\"%s\"", b);
    else
        fputs("null", fp);
}

int vw_leadtime_write_json(FILE *fp, const vw_leadtime_t *lt, const char *command)
{
    if (!lt || !fp)
        return -EINVAL;
    /* format_version: docs/schema/vafwatch-leadtime.schema.json */
    fputs("{\n  \"format\": \"vafwatch-leadtime\",\n  \"format_version\": 1,\n  \"command\": ", fp);
    vw_json_str(fp, command ? command : "");
    fputs(",\n  \"patients\": [", fp);
    for (size_t i = 0; i < lt->n; i++) {
        const vw_lead_t *l = &lt->p[i];
        fputs(i ? ",\n    {" : "\n    {", fp);
        fputs("\"patient\": ", fp);
        vw_json_str(fp, l->patient->id);
        fputs(", ", fp);
        json_date(fp, "first_detection", l->first_detection);
        fputs(", ", fp);
        json_date(fp, "last_negative", l->last_negative);
        fputs(", ", fp);
        json_date(fp, "progression", l->progression);
        fputs(", ", fp);
        json_num(fp, "lead_time_days", l->lead_days, "%.0f");
        fputs(", ", fp);
        json_num(fp, "lead_time_months", l->lead_months, "%.2f");
        fprintf(fp, ", \"status\": \"%s\", \"gene\": ", vw_lead_status_name(l->status));
        if (l->clone)
            vw_json_str(fp, l->clone->gene);
        else
            fputs("null", fp);
        fputs(", \"protein\": ", fp);
        if (l->clone)
            vw_json_str(fp, l->clone->protein);
        else
            fputs("null", fp);
        fputs(", \"kind\": ", fp);
        if (l->clone)
            vw_json_str(fp, vw_track_kind_name(l->clone->kind));
        else
            fputs("null", fp);
        fprintf(fp, ", \"patient_test\": %s, ", l->has_patient_test ? "true" : "false");
        json_date(fp, "patient_molecular_progression", l->patient_progression);
        fputs(", ", fp);
        json_num(fp, "patient_lead_time_days", l->patient_lead_days, "%.0f");
        fputs(", ", fp);
        json_date(fp, "patient_rule_fired", l->patient_fired);
        fputs("}", fp);
    }
    fputs("\n  ],\n  \"cohort\": [", fp);
    for (size_t i = 0; i < lt->n_groups; i++) {
        const vw_lead_group_t *g = &lt->g[i];
        fputs(i ? ",\n    {" : "\n    {", fp);
        fputs("\"group\": ", fp);
        vw_json_str(fp, g->group);
        fprintf(fp, ", \"patients\": %d, \"with_progression\": %d, \"with_emergence\": %d, \"with_both\": %d",
                g->n, g->n_progression, g->n_emergence, g->n_both);
        for (int s = 0; s < 5; s++)
            fprintf(fp, ", \"%s\": %d", lead_names[s], g->n_status[s]);
        fputs(", ", fp);
        json_num(fp, "lead_median_days", g->lead_median, "%.1f");
        fputs(", ", fp);
        json_num(fp, "lead_min_days", g->lead_min, "%.0f");
        fputs(", ", fp);
        json_num(fp, "lead_max_days", g->lead_max, "%.0f");
        fputs(", ", fp);
        json_num(fp, "km_molecular_median_days", g->km_mol_median, "%.0f");
        fputs(", ", fp);
        json_num(fp, "km_radiographic_median_days", g->km_rad_median, "%.0f");
        fputs("}", fp);
    }
    fputs("\n  ]\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
