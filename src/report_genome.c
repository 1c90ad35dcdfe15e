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
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                "aria-label=\"tumour fraction over the draws\">\n", W, H);
    for (int k = 0; k <= 4; k++) {
        double v = ymax * k / 4, y = T + (H - T - B) * (1 - v / ymax);
        fprintf(fp, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>\n",
                L, W - R, y, y, L - 5, y + 4, v);
    }
    fprintf(fp, "<text x=\"12\" y=\"%.0f\" font-size=\"12\" transform=\"rotate(-90 12 %.0f)\" "
                "text-anchor=\"middle\">tumour fraction</text>\n", (H - B + T) / 2, (H - B + T) / 2);
    double px = 0, py = 0;
    for (int i = 0; i < n; i++) {
        double x = L + (W - L - R) * (n > 1 ? (double)i / (n - 1) : 0.5);
        double y = T + (H - T - B) * (1 - f[i].tf / ymax);
        if (i)
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>\n", px, py, x, y);
        if (f[i].detected) {
            double y0 = T + (H - T - B) * (1 - f[i].tf_lo / ymax), y1 = T + (H - T - B) * (1 - f[i].tf_hi / ymax);
            fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#b2182b\"/>\n", x, x, y0, y1);
        }
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"#b2182b\"><title>", x, y,
                f[i].detected ? "#b2182b" : "white");
        esc(fp, g[i]->sample);
        fprintf(fp, ": TF %.3f%s</title></circle>\n", f[i].tf, f[i].detected ? "" : " (not detected)");
        fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-30 %.1f %.0f)\">",
                x, H - B + 15, x, H - B + 15);
        esc(fp, g[i]->sample);
        fputs("</text>\n", fp);
        px = x;
        py = y;
    }
    fputs("</svg>\n", fp);
}

/* One draw: log2r of the fitted autosomal bins along the genome, coloured
 * by state against the neutral one, with the segments' means. */
static void genome_plot(FILE *fp, const vw_genome_t *g, const vw_gfit_t *f)
{
    const vw_gwig_t *w = g->w;
    const double W = 1000, H = 200, L = 40, R = 10, T = 10, B = 25, lim = 1.0;
    double total = 0;
    for (int c = 0; c < w->n_chrom; c++)
        total += (double)w->chrom_len[c];
    if (!(total > 0))
        return;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                "aria-label=\"log2 ratio along the genome\">\n", W, H);
    double off = 0;
    for (int c = 0; c < w->n_chrom; c++) {
        double x0 = L + (W - L - R) * off / total, x1 = L + (W - L - R) * (off + (double)w->chrom_len[c]) / total;
        if (c % 2)
            fprintf(fp, "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"#f3f3f3\"/>\n", x0, T,
                    x1 - x0, H - T - B);
        if (x1 - x0 > 12) {
            fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"middle\">", (x0 + x1) / 2,
                    H - B + 13);
            esc(fp, w->chrom[c]);
            fputs("</text>\n", fp);
        }
        off += (double)w->chrom_len[c];
    }
    for (int k = -2; k <= 2; k++) {
        double y = T + (H - T - B) * (1 - (k * 0.5 + lim) / (2 * lim));
        fprintf(fp, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.1f</text>\n",
                L, W - R, y, y, k ? "#ddd" : "#999", L - 4, y + 3, k * 0.5);
    }
    /* contig offsets in bp */
    double offs[1024];
    off = 0;
    for (int c = 0; c < w->n_chrom && c < 1024; c++) {
        offs[c] = off;
        off += (double)w->chrom_len[c];
    }
    fputs("<g>\n", fp);
    for (int i = 0; i < w->n; i++) {
        if (!isfinite(g->cn[i]) || w->cid[i] >= 1024)
            continue;
        double x = L + (W - L - R) * (offs[w->cid[i]] + (double)(w->beg[i] + w->end[i]) / 2) / total;
        double v = fmax(-lim, fmin(lim, g->log2r[i]));
        double y = T + (H - T - B) * (1 - (v + lim) / (2 * lim));
        int d = (int)g->cn[i] - f->neutral;
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.3\" fill=\"%s\"/>\n", x, y,
                d > 0 ? "#b2182b" : d < 0 ? "#2166ac" : "#888");
    }
    fputs("</g>\n", fp);
    vw_gseg_t *s = NULL;
    int ns = 0;
    if (vw_genome_segments(g, &s, &ns) == 0) {
        for (int k = 0; k < ns; k++) {
            if (s[k].cid >= 1024)
                continue;
            double x0 = L + (W - L - R) * (offs[s[k].cid] + (double)s[k].beg) / total;
            double x1 = L + (W - L - R) * (offs[s[k].cid] + (double)s[k].end) / total;
            double v = fmax(-lim, fmin(lim, s[k].log2r));
            double y = T + (H - T - B) * (1 - (v + lim) / (2 * lim));
            fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\">"
                        "<title>", x0, x1, y, y);
            esc(fp, w->chrom[s[k].cid]);
            fprintf(fp, ":%lld-%lld copy number %d</title></line>\n", (long long)s[k].beg + 1, (long long)s[k].end,
                    s[k].cn);
        }
        free(s);
    }
    fputs("</svg>\n", fp);
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
