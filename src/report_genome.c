/* report_genome.c -- the genome-wide copy-number report: one self-contained
 * HTML page with the tumour fraction over the draws and a genome plot per
 * draw (inline SVG, no script, no external resource). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/cnv_genome.h"
#include "vafwatch/report.h"
#include "svg.h"

#define esc vw_report_html_escape

static void num(FILE *fp, const char *fmt, double x)
{
    if (isfinite(x))
        fprintf(fp, fmt, x);
    else
        fputs("NA", fp);
}

/* Tumour fraction over the draws: points with 95 % bars, hollow at 0 when
 * not detected. */
static void tf_plot(FILE *fp, const vw_genome_t *const *g, const vw_gfit_t *f, int n)
{
    const double W = 640, H = 240, L = 50, R = 20, T = 15, B = 60;
    double ymax = 0.1;
    for (int i = 0; i < n; i++)
        ymax = fmax(ymax, isfinite(f[i].tf_hi) ? f[i].tf_hi : f[i].tf);
    ymax = ceil(ymax * 10) / 10;
#define TY(v) (T + (H - T - B) * (1 - (v) / ymax))
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, NULL, W, H, 0, "tumour fraction over the draws");
    char lab[96];
    for (int k = 0; k <= 4; k++) {
        double v = ymax * k / 4, y = TY(v);
        snprintf(lab, sizeof(lab), "%.2f", v);
        vw_svg_line(&sv, NULL, L, y, W - R, y, NULL, "stroke=\"#ddd\"");
        vw_svg_text(&sv, L - 5, y + 4, "end", "font-size=\"11\"", lab);
    }
    snprintf(lab, sizeof(lab), "font-size=\"12\" transform=\"rotate(-90 12 %.1f)\"", (H - B + T) / 2);
    vw_svg_text(&sv, 12, (H - B + T) / 2, "middle", lab, "tumour fraction");
    vw_svg_poly_t pl = {0, 0, 0};
    for (int i = 0; i < n; i++) {
        double x = L + (W - L - R) * (n > 1 ? (double)i / (n - 1) : 0.5), y = TY(f[i].tf);
        char title[512];
        vw_svg_poly_to(&sv, &pl, x, y, "stroke=\"#555\"");
        if (f[i].detected)
            vw_svg_line(&sv, NULL, x, TY(f[i].tf_lo), x, TY(f[i].tf_hi), NULL, "stroke=\"#b2182b\"");
        snprintf(title, sizeof(title), "%s: TF %.3f%s", g[i]->sample, f[i].tf, f[i].detected ? "" : " (not detected)");
        vw_svg_circle(&sv, NULL, x, y, 4, title, "fill=\"%s\" stroke=\"#b2182b\"", f[i].detected ? "#b2182b" : "white");
        char rot[64];
        snprintf(rot, sizeof(rot), "font-size=\"11\" transform=\"rotate(-30 %.1f %.1f)\"", x, H - B + 15);
        vw_svg_text(&sv, x, H - B + 15, "end", rot, g[i]->sample);
    }
#undef TY
    vw_svg_close(&sv);
}

/* The genome plot's geometry: bp 0 .. total over the plot width, log2r
 * -lim .. lim over its height. */
typedef struct {
    double W, H, L, R, T, B, lim, total;
    double offs[1024];        /* contig offsets in bp */
} gplot_t;

static double gp_x(const gplot_t *p, int cid, double bp) { return p->L + (p->W - p->L - p->R) * (p->offs[cid] + bp) / p->total; }
static double gp_y(const gplot_t *p, double v)
{
    v = fmax(-p->lim, fmin(p->lim, v));
    return p->T + (p->H - p->T - p->B) * (1 - (v + p->lim) / (2 * p->lim));
}

