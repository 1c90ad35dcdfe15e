/*
 * timeline.h -- ISO 8601 dates, the cohort sheet and the clinical events
 * file, turned into an ordered per-patient timeline.
 *
 * The formats are specified in docs/inputs.md.  In short:
 *
 *   cohort sheet  TSV, header by name: patient sample date file
 *                 [type] [cfdna_ng_per_ml] [plasma_ml] [targets] [swgs]
 *   events file   TSV, header by name: patient date event [detail]
 *
 * Dates are held as days since 1970-01-01 (int32_t) in the proleptic
 * Gregorian calendar; no time zone or time of day is involved anywhere.
 *
 * Return convention: 0 on success, -EINVAL for a NULL/invalid argument (a
 * programmer error, never logged), -errno for system errors, VW_EPARSE for
 * malformed text and VW_EINPUT for well-formed input that contradicts itself
 * or the file system.  Output parameters (ret_*) are left untouched on
 * failure.
 */
#ifndef VW_TIMELINE_H
#define VW_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "vafwatch/util.h"

/* ------------------------------------------------------------------------ */
/* Dates                                                                     */
/* ------------------------------------------------------------------------ */

#define VW_DATE_MIN_YEAR 1900
#define VW_DATE_MAX_YEAR 2200
/* Size of the buffer vw_date_format() writes: "YYYY-MM-DD" and NUL. */
#define VW_DATE_BUFSZ 11
/* "No date": the value of every date field whose has_ flag is 0. */
#define VW_DATE_NONE INT32_MIN
/* Mean Gregorian month in days (365.2425 / 12). */
#define VW_DAYS_PER_MONTH 30.4375

/* Parses a strict ISO 8601 calendar date "YYYY-MM-DD" (exactly ten
 * characters, zero-padded, no surrounding space, year 1900..2200, a day that
 * exists in that month) into days since 1970-01-01.
 * Returns 0, VW_EPARSE for any malformed or out-of-range date, or -EINVAL
 * when an argument is NULL.  Does not log. */
int vw_date_parse(const char *s, int32_t *ret_days) VW_WARN_UNUSED;

/* Days since 1970-01-01 of year/month/day, with the same checks as
 * vw_date_parse().  Returns 0, VW_EPARSE or -EINVAL. */
int vw_date_from_ymd(int year, int month, int day, int32_t *ret_days) VW_WARN_UNUSED;

/* Splits days since 1970-01-01 into year, month (1-12) and day (1-31).
 * Returns 0, or VW_EINPUT when the year would fall outside 1900..2200,
 * -EINVAL when a pointer is NULL. */
int vw_date_to_ymd(int32_t days, int *ret_year, int *ret_month, int *ret_day) VW_WARN_UNUSED;

/* Writes "YYYY-MM-DD" into buf (VW_DATE_BUFSZ bytes).  Dates outside the
 * years 1900..2200 (VW_DATE_NONE included) are written as "NA" and return
 * VW_EINPUT, so the output is always something vw_date_parse() accepts or
 * the table missing value.  Returns 0, VW_EINPUT, or -EINVAL if buf is NULL. */
int vw_date_format(int32_t days, char *buf);

/* A duration in days expressed in months (days / 30.4375). */
double vw_date_months(double days);

/* ------------------------------------------------------------------------ */
/* Records                                                                   */
/* ------------------------------------------------------------------------ */

typedef enum {
    VW_SAMPLE_PLASMA = 0, /* a plasma (cfDNA) draw; the default */
    VW_SAMPLE_NORMAL,     /* a matched normal, e.g. white blood cells */
    VW_SAMPLE_TISSUE      /* a tumour tissue biopsy */
} vw_sample_type_t;

typedef enum {
    VW_EVENT_TREATMENT_START = 0, /* detail: the drug (optional) */
    VW_EVENT_TREATMENT_STOP,      /* detail: the drug (optional; empty stops all) */
    VW_EVENT_SCAN,                /* detail: RECIST response CR, PR, SD, PD or NE */
    VW_EVENT_PROGRESSION,         /* radiographic progression; detail free text */
    VW_EVENT_LAST_FOLLOWUP,       /* detail free text */
    VW_EVENT_DEATH                /* detail free text */
} vw_event_type_t;

/* RECIST 1.1 overall response of a scan; VW_RECIST_NONE for other events. */
typedef enum {
    VW_RECIST_NONE = 0,
    VW_RECIST_CR,
    VW_RECIST_PR,
    VW_RECIST_SD,
    VW_RECIST_PD,
    VW_RECIST_NE /* not evaluable */
} vw_recist_t;

