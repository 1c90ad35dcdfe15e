/* report_html.c -- the HTML reports: index.html (cohort: swimmer plot,
 * lead-time summary, Kaplan-Meier curves, links) and one page per patient
 * (VAF over calendar time on a log axis, tables, methods).  Self-contained:
 * inline CSS and SVG, no script, nothing loaded (docs/reports.md).  Every
 * user string goes through vw_report_html_escape(); the SVG is well-formed
 * XML. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/report.h"
#include "vafwatch/stats.h"
#include "report_priv.h"
#include "svg.h"

#define esc vw_report_html_escape

/* Treatment band fills (light), cycled by line. */
static const char *const band_fill[4] = {"#dbe7f3", "#f6e3cf", "#dcefe6", "#eedcea"};
/* Swimmer treatment bar colours, cycled by drug in order of first use. */
static const char *const drug_fill[6] = {"#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc", "#fdd0a2", "#c7e9c0"};

#define RED "#C0392B"
#define AMP_COL "#E69F00" /* swimmer: first detection is an amplification */

static void page_head(FILE *fp, const char *title_prefix, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", fp);
    esc(fp, title_prefix);
    esc(fp, title);
    fputs("</title>\n<style>\n"
          "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,Helvetica,sans-serif;color:#222;"
          "max-width:1060px;margin:20px auto;padding:0 16px;font-size:14px;line-height:1.4}\n"
          "h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ccc}\n"
          "h3{font-size:14px;margin:14px 0 4px}\n"
          "table{border-collapse:collapse;margin:4px 0 10px;font-size:12.5px}\n"
          "th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}\n"
          "th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
          ".box{border:1px solid #bbb;background:#fafafa;padding:8px 12px;margin:8px 0}\n"
          ".nd{color:#555}.det{font-weight:bold}.flag{color:#8a4b00}\n"
          ".muted{color:#666;font-size:12px}\n"
          "svg{width:100%;height:auto;display:block}\n"
          ".headline{font-size:15px;margin:0 0 6px}.ruo{border:1px solid #d9b36c;background:#fff8e6;padding:4px 10px;"
          "margin:6px 0;font-size:12.5px}.rdate{color:#444;font-size:12.5px;margin:0 0 4px}\n"
          ".st-emerging,.st-pre-existing{color:#9b1c1c;font-weight:bold}.st-unconfirmed{color:#8a4b00;"
          "background:#fff3cd;font-weight:bold}.st-transient{color:#555}.role-sensitising{color:#1f5f3a}"
          ".role-resistance{color:#9b1c1c}\n"
          "details{margin:6px 0 10px}summary{cursor:pointer}.dl{font-size:12px;margin:2px 0 0}\n"
          "svg text{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,Helvetica,sans-serif}\n"
          "a{color:#0b5394}\n"
          "@page{size:A4;margin:14mm}\n"
          "@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
          "h2{page-break-after:avoid}figure,svg,.box{page-break-inside:avoid}"
          "tr{page-break-inside:avoid}thead{display:table-header-group}"
          "table{font-size:8.5pt}.noprint,.dl{display:none}a{color:#222;text-decoration:none}}\n"
          "figure{margin:8px 0}figcaption{font-size:12px;color:#444;margin-top:4px}\n"
          "</style>\n</head>\n<body>\n", fp);
}

/* "0.34 % (17/5,012)" for a detected draw. */
static void vaf_text(char *buf, size_t size, const vw_track_draw_t *d)
{
    char v[32], a[32], n[32];
    snprintf(buf, size, "%s %% (%s/%s)", vw_report_pct(d->vaf, v, sizeof(v)), vw_report_count(d->alt, a, sizeof(a)),
             vw_report_count(d->depth, n, sizeof(n)));
}

static const char *clone_name(const vw_track_series_t *s, char *buf, size_t size)
{
    const char *g = s->gene && *s->gene && strcmp(s->gene, ".") ? s->gene : NULL;
    const char *p = s->protein && *s->protein && strcmp(s->protein, ".") ? s->protein : NULL;
    if (g && p)
        snprintf(buf, size, "%s %s", g, p);
    else if (g || p)
        snprintf(buf, size, "%s", g ? g : p);
    else
        snprintf(buf, size, "%s", s->id);
    return buf;
}

/* A mutation detected at least once: a line of the VAF plot and a row of
 * the clone table.  Amplifications have their own panel and table. */
static int is_vaf_clone(const vw_track_series_t *s)
{
    return s->kind == VW_KIND_MUTATION && vw_report_is_clone(s);
}

static int is_amp(const vw_track_series_t *s) { return s->kind == VW_KIND_AMPLIFICATION && s->n_assessed > 0; }

static void months_text(char *buf, size_t size, double days)
{
    snprintf(buf, size, "%.0f days (%.1f months)", days, vw_date_months(days));
}

/* ------------------------------------------------------------------------ */
/* Figures: the SVG inline, a caption, and the SVG and its data to save      */
/* ------------------------------------------------------------------------ */

/* A figure is drawn into memory first, so that the page can carry it twice:
 * inline, and as a data: URI behind a download link (no script, nothing
 * loaded; a link the reader clicks saves the file). */
typedef struct {
    char *svg, *csv;
    size_t n_svg, n_csv;
    FILE *fs, *fc;
} fig_t;

static int fig_open(fig_t *f)
{
    memset(f, 0, sizeof(*f));
    f->fs = open_memstream(&f->svg, &f->n_svg);
    f->fc = f->fs ? open_memstream(&f->csv, &f->n_csv) : NULL;
    if (!f->fc) {
        if (f->fs)
            fclose(f->fs);
        free(f->svg);
        return -ENOMEM;
    }
    return 0;
}

/* Closes the streams and writes the figure (nothing when no SVG was drawn):
 * 'base' names the saved files (<base>.svg, <base>.csv), 'header' is the
 * CSV header line.  Returns 0 or -ENOMEM. */
static int fig_close(FILE *fp, fig_t *f, const char *caption, const char *base, const char *header)
{
    int bad = ferror(f->fs) || ferror(f->fc);
    bad |= fclose(f->fs) != 0;
    bad |= fclose(f->fc) != 0;
    if (!bad && f->n_svg) {
        fputs("<figure>\n", fp);
        fwrite(f->svg, 1, f->n_svg, fp);
        fprintf(fp, "<figcaption>%s</figcaption>\n<p class=\"dl\">Save: <a download=\"", caption);
        esc(fp, base);
        fputs(".svg\" href=\"data:image/svg+xml;base64,", fp);
        static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        /* the XML declaration goes in front: base64 of the concatenation */
        size_t n = sizeof(xml) - 1 + f->n_svg;
        char *all = malloc(n ? n : 1);
        size_t nh = strlen(header);
        char *csv = malloc(nh + 1 + f->n_csv + 1);
        if (!all || !csv) {
            free(all);
            free(csv);
            bad = 1;
        } else {
            memcpy(all, xml, sizeof(xml) - 1);
            memcpy(all + sizeof(xml) - 1, f->svg, f->n_svg);
            vw_report_base64(fp, all, n);
            fputs("\">plot (SVG)</a> &#183; <a download=\"", fp);
            esc(fp, base);
            fputs(".csv\" href=\"data:text/csv;charset=utf-8;base64,", fp);
            memcpy(csv, header, nh);
            csv[nh] = '\n';
            memcpy(csv + nh + 1, f->csv, f->n_csv);
            vw_report_base64(fp, csv, nh + 1 + f->n_csv);
            fputs("\">plotted data (CSV)</a></p>\n</figure>\n", fp);
            free(all);
            free(csv);
        }
    }
    free(f->svg);
    free(f->csv);
    return bad ? -ENOMEM : 0;
}

#define VAF_CSV_HEADER "patient,clone,target,role,date,sample,state,depth,alt,vaf,vaf_lo,vaf_hi,lod95,copies_per_ml"
#define PCN_CSV_HEADER "patient,gene,date,sample,state,pcn,cn_z,tf,cn_tumour"
#define SWIM_CSV_HEADER "patient,what,date,months,detail"
#define KM_CSV_HEADER "curve,months,survival,events,censored"

/* ------------------------------------------------------------------------ */
/* Patient plot                                                              */
/* ------------------------------------------------------------------------ */

/* A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
static void csv_field(FILE *fp, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void csv_num(FILE *fp, double v, const char *fmt)
{
    fputc(',', fp);
    if (isfinite(v))
        fprintf(fp, fmt, v);
    else
        fputs("NA", fp);
}

/* The colour index of series k among the VAF clones of [b, k). */
static size_t clone_index(const vw_track_t *tr, size_t b, size_t k)
{
    size_t n = 0;
    for (size_t j = b; j < k; j++)
        n += is_vaf_clone(&tr->s[j]) != 0;
    return n;
}

/* Later VAF clones of [k+1, e) not detected at draw 'di' with their ring
 * within 6 units of 'y': this ring is drawn that many steps larger, so
 * rings that would coincide are concentric and all stay visible. */
static int ring_rank(const vw_track_t *tr, const vw_report_axes_t *ax, size_t k, size_t e, size_t di, double y)
{
    int r = 0;
    for (size_t j = k + 1; j < e; j++) {
        const vw_track_series_t *o = &tr->s[j];
        int open;
        if (!is_vaf_clone(o) || di >= o->n_draws)
            continue;
        double v = vw_report_plot_vaf(&o->draws[di], &open);
        if (open && fabs(vw_report_y(ax, v) - y) < 6)
            r++;
    }
    return r;
}

/* The VAF axes: frame, treatment bands, decades (log), dates, titles and
 * the treatments' names. */
static void vaf_axes(vw_svg_t *sv, const vw_patient_t *p, const vw_report_axes_t *ax)
{
    double bottom = ax->top + ax->height, right = ax->left + ax->width;
    vw_svg_frame(sv, ax->left, ax->top, ax->width, ax->height);
    for (size_t k = 0; k < p->n_treatments; k++) {
        const vw_treatment_t *t = &p->treatments[k];
        double x0 = vw_report_x(ax, t->start);
        double x1 = vw_report_x(ax, t->has_stop ? t->stop : p->last_followup);
        if (x1 - x0 < 2)
            x1 = x0 + 2;
        vw_svg_rect(sv, NULL, x0, ax->top, x1 - x0, ax->height, *t->drug ? t->drug : "treatment",
                    "fill=\"%s\" fill-opacity=\"0.75\"", band_fill[k % 4]);
    }
    static const char *const lab[] = {"100 %", "10 %", "1 %", "0.1 %", "0.01 %"};
    for (int dec = 0; dec <= 4; dec++) {
        double v = pow(10.0, -dec), y = vw_report_y(ax, v);
        vw_svg_line(sv, NULL, ax->left, y, right, y, NULL, "stroke=\"#ccc\"");
        vw_svg_line(sv, NULL, ax->left - 5, y, ax->left, y, NULL, "stroke=\"#333\"");
        vw_svg_text(sv, ax->left - 8, y + 4, "end", "font-size=\"12\"", lab[dec]);
        for (int mnr = 2; dec < 4 && mnr <= 9; mnr++) {
            double ym = vw_report_y(ax, v / 10.0 * mnr);
            vw_svg_line(sv, NULL, ax->left - 3, ym, ax->left, ym, NULL, "stroke=\"#333\"");
        }
    }
    vw_svg_ylabel(sv, 18, ax->top + ax->height / 2, "Mutant allele fraction (VAF, %, log scale)");
    vw_svg_date_axis(sv, ax, bottom);
    vw_svg_axis(sv, ax->left, right, bottom);
    vw_svg_text(sv, ax->left + ax->width / 2, bottom + 64, "middle", "font-size=\"13\"",
                "Date (blood draws; scans marked under the axis)");
    for (size_t k = 0; k < p->n_treatments; k++) {
        const vw_treatment_t *t = &p->treatments[k];
        char lab2[160];
        snprintf(lab2, sizeof(lab2), "%s%s", *t->drug ? t->drug : "treatment", t->has_stop ? "" : " (ongoing)");
        vw_svg_text(sv, vw_report_x(ax, t->start) + 4, ax->top + 16 + 14.0 * (double)(k % 3), "start",
                    "font-size=\"12\" font-style=\"italic\" fill=\"#123\" stroke=\"#fff\" stroke-width=\"3\" "
                    "paint-order=\"stroke\"", lab2);
    }
}

