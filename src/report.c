/* report.c -- the report module's entry points: options, the CNV table,
 * the MultiQC tables and vw_report_write(), which writes every file
 * (docs/reports.md).  The HTML writers are in report_html.c, the JSON
 * writers in report_json.c, the shared helpers in report_util.c. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "vafwatch/log.h"
#include "vafwatch/table.h"
#include "vafwatch/stats.h"
#include "vafwatch/report.h"
#include "report_priv.h"

void vw_report_opt_init(vw_report_opt_t *opt)
{
    opt->timestamp = 0;
    opt->title = "vafwatch cohort report";
    opt->report_date = VW_DATE_NONE;
}

int vw_report_default_date(int32_t *ret_days)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    long long secs;
    if (e && *e) {
        char *end;
        errno = 0;
        secs = strtoll(e, &end, 10);
        if (errno || *end || secs < 0 || !isdigit((unsigned char)*e) || secs / 86400 > INT32_MAX)
            return VW_EPARSE;
    } else {
        secs = (long long)time(NULL);
    }
    *ret_days = (int32_t)(secs / 86400);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* MultiQC                                                                   */
/* ------------------------------------------------------------------------ */

/* MultiQC custom content values are tab-separated (tabs and newlines in ids
 * would break the table) and MultiQC puts them into its HTML as they are:
 * write them HTML-escaped, so a name like "<script>" shows as text there. */
static void tsv_field(FILE *fp, const char *s)
{
    char *e = vw_report_html_escaped(s);
    for (const char *p = e ? e : "NA"; *p; p++)
        fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, fp);
    free(e);
}

