/* report_json.c -- the JSON reports: vafwatch.report.json (the run) and
 * patients/<name>.json (one patient), described by
 * docs/schema/vafwatch-report.schema.json.  Numbers are written in the "C"
 * locale; NaN is null; dates are "YYYY-MM-DD" or null; VAFs are fractions. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "vafwatch/report.h"
#include "report_priv.h"

#define FORMAT_VERSION 2 /* 2: report_date, intended_use, role, therapy_context, copies_per_ml, specimen_id, assay, markers */

static void jdate(FILE *fp, const char *key, int32_t d)
{
    char b[VW_DATE_BUFSZ];
    fprintf(fp, "\"%s\": ", key);
    if (d == VW_DATE_NONE || vw_date_format(d, b) != 0)
        fputs("null", fp);
    else
        fprintf(fp, "\"%s\"", b);
}

static void jnum(FILE *fp, const char *key, double v, const char *fmt)
{
    fprintf(fp, "\"%s\": ", key);
    vw_report_json_num(fp, v, fmt);
}

static void jstr(FILE *fp, const char *key, const char *s)
{
    fprintf(fp, "\"%s\": ", key);
    if (s)
        vw_json_str(fp, s);
    else
        fputs("null", fp);
}

static void header(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt)
{
    char now[32];
    fprintf(fp, "{\n  \"format\": \"vafwatch-report\",\n  \"format_version\": %d,\n  ", FORMAT_VERSION);
    jstr(fp, "vafwatch_version", in->version ? in->version : "unknown");
    fputs(",\n  ", fp);
    jstr(fp, "command", in->command);
    fputs(",\n  ", fp);
    jstr(fp, "generated", opt && opt->timestamp ? vw_report_now(now, sizeof(now)) : NULL);
    fputs(",\n  ", fp);
    char rd[VW_DATE_BUFSZ];
    jstr(fp, "report_date", vw_report_date_of(opt, rd));
    fputs(",\n  ", fp);
    jstr(fp, "intended_use", vw_report_intended_use);
    fputs(",\n  ", fp);
    jstr(fp, "build", in->build);
    fputs(",\n  \"parameters\": {", fp);
    const char *keys[VW_REPORT_N_TRACK_PARAMS];
    char vals[VW_REPORT_N_TRACK_PARAMS][64];
    size_t n = vw_report_track_params(&in->tr->opt, keys, vals);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", fp);
        vw_json_str(fp, keys[i]);
        fputs(": ", fp);
        vw_json_str(fp, vals[i]);
    }
    for (size_t i = 0; i < in->n_params; i++) {
        if (!in->params[i].key)
            continue;
        fputs(", ", fp);
        vw_json_str(fp, in->params[i].key);
        fputs(": ", fp);
        vw_json_str(fp, in->params[i].value ? in->params[i].value : "");
    }
    fputs("},\n  \"background\": ", fp);
    if (in->calls) {
        long bg[3];
        vw_report_bg_counts(in->calls, bg);
        fprintf(fp, "{\"pon\": %ld, \"self\": %ld, \"default\": %ld}", bg[0], bg[1], bg[2]);
    } else {
        fputs("null", fp);
    }
    fputs(",\n  ", fp);
    jstr(fp, "cnv_source", in->cnv ? (in->cnv_path ? in->cnv_path : "") : NULL);
    fputs(",\n  ", fp);
    jstr(fp, "markers_source", in->markers ? (in->markers->path ? in->markers->path : "") : NULL);
    fputs(",\n", fp);
}

static void fit(FILE *fp, const char *key, const vw_track_fit_t *f)
{
    fprintf(fp, "\"%s\": ", key);
    if (!f->ok) {
        fputs("null", fp);
        return;
    }
    fprintf(fp, "{\"n_draws\": %d, ", f->n_draws);
    jnum(fp, "rate_per_day", f->r, "%.6g");
    fputs(", ", fp);
    jnum(fp, "rate_lo", f->r_lo, "%.6g");
    fputs(", ", fp);
    jnum(fp, "rate_hi", f->r_hi, "%.6g");
    fputs(", ", fp);
    jnum(fp, "time_days", f->td, "%.4g");
    fputs(", ", fp);
    jnum(fp, "time_lo_days", f->td_lo, "%.4g");
    fputs(", ", fp);
    jnum(fp, "time_hi_days", f->td_hi, "%.4g");
    fputs("}", fp);
}

