/* svg.c -- the SVG primitives of the report plots (svg.h). */
#include <stdarg.h>
#include <stdio.h>

#include "vafwatch/report.h"
#include "svg.h"

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void vw_svg_init(vw_svg_t *s, FILE *fp)
{
    s->fp = fp;
    s->nl = "\n";
}

void vw_svg_open(vw_svg_t *s, const char *cls, double w, double h, int font, const char *label)
{
    fputs("<svg ", s->fp);
    if (cls)
        fprintf(s->fp, "class=\"%s\" ", cls);
    fprintf(s->fp, "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" ", w,
            h, w, h);
    if (font)
        fputs(VW_SVG_FONT " ", s->fp);
    fputs("role=\"img\" aria-label=\"", s->fp);
    vw_report_html_escape(s->fp, label);
    fputs("\">\n", s->fp);
}

void vw_svg_close(vw_svg_t *s) { fputs("</svg>\n", s->fp); }

/* ' ' and the formatted attributes, nothing for NULL. */
static void attrs_v(FILE *fp, const char *attrs, va_list ap)
{
    if (!attrs)
        return;
    fputc(' ', fp);
    vfprintf(fp, attrs, ap);
}

/* "/>" or "><title>T</title></tag>", then the separator. */
static void finish(vw_svg_t *s, const char *tag, const char *title)
{
    if (title) {
        fputs("><title>", s->fp);
        vw_report_html_escape(s->fp, title);
        fprintf(s->fp, "</title></%s>%s", tag, s->nl);
    } else {
        fprintf(s->fp, "/>%s", s->nl);
    }
}

static void start(vw_svg_t *s, const char *tag, const char *cls)
{
    fprintf(s->fp, "<%s", tag);
    if (cls)
        fprintf(s->fp, " class=\"%s\"", cls);
}

void vw_svg_group(vw_svg_t *s, const char *cls, const char *attrs, ...)
{
    start(s, "g", cls);
    va_list ap;
    va_start(ap, attrs);
    attrs_v(s->fp, attrs, ap);
    va_end(ap);
    fprintf(s->fp, ">%s", s->nl);
}

void vw_svg_group_end(vw_svg_t *s, const char *title)
{
    if (title) {
        fputs("<title>", s->fp);
        vw_report_html_escape(s->fp, title);
        fputs("</title>", s->fp);
    }
    fputs("</g>\n", s->fp);
}

