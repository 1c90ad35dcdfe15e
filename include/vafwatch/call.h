/*
 * call.h -- per-draw decisions: is a mutant clone present above the
 * sequencing background at this target in this sample?
 *
 * The record below is the contract between the call stage (which fills it)
 * and the tracking stage (which reads it, from memory or from the calls
 * table).  Fractions are in [0, 1] (not %); NaN means "not available".
 */
#ifndef VW_CALL_H
#define VW_CALL_H

#include <stdint.h>
#include <stdio.h>

#include "vafwatch/util.h"

/* Where the background error rate of a call came from. */
typedef enum {
    VW_BG_PON = 0,     /* fitted on a panel of normals (vafwatch model build) */
    VW_BG_SELF = 1,    /* estimated from the sample's own non-hotspot positions */
    VW_BG_DEFAULT = 2  /* the documented floor, nothing better known */
} vw_bg_source_t;

/* Flags carried by every call (bit set). */
#define VW_FLAG_STRAND_BIAS   0x01u /* alt support on one strand far beyond the ref's balance */
#define VW_FLAG_GERMLINE      0x02u /* VAF near 50 % or 100 %: possible germline (or CH) */
#define VW_FLAG_NOISY_SITE    0x04u /* alt support in many normals of the panel */
#define VW_FLAG_LOW_DEPTH     0x08u /* depth below the minimum for a meaningful call */
#define VW_FLAG_DISCORDANT    0x10u /* discordant mates above a share of the depth */
#define VW_FLAG_NOT_ASSESSED  0x20u /* no evidence at all (e.g. a VCF that neither called nor covered it) */
#define VW_FLAG_KNOWN         0x40u /* a clone known in the patient: tested on its own, outside the
                                     * family of the sample's other targets (hierarchical testing) */
#define VW_FLAG_BG_BINOMIAL   0x80u /* the background's over-dispersion could not be estimated: the
                                     * test assumes a binomial, which real noise can exceed */
#define VW_FLAG_LOW_ALT_BQ    0x100u /* mean base quality of the alt support below the minimum */
#define VW_FLAG_FILTERED      0x200u /* significant, but a flag of the veto set (the reason, also in
                                      * the flags) made it 'not detected' */

/* Names of the flags, in bit order, as written in the tables ("strand_bias" ...). */
extern const char *const vw_flag_names[];
#define VW_N_FLAGS 10

typedef struct {
    char *sample;        /* sample name */
    char *chrom;         /* contig as in the input */
    int64_t pos1;        /* 1-based position */
    char *ref, *alt;     /* + strand, VCF style */
    char *id, *gene, *protein, *cdna;
    int64_t depth, ref_count, alt_count, other_count, discordant;
    int64_t alt_fwd, alt_rev;
    double alt_mean_bq;  /* mean base quality of the alt support; NaN when unknown (in memory only) */
    double vaf;          /* alt_count / depth; NaN when depth == 0 */
    double vaf_lo, vaf_hi; /* 95 % interval of the VAF */
    double p_value;      /* one-sided P(X >= alt_count) under the background */
    double q_value;      /* adjusted across the targets of the sample (Holm or BH) */
    int detected;        /* 1: q_value < alpha (and not vetoed), 0: not detected, -1: not assessable */
    double lod95;        /* smallest VAF detected with 95 % probability here */
    uint32_t flags;      /* VW_FLAG_* */
    vw_bg_source_t background;
    double bg_error;     /* background error rate used (mu) */
    int bg_normals;      /* normals the panel's site rests on (background pon); 0: not a panel */
    double copies_per_ml; /* mutant copies per mL plasma, NaN without cfDNA concentration */
    char *ev_class;      /* evidence class the call rests on (evclass.h: "duplex", ...); NULL is
                          * written as "fragment" */
} vw_call_t;

typedef struct {
    int n, m;
    vw_call_t *c;
} vw_calls_t;

/* Empty set; caller owns; free with vw_calls_destroy(). */
vw_calls_t *vw_calls_init(void);
/* Accepts NULL. */
void vw_calls_destroy(vw_calls_t *cs);
/* Appends a copy of *c (strings are copied).  Returns 0 or -ENOMEM. */
int vw_calls_push(vw_calls_t *cs, const vw_call_t *c) VW_WARN_UNUSED;

/* Writes the calls table (one '#' header line; columns in docs/formats.md).
 * Returns 0 or -EIO. */
int vw_calls_write_tsv(FILE *fp, const vw_calls_t *cs) VW_WARN_UNUSED;

/* Reads a calls table written by vw_calls_write_tsv() and appends its rows.
 * Logs on failure (file:line: column).  Returns 0, VW_EPARSE or -errno. */
int vw_calls_read_tsv(vw_calls_t *cs, const char *path) VW_WARN_UNUSED;

/* "strand_bias,possible_germline" style text of a flag set ("." when none);
 * writes at most 'size' bytes into buf and returns buf. */
char *vw_flags_str(uint32_t flags, char *buf, size_t size);
/* Parses that text; returns 0 or VW_EPARSE. */
int vw_flags_parse(const char *s, uint32_t *ret_flags);