static const char *state_name(vw_draw_state_t s)
{
    return s == VW_DRAW_DET ? "detected" : s == VW_DRAW_NEG ? "not_detected" : "not_assessed";
}

static void clone(FILE *fp, const vw_patient_t *p, const vw_track_series_t *s, const vw_targets_t *cat,
                  const char *ind)
{
    const char *ctx;
    const char *role = vw_report_role(cat, s, &ctx);
    fprintf(fp, "{\n%s  ", ind);
    jstr(fp, "id", s->id);
    fputs(", ", fp);
    jstr(fp, "gene", s->gene);
    fputs(", ", fp);
    jstr(fp, "protein", s->protein);
    fputs(", ", fp);
    jstr(fp, "chrom", s->chrom);
    fprintf(fp, ", \"pos\": %lld, ", (long long)s->pos1);
    jstr(fp, "ref", s->ref);
    fputs(", ", fp);
    jstr(fp, "alt", s->alt);
    fprintf(fp, ", \"kind\": \"%s\", ", vw_track_kind_name(s->kind));
    jnum(fp, "max_pcn", s->max_pcn, "%.4g");
    fputs(", ", fp);
    jnum(fp, "max_cn_tumour", s->max_cn_t, "%.4g");
    fprintf(fp, ",\n%s  \"tracked\": %s, \"status\": \"%s\", ", ind, vw_report_is_clone(s) ? "true" : "false",
            vw_track_status_name(s->status));
    fprintf(fp, "\"ch_source\": \"%s\", ", s->status != VW_TRACK_CH ? "none" : s->ch_cohort ? "cohort" : "white_cells");
    if (s->recurrent_patients >= 0)
        fprintf(fp, "\"recurrent_patients\": %d, ", s->recurrent_patients);
    else
        fputs("\"recurrent_patients\": null, ", fp);
    fprintf(fp, "\"role\": \"%s\", ", role);
    jstr(fp, "therapy_context", ctx);
    fputs(", ", fp);
    jnum(fp, "baseline_vaf", s->baseline_vaf, "%.6g");
    fputs(", ", fp);
    jdate(fp, "first_detection", s->first_detection);
    fputs(", ", fp);
    jdate(fp, "last_negative", s->last_negative);
    fprintf(fp, ", \"n_assessed\": %d, \"n_detected\": %d, ", s->n_assessed, s->n_detected);
    jnum(fp, "max_vaf", s->max_vaf, "%.6g");
    fprintf(fp, ",\n%s  ", ind);
    jnum(fp, "trend_z", s->trend_z, "%.6g");
    fputs(", ", fp);
    jnum(fp, "trend_p", s->trend_p, "%.6g");
    fputs(", ", fp);
    jnum(fp, "glm_slope", s->glm_slope, "%.6g");
    fputs(", ", fp);
    jnum(fp, "glm_p", s->glm_p, "%.6g");
    fputs(", ", fp);
    jdate(fp, "treatment_stop", s->stop_date);
    fprintf(fp, ",\n%s  ", ind);
    fit(fp, "growth", &s->growth);
    fputs(", ", fp);
    fit(fp, "decay", &s->decay);
    fprintf(fp, ",\n%s  \"draws\": [", ind);
    for (size_t k = 0; k < s->n_draws; k++) {
        const vw_track_draw_t *d = &s->draws[k];
        fprintf(fp, "%s\n%s    {", k ? "," : "", ind);
        jstr(fp, "sample", d->sample);
        fputs(", ", fp);
        jdate(fp, "date", d->date);
        fprintf(fp, ", \"state\": \"%s\", ", state_name(d->state));
        if (d->depth >= 0)
            fprintf(fp, "\"depth\": %ld, \"alt\": %ld, ", d->depth, d->alt);
        else
            fputs("\"depth\": null, \"alt\": null, ", fp);
        jnum(fp, "vaf", d->vaf, "%.6g");
        fputs(", ", fp);
        jnum(fp, "vaf_lo", d->vaf_lo, "%.6g");
        fputs(", ", fp);
        jnum(fp, "vaf_hi", d->vaf_hi, "%.6g");
        fputs(", ", fp);
        jnum(fp, "lod95", d->lod95, "%.6g");
        fputs(", ", fp);
        jnum(fp, "copies_per_ml", s->kind == VW_KIND_MUTATION ? vw_report_copies_per_ml(p, d) : NAN, "%.6g");
        fputs(", ", fp);
        jnum(fp, "p_value", d->p_value, "%.6g");
        fputs(", ", fp);
        jnum(fp, "clone_fraction", d->clone_fraction, "%.6g");
        fputs(", ", fp);
        jnum(fp, "pcn", d->pcn, "%.4g");
        fputs(", ", fp);
        jnum(fp, "cn_z", d->cn_z, "%.4g");
        fputs(", ", fp);
        jnum(fp, "tf", d->tf, "%.4g");
        fputs(", ", fp);
        jnum(fp, "cn_tumour", d->cn_t, "%.4g");
        fputs(", \"flags\": [", fp);
        int nf = 0;
        for (int b = 0; b < VW_N_FLAGS; b++)
            if (d->flags & (1u << b))
                fprintf(fp, "%s\"%s\"", nf++ ? ", " : "", vw_flag_names[b]);
        fputs("]}", fp);
    }
    fprintf(fp, "\n%s  ]\n%s}", ind, ind);
}

