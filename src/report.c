/* report.c -- the report module: geometry, text helpers, the CNV table,
 * the MultiQC table and vw_report_write(), which writes every file
 * (docs/reports.md).  The HTML writers are in report_html.c, the JSON
 * writers in report_json.c. */
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

const char *const vw_report_colours[VW_REPORT_N_COLOURS] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

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

const char *vw_report_date_of(const vw_report_opt_t *opt, char *buf)
{
    if (!opt || opt->report_date == VW_DATE_NONE || vw_date_format(opt->report_date, buf) != 0)
        return NULL;
    return buf;
}

const char vw_report_intended_use[] = VW_REPORT_RUO_HEAD " " VW_REPORT_RUO_TAIL;

int vw_report_is_patient(const vw_patient_t *p) { return p && vw_report_n_draws(p) > 0; }

int vw_report_is_emerging(const vw_track_series_t *s)
{
    return s && strcmp(vw_track_status_name(s->status), "emerging") == 0;
}

const char *vw_report_status_key(const vw_track_series_t *s)
{
    const char *n = vw_track_status_name(s->status);
    /* one detection, at the last draw: the rule could not have confirmed it yet */
    if (strcmp(n, "transient") == 0 && s->n_detected == 1 && s->n_draws && s->draws[s->n_draws - 1].state == VW_DRAW_DET)
        return "unconfirmed";
    return n;
}

const char *vw_report_status_label(const vw_track_series_t *s)
{
    static const struct { const char *name, *label; } w[] = {
        {"emerging", "emerging: confirmed by the rule"},
        {"pre-existing", "pre-existing: present at baseline"},
        {"germline?", "possibly germline"},
        {"unconfirmed", "unconfirmed: one detection, awaiting the next draw"},
        {"transient", "transient: detected, not confirmed by the rule"},
        {"CH?", "CH?: also in the white cells (clonal haematopoiesis?), never an emergence"},
        {"never", "not detected"},
        {"not_assessed", "not assessed"},
    };
    const char *n = vw_report_status_key(s);
    for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
        if (strcmp(n, w[i].name) == 0)
            return w[i].label;
    return n;
}

vw_targets_t *vw_report_catalogue(void)
{
    vw_targets_t *ts = vw_targets_init();
    if (ts && vw_catalogue_builtin(ts, VW_BUILD_GRCH38) < 0) {
        vw_targets_destroy(ts);
        return NULL;
    }
    return ts;
}

static const char *skip_p(const char *s) { return strncmp(s, "p.", 2) == 0 ? s + 2 : s; }

const char *vw_report_role(const vw_targets_t *cat, const vw_track_series_t *s, const char **ret_context)
{
    const char *ctx = NULL;
    for (int i = 0; cat && s->kind == VW_KIND_MUTATION && i < cat->n && !ctx; i++)
        if (strcmp(cat->t[i].id, s->id) == 0)
            ctx = cat->t[i].context;
    /* a target named otherwise (a user catalogue, a VCF) with the gene and protein of a built-in one */
    for (int i = 0; cat && s->kind == VW_KIND_MUTATION && i < cat->n && !ctx; i++)
        if (s->gene && s->protein && strcmp(s->protein, ".") && strcmp(cat->t[i].gene, s->gene) == 0
            && strcmp(skip_p(cat->t[i].protein), skip_p(s->protein)) == 0)
            ctx = cat->t[i].context;
    if (ctx && strcmp(ctx, ".") == 0)
        ctx = NULL;
    if (ret_context)
        *ret_context = ctx;
    if (!ctx)
        return "unknown";
    if (strstr(ctx, "sensitising") || strstr(ctx, "sensitizing"))
        return "sensitising";
    if (strstr(ctx, "resistance"))
        return "resistance";
    return "other";
}

double vw_report_copies_per_ml(const vw_patient_t *p, const vw_track_draw_t *d)
{
    if (!p || !d || d->state == VW_DRAW_NA || !isfinite(d->vaf))
        return NAN;
    for (size_t i = 0; i < p->n_samples; i++)
        if (p->samples[i].sample == d->sample || strcmp(p->samples[i].sample, d->sample) == 0) {
            /* from the VAF as the calls table writes it (%.6g): the same digits from a calls table
             * read back as from the calls in memory (vafwatch run) */
            char vb[32];
            snprintf(vb, sizeof(vb), "%.6g", d->vaf);
            return isfinite(p->samples[i].cfdna_ng_per_ml) ? strtod(vb, NULL) * p->samples[i].cfdna_ng_per_ml * VW_GE_PER_NG
                                                            : NAN;
        }
    return NAN;
}