/* Scans and progression events under the axis (triangles), deaths (crosses). */
static void vaf_events(vw_svg_t *sv, const vw_patient_t *p, const vw_report_axes_t *ax)
{
    double bottom = ax->top + ax->height;
    for (size_t k = 0; k < p->n_events; k++) {
        const vw_event_t *ev = &p->events[k];
        double x = vw_report_x(ax, ev->date);
        char d[VW_DATE_BUFSZ], title[512];
        vw_report_date(ev->date, d);
        int pd = (ev->type == VW_EVENT_SCAN && ev->response == VW_RECIST_PD) || ev->type == VW_EVENT_PROGRESSION;
        if (ev->type == VW_EVENT_SCAN || ev->type == VW_EVENT_PROGRESSION) {
            snprintf(title, sizeof(title), "%s: %s%s", d, ev->type == VW_EVENT_SCAN ? "scan " : "progression ",
                     ev->detail);
            vw_svg_marker(sv, VW_SVG_UP, NULL, x, bottom + 4, title, "fill=\"%s\"", pd ? RED : "#888");
            const char *lab = ev->type == VW_EVENT_SCAN ? vw_timeline_recist_name(ev->response) : "PD";
            vw_svg_text(sv, x, bottom + 26, "middle",
                        pd ? "font-size=\"11\" font-weight=\"bold\" fill=\"" RED "\"" : "font-size=\"10\" fill=\"#666\"",
                        lab);
        } else if (ev->type == VW_EVENT_DEATH) {
            vw_svg_marker(sv, VW_SVG_CROSS, NULL, x - 4, bottom + 5, NULL, "stroke=\"#000\" stroke-width=\"2\"");
            vw_svg_text(sv, x, bottom + 26, "middle", "font-size=\"10\"", "death");
        }
    }
}

/* The progression line, one dashed line and marker per clone that passed the
 * emergence rule (in its colour), and the lead time between them. */
static void vaf_emergence(vw_svg_t *sv, const vw_report_in_t *in, const vw_patient_t *p, const vw_lead_t *l,
                          const vw_report_axes_t *ax, size_t b, size_t e)
{
    double bottom = ax->top + ax->height, right = ax->left + ax->width;
    if (p->has_progression) {
        double x = vw_report_x(ax, p->progression_date);
        vw_svg_line(sv, NULL, x, ax->top - 28, x, bottom, NULL, "stroke=\"" RED "\" stroke-width=\"1.5\"");
        vw_svg_text(sv, x + 3, bottom - 6, "start", "font-size=\"11\" fill=\"" RED "\"", "progression");
    }
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (!is_vaf_clone(s) || !vw_report_is_emerging(s) || s->first_detection == VW_DATE_NONE)
            continue;
        const char *col = vw_report_colours[clone_index(in->tr, b, k) % VW_REPORT_N_COLOURS];
        double x = vw_report_x(ax, s->first_detection);
        char name[160], dd[VW_DATE_BUFSZ], title[256];
        snprintf(title, sizeof(title), "%s emerged %s", clone_name(s, name, sizeof(name)),
                 vw_report_date(s->first_detection, dd));
        sv->nl = ""; /* one line: <g><line/><path/><title/></g> */
        vw_svg_group(sv, "emergence", NULL);
        vw_svg_line(sv, NULL, x, ax->top, x, bottom, NULL, "stroke=\"%s\" stroke-width=\"1.5\" "
                    "stroke-dasharray=\"6 4\"", col);
        vw_svg_marker(sv, VW_SVG_DOWN, NULL, x, ax->top, NULL, "fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.8\"",
                      col);
        sv->nl = "\n";
        vw_svg_group_end(sv, title);
    }
    if (!l || l->first_detection == VW_DATE_NONE)
        return;
    double x = vw_report_x(ax, l->first_detection);
    if (l->clone && l->clone->kind != VW_KIND_MUTATION)
        vw_svg_line(sv, NULL, x, ax->top - 28, x, bottom, NULL,
                    "stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
    else
        vw_svg_line(sv, NULL, x, ax->top - 28, x, ax->top - 9, NULL, "stroke=\"#333\" stroke-width=\"1\"");
    vw_svg_text(sv, x - 3, bottom - 6, "end", "font-size=\"11\" fill=\"#333\"", "emergence");
    if (isfinite(l->lead_days) && l->progression != VW_DATE_NONE) {
        double xp = vw_report_x(ax, l->progression);
        char t[96], m[64];
        months_text(m, sizeof(m), l->lead_days);
        snprintf(t, sizeof(t), "lead time %s", m);
        vw_svg_line(sv, NULL, x, ax->top - 18, xp, ax->top - 18, NULL,
                    "stroke=\"#333\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"");
        double xm = (x + xp) / 2;
        if (xm < ax->left + 130)
            xm = ax->left + 130;
        if (xm > right - 130)
            xm = right - 130;
        vw_svg_text(sv, xm, ax->top - 26, "middle", "font-size=\"13\" font-weight=\"bold\"", t);
    }
}

/* The plotted data of one clone, one CSV row per draw. */
static void vaf_csv(FILE *csv, const vw_patient_t *p, const vw_track_series_t *s, const char *name, const char *role)
{
    for (size_t di = 0; di < s->n_draws; di++) {
        const vw_track_draw_t *d = &s->draws[di];
        char dd[VW_DATE_BUFSZ];
        csv_field(csv, p->id);
        fputc(',', csv);
        csv_field(csv, name);
        fputc(',', csv);
        csv_field(csv, s->id);
        fprintf(csv, ",%s,%s,", role, vw_report_date(d->date, dd));
        csv_field(csv, d->sample);
        fprintf(csv, ",%s", d->state == VW_DRAW_DET ? "detected" : d->state == VW_DRAW_NEG ? "not_detected"
                                                                                          : "not_assessed");
        if (d->depth >= 0)
            fprintf(csv, ",%ld,%ld", d->depth, d->alt);
        else
            fputs(",NA,NA", csv);
        csv_num(csv, d->vaf, "%.6g");
        csv_num(csv, d->vaf_lo, "%.6g");
        csv_num(csv, d->vaf_hi, "%.6g");
        csv_num(csv, d->lod95, "%.6g");
        csv_num(csv, vw_report_copies_per_ml(p, d), "%.1f");
        fputc('\n', csv);
    }
}

/* The 95 % interval of a clone as a shaded band over each run of >= 2
 * detected draws. */
static void vaf_bands(vw_svg_t *sv, const vw_track_series_t *s, const vw_report_axes_t *ax)
{
    double *x = malloc((s->n_draws + 1) * sizeof(double)), *hi = malloc((s->n_draws + 1) * sizeof(double)),
           *lo = malloc((s->n_draws + 1) * sizeof(double));
    for (size_t di = 0; x && hi && lo && di < s->n_draws;) {
        size_t dj = di;
        while (dj < s->n_draws && s->draws[dj].state == VW_DRAW_DET && isfinite(s->draws[dj].vaf_lo)
               && isfinite(s->draws[dj].vaf_hi)) {
            x[dj - di] = vw_report_x(ax, s->draws[dj].date);
            hi[dj - di] = vw_report_y(ax, s->draws[dj].vaf_hi);
            lo[dj - di] = vw_report_y(ax, s->draws[dj].vaf_lo);
            dj++;
        }
        if (dj - di >= 2)
            vw_svg_band(sv, x, hi, lo, dj - di);
        di = dj > di ? dj : di + 1;
    }
    free(x);
    free(hi);
    free(lo);
}

/* One clone: its bands, the line through its draws (dashed to and from a
 * not-detected draw) and a marker per draw: filled with its interval where
 * detected, a ring at the LoD95 where not. */
static void vaf_clone(vw_svg_t *sv, const vw_report_in_t *in, const vw_report_axes_t *ax, size_t k, size_t e,
                      const char *col, const char *name)
{
    const vw_track_series_t *s = &in->tr->s[k];
    vw_svg_group(sv, NULL, "stroke=\"%s\" fill=\"%s\"", col, col);
    vaf_bands(sv, s, ax);
    vw_svg_poly_t pl = {0, 0, 0};
    int popen = 0;
    for (size_t di = 0; di < s->n_draws; di++) {
        int open;
        double v = vw_report_plot_vaf(&s->draws[di], &open);
        if (isnan(v))
            continue;
        vw_svg_poly_to(sv, &pl, vw_report_x(ax, s->draws[di].date), vw_report_y(ax, v),
                       open || popen ? "stroke-width=\"1.5\" stroke-dasharray=\"3 3\"" : "stroke-width=\"1.5\"");
        popen = open;
    }
    for (size_t di = 0; di < s->n_draws; di++) {
        const vw_track_draw_t *d = &s->draws[di];
        int open;
        double v = vw_report_plot_vaf(d, &open);
        if (isnan(v))
            continue;
        double x = vw_report_x(ax, d->date), y = vw_report_y(ax, v);
        char dd[VW_DATE_BUFSZ], t[128], lod[32], title[1024];
        if (open)
            snprintf(t, sizeof(t), "not detected (LoD95 %s %%)", vw_report_pct(d->lod95, lod, sizeof(lod)));
        else
            vaf_text(t, sizeof(t), d);
        snprintf(title, sizeof(title), "%s %s: %s: %s", name, vw_report_date(d->date, dd), d->sample, t);
        if (open) { /* clones not detected at one LoD overlap: earlier clones get larger rings */
            vw_svg_circle(sv, "nd", x, y, 4.5 + 2.5 * (double)ring_rank(in->tr, ax, k, e, di, y), title,
                          "fill=\"none\" stroke-width=\"1.5\"");
            continue;
        }
        if (isfinite(d->vaf_lo) && isfinite(d->vaf_hi))
            vw_svg_line(sv, NULL, x, vw_report_y(ax, d->vaf_lo), x, vw_report_y(ax, d->vaf_hi), NULL,
                        "stroke-width=\"1.2\"");
        vw_svg_circle(sv, "det", x, y, 4.5, title, NULL);
    }
    vw_svg_group_end(sv, NULL);
}

/* The key of the VAF plot, from legend row ly down. */
static void vaf_key(vw_svg_t *sv, double ly)
{
    vw_svg_text(sv, 720, ly, "start", "font-size=\"12\" font-weight=\"bold\"", "Key");
    ly += 18;
    vw_svg_legend(sv, 732, ly, VW_SVG_SW_BAR_DOT, "#333", "detected (bar: 95 % CI)");
    vw_svg_legend(sv, 732, ly += 20, VW_SVG_SW_OPEN_DOT, "#333", "not detected, drawn at LoD95");
    vw_svg_legend(sv, 732, ly += 20, VW_SVG_SW_BOX, band_fill[0], "treatment (drug named)");
    vw_svg_legend(sv, 732, ly += 20, VW_SVG_SW_UP, "#888", "scan (RECIST response)");
    vw_svg_legend(sv, 732, ly += 20, VW_SVG_SW_UP, RED, "progression (PD)");
    vw_svg_legend(sv, 732, ly += 20, VW_SVG_SW_DASH_DOWN, "#333", "emergence (rule met)");
}

static int patient_plot(FILE *fp, FILE *csv, const vw_report_in_t *in, size_t pi, const vw_targets_t *cat)
{
    const vw_patient_t *p = &in->tl->patients[pi];
    vw_report_axes_t ax;
    vw_report_axes_patient(p, &ax);
    size_t b, e, nclone = 0;
    vw_report_series_range(in->tr, p, &b, &e);
    for (size_t k = b; k < e; k++)
        nclone += is_vaf_clone(&in->tr->s[k]) != 0;
    double bottom = ax.top + ax.height, legend_h = 30 + 20.0 * (double)(nclone + 8);
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, NULL, 960, bottom + 80 > legend_h ? bottom + 80 : legend_h, 1, "VAF of each clone over time");
    vw_svg_defs_arrow(&sv);
    vaf_axes(&sv, p, &ax);
    vaf_events(&sv, p, &ax);
    vaf_emergence(&sv, in, p, vw_report_lead(in->lt, p, pi), &ax, b, e);
    size_t ci = 0;
    double ly = 40;
    vw_svg_text(&sv, 720, ly - 16, "start", "font-size=\"12\" font-weight=\"bold\"", "Clones");
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (!is_vaf_clone(s))
            continue;
        const char *col = vw_report_colours[ci % VW_REPORT_N_COLOURS];
        char name[160], lab[200];
        clone_name(s, name, sizeof(name));
        const char *role = vw_report_role(cat, s, NULL);
        vaf_csv(csv, p, s, name, role);
        vaf_clone(&sv, in, &ax, k, e, col, name);
        snprintf(lab, sizeof(lab), "%s (%s)", name, strcmp(role, "unknown") ? role : "role not catalogued");
        vw_svg_legend(&sv, 732, ly, VW_SVG_SW_LINE_DOT, col, lab);
        ly += 20;
        ci++;
    }
    if (ci == 0) {
        vw_svg_text(&sv, 720, ly + 4, "start", "font-size=\"12\" fill=\"#666\"", "none detected");
        vw_svg_text(&sv, ax.left + ax.width / 2, ax.top + ax.height / 2, "middle", "font-size=\"14\" fill=\"#666\"",
                    "No mutation detected at any draw");
        ly += 20;
    }
    vaf_key(&sv, ly + 12);
    vw_svg_close(&sv);
    return 0;
}

