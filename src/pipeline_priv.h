/* pipeline_priv.h -- the stages of the pipeline (pipeline.c) kept in their
 * own files: copy number (run_cnv.c), the genome-wide series
 * (run_genome.c) and tumour-informed monitoring (run_patient.c).  Library
 * internal.  Return codes and logging as in inputs.h. */
#ifndef VW_PIPELINE_PRIV_H
#define VW_PIPELINE_PRIV_H

#include "vafwatch/call.h"
#include "vafwatch/cnv.h"
#include "vafwatch/cnv_genome.h"
#include "vafwatch/count.h"
#include "vafwatch/inputs.h"
#include "vafwatch/pipeline.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"

/* Runs cnv over the sheet's plasma draws (BAM/CRAM; VCF draws are skipped)
 * against the PoN (--cnv-pon, else the sheet's normal samples, else none),
 * with TF per draw = min(1, 2 VAF) of the --tf-from target where it is
 * detected, writes OUTDIR/vafwatch.cnv.tsv and hands the rows over
 * (*ret: caller owns, free with vw_cnv_rows_destroy()).  Logs on failure;
 * returns 0 or negative. */
int vw_pipeline_cnv(const vw_run_cnv_opt_t *o, const vw_timeline_t *tl, const vw_calls_t *calls,
                   const vw_count_opt_t *copt, const char *outdir, vw_cnv_rows_t **ret);

/* The genome-wide step of vafwatch run (run_genome.c): the sheet's 'swgs'
 * files fitted (o->genome; the sheet's normals with one are the panel of
 * normals when it has none; BAM/CRAM bins cached in o->outdir/counts/)
 * into the staging directory sd (vafwatch.genome.tsv, .genome_bins.tsv,
 * .genome.seg, .genome_arms.tsv, .genome_focal.tsv, .genome.html), and,
 * with those or --genome-tsv summaries, sd/vafwatch.genome_series.tsv.
 * Nothing is written when there are neither.  The fits are handed over in
 * *rg (zeroed by the caller; free with vw_run_genome_free()).  Logs on
 * failure; returns 0 or -1. */
typedef struct {
    vw_genome_t **g;            /* the fitted draws, patient then date order */
    vw_gfit_t *fit;
    double *fga, *wgii;
    int n;
    vw_genome_panel_t panel;    /* the same, for the report (borrows the above) */
} vw_run_genome_t;
int vw_pipeline_genome(const vw_pipeline_opt_t *o, const vw_timeline_t *tl, const char *sd, vw_run_genome_t *rg);
/* Frees what rg holds and zeroes it. */
void vw_run_genome_free(vw_run_genome_t *rg);
/* Clone fractions where no truncal mutation is known (no --truncal series
 * in the patient): for each mutation draw whose sample's genome-wide TF was
 * detected and whose locus is at two tumour copies in that fit (the bin
 * holding it, or the nearest fitted one within 5 bins; a locus outside the
 * bins is taken as two copies), clone_fraction = VAF / (TF / 2) (a
 * heterozygous clonal mutation in a two-copy region has VAF TF / 2), its interval 2 vaf_lo / tf_hi to
 * 2 vaf_hi / tf_lo, and the draw's tf set to the TF used.  Returns the
 * number of draws set. */
int vw_run_genome_clone_fractions(vw_track_t *tr, const vw_run_genome_t *rg);

/* The cache key of an input file (pipeline.c): 'kind', the path, its
 * identity (device, inode, size, times, a print of its first and last 64
 * KiB) and 'opts'.  *ret_key: caller frees; NULL when the input is not a
 * regular file (never cached).  Returns 0 or -errno. */
int vw_pipeline_file_key(const char *path, const char *kind, const char *opts, char **ret_key);
/* DIR/counts/NAME + suffix, NAME the sample name with unsafe bytes written
 * as %XX.  Caller frees; NULL on ENOMEM. */
char *vw_pipeline_cache_path(const char *dir, const char *sample, const char *suffix);

#endif
