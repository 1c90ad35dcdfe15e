/* svg.h -- the SVG primitives every report plot is drawn with (report_html.c,
 * report_genome.c); not installed.
 *
 * Each primitive writes one element: its geometry (numbers with one
 * decimal), then 'attrs' (a printf format and its arguments, or NULL: the
 * style, written after one space), then either "/>" or, when 'title' is not
 * NULL, "><title>TITLE</title></TAG>" with the title HTML-escaped; then the
 * writer's separator (s->nl: "\n", or "" inside a group kept on one line).
 * 'cls' (may be NULL) is written first as class="cls".  Every text given
 * is escaped; attrs are written as given (callers put only constants and
 * numbers there).
 *
 * A new plot: open the SVG, draw a frame and its axes (vw_svg_ytick,
 * vw_svg_date_axis or vw_svg_xtick, vw_svg_ylabel), the data (vw_svg_poly_to,
 * vw_svg_circle, vw_svg_marker, vw_svg_band) and a legend (vw_svg_legend),
 * then close it.
 *
 * Thread safety: no state beyond the vw_svg_t the caller owns; writers on
 * different FILEs may run at once.
 */
#ifndef VW_SVG_H
#define VW_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "vafwatch/report.h"
#include "vafwatch/util.h"

/* The font on the root of every report SVG, so a saved SVG looks as on the page. */
#define VW_SVG_FONT "font-family=\"DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif\""

typedef struct {
    FILE *fp;
    const char *nl;           /* written after each element: "\n" (vw_svg_init) or "" */
} vw_svg_t;

void vw_svg_init(vw_svg_t *s, FILE *fp);

/* <svg [class] xmlns viewBox="0 0 W H" width height [font] role="img"
 * aria-label="LABEL">; 'font' 1 adds VW_SVG_FONT. */
void vw_svg_open(vw_svg_t *s, const char *cls, double w, double h, int font, const char *label);
void vw_svg_close(vw_svg_t *s);
/* A group <g [class] [attrs]> and its end, with a title when not NULL. */
void vw_svg_group(vw_svg_t *s, const char *cls, const char *attrs, ...) VW_FORMAT(3, 4);
void vw_svg_group_end(vw_svg_t *s, const char *title);

/* Text at (x, y) anchored "start", "middle" or "end". */
void vw_svg_text(vw_svg_t *s, double x, double y, const char *anchor, const char *attrs, const char *text);
/* A y-axis title, rotated, centred on (x, y), font size 13. */
void vw_svg_ylabel(vw_svg_t *s, double x, double y, const char *text);

void vw_svg_line(vw_svg_t *s, const char *cls, double x1, double y1, double x2, double y2, const char *title,
                 const char *attrs, ...) VW_FORMAT(8, 9);
void vw_svg_rect(vw_svg_t *s, const char *cls, double x, double y, double w, double h, const char *title,
                 const char *attrs, ...) VW_FORMAT(8, 9);
void vw_svg_circle(vw_svg_t *s, const char *cls, double cx, double cy, double r, const char *title,
                   const char *attrs, ...) VW_FORMAT(7, 8);

/* Path markers, anchored at (x, y):
 *   UP       triangle pointing up, apex at (x, y), 10 wide, 9 high (scans);
 *   DOWN     triangle pointing down, apex at (x, y), 12 wide, 9 high (emergence);
 *   LOD      triangle pointing down, apex at (x, y), 10 wide, 8 high (a limit);
 *   DIAMOND  12 x 12, top corner at (x, y);
 *   RIGHT    arrow head pointing right, 10 x 12, top-left corner at (x, y);
 *   CROSS    an 8 x 8 cross, top-left corner at (x, y). */
typedef enum { VW_SVG_UP, VW_SVG_DOWN, VW_SVG_LOD, VW_SVG_DIAMOND, VW_SVG_RIGHT, VW_SVG_CROSS } vw_svg_shape_t;
void vw_svg_marker(vw_svg_t *s, vw_svg_shape_t shape, const char *cls, double x, double y, const char *title,
                   const char *attrs, ...) VW_FORMAT(7, 8);

/* The plot area: a white rectangle with a grey border. */
void vw_svg_frame(vw_svg_t *s, double x, double y, double w, double h);
/* A horizontal grid line from left to right at y, stroke 'grid', and its
 * label right-aligned 8 units left of the axis in font size 'font'. */
void vw_svg_ytick(vw_svg_t *s, double left, double right, double y, const char *grid, int font,
                  const char *label);
/* A tick of 'len' units down from (x, y) and its label 'dy' below, font 'font'. */
void vw_svg_xtick(vw_svg_t *s, double x, double y, double len, double dy, int font, const char *label);
/* The horizontal axis line from left to right at y. */
void vw_svg_axis(vw_svg_t *s, double left, double right, double y);
/* Calendar ticks of the patient axes at y_axis: grid lines from the top, a
 * tick and a label at month starts (steps of 1-60 months, at most ~9 ticks;
 * the year at January, at yearly steps and at the first tick). */
void vw_svg_date_axis(vw_svg_t *s, const vw_report_axes_t *ax, double y_axis);

/* A polyline drawn one segment at a time: vw_svg_poly_to() draws a line
 * from the previous point (none for the first) with 'attrs'. */
typedef struct {
    double x, y;
    int have;
} vw_svg_poly_t;
void vw_svg_poly_to(vw_svg_t *s, vw_svg_poly_t *p, double x, double y, const char *attrs);

/* A closed band: the upper edge x[i], hi[i] left to right, then the lower
 * edge back; class "band", no stroke, fill opacity 0.15. */
void vw_svg_band(vw_svg_t *s, const double *x, const double *hi, const double *lo, size_t n);

/* A step curve (Kaplan-Meier): from (x0, y0), for each i a horizontal step
 * to x[i] and, when y[i] differs from the previous level, a vertical one to
 * y[i]; unfilled. */
void vw_svg_steps(vw_svg_t *s, double x0, double y0, const double *x, const double *y, size_t n,
                  const char *attrs);
/* <defs> with the arrow head 'arrow' (marker-end="url(#arrow)"), fill #333. */
void vw_svg_defs_arrow(vw_svg_t *s);

/* Legend entries: a swatch centred on x (24 units wide), the text 18 units
 * right of x, baseline y + 4.  LINE_DOT: line and dot in 'colour'; BAR_DOT:
 * a vertical bar and dot; OPEN_DOT; BOX: a 20 x 12 box; SQUARE: an 8 x 8
 * square; UP: the scan triangle; DASH_DOWN: a dashed line and the emergence
 * triangle. */
typedef enum {
    VW_SVG_SW_LINE_DOT, VW_SVG_SW_BAR_DOT, VW_SVG_SW_OPEN_DOT, VW_SVG_SW_BOX, VW_SVG_SW_SQUARE, VW_SVG_SW_UP,
    VW_SVG_SW_DASH_DOWN
} vw_svg_swatch_t;
void vw_svg_legend(vw_svg_t *s, double x, double y, vw_svg_swatch_t sw, const char *colour, const char *text);

#endif
