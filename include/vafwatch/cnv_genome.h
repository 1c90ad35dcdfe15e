/*
 * cnv_genome.h -- genome-wide copy number from shallow whole-genome
 * sequencing: read counts in fixed bins (readCounter/HMMcopy WIG, or
 * counted from BAM/CRAM by the caller), GC and mappability correction by
 * local regression, masking, an optional panel of normals, and a hidden
 * Markov model over copy states whose emission depends on the tumour
 * fraction (the idea of ichorCNA, Adalsteinsson et al. 2017), giving the
 * tumour fraction with a 95 % interval, the ploidy, segments, arm-level
 * and focal changes, the fraction of the genome altered and an
 * instability score.  docs/copy-number.md ("Genome-wide") gives the method.
 *
 * Coordinates: bins are 0-based half-open inside (beg, end); the WIG
 * parser reads fixedStep 'start' as 1-based (UCSC wiggle); centromere
 * tables are 0-based starts (UCSC); the writers print 1-based inclusive
 * starts and ends.
 *
 * Expected log2 ratio of a bin at tumour copy number c, tumour fraction p,
 * mean tumour copy number (ploidy) psi:
 *   mu(c) = log2((2 (1 - p) + c p) / (2 (1 - p) + psi p))
 */
#ifndef VW_CNV_GENOME_H
#define VW_CNV_GENOME_H

#include <stdint.h>
#include <stdio.h>

#include <htslib/hts.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/timeline.h"
#include "vafwatch/util.h"

/* One track of fixed-size bins (a WIG file, or bins made from a header). */
typedef struct {
    int n, m;              /* bins */
    int n_chrom, m_chrom;
    char **chrom;          /* contig names as the input spells them */
    hts_pos_t *chrom_len;  /* per contig: end of its last bin */
    int *cid;              /* per bin: index into chrom */
    hts_pos_t *beg, *end;  /* per bin, 0-based half-open */
    double *v;             /* per bin value (read count, GC fraction, mappability); NAN unknown */
    hts_pos_t step;        /* bin size, bp */
} vw_gwig_t;

/* Empty track of bin size 'step'; caller owns; free with vw_gwig_destroy().
 * NULL (errno ENOMEM) on failure. */
vw_gwig_t *vw_gwig_init(hts_pos_t step);
/* Accepts NULL. */
void vw_gwig_destroy(vw_gwig_t *w);

/* Appends the bins of contig 'chrom' of length 'len' (the last bin is
 * shorter), values NAN.  Returns 0, -EINVAL (len < 1, or the contig is
 * already there) or -ENOMEM. */
int vw_gwig_add_contig(vw_gwig_t *w, const char *chrom, hts_pos_t len) VW_WARN_UNUSED;

/* Reads a fixedStep WIG (readCounter, HMMcopy, ichorCNA's GC/map tracks):
 * "fixedStep chrom=C start=S step=K span=K" (start 1-based, span = step,
 * span defaults to step) then one value a line; "track", "#" and empty
 * lines are skipped; negative values (the -1 of unknown GC or
 * mappability) become NAN.  Every section must have the same step and
 * start at 1 + a multiple of it; a contig may appear once.
 * Logs on failure (file:line).  Returns 0, VW_EPARSE or -errno; *ret:
 * caller owns, free with vw_gwig_destroy(). */
int vw_gwig_read(const char *path, vw_gwig_t **ret) VW_WARN_UNUSED;

/* Canonical contig name for matching: a leading "chr" (any case) dropped,
 * "M" for "MT".  Writes into buf (size n) and returns it. */
const char *vw_gwig_canon(const char *chrom, char *buf, size_t n);

/* Copies the values of 'src' onto the bins of 'dst' into out[dst->n]
 * (NAN where 'src' has no value).  Contigs are matched by name, else by
 * canonical name (so "1" and "chr1" match).  Errors (logged with both
 * names, VW_EINPUT or VW_EBUILD): another bin size; a matched contig with
 * a different number of bins (another genome build); no contig in common.
 * Contigs of 'dst' missing from 'src' stay NAN (a warning names them).
 * Returns 0 or a negative code. */
int vw_gwig_transfer(const vw_gwig_t *dst, const char *dst_name, const vw_gwig_t *src, const char *src_name,
                     double *out) VW_WARN_UNUSED;

/* The build told by the bin count of contig 1 (GRCh37 chr1 249,250,621 bp,
 * GRCh38 248,956,422 bp): VW_BUILD_GRCH37/38 or VW_BUILD_UNKNOWN. */
vw_build_t vw_gwig_build(const vw_gwig_t *w);

