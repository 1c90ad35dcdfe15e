/*
 * cnv.h -- gene copy number from depth: fragments per region, normalised to
 * the sample's own reference regions, compared with a panel of normals
 * (PoN), and turned into plasma and tumour copy number (the mixture of
 * ichorCNA: Adalsteinsson et al., Nat Commun 2017).
 *
 * Coordinates: regions are 0-based half-open inside (beg, end); the BED
 * parser reads BED (0-based start); the TSV writers print 1-based
 * inclusive start/end.
 *
 * Formulas (phi = 2, locally normalised ratio):
 *   norm_i   = (fragments_i / length_i) / median over reference regions of the same
 *   log2R_i  = log2(norm_i / median over the PoN of norm_i)
 *   log2R_g  = median of log2R_i over the gene's regions
 *   z_g      = (log2R_g - mean_PoN) / max(sd_PoN, min_sd)   (normals: leave-one-out)
 *   pCN      = 2 * 2^log2R_g
 *   CN_t     = 2 + (pCN - 2) / TF     and back   pCN = 2 + TF * (CN_t - 2)
 *
 * Thread safety: no shared state; functions on different objects may run
 * concurrently, one object is used by one thread at a time.  Logging goes
 * through log.h.
 */
#ifndef VW_CNV_H
#define VW_CNV_H

#include <stdint.h>
#include <stdio.h>

#include <htslib/hts.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/util.h"

/* Plasma copy number from tumour copy number and tumour fraction:
 * 2 + tf * (cn_t - 2). */
double vw_cnv_pcn_from_cn(double cn_t, double tf);
/* Tumour copy number from plasma copy number: 2 + (pcn - 2) / tf; NAN when
 * tf <= 0 or not finite. */
double vw_cnv_cn_from_pcn(double pcn, double tf);
/* Plasma copy number from a log2 ratio: 2 * 2^log2r. */
double vw_cnv_pcn_from_log2r(double log2r);
/* Tumour fraction from the VAF of a truncal, heterozygous, copy-neutral
 * (diploid) mutation: TF = 2 * VAF (VAF = TF m / (TF CN_t + 2 (1 - TF)), m = 1, CN_t = 2),
 * capped at 1; NAN when vaf is not finite or <= 0. */
double vw_cnv_tf_from_vaf(double vaf);

/* One region (a capture interval or a bin). */
typedef struct {
    char *chrom;
    hts_pos_t beg, end;  /* 0-based half-open */
    char *gene;          /* gene name; "." for a reference region */
    int is_ref;          /* 1: a reference region (normalisation), 0: a gene region */
    double gc;           /* GC fraction of the reference sequence, NAN unknown */
} vw_cnv_region_t;

typedef struct {
    int n, m;
    vw_cnv_region_t *r;
    vw_build_t build;    /* build of the coordinates, UNKNOWN for user BEDs */
    int approx;          /* 1: some built-in spans are approximate (MET) */
} vw_cnv_regions_t;

/* Empty set; caller owns; free with vw_cnv_regions_destroy().  NULL on ENOMEM. */
vw_cnv_regions_t *vw_cnv_regions_init(void);
/* Accepts NULL. */
void vw_cnv_regions_destroy(vw_cnv_regions_t *rs);

/* Appends a region (copies the strings).  Returns 0 or -ENOMEM. */
int vw_cnv_regions_add(vw_cnv_regions_t *rs, const char *chrom, hts_pos_t beg, hts_pos_t end, const char *gene,
                       int is_ref) VW_WARN_UNUSED;

/* Loads a BED (0-based start, end, 4th column the gene).  A 4th column of
 * "." or "ref" (or 'all_ref' set, for --reference-regions) makes a
 * reference region; a missing 4th column is an error unless 'all_ref'.
 * Header lines (#, track, browser) are skipped.
 * Logs on failure (file:line).  Returns 0, VW_EPARSE or -errno. */
int vw_cnv_regions_load_bed(vw_cnv_regions_t *rs, const char *path, int all_ref) VW_WARN_UNUSED;