static const char vaf_caption[] =
    "Each clone's mutant allele fraction (VAF) at each blood draw, on a logarithmic axis from 0.01 % to 100 %. "
    "Filled circles are detections with their 95 % confidence interval (bar, and a shaded band across "
    "consecutive detections); open circles are draws where the clone was <em>not detected</em>, drawn at that "
    "draw's limit of detection (LoD95): the true VAF is below it, not zero. A dashed line with a triangle in the "
    "clone's colour marks each clone that met the emergence rule. Shaded bands are treatment lines; triangles "
    "under the axis are scans (red: progression, PD).";

/* The plasma copy number of each amplification series, under the VAF plot
 * on the same date axis: linear from VW_REPORT_PCN_MIN up, the threshold
 * VW_REPORT_PCN_THRESHOLD dashed; filled: amplified, open: not. */
typedef struct {
    double y0, h, lo, top;    /* the panel and its pCN range */
} pcn_scale_t;

static double pcn_y(const pcn_scale_t *sc, double v)
{
    return sc->y0 + (sc->top - (v < sc->lo ? sc->lo : v > sc->top ? sc->top : v)) / (sc->top - sc->lo) * sc->h;
}

/* The draws of one amplification series: line, CSV rows and squares. */
static void pcn_series(vw_svg_t *sv, FILE *csv, const vw_patient_t *p, const vw_track_series_t *s,
                       const vw_report_axes_t *ax, const pcn_scale_t *sc, const char *col)
{
    vw_svg_group(sv, NULL, "stroke=\"%s\" fill=\"%s\"", col, col);
    vw_svg_poly_t pl = {0, 0, 0};
    for (size_t di = 0; di < s->n_draws; di++) {
        const vw_track_draw_t *d = &s->draws[di];
        if (d->state != VW_DRAW_NA && isfinite(d->pcn))
            vw_svg_poly_to(sv, &pl, vw_report_x(ax, d->date), pcn_y(sc, d->pcn), "stroke-width=\"1.5\"");
    }
    for (size_t di = 0; di < s->n_draws; di++) {
        const vw_track_draw_t *d = &s->draws[di];
        if (d->state == VW_DRAW_NA || !isfinite(d->pcn))
            continue;
        double x = vw_report_x(ax, d->date), y = pcn_y(sc, d->pcn);
        char dd[VW_DATE_BUFSZ], title[1024], cnt[96] = "";
        csv_field(csv, p->id);
        fputc(',', csv);
        csv_field(csv, s->gene);
        fprintf(csv, ",%s,", vw_report_date(d->date, dd));
        csv_field(csv, d->sample);
        fprintf(csv, ",%s", d->state == VW_DRAW_DET ? "amplified" : "not_amplified");
        csv_num(csv, d->pcn, "%.4g");
        csv_num(csv, d->cn_z, "%.4g");
        csv_num(csv, d->tf, "%.4g");
        csv_num(csv, d->cn_t, "%.4g");
        fputc('\n', csv);
        if (isfinite(d->cn_t))
            snprintf(cnt, sizeof(cnt), ", CN_t %.1f (TF %.3g %%)", d->cn_t, 100 * d->tf);
        snprintf(title, sizeof(title), "%s %s: %s: pCN %.2f%s%s", s->gene, dd, d->sample, d->pcn,
                 d->state == VW_DRAW_DET ? ", amplified" : ", not amplified", cnt);
        if (d->state == VW_DRAW_DET)
            vw_svg_rect(sv, "amp", x - 4, y - 4, 8, 8, title, NULL);
        else
            vw_svg_rect(sv, "noamp", x - 4, y - 4, 8, 8, title, "fill=\"#fff\" stroke-width=\"1.5\"");
    }
    vw_svg_group_end(sv, NULL);
}

static int pcn_plot(FILE *fp, FILE *csv, const vw_report_in_t *in, size_t pi, const vw_targets_t *cat)
{
    (void)cat;
    const vw_patient_t *p = &in->tl->patients[pi];
    vw_report_axes_t ax;
    vw_report_axes_patient(p, &ax);
    size_t b, e, na = 0;
    pcn_scale_t sc = {20, VW_REPORT_PCN_HEIGHT, VW_REPORT_PCN_MIN, VW_REPORT_PCN_MAX};
    vw_report_series_range(in->tr, p, &b, &e);
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (!is_amp(s))
            continue;
        na++;
        if (isfinite(s->max_pcn) && s->max_pcn > sc.top)
            sc.top = ceil(s->max_pcn);
    }
    if (na == 0)
        return 0;
    const double bottom = sc.y0 + sc.h, right = ax.left + ax.width;
    double H = bottom + 60 > 40 + 20.0 * (double)(na + 3) ? bottom + 60 : 40 + 20.0 * (double)(na + 3);
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, "pcn", 960, H, 1, "plasma copy number of each gene over time");
    vw_svg_frame(&sv, ax.left, sc.y0, ax.width, sc.h);
    double step = sc.top - sc.lo > 6 ? ceil((sc.top - sc.lo) / 6) : 0.5;
    for (double v = 2.0; v <= sc.top + 1e-9; v += step) {
        char lab[16];
        snprintf(lab, sizeof(lab), "%g", v);
        vw_svg_ytick(&sv, ax.left, right, pcn_y(&sc, v), "#eee", 12, lab);
    }
    double yt = pcn_y(&sc, VW_REPORT_PCN_THRESHOLD);
    vw_svg_line(&sv, "threshold", ax.left, yt, right, yt, NULL, "stroke=\"" RED "\" stroke-dasharray=\"5 4\"");
    vw_svg_text(&sv, right - 4, yt - 4, "end", "font-size=\"11\" fill=\"" RED "\"", "amplification threshold pCN 2.4");
    vw_svg_ylabel(&sv, 18, sc.y0 + sc.h / 2, "Plasma copy number (pCN)");
    vw_svg_date_axis(&sv, &ax, bottom);
    vw_svg_axis(&sv, ax.left, right, bottom);
    size_t ai = 0;
    double ly = 40;
    vw_svg_text(&sv, 720, ly - 16, "start", "font-size=\"12\" font-weight=\"bold\"", "Amplifications");
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (!is_amp(s))
            continue;
        const char *col = vw_report_colours[(VW_REPORT_N_COLOURS - 1 - ai) % VW_REPORT_N_COLOURS];
        pcn_series(&sv, csv, p, s, &ax, &sc, col);
        char lab[96];
        snprintf(lab, sizeof(lab), "%s amplification (%s)", s->gene, vw_track_status_name(s->status));
        vw_svg_legend(&sv, 732, ly, VW_SVG_SW_SQUARE, col, lab);
        ly += 20;
        ai++;
    }
    vw_svg_close(&sv);
    return 0;
}

static const char pcn_caption[] =
    "Plasma copy number (pCN) of each tracked gene at each blood draw, on a linear axis from 1.5, on the dates "
    "of the plot above. Filled squares are draws called amplified, open squares not amplified; the dashed red "
    "line is the plasma threshold pCN 2.4 (with a tumour fraction known the call is on the tumour copy number "
    "CN_t = 2 + (pCN &#8722; 2) / TF instead).";

/* The clinical markers of a patient under the VAF plot, on its date axis:
 * one panel per marker (linear, from 0), values outside the plotted dates
 * are only in the table. */
#define MARKER_PANEL_H 80.0
#define MARKER_PANEL_GAP 34.0

/* One marker's panel: values v[k, j) (one marker), panel top py0. */
static void marker_panel(vw_svg_t *sv, FILE *csv, const vw_patient_t *p, const vw_marker_value_t *v, size_t k,
                         size_t j, const vw_report_axes_t *ax, double py0, const char *col)
{
    double hi = 0;
    for (size_t q = k; q < j; q++)
        if (v[q].value > hi)
            hi = v[q].value;
    /* the top of the axis: 1, 2 or 5 times a power of ten, at or above the largest value */
    double top = 1;
    if (hi > 0) {
        double p10 = pow(10, floor(log10(hi)));
        top = hi <= p10 ? p10 : hi <= 2 * p10 ? 2 * p10 : hi <= 5 * p10 ? 5 * p10 : 10 * p10;
    }
#define MY(val) (py0 + MARKER_PANEL_H - ((val) < 0 ? 0 : (val)) / top * MARKER_PANEL_H)
    vw_svg_group(sv, "marker", NULL);
    vw_svg_frame(sv, ax->left, py0, ax->width, MARKER_PANEL_H);
    for (int g = 0; g <= 2; g++) {
        double gv = top * g / 2;
        char lab[32];
        snprintf(lab, sizeof(lab), "%g", gv);
        vw_svg_ytick(sv, ax->left, ax->left + ax->width, MY(gv), "#eee", 11, lab);
    }
    char title[200];
    snprintf(title, sizeof(title), "%s%s%s%s", v[k].marker, *v[k].unit ? " (" : "", v[k].unit, *v[k].unit ? ")" : "");
    vw_svg_text(sv, ax->left + 4, py0 - 6, "start", "font-size=\"12\" font-weight=\"bold\"", title);
    vw_svg_group(sv, NULL, "stroke=\"%s\" fill=\"%s\"", col, col);
    vw_svg_poly_t pl = {0, 0, 0};
    for (size_t q = k; q < j; q++) {
        char dd[VW_DATE_BUFSZ], t[512];
        csv_field(csv, p->id);
        fputc(',', csv);
        csv_field(csv, v[q].marker);
        fputc(',', csv);
        csv_field(csv, v[q].unit);
        fprintf(csv, ",%s", vw_report_date(v[q].date, dd));
        csv_num(csv, v[q].value, "%.6g");
        fputc('\n', csv);
        if (v[q].date < ax->first_date || v[q].date > ax->last_date)
            continue;
        double x = vw_report_x(ax, v[q].date), y = MY(v[q].value);
        vw_svg_poly_to(sv, &pl, x, y, "stroke-width=\"1.5\"");
        snprintf(t, sizeof(t), "%s %s: %g %s", v[q].marker, dd, v[q].value, v[q].unit);
        vw_svg_circle(sv, NULL, x, y, 3.5, t, NULL);
    }
#undef MY
    vw_svg_group_end(sv, NULL);
    vw_svg_group_end(sv, NULL);
}

static int markers_plot(FILE *fp, FILE *csv, const vw_report_in_t *in, size_t pi, const vw_targets_t *cat)
{
    (void)cat;
    const vw_patient_t *p = &in->tl->patients[pi];
    size_t b, e;
    vw_report_marker_range(in, pi, &b, &e);
    if (b == e)
        return 0;
    const vw_marker_value_t *v = in->markers->v;
    size_t n_mark = 0;
    for (size_t k = b; k < e; k++)
        n_mark += k == b || strcmp(v[k].marker, v[k - 1].marker) != 0;
    vw_report_axes_t ax;
    vw_report_axes_patient(p, &ax);
    const double y0 = 24;
    double bottom = y0 + (double)n_mark * (MARKER_PANEL_H + MARKER_PANEL_GAP) - MARKER_PANEL_GAP;
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, "markers", 960, bottom + 60, 1, "clinical markers over time");
    size_t mi = 0;
    for (size_t k = b; k < e; mi++) {
        size_t j = k;
        while (j < e && strcmp(v[j].marker, v[k].marker) == 0)
            j++;
        marker_panel(&sv, csv, p, v, k, j, &ax, y0 + (double)mi * (MARKER_PANEL_H + MARKER_PANEL_GAP),
                     vw_report_colours[(mi + 2) % VW_REPORT_N_COLOURS]);
        k = j;
    }
    vw_svg_date_axis(&sv, &ax, bottom);
    vw_svg_axis(&sv, ax.left, ax.left + ax.width, bottom);
    vw_svg_close(&sv);
    return 0;
}

