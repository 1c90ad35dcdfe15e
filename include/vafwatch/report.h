/*
 * report.h -- the reports people read: a cohort HTML page (swimmer plot,
 * lead-time summary, Kaplan-Meier curves), one HTML page per patient (VAF
 * over calendar time on a log axis, tables, methods), the same content as
 * JSON (docs/schema/vafwatch-report.schema.json) and a MultiQC
 * custom-content table.  docs/reports.md describes every file, the plot
 * geometry and the colours.
 *
 * The module reads the records of the earlier stages (timeline, track,
 * leadtime, calls) read-only.  The HTML is self-contained: inline CSS and
 * SVG, no script, no font, nothing loaded from anywhere (a
 * Content-Security-Policy meta tag forbids it).  Output is deterministic:
 * no date or time is written unless opt->timestamp is set.
 *
 * Return convention: 0 on success, -EINVAL for a NULL or invalid argument,
 * -ENOMEM, -errno for file-system errors.  Nothing here logs except
 * vw_report_write(), which logs the file it could not write.
 */
#ifndef VW_REPORT_H
#define VW_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vafwatch/call.h"
#include "vafwatch/cnv.h"
#include "vafwatch/cnv_genome.h"
#include "vafwatch/leadtime.h"
#include "vafwatch/patient.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
#include "vafwatch/util.h"

/* ------------------------------------------------------------------------ */
/* Inputs                                                                    */
/* ------------------------------------------------------------------------ */

/* One parameter shown under "Methods and parameters" and in the JSON
 * "parameters" object. */
typedef struct {
    const char *key;
    const char *value;
} vw_report_param_t;

/* Everything a report is made of; all borrowed. */
typedef struct {
    const vw_timeline_t *tl;        /* required */
    const vw_track_t *tr;           /* required */
    const vw_leadtime_t *lt;        /* required */
    const vw_calls_t *calls;        /* optional: the background sources used are counted from it */
    const vw_cnv_rows_t *cnv;       /* optional copy-number table (vw_cnv_rows_read_tsv(); rows
                                     * without text fields are not shown) */
    const char *cnv_path;           /* optional: shown as the CNV source */
    const char *command;            /* the command line; NULL: not shown */
    const char *version;            /* vafwatch version; NULL: "unknown" */
    const char *build;              /* catalogue build; NULL: "not recorded" */
    const vw_report_param_t *params;/* extra parameters (call alpha, adjust ...) in order */
    size_t n_params;
    const vw_markers_t *markers;    /* optional clinical markers (vw_markers_read() on in->tl) */
    const vw_patient_rows_t *patient_tests; /* optional: the patient-level tests (tumour-informed),
                                             * a panel under the clone plot */
    const vw_genome_panel_t *genome; /* optional: the genome-wide fits of the draws (a panel per
                                      * patient page, report_genome.c) */
} vw_report_in_t;

typedef struct {
    int timestamp;                  /* 1: write the UTC date and time of the run [0] */
    const char *title;              /* cohort report title ["vafwatch cohort report"] */
    int32_t report_date;            /* the report date shown on every page and in the JSON
                                     * (days since 1970-01-01); VW_DATE_NONE: none [VW_DATE_NONE] */
} vw_report_opt_t;

void vw_report_opt_init(vw_report_opt_t *opt);

/* The default report date: SOURCE_DATE_EPOCH (seconds since 1970, UTC) when
 * that variable is set (reproducible builds), else today (UTC).  Returns 0,
 * or VW_EPARSE when SOURCE_DATE_EPOCH is set but not a non-negative integer
 * (then *ret_days is untouched). */
int vw_report_default_date(int32_t *ret_days) VW_WARN_UNUSED;

/*
 * Writes into 'outdir' (created if missing, with its 'patients' folder):
 *   index.html                 the cohort report
 *   patients/<name>.html       one per patient (names from vw_report_file_names())
 *   vafwatch.report.json       the whole run
 *   patients/<name>.json       one per patient
 *   vafwatch_mqc.tsv           MultiQC custom content, one row per patient
 *   vafwatch_stats_mqc.tsv     MultiQC General Statistics, one row per plasma draw
 *   vafwatch_vaf_mqc.json      MultiQC line graph of the VAFs
 * Each file is written under a temporary name and renamed (vw_ofile).
 * Logs the file it fails on.  Returns 0, -EINVAL, -ENOMEM, -errno.
 */
int vw_report_write(const vw_report_in_t *in, const char *outdir, const vw_report_opt_t *opt) VW_WARN_UNUSED;

/* The single writers, for callers that want one file (each returns 0, -EINVAL or -EIO).
 * 'file' names the patient files (from vw_report_file_names()); may be NULL
 * for the cohort writers, then no links are written. */
int vw_report_write_cohort_html(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt,
                                char *const *file) VW_WARN_UNUSED;