/* Mask reasons of a bin (bit set); 0 = used in the fit. */
enum {
    VW_GBIN_NODATA = 1,    /* no count, or GC unknown (gap), or a contig without reads */
    VW_GBIN_LOWMAP = 2,    /* mappability below opt.min_map */
    VW_GBIN_CENTRO = 4,    /* overlaps a centromere/gap of the table */
    VW_GBIN_PON = 8,       /* noisy, or empty, in the panel of normals */
    VW_GBIN_OUTLIER = 16,  /* corrected ratio 0 or above 3 x the median */
    VW_GBIN_NONAUTO = 32   /* not an autosome (X, Y, others): reported, not fitted */
};

/* One sample's bins through correction and fit. */
typedef struct {
    char *sample;
    vw_gwig_t *w;          /* bins and read counts (owned) */
    double *gc, *map;      /* per bin, NAN unknown (map all NAN: no mappability correction) */
    unsigned *mask;        /* VW_GBIN_* bits */
    double *log2r;         /* corrected log2 ratio, NAN where masked */
    double *cn;            /* per bin: fitted tumour copy number state, NAN where masked */
} vw_genome_t;

/* Takes ownership of 'counts' (also on failure); copies 'sample'.  gc and
 * map start NAN, mask 0.  Caller owns; free with vw_genome_destroy().
 * NULL (errno ENOMEM) on failure. */
vw_genome_t *vw_genome_init(const char *sample, vw_gwig_t *counts);
/* Accepts NULL. */
void vw_genome_destroy(vw_genome_t *g);

/* GC fraction (A/C/G/T bases only) of each bin from an indexed FASTA;
 * bins more than half N get NAN.  Logs on failure (contig missing:
 * VW_EBUILD).  Returns 0 or a negative code. */
int vw_genome_gc_fasta(vw_genome_t *g, const char *fasta) VW_WARN_UNUSED;

/* A centromere/gap table: tab-separated chrom, start (0-based), end, ...;
 * a first line whose start is not a number is a header. */
typedef struct {
    int n, m;
    char **chrom;
    hts_pos_t *beg, *end;
} vw_gaps_t;
/* Logs on failure (file:line).  Returns 0, VW_EPARSE or -errno; *ret:
 * caller owns, free with vw_gaps_destroy(). */
int vw_gaps_read(const char *path, vw_gaps_t **ret) VW_WARN_UNUSED;
void vw_gaps_destroy(vw_gaps_t *gp);

typedef struct {
    double min_map;        /* bins with mappability below are masked [0.9] */
    double gc_span;        /* span of the first GC local regression [0.03] */
    int max_cn;            /* copy states 0..max_cn [6] */
    double switch_prob;    /* per-bin probability of a change of state [1e-3] */
    double cn_penalty;     /* log prior per bin and copy away from the neutral state [0.02] */
    double zero_penalty;   /* extra log prior per bin of state 0 (a homozygous deletion spans kb, not Mb) [1] */
    double nu;             /* degrees of freedom of the Student-t emission [4] */
    double min_llr;        /* detected when 2 x log-likelihood ratio vs TF 0 exceeds this [calibrated] */
    double tf_max;         /* largest tumour fraction tried [0.95] */
    int ploidies[4];       /* neutral states tried, 0-terminated [2, 3] */
    double alt_margin;     /* a ploidy other than the first wins only by this log-likelihood [2] */
} vw_genome_opt_t;

void vw_genome_opt_init(vw_genome_opt_t *o);

/* Masks bins: no count or unknown GC (NODATA), mappability < min_map where
 * known (LOWMAP), overlapping 'gaps' (may be NULL; CENTRO), non-autosomes
 * (NONAUTO), and every bin of a contig without reads (NODATA; its name is
 * appended to 'empty' (may be NULL), comma-separated, up to 'n_empty'
 * bytes).  Returns the number of autosomal bins left. */
int vw_genome_mask(vw_genome_t *g, const vw_gaps_t *gaps, const vw_genome_opt_t *opt, char *empty,
                   size_t n_empty);

/* GC and mappability correction (HMMcopy's correctReadcount recipe):
 * count ~ GC by local linear regression (span gc_span) on the 'ideal'
 * bins, re-smoothed (span 0.3) over a 0.001 grid; then the GC-corrected
 * ratio ~ mappability by robust local regression (span 2/3) when
 * mappability is known; ratios normalised to mean 1 over the usable
 * autosomal bins and turned into log2r.  Without GC (all NAN), counts are
 * only normalised.  Returns 0, or VW_EINPUT when fewer than 50 bins are
 * usable. */
int vw_genome_correct(vw_genome_t *g, const vw_genome_opt_t *opt) VW_WARN_UNUSED;

/* A panel of normals: per bin the median log2r of the normals (each
 * corrected as above), and their robust sd. */