static const char markers_caption[] =
    "Clinical markers from the markers file, one panel per marker on a linear axis from 0 in its unit, on the "
    "dates of the VAF plot above; values measured outside those dates are in the table below only.";

static void markers_table(FILE *fp, const vw_report_in_t *in, size_t pi)
{
    size_t b, e;
    vw_report_marker_range(in, pi, &b, &e);
    if (b == e)
        return;
    fputs("<h2>Clinical markers</h2>\n<table class=\"markers\">\n<thead><tr><th>marker</th><th>date</th><th>value</th>"
          "<th>unit</th></tr></thead>\n<tbody>\n", fp);
    for (size_t k = b; k < e; k++) {
        const vw_marker_value_t *v = &in->markers->v[k];
        char dd[VW_DATE_BUFSZ];
        fputs("<tr><td>", fp);
        esc(fp, v->marker);
        fprintf(fp, "</td><td>%s</td><td class=\"n\">%g</td><td>", vw_report_date(v->date, dd), v->value);
        esc(fp, v->unit);
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody>\n</table>\n", fp);
}

/* The patient-level test of each draw (tumour-informed monitoring): the
 * fraction with its 95 % interval where detected, the LoD95 where not, on a
 * log axis from 1e-5 to 1e-1, on the dates of the clone plot. */
static double frac_y(double v) { return 20 + (-1 - fmax(-5, fmin(-1, log10(v)))) / 4 * 200; }

static void patient_level_point(vw_svg_t *sv, const vw_patient_row_t *r, const vw_report_axes_t *ax)
{
    char dd[VW_DATE_BUFSZ], t[1024];
    double x = vw_report_x(ax, r->date);
    vw_report_date(r->date, dd);
    if (r->r.detected == 1 && r->r.frac > 0) {
        vw_svg_line(sv, "ci", x, frac_y(r->r.frac_lo > 0 ? r->r.frac_lo : 1e-5), x, frac_y(r->r.frac_hi), NULL,
                    "stroke=\"#333\"");
        snprintf(t, sizeof(t), "%s %s: fraction %.3g %% (95 %% CI %.3g-%.3g %%), %d loci, %lld/%lld mutant "
                 "fragments, p %.3g", r->sample, dd, 100 * r->r.frac, 100 * r->r.frac_lo, 100 * r->r.frac_hi,
                 r->r.n_loci, (long long)r->r.alt, (long long)r->r.depth, r->r.p_value);
        vw_svg_circle(sv, "det", x, frac_y(r->r.frac), 4.5, t, "fill=\"" RED "\"");
    } else if (isfinite(r->r.lod95)) {
        snprintf(t, sizeof(t), "%s %s: not detected, LoD95 %.3g %% (%d loci, %lld/%lld mutant fragments)", r->sample,
                 dd, 100 * r->r.lod95, r->r.n_loci, (long long)r->r.alt, (long long)r->r.depth);
        vw_svg_marker(sv, VW_SVG_LOD, "lod", x, frac_y(r->r.lod95), t, "fill=\"#fff\" stroke=\"#555\"");
    }
}

static void patient_level_plot(FILE *fp, const vw_report_in_t *in, size_t pi)
{
    const vw_patient_t *p = &in->tl->patients[pi];
    const vw_patient_rows_t *rs = in->patient_tests;
    int n = 0;
    for (int i = 0; rs && i < rs->n; i++)
        n += !strcmp(rs->r[i].patient, p->id);
    if (n == 0)
        return;
    vw_report_axes_t ax;
    vw_report_axes_patient(p, &ax);
    const double y0 = 20, h = 200, bottom = y0 + h, right = ax.left + ax.width;
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    fputs("<figure>\n", fp);
    vw_svg_open(&sv, "patient-level", 960, bottom + 60, 0, "patient-level tumour fraction over time");
    vw_svg_frame(&sv, ax.left, y0, ax.width, h);
    for (int e = -5; e <= -1; e++) {
        char lab[16];
        snprintf(lab, sizeof(lab), "%g %%", 100 * pow(10, e));
        vw_svg_ytick(&sv, ax.left, right, frac_y(pow(10, e)), "#eee", 12, lab);
    }
    vw_svg_ylabel(&sv, 18, y0 + h / 2, "Tumour fraction (log)");
    vw_svg_date_axis(&sv, &ax, bottom);
    vw_svg_axis(&sv, ax.left, right, bottom);
    int32_t mp = VW_DATE_NONE;
    for (int i = 0; i < rs->n; i++)
        if (!strcmp(rs->r[i].patient, p->id)) {
            mp = rs->r[i].molecular_progression;
            if (rs->r[i].r.detected >= 0)
                patient_level_point(&sv, &rs->r[i], &ax);
        }
    if (mp != VW_DATE_NONE) { /* the patient-level molecular progression (docs/patient-series.md) */
        char dd[VW_DATE_BUFSZ], t[64];
        vw_report_date(mp, dd);
        snprintf(t, sizeof t, "molecular progression (patient level) %s", dd);
        double x = vw_report_x(&ax, mp);
        vw_svg_line(&sv, "mp", x, y0, x, bottom, t, "stroke=\"" RED "\" stroke-dasharray=\"4 3\"");
        vw_svg_text(&sv, x + 3, y0 + 12, "start", "font-size=\"11\"", "molecular progression");
    }
    vw_svg_close(&sv);
    fputs("<figcaption>Patient-level test over the patient's own mutations at each plasma draw "
          "(docs/calling.md, tumour-informed monitoring): red dots are the tumour-derived fraction where "
          "detected, with its 95 % interval; open triangles the patient-level LoD95 where not detected; a "
          "dashed line the patient-level molecular progression (docs/patient-series.md).</figcaption>\n"
          "</figure>\n", fp);
}

/* ------------------------------------------------------------------------ */
/* Patient tables                                                            */
/* ------------------------------------------------------------------------ */

static void td_num(FILE *fp, const char *s) { fprintf(fp, "<td class=\"n\">%s</td>", s); }

static void fit_cell(FILE *fp, const vw_track_fit_t *f, int want_growth)
{
    if (!f->ok || (want_growth ? !(f->r > 0) : !(f->r < 0))) {
        fputs("<td>NA</td>", fp);
        return;
    }
    fprintf(fp, "<td class=\"n\">%.0f d", f->td);
    if (isfinite(f->td_lo) && isfinite(f->td_hi)) {
        double lo = f->td_lo < f->td_hi ? f->td_lo : f->td_hi, hi = f->td_lo < f->td_hi ? f->td_hi : f->td_lo;
        fprintf(fp, " (%.0f&#8211;%.0f)", lo, hi);
    } else if (isfinite(f->td_lo) || isfinite(f->td_hi)) {
        fprintf(fp, " (%.0f&#8211;&#8734;)", isfinite(f->td_lo) ? f->td_lo : f->td_hi);
    }
    fputs("</td>", fp);
}

static void pval(char *buf, size_t size, double p)
{
    if (!isfinite(p))
        snprintf(buf, size, "NA");
    else if (p < 0.001)
        snprintf(buf, size, "&lt;0.001");
    else
        snprintf(buf, size, "%.3f", p);
}

static void draw_result(FILE *fp, const vw_track_draw_t *d)
{
    char v[32], lo[32], hi[32], lod[32], a[32], n[32];
    if (d->state == VW_DRAW_DET) {
        fprintf(fp, "<td class=\"det\">detected</td><td class=\"n\">%s/%s</td><td class=\"n\">%s %%</td>"
                    "<td class=\"n\">%s&#8211;%s %%</td>",
                vw_report_count(d->alt, a, sizeof(a)), vw_report_count(d->depth, n, sizeof(n)),
                vw_report_pct(d->vaf, v, sizeof(v)), vw_report_pct(d->vaf_lo, lo, sizeof(lo)),
                vw_report_pct(d->vaf_hi, hi, sizeof(hi)));
    } else if (d->state == VW_DRAW_NEG) {
        fprintf(fp, "<td class=\"nd\">not detected (LoD95 %s %%)</td><td class=\"n\">%s/%s</td><td class=\"n\">%s %%</td>"
                    "<td class=\"n\">%s&#8211;%s %%</td>",
                vw_report_pct(d->lod95, lod, sizeof(lod)), vw_report_count(d->alt, a, sizeof(a)),
                vw_report_count(d->depth, n, sizeof(n)), vw_report_pct(d->vaf, v, sizeof(v)),
                vw_report_pct(d->vaf_lo, lo, sizeof(lo)), vw_report_pct(d->vaf_hi, hi, sizeof(hi)));
    } else {
        fputs("<td class=\"nd\">not assessable</td><td>NA</td><td>NA</td><td>NA</td>", fp);
    }
}

/* The status cell of a series: the label, coloured by its class. */
static void status_span(FILE *fp, const vw_track_series_t *s)
{
    fputs("<span class=\"st-", fp);
    for (const char *c = vw_report_status_key(s); *c; c++)
        fputc(isalnum((unsigned char)*c) || *c == '-' ? *c : '_', fp);
    fputs("\">", fp);
    esc(fp, vw_report_status_label(s));
    fputs("</span>", fp);
    if (s->recurrent_patients > 0 && !s->ch_cohort)
        fprintf(fp, " <small>(low and flat from baseline in %d other patient%s: CH or an artefact there)</small>",
                s->recurrent_patients, s->recurrent_patients == 1 ? "" : "s");
}

static void role_cell(FILE *fp, const vw_targets_t *cat, const vw_track_series_t *s)
{
    const char *ctx;
    const char *role = vw_report_role(cat, s, &ctx);
    fprintf(fp, "<td class=\"role-%s\">", role);
    if (ctx) {
        fprintf(fp, "%s<br><span class=\"muted\">", role);
        esc(fp, ctx);
        fputs("</span>", fp);
    } else {
        fputs("not in the catalogue", fp);
    }
    fputs("</td>", fp);
}

/* One row of the clone table: series s, colour index ci. */
static void clone_row(FILE *fp, const vw_track_series_t *s, size_t ci, const vw_targets_t *cat)
{
    char name[160], d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ], v1[32], v2[32], pv[32];
    fprintf(fp, "<tr><td><span style=\"color:%s\">&#9679;</span> ", vw_report_colours[ci % VW_REPORT_N_COLOURS]);
    esc(fp, clone_name(s, name, sizeof(name)));
    fputs("</td>", fp);
    role_cell(fp, cat, s);
    fputs("<td>", fp);
    esc(fp, s->id);
    fputs("</td><td>", fp);
    status_span(fp, s);
    fputs("</td>", fp);
    const vw_track_draw_t *bd = s->baseline >= 0 ? &s->draws[s->baseline] : NULL;
    if (bd && bd->state == VW_DRAW_NEG)
        fprintf(fp, "<td class=\"nd\">not detected (LoD95 %s %%)</td>", vw_report_pct(bd->lod95, v1, sizeof(v1)));
    else if (bd && bd->state == VW_DRAW_DET)
        fprintf(fp, "<td class=\"n\">%s %%</td>", vw_report_pct(bd->vaf, v1, sizeof(v1)));
    else
        fputs("<td>NA</td>", fp);
    fprintf(fp, "<td>%s</td><td>%s</td>", vw_report_date(s->first_detection, d1), vw_report_date(s->last_negative, d2));
    vw_report_pct(s->max_vaf, v2, sizeof(v2));
    fprintf(fp, "<td class=\"n\">%s%s</td><td class=\"n\">%d / %d</td>", v2, isfinite(s->max_vaf) ? " %" : "",
            s->n_detected, s->n_assessed);
    pval(pv, sizeof(pv), s->trend_p);
    td_num(fp, pv);
    fit_cell(fp, &s->growth, 1);
    fit_cell(fp, &s->decay, 0);
    fputs("</tr>\n", fp);
}

/* The range [*lo, *hi] of the LoD95 of the not-detected draws of s (kept
 * when there is none). */
static void lod_range(const vw_track_series_t *s, double *lo, double *hi)
{
    for (size_t di = 0; di < s->n_draws; di++)
        if (s->draws[di].state == VW_DRAW_NEG && isfinite(s->draws[di].lod95)) {
            *lo = fmin(*lo, s->draws[di].lod95);
            *hi = fmax(*hi, s->draws[di].lod95);
        }
}

