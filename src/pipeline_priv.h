/* pipeline_priv.h -- the stages of the pipeline (pipeline.c) kept in their
 * own files: copy number (run_cnv.c), the genome-wide series
 * (run_genome.c) and tumour-informed monitoring (run_patient.c).  Library
 * internal.  Return codes and logging as in inputs.h. */
#ifndef VW_PIPELINE_PRIV_H
#define VW_PIPELINE_PRIV_H

#include "vafwatch/call.h"
#include "vafwatch/cnv.h"
#include "vafwatch/count.h"
#include "vafwatch/inputs.h"
#include "vafwatch/pipeline.h"
#include "vafwatch/timeline.h"

/* Runs cnv over the sheet's plasma draws (BAM/CRAM; VCF draws are skipped)
 * against the PoN (--cnv-pon, else the sheet's normal samples, else none),
 * with TF per draw = min(1, 2 VAF) of the --tf-from target where it is
 * detected, writes OUTDIR/vafwatch.cnv.tsv and hands the rows over
 * (*ret: caller owns, free with vw_cnv_rows_destroy()).  Logs on failure;
 * returns 0 or negative. */
int vw_pipeline_cnv(const vw_run_cnv_opt_t *o, const vw_timeline_t *tl, const vw_calls_t *calls,
                   const vw_count_opt_t *copt, const char *outdir, vw_cnv_rows_t **ret);

/* The genome-wide step of vafwatch run (run_genome.c): reads the n
 * summaries of cnv --genome (PREFIX.vafwatch.genome.tsv) and writes
 * OUTDIR/vafwatch.genome_series.tsv for the sheet's plasma draws.  Logs on
 * failure; returns 0 or -1. */
int vw_pipeline_genome(char *const *files, int n, const vw_timeline_t *tl, const char *outdir);


#endif