static int cnv_row_of(const vw_cnv_rows_t *c, int r, const vw_patient_t *p)
{
    const char *s = c->r[r].sample;
    if (!c->r[r].field) /* a row not read from a table: no text to show */
        return 0;
    for (size_t i = 0; i < p->n_samples; i++)
        if (strcmp(p->samples[i].sample, s) == 0)
            return 1;
    return 0;
}

/* The patient's lead-time record, or null. */
static void lead_obj(FILE *fp, const vw_lead_t *l, const char *ind)
{
    if (l) {
        fprintf(fp, "{\"status\": \"%s\", ", vw_lead_status_name(l->status));
        jstr(fp, "clone", l->clone ? l->clone->id : NULL);
        fputs(", ", fp);
        jstr(fp, "gene", l->clone ? l->clone->gene : NULL);
        fputs(", ", fp);
        jstr(fp, "protein", l->clone ? l->clone->protein : NULL);
        fputs(", ", fp);
        jstr(fp, "kind", l->clone ? vw_track_kind_name(l->clone->kind) : NULL);
        fputs(", ", fp);
        jdate(fp, "first_detection", l->first_detection);
        fputs(", ", fp);
        jdate(fp, "last_negative", l->last_negative);
        fputs(", ", fp);
        jdate(fp, "progression", l->progression);
        fprintf(fp, ",\n%s    ", ind);
        jnum(fp, "lead_time_days", l->lead_days, "%.0f");
        fputs(", ", fp);
        jnum(fp, "lead_time_months", l->lead_months, "%.2f");
        fputs(", ", fp);
        jnum(fp, "draw_interval_days", l->draw_interval, "%.1f");
        fputs(", ", fp);
        jnum(fp, "t_molecular_days", l->t_molecular, "%.0f");
        fprintf(fp, ", \"molecular_event\": %s, ", l->molecular_event ? "true" : "false");
        jnum(fp, "t_radiographic_days", l->t_radiographic, "%.0f");
        fprintf(fp, ", \"radiographic_event\": %s}", l->radiographic_event ? "true" : "false");
    } else {
        fputs("null", fp);
    }
}