/* Appends the built-in gene spans (ERBB2, MET, KRAS, EGFR; docs/copy-number.md)
 * of 'build', tiled into bins of 'bin_size' bp (the last bin of a gene is
 * shorter).  'genes' is a comma-separated subset or NULL for all.
 * Returns 0, -EINVAL (unknown build or gene, bin_size < 1), -ENOMEM. */
int vw_cnv_regions_builtin(vw_cnv_regions_t *rs, vw_build_t build, const char *genes, int bin_size) VW_WARN_UNUSED;

/* Sorts by contig (natural order) and start, then checks that no two
 * regions overlap and that there are gene and reference regions.
 * Logs on failure.  Returns 0 or VW_EINPUT. */
int vw_cnv_regions_finish(vw_cnv_regions_t *rs) VW_WARN_UNUSED;

/* Fills each region's GC fraction from an indexed FASTA.  Logs on failure
 * (a contig missing is VW_EBUILD).  Returns 0 or a negative code. */
int vw_cnv_regions_gc(vw_cnv_regions_t *rs, const char *fasta) VW_WARN_UNUSED;

/* Depth of one sample: fragments per region (from vw_count_regions()). */
typedef struct {
    char *sample;
    char *path;
    int n;
    int64_t *frag;       /* per region */
    double *norm;        /* per region: depth per bp / median over reference regions (GC-corrected with gc) */
    int gc_corrected;
} vw_cnv_sample_t;

/* Accepts NULL. */
void vw_cnv_sample_destroy(vw_cnv_sample_t *s);

/* Normalises s->frag into s->norm: depth per bp divided by the median
 * depth per bp of the reference regions.  With 'gc' set and GC fractions
 * known, the depth is first divided by the median of the reference
 * regions in its GC bin (5 % bins, at least 3 reference regions, else the
 * region is left uncorrected) over the median of all reference regions.
 * Returns 0, or VW_EINPUT when the reference regions have no fragments. */
int vw_cnv_normalise(vw_cnv_sample_t *s, const vw_cnv_regions_t *rs, int gc) VW_WARN_UNUSED;

/* A panel of normals: per region the median normalised depth, per gene
 * the mean and sd of the normals' gene log2R (each normal against the
 * others, leave-one-out). */
typedef struct {
    int n_normals;
    int n_regions;
    double *median;      /* per region */
    int n_genes;
    char **gene;
    double *mean, *sd;   /* per gene; sd NAN with fewer than 3 normals */
} vw_cnv_pon_t;

/* Builds a PoN from normalised normals (n >= 1).  Caller owns; free with
 * vw_cnv_pon_destroy().  Returns 0, VW_EINPUT (no normals), -ENOMEM. */
int vw_cnv_pon_build(const vw_cnv_regions_t *rs, vw_cnv_sample_t *const *normals, int n, vw_cnv_pon_t **ret)
    VW_WARN_UNUSED;
void vw_cnv_pon_destroy(vw_cnv_pon_t *p);

/* Saves / loads a PoN as TSV (docs/copy-number.md).  The load checks that
 * the PoN's regions are exactly 'rs' (same contigs, starts, ends, genes).
 * Load logs on failure (file:line).  Return 0 or a negative code. */
int vw_cnv_pon_write(FILE *fp, const vw_cnv_regions_t *rs, const vw_cnv_pon_t *p) VW_WARN_UNUSED;
int vw_cnv_pon_load(const char *path, const vw_cnv_regions_t *rs, vw_cnv_pon_t **ret) VW_WARN_UNUSED;

/* Thresholds of the amplification call. */
typedef struct {
    double min_z;        /* z must exceed this [3] */
    double min_cn;       /* with TF known: tumour CN_t >= this [4] */
    double min_pcn;      /* without TF: plasma CN >= this [2.4] */
    double min_sd;       /* floor of the PoN sd of gene log2R [0.05] */
    int heracles;        /* --preset heracles: pCN >= 2.4 decides (z not needed), adjusted-CN note */
} vw_cnv_opt_t;

