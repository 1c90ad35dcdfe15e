/*
 * pipeline.h -- the chain of vafwatch run: count (cached) -> model -> call
 * (with the patients' own targets) -> copy number -> track -> lead time ->
 * tables, VCF and reports, written into the output directory as one set
 * (docs/pipeline.md).  The command line (cmd_run.c) fills the options and
 * calls vw_pipeline_run(); anything else may call it the same way.
 *
 * Ownership: every pointer in the options is borrowed for the call.
 * Output: the files in outdir only; messages through log.h only (nothing
 * else is printed); progress through the optional callbacks.
 * Thread safety: not thread-safe (one run per process: it holds the output
 * directory's lock and keeps the provenance command line in a file-scope
 * variable for the call); it starts and joins its own counting threads.
 */
#ifndef VW_PIPELINE_H
#define VW_PIPELINE_H

#include <stdint.h>

#include "vafwatch/call.h"
#include "vafwatch/count.h"
#include "vafwatch/genome_in.h"
#include "vafwatch/inputs.h"
#include "vafwatch/model.h"
#include "vafwatch/patient.h"
#include "vafwatch/report.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"

/* The copy-number step (--cnv-bed or --cnv-builtin: on). */
typedef struct {
    const char *bed;         /* --cnv-bed: regions with gene names, or NULL */
    int builtin;             /* --cnv-builtin: the built-in gene spans */
    const char *ref_bed;     /* --cnv-ref: reference regions (every line), or NULL */
    const char **pon;        /* --cnv-pon files (BAM/CRAM normals, or one PoN TSV) */
    int n_pon;
    const char *tf_from;     /* --tf-from: target id of a truncal mutation, or NULL */
    const char *build;       /* --build, or NULL */
} vw_run_cnv_opt_t;

/* Progress of the counting stage (every member may be NULL).  The calls
 * come one at a time (the pipeline holds a lock around them), from the
 * counting threads: start(ctx, n) once with the number of draws, step(ctx,
 * reads) after each draw (reads: records read, 0 for a cached draw or a
 * failure), end(ctx) once when counting is over. */
typedef struct {
    void (*start)(void *ctx, int n);
    void (*step)(void *ctx, int64_t reads);
    void (*end)(void *ctx);
    void *ctx;
} vw_pipeline_progress_t;

typedef struct {
    const char *sheet;         /* cohort sheet */
    const char *events;        /* clinical events */
    const char *outdir;        /* -d DIR */
    const char *model_path;    /* -m FILE, or NULL: fitted on the sheet's normals (two or more) */
    vw_target_opt_t to;        /* targets (borrowed arrays) */
    vw_count_opt_t copt;       /* counting; the pipeline sets self_flank and one_sample */
    vw_call_opt_t cl;          /* calling (cl.ev_class: --class, the rows of model_path to use) */
    vw_track_opt_t topt;       /* emergence */
    vw_run_cnv_opt_t cnvo;     /* copy number (cnvo.bed or cnvo.builtin: on) */
    char **genome_tsv;         /* --genome-tsv files */
    int n_genome_tsv;
    int threads;               /* files counted at once */
    long flank;                /* self background: bp each side */
    int no_self;               /* 1: no self background */
    int use_cache;             /* 0: count every file again */
    const char *command;       /* the command line recorded in the outputs (NULL: "vafwatch") */
    vw_pipeline_progress_t progress; /* optional */
    const vw_genome_in_opt_t *genome; /* the fit of the sheet's 'swgs' files (NULL: defaults; its
                                         copt.reference: -f when NULL) */
    const char *const *therapy; /* --therapy: the therapy of every draw (drugs or classes of the map;
                                   an unknown name is a usage error); n_therapy 0: each patient's
                                   treatment_start drugs of the events file */
    int n_therapy;
    const char *therapy_map;   /* --therapy-map FILE, or NULL: the built-in map (therapy.h); cl's
                                  therapy fields are set by the pipeline */
    int report_date_set;       /* 1: report_date is the reports' date (--report-date; VW_DATE_NONE:
                                  --no-report-date, none); 0: SOURCE_DATE_EPOCH when set, else today */
    int32_t report_date;       /* days since 1970-01-01, with report_date_set */
    const char *report_title;  /* --title: the cohort report's title, or NULL: the default */
    const char *markers;       /* --markers FILE: clinical markers in the reports (read before
                                  counting; an input), or NULL */
    const vw_report_param_t *report_params; /* --param: shown under Methods after run's own */
    size_t n_report_params;
} vw_pipeline_opt_t;

