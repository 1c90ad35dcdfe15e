/*
 * genome_in.h -- one shallow-WGS sample from its file to its fitted
 * results, shared by vafwatch cnv --genome and vafwatch run (the sheet's
 * 'swgs' column): the GC and mappability tracks, the centromere table and
 * the panel of normals loaded once; per file its bin counts (a
 * readCounter/HMMcopy WIG read, or a BAM/CRAM counted), GC/mappability,
 * masking, correction, the panel of normals, the fit and its derived
 * tables (cnv_genome.h).
 *
 * Ownership as stated per function; every path is borrowed for the call.
 * Logs on failure (naming the file, and file:line for parse errors);
 * returns 0 or a negative code (-errno, VW_EPARSE, VW_EINPUT, VW_EBUILD).
 * Thread safety: a context may be used by several threads at once for
 * vw_genome_in_counts/prepare/fit (it is only read).
 */
#ifndef VW_GENOME_IN_H
#define VW_GENOME_IN_H

#include <stdio.h>

#include "vafwatch/cnv_genome.h"
#include "vafwatch/count.h"

/* Bins of BAM/CRAM input by default, bp. */
#define VW_GENOME_DEFAULT_BIN 1000000

typedef struct {
    const char *gc, *map;        /* GC / mappability WIGs (same bins as the counts), or NULL */
    const char *centromeres;     /* centromere/gap table, or NULL */
    const char *const *pon;      /* normals (WIG or BAM/CRAM), n_pon of them */
    int n_pon;
    long bin;                    /* bins of BAM/CRAM input, bp [VW_GENOME_DEFAULT_BIN] */
    vw_build_t build;            /* for the focal genes; UNKNOWN: told by contig 1's bins */
    vw_genome_opt_t opt;         /* the model */
    vw_count_opt_t copt;         /* BAM/CRAM reading: min_mq, excl_flags, reference (GC from FASTA
                                    without gc, and CRAM), threads */
} vw_genome_in_opt_t;

/* Defaults: no tracks, 1 Mb bins, vw_genome_opt_init(), vw_count_opt_init()
 * with stream set (every read is wanted). */
void vw_genome_in_opt_init(vw_genome_in_opt_t *o);

typedef struct vw_genome_in_s vw_genome_in_t;

/* Loads the tracks (GC and mappability of one bin size), the centromeres
 * and the panel of normals.  'o' is copied (its strings stay borrowed and
 * must outlive the context).  *ret: caller owns, free with
 * vw_genome_in_close().  Logs; returns 0 or negative. */
int vw_genome_in_open(const vw_genome_in_opt_t *o, vw_genome_in_t **ret) VW_WARN_UNUSED;
/* Accepts NULL. */
void vw_genome_in_close(vw_genome_in_t *x);
/* The options the context was opened with (borrowed). */
const vw_genome_in_opt_t *vw_genome_in_opt(const vw_genome_in_t *x);

/* The panel of normals from n prepared normals (vw_genome_in_prepare() on
 * a context without one) when the options named none: the normals are
 * only read (the caller keeps them).  Logs; returns 0, -EINVAL (the
 * context has a panel already, n < 1), VW_EINPUT (not one bin layout) or
 * -ENOMEM. */
int vw_genome_in_set_pon(vw_genome_in_t *x, vw_genome_t *const *normals, int n) VW_WARN_UNUSED;

/* 1 when 'path' is a WIG by its name (.wig), else 0 (BAM/CRAM). */
int vw_genome_in_is_wig(const char *path);

/* The bin counts of a file: a WIG read, or the fragments of a BAM/CRAM
 * counted in bins of the primary contigs (1-22, X, Y) of its header.
 * *ret_sample: 'name' when given, else the WIG's file name without
 * directory and ".wig", or the BAM/CRAM's @RG SM.  *ret and *ret_sample:
 * caller owns (vw_gwig_destroy, free).  Logs; returns 0 or negative. */
int vw_genome_in_counts(const vw_genome_in_t *x, const char *path, const char *name, vw_gwig_t **ret,
                        char **ret_sample) VW_WARN_UNUSED;

/* The bins of a BAM/CRAM header (as vw_genome_in_counts makes them),
 * values NAN.  Logs; returns 0 or negative; *ret: caller owns. */
int vw_genome_in_header_bins(const vw_genome_in_t *x, const char *path, vw_gwig_t **ret) VW_WARN_UNUSED;

/* GC and mappability attached, bins masked (a warning names the contigs
 * without reads), counts corrected and, when the context has normals,
 * their median removed.  Takes ownership of 'counts' (also on failure).
 * 'path' names the input in messages.  *ret: caller owns, free with
 * vw_genome_destroy().  Logs; returns 0 or negative. */
int vw_genome_in_prepare(const vw_genome_in_t *x, const char *path, const char *sample, vw_gwig_t *counts,
                         vw_genome_t **ret) VW_WARN_UNUSED;

/* One sample's results. */
typedef struct {
    vw_genome_t *g;            /* owned */
    vw_gfit_t fit, alt[4];
    int n_alt;
    double fga, wgii;
    vw_gseg_t *segs;           /* owned */
    int n_seg;
    vw_garm_t *arms;           /* owned */
    int n_arm;
    vw_gfocal_t foc[4];
    int n_foc;
} vw_genome_res_t;

/* Fits a prepared sample and derives segments, arms, focal genes and the
 * instability.  Takes ownership of 'g' (also on failure; on success it is
 * r->g).  Free r with vw_genome_res_free().  Logs; returns 0 or negative. */
int vw_genome_in_fit(const vw_genome_in_t *x, const char *path, vw_genome_t *g, vw_genome_res_t *r) VW_WARN_UNUSED;
/* Frees what r owns and zeroes it; accepts NULL. */
void vw_genome_res_free(vw_genome_res_t *r);

/* The five per-sample tables (summary, bins, SEG, arms, focal, in this
 * order in fp[]); 'first' writes the headers of bins, SEG, arms and focal
 * (the summary's is vw_genome_write_summary_header()); 'prev': the previous
 * draw's fit or NULL.  Returns 0 or -EIO. */
int vw_genome_res_write(FILE *const fp[5], const vw_genome_res_t *r, const vw_gfit_t *prev, int first) VW_WARN_UNUSED;

#endif
