/* report_priv.h -- helpers shared by the report writers (report*.c),
 * defined in report_util.c, which depends on no other report file; not
 * installed.  Thread safety: the helpers keep no state (the palette and
 * texts are constant); vw_report_now() reads the clock only. */
#ifndef VW_REPORT_PRIV_H
#define VW_REPORT_PRIV_H

#include <stdio.h>

#include "vafwatch/catalogue.h"
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
/* The longest file-name stem (bytes) vw_report_file_names() derives from an id. */
#define VW_REPORT_NAME_MAX_BYTES 80
/* A count with thousands separators ("5,012"); buf needs 32 bytes. */
char *vw_report_count(long v, char *buf, size_t size);
/* Writes a number as JSON (null for NaN/inf) with the printf format. */
void vw_report_json_num(FILE *fp, double v, const char *fmt);
/* The date written with --timestamp (UTC, ISO 8601), into buf (32 bytes). */
char *vw_report_now(char *buf, size_t size);



/* The tracking parameters as key/value text: fills keys[] and vals[] (at
 * most VW_REPORT_N_TRACK_PARAMS - 1 pairs, 64 bytes each) and returns the
 * count.  The last slot of vals holds the text of the alpha key, which
 * names the rules of the rule table that read alpha. */
#define VW_REPORT_N_TRACK_PARAMS 8
size_t vw_report_track_params(const vw_track_opt_t *o, const char **keys, char vals[][64]);
/* Counts the calls by background source (pon, self, default). */
void vw_report_bg_counts(const vw_calls_t *cs, long ret[3]);

/* A patient of the report: one plasma draw at least.  A sheet entry whose
 * samples are all normals (or tissue) is not a patient: it is left out of the
 * totals, the swimmer plot, Kaplan-Meier, the patient list and the files. */
int vw_report_is_patient(const vw_patient_t *p);

/* Status words: the short status name of a series ("emerging", "unconfirmed"
 * ...), a label for readers and a CSS class suffix ("st-emerging").  Works on
 * the name so that statuses added to track.h are shown by name. */
const char *vw_report_status_label(const vw_track_series_t *s);
/* The status name shown: the series' status name, except that a
 * "transient" series whose one detection is the last draw is "unconfirmed"
 * (the rule cannot have confirmed it yet). */
const char *vw_report_status_key(const vw_track_series_t *s);
/* 1 when the series passed the emergence rule (status "emerging"). */
int vw_report_is_emerging(const vw_track_series_t *s);

/* The role of a target from the therapy context of the built-in catalogue:
 * "resistance", "sensitising", "other" (a context that is neither) or
 * "unknown" (not in the catalogue); *ret_context (may be NULL) gets the
 * context text or NULL.  'cat' is the built-in catalogue (may be NULL). */
const char *vw_report_role(const vw_targets_t *cat, const vw_track_series_t *s, const char **ret_context);
/* The built-in catalogue for role look-ups; caller frees with
 * vw_targets_destroy().  NULL on ENOMEM. */
vw_targets_t *vw_report_catalogue(void);

/* Mutant copies per mL plasma of a draw (VAF to 6 significant figures x
 * cfDNA ng/mL x VW_GE_PER_NG, as in the calls table), NaN without a
 * concentration or a VAF. */
double vw_report_copies_per_ml(const vw_patient_t *p, const vw_track_draw_t *d);

/* Writes 'n' bytes of 'data' base64-encoded (RFC 4648, no line breaks). */
void vw_report_base64(FILE *fp, const void *data, size_t n);

/* The report date as "YYYY-MM-DD" into buf (VW_DATE_BUFSZ), or NULL when
 * opt->report_date is VW_DATE_NONE (no date shown). */
const char *vw_report_date_of(const vw_report_opt_t *opt, char *buf);

/* The clinical-marker values of patient 'pi' are in->markers->v[*b .. *e)
 * (empty without markers). */
void vw_report_marker_range(const vw_report_in_t *in, size_t pi, size_t *b, size_t *e);

/* The research-use statement printed on every page and in the JSON. */
#define VW_REPORT_RUO_HEAD "For research use only."
#define VW_REPORT_RUO_TAIL                                                                                   \
    "Not for use in diagnostic procedures: the results have not been validated for clinical decisions and " \
    "must not replace an accredited laboratory test."
extern const char vw_report_intended_use[];
#endif