/* ,"treatments": [...], "events": [...], "samples": [...  (left open). */
static void course(FILE *fp, const vw_patient_t *p, const char *ind)
{
    fprintf(fp, ",\n%s  \"treatments\": [", ind);
    for (size_t k = 0; k < p->n_treatments; k++) {
        const vw_treatment_t *t = &p->treatments[k];
        fputs(k ? ", {" : "{", fp);
        jstr(fp, "drug", t->drug);
        fputs(", ", fp);
        jdate(fp, "start", t->start);
        fputs(", ", fp);
        jdate(fp, "stop", t->has_stop ? t->stop : VW_DATE_NONE);
        fputs("}", fp);
    }
    fprintf(fp, "],\n%s  \"events\": [", ind);
    for (size_t k = 0; k < p->n_events; k++) {
        const vw_event_t *e = &p->events[k];
        fprintf(fp, "%s\n%s    {", k ? "," : "", ind);
        jdate(fp, "date", e->date);
        fprintf(fp, ", \"event\": \"%s\", ", vw_timeline_event_name(e->type));
        jstr(fp, "detail", e->detail);
        fputs("}", fp);
    }
    fprintf(fp, "],\n%s  \"samples\": [", ind);
    for (size_t k = 0; k < p->n_samples; k++) {
        const vw_sample_t *s = &p->samples[k];
        fprintf(fp, "%s\n%s    {", k ? "," : "", ind);
        jstr(fp, "sample", s->sample);
        fputs(", ", fp);
        jdate(fp, "date", s->date);
        fprintf(fp, ", \"type\": \"%s\", ", vw_timeline_sample_type_name(s->type));
        jnum(fp, "cfdna_ng_per_ml", s->cfdna_ng_per_ml, "%.6g");
        fputs(", ", fp);
        jstr(fp, "specimen_id", s->specimen_id);
        fputs(", ", fp);
        jstr(fp, "assay", s->assay);
        fputs("}", fp);
    }
}

/* ], "cnv": [...], "markers": [...  (left open). */
static void extras(FILE *fp, const vw_report_in_t *in, size_t i, const vw_patient_t *p, const char *ind)
{
    fprintf(fp, "],\n%s  \"cnv\": [", ind);
    int nc = 0;
    for (int r = 0; in->cnv && r < in->cnv->n; r++) {
        if (!cnv_row_of(in->cnv, r, p))
            continue;
        fprintf(fp, "%s\n%s    {", nc++ ? "," : "", ind);
        for (int j = 0; j < in->cnv->n_cols; j++) {
            fputs(j ? ", " : "", fp);
            vw_json_str(fp, in->cnv->col[j]);
            fputs(": ", fp);
            vw_json_str(fp, in->cnv->r[r].field[j]);
        }
        fputs("}", fp);
    }
    fprintf(fp, "],\n%s  \"markers\": [", ind);
    size_t mb, me;
    vw_report_marker_range(in, i, &mb, &me);
    for (size_t k = mb; k < me; k++) {
        const vw_marker_value_t *v = &in->markers->v[k];
        fprintf(fp, "%s\n%s    {", k > mb ? "," : "", ind);
        jstr(fp, "marker", v->marker);
        fputs(", ", fp);
        jstr(fp, "unit", *v->unit ? v->unit : NULL);
        fputs(", ", fp);
        jdate(fp, "date", v->date);
        fputs(", ", fp);
        jnum(fp, "value", v->value, "%.6g");
        fputs("}", fp);
    }
}