/* Targets never detected: one summary line, the table folded under it. */
static void undetected_table(FILE *fp, const vw_report_in_t *in, size_t b, size_t e, const vw_targets_t *cat)
{
    int any = 0, n_nd = 0;
    double all_lo = INFINITY, all_hi = -INFINITY;
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (is_vaf_clone(s) || s->kind != VW_KIND_MUTATION)
            continue;
        n_nd++;
        lod_range(s, &all_lo, &all_hi);
    }
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (is_vaf_clone(s) || s->kind != VW_KIND_MUTATION)
            continue;
        char name[160], a[32], c[32];
        if (!any++) {
            fprintf(fp, "<details class=\"nd-targets\">\n<summary>%d other target%s not detected at any draw", n_nd,
                    n_nd == 1 ? "" : "s");
            vw_report_pct(all_lo, a, sizeof(a));
            vw_report_pct(all_hi, c, sizeof(c));
            if (isfinite(all_lo) && strcmp(a, c))
                fprintf(fp, " (LoD95 %s&#8211;%s %%)", a, c);
            else if (isfinite(all_lo))
                fprintf(fp, " (LoD95 %s %%)", a);
            fputs("</summary>\n<table>\n<thead><tr><th>target</th><th>role</th><th>status</th><th>draws assessed</th>"
                  "<th>LoD95 at the draws (range)</th></tr></thead>\n<tbody>\n", fp);
        }
        double lo = INFINITY, hi = -INFINITY;
        lod_range(s, &lo, &hi);
        fputs("<tr><td>", fp);
        esc(fp, clone_name(s, name, sizeof(name)));
        fprintf(fp, "</td><td>%s</td><td>%s</td><td class=\"n\">%d</td><td>", vw_report_role(cat, s, NULL),
                vw_report_status_label(s), s->n_assessed);
        vw_report_pct(lo, a, sizeof(a));
        vw_report_pct(hi, c, sizeof(c));
        if (isfinite(lo) && strcmp(a, c) == 0)
            fprintf(fp, "not detected (LoD95 %s %%)", a);
        else if (isfinite(lo))
            fprintf(fp, "not detected (LoD95 %s&#8211;%s %%)", a, c);
        else
            fputs("NA", fp);
        fputs("</td></tr>\n", fp);
    }
    if (any)
        fputs("</tbody>\n</table>\n</details>\n", fp);
}

/* The amplification series of the patient, a table when there is one. */
static void amp_table(FILE *fp, const vw_report_in_t *in, size_t b, size_t e)
{
    int any = 0;
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (s->kind != VW_KIND_AMPLIFICATION)
            continue;
        if (!any++)
            fputs("<h2>Amplifications</h2>\n<table class=\"amp\">\n<thead><tr><th>gene</th><th>status</th>"
                  "<th>emergence (first detection)</th><th>last negative</th><th>max pCN</th><th>max CN_t</th>"
                  "<th>amplified / assessed</th></tr></thead>\n<tbody>\n", fp);
        char d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ], v1[32], v2[32];
        fputs("<tr><td>", fp);
        esc(fp, s->gene);
        fprintf(fp, " amplification</td><td>%s</td><td>%s</td><td>%s</td>", vw_track_status_name(s->status),
                vw_report_date(s->first_detection, d1), vw_report_date(s->last_negative, d2));
        snprintf(v1, sizeof(v1), isfinite(s->max_pcn) ? "%.2f" : "NA", s->max_pcn);
        snprintf(v2, sizeof(v2), isfinite(s->max_cn_t) ? "%.1f" : "NA", s->max_cn_t);
        td_num(fp, v1);
        td_num(fp, v2);
        fprintf(fp, "<td class=\"n\">%d / %d</td></tr>\n", s->n_detected, s->n_assessed);
    }
    if (any)
        fputs("</tbody>\n</table>\n", fp);
}

/* One draw of a clone in the draws table. */
static void draw_row(FILE *fp, const vw_patient_t *p, const vw_track_draw_t *d, int has_spec, int has_assay)
{
    char dd[VW_DATE_BUFSZ], n[32], lod[32], fl[256];
    fprintf(fp, "<tr><td>%s</td><td>", vw_report_date(d->date, dd));
    esc(fp, d->sample);
    fputs("</td>", fp);
    const vw_sample_t *sm = NULL;
    for (size_t q = 0; q < p->n_samples && !sm; q++)
        if (strcmp(p->samples[q].sample, d->sample) == 0)
            sm = &p->samples[q];
    if (has_spec) {
        fputs("<td>", fp);
        esc(fp, sm && sm->specimen_id ? sm->specimen_id : "NA");
        fputs("</td>", fp);
    }
    if (has_assay) {
        fputs("<td>", fp);
        esc(fp, sm && sm->assay ? sm->assay : "NA");
        fputs("</td>", fp);
    }
    td_num(fp, d->depth >= 0 ? vw_report_count(d->depth, n, sizeof(n)) : "NA");
    draw_result(fp, d);
    vw_report_pct(d->lod95, lod, sizeof(lod));
    fprintf(fp, "<td class=\"n\">%s%s</td>", lod, isfinite(d->lod95) ? " %" : "");
    double cp = d->state == VW_DRAW_DET ? vw_report_copies_per_ml(p, d) : NAN;
    if (isfinite(cp))
        fprintf(fp, "<td class=\"n\">%.1f</td><td class=\"flag\">", cp);
    else
        fputs("<td>NA</td><td class=\"flag\">", fp);
    vw_flags_str(d->flags, fl, sizeof(fl));
    esc(fp, strcmp(fl, ".") ? fl : "");
    if (d->ev_class[0]) { /* the evidence class of a molecule call (docs/umi.md) */
        fputs(" <span class=\"evclass\" title=\"evidence class of the call\" "
              "style=\"border:1px solid #99a;border-radius:3px;padding:0 3px;color:#334;font-size:11px\">", fp);
        esc(fp, d->ev_class);
        fputs("</span>", fp);
    }
    fputs("</td></tr>\n", fp);
}

/* Draw x clone; specimen and assay columns when the sheet gives them. */
static void draws_tables(FILE *fp, const vw_report_in_t *in, const vw_patient_t *p, size_t b, size_t e)
{
    int has_spec = 0, has_assay = 0;
    for (size_t k = 0; k < p->n_samples; k++) {
        has_spec |= p->samples[k].specimen_id != NULL;
        has_assay |= p->samples[k].assay != NULL;
    }
    fputs("<h2>Draws</h2>\n<p class=\"muted\">VAF in % to 2 significant figures, with mutant/total fragments and "
          "the 95 % confidence interval. A clone that is not detected is reported with the draw's LoD95, the "
          "smallest VAF that would have been detected with 95 % probability.</p>\n", fp);
    size_t ci = 0;
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (!is_vaf_clone(s))
            continue;
        char name[160];
        fprintf(fp, "<h3><span style=\"color:%s\">&#9679;</span> ", vw_report_colours[ci++ % VW_REPORT_N_COLOURS]);
        esc(fp, clone_name(s, name, sizeof(name)));
        fprintf(fp, "</h3>\n<table>\n<thead><tr><th>date</th><th>sample</th>%s%s", has_spec ? "<th>specimen</th>" : "",
                has_assay ? "<th>assay</th>" : "");
        fputs("<th>depth</th><th>result</th><th>alt/depth</th>"
              "<th>VAF</th><th>95 % CI</th><th>LoD95</th><th>mutant copies/mL</th><th>flags</th></tr></thead>\n"
              "<tbody>\n", fp);
        for (size_t di = 0; di < s->n_draws; di++)
            draw_row(fp, p, &s->draws[di], has_spec, has_assay);
        fputs("</tbody>\n</table>\n", fp);
    }
}

static void clone_tables(FILE *fp, const vw_report_in_t *in, const vw_patient_t *p, const vw_targets_t *cat)
{
    size_t b, e;
    vw_report_series_range(in->tr, p, &b, &e);
    fputs("<h2>Clones</h2>\n<table>\n<thead><tr><th>clone</th><th>role (therapy context)</th><th>target</th>"
          "<th>status</th><th>baseline VAF</th>"
          "<th>emergence (first detection)</th><th>last negative</th><th>max VAF</th><th>detected / assessed</th>"
          "<th>trend p</th><th>doubling time (95 % CI)</th><th>half-life (95 % CI)</th></tr></thead>\n<tbody>\n", fp);
    size_t ci = 0;
    for (size_t k = b; k < e; k++)
        if (is_vaf_clone(&in->tr->s[k]))
            clone_row(fp, &in->tr->s[k], ci++, cat);
    if (ci == 0)
        fputs("<tr><td colspan=\"12\">No target was detected at any draw.</td></tr>\n", fp);
    fputs("</tbody>\n</table>\n", fp);
    undetected_table(fp, in, b, e, cat);
    amp_table(fp, in, b, e);
    draws_tables(fp, in, p, b, e);
}

static void cnv_table(FILE *fp, const vw_report_in_t *in, const vw_patient_t *p)
{
    if (!in->cnv)
        return;
    const vw_cnv_rows_t *c = in->cnv;
    fputs("<h2>Copy number</h2>\n", fp);
    int any = 0;
    for (int r = 0; r < c->n; r++) {
        const char *smp = c->r[r].sample;
        int mine = 0;
        if (!c->r[r].field) /* a row not read from a table: no text to show */
            continue;
        for (size_t i = 0; i < p->n_samples && !mine; i++)
            mine = strcmp(p->samples[i].sample, smp) == 0;
        if (!mine)
            continue;
        if (!any++) {
            fputs("<table>\n<thead><tr>", fp);
            for (int j = 0; j < c->n_cols; j++) {
                fputs("<th>", fp);
                esc(fp, c->col[j]);
                fputs("</th>", fp);
            }
            fputs("</tr></thead>\n<tbody>\n", fp);
        }
        fputs("<tr>", fp);
        for (int j = 0; j < c->n_cols; j++) {
            fputs("<td>", fp);
            esc(fp, c->r[r].field[j]);
            fputs("</td>", fp);
        }
        fputs("</tr>\n", fp);
    }
    if (any)
        fputs("</tbody>\n</table>\n", fp);
    else
        fputs("<p>The copy-number table has no row for this patient's samples.</p>\n", fp);
}

static void methods(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt)
{
    char now[32];
    fputs("<h2>Methods and parameters</h2>\n<table>\n<tbody>\n<tr><th>vafwatch version</th><td>", fp);
    esc(fp, in->version ? in->version : "unknown");
    fputs("</td></tr>\n", fp);
    if (in->command) {
        fputs("<tr><th>command line</th><td><code>", fp);
        esc(fp, in->command);
        fputs("</code></td></tr>\n", fp);
    }
    if (opt && opt->timestamp)
        fprintf(fp, "<tr><th>generated</th><td>%s</td></tr>\n", vw_report_now(now, sizeof(now)));
    fputs("<tr><th>catalogue build</th><td>", fp);
    esc(fp, in->build ? in->build : "not recorded in the calls tables");
    fputs("</td></tr>\n<tr><th>background model</th><td>", fp);
    if (in->calls) {
        long bg[3];
        vw_report_bg_counts(in->calls, bg);
        fprintf(fp, "calls with the background from a panel of normals (pon): %ld; from the sample itself (self): "
                    "%ld; the default floor (default): %ld", bg[0], bg[1], bg[2]);
    } else {
        fputs("not recorded", fp);
    }
    fputs("</td></tr>\n", fp);
    const char *keys[VW_REPORT_N_TRACK_PARAMS];
    char vals[VW_REPORT_N_TRACK_PARAMS][64];
    size_t n = vw_report_track_params(&in->tr->opt, keys, vals);
    for (size_t i = 0; i < n; i++) {
        fprintf(fp, "<tr><th>emergence: %s</th><td>", keys[i]);
        esc(fp, vals[i]);
        fputs("</td></tr>\n", fp);
    }
    for (size_t i = 0; i < in->n_params; i++) {
        if (!in->params[i].key)
            continue;
        fputs("<tr><th>", fp);
        esc(fp, in->params[i].key);
        fputs("</th><td>", fp);
        esc(fp, in->params[i].value ? in->params[i].value : "");
        fputs("</td></tr>\n", fp);
    }
    if (in->markers) {
        fputs("<tr><th>clinical markers</th><td>", fp);
        esc(fp, in->markers->path ? in->markers->path : "given");
        fputs("</td></tr>\n", fp);
    }
    if (in->cnv) {
        fputs("<tr><th>copy number</th><td>", fp);
        esc(fp, in->cnv_path ? in->cnv_path : "given");
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody>\n</table>\n<p class=\"muted\">Reporting conventions: VAF is the fraction of mutant fragments "
          "in %, to 2 significant figures, with mutant/total fragments and its 95 % confidence interval. "
          "\"Not detected\" always carries the draw's LoD95: the smallest VAF that would have been detected with "
          "95 % probability at that depth and background; the clone may be present below it. A clone "
          "<em>emerges</em> at the first draw meeting the emergence rule; the last negative draw before it is "
          "reported too, as the emergence lies between the two. Lead time = date of radiographic progression "
          "&#8722; date of molecular emergence (positive: blood first), in days and months (days / 30.4375). "
          "Flags: possible_germline (VAF near 50 % or 100 %), strand_bias, noisy_site, low_depth, "
          "discordant_mates, not_assessed. Definitions: docs/tracking.md and docs/reports.md.</p>\n", fp);
}