void vw_svg_text(vw_svg_t *s, double x, double y, const char *anchor, const char *attrs, const char *text)
{
    fprintf(s->fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>", x, y, anchor, attrs ? attrs : "");
    vw_report_html_escape(s->fp, text);
    fprintf(s->fp, "</text>%s", s->nl);
}

void vw_svg_ylabel(vw_svg_t *s, double x, double y, const char *text)
{
    fprintf(s->fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" "
                   "transform=\"rotate(-90 %.1f %.1f)\">", x, y, x, y);
    vw_report_html_escape(s->fp, text);
    fprintf(s->fp, "</text>%s", s->nl);
}

void vw_svg_line(vw_svg_t *s, const char *cls, double x1, double y1, double x2, double y2, const char *title,
                 const char *attrs, ...)
{
    start(s, "line", cls);
    fprintf(s->fp, " x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", x1, y1, x2, y2);
    va_list ap;
    va_start(ap, attrs);
    attrs_v(s->fp, attrs, ap);
    va_end(ap);
    finish(s, "line", title);
}

void vw_svg_rect(vw_svg_t *s, const char *cls, double x, double y, double w, double h, const char *title,
                 const char *attrs, ...)
{
    start(s, "rect", cls);
    fprintf(s->fp, " x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x, y, w, h);
    va_list ap;
    va_start(ap, attrs);
    attrs_v(s->fp, attrs, ap);
    va_end(ap);
    finish(s, "rect", title);
}

void vw_svg_circle(vw_svg_t *s, const char *cls, double cx, double cy, double r, const char *title,
                   const char *attrs, ...)
{
    start(s, "circle", cls);
    fprintf(s->fp, " cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", cx, cy, r);
    va_list ap;
    va_start(ap, attrs);
    attrs_v(s->fp, attrs, ap);
    va_end(ap);
    finish(s, "circle", title);
}

void vw_svg_marker(vw_svg_t *s, vw_svg_shape_t shape, const char *cls, double x, double y, const char *title,
                   const char *attrs, ...)
{
    static const char *const rest[] = {"l-5,9 h10 z", "l-6,-9 h12 z", "l-5,-8 h10 z", "l6,6 l-6,6 l-6,-6 z",
                                       "l10,6 l-10,6 z", "l8,8 m0,-8 l-8,8"};
    start(s, "path", cls);
    fprintf(s->fp, " d=\"M%.1f,%.1f %s\"", x, y, (unsigned)shape < 6 ? rest[shape] : "");
    va_list ap;
    va_start(ap, attrs);
    attrs_v(s->fp, attrs, ap);
    va_end(ap);
    finish(s, "path", title);
}

void vw_svg_frame(vw_svg_t *s, double x, double y, double w, double h)
{
    vw_svg_rect(s, NULL, x, y, w, h, NULL, "fill=\"#fff\" stroke=\"#999\"");
}

void vw_svg_ytick(vw_svg_t *s, double left, double right, double y, const char *grid, int font, const char *label)
{
    char a[32];
    vw_svg_line(s, NULL, left, y, right, y, NULL, "stroke=\"%s\"", grid);
    snprintf(a, sizeof(a), "font-size=\"%d\"", font);
    vw_svg_text(s, left - 8, y + 4, "end", a, label);
}

void vw_svg_xtick(vw_svg_t *s, double x, double y, double len, double dy, int font, const char *label)
{
    char a[32];
    vw_svg_line(s, NULL, x, y, x, y + len, NULL, "stroke=\"#333\"");
    snprintf(a, sizeof(a), "font-size=\"%d\"", font);
    vw_svg_text(s, x, y + dy, "middle", a, label);
}

void vw_svg_axis(vw_svg_t *s, double left, double right, double y)
{
    vw_svg_line(s, NULL, left, y, right, y, NULL, "stroke=\"#333\"");
}

/* The step in months: the smallest of 1, 2, 3, 6, 12, 24, 60 giving <= 9 ticks. */
static int month_step(int span_m)
{
    static const int steps[] = {1, 2, 3, 6, 12, 24, 60};
    for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
        if (span_m / steps[k] <= 9)
            return steps[k];
    return 60;
}

void vw_svg_date_axis(vw_svg_t *s, const vw_report_axes_t *ax, double y_axis)
{
    int y0, m0, d0, y1, m1, d1;
    if (vw_date_to_ymd(ax->first_date, &y0, &m0, &d0) != 0 || vw_date_to_ymd(ax->last_date, &y1, &m1, &d1) != 0)
        return;
    int step = month_step((y1 - y0) * 12 + (m1 - m0) + 1);
    int y = y0, m = m0 + 1; /* the first month start after first_date */
    if (m > 12) {
        m = 1;
        y++;
    }
    int first = 1;
    for (; y < y1 || (y == y1 && m <= m1);) {
        int32_t d;
        if (((y * 12 + m - 1) % step) == 0 && vw_date_from_ymd(y, m, 1, &d) == 0 && d <= ax->last_date) {
            double x = vw_report_x(ax, d);
            char lab[16];
            if (m == 1 || step >= 12 || first)
                snprintf(lab, sizeof(lab), "%s %d", month_abbr[m - 1], y);
            else
                snprintf(lab, sizeof(lab), "%s", month_abbr[m - 1]);
            vw_svg_line(s, NULL, x, ax->top, x, y_axis, NULL, "stroke=\"#eee\"");
            vw_svg_line(s, NULL, x, y_axis, x, y_axis + 4, NULL, "stroke=\"#333\"");
            vw_svg_text(s, x, y_axis + 44, "middle", "font-size=\"11\"", lab);
            first = 0;
        }
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
}

void vw_svg_poly_to(vw_svg_t *s, vw_svg_poly_t *p, double x, double y, const char *attrs)
{
    if (p->have && attrs)
        vw_svg_line(s, NULL, p->x, p->y, x, y, NULL, "%s", attrs);
    else if (p->have)
        vw_svg_line(s, NULL, p->x, p->y, x, y, NULL, NULL);
    p->x = x;
    p->y = y;
    p->have = 1;
}

void vw_svg_band(vw_svg_t *s, const double *x, const double *hi, const double *lo, size_t n)
{
    fputs("<path class=\"band\" stroke=\"none\" fill-opacity=\"0.15\" d=\"", s->fp);
    for (size_t q = 0; q < n; q++)
        fprintf(s->fp, "%s%.1f,%.1f", q == 0 ? "M" : " L", x[q], hi[q]);
    for (size_t q = n; q-- > 0;)
        fprintf(s->fp, " L%.1f,%.1f", x[q], lo[q]);
    fprintf(s->fp, " Z\"/>%s", s->nl);
}

void vw_svg_legend(vw_svg_t *s, double x, double y, vw_svg_swatch_t sw, const char *colour, const char *text)
{
    const char *nl = s->nl;
    s->nl = "";
    switch (sw) {
    case VW_SVG_SW_LINE_DOT:
        vw_svg_line(s, NULL, x - 12, y, x + 12, y, NULL, "stroke=\"%s\" stroke-width=\"2\"", colour);
        vw_svg_circle(s, NULL, x, y, 4.5, NULL, "fill=\"%s\"", colour);
        break;
    case VW_SVG_SW_BAR_DOT:
        vw_svg_line(s, NULL, x, y - 8, x, y + 8, NULL, "stroke=\"%s\"", colour);
        vw_svg_circle(s, NULL, x, y, 4.5, NULL, "fill=\"%s\"", colour);
        break;
    case VW_SVG_SW_OPEN_DOT:
        vw_svg_circle(s, NULL, x, y, 4.5, NULL, "fill=\"#fff\" stroke=\"%s\" stroke-width=\"1.5\"", colour);
        break;
    case VW_SVG_SW_BOX:
        vw_svg_rect(s, NULL, x - 10, y - 6, 20, 12, NULL, "fill=\"%s\"", colour);
        break;
    case VW_SVG_SW_SQUARE:
        vw_svg_rect(s, NULL, x - 4, y - 4, 8, 8, NULL, "fill=\"%s\"", colour);
        break;
    case VW_SVG_SW_UP:
        vw_svg_marker(s, VW_SVG_UP, NULL, x, y - 5, NULL, "fill=\"%s\"", colour);
        break;
    case VW_SVG_SW_DASH_DOWN:
        vw_svg_line(s, NULL, x - 12, y, x + 12, y, NULL, "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"",
                    colour);
        vw_svg_marker(s, VW_SVG_DOWN, NULL, x, y + 4, NULL, "fill=\"%s\"", colour);
        break;
    }
    s->nl = nl;
    fputs(nl, s->fp);
    vw_svg_text(s, x + 18, y + 4, "start", "font-size=\"12\"", text);
}

void vw_svg_steps(vw_svg_t *s, double x0, double y0, const double *x, const double *y, size_t n,
                  const char *attrs)
{
    fprintf(s->fp, "<path fill=\"none\" %s d=\"M%.1f,%.1f", attrs ? attrs : "", x0, y0);
    double level = y0;
    for (size_t i = 0; i < n; i++) {
        fprintf(s->fp, " H%.1f", x[i]);
        if (y[i] != level)
            fprintf(s->fp, " V%.1f", y[i]);
        level = y[i];
    }
    fprintf(s->fp, "\"/>%s", s->nl);
}

void vw_svg_defs_arrow(vw_svg_t *s)
{
    fputs("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
          "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/>"
          "</marker></defs>\n", s->fp);
}