/* One row of the cohort sheet.  All strings are owned by the timeline. */
typedef struct {
    char *patient;          /* patient id, as written */
    char *sample;           /* sample name, unique in the sheet */
    int32_t date;           /* draw / collection date, days since 1970-01-01 */
    char *path;             /* the 'file' column resolved against the sheet's directory */
    vw_sample_type_t type;
    double cfdna_ng_per_ml; /* cfDNA concentration in ng per mL plasma; NaN if absent */
    double plasma_ml;       /* plasma volume in mL; NaN if absent */
    char *specimen_id;      /* optional 'specimen_id' column (the tube or accession id); NULL if absent/NA */
    char *assay;            /* optional 'assay' column (panel or assay name and version); NULL if absent/NA */
    char *targets;          /* the 'targets' column resolved like 'file'; NULL when absent, empty, NA or . */
    long line;              /* 1-based line in the cohort sheet */
    char *swgs;             /* the 'swgs' column (shallow WGS of the draw: readCounter WIG or BAM/CRAM)
                               resolved like 'file'; NULL when absent, empty, NA or . */
} vw_sample_t;

/* One row of the events file.  Strings are owned by the timeline. */
typedef struct {
    vw_event_type_t type;
    int32_t date;           /* days since 1970-01-01 */
    char *detail;           /* the 'detail' column; "" when absent, never NULL */
    vw_recist_t response;   /* scans: the parsed detail; otherwise VW_RECIST_NONE */
    long line;              /* 1-based line in the events file */
} vw_event_t;

/* A treatment line: one treatment_start and the treatment_stop that ends it.
 * It is active on the days start..stop, both inclusive (open-ended when
 * has_stop is 0). */
typedef struct {
    const char *drug;       /* borrowed from the start event's detail; may be "" */
    int32_t start;
    int32_t stop;           /* VW_DATE_NONE when has_stop is 0 */
    int has_stop;
    size_t start_event;     /* index into the patient's events[] */
    size_t stop_event;      /* index into events[]; valid when has_stop */
} vw_treatment_t;

/* A patient: samples and events in date order, and what is derived from
 * them.  The derived fields are set from the sheet alone by
 * vw_timeline_read_sheet() and updated by vw_timeline_read_events(). */
typedef struct {
    char *id;
    long first_line;              /* sheet line where the patient first appears */
    const char *targets;          /* the patient's own targets file (borrowed from a sample); NULL: none */
    long targets_line;            /* the first sheet line giving it; 0 when targets is NULL */

    vw_sample_t *samples;         /* sorted by date, then by sheet line */
    size_t n_samples;
    vw_event_t *events;           /* sorted by date, then by events-file line */
    size_t n_events;
    vw_treatment_t *treatments;   /* sorted by start date, then by line */
    size_t n_treatments;

    int has_treatment_start;
    int32_t first_treatment_start;  /* VW_DATE_NONE if !has_treatment_start */

    /* Radiographic progression: the earlier of the first scan with response
     * PD and the first 'progression' event; on a tie, the scan. */
    int has_progression;
    int32_t progression_date;       /* VW_DATE_NONE if !has_progression */
    size_t progression_event;       /* index into events[]; valid if has_progression */

    int has_death;
    int32_t death_date;             /* VW_DATE_NONE if !has_death */

    /* The latest date known for the patient: the maximum over every sample
     * (any type) and every event, so it includes last_followup, death and the
     * last scan and draw. */
    int32_t last_followup;
} vw_patient_t;

struct vw_timeline_index_s;

/* The cohort.  Caller owns; free with vw_timeline_destroy(). */
typedef struct {
    vw_patient_t *patients;       /* in order of first appearance in the sheet */
    size_t n_patients;
    size_t n_samples;             /* over all patients */
    char *sheet_path;             /* the sheet path as given */
    char *events_path;            /* the events path as given; NULL until read */
    struct vw_timeline_index_s *index_; /* private: name lookups */
} vw_timeline_t;

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

/* Flags of vw_timeline_read_sheet(). */
#define VW_TIMELINE_NO_FILE_CHECK 0x1u /* do not check that 'file' exists and is readable */

/* Reads the cohort sheet at 'path' (format in docs/inputs.md).  Relative
 * 'file' values are resolved against the directory of 'path', not the
 * working directory; unless VW_TIMELINE_NO_FILE_CHECK is set each resolved
 * path must be a readable file (not a directory).  Stops at the first error.
 * Logs on failure ("<path>:<line>: column '<name>': <message>") and warns
 * about ignored columns and same-day duplicate draws.
 * On success *ret_tl is a new timeline; caller owns, free with
 * vw_timeline_destroy().
 * Return values: 0; -EINVAL (NULL argument, unknown flag; not logged);
 * -errno when the sheet cannot be opened or read; -ENOMEM; VW_EPARSE for
 * malformed content (columns, fields, dates, numbers, no data rows);
 * VW_EINPUT for a duplicate sample name, a missing/unreadable file, or two
 * different 'targets' files for one patient. */