void vw_report_marker_range(const vw_report_in_t *in, size_t pi, size_t *b, size_t *e)
{
    *b = *e = 0;
    const vw_markers_t *m = in->markers;
    if (!m)
        return;
    size_t i = 0;
    while (i < m->n && m->v[i].patient < pi)
        i++;
    *b = i;
    while (i < m->n && m->v[i].patient == pi)
        i++;
    *e = i;
}

void vw_report_base64(FILE *fp, const void *data, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        q[0] = a[v >> 18 & 63];
        q[1] = a[v >> 12 & 63];
        q[2] = i + 1 < n ? a[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? a[v & 63] : '=';
        fwrite(q, 1, 4, fp);
    }
}

/* ------------------------------------------------------------------------ */
/* Geometry                                                                  */
/* ------------------------------------------------------------------------ */

void vw_report_axes_patient(const vw_patient_t *p, vw_report_axes_t *ret)
{
    ret->left = VW_REPORT_PLOT_LEFT;
    ret->top = VW_REPORT_PLOT_TOP;
    ret->width = VW_REPORT_PLOT_WIDTH;
    ret->height = VW_REPORT_PLOT_HEIGHT;
    ret->vaf_min = VW_REPORT_VAF_MIN;
    ret->vaf_max = VW_REPORT_VAF_MAX;
    ret->first_date = 0;
    ret->last_date = 1;
    if (!p)
        return;
    int32_t lo = p->last_followup, hi = p->last_followup;
    for (size_t i = 0; i < p->n_samples; i++)
        if (p->samples[i].date < lo)
            lo = p->samples[i].date;
    for (size_t i = 0; i < p->n_events; i++)
        if (p->events[i].date < lo)
            lo = p->events[i].date;
    ret->first_date = lo - VW_REPORT_DATE_PAD;
    ret->last_date = hi + VW_REPORT_DATE_PAD;
}

double vw_report_x(const vw_report_axes_t *ax, int32_t date)
{
    double span = (double)ax->last_date - (double)ax->first_date;
    if (!(span > 0))
        span = 1;
    return ax->left + ((double)date - (double)ax->first_date) / span * ax->width;
}

double vw_report_y(const vw_report_axes_t *ax, double vaf)
{
    if (isnan(vaf))
        return NAN;
    double v = vaf < ax->vaf_min ? ax->vaf_min : vaf > ax->vaf_max ? ax->vaf_max : vaf;
    double lmax = log10(ax->vaf_max), lmin = log10(ax->vaf_min);
    return ax->top + (lmax - log10(v)) / (lmax - lmin) * ax->height;
}

double vw_report_plot_vaf(const vw_track_draw_t *d, int *ret_open)
{
    if (ret_open)
        *ret_open = 0;
    if (!d)
        return NAN;
    if (d->state == VW_DRAW_DET && isfinite(d->vaf))
        return d->vaf;
    if (d->state == VW_DRAW_NEG && isfinite(d->lod95) && d->lod95 > 0) {
        if (ret_open)
            *ret_open = 1;
        return d->lod95;
    }
    return NAN;
}

/* ------------------------------------------------------------------------ */
/* Text                                                                      */
/* ------------------------------------------------------------------------ */

static const char *esc_of(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? "?" : NULL;
    }
}

void vw_report_html_escape(FILE *fp, const char *s)
{
    if (!fp || !s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *e = esc_of(*p);
        if (e)
            fputs(e, fp);
        else
            fputc(*p, fp);
    }
}

char *vw_report_html_escaped(const char *s)
{
    if (!s)
        return NULL;
    size_t n = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *e = esc_of(*p);
        n += e ? strlen(e) : 1;
    }
    char *out = malloc(n), *q = out;
    if (!out) {
        errno = ENOMEM;
        return NULL;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *e = esc_of(*p);
        if (e) {
            size_t l = strlen(e);
            memcpy(q, e, l);
            q += l;
        } else {
            *q++ = (char)*p;
        }
    }
    *q = '\0';
    return out;
}

void vw_report_file_names_free(char **names, size_t n)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int name_taken(char **names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(names[i], s) == 0)
            return 1;
    return 0;
}

#define NAME_MAX_BYTES 80