typedef struct {
    int n_normals, n;
    double *median, *sd;   /* per bin, NAN unknown */
} vw_gpon_t;

/* Builds a PoN from n >= 1 corrected normals that share one bin layout
 * (the first's; others must have the same bins: VW_EINPUT).  Caller owns;
 * free with vw_gpon_destroy().  Returns 0, VW_EINPUT or -ENOMEM. */
int vw_gpon_build(vw_genome_t *const *normals, int n, vw_gpon_t **ret) VW_WARN_UNUSED;
void vw_gpon_destroy(vw_gpon_t *p);

/* Subtracts the PoN median from each bin's log2r and re-normalises (mean
 * ratio 1); masks (VW_GBIN_PON) bins without a median and, with 3 or more
 * normals, the 5 % of bins noisiest in the normals.  'pon' must have the
 * sample's bin count (VW_EINPUT).  Returns 0 or a negative code. */
int vw_genome_apply_pon(vw_genome_t *g, const vw_gpon_t *pon) VW_WARN_UNUSED;

/* One fitted solution. */
typedef struct {
    double tf, tf_lo, tf_hi;   /* tumour fraction and 95 % profile-likelihood interval; not detected:
                                  0, 0, NAN */
    double tf_ml;              /* the maximum-likelihood TF, also when not detected (then noise-driven) */
    double ploidy;             /* mean tumour copy number over the fitted bins */
    int neutral;               /* neutral copy state of the solution (2 or 3) */
    double llr;                /* 2 x (log-likelihood at tf - at tf 0) */
    double loglik;
    double sd;                 /* robust sd of the log2 ratio (consecutive bins) */
    int detected;              /* llr > min_llr */
    int n_bins;                /* autosomal bins fitted */
} vw_gfit_t;

/* Fits tumour fraction and ploidy (docs/copy-number.md) and fills g->cn
 * (all neutral when not detected).  ret_alt (may be NULL, room for 4)
 * receives the best solution of each ploidy tried, *ret_n_alt their count.
 * Returns 0, VW_EINPUT (fewer than 50 usable bins) or -ENOMEM. */
int vw_genome_fit(vw_genome_t *g, const vw_genome_opt_t *opt, vw_gfit_t *ret, vw_gfit_t *ret_alt, int *ret_n_alt)
    VW_WARN_UNUSED;

/* A segment: consecutive fitted bins of one contig in one state. */
typedef struct {
    int cid;
    hts_pos_t beg, end;        /* first bin's start, last bin's end */
    int n_bins;
    int cn;                    /* tumour copy number state */
    double log2r;              /* mean log2r of its bins */
} vw_gseg_t;

/* Segments of the fitted bins (autosomes), in bin order.  *ret: caller
 * owns, free().  Returns 0 or -ENOMEM. */
int vw_genome_segments(const vw_genome_t *g, vw_gseg_t **ret, int *ret_n) VW_WARN_UNUSED;

/* Fraction of the fitted autosomal bins whose state differs from the
 * neutral one, and the weighted genome instability index (wGII, Burrell et
 * al. 2013): the mean over autosomes with fitted bins of that fraction per
 * autosome.  NAN without fitted bins. */
void vw_genome_instability(const vw_genome_t *g, int neutral, double *ret_fga, double *ret_wgii);

/* Arm-level state: per autosome arm (p, q split at the centromere of
 * 'gaps'; 'all' without one), its fitted bins, mean log2r, median state and
 * a call gain / loss / neutral against 'neutral'. */
typedef struct {
    int cid;
    char arm[4];               /* "p", "q" or "all" */
    hts_pos_t beg, end;
    int n_bins;
    double log2r;              /* mean log2r of the fitted bins, NAN none */
    double cn;                 /* median state, NAN none */
    double frac_altered;       /* share of its bins in a non-neutral state */
    int call;                  /* 1 gain, -1 loss, 0 neutral, -2 NA (fewer than 5 bins) */
} vw_garm_t;
/* *ret: caller owns, free().  Returns 0 or -ENOMEM. */
int vw_genome_arms(const vw_genome_t *g, const vw_gaps_t *gaps, int neutral, vw_garm_t **ret, int *ret_n)
    VW_WARN_UNUSED;

/* Focal gain at a built-in gene (ERBB2, MET, KRAS, EGFR): the bin holding
 * the gene's midpoint against the rest of its arm. */
typedef struct {
    const char *gene;          /* static */
    int cid;                   /* -1: contig not in the bins */
    hts_pos_t beg, end;        /* the bin */
    double log2r, z, cn;       /* NAN NA; z = (log2r - arm median) / sd */
    int gain;                  /* 1 yes (z >= 3 and cn above neutral), 0 no, -1 NA */
} vw_gfocal_t;
/* 'build' GRCh37 or GRCh38 (else every row NA).  out must have room for 4.
 * Returns the number of rows written. */