int vw_timeline_read_sheet(const char *path, unsigned flags, vw_timeline_t **ret_tl) VW_WARN_UNUSED;

/* Reads the events file at 'path' into 'tl' and checks it against the
 * sheet (format and checks in docs/inputs.md).  Stops at the first error;
 * on failure 'tl' is left unchanged.  Logs on failure, and warns for every
 * patient without a treatment_start (lead time cannot be computed) and for
 * overlapping lines of one drug.  A timeline takes one events file: a second
 * call returns -EINVAL.
 * Return values: 0; -EINVAL (NULL argument, events already read; not
 * logged); -errno; -ENOMEM; VW_EPARSE for malformed content (columns,
 * fields, dates, unknown event, bad scan response); VW_EINPUT for an unknown
 * patient or inconsistent events (progression before the first treatment
 * start, a stop before its start or without one, two deaths, an event or a
 * draw after death). */
int vw_timeline_read_events(vw_timeline_t *tl, const char *path) VW_WARN_UNUSED;

/* Frees everything; accepts NULL. */
void vw_timeline_destroy(vw_timeline_t *tl);

/* ------------------------------------------------------------------------ */
/* Clinical markers (serum heregulin, CEA, CA19-9, LDH ...)                  */
/* ------------------------------------------------------------------------ */

/* One measurement of the markers file.  Strings are owned by the set. */
typedef struct {
    size_t patient;          /* index into tl->patients */
    char *marker;            /* marker name as written, e.g. "CEA" */
    char *unit;              /* unit as written; "" when the file has no unit for it */
    int32_t date;            /* days since 1970-01-01 */
    double value;            /* finite */
    long line;               /* 1-based line in the markers file */
} vw_marker_value_t;

/* Caller owns; free with vw_markers_destroy(). */
typedef struct {
    vw_marker_value_t *v;    /* sorted by patient (sheet order), marker name, date */
    size_t n;
    char *path;              /* the path as given */
} vw_markers_t;

/*
 * Reads a markers file: tab-separated with a header (one leading '#'
 * allowed) naming the columns patient, date (YYYY-MM-DD), marker, value and
 * optionally unit; blank and '#' lines are skipped.  Errors, logged with
 * "<path>:<line>: column '<col>': ...": an empty field, a bad date, a value
 * that is not a finite number, a patient not in the sheet (VW_EINPUT), a
 * unit that differs from the unit of the marker's first row (names both
 * units and that line), and a second value of one marker for one patient on
 * one date.  *ret: caller owns.  Returns 0, -EINVAL, -errno, -ENOMEM,
 * VW_EPARSE or VW_EINPUT; *ret is untouched on failure.
 */
int vw_markers_read(const vw_timeline_t *tl, const char *path, vw_markers_t **ret) VW_WARN_UNUSED;
/* Accepts NULL. */
void vw_markers_destroy(vw_markers_t *m);

/* ------------------------------------------------------------------------ */
/* Queries (never log; borrowed results are valid until destroy)             */
/* ------------------------------------------------------------------------ */

/* The patient with this id, or NULL (also for NULL arguments). */
const vw_patient_t *vw_timeline_find_patient(const vw_timeline_t *tl, const char *id);

/* The sample with this name, or NULL.  If ret_patient is not NULL it is set
 * to the sample's patient on success. */
const vw_sample_t *vw_timeline_find_sample(const vw_timeline_t *tl, const char *name,
                                           const vw_patient_t **ret_patient);

/* The index in p->samples of the baseline draw: the last plasma sample
 * dated on or before the first treatment start.  When the patient has no
 * treatment start, the first plasma sample.  -1 when there is no such
 * sample (no plasma sample, or all plasma samples after the first start),
 * or p is NULL.  Normal and tissue samples are never the baseline. */
long vw_timeline_baseline_index(const vw_patient_t *p);

/* The treatment line active on 'date' that started last (ties: the later
 * line in the events file), or NULL when none is.  Lines are active from
 * start to stop inclusive. */
const vw_treatment_t *vw_timeline_treatment_at(const vw_patient_t *p, int32_t date);

/* All treatment lines active on 'date' (concurrent drugs), in start order:
 * stores up to 'm' pointers into out[] and returns how many are active,
 * which may exceed m.  Returns 0 when p is NULL. */
size_t vw_timeline_treatments_at(const vw_patient_t *p, int32_t date,
                                 const vw_treatment_t **out, size_t m);

/* Names as written in the input files ("plasma", "treatment_start", "PD"),
 * or "?" for a value outside the enum; VW_RECIST_NONE gives "". */
const char *vw_timeline_sample_type_name(vw_sample_type_t t);
const char *vw_timeline_event_name(vw_event_type_t t);
const char *vw_timeline_recist_name(vw_recist_t r);

#endif