int vw_report_file_names(const char *const *ids, size_t n, char ***ret)
{
    if (!ret || (n && !ids))
        return -EINVAL;
    char **names = calloc(n ? n : 1, sizeof(*names));
    if (!names)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *id = ids[i] ? ids[i] : "";
        char base[NAME_MAX_BYTES + 1];
        size_t l = 0;
        for (const unsigned char *p = (const unsigned char *)id; *p && l < NAME_MAX_BYTES; p++)
            base[l++] = (isalnum(*p) && *p < 0x80) || *p == '.' || *p == '_' || *p == '-' ? (char)*p : '_';
        base[l] = '\0';
        if (l == 0)
            strcpy(base, "patient");
        if (base[0] == '.')
            base[0] = '_';
        char *s = malloc(NAME_MAX_BYTES + 24);
        if (!s) {
            vw_report_file_names_free(names, i);
            return -ENOMEM;
        }
        snprintf(s, NAME_MAX_BYTES + 24, "%s", base);
        for (unsigned k = 2; name_taken(names, i, s); k++)
            snprintf(s, NAME_MAX_BYTES + 24, "%s-%u", base, k);
        names[i] = s;
    }
    *ret = names;
    return 0;
}

char *vw_report_pct(double frac, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!isfinite(frac)) {
        snprintf(buf, size, "NA");
        return buf;
    }
    double v = frac * 100.0;
    if (v == 0) {
        snprintf(buf, size, "0");
        return buf;
    }
    double a = fabs(v);
    int e = (int)floor(log10(a));
    /* round to 2 significant figures first, then choose the decimals */
    double scale = pow(10.0, 1 - e);
    double r = round(a * scale) / scale;
    e = (int)floor(log10(r));
    int dec = 1 - e;
    if (dec < 0)
        dec = 0;
    snprintf(buf, size, "%s%.*f", v < 0 ? "-" : "", dec, r);
    return buf;
}

char *vw_report_count(long v, char *buf, size_t size)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%ld", v < 0 ? -v : v);
    size_t l = strlen(tmp), j = 0;
    char out[48];
    if (v < 0)
        out[j++] = '-';
    for (size_t i = 0; i < l; i++) {
        if (i && (l - i) % 3 == 0)
            out[j++] = ',';
        out[j++] = tmp[i];
    }
    out[j] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}

const char *vw_report_date(int32_t d, char *buf)
{
    if (d == VW_DATE_NONE || vw_date_format(d, buf) != 0)
        strcpy(buf, "NA");
    return buf;
}

void vw_report_json_num(FILE *fp, double v, const char *fmt)
{
    if (!isfinite(v))
        fputs("null", fp);
    else
        fprintf(fp, fmt, v);
}

char *vw_report_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm) && strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
        return buf;
    snprintf(buf, size, "unknown");
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Records                                                                   */
/* ------------------------------------------------------------------------ */

void vw_report_series_range(const vw_track_t *tr, const vw_patient_t *p, size_t *beg, size_t *end)
{
    size_t i = 0;
    while (i < tr->n && tr->s[i].patient != p)
        i++;
    *beg = i;
    while (i < tr->n && tr->s[i].patient == p)
        i++;
    *end = i;
}

int vw_report_is_clone(const vw_track_series_t *s) { return s->n_detected > 0; }

const vw_lead_t *vw_report_lead(const vw_leadtime_t *lt, const vw_patient_t *p, size_t i)
{
    if (!lt)
        return NULL;
    if (i < lt->n && lt->p[i].patient == p)
        return &lt->p[i];
    for (size_t j = 0; j < lt->n; j++)
        if (lt->p[j].patient == p)
            return &lt->p[j];
    return NULL;
}

size_t vw_report_n_clones(const vw_track_t *tr, const vw_patient_t *p)
{
    size_t b, e, n = 0;
    vw_report_series_range(tr, p, &b, &e);
    for (size_t i = b; i < e; i++)
        n += tr->s[i].kind == VW_KIND_MUTATION && vw_report_is_clone(&tr->s[i]); /* mutant clones */
    return n;
}

size_t vw_report_n_draws(const vw_patient_t *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_samples; i++)
        n += p->samples[i].type == VW_SAMPLE_PLASMA;
    return n;
}

/* ------------------------------------------------------------------------ */
/* CNV table                                                                 */
/* ------------------------------------------------------------------------ */

void vw_report_cnv_destroy(vw_report_cnv_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n_rows; i++) {
        for (int j = 0; j < c->n_cols; j++)
            free(c->row[i][j]);
        free(c->row[i]);
    }
    free(c->row);
    for (int j = 0; j < c->n_cols; j++)
        free(c->col[j]);
    free(c->col);
    free(c);
}