void vw_cnv_opt_init(vw_cnv_opt_t *o);

/* One sample x gene result. */
typedef struct {
    const char *gene;    /* borrowed from the region set */
    const char *chrom;
    hts_pos_t beg, end;  /* span of the gene's regions */
    int n_regions;       /* regions used (PoN median > 0) */
    int64_t frag;        /* fragments in the gene's regions */
    double log2r, z, pcn, tf, cn_t; /* NAN = NA */
    int amplified;       /* 1 yes, 0 no, -1 NA */
    char flags[128];     /* comma-separated, "." none */
} vw_cnv_gene_t;

/* Calls every gene of 's'.  'pon' may be NULL (ratios against the
 * reference regions only, z NA, flag no_pon); 'tf' NAN when unknown.
 * 'region_log2r' (may be NULL) receives per-region log2R (NAN = NA).
 * *ret (caller owns, free()) gets *ret_n genes in region order.
 * Returns 0 or -ENOMEM. */
int vw_cnv_call(const vw_cnv_regions_t *rs, const vw_cnv_sample_t *s, const vw_cnv_pon_t *pon, double tf,
                const vw_cnv_opt_t *opt, double *region_log2r, vw_cnv_gene_t **ret, int *ret_n) VW_WARN_UNUSED;

/* Writes the per sample x gene table (PREFIX.vafwatch.cnv.tsv,
 * docs/copy-number.md): calls[i] (n_calls[i] genes) of sample samples[i];
 * pcn_change is against the first sample.  Returns 0 or -EIO. */
int vw_cnv_write_tsv(FILE *fp, const char *const *samples, vw_cnv_gene_t *const *calls, const int *n_calls,
                     int n) VW_WARN_UNUSED;

/* One row of that table, as the later stages (track, report) read it. */
typedef struct {
    char *sample, *gene, *chrom;  /* owned */
    hts_pos_t beg, end;           /* 0-based half-open span of the gene's regions */
    int64_t frag;                 /* fragments in the gene's regions ('depth' column), -1 NA */
    double log2r, z, pcn, tf, cn_t; /* NAN = NA */
    int amplified;                /* 1 yes, 0 no, -1 NA */
    char **field;                 /* owned: the row as read, n_cols strings of the set ("NA" when
                                   * missing); NULL for a row from vw_cnv_rows_add() */
} vw_cnv_row_t;

/* The rows, and the column names of the table(s) they were read from (the
 * report shows every column as it is in the file). */
typedef struct {
    int n, m;
    vw_cnv_row_t *r;
    int n_cols;                   /* 0 until a table is read */
    char **col;                   /* owned: n_cols column names, the leading '#' removed */
} vw_cnv_rows_t;

/* Empty set; caller owns; free with vw_cnv_rows_destroy().  NULL on ENOMEM. */
vw_cnv_rows_t *vw_cnv_rows_init(void);
/* Accepts NULL. */
void vw_cnv_rows_destroy(vw_cnv_rows_t *rs);
/* Appends the result 'g' of 'sample' (strings copied).  Returns 0 or -ENOMEM. */
int vw_cnv_rows_add(vw_cnv_rows_t *rs, const char *sample, const vw_cnv_gene_t *g) VW_WARN_UNUSED;
/* Reads a table written by vw_cnv_write_tsv() (columns found by header
 * name: sample gene chrom start end depth log2r z pcn tf cn_tumour
 * amplified; others are not parsed) and appends its rows.  The TSV start is
 * 1-based.  Every row also keeps all its fields as text (field), and the set
 * the column names (col) of the first table read; a later table must have
 * the same columns.  Logs on failure (file:line).  Returns 0, -EINVAL,
 * -ENOMEM, VW_EPARSE or -errno; on failure the rows of 'path' read so far
 * stay in 'rs'. */
int vw_cnv_rows_read_tsv(vw_cnv_rows_t *rs, const char *path) VW_WARN_UNUSED;

#endif