int vw_report_write_mqc(FILE *fp, const vw_report_in_t *in)
{
    if (!in || !in->tl || !in->tr || !in->lt || !fp)
        return -EINVAL;
    fputs("# id: 'vafwatch_leadtime'\n"
          "# section_name: 'vafwatch: resistance clones and lead time'\n"
          "# description: 'Per patient: lead-time status, first molecular detection (the first clone to meet "
          "the emergence rule), radiographic progression and the lead time in days (positive: blood first).'\n"
          "# plot_type: 'table'\n"
          "# pconfig:\n"
          "#     id: 'vafwatch_leadtime_table'\n"
          "#     namespace: 'vafwatch'\n"
          "patient\tstatus\tfirst_detection\tprogression\tlead_time_days\tn_draws\tn_clones", fp);
    /* with the patient-level tests: their molecular progression (docs/patient-series.md) */
    fputs(in->patient_tests ? "\tpatient_molecular_progression\tpatient_lead_time_days\n" : "\n", fp);
    for (size_t i = 0; i < in->tl->n_patients; i++) {
        const vw_patient_t *p = &in->tl->patients[i];
        const vw_lead_t *l = vw_report_lead(in->lt, p, i);
        char d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ];
        if (!vw_report_is_patient(p))
            continue;
        tsv_field(fp, p->id);
        fprintf(fp, "\t%s\t%s\t%s\t", l ? vw_lead_status_name(l->status) : "NA",
                vw_report_date(l ? l->first_detection : VW_DATE_NONE, d1),
                vw_report_date(l ? l->progression : VW_DATE_NONE, d2));
        if (l && isfinite(l->lead_days))
            fprintf(fp, "%.0f", l->lead_days);
        else
            fputs("NA", fp);
        fprintf(fp, "\t%zu\t%zu", vw_report_n_draws(p), vw_report_n_clones(in->tr, p));
        if (in->patient_tests) {
            fprintf(fp, "\t%s\t", vw_report_date(l ? l->patient_progression : VW_DATE_NONE, d1));
            if (l && isfinite(l->patient_lead_days))
                fprintf(fp, "%.0f", l->patient_lead_days);
            else
                fputs("NA", fp);
        }
        fputc('\n', fp);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int vw_report_write_mqc_stats(FILE *fp, const vw_report_in_t *in)
{
    if (!in || !in->tl || !in->tr || !fp)
        return -EINVAL;
    fputs("# id: 'vafwatch_stats'\n"
          "# plot_type: 'generalstats'\n"
          "# pconfig:\n"
          "#     - depth_median:\n"
          "#         title: 'Hotspot depth'\n"
          "#         description: 'vafwatch: median depth (fragments) over the tracked hotspots of the draw'\n"
          "#         namespace: 'vafwatch'\n"
          "#         format: '{:,.0f}'\n"
          "#         scale: 'Blues'\n"
          "#     - max_vaf:\n"
          "#         title: 'Max VAF'\n"
          "#         description: 'vafwatch: largest VAF among the mutations detected in the draw (%)'\n"
          "#         namespace: 'vafwatch'\n"
          "#         suffix: '%'\n"
          "#         max: 100\n"
          "#         min: 0\n"
          "#         format: '{:,.2f}'\n"
          "#         scale: 'OrRd'\n"
          "#     - clones_detected:\n"
          "#         title: 'Mutations detected'\n"
          "#         description: 'vafwatch: tracked mutations detected in the draw'\n"
          "#         namespace: 'vafwatch'\n"
          "#         format: '{:,.0f}'\n"
          "#         scale: 'Reds'\n"
          "#     - tumour_fraction:\n"
          "#         title: 'Tumour fraction'\n"
          "#         description: 'vafwatch: tumour fraction used for copy number (%), when known'\n"
          "#         namespace: 'vafwatch'\n"
          "#         suffix: '%'\n"
          "#         max: 100\n"
          "#         min: 0\n"
          "#         format: '{:,.1f}'\n"
          "Sample\tdepth_median\tmax_vaf\tclones_detected\ttumour_fraction\n", fp);
    for (size_t i = 0; i < in->tl->n_patients; i++) {
        const vw_patient_t *p = &in->tl->patients[i];
        size_t b, e;
        vw_report_series_range(in->tr, p, &b, &e);
        long *dep = malloc((e - b + 1) * sizeof(long));
        if (!dep)
            return -ENOMEM;
        for (size_t k = 0; k < p->n_samples; k++) {
            const vw_sample_t *sm = &p->samples[k];
            if (sm->type != VW_SAMPLE_PLASMA)
                continue;
            size_t nd = 0;
            int ndet = 0, assessed = 0;
            double vmax = NAN, tf = NAN;
            for (size_t q = b; q < e; q++) {
                const vw_track_series_t *s = &in->tr->s[q];
                for (size_t di = 0; di < s->n_draws; di++) {
                    const vw_track_draw_t *d = &s->draws[di];
                    if (strcmp(d->sample, sm->sample) != 0)
                        continue;
                    if (s->kind == VW_KIND_AMPLIFICATION) {
                        if (isfinite(d->tf))
                            tf = d->tf;
                        break;
                    }
                    if (d->state != VW_DRAW_NA)
                        assessed = 1;
                    if (d->depth >= 0)
                        dep[nd++] = d->depth;
                    if (d->state == VW_DRAW_DET) {
                        ndet++;
                        if (isnan(vmax) || d->vaf > vmax)
                            vmax = d->vaf;
                    }
                    break;
                }
            }
            tsv_field(fp, sm->sample);
            if (nd) {
                qsort(dep, nd, sizeof(long), cmp_long);
                double med = nd % 2 ? (double)dep[nd / 2] : ((double)dep[nd / 2 - 1] + (double)dep[nd / 2]) / 2;
                fprintf(fp, "\t%.1f", med);
            } else {
                fputs("\tNA", fp);
            }
            if (isfinite(vmax))
                fprintf(fp, "\t%.4g", 100 * vmax);
            else
                fputs(assessed ? "\t0" : "\tNA", fp);
            if (assessed)
                fprintf(fp, "\t%d", ndet);
            else
                fputs("\tNA", fp);
            if (isfinite(tf))
                fprintf(fp, "\t%.4g\n", 100 * tf);
            else
                fputs("\tNA\n", fp);
        }
        free(dep);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_report_write_mqc_vaf(FILE *fp, const vw_report_in_t *in)
{
    if (!in || !in->tl || !in->tr || !fp)
        return -EINVAL;
    fputs("{\n  \"id\": \"vafwatch_vaf\",\n  \"section_name\": \"vafwatch: VAF of the tracked mutations\",\n"
          "  \"description\": \"VAF (%) of every mutation detected at least once, one line per patient and "
          "mutation, at the draws where it was detected; x is days since the patient's first plasma draw. "
          "Draws where it was not detected are left out (they have an LoD95, not a VAF: see the vafwatch "
          "report).\",\n  \"plot_type\": \"linegraph\",\n"
          "  \"pconfig\": {\"id\": \"vafwatch_vaf_plot\", \"title\": \"vafwatch: VAF over time\", "
          "\"xlab\": \"Days since the first draw\", \"ylab\": \"VAF (%)\", \"ymin\": 0, \"logswitch\": true, "
          "\"tt_label\": \"day {point.x}: {point.y:.2f} %\"},\n  \"data\": {", fp);
    int first = 1;
    for (size_t i = 0; i < in->tl->n_patients; i++) {
        const vw_patient_t *p = &in->tl->patients[i];
        if (!vw_report_is_patient(p))
            continue;
        int32_t d0 = VW_DATE_NONE;
        for (size_t k = 0; k < p->n_samples && d0 == VW_DATE_NONE; k++)
            if (p->samples[k].type == VW_SAMPLE_PLASMA)
                d0 = p->samples[k].date;
        size_t b, e;
        vw_report_series_range(in->tr, p, &b, &e);
        for (size_t q = b; q < e; q++) {
            const vw_track_series_t *s = &in->tr->s[q];
            if (s->kind != VW_KIND_MUTATION || !vw_report_is_clone(s))
                continue;
            char name[512];
            const char *g = s->gene && strcmp(s->gene, ".") ? s->gene : "";
            const char *pr = s->protein && strcmp(s->protein, ".") ? s->protein : s->id;
            snprintf(name, sizeof(name), "%s %s%s%s", p->id, g, *g ? " " : "", pr);
            char *esc = vw_report_html_escaped(name); /* MultiQC puts names into its HTML as they are */
            if (!esc)
                return -ENOMEM;
            fputs(first ? "\n    " : ",\n    ", fp);
            first = 0;
            vw_json_str(fp, esc);
            free(esc);
            fputs(": {", fp);
            int n = 0;
            for (size_t di = 0; di < s->n_draws; di++) {
                const vw_track_draw_t *d = &s->draws[di];
                if (d->state != VW_DRAW_DET || !isfinite(d->vaf))
                    continue;
                fprintf(fp, "%s\"%ld\": %.4g", n++ ? ", " : "", (long)(d->date - d0), 100 * d->vaf);
            }
            fputs("}", fp);
        }
    }
    fputs("\n  }\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

/* ------------------------------------------------------------------------ */
/* Writing everything                                                        */
/* ------------------------------------------------------------------------ */

static int mkdir_p1(const char *path)
{
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        return -ENOTDIR;
    }
    return -errno;
}

typedef struct {
    const vw_report_in_t *in;
    const vw_report_opt_t *opt;
    char *const *names;
    size_t patient;
    int kind;
} job_t;

enum { J_INDEX, J_JSON, J_MQC, J_PHTML, J_PJSON, J_MQC_STATS, J_MQC_VAF };

static int write_one(const char *path, const job_t *j)
{
    vw_ofile_t of = {0};
    int rc = vw_ofile_open(&of, path);
    if (rc < 0) {
        vw_error_code(rc, "cannot write '%s'", path);
        return rc;
    }
    switch (j->kind) {
    case J_INDEX: rc = vw_report_write_cohort_html(of.fp, j->in, j->opt, j->names); break;
    case J_JSON: rc = vw_report_write_json(of.fp, j->in, j->opt); break;
    case J_MQC: rc = vw_report_write_mqc(of.fp, j->in); break;
    case J_MQC_STATS: rc = vw_report_write_mqc_stats(of.fp, j->in); break;
    case J_MQC_VAF: rc = vw_report_write_mqc_vaf(of.fp, j->in); break;
    case J_PHTML: rc = vw_report_write_patient_html(of.fp, j->in, j->opt, j->patient); break;
    default: rc = vw_report_write_patient_json(of.fp, j->in, j->opt, j->patient); break;
    }
    if (rc < 0) {
        vw_error_code(rc, "writing '%s'", path);
        vw_ofile_abort(&of);
        return rc;
    }
    if ((rc = vw_ofile_commit(&of)) < 0) {
        vw_error_code(rc, "writing '%s'", path);
        return rc;
    }
    return 0;
}

int vw_report_write(const vw_report_in_t *in, const char *outdir, const vw_report_opt_t *opt)
{
    if (!in || !in->tl || !in->tr || !in->lt || !outdir || !*outdir)
        return -EINVAL;
    vw_report_opt_t dopt;
    if (!opt) {
        vw_report_opt_init(&dopt);
        opt = &dopt;
    }
    size_t np = in->tl->n_patients;
    const char **ids = calloc(np ? np : 1, sizeof(*ids));
    char **names = NULL, *path = NULL;
    int rc = -ENOMEM;
    if (!ids)
        goto out;
    for (size_t i = 0; i < np; i++)
        ids[i] = in->tl->patients[i].id;
    if ((rc = vw_report_file_names(ids, np, &names)) < 0)
        goto out;
    size_t cap = strlen(outdir) + VW_REPORT_NAME_MAX_BYTES + 64;
    if (!(path = malloc(cap))) {
        rc = -ENOMEM;
        goto out;
    }
    if ((rc = mkdir_p1(outdir)) < 0) {
        vw_error_code(rc, "cannot create '%s'", outdir);
        goto out;
    }
    snprintf(path, cap, "%s/patients", outdir);
    if ((rc = mkdir_p1(path)) < 0) {
        vw_error_code(rc, "cannot create '%s'", path);
        goto out;
    }
    job_t j = {in, opt, names, 0, J_PHTML};
    for (size_t i = 0; i < np; i++) {
        if (!vw_report_is_patient(&in->tl->patients[i]))
            continue; /* normals only: not a patient */
        j.patient = i;
        j.kind = J_PHTML;
        snprintf(path, cap, "%s/patients/%s.html", outdir, names[i]);
        if ((rc = write_one(path, &j)) < 0)
            goto out;
        j.kind = J_PJSON;
        snprintf(path, cap, "%s/patients/%s.json", outdir, names[i]);
        if ((rc = write_one(path, &j)) < 0)
            goto out;
    }
    static const struct { int kind; const char *name; } top[] = {
        {J_JSON, "vafwatch.report.json"}, {J_MQC, "vafwatch_mqc.tsv"}, {J_MQC_STATS, "vafwatch_stats_mqc.tsv"},
        {J_MQC_VAF, "vafwatch_vaf_mqc.json"}, {J_INDEX, "index.html"}};
    for (size_t k = 0; k < sizeof(top) / sizeof(top[0]); k++) {
        j.kind = top[k].kind;
        snprintf(path, cap, "%s/%s", outdir, top[k].name);
        if ((rc = write_one(path, &j)) < 0)
            goto out;
    }
    rc = 0;
out:
    if (rc == -ENOMEM)
        vw_error_code(rc, "report");
    free(path);
    vw_report_file_names_free(names, np);
    free(ids);
    return rc;
}