/* Copies the header names of t into c; returns 0 or -ENOMEM. */
static int cnv_copy_header(const vw_table_t *t, vw_report_cnv_t *c)
{
    int n = vw_table_ncols(t);
    if (!(c->col = calloc((size_t)n, sizeof(char *))))
        return -ENOMEM;
    c->n_cols = n;
    for (int j = 0; j < n; j++)
        if (!(c->col[j] = vw_strdup(vw_table_colname(t, j))))
            return -ENOMEM;
    return 0;
}

/* Appends a copy of the row's n fields to c; returns 0 or -ENOMEM. */
static int cnv_push_row(vw_report_cnv_t *c, int *m_rows, char **f, int n)
{
    if (c->n_rows == *m_rows) {
        int m = *m_rows ? 2 * *m_rows : 16;
        char ***r = realloc(c->row, (size_t)m * sizeof(*r));
        if (!r)
            return -ENOMEM;
        c->row = r;
        *m_rows = m;
    }
    char **r = calloc((size_t)n, sizeof(char *));
    if (!r)
        return -ENOMEM;
    c->row[c->n_rows++] = r;
    for (int j = 0; j < n; j++)
        if (!(r[j] = vw_strdup(f[j])))
            return -ENOMEM;
    return 0;
}

int vw_report_cnv_read(const char *path, vw_report_cnv_t **ret)
{
    static const vw_table_col_t spec[] = {{"sample", 1}};
    vw_table_t *t = NULL;
    char **f;
    int rc, m_rows = 0;
    if (!path || !ret)
        return -EINVAL;
    if ((rc = vw_table_open(path, "cnv table", &t)) < 0)
        return rc;
    vw_report_cnv_t *c = calloc(1, sizeof(*c));
    if (!c) {
        rc = -ENOMEM;
        goto out;
    }
    if ((rc = vw_table_header(t, "cnv table", spec, 1, VW_TABLE_UNKNOWN_IGNORE, &c->sample_col)) < 0
        || (rc = cnv_copy_header(t, c)) < 0)
        goto out;
    while ((rc = vw_table_row(t, &f)) == 1)
        if ((rc = cnv_push_row(c, &m_rows, f, c->n_cols)) < 0)
            break;
    if (rc == 0) {
        *ret = c;
        c = NULL;
    }
out:
    if (rc == -ENOMEM)
        vw_error_code(rc, "reading '%s'", path);
    vw_table_close(t);
    vw_report_cnv_destroy(c);
    return rc;
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

int vw_report_write_mqc(const vw_report_in_t *in, FILE *fp)
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
          "patient\tstatus\tfirst_detection\tprogression\tlead_time_days\tn_draws\tn_clones\n", fp);
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
        fprintf(fp, "\t%zu\t%zu\n", vw_report_n_draws(p), vw_report_n_clones(in->tr, p));
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int vw_report_write_mqc_stats(const vw_report_in_t *in, FILE *fp)
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

int vw_report_write_mqc_vaf(const vw_report_in_t *in, FILE *fp)
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
    case J_INDEX: rc = vw_report_write_cohort_html(j->in, j->opt, j->names, of.fp); break;
    case J_JSON: rc = vw_report_write_json(j->in, j->opt, of.fp); break;
    case J_MQC: rc = vw_report_write_mqc(j->in, of.fp); break;
    case J_MQC_STATS: rc = vw_report_write_mqc_stats(j->in, of.fp); break;
    case J_MQC_VAF: rc = vw_report_write_mqc_vaf(j->in, of.fp); break;
    case J_PHTML: rc = vw_report_write_patient_html(j->in, j->opt, j->patient, of.fp); break;
    default: rc = vw_report_write_patient_json(j->in, j->opt, j->patient, of.fp); break;
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
    size_t cap = strlen(outdir) + NAME_MAX_BYTES + 64;
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

size_t vw_report_track_params(const vw_track_opt_t *o, const char **keys, char vals[][64])
{
    size_t n = 0;
    keys[n] = "rule";
    snprintf(vals[n++], 64, "%s", vw_track_rule_name(o->rule));
    keys[n] = "alpha (strict and cusum rules)";
    snprintf(vals[n++], 64, "%g", o->alpha);
    keys[n] = "cusum_k";
    snprintf(vals[n++], 64, "%g", o->cusum_k);
    keys[n] = "truncal";
    snprintf(vals[n++], 64, "%.63s", o->truncal ? o->truncal : "none");
    return n;
}

void vw_report_bg_counts(const vw_calls_t *cs, long ret[3])
{
    ret[0] = ret[1] = ret[2] = 0;
    if (!cs)
        return;
    for (int i = 0; i < cs->n; i++)
        if ((unsigned)cs->c[i].background < 3)
            ret[cs->c[i].background]++;
}