/* The report date and the research-use statement, under the title. */
static void page_notice(FILE *fp, const vw_report_opt_t *opt)
{
    char d[VW_DATE_BUFSZ];
    if (vw_report_date_of(opt, d))
        fprintf(fp, "<p class=\"rdate\">Report date: <b>%s</b></p>\n", d);
    fputs("<p class=\"ruo\"><b>" VW_REPORT_RUO_HEAD "</b> " VW_REPORT_RUO_TAIL "</p>\n", fp);
}

/* The phrase that says whether a clone detected at the last draw is confirmed. */
static void confirmation(FILE *fp, const vw_track_series_t *s)
{
    char d[VW_DATE_BUFSZ];
    const char *n = vw_track_status_name(s->status);
    if (strcmp(n, "emerging") == 0)
        fprintf(fp, "<span class=\"st-emerging\">confirmed</span> (met the emergence rule; first detected %s)",
                vw_report_date(s->first_detection, d));
    else if (strcmp(n, "pre-existing") == 0)
        fputs("<span class=\"st-pre-existing\">present since the baseline draw</span>", fp);
    else if (strcmp(n, "germline?") == 0)
        fputs("possibly germline (present at baseline near 50 % or 100 %)", fp);
    else if (strcmp(vw_report_status_key(s), "unconfirmed") == 0)
        fputs("<span class=\"st-unconfirmed\">unconfirmed</span>: a single detection, not yet confirmed by the "
              "emergence rule (awaiting the next draw)", fp);
    else
        fprintf(fp, "<span class=\"st-transient\">not confirmed</span> by the emergence rule (detected at %d of %d "
                    "draws)", s->n_detected, s->n_assessed);
}

/* The headline: what was detected at the last draw and whether it is
 * confirmed; then the clones that met the emergence rule. */
static void headline(FILE *fp, const vw_report_in_t *in, const vw_patient_t *p, const vw_targets_t *cat)
{
    const vw_sample_t *last = NULL;
    for (size_t k = 0; k < p->n_samples; k++)
        if (p->samples[k].type == VW_SAMPLE_PLASMA)
            last = &p->samples[k];
    char d[VW_DATE_BUFSZ], v[32], name[160];
    if (!last) {
        fputs("<p class=\"headline\">No plasma draw.</p>\n", fp);
        return;
    }
    size_t b, e;
    vw_report_series_range(in->tr, p, &b, &e);
    fprintf(fp, "<p class=\"headline\"><b>At the last draw</b> (%s, ", vw_report_date(last->date, d));
    esc(fp, last->sample);
    fputs("): ", fp);
    int n_det = 0, n_na = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (!s->n_draws)
            continue;
        const vw_track_draw_t *dr = &s->draws[s->n_draws - 1];
        if (dr->state == VW_DRAW_NA) {
            n_na++;
            continue;
        }
        if (dr->state == VW_DRAW_NEG) {
            if (s->kind == VW_KIND_MUTATION && isfinite(dr->lod95)) {
                lo = fmin(lo, dr->lod95);
                hi = fmax(hi, dr->lod95);
            }
            continue;
        }
        fputs(n_det++ ? "; " : "detected ", fp);
        fputs("<b>", fp);
        esc(fp, clone_name(s, name, sizeof(name)));
        fputs("</b> ", fp);
        if (s->kind == VW_KIND_MUTATION) {
            const char *role = vw_report_role(cat, s, NULL);
            fprintf(fp, "at %s %%", vw_report_pct(dr->vaf, v, sizeof(v)));
            if (strcmp(role, "resistance") == 0 || strcmp(role, "sensitising") == 0)
                fprintf(fp, " (<span class=\"role-%s\">%s mutation</span>)", role, role);
        } else if (isfinite(dr->pcn)) {
            fprintf(fp, "(pCN %.2f)", dr->pcn);
        }
        fputs(", ", fp);
        confirmation(fp, s);
    }
    if (!n_det) {
        fputs("<b>no tracked mutation detected</b>", fp);
        if (isfinite(lo)) {
            char a[32], c[32];
            vw_report_pct(lo, a, sizeof(a));
            vw_report_pct(hi, c, sizeof(c));
            if (strcmp(a, c))
                fprintf(fp, " (LoD95 %s&#8211;%s %%)", a, c);
            else
                fprintf(fp, " (LoD95 %s %%)", a);
        }
    }
    if (n_na)
        fprintf(fp, "; %d target%s not assessable at this draw", n_na, n_na == 1 ? "" : "s");
    fputs(".</p>\n<p><b>Emergence</b> (clones that met the emergence rule): ", fp);
    int n_em = 0;
    for (size_t k = b; k < e; k++) {
        const vw_track_series_t *s = &in->tr->s[k];
        if (!vw_report_is_emerging(s))
            continue;
        char d2[VW_DATE_BUFSZ];
        fputs(n_em++ ? "; " : "", fp);
        esc(fp, clone_name(s, name, sizeof(name)));
        if (s->kind == VW_KIND_MUTATION) {
            const char *role = vw_report_role(cat, s, NULL);
            if (strcmp(role, "unknown"))
                fprintf(fp, " (%s)", role);
        }
        fprintf(fp, " first detected %s (last negative %s)", vw_report_date(s->first_detection, d),
                vw_report_date(s->last_negative, d2));
    }
    fputs(n_em ? ".</p>\n" : "none so far.</p>\n", fp);
}

/* The safe base name of the saved plots and data of patient 'pi'. */
static int fig_base(const vw_patient_t *p, const char *what, char *buf, size_t size)
{
    char **nm = NULL;
    const char *id = p->id;
    int rc = vw_report_file_names(&id, 1, &nm);
    if (rc < 0)
        return rc;
    snprintf(buf, size, "%s_%s", nm[0], what);
    vw_report_file_names_free(nm, 1);
    return 0;
}

