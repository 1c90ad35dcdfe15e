/*
 * leadtime.h -- per patient: first molecular emergence against radiographic
 * progression (lead time); per cohort: counts, median (range) and
 * Kaplan-Meier of time to molecular and to radiographic progression
 * (RECIST 1.1: Eisenhauer et al., Eur J Cancer 2009).  docs/tracking.md
 * gives every definition.
 *
 * Return convention as in track.h.  Nothing here logs.
 *
 * Thread safety: no shared state; functions on different objects may run
 * concurrently, one object is used by one thread at a time.
 */
#ifndef VW_LEADTIME_H
#define VW_LEADTIME_H

#include <stdint.h>
#include <stdio.h>

#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
#include "vafwatch/util.h"

typedef enum {
    VW_LEAD_MOLECULAR_FIRST = 0, /* emergence before progression by more than one draw interval */
    VW_LEAD_RADIOGRAPHIC_FIRST,  /* progression before emergence by more than one draw interval */
    VW_LEAD_CONCORDANT,          /* |lead time| <= one draw interval */
    VW_LEAD_NO_EMERGENCE,        /* progression, no emerging clone */
    VW_LEAD_CENSORED             /* no progression by the last follow-up */
} vw_lead_status_t;

typedef struct {
    const vw_patient_t *patient;       /* borrowed */
    const vw_track_series_t *clone;    /* the earliest emerging clone, borrowed; NULL if none */
    int32_t first_detection;           /* its emergence date, VW_DATE_NONE */
    int32_t last_negative;             /* its last negative draw, VW_DATE_NONE */
    int32_t progression;               /* radiographic progression, VW_DATE_NONE */
    int32_t start;                     /* first treatment start, VW_DATE_NONE */
    int32_t last_draw;                 /* last plasma draw, VW_DATE_NONE */
    double draw_interval;              /* median days between consecutive plasma draws, NaN if < 2 */
    double lead_days;                  /* progression - first_detection; NaN unless both */
    double lead_months;                /* lead_days / 30.4375 */
    double t_molecular;                /* days start -> emergence, or -> last draw (censored); NaN */
    int molecular_event;               /* 1: t_molecular is an emergence, 0: censored */
    double t_radiographic;             /* days start -> progression, or -> last follow-up; NaN */
    int radiographic_event;
    vw_lead_status_t status;
    /* the patient-level test (tumour-informed; vw_patient_lead() fills them) */
    int has_patient_test;              /* 1: the patient has patient-level rows */
    int32_t patient_progression;       /* its molecular progression, VW_DATE_NONE */
    int32_t patient_fired;             /* the draw that confirmed it, VW_DATE_NONE */
    double patient_lead_days;          /* progression - patient_progression; NaN unless both */
} vw_lead_t;

/* Summary of a group of patients (a row of the cohort table). */
typedef struct {
    char *group;                       /* "KRAS", "none", ..., "total" */
    int n, n_progression, n_emergence, n_both;
    int n_status[5];                   /* by vw_lead_status_t */
    double lead_median, lead_min, lead_max; /* days, among patients with both; NaN if none */
    double km_mol_median, km_mol_lo, km_mol_hi; /* days; NaN when not reached */
    double km_rad_median, km_rad_lo, km_rad_hi;
} vw_lead_group_t;

typedef struct vw_leadtime_s {
    vw_lead_t *p;                      /* one per patient, sheet order */
    size_t n;
    vw_lead_group_t *g;                /* by the gene of the first emerging clone, then "total" last */
    size_t n_groups;
} vw_leadtime_t;

/* Computes lead times from a tracking result.  Caller owns; free with
 * vw_leadtime_destroy().  Returns 0, -EINVAL, -ENOMEM or VW_ESTATS. */
int vw_leadtime_run(const vw_timeline_t *tl, const vw_track_t *tr, vw_leadtime_t **ret_lt) VW_WARN_UNUSED;
void vw_leadtime_destroy(vw_leadtime_t *lt);

/* Writers (docs/tracking.md).  Return 0 or -EIO. */
int vw_leadtime_write_tsv(FILE *fp, const vw_leadtime_t *lt) VW_WARN_UNUSED;
int vw_leadtime_write_cohort(FILE *fp, const vw_leadtime_t *lt) VW_WARN_UNUSED;
/* JSON with "command", "patients" and "cohort"; command may be NULL. */
int vw_leadtime_write_json(FILE *fp, const vw_leadtime_t *lt, const char *command) VW_WARN_UNUSED;

/* "molecular_first", "radiographic_first", "concordant", "no_emergence", "censored". */
const char *vw_lead_status_name(vw_lead_status_t s);

#endif