/* Alternate contig shading, contig names, and the log2r grid. */
static void genome_axes(vw_svg_t *sv, const vw_gwig_t *w, const gplot_t *p)
{
    double off = 0;
    for (int c = 0; c < w->n_chrom; c++) {
        double x0 = p->L + (p->W - p->L - p->R) * off / p->total;
        double x1 = p->L + (p->W - p->L - p->R) * (off + (double)w->chrom_len[c]) / p->total;
        if (c % 2)
            vw_svg_rect(sv, NULL, x0, p->T, x1 - x0, p->H - p->T - p->B, NULL, "fill=\"#f3f3f3\"");
        if (x1 - x0 > 12)
            vw_svg_text(sv, (x0 + x1) / 2, p->H - p->B + 13, "middle", "font-size=\"10\"", w->chrom[c]);
        off += (double)w->chrom_len[c];
    }
    for (int k = -2; k <= 2; k++) {
        char lab[16];
        snprintf(lab, sizeof(lab), "%.1f", k * 0.5);
        double y = p->T + (p->H - p->T - p->B) * (1 - (k * 0.5 + p->lim) / (2 * p->lim));
        vw_svg_line(sv, NULL, p->L, y, p->W - p->R, y, NULL, "stroke=\"%s\"", k ? "#ddd" : "#999");
        vw_svg_text(sv, p->L - 4, y + 3, "end", "font-size=\"10\"", lab);
    }
}

/* One draw: log2r of the fitted autosomal bins along the genome, coloured
 * by state against the neutral one, with the segments' means. */
static void genome_plot(FILE *fp, const vw_genome_t *g, const vw_gfit_t *f)
{
    const vw_gwig_t *w = g->w;
    gplot_t gp = {.W = 1000, .H = 200, .L = 40, .R = 10, .T = 10, .B = 25, .lim = 1.0, .total = 0}, *p = &gp;
    for (int c = 0; c < w->n_chrom; c++) {
        if (c < 1024)
            p->offs[c] = p->total;
        p->total += (double)w->chrom_len[c];
    }
    if (!(p->total > 0))
        return;
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, NULL, p->W, p->H, 0, "log2 ratio along the genome");
    genome_axes(&sv, w, p);
    vw_svg_group(&sv, NULL, NULL);
    for (int i = 0; i < w->n; i++) {
        if (!isfinite(g->cn[i]) || w->cid[i] >= 1024)
            continue;
        int d = (int)g->cn[i] - f->neutral;
        vw_svg_circle(&sv, NULL, gp_x(p, w->cid[i], (double)(w->beg[i] + w->end[i]) / 2), gp_y(p, g->log2r[i]), 1.3,
                      NULL, "fill=\"%s\"", d > 0 ? "#b2182b" : d < 0 ? "#2166ac" : "#888");
    }
    vw_svg_group_end(&sv, NULL);
    vw_gseg_t *s = NULL;
    int ns = 0;
    if (vw_genome_segments(g, &s, &ns) == 0) {
        for (int k = 0; k < ns; k++) {
            if (s[k].cid >= 1024)
                continue;
            char title[256];
            snprintf(title, sizeof(title), "%s:%lld-%lld copy number %d", w->chrom[s[k].cid], (long long)s[k].beg + 1,
                     (long long)s[k].end, s[k].cn);
            double y = gp_y(p, s[k].log2r);
            vw_svg_line(&sv, NULL, gp_x(p, s[k].cid, (double)s[k].beg), y, gp_x(p, s[k].cid, (double)s[k].end), y,
                        title, "stroke=\"#000\" stroke-width=\"2\"");
        }
        free(s);
    }
    vw_svg_close(&sv);
}