int vw_report_write_patient_html(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt, size_t pi)
{
    if (!in || !in->tl || !in->tr || !in->lt || !fp || pi >= in->tl->n_patients)
        return -EINVAL;
    const vw_patient_t *p = &in->tl->patients[pi];
    const vw_lead_t *l = vw_report_lead(in->lt, p, pi);
    vw_targets_t *cat = vw_report_catalogue();
    if (!cat)
        return -ENOMEM;
    int rc = 0;
    page_head(fp, "vafwatch: patient ", p->id);
    fputs("<p class=\"noprint\"><a href=\"../index.html\">&#8592; cohort report</a></p>\n<h1>Patient ", fp);
    esc(fp, p->id);
    fputs(": mutations tracked in plasma</h1>\n", fp);
    page_notice(fp, opt);
    fputs("<div class=\"box\">\n", fp);
    headline(fp, in, p, cat);
    char d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ], m[64], name[160];
    if (l) {
        fprintf(fp, "<p><b>Lead-time status:</b> %s. ", vw_lead_status_name(l->status));
        if (l->clone) {
            fputs("<b>First clone to meet the rule:</b> ", fp);
            esc(fp, clone_name(l->clone, name, sizeof(name)));
            fprintf(fp, ", first detected %s. ", vw_report_date(l->first_detection, d1));
        }
        if (l->progression != VW_DATE_NONE)
            fprintf(fp, "<b>Radiographic progression:</b> %s. ", vw_report_date(l->progression, d1));
        else
            fprintf(fp, "No radiographic progression by the last follow-up (%s). ",
                    vw_report_date(p->last_followup, d1));
        if (isfinite(l->lead_days)) {
            months_text(m, sizeof(m), l->lead_days);
            fprintf(fp, "<b>Lead time:</b> %s%s.", m, l->lead_days >= 0 ? ", blood first" : ", scan first");
        }
        fputs("</p>\n", fp);
    }
    fputs("<p><b>Treatment:</b> ", fp);
    for (size_t k = 0; k < p->n_treatments; k++) {
        const vw_treatment_t *t = &p->treatments[k];
        fputs(k ? "; " : "", fp);
        esc(fp, *t->drug ? t->drug : "treatment");
        fprintf(fp, " from %s", vw_report_date(t->start, d1));
        if (t->has_stop)
            fprintf(fp, " to %s", vw_report_date(t->stop, d2));
        else
            fputs(" (ongoing)", fp);
    }
    if (!p->n_treatments)
        fputs("none recorded", fp);
    fprintf(fp, ". <b>Plasma draws:</b> %zu; <b>last follow-up:</b> %s.</p>\n</div>\n", vw_report_n_draws(p),
            vw_report_date(p->last_followup, d1));
    fputs("<h2>Clones over time</h2>\n", fp);
    char base[160];
    fig_t f;
    if ((rc = fig_base(p, "vaf", base, sizeof(base))) < 0 || (rc = fig_open(&f)) < 0)
        goto out;
    patient_plot(f.fs, f.fc, in, pi, cat);
    if ((rc = fig_close(fp, &f, vaf_caption, base, VAF_CSV_HEADER)) < 0)
        goto out;
    patient_level_plot(fp, in, pi);
    if ((rc = fig_base(p, "pcn", base, sizeof(base))) < 0 || (rc = fig_open(&f)) < 0)
        goto out;
    pcn_plot(f.fs, f.fc, in, pi, cat);
    if ((rc = fig_close(fp, &f, pcn_caption, base, PCN_CSV_HEADER)) < 0)
        goto out;
    if ((rc = fig_base(p, "markers", base, sizeof(base))) < 0 || (rc = fig_open(&f)) < 0)
        goto out;
    markers_plot(f.fs, f.fc, in, pi, cat);
    if ((rc = fig_close(fp, &f, markers_caption, base, "patient,marker,unit,date,value")) < 0)
        goto out;
    clone_tables(fp, in, p, cat);
    markers_table(fp, in, pi);
    cnv_table(fp, in, p);
    if (in->genome && (rc = vw_genome_write_panel(fp, in->genome, p)) < 0)
        goto out;
    fputs("<h2>Clinical events</h2>\n<table>\n<thead><tr><th>date</th><th>event</th><th>detail</th></tr></thead>\n"
          "<tbody>\n", fp);
    for (size_t k = 0; k < p->n_events; k++) {
        const vw_event_t *ev = &p->events[k];
        fprintf(fp, "<tr><td>%s</td><td>%s</td><td>", vw_report_date(ev->date, d1), vw_timeline_event_name(ev->type));
        esc(fp, ev->detail);
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody>\n</table>\n", fp);
    methods(fp, in, opt);
    fputs("</body>\n</html>\n", fp);
    rc = ferror(fp) ? vw_stream_error(fp) : 0;
out:
    vw_targets_destroy(cat);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Cohort                                                                    */
/* ------------------------------------------------------------------------ */

/* The reference date of a lane: the first treatment start, else the first draw. */
static int32_t lane_origin(const vw_patient_t *p)
{
    if (p->has_treatment_start)
        return p->first_treatment_start;
    return p->n_samples ? p->samples[0].date : p->last_followup;
}

static double month_of(const vw_patient_t *p, int32_t d) { return ((double)d - lane_origin(p)) / VW_DAYS_PER_MONTH; }

/* The swimmer plot's layout: months [tmin, tmax] in ticks of 'step' over
 * W units from L; lanes of RH from T; the drugs in order of first use. */
typedef struct {
    double tmin, tmax, step, L, T, W, RH;
    size_t n_lanes, nd;
    const char *drugs[64];
} swim_t;

static double swim_x(const swim_t *g, double t) { return g->L + (t - g->tmin) / (g->tmax - g->tmin) * g->W; }

static void swim_layout(const vw_timeline_t *tl, swim_t *g)
{
    memset(g, 0, sizeof(*g));
    g->tmax = 1;
    for (size_t i = 0; i < tl->n_patients; i++) {
        const vw_patient_t *p = &tl->patients[i];
        if (!vw_report_is_patient(p))
            continue;
        g->n_lanes++;
        double a = month_of(p, p->last_followup);
        if (a > g->tmax)
            g->tmax = a;
        for (size_t k = 0; k < p->n_samples; k++)
            if (month_of(p, p->samples[k].date) < g->tmin)
                g->tmin = month_of(p, p->samples[k].date);
        for (size_t k = 0; k < p->n_events; k++)
            if (month_of(p, p->events[k].date) < g->tmin)
                g->tmin = month_of(p, p->events[k].date);
    }
    g->step = g->tmax - g->tmin > 48 ? 12 : g->tmax - g->tmin > 24 ? 6 : 3;
    g->tmin = floor(g->tmin / g->step) * g->step; /* ticks at whole multiples of 'step' months, 0 among them */
    g->tmax = ceil(g->tmax / g->step) * g->step;
    g->L = 170, g->T = 76, g->W = 680, g->RH = 22;
    for (size_t i = 0; i < tl->n_patients; i++)
        for (size_t k = 0; k < tl->patients[i].n_treatments; k++) {
            const char *d = tl->patients[i].treatments[k].drug;
            size_t j = 0;
            while (j < g->nd && strcmp(g->drugs[j], d))
                j++;
            if (j == g->nd && g->nd < 64)
                g->drugs[g->nd++] = d;
        }
}

static size_t swim_drug(const swim_t *g, const char *drug)
{
    size_t j = 0;
    while (j < g->nd && strcmp(g->drugs[j], drug))
        j++;
    return j;
}

/* The legend: the symbols on a first row, the drugs on a second (colours
 * repeat after six). */
static void swim_legend(vw_svg_t *sv, const swim_t *g)
{
    double lx = g->L;
    vw_svg_marker(sv, VW_SVG_DIAMOND, NULL, lx + 6, 14, NULL, "fill=\"#0072B2\"");
    vw_svg_text(sv, lx + 16, 24, "start", "font-size=\"12\"", "first molecular detection");
    lx += 180;
    vw_svg_rect(sv, NULL, lx, 14, 11, 11, NULL, "fill=\"" RED "\"");
    vw_svg_text(sv, lx + 16, 24, "start", "font-size=\"12\"", "progression (PD)");
    lx += 125;
    vw_svg_marker(sv, VW_SVG_RIGHT, NULL, lx, 14, NULL, "fill=\"#555\"");
    vw_svg_text(sv, lx + 14, 24, "start", "font-size=\"12\"", "censored (no PD)");
    lx += 122;
    vw_svg_line(sv, NULL, lx + 3, 13, lx + 3, 27, NULL, "stroke=\"#000\" stroke-width=\"1.5\"");
    vw_svg_text(sv, lx + 10, 24, "start", "font-size=\"12\"", "blood draw");
    lx += 90;
    vw_svg_marker(sv, VW_SVG_DIAMOND, NULL, lx + 6, 14, NULL, "fill=\"" AMP_COL "\"");
    vw_svg_text(sv, lx + 16, 24, "start", "font-size=\"12\"", "first detection: amplification");
    lx = g->L;
    double dy = 44;
    vw_svg_text(sv, lx - 10, dy + 10, "end", "font-size=\"12\"", "treatment:");
    for (size_t j = 0; j < g->nd; j++) {
        char lab[80];
        snprintf(lab, sizeof(lab), "%.60s", *g->drugs[j] ? g->drugs[j] : "treatment");
        double w = 32 + 7.6 * (double)strlen(lab);
        if (lx + w > 950) {
            vw_svg_text(sv, lx, dy + 10, "start", "font-size=\"12\"", "...");
            break;
        }
        vw_svg_rect(sv, NULL, lx, dy + 1, 16, 10, NULL, "fill=\"%s\"", drug_fill[j % 6]);
        vw_svg_text(sv, lx + 20, dy + 10, "start", "font-size=\"12\"", lab);
        lx += w;
    }
}

/* Month grid lines and labels, a small tick at every whole month. */
static void swim_grid(vw_svg_t *sv, const swim_t *g)
{
    double yb = g->T + g->RH * (double)g->n_lanes;
    for (double t = g->tmin; t <= g->tmax + 1e-9; t += g->step) {
        double x = swim_x(g, t);
        char lab[16];
        snprintf(lab, sizeof(lab), "%.0f", t);
        vw_svg_line(sv, NULL, x, g->T - 6, x, yb + 4, NULL, "stroke=\"%s\"", t == 0 ? "#999" : "#e4e4e4");
        vw_svg_text(sv, x, yb + 18, "middle", "font-size=\"11\"", lab);
    }
    for (double t = g->tmin; g->step > 1 && t <= g->tmax + 1e-9; t += 1)
        vw_svg_line(sv, "month", swim_x(g, t), yb + 4, swim_x(g, t), yb + 8, NULL, "stroke=\"#999\"");
    vw_svg_text(sv, g->L + g->W / 2, yb + 38, "middle", "font-size=\"13\"", "Months since the first treatment start");
}

static void swim_csv(FILE *csv, const vw_patient_t *p, const char *what, int32_t date, const char *detail)
{
    char dd[VW_DATE_BUFSZ];
    csv_field(csv, p->id);
    fprintf(csv, ",%s,%s,%.2f,", what, vw_report_date(date, dd), month_of(p, date));
    csv_field(csv, detail);
    fputc('\n', csv);
}

/* The treatments and plasma draws of a lane centred on yc. */
static void swim_course(vw_svg_t *sv, FILE *csv, const swim_t *g, const vw_patient_t *p, double yc)
{
    for (size_t k = 0; k < p->n_treatments; k++) {
        const vw_treatment_t *t = &p->treatments[k];
        double a = swim_x(g, month_of(p, t->start)), c = swim_x(g, month_of(p, t->has_stop ? t->stop : p->last_followup));
        swim_csv(csv, p, "treatment_start", t->start, t->drug);
        if (t->has_stop)
            swim_csv(csv, p, "treatment_stop", t->stop, t->drug);
        vw_svg_rect(sv, NULL, a, yc - 6, c - a > 1 ? c - a : 1, 12, *t->drug ? t->drug : "treatment", "fill=\"%s\"",
                    drug_fill[swim_drug(g, t->drug) % 6]);
    }
    for (size_t k = 0; k < p->n_samples; k++)
        if (p->samples[k].type == VW_SAMPLE_PLASMA) {
            double x = swim_x(g, month_of(p, p->samples[k].date));
            vw_svg_line(sv, NULL, x, yc - 8, x, yc + 8, NULL, "stroke=\"#000\"");
            swim_csv(csv, p, "draw", p->samples[k].date, p->samples[k].sample);
        }
    swim_csv(csv, p, "last_followup", p->last_followup, "");
}

/* One patient's lane: name (linked to its page), follow-up line, course,
 * censoring or progression, first molecular detection and lead time. */
static void swim_lane(vw_svg_t *sv, FILE *csv, const swim_t *g, const vw_patient_t *p, const vw_lead_t *l,
                      const char *file, double yc)
{
    if (file)
        fprintf(sv->fp, "<a href=\"patients/%s.html\">", file);
    vw_svg_text(sv, g->L - 10, yc + 4, "end", "font-size=\"12\" fill=\"#0b5394\"", p->id);
    if (file)
        fputs("</a>\n", sv->fp);
    double x0 = swim_x(g, month_of(p, p->n_samples ? p->samples[0].date : lane_origin(p)));
    double x1 = swim_x(g, month_of(p, p->last_followup));
    vw_svg_line(sv, NULL, x0, yc, x1, yc, NULL, "stroke=\"#bbb\"");
    swim_course(sv, csv, g, p, yc);
    if (!p->has_progression && !p->has_death)
        vw_svg_marker(sv, VW_SVG_RIGHT, NULL, x1 + 1, yc - 6, NULL, "fill=\"#555\"");
    if (p->has_progression) {
        double x = swim_x(g, month_of(p, p->progression_date));
        vw_svg_rect(sv, NULL, x - 5.5, yc - 5.5, 11, 11, NULL, "fill=\"" RED "\"");
        swim_csv(csv, p, "progression", p->progression_date, "");
    }
    if (l && l->first_detection != VW_DATE_NONE) {
        double x = swim_x(g, month_of(p, l->first_detection));
        int amp = l->clone && l->clone->kind == VW_KIND_AMPLIFICATION;
        char nm[160] = "";
        if (l->clone)
            clone_name(l->clone, nm, sizeof(nm));
        vw_svg_marker(sv, VW_SVG_DIAMOND, amp ? "first-amp" : "first-mut", x, yc - 6, nm,
                      "fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.8\"", amp ? AMP_COL : "#0072B2");
        swim_csv(csv, p, "first_molecular_detection", l->first_detection, nm);
    }
    if (l && isfinite(l->lead_days)) {
        char lab[48];
        snprintf(lab, sizeof(lab), "%+.0f d", l->lead_days);
        vw_svg_text(sv, x1 + 14, yc + 4, "start", "font-size=\"11\" fill=\"#333\"", lab);
    }
}

static int swimmer(FILE *fp, FILE *csv, const vw_report_in_t *in, char *const *file)
{
    const vw_timeline_t *tl = in->tl;
    swim_t g;
    swim_layout(tl, &g);
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, NULL, 960, g.T + g.RH * (double)g.n_lanes + 60, 1, "swimmer plot");
    swim_legend(&sv, &g);
    swim_grid(&sv, &g);
    size_t lane = 0;
    for (size_t i = 0; i < tl->n_patients; i++) {
        const vw_patient_t *p = &tl->patients[i];
        if (!vw_report_is_patient(p))
            continue;
        swim_lane(&sv, csv, &g, p, vw_report_lead(in->lt, p, i), file ? file[i] : NULL,
                  g.T + g.RH * (double)lane++ + g.RH / 2);
    }
    vw_svg_close(&sv);
    return 0;
}

static const char swimmer_caption[] =
    "Swimmer plot: one lane per patient, time in months from the first treatment start (ticks at whole months, "
    "0 = the first treatment start). Bars are treatment lines, ticks are plasma draws, the blue diamond is the "
    "first molecular detection of a clone that met the emergence rule (orange when it is a gene amplification), "
    "the red square is radiographic progression, a grey arrow marks follow-up without progression. The number "
    "after a lane is the lead time in days (positive: blood first). Click a patient for the details.";

/* Kaplan-Meier plot geometry: months [0, tmax] over W units from L, survival
 * [0, 1] over H units down from T. */
typedef struct {
    double L, T, W, H, tmax, step;
} km_geom_t;

static double km_x(const km_geom_t *g, double t) { return g->L + t / g->tmax * g->W; }
static double km_y(const km_geom_t *g, double s) { return g->T + (1 - s) * g->H; }

static void km_axes(vw_svg_t *sv, const km_geom_t *g)
{
    vw_svg_frame(sv, g->L, g->T, g->W, g->H);
    for (int k = 0; k <= 4; k++) {
        char lab[16];
        snprintf(lab, sizeof(lab), "%.0f %%", k / 4.0 * 100);
        vw_svg_ytick(sv, g->L, g->L + g->W, km_y(g, k / 4.0), "#e4e4e4", 12, lab);
    }
    for (double t = 0; t <= g->tmax + 1e-9; t += g->step) {
        char lab[16];
        snprintf(lab, sizeof(lab), "%.0f", t);
        vw_svg_xtick(sv, km_x(g, t), g->T + g->H, 5, 20, 12, lab);
    }
    vw_svg_text(sv, g->L + g->W / 2, g->T + g->H + 42, "middle", "font-size=\"13\"",
                "Months since the first treatment start");
    vw_svg_ylabel(sv, 18, g->T + g->H / 2, "Patients without progression");
}

/* One curve c (0 molecular, 1 radiographic) of n patients: the steps, the
 * censoring ticks, its CSV rows and its legend row at ly. */