static void patient(FILE *fp, const vw_report_in_t *in, size_t i, const char *file, const vw_targets_t *cat,
                    const char *ind)
{
    const vw_patient_t *p = &in->tl->patients[i];
    const vw_lead_t *l = vw_report_lead(in->lt, p, i);
    fprintf(fp, "{\n%s  ", ind);
    jstr(fp, "patient", p->id);
    fputs(", ", fp);
    jstr(fp, "report", file);
    fprintf(fp, ",\n%s  ", ind);
    jdate(fp, "first_treatment_start", p->has_treatment_start ? p->first_treatment_start : VW_DATE_NONE);
    fputs(", ", fp);
    jdate(fp, "progression", p->has_progression ? p->progression_date : VW_DATE_NONE);
    fputs(", ", fp);
    jdate(fp, "death", p->has_death ? p->death_date : VW_DATE_NONE);
    fputs(", ", fp);
    jdate(fp, "last_followup", p->last_followup);
    fprintf(fp, ", \"n_draws\": %zu, \"n_clones\": %zu,\n%s  \"lead\": ", vw_report_n_draws(p),
            vw_report_n_clones(in->tr, p), ind);
    lead_obj(fp, l, ind);
    course(fp, p, ind);
    fprintf(fp, "],\n%s  \"clones\": [", ind);
    size_t b, e;
    vw_report_series_range(in->tr, p, &b, &e);
    char ind2[64];
    snprintf(ind2, sizeof(ind2), "%s    ", ind);
    for (size_t k = b; k < e; k++) {
        fprintf(fp, "%s\n%s", k > b ? "," : "", ind2);
        clone(fp, p, &in->tr->s[k], cat, ind2);
    }
    extras(fp, in, i, p, ind);
    fprintf(fp, "]\n%s}", ind);
}

static void group(FILE *fp, const vw_lead_group_t *g)
{
    fputs("{", fp);
    jstr(fp, "group", g->group);
    fprintf(fp, ", \"patients\": %d, \"with_progression\": %d, \"with_emergence\": %d, \"with_both\": %d",
            g->n, g->n_progression, g->n_emergence, g->n_both);
    for (int s = 0; s < 5; s++)
        fprintf(fp, ", \"%s\": %d", vw_lead_status_name((vw_lead_status_t)s), g->n_status[s]);
    fputs(", ", fp);
    jnum(fp, "lead_median_days", g->lead_median, "%.1f");
    fputs(", ", fp);
    jnum(fp, "lead_min_days", g->lead_min, "%.0f");
    fputs(", ", fp);
    jnum(fp, "lead_max_days", g->lead_max, "%.0f");
    fputs(", ", fp);
    jnum(fp, "km_molecular_median_days", g->km_mol_median, "%.0f");
    fputs(", ", fp);
    jnum(fp, "km_radiographic_median_days", g->km_rad_median, "%.0f");
    fputs("}", fp);
}

int vw_report_write_json(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt)
{
    if (!in || !in->tl || !in->tr || !in->lt || !fp)
        return -EINVAL;
    char **names = NULL;
    size_t np = in->tl->n_patients;
    const char **ids = calloc(np ? np : 1, sizeof(*ids));
    if (!ids)
        return -ENOMEM;
    for (size_t i = 0; i < np; i++)
        ids[i] = in->tl->patients[i].id;
    int rc = vw_report_file_names(ids, np, &names);
    free(ids);
    if (rc < 0)
        return rc;
    vw_targets_t *cat = vw_report_catalogue();
    if (!cat) {
        vw_report_file_names_free(names, np);
        return -ENOMEM;
    }
    header(fp, in, opt);
    fputs("  \"cohort\": {\"groups\": [", fp);
    for (size_t g = 0; g < in->lt->n_groups; g++) {
        fputs(g ? ",\n    " : "\n    ", fp);
        group(fp, &in->lt->g[g]);
    }
    fputs("]},\n  \"patients\": [", fp);
    size_t n_out = 0;
    for (size_t i = 0; i < np; i++) {
        char file[128];
        if (!vw_report_is_patient(&in->tl->patients[i]))
            continue;
        snprintf(file, sizeof(file), "patients/%s.html", names[i]);
        fputs(n_out++ ? ",\n    " : "\n    ", fp);
        patient(fp, in, i, file, cat, "    ");
    }
    fputs("\n  ]\n}\n", fp);
    vw_targets_destroy(cat);
    vw_report_file_names_free(names, np);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_report_write_patient_json(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt, size_t i)
{
    if (!in || !in->tl || !in->tr || !in->lt || !fp || i >= in->tl->n_patients)
        return -EINVAL;
    vw_targets_t *cat = vw_report_catalogue();
    if (!cat)
        return -ENOMEM;
    header(fp, in, opt);
    fputs("  \"patient\": ", fp);
    patient(fp, in, i, NULL, cat, "  ");
    vw_targets_destroy(cat);
    fputs("\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
