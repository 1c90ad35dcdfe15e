/* report_util.c -- what every report writer shares: the palette, geometry,
 * text and number formatting, status words, roles and the lookups over the
 * tracked series (report_priv.h, report.h).  It depends on no other report
 * file: report.c, report_html.c, report_json.c and report_genome.c all sit
 * above it. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "vafwatch/log.h"
#include "vafwatch/stats.h"
#include "vafwatch/report.h"
#include "report_priv.h"

const char *const vw_report_colours[VW_REPORT_N_COLOURS] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

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
    if (s->ch_cohort)
        return "CH?: low and flat from the baseline in several patients (clonal haematopoiesis or a "
               "recurrent artefact?), never an emergence";
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


int vw_report_file_names(const char *const *ids, size_t n, char ***ret)
{
    if (!ret || (n && !ids))
        return -EINVAL;
    char **names = calloc(n ? n : 1, sizeof(*names));
    if (!names)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *id = ids[i] ? ids[i] : "";
        char base[VW_REPORT_NAME_MAX_BYTES + 1];
        size_t l = 0;
        for (const unsigned char *p = (const unsigned char *)id; *p && l < VW_REPORT_NAME_MAX_BYTES; p++)
            base[l++] = (isalnum(*p) && *p < 0x80) || *p == '.' || *p == '_' || *p == '-' ? (char)*p : '_';
        base[l] = '\0';
        if (l == 0)
            strcpy(base, "patient");
        if (base[0] == '.')
            base[0] = '_';
        char *s = malloc(VW_REPORT_NAME_MAX_BYTES + 24);
        if (!s) {
            vw_report_file_names_free(names, i);
            return -ENOMEM;
        }
        snprintf(s, VW_REPORT_NAME_MAX_BYTES + 24, "%s", base);
        for (unsigned k = 2; name_taken(names, i, s); k++)
            snprintf(s, VW_REPORT_NAME_MAX_BYTES + 24, "%s-%u", base, k);
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

/* "alpha (strict and cusum rules)": the rules of the rule table that read alpha. */
static const char *alpha_key(char *buf, size_t size)
{
    size_t n, m = 0, k = 0;
    const vw_rule_t *r = vw_rules(&n);
    for (size_t i = 0; i < n; i++)
        m += strstr(r[i].parameters, "alpha") != NULL;
    size_t len = (size_t)snprintf(buf, size, "alpha (");
    for (size_t i = 0; i < n && len < size; i++)
        if (strstr(r[i].parameters, "alpha")) {
            k++;
            len += (size_t)snprintf(buf + len, size - len, "%s%s", k == 1 ? "" : k == m ? " and " : ", ", r[i].name);
        }
    if (len < size)
        snprintf(buf + len, size - len, " rule%s)", m == 1 ? "" : "s");
    return buf;
}

size_t vw_report_track_params(const vw_track_opt_t *o, const char **keys, char vals[][64])
{
    size_t n = 0;
    keys[n] = "rule";
    snprintf(vals[n++], 64, "%s", vw_track_rule_name(o->rule));
    keys[n] = alpha_key(vals[VW_REPORT_N_TRACK_PARAMS - 1], 64);
    snprintf(vals[n++], 64, "%g", o->alpha);
    keys[n] = "cusum_k";
    snprintf(vals[n++], 64, "%g", o->cusum_k);
    keys[n] = "truncal";
    snprintf(vals[n++], 64, "%.63s", o->truncal ? o->truncal : "none");
    keys[n] = "CH: patients low and flat from baseline";
    if (o->ch_patients > 0)
        snprintf(vals[n++], 64, "%d", o->ch_patients);
    else
        snprintf(vals[n++], 64, "off");
    keys[n] = "CH: highest VAF";
    snprintf(vals[n++], 64, "%g", o->ch_max_vaf);
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