const char *vw_bg_source_name(vw_bg_source_t s);

/* ===================================================================== */
/* The computation (call.c)                                               */
/* ===================================================================== */

#include "vafwatch/count.h"

typedef enum { VW_ADJ_HOLM = 0, VW_ADJ_BH = 1, VW_ADJ_NONE = 2 } vw_adjust_t;
typedef enum { VW_CI_CP = 0, VW_CI_WILSON = 1 } vw_ci_kind_t;

#define VW_CALL_MAX_KNOWN 256
#define VW_CALL_MAX_THERAPY 16
struct vw_therapy_map_s;

typedef struct {
    double alpha;            /* detected when q_value < alpha [0.05, family-wise with Holm] */
    vw_adjust_t adjust;      /* across the tested targets of a sample [holm] */
    vw_ci_kind_t ci;         /* 95 % VAF interval: Clopper-Pearson or Wilson [cp] */
    long min_depth;          /* low_depth below this [100] */
    double bg_floor;         /* default background per substitution, and lower bound of self [1e-4] */
    double germ_lo, germ_hi; /* possible_germline: VAF in [germ_lo, germ_hi] ... [0.35, 0.65] */
    double germ_homo;        /* ... or VAF > germ_homo [0.9] ... */
    long germ_min_depth;     /* ... at depth >= this [20] */
    double strand_p;         /* strand_bias: two-sided binomial p below this [0.001] ... */
    long strand_min_alt;     /* ... with at least this many alt fragments [5] */
    double discordant_frac;  /* discordant_mates: discordant / (depth + discordant) above this [0.05] */
    uint32_t veto;           /* flags that turn a detection into "no" with the filtered flag
                              * [strand_bias,low_alt_bq] */
    double min_alt_bq;       /* low_alt_bq: mean alt base quality below this (SNV/MNV with base
                              * qualities known) [25] */
    /* known clones (hierarchical testing): "ID" (every sample) or "SAMPLE=ID";
     * borrowed strings; vw_call_is_known() reads them [none] */
    const char *known[VW_CALL_MAX_KNOWN];
    int n_known;
    /* therapy relevance (docs/calling.md): with a map and the classes of the
     * sample's therapy, the discovery family is a weighted Holm (weighted BH)
     * that spends 1 - off_share of alpha on the targets the map makes
     * relevant to one of the classes and off_share on the others (equal
     * weights when either group is empty); borrowed [none, 0.1] */
    const struct vw_therapy_map_s *therapy_map;
    const char *therapy[VW_CALL_MAX_THERAPY];
    int n_therapy;
    double off_share;
    const char *ev_class;    /* the evidence class of the model's background (evclass.h; borrowed);
                              * NULL: each sample's own [NULL] */
} vw_call_opt_t;

/* 1 when opt->known names target 'id' for every sample or for 'sample'. */
int vw_call_is_known(const vw_call_opt_t *opt, const char *sample, const char *id);

void vw_call_opt_init(vw_call_opt_t *opt);

/* The background of one target: beta-binomial (mu, rho), rho 0 = binomial. */
typedef struct {
    double mu, rho;
    vw_bg_source_t source;
    int noisy;               /* the model flags the site as noisy */
    int rho_unknown;         /* the over-dispersion could not be estimated (rho 0 assumed) */
    int n_normals;           /* normals the model's site rests on (pon), else 0 */
    double scale_var;        /* > 0: a model fitted on normals scaled by their own error level
                              * (vw_model_t.scale_var); the call rescales mu and rho by the
                              * sample's level (vw_call_sample_known()); 0: used as given */
} vw_bg_t;

/* The self background of an SNV ref>alt from a sample's own counts
 * (vw_count_self_bg()): mu = max((x + 0.5) / (n + 1), floor) of the
 * substitution class, source VW_BG_SELF, and rho the class's site-to-site
 * over-dispersion across the flank positions (vw_stats_bb_rho_moments(),
 * at most 0.1); when it cannot be estimated (no moments, fewer than 2
 * positions, no alt read) rho = 0 and rho_unknown = 1.  When the class has
 * fewer than 1,000 informative reads, or the target is not an SNV, the
 * default: mu = floor, rho = 0, rho_unknown = 1, source VW_BG_DEFAULT.
 * 'sb' may be NULL (default). */
vw_bg_t vw_call_bg_self(const vw_selfbg_t *sb, const char *ref, const char *alt, double floor);

/* A sample's error level: the rates of one library share a multiplier.
 * For every bg[i] with scale_var > 0 (a model fitted on level-scaled
 * normals), the level L of the sample is estimated from its other targets
 * j (scaled sites, assessed, not known -- known[j] or t->known --, VAF <=
 * 0.1 and x_j <= 10 n_j mu_j + 5): with X = sum x_j and E = sum n_j mu_j
 * over them, leaving target i out, and a gamma prior of mean 1 and
 * variance scale_var, L = (X + a) / (E + a) with a = 1 / scale_var, of
 * relative variance v = 1 / (X + a).  Then mu = min(mu L, 0.5) and
 * rho / mu grows from r to r + v + r v (at most rho 0.1); scale_var is
 * set to 0 (done).  'known' may be NULL.  Returns 0 or -EINVAL. */