static int km_curve(vw_svg_t *sv, FILE *csv, const km_geom_t *g, const vw_km_t *k, int c, size_t n, double ly)
{
    static const char *const col[2] = {"#0072B2", RED};
    static const char *const lab[2] = {"molecular (clone emergence in plasma)", "radiographic (RECIST PD)"};
    double *x = malloc((k->n + 1) * sizeof(double)), *y = malloc((k->n + 1) * sizeof(double));
    if (!x || !y) {
        free(x);
        free(y);
        return -ENOMEM;
    }
    for (size_t i = 0; i < k->n; i++) {
        x[i] = km_x(g, k->time[i]);
        y[i] = km_y(g, k->surv[i]);
    }
    char attrs[64], t[160];
    snprintf(attrs, sizeof(attrs), "stroke=\"%s\" stroke-width=\"2\"", col[c]);
    vw_svg_steps(sv, km_x(g, 0.0), km_y(g, 1.0), x, y, k->n, attrs);
    for (size_t i = 0; i < k->n; i++)
        fprintf(csv, "%s,%.3f,%.6g,%d,%d\n", c ? "radiographic" : "molecular", k->time[i], k->surv[i],
                (int)k->n_event[i], (int)k->n_censor[i]);
    for (size_t i = 0; i < k->n; i++)
        if (k->n_censor[i] > 0)
            vw_svg_line(sv, NULL, x[i], y[i] - 6, x[i], y[i] + 6, NULL, "%s", attrs);
    if (isfinite(k->median))
        snprintf(t, sizeof(t), "%s: median %.1f months (n = %zu)", lab[c], k->median, n);
    else
        snprintf(t, sizeof(t), "%s: median not reached (n = %zu)", lab[c], n);
    vw_svg_line(sv, NULL, g->L, ly, g->L + 20, ly, NULL, "%s", attrs);
    vw_svg_text(sv, g->L + 26, ly + 4, "start", "font-size=\"12\"", t);
    free(x);
    free(y);
    return 0;
}

/* The times to molecular (c = 0) and radiographic (c = 1) progression in
 * months, and their events, of the patients; *ret_n[c] of each. */
static void km_times(const vw_leadtime_t *lt, double *t[2], int *ev[2], size_t ret_n[2])
{
    ret_n[0] = ret_n[1] = 0;
    for (size_t i = 0; i < lt->n; i++) {
        const vw_lead_t *l = &lt->p[i];
        if (!vw_report_is_patient(l->patient))
            continue;
        if (isfinite(l->t_molecular) && l->t_molecular >= 0) {
            t[0][ret_n[0]] = l->t_molecular / VW_DAYS_PER_MONTH;
            ev[0][ret_n[0]++] = l->molecular_event != 0;
        }
        if (isfinite(l->t_radiographic) && l->t_radiographic >= 0) {
            t[1][ret_n[1]] = l->t_radiographic / VW_DAYS_PER_MONTH;
            ev[1][ret_n[1]++] = l->radiographic_event != 0;
        }
    }
}

static int km_plot(FILE *fp, FILE *csv, const vw_report_in_t *in, char *const *file)
{
    (void)file;
    const vw_leadtime_t *lt = in->lt;
    size_t m = lt->n ? lt->n : 1, n[2];
    double *t[2] = {calloc(m, sizeof(double)), calloc(m, sizeof(double))};
    int *ev[2] = {calloc(m, sizeof(int)), calloc(m, sizeof(int))};
    vw_km_t *km[2] = {NULL, NULL};
    int rc = -ENOMEM;
    if (!t[0] || !t[1] || !ev[0] || !ev[1])
        goto out;
    km_times(lt, t, ev, n);
    for (int c = 0; c < 2; c++)
        if (n[c] && (rc = vw_stats_km(t[c], ev[c], n[c], 0.95, &km[c])) < 0)
            goto out;
    km_geom_t g = {80, 20, 600, 280, 1, 0};
    for (int c = 0; c < 2; c++)
        for (size_t i = 0; km[c] && i < km[c]->n; i++)
            if (km[c]->time[i] > g.tmax)
                g.tmax = km[c]->time[i];
    g.step = g.tmax > 48 ? 12 : g.tmax > 24 ? 6 : 3;
    g.tmax = ceil(g.tmax / g.step) * g.step;
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, NULL, 960, g.T + g.H + 120, 1, "Kaplan-Meier curves");
    km_axes(&sv, &g);
    double ly = g.T + g.H + 66;
    for (int c = 0; c < 2; c++)
        if (km[c]) {
            if ((rc = km_curve(&sv, csv, &g, km[c], c, n[c], ly)) < 0)
                goto out;
            ly += 20;
        }
    vw_svg_line(&sv, NULL, g.L + 10, ly - 6, g.L + 10, ly + 6, NULL, "stroke=\"#333\" stroke-width=\"2\"");
    vw_svg_text(&sv, g.L + 26, ly + 4, "start", "font-size=\"12\"", "censored");
    vw_svg_close(&sv);
    rc = 0;
out:
    vw_stats_km_destroy(km[0]);
    vw_stats_km_destroy(km[1]);
    free(t[0]);
    free(t[1]);
    free(ev[0]);
    free(ev[1]);
    return rc;
}

static const char km_caption[] =
    "Kaplan&#8211;Meier estimates of the time from the first treatment start to molecular progression (a clone "
    "meeting the emergence rule in plasma; censored at the last draw) and to radiographic progression (censored "
    "at the last follow-up). Ticks mark censoring.";

static void range_text(char *buf, size_t size, const vw_lead_group_t *g)
{
    if (isfinite(g->lead_median))
        snprintf(buf, size, "%.0f (%.0f to %.0f) days", g->lead_median, g->lead_min, g->lead_max);
    else
        snprintf(buf, size, "NA");
}

/* The cohort summary box: counts by lead-time status and the lead time. */
static void cohort_summary(FILE *fp, const vw_report_in_t *in)
{
    const vw_lead_group_t *tot = in->lt->n_groups ? &in->lt->g[in->lt->n_groups - 1] : NULL;
    char r[128], m[64] = "";
    /* sheet entries without a plasma draw (normals of a panel ...) are not patients */
    int n_not = 0;
    for (size_t i = 0; i < in->tl->n_patients; i++)
        n_not += !vw_report_is_patient(&in->tl->patients[i]);
    /* vafwatch leadtime leaves them out of its groups */
    if (tot) {
        range_text(r, sizeof(r), tot);
        if (isfinite(tot->lead_median))
            snprintf(m, sizeof(m), ", %.1f months", vw_date_months(tot->lead_median));
        fprintf(fp, "<div class=\"box\"><b>%d patients</b>, %d with radiographic progression, %d with a clone that "
                    "met the emergence rule. Molecular first: <b>%d</b>; radiographic first: %d; concordant (within "
                    "one draw interval): %d; progression without emergence: %d; censored: %d.<br>\n"
                    "<b>Lead time</b> (patients with both events, n = %d): median (range) %s%s.",
                tot->n, tot->n_progression, tot->n_emergence, tot->n_status[VW_LEAD_MOLECULAR_FIRST],
                tot->n_status[VW_LEAD_RADIOGRAPHIC_FIRST], tot->n_status[VW_LEAD_CONCORDANT],
                tot->n_status[VW_LEAD_NO_EMERGENCE], tot->n_status[VW_LEAD_CENSORED], tot->n_both, r, m);
        if (n_not)
            fprintf(fp, "<br>\n%d sheet entr%s without a plasma draw (normals only) %s not counted as patients.", n_not,
                    n_not == 1 ? "y" : "ies", n_not == 1 ? "is" : "are");
        fputs("</div>\n", fp);
    }
}

/* The lead-time table, one row per group, the total last (left open). */
static void lead_groups(FILE *fp, const vw_report_in_t *in)
{
    char r[128];
    fputs("<h2>Lead time</h2>\n<table>\n<thead><tr><th>group (gene of the first clone)</th><th>patients</th>"
          "<th>with progression</th><th>molecular first</th><th>radiographic first</th><th>concordant</th>"
          "<th>no emergence</th><th>censored</th><th>lead time, median (range)</th>"
          "<th>KM median to molecular progression</th><th>KM median to radiographic progression</th></tr></thead>\n"
          "<tbody>\n", fp);
    for (size_t g = 0; g < in->lt->n_groups; g++) {
        const vw_lead_group_t *G = &in->lt->g[g];
        range_text(r, sizeof(r), G);
        fputs(g + 1 == in->lt->n_groups ? "<tr style=\"font-weight:bold\"><td>" : "<tr><td>", fp);
        esc(fp, G->group);
        fprintf(fp, "</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                    "<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td>%s</td>",
                G->n, G->n_progression, G->n_status[0], G->n_status[1], G->n_status[2], G->n_status[3],
                G->n_status[4], r);
        if (isfinite(G->km_mol_median))
            fprintf(fp, "<td class=\"n\">%.0f days</td>", G->km_mol_median);
        else
            fputs("<td>not reached</td>", fp);
        if (isfinite(G->km_rad_median))
            fprintf(fp, "<td class=\"n\">%.0f days</td></tr>\n", G->km_rad_median);
        else
            fputs("<td>not reached</td></tr>\n", fp);
    }
}

/* The patient list, linked to their pages (left open). */
static void patient_list(FILE *fp, const vw_report_in_t *in, char *const *file)
{
    fputs("<h2>Patients</h2>\n<table>\n<thead><tr><th>patient</th><th>status</th><th>first clone to meet the rule</th>"
          "<th>first detection</th><th>progression</th><th>lead time</th><th>draws</th><th>clones</th></tr></thead>\n"
          "<tbody>\n", fp);
    for (size_t i = 0; i < in->tl->n_patients; i++) {
        const vw_patient_t *p = &in->tl->patients[i];
        const vw_lead_t *l = vw_report_lead(in->lt, p, i);
        char d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ], name[160], m[64];
        if (!vw_report_is_patient(p))
            continue;
        fputs("<tr><td>", fp);
        if (file)
            fprintf(fp, "<a href=\"patients/%s.html\">", file[i]);
        esc(fp, p->id);
        fprintf(fp, "%s</td><td>%s</td><td>", file ? "</a>" : "", l ? vw_lead_status_name(l->status) : "NA");
        if (l && l->clone)
            esc(fp, clone_name(l->clone, name, sizeof(name)));
        else
            fputs("none", fp);
        fprintf(fp, "</td><td>%s</td><td>%s</td>", vw_report_date(l ? l->first_detection : VW_DATE_NONE, d1),
                vw_report_date(l ? l->progression : VW_DATE_NONE, d2));
        if (l && isfinite(l->lead_days)) {
            months_text(m, sizeof(m), l->lead_days);
            fprintf(fp, "<td class=\"n\">%s</td>", m);
        } else {
            fputs("<td>NA</td>", fp);
        }
        fprintf(fp, "<td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n", vw_report_n_draws(p),
                vw_report_n_clones(in->tr, p));
    }
}

int vw_report_write_cohort_html(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt, char *const *file)
{
    if (!in || !in->tl || !in->tr || !in->lt || !fp)
        return -EINVAL;
    const char *title = opt && opt->title ? opt->title : "vafwatch cohort report";
    page_head(fp, "", title);
    fputs("<h1>", fp);
    esc(fp, title);
    fputs("</h1>\n", fp);
    page_notice(fp, opt);
    cohort_summary(fp, in);
    fputs("<h2>Patients over time</h2>\n", fp);
    fig_t f;
    int rc;
    if ((rc = fig_open(&f)) < 0)
        return rc;
    swimmer(f.fs, f.fc, in, file);
    if ((rc = fig_close(fp, &f, swimmer_caption, "cohort_swimmer", SWIM_CSV_HEADER)) < 0)
        return rc;
    lead_groups(fp, in);
    fputs("</tbody>\n</table>\n<h2>Time to molecular and to radiographic progression</h2>\n", fp);
    if ((rc = fig_open(&f)) < 0)
        return rc;
    rc = km_plot(f.fs, f.fc, in, file);
    int rc2 = fig_close(fp, &f, km_caption, "cohort_kaplan_meier", KM_CSV_HEADER);
    if (rc < 0 || rc2 < 0)
        return rc < 0 ? rc : rc2;
    patient_list(fp, in, file);
    fputs("</tbody>\n</table>\n<p class=\"muted\">Also written: vafwatch.report.json (this report as JSON, schema in "
          "docs/schema/vafwatch-report.schema.json) and vafwatch_mqc.tsv (a MultiQC custom-content table).</p>\n",
          fp);
    methods(fp, in, opt);
    fputs("</body>\n</html>\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
