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

/* Names of the flags, in bit order, as written in the tables ("strand_bias" ...). */
extern const char *const vw_flag_names[];
#define VW_N_FLAGS 6

typedef struct {
    char *sample;        /* sample name */
    char *chrom;         /* contig as in the input */
    int64_t pos1;        /* 1-based position */
    char *ref, *alt;     /* + strand, VCF style */
    char *id, *gene, *protein, *cdna;
    int64_t depth, ref_count, alt_count, other_count, discordant;
    int64_t alt_fwd, alt_rev;
    double vaf;          /* alt_count / depth; NaN when depth == 0 */
    double vaf_lo, vaf_hi; /* 95 % interval of the VAF */
    double p_value;      /* one-sided P(X >= alt_count) under the background */
    double q_value;      /* adjusted across the targets of the sample (Holm or BH) */
    int detected;        /* 1: q_value < alpha (and not vetoed), 0: not detected, -1: not assessable */
    double lod95;        /* smallest VAF detected with 95 % probability here */
    uint32_t flags;      /* VW_FLAG_* */
    vw_bg_source_t background;
    double bg_error;     /* background error rate used (mu) */
    double copies_per_ml; /* mutant copies per mL plasma, NaN without cfDNA concentration */
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
int vw_calls_write_tsv(const vw_calls_t *cs, FILE *fp) VW_WARN_UNUSED;

/* Reads a calls table written by vw_calls_write_tsv() and appends its rows.
 * Logs on failure (file:line: column).  Returns 0, VW_EPARSE or -errno. */
int vw_calls_read_tsv(vw_calls_t *cs, const char *path) VW_WARN_UNUSED;

/* "strand_bias,possible_germline" style text of a flag set ("." when none);
 * writes at most 'size' bytes into buf and returns buf. */
char *vw_flags_str(uint32_t flags, char *buf, size_t size);
/* Parses that text; returns 0 or VW_EPARSE. */
int vw_flags_parse(const char *s, uint32_t *ret_flags);

const char *vw_bg_source_name(vw_bg_source_t s);

#endif