int vw_call_bg_scale(const vw_targets_t *ts, const vw_sample_counts_t *s, const unsigned char *known,
                     vw_bg_t *bg) VW_WARN_UNUSED;

/* Two-sided binomial test of the alt strands against the ref strand ratio:
 * X = alt_fwd ~ Bin(alt_fwd + alt_rev, p0), p0 = (ref_fwd + 0.5) /
 * (ref_fwd + ref_rev + 1); p = min(1, 2 min(P(X <= x), P(X >= x))).
 * No alt with a strand gives p = 1.  Returns 0 or a stats error. */
int vw_call_strand_p(int64_t alt_fwd, int64_t alt_rev, int64_t ref_fwd, int64_t ref_rev,
                     double *ret_p) VW_WARN_UNUSED;

/*
 * Calls every target of one sample and appends one record per target (in
 * target order) to 'out'.  The same as vw_call_sample_known() with no
 * known target.  bg[i] is the background of target i.  Per
 * target with depth > 0: p = vw_stats_pvalue(alt, depth, mu, rho); the p
 * of the m tested targets are adjusted together (Holm, BH or none), except
 * those with t->known set (a patient's own targets), each of which is its
 * own family: q = p, lod95 with n_tests 1;
 * detected = q < alpha unless a flag of opt->veto is set; VAF interval at
 * 95 %; lod95 = vw_stats_lod_bb(depth, mu, rho, alpha, m_eff, 0.95) with
 * m_eff = m for Holm and BH (the strictest per-test level alpha / m) and 1
 * for none; flags as documented in docs/calling.md.  Depth 0 or not
 * assessed: detected -1, p/q/VAF NaN (lod95 NaN).  cfdna_ng_ml > 0 gives
 * copies_per_ml = vaf * cfdna_ng_ml * 303, else NaN.
 * Returns 0, -EINVAL, -ENOMEM or a stats error (VW_ESTATS).
 */
int vw_call_sample(const vw_call_opt_t *opt, const vw_targets_t *ts, const vw_sample_counts_t *s,
                   const vw_bg_t *bg, double cfdna_ng_ml, vw_calls_t *out) VW_WARN_UNUSED;

/*
 * Hierarchical testing.  known[i] != 0 marks target i as a clone already
 * known in this sample's patient (pre-existing, confirmed earlier, or one of
 * the patient's own tumour-informed targets): it is tested on its own,
 * detected when p < alpha (q_value = p_value, lod95 at alpha with one
 * test), and carries the VW_FLAG_KNOWN flag, which the tracking stage reads
 * to give the series a family of one.  The other targets form the
 * discovery family and are adjusted together as in vw_call_sample().
 * 'known' may be NULL (no known target).  Returns as vw_call_sample().
 */
int vw_call_sample_known(const vw_call_opt_t *opt, const vw_targets_t *ts, const vw_sample_counts_t *s,
                         const vw_bg_t *bg, const unsigned char *known, double cfdna_ng_ml,
                         vw_calls_t *out) VW_WARN_UNUSED;

/* Writes the calls as JSON {"command":..., "calls":[{...}]} (NaN as null).
 * Returns 0 or -EIO. */
int vw_calls_write_json(FILE *fp, const vw_calls_t *cs, const char *command) VW_WARN_UNUSED;

/* Writes a bgzipped multi-sample VCF (one column per sample, one record per
 * target in the order of the calls' first sample; FORMAT AD, DP, AF, PV,
 * QV, LOD, DET; INFO GENE, PROTEIN, CDNA) to 'path' under a temporary name,
 * builds its tabix index, and renames both into place.  The calls must be
 * sorted by contig (in order of first appearance) and position.
 * Logs on failure.  Returns 0, -errno, -ENOMEM or VW_EFORMAT. */
int vw_calls_write_vcf(const vw_calls_t *cs, const char *path, const char *version,
                       const char *command) VW_WARN_UNUSED;

/* What the VCF header can say beyond the calls (docs/formats.md). */
typedef struct {
    const char *version;     /* vafwatch version (##vafwatchVersion) */
    const char *command;     /* command line (##vafwatchCommand) */
    int build;               /* a vw_build_t: ##reference=<build name> and contig lengths [0: unknown] */
    const char *reference;   /* the FASTA: ##reference=file://<absolute path>, lengths from its .fai [NULL] */
} vw_calls_vcf_opt_t;

/* vw_calls_write_vcf() with ##reference, ##contig lengths (from the
 * reference's index, else the build's known lengths; left out when
 * unknown), FILTER and FORMAT FT from the flags (docs/formats.md).  'o'
 * may be NULL.  Same returns. */
int vw_calls_write_vcf_opt(const vw_calls_t *cs, const char *path, const vw_calls_vcf_opt_t *o) VW_WARN_UNUSED;

#endif