int vw_genome_write_html(FILE *fp, const vw_genome_t *const *g, const vw_gfit_t *f, const double *fga,
                         const double *wgii, int n)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>vafwatch: genome-wide copy number</title>\n"
          "<style>body{font-family:sans-serif;margin:20px;max-width:1040px}table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}"
          "td:first-child{text-align:left}</style></head><body>\n"
          "<h1>Genome-wide copy number</h1>\n<p>Tumour fraction (TF) with its 95 % interval, ploidy, fraction of "
          "the genome altered (FGA) and the weighted genome instability index (wGII) per draw, in input order. "
          "Method: docs/copy-number.md (\"Genome-wide\").</p>\n<table><tr><th>sample</th><th>TF</th>"
          "<th>95 % interval</th><th>detected</th><th>ploidy</th><th>FGA</th><th>wGII</th></tr>\n", fp);
    for (int i = 0; i < n; i++) {
        fputs("<tr><td>", fp);
        esc(fp, g[i]->sample);
        fprintf(fp, "</td><td>%.3f</td><td>%.3f&ndash;", f[i].tf, f[i].tf_lo);
        num(fp, "%.3f", f[i].tf_hi);
        fprintf(fp, "</td><td>%s</td><td>%.2f</td><td>", f[i].detected ? "yes" : "no", f[i].ploidy);
        num(fp, "%.3f", fga[i]);
        fputs("</td><td>", fp);
        num(fp, "%.3f", wgii[i]);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n<h2>Tumour fraction over the draws</h2>\n", fp);
    tf_plot(fp, g, f, n);
    fputs("<h2>Genome plots</h2>\n<p>log2 ratio of each fitted bin (autosomes; clipped to &plusmn;1), red above and blue below "
          "the neutral copy number of the solution, black lines the segments.</p>\n", fp);
    for (int i = 0; i < n; i++) {
        fputs("<h3>", fp);
        esc(fp, g[i]->sample);
        fprintf(fp, " &mdash; TF %.3f%s</h3>\n", f[i].tf, f[i].detected ? "" : " (not detected)");
        genome_plot(fp, g[i], &f[i]);
    }
    fputs("</body></html>\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

/* ------------------------------------------------------------------ */
/* The panel of a patient's page in the run's report                    */

/* The patient's fitted draws in date order (indices into gp); returns their count. */
static int panel_draws(const vw_genome_panel_t *gp, const vw_patient_t *p, int *idx, int32_t *date)
{
    int m = 0;
    for (size_t k = 0; k < p->n_samples && m < gp->n; k++)
        for (int i = 0; i < gp->n; i++)
            if (!strcmp(gp->g[i]->sample, p->samples[k].sample)) {
                idx[m] = i;
                date[m++] = p->samples[k].date;
                break;
            }
    return m;
}

/* TF over calendar time (the x axis of the clone plot above it): 95 %
 * bars, hollow at 0 when not detected. */
static void tf_time_plot(FILE *fp, const vw_genome_panel_t *gp, const vw_patient_t *p, const int *idx,
                         const int32_t *date, int m)
{
    vw_report_axes_t ax;
    vw_report_axes_patient(p, &ax);
    ax.top = 15;
    ax.height = 170;
    double ymax = 0.1;
    for (int k = 0; k < m; k++) {
        const vw_gfit_t *f = &gp->fit[idx[k]];
        ymax = fmax(ymax, isfinite(f->tf_hi) ? f->tf_hi : f->tf);
    }
    double step = ymax <= 0.2 ? 0.05 : ymax <= 0.4 ? 0.1 : 0.2; /* round ticks */
    int n_tick = (int)ceil(ymax / step - 1e-9);
    ymax = n_tick * step;
#define TY(v) (ax.top + ax.height * (1 - (v) / ymax))
    vw_svg_t sv;
    vw_svg_init(&sv, fp);
    vw_svg_open(&sv, "genome-tf", 960, ax.top + ax.height + 45, 1, "genome-wide tumour fraction over time");
    vw_svg_frame(&sv, ax.left, ax.top, ax.width, ax.height);
    char lab[64];
    for (int k = 0; k <= n_tick; k++) {
        snprintf(lab, sizeof(lab), "%.2f", step * k);
        vw_svg_ytick(&sv, ax.left, ax.left + ax.width, TY(step * k), "#eee", 11, lab);
    }
    vw_svg_date_axis(&sv, &ax, ax.top + ax.height);
    snprintf(lab, sizeof(lab), "font-size=\"12\" transform=\"rotate(-90 20 %.1f)\"", ax.top + ax.height / 2);
    vw_svg_text(&sv, 20, ax.top + ax.height / 2, "middle", lab, "tumour fraction");
    vw_svg_poly_t pl = {0, 0, 0};
    for (int k = 0; k < m; k++) {
        const vw_gfit_t *f = &gp->fit[idx[k]];
        double x = vw_report_x(&ax, date[k]), y = TY(f->tf);
        char title[512], d[VW_DATE_BUFSZ];
        vw_date_format(date[k], d);
        vw_svg_poly_to(&sv, &pl, x, y, "stroke=\"#555\"");
        if (f->detected)
            vw_svg_line(&sv, NULL, x, TY(f->tf_lo), x, TY(f->tf_hi), NULL, "stroke=\"#b2182b\"");
        if (f->detected)
            snprintf(title, sizeof(title), "%s %s: TF %.3f (%.3f-%.3f), 2xLLR %.1f", gp->g[idx[k]]->sample, d, f->tf,
                     f->tf_lo, f->tf_hi, f->llr);
        else
            snprintf(title, sizeof(title), "%s %s: not detected (2xLLR %.1f <= %g)", gp->g[idx[k]]->sample, d, f->llr,
                     gp->min_llr);
        vw_svg_circle(&sv, NULL, x, y, 4, title, "fill=\"%s\" stroke=\"#b2182b\"", f->detected ? "#b2182b" : "white");
    }
#undef TY
    vw_svg_close(&sv);
}

int vw_genome_write_panel(FILE *fp, const vw_genome_panel_t *gp, const vw_patient_t *p)
{
    if (!gp || gp->n == 0)
        return 0;
    int *idx = malloc(sizeof(int) * (size_t)gp->n);
    int32_t *date = malloc(sizeof(int32_t) * (size_t)gp->n);
    if (!idx || !date) {
        free(idx);
        free(date);
        return -ENOMEM;
    }
    int m = panel_draws(gp, p, idx, date);
    if (m > 0) {
        fprintf(fp, "<h2>Genome-wide copy number (shallow WGS)</h2>\n<p>Tumour fraction (TF) of each draw from its "
                    "genome-wide copy number, with its 95 %% interval; a hollow circle at 0 is a draw where TF was not "
                    "detected (2 &times; log-likelihood ratio against TF 0 at most %g; docs/copy-number.md). Same "
                    "time axis as the clone plot.</p>\n", gp->min_llr);
        tf_time_plot(fp, gp, p, idx, date, m);
        fputs("<table>\n<thead><tr><th>date</th><th>sample</th><th>TF</th><th>95 % interval</th><th>detected</th>"
              "<th>2&times;LLR</th><th>ploidy</th><th>FGA</th><th>wGII</th></tr></thead>\n<tbody>\n", fp);
        for (int k = 0; k < m; k++) {
            const vw_gfit_t *f = &gp->fit[idx[k]];
            char d[VW_DATE_BUFSZ];
            vw_date_format(date[k], d);
            fprintf(fp, "<tr><td>%s</td><td>", d);
            esc(fp, gp->g[idx[k]]->sample);
            fprintf(fp, "</td><td class=\"n\">%.3f</td><td class=\"n\">%.3f&ndash;", f->tf, f->tf_lo);
            num(fp, "%.3f", f->tf_hi);
            fprintf(fp, "</td><td>%s</td><td class=\"n\">%.1f</td><td class=\"n\">%.2f</td><td class=\"n\">",
                    f->detected ? "yes" : "no", f->llr, f->ploidy);
            num(fp, "%.3f", gp->fga[idx[k]]);
            fputs("</td><td class=\"n\">", fp);
            num(fp, "%.3f", gp->wgii[idx[k]]);
            fputs("</td></tr>\n", fp);
        }
        fputs("</tbody>\n</table>\n<p>log2 ratio of each fitted bin (autosomes; clipped to &plusmn;1), red above and "
              "blue below the neutral copy number of the draw's solution, black lines the segments.</p>\n", fp);
        for (int k = 0; k < m; k++) {
            char d[VW_DATE_BUFSZ];
            vw_date_format(date[k], d);
            fprintf(fp, "<h3>%s &mdash; ", d);
            esc(fp, gp->g[idx[k]]->sample);
            fprintf(fp, " &mdash; TF %.3f%s</h3>\n", gp->fit[idx[k]].tf, gp->fit[idx[k]].detected ? "" : " (not detected)");
            genome_plot(fp, gp->g[idx[k]], &gp->fit[idx[k]]);
        }
    }
    free(idx);
    free(date);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

/* ------------------------------------------------------------------ */
/* Serial table                                                        */

/* Index of the draw named 'name' among names[0..n), -1 none. */
static int find_draw(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

/* A rise at draw b over draw a: both detected, b's interval above a's.  A
 * first detection after a draw without one is not a rise: near the limit of
 * detection draws come and go (docs/copy-number.md). */
static int rises(const vw_gfit_t *a, const vw_gfit_t *b)
{
    return a->detected && b->detected && b->tf_lo > a->tf_hi;
}

int vw_genome_write_series(FILE *fp, const vw_timeline_t *tl, const char *const *names, const vw_gfit_t *f,
                           const double *fga, const double *wgii, int n, int *ret_n_rows)
{
    int rows = 0;
    fputs("#patient\tsample\tdate\ttf\ttf_lo\ttf_hi\tdetected\tploidy\tfga\tcin_wgii\ttf_change\trise\tconfirmed"
          "\tfirst_rise\n", fp);
    int *idx = malloc(sizeof(int) * (size_t)(n ? n : 1));
    int32_t *date = malloc(sizeof(int32_t) * (size_t)(n ? n : 1));
    const char **name = malloc(sizeof(char *) * (size_t)(n ? n : 1));
    if (!idx || !date || !name) {
        free(idx);
        free(date);
        free(name);
        return -ENOMEM;
    }
    for (size_t p = 0; p < tl->n_patients; p++) {
        const vw_patient_t *pt = &tl->patients[p];
        int m = 0;
        for (size_t k = 0; k < pt->n_samples; k++) {
            const vw_sample_t *s = &pt->samples[k];
            if (s->type != VW_SAMPLE_PLASMA)
                continue;
            int i = find_draw(names, n, s->sample);
            if (i < 0 || m >= n)
                continue;
            idx[m] = i;
            date[m] = s->date;
            name[m++] = s->sample;
        }
        char first[VW_DATE_BUFSZ] = "NA";
        for (int k = 1; k < m && !strcmp(first, "NA"); k++)
            if (k + 1 < m && rises(&f[idx[k - 1]], &f[idx[k]]) && rises(&f[idx[k - 1]], &f[idx[k + 1]]))
                vw_date_format(date[k], first);
        for (int k = 0; k < m; k++) {
            const vw_gfit_t *x = &f[idx[k]];
            char d[VW_DATE_BUFSZ];
            vw_date_format(date[k], d);
            fputs(pt->id, fp);
            fprintf(fp, "\t%s\t%s\t%.3f\t%.3f\t", name[k], d, x->tf, x->tf_lo);
            num(fp, "%.3f", x->tf_hi);
            fprintf(fp, "\t%s\t%.3f\t", x->detected ? "yes" : "no", x->ploidy);
            num(fp, "%.4f", fga[idx[k]]);
            fputc('\t', fp);
            num(fp, "%.4f", wgii[idx[k]]);
            if (k == 0) {
                fputs("\tNA\tNA\tNA", fp);
            } else {
                int r = rises(&f[idx[k - 1]], x);
                fprintf(fp, "\t%.3f\t%s\t%s", x->tf - f[idx[k - 1]].tf, r ? "yes" : "no",
                        !r ? "no" : k + 1 < m ? (rises(&f[idx[k - 1]], &f[idx[k + 1]]) ? "yes" : "no") : "NA");
            }
            fprintf(fp, "\t%s\n", first);
            rows++;
        }
    }
    free(idx);
    free(date);
    free(name);
    if (ret_n_rows)
        *ret_n_rows = rows;
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