int vw_report_write_patient_html(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt,
                                 size_t patient) VW_WARN_UNUSED;
int vw_report_write_json(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt) VW_WARN_UNUSED;
int vw_report_write_patient_json(FILE *fp, const vw_report_in_t *in, const vw_report_opt_t *opt,
                                 size_t patient) VW_WARN_UNUSED;
int vw_report_write_mqc(FILE *fp, const vw_report_in_t *in) VW_WARN_UNUSED;
/* MultiQC General Statistics (custom content, plot_type generalstats): one
 * row per plasma draw: median depth over the tracked hotspots, max VAF
 * detected (%), mutations detected, tumour fraction (%) when known. */
int vw_report_write_mqc_stats(FILE *fp, const vw_report_in_t *in) VW_WARN_UNUSED;
/* MultiQC line graph (custom content JSON): VAF (%) of every tracked
 * mutation at its detected draws, x = days since the first draw.  Returns
 * 0, -EINVAL, -ENOMEM or -EIO. */
int vw_report_write_mqc_vaf(FILE *fp, const vw_report_in_t *in) VW_WARN_UNUSED;

/* ------------------------------------------------------------------------ */
/* Plot geometry of the patient plot (docs/reports.md)                       */
/* ------------------------------------------------------------------------ */

#define VW_REPORT_PLOT_LEFT 80.0     /* SVG user units */
#define VW_REPORT_PLOT_TOP 60.0
#define VW_REPORT_PLOT_WIDTH 620.0
#define VW_REPORT_PLOT_HEIGHT 300.0
#define VW_REPORT_VAF_MIN 1e-4       /* 0.01 %, bottom of the axis */
#define VW_REPORT_VAF_MAX 1.0        /* 100 %, top of the axis */
#define VW_REPORT_DATE_PAD 14
/* The pCN panel of amplifications under it: linear from VW_REPORT_PCN_MIN
 * to max(VW_REPORT_PCN_MAX, the largest pCN rounded up), the plasma
 * threshold drawn dashed. */
#define VW_REPORT_PCN_MIN 1.5
#define VW_REPORT_PCN_MAX 4.0
#define VW_REPORT_PCN_THRESHOLD 2.4
#define VW_REPORT_PCN_HEIGHT 140.0        /* days added before the first and after the last date */

typedef struct {
    double left, top, width, height;
    int32_t first_date, last_date;  /* the dates at the left and right edges */
    double vaf_min, vaf_max;        /* fractions at the bottom and top */
} vw_report_axes_t;

/* The axes of a patient's plot: first_date = the earliest sample or event
 * date - VW_REPORT_DATE_PAD, last_date = last_followup + VW_REPORT_DATE_PAD
 * (so every draw, scan and treatment is inside).  p may be NULL: then the
 * dates are 0 and 1. */
void vw_report_axes_patient(const vw_patient_t *p, vw_report_axes_t *ret);

/* x = left + (date - first_date) / (last_date - first_date) * width */
double vw_report_x(const vw_report_axes_t *ax, int32_t date);
/* y = top + (log10(vaf_max) - log10(v)) / (log10(vaf_max) - log10(vaf_min)) * height,
 * v = vaf clamped to [vaf_min, vaf_max] (a fraction, not a percentage);
 * NaN gives NaN. */
double vw_report_y(const vw_report_axes_t *ax, double vaf);

/* The VAF at which a draw is plotted: the VAF when detected; the LoD95 when
 * assessed and not detected (*ret_open = 1: an open marker, never a zero);
 * NaN when not assessable (not plotted).  ret_open may be NULL. */
double vw_report_plot_vaf(const vw_track_draw_t *d, int *ret_open);

/* ------------------------------------------------------------------------ */
/* Text helpers                                                              */
/* ------------------------------------------------------------------------ */

/* Writes s HTML/XML-escaped (& < > " ' and control characters) to fp. */
void vw_report_html_escape(FILE *fp, const char *s);
/* The same into a new string; caller frees.  NULL on ENOMEM or NULL s. */
char *vw_report_html_escaped(const char *s);

/* Safe, unique file names (without extension) for 'n' ids: characters
 * outside [A-Za-z0-9._-] become '_', a leading '.' becomes '_', an empty
 * name becomes "patient", names are cut to 80 bytes, and a name equal
 * (ignoring case) to an earlier one gets "-2", "-3" ... appended.
 * *ret: an array of n strings; caller frees with vw_report_file_names_free().
 * Returns 0, -EINVAL or -ENOMEM. */
int vw_report_file_names(const char *const *ids, size_t n, char ***ret) VW_WARN_UNUSED;
void vw_report_file_names_free(char **names, size_t n);

/* A fraction as a percentage to 2 significant figures ("0.34", "12",
 * "100"), "NA" for NaN.  buf needs 32 bytes; returns buf. */
char *vw_report_pct(double frac, char *buf, size_t size);

#endif
