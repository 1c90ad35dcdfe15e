/* report_priv.h -- helpers shared by the report writers (report*.c); not
 * installed. */
#ifndef VW_REPORT_PRIV_H
#define VW_REPORT_PRIV_H

#include <stdio.h>

#include "vafwatch/report.h"

/* The Okabe-Ito colour-blind-safe palette (without yellow), cycled by clone. */
#define VW_REPORT_N_COLOURS 7
extern const char *const vw_report_colours[VW_REPORT_N_COLOURS];

/* The series of patient 'p' are tr->s[*beg .. *end) (they are contiguous). */
void vw_report_series_range(const vw_track_t *tr, const vw_patient_t *p, size_t *beg, size_t *end);
/* A series is plotted (a "tracked clone") when it has at least one detected draw. */
int vw_report_is_clone(const vw_track_series_t *s);
/* The lead-time record of a patient, or NULL. */
const vw_lead_t *vw_report_lead(const vw_leadtime_t *lt, const vw_patient_t *p, size_t i);
/* Number of clones of a patient. */
size_t vw_report_n_clones(const vw_track_t *tr, const vw_patient_t *p);
/* The number of plasma draws of a patient. */
size_t vw_report_n_draws(const vw_patient_t *p);
/* "YYYY-MM-DD" or "NA". */
const char *vw_report_date(int32_t d, char *buf);
/* A count with thousands separators ("5,012"); buf needs 32 bytes. */
char *vw_report_count(long v, char *buf, size_t size);
/* Writes a number as JSON (null for NaN/inf) with the printf format. */
void vw_report_json_num(FILE *fp, double v, const char *fmt);
/* The date written with --timestamp (UTC, ISO 8601), into buf (32 bytes). */
char *vw_report_now(char *buf, size_t size);



/* The tracking parameters as key/value text: fills keys[] and vals[] (at
 * most VW_REPORT_N_TRACK_PARAMS, 64 bytes each) and returns the count. */
#define VW_REPORT_N_TRACK_PARAMS 6
size_t vw_report_track_params(const vw_track_opt_t *o, const char **keys, char vals[][64]);
/* Counts the calls by background source (pon, self, default). */
void vw_report_bg_counts(const vw_calls_t *cs, long ret[3]);
#endif
