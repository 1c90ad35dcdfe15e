/* test_svg.c -- the SVG primitives of the report plots (src/svg.h).  The
 * expected strings are written out by hand from the formats svg.h states. */
#include <stdlib.h>
#include <string.h>

#include "vafwatch/report.h"
#include "vafwatch/timeline.h"
#include "vw_test.h"
#include "../../src/svg.h"

typedef struct {
    char *buf;
    size_t n;
    FILE *fp;
    vw_svg_t sv;
} out_t;

static void out_open(out_t *o)
{
    o->buf = NULL;
    o->n = 0;
    o->fp = open_memstream(&o->buf, &o->n);
    assert_non_null(o->fp);
    vw_svg_init(&o->sv, o->fp);
}

/* Closes the stream, compares with 'want' and frees. */
static void out_expect(out_t *o, const char *want)
{
    assert_int_equal(fclose(o->fp), 0);
    assert_string_equal(o->buf, want);
    free(o->buf);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void test_elements(void **st)
{
    (void)st;
    out_t o;
    out_open(&o);
    vw_svg_line(&o.sv, NULL, 1, 2.25, 3, 4, NULL, "stroke=\"%s\"", "#eee");
    vw_svg_line(&o.sv, "ci", 0, 0, 0, 10, "a<b & \"c\"", NULL);
    vw_svg_rect(&o.sv, NULL, 10, 20, 30.5, 40, NULL, "fill=\"#fff\"");
    vw_svg_circle(&o.sv, "det", 5, 6, 4.5, "S1: 0.3 %", NULL);
    out_expect(&o, "<line x1=\"1.0\" y1=\"2.2\" x2=\"3.0\" y2=\"4.0\" stroke=\"#eee\"/>\n"
                   "<line class=\"ci\" x1=\"0.0\" y1=\"0.0\" x2=\"0.0\" y2=\"10.0\"><title>a&lt;b &amp; &quot;c&quot;"
                   "</title></line>\n"
                   "<rect x=\"10.0\" y=\"20.0\" width=\"30.5\" height=\"40.0\" fill=\"#fff\"/>\n"
                   "<circle class=\"det\" cx=\"5.0\" cy=\"6.0\" r=\"4.5\"><title>S1: 0.3 %</title></circle>\n");
}

static void test_markers_text(void **st)
{
    (void)st;
    out_t o;
    out_open(&o);
    vw_svg_marker(&o.sv, VW_SVG_UP, NULL, 10, 20, NULL, "fill=\"#888\"");
    vw_svg_marker(&o.sv, VW_SVG_DOWN, NULL, 10, 20, NULL, NULL);
    vw_svg_marker(&o.sv, VW_SVG_LOD, "lod", 10, 20, "x", NULL);
    vw_svg_marker(&o.sv, VW_SVG_DIAMOND, NULL, 1, 2, NULL, NULL);
    vw_svg_marker(&o.sv, VW_SVG_RIGHT, NULL, 1, 2, NULL, NULL);
    vw_svg_marker(&o.sv, VW_SVG_CROSS, NULL, 1, 2, NULL, NULL);
    vw_svg_text(&o.sv, 1, 2, "end", "font-size=\"12\"", "<P1>");
    vw_svg_ylabel(&o.sv, 18, 100, "VAF (%)");
    out_expect(&o, "<path d=\"M10.0,20.0 l-5,9 h10 z\" fill=\"#888\"/>\n"
                   "<path d=\"M10.0,20.0 l-6,-9 h12 z\"/>\n"
                   "<path class=\"lod\" d=\"M10.0,20.0 l-5,-8 h10 z\"><title>x</title></path>\n"
                   "<path d=\"M1.0,2.0 l6,6 l-6,6 l-6,-6 z\"/>\n"
                   "<path d=\"M1.0,2.0 l10,6 l-10,6 z\"/>\n"
                   "<path d=\"M1.0,2.0 l8,8 m0,-8 l-8,8\"/>\n"
                   "<text x=\"1.0\" y=\"2.0\" text-anchor=\"end\" font-size=\"12\">&lt;P1&gt;</text>\n"
                   "<text x=\"18.0\" y=\"100.0\" text-anchor=\"middle\" font-size=\"13\" "
                   "transform=\"rotate(-90 18.0 100.0)\">VAF (%)</text>\n");
}

/* A group kept on one line (nl = ""), the root element and its end. */
static void test_groups(void **st)
{
    (void)st;
    out_t o;
    out_open(&o);
    vw_svg_open(&o.sv, "pcn", 960, 300.4, 0, "a & b");
    o.sv.nl = "";
    vw_svg_group(&o.sv, "emergence", NULL);
    vw_svg_line(&o.sv, NULL, 1, 2, 3, 4, NULL, NULL);
    o.sv.nl = "\n";
    vw_svg_group_end(&o.sv, "KRAS emerged");
    vw_svg_group(&o.sv, NULL, "stroke=\"%s\"", "#000");
    vw_svg_group_end(&o.sv, NULL);
    vw_svg_close(&o.sv);
    out_expect(&o, "<svg class=\"pcn\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 960 300\" width=\"960\" "
                   "height=\"300\" role=\"img\" aria-label=\"a &amp; b\">\n"
                   "<g class=\"emergence\"><line x1=\"1.0\" y1=\"2.0\" x2=\"3.0\" y2=\"4.0\"/><title>KRAS emerged</title></g>\n"
                   "<g stroke=\"#000\">\n</g>\n</svg>\n");
}

/* Polyline: nothing at the first point, one segment per later point;
 * band: upper edge forward, lower edge back; steps: V only on a change. */
static void test_paths(void **st)
{
    (void)st;
    out_t o;
    out_open(&o);
    vw_svg_poly_t p = {0, 0, 0};
    vw_svg_poly_to(&o.sv, &p, 1, 1, "stroke-width=\"1.5\"");
    vw_svg_poly_to(&o.sv, &p, 2, 3, "stroke-width=\"1.5\"");
    double x[2] = {1, 2}, hi[2] = {10, 20}, lo[2] = {30, 40};
    vw_svg_band(&o.sv, x, hi, lo, 2);
    double sx[3] = {5, 6, 7}, sy[3] = {0, 50, 50};
    vw_svg_steps(&o.sv, 0, 0, sx, sy, 3, "stroke=\"red\"");
    out_expect(&o, "<line x1=\"1.0\" y1=\"1.0\" x2=\"2.0\" y2=\"3.0\" stroke-width=\"1.5\"/>\n"
                   "<path class=\"band\" stroke=\"none\" fill-opacity=\"0.15\" d=\"M1.0,10.0 L2.0,20.0 L2.0,40.0 "
                   "L1.0,30.0 Z\"/>\n"
                   "<path fill=\"none\" stroke=\"red\" d=\"M0.0,0.0 H5.0 H6.0 V50.0 H7.0\"/>\n");
}

/* A legend entry: the swatch's elements on one line, then its text 18
 * units right of the swatch's centre. */
static void test_legend(void **st)
{
    (void)st;
    out_t o;
    out_open(&o);
    vw_svg_legend(&o.sv, 732, 40, VW_SVG_SW_LINE_DOT, "#0072B2", "KRAS p.G12D");
    vw_svg_legend(&o.sv, 732, 60, VW_SVG_SW_SQUARE, "#000", "ERBB2");
    out_expect(&o, "<line x1=\"720.0\" y1=\"40.0\" x2=\"744.0\" y2=\"40.0\" stroke=\"#0072B2\" stroke-width=\"2\"/>"
                   "<circle cx=\"732.0\" cy=\"40.0\" r=\"4.5\" fill=\"#0072B2\"/>\n"
                   "<text x=\"750.0\" y=\"44.0\" text-anchor=\"start\" font-size=\"12\">KRAS p.G12D</text>\n"
                   "<rect x=\"728.0\" y=\"56.0\" width=\"8.0\" height=\"8.0\" fill=\"#000\"/>\n"
                   "<text x=\"750.0\" y=\"64.0\" text-anchor=\"start\" font-size=\"12\">ERBB2</text>\n");
}

/* Date axis over 2024-01-15 .. 2024-06-20: a 6-month span gives monthly
 * ticks at Feb 1 .. Jun 1 (5), the year on the first only. */
static void test_date_axis(void **st)
{
    (void)st;
    vw_report_axes_t ax;
    vw_report_axes_patient(NULL, &ax);
    assert_int_equal(vw_date_from_ymd(2024, 1, 15, &ax.first_date), 0);
    assert_int_equal(vw_date_from_ymd(2024, 6, 20, &ax.last_date), 0);
    out_t o;
    out_open(&o);
    vw_svg_date_axis(&o.sv, &ax, 300);
    assert_int_equal(fclose(o.fp), 0);
    assert_int_equal(count(o.buf, "<text"), 5);
    assert_int_equal(count(o.buf, "stroke=\"#eee\""), 5); /* one grid line per tick */
    assert_non_null(strstr(o.buf, ">Feb 2024</text>"));
    assert_non_null(strstr(o.buf, ">Mar</text>"));
    assert_non_null(strstr(o.buf, ">Jun</text>"));
    assert_null(strstr(o.buf, ">Jan"));
    /* Feb 1 is day 17 of the 157-day span: x = left + 17 / 157 * width */
    int32_t feb;
    assert_int_equal(vw_date_from_ymd(2024, 2, 1, &feb), 0);
    char want[64];
    snprintf(want, sizeof(want), "<line x1=\"%.1f\" y1=\"%.1f\"", ax.left + 17.0 / 157.0 * ax.width, ax.top);
    assert_non_null(strstr(o.buf, want));
    assert_int_equal(feb - ax.first_date, 17);
    free(o.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elements),
        cmocka_unit_test(test_markers_text),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_legend),
        cmocka_unit_test(test_date_axis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