/* Exit codes of vw_pipeline_run() (the same values as the program's). */
#define VW_PIPELINE_OK 0
#define VW_PIPELINE_DATA 1
#define VW_PIPELINE_USAGE 2

/* Runs the whole chain.  Logs on failure; returns VW_PIPELINE_OK,
 * VW_PIPELINE_DATA (bad or unreadable input, a write failure: nothing in
 * outdir changed) or VW_PIPELINE_USAGE (an output that would replace an
 * input, --no-builtin without targets, a bad SOURCE_DATE_EPOCH when
 * report_date_set is 0).  'o' is
 * not changed. */
int vw_pipeline_run(const vw_pipeline_opt_t *o);

/* Tumour-informed monitoring (run_patient.c): the patients' own targets of
 * the cohort sheet, used by the pipeline and by call --sheet. */
typedef struct {
    int n_patients;          /* as in the timeline */
    int any;                 /* some patient has its own targets */
    vw_targets_t **own;      /* per patient: its own targets as loaded (sorted), NULL: none */
    uint8_t *is_base;        /* per target of the merged set: a catalogue or --targets row */
    uint8_t **mine;          /* per patient (NULL: none): per merged target, 1 when one of its own */
} vw_run_patients_t;
/* Loads every patient's targets file (checks: not empty, the build of a
 * VCF/BCF, the REF against --reference), adds the targets to 'ts' (sorted,
 * de-duplicated) and records which are whose.  Nothing happens when no
 * patient has a targets file (rp->any 0).  Logs on failure (naming the
 * file and the cohort sheet line); returns 0 or -1. */
int vw_run_patients_load(const vw_timeline_t *tl, const vw_target_opt_t *to, const char *first_input,
                         vw_targets_t *ts, vw_run_patients_t *rp);
/* The same for evidence already counted on the patients' targets ('call
 * --sheet'): 'ts' is not changed; every patient target must be in it (else
 * an error naming the file).  A row is tested in every patient when no
 * patient owns it, or it is a built-in (either build) or --targets row. */
int vw_run_patients_mark(const vw_timeline_t *tl, const vw_target_opt_t *to, const vw_targets_t *ts,
                         vw_run_patients_t *rp);
void vw_run_patients_free(vw_run_patients_t *rp);
/* The targets one patient is tested on (catalogue and --targets rows and
 * its own, marked known; patient -1: none of its own) and a sample's
 * counts over them: shallow copies
 * borrowing from 'ts' and 's'; idx[j] is the index in ts. */
typedef struct {
    vw_targets_t ts;
    vw_sample_counts_t s;
    int *idx;
} vw_run_view_t;
int vw_run_view(const vw_run_patients_t *rp, int patient, const vw_targets_t *ts, const vw_sample_counts_t *s,
                vw_run_view_t *v);
void vw_run_view_free(vw_run_view_t *v);
/* The patient-level test of one draw over the view's known targets (bg and
 * calls: the view's, in its order) appended to 'rows'.  Logs on failure;
 * returns 0 or negative. */
int vw_run_patient_row(const vw_patient_opt_t *po, const vw_patient_t *p, const vw_sample_t *smp,
                       const vw_run_view_t *v, const vw_bg_t *bg, const vw_model_t *model,
                       const vw_selfbg_t *sb, const vw_call_t *calls, vw_patient_rows_t *rows);

#endif
