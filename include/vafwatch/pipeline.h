/* pipeline.h -- the chain of vafwatch run: count (cached) -> model -> call
 * (with the patients' own targets, run_patient.c) -> copy number (run_cnv.c,
 * run_genome.c) -> track -> lead time -> tables, VCF and reports, written
 * into the output directory as one set.  cmd_run.c parses the options and
 * calls vw_pipeline_run().  Not thread-safe (one run per process: it holds
 * the output directory's lock); it starts and joins its own counting
 * threads. */
#ifndef VW_PIPELINE_H
#define VW_PIPELINE_H

#include "cmd.h"

typedef struct {
    const char *sheet;         /* cohort sheet */
    const char *events;        /* clinical events */
    const char *outdir;        /* -d DIR */
    const char *model_path;    /* -m FILE, or NULL: fitted on the sheet's normals (two or more) */
    vw_target_opt_t to;        /* targets (borrowed arrays) */
    vw_count_opt_t copt;       /* counting; the pipeline sets self_flank and one_sample */
    vw_call_opt_t cl;          /* calling */
    vw_track_opt_t topt;       /* emergence */
    vw_run_cnv_opt_t cnvo;     /* copy number (cnvo.bed or cnvo.builtin: on) */
    char **genome_tsv;         /* --genome-tsv files */
    int n_genome_tsv;
    int threads;               /* files counted at once */
    long flank;                /* self background: bp each side */
    int no_self;               /* 1: no self background */
    int use_cache;             /* 0: count every file again */
} vw_pipeline_opt_t;

/* Runs the whole chain.  Logs on failure; returns VW_EXIT_OK, VW_EXIT_DATA
 * or VW_EXIT_USAGE (an output that would replace an input, --no-builtin
 * without targets, a bad SOURCE_DATE_EPOCH).  'o' is not changed. */
int vw_pipeline_run(const vw_pipeline_opt_t *o);

#endif