int vw_genome_focal(const vw_genome_t *g, const vw_gaps_t *gaps, vw_build_t build, int neutral, double sd,
                    vw_gfocal_t *out);

/* Writers (docs/copy-number.md, "Genome-wide outputs").  Return 0 or -EIO. */
/* Header line of the per-sample summary, then one row per sample; 'prev'
 * (NULL for the first) is the previous draw's fit: tf_change = tf - its tf,
 * rise = yes when both draws are detected and this tf_lo exceeds prev's
 * tf_hi. */
int vw_genome_write_summary_header(FILE *fp) VW_WARN_UNUSED;
int vw_genome_write_summary(FILE *fp, const vw_genome_t *g, const vw_gfit_t *f, double fga, double wgii,
                            int n_alt, const vw_gfit_t *alt, const vw_gfit_t *prev) VW_WARN_UNUSED;
int vw_genome_write_bins(FILE *fp, const vw_genome_t *g, int header) VW_WARN_UNUSED;
int vw_genome_write_seg(FILE *fp, const vw_genome_t *g, const vw_gseg_t *s, int n, int header) VW_WARN_UNUSED;
int vw_genome_write_arms(FILE *fp, const vw_genome_t *g, const vw_garm_t *a, int n, int header) VW_WARN_UNUSED;
int vw_genome_write_focal(FILE *fp, const vw_genome_t *g, const vw_gfocal_t *f, int n, int header) VW_WARN_UNUSED;

/* The report (report_genome.c): one self-contained HTML page with the
 * summary table, the tumour fraction over the n draws (input order) and a
 * genome plot per draw (inline SVG).  Returns 0 or -EIO. */
int vw_genome_write_html(FILE *fp, const vw_genome_t *const *g, const vw_gfit_t *f, const double *fga,
                         const double *wgii, int n) VW_WARN_UNUSED;

/* The genome-wide panel of a patient's page in the report of vafwatch run
 * (report_genome.c): the fitted draws, borrowed. */
typedef struct {
    int n;
    const vw_genome_t *const *g;   /* per draw (g[i]->sample matched to the sheet's names) */
    const vw_gfit_t *fit;
    const double *fga, *wgii;
    double min_llr;                /* the detection threshold used */
} vw_genome_panel_t;
/* The panel of patient p (nothing when none of its draws is fitted): TF
 * over calendar time (the clone plot's axis) with 95 % bars and the draws
 * not detected hollow at 0, a table, and a genome plot per draw.  Returns 0,
 * -ENOMEM or -EIO. */
int vw_genome_write_panel(FILE *fp, const vw_genome_panel_t *gp, const vw_patient_t *p) VW_WARN_UNUSED;

/* The serial table (report_genome.c, docs/copy-number.md "Serial draws"):
 * per patient of 'tl', its plasma draws found among names[0..n) (fits f,
 * fga, wgii) by sample name,
 * in date order: TF, interval, ploidy, FGA, wGII, the change from the
 * previous draw, rise (both detected, the previous tf_hi below this
 * tf_lo), confirmed (the next draw also rises over the
 * previous one; NA at the last draw) and the patient's first confirmed
 * rise date.  *ret_n_rows (may be NULL) gets the rows written.
 * Returns 0, -ENOMEM or -EIO. */
int vw_genome_write_series(FILE *fp, const vw_timeline_t *tl, const char *const *names, const vw_gfit_t *f,
                           const double *fga, const double *wgii, int n, int *ret_n_rows) VW_WARN_UNUSED;

/* The per-sample summaries of earlier runs (PREFIX.vafwatch.genome.tsv), as
 * vafwatch run reads them. */
typedef struct {
    int n, m;
    char **sample;             /* owned */
    vw_gfit_t *fit;            /* tf, tf_lo, tf_hi, detected, llr, ploidy, neutral (others 0) */
    double *fga, *wgii;        /* NAN = NA */
} vw_gsum_t;
/* Empty set; caller owns; free with vw_gsum_destroy().  NULL on ENOMEM. */
vw_gsum_t *vw_gsum_init(void);
/* Accepts NULL. */
void vw_gsum_destroy(vw_gsum_t *s);
/* Appends the rows of a summary table (columns found by header name:
 * sample tf tf_lo tf_hi detected llr ploidy neutral_cn fga cin_wgii; others
 * ignored).  A sample already in 's' is an error.  Logs on failure
 * (file:line).  Returns 0, VW_EPARSE, VW_EINPUT or -errno. */
int vw_gsum_read_tsv(vw_gsum_t *s, const char *path) VW_WARN_UNUSED;

#endif
