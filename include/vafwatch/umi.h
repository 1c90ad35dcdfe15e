/*
 * umi.h -- unique molecular identifiers: reading a read's UMI, grouping
 * reads into families (one original DNA molecule) and voting a consensus.
 *
 * UMI sources:
 *  - the RX tag (fgbio/Picard convention); a duplex UMI is written with its
 *    two halves separated by '-' (or '+', bcl-convert), e.g. AAAT-CCGA;
 *  - the read name after its last '_' or ':' (UMI-tools convention,
 *    SRR2057595.665063_CGCCG).
 *  A UMI is made of A, C, G, T and N (any case) and at most one separator.
 *
 * Families.  A read's position key is its outer coordinates and
 * orientation, as UMI-tools keys them: the unclipped 5' end of the read
 * (the aligned start less a leading soft clip, or for a reverse read the
 * aligned end plus a trailing soft clip) and its strand; for a pair with
 * both mates on one contig, read 1's 5' end and strand and its TLEN (read 2
 * takes read 1's key: from the read 1 record when both inform, else from
 * its MC tag, else from TLEN).  With duplex UMIs the key is the leftmost
 * aligned start of the pair and |TLEN| (the same for both strands), and the
 * strand of read 1 tells the two strands apart.  Reads with one key form a
 * bundle; within a bundle UMIs of one length are merged with UMI-tools'
 * directional rule (Smith, Heger and Sudbery, Genome Res 2017): an edge
 * a -> b when a and b differ at exactly one position and
 * count(a) >= 2 count(b) - 1, counts being fragments; UMIs are visited by
 * decreasing count (ties: first seen first), and each takes every UMI it
 * reaches that no earlier UMI took.  Each group is one molecule.
 *
 * Duplex UMIs: the bottom strand of a molecule carries the two halves in
 * the other order and read 1 on the other strand (A-B with read 1 forward,
 * B-A with read 1 reverse).  Both strands are grouped together (the key
 * without the strand, the UMI written in the top strand's order); each
 * molecule then has up to two single-strand families.
 *
 * Consensus.  Within a single-strand family each fragment has one allele
 * code (the mates' shared code; mates that disagree give no vote).  A code
 * is the family's consensus when the base qualities of the votes for it
 * make at least 'min_agree' of the total (a vote without a quality, such
 * as an indel allele, weighs 30).  A duplex molecule has a consensus when
 * both strands have one and they agree, or when only one strand was seen.
 *
 * Thread safety: no global state; a collector (vw_umi_col_t) belongs to
 * one thread, the pure functions (vote, directional grouping, UMI parsing)
 * may be called from any thread.
 */
#ifndef VW_UMI_H
#define VW_UMI_H

#include <stdint.h>

#include <htslib/sam.h>

#include "vafwatch/util.h"

typedef enum { VW_UMI_AUTO = 0, VW_UMI_TAG = 1, VW_UMI_NAME = 2 } vw_umi_source_t;

/* Longest UMI kept, separator included; longer ones are malformed. */
#define VW_UMI_MAX 48

/* What vw_umi_extract() found. */
enum { VW_UMI_NONE = 0, VW_UMI_OK = 1, VW_UMI_BAD = 2 };

/* Copies the UMI of 'b' from 'src' (TAG or NAME) into buf (NUL-terminated,
 * upper case) and sets *ret_sep to the separator's offset or -1.
 * Returns VW_UMI_OK, VW_UMI_NONE (no RX tag; no '_' or ':' in the name, or
 * what follows the last one is not a UMI) or VW_UMI_BAD (an RX tag that is
 * not a UMI: other characters, two separators, an empty half, longer than
 * VW_UMI_MAX - 1). */
int vw_umi_extract(const bam1_t *b, vw_umi_source_t src, char buf[VW_UMI_MAX], int *ret_sep);

/* The source to use for a file whose first read is 'b': TAG when it has an
 * RX tag, NAME when its name ends in a UMI, else -1. */
int vw_umi_detect(const bam1_t *b);

typedef struct {
    int32_t tid;
    int32_t span;   /* read 1's TLEN (duplex: |TLEN|), -1 for a read keyed by its own 5' end */
    int64_t pos;    /* 0-based: read 1's unclipped 5' end (duplex: the pair's leftmost start) */
    uint8_t strand; /* strand of read 1 (an unpaired read: its own), 1 reverse */
} vw_umi_key_t;

/* The position key of 'b' (see above) for simplex (duplex 0) or duplex
 * UMIs.  Returns 1 when it is an estimate (read 2 without an MC tag), else 0. */
int vw_umi_key_of(const bam1_t *b, int duplex, vw_umi_key_t *k);

/* Directional grouping of the n distinct UMIs 'umi' (all of one length,
 * in first-seen order) with fragment counts 'count'.  Writes each UMI's
 * group (0 .. groups-1, numbered in the order the leading UMIs are taken)
 * to ret_group.  Returns the number of groups or -ENOMEM. */
int vw_umi_directional(const char *const *umi, const int64_t *count, int n, int *ret_group) VW_WARN_UNUSED;

/* Consensus of n votes (codes, each with a base quality, 0 = none): the
 * code whose weight is at least min_agree of the total (see above), or 0
 * when none is. */
uint32_t vw_umi_vote(const uint32_t *code, const uint8_t *qual, int n, double min_agree);

/* ------------------------------------------------------------------ */
/* The collector: families at each target                              */

typedef struct vw_umi_col_s vw_umi_col_t;

/* One read's allele at one target (codes are the caller's; 0 never). */
typedef struct {
    int32_t ti;
    uint32_t code;
    uint8_t bq, mq;
} vw_umi_obs_t;

/* One molecule at a target. */
typedef struct {
    uint32_t code;    /* consensus, 0 none (the votes disagreed) */
    int32_t size;     /* fragments (both strands) */
    int32_t size_a, size_b; /* fragments of each strand family (duplex UMIs; size_b 0 otherwise) */
    uint8_t duplex;   /* both strands seen and their consensus agrees */
    uint8_t strand;   /* strand of read 1 of its largest family */
    uint8_t bq, mq;   /* highest quality among the votes for the consensus */
    int32_t fraglen;  /* |TLEN|, 0 unknown */
} vw_umi_mol_t;

typedef struct {
    int source;         /* VW_UMI_TAG or VW_UMI_NAME once told, else VW_UMI_AUTO */
    int umi_len;        /* length of the first UMI seen (without separator) */
    int duplex;         /* 1: the first UMI had a separator */
    int64_t n_reads;    /* reads given */
    int64_t n_no_umi;   /* skipped: no UMI */
    int64_t n_bad;      /* skipped: malformed UMI */
    int64_t n_no_sep;   /* skipped: a simplex UMI in a duplex file, or the reverse */
    int64_t n_other_len; /* kept: UMI of another length than the first (grouped only with UMIs of its length) */
} vw_umi_stats_t;

/* A collector for n_targets targets reading UMIs from 'src' (AUTO: told
 * by the first read).  Returns NULL with errno set; caller owns; free
 * with vw_umi_col_destroy(). */
vw_umi_col_t *vw_umi_col_init(int n_targets, vw_umi_source_t src);

/* Accepts NULL. */
void vw_umi_col_destroy(vw_umi_col_t *c);

/* Adds read 'b' with its observations (each obs ti < n_targets).  Returns
 * 0 (kept), 1 (skipped: no or malformed UMI; counted in the stats), or
 * -ENOMEM, or VW_EINPUT when the source is AUTO and the first read has no
 * UMI in either place. */
int vw_umi_col_add(vw_umi_col_t *c, const bam1_t *b, const vw_umi_obs_t *obs, int n_obs) VW_WARN_UNUSED;

/* Number of observations waiting at target ti. */
int64_t vw_umi_col_pending(const vw_umi_col_t *c, int ti);

/* Groups the observations of target ti into molecules and empties it.
 * *ret_mol (borrowed; valid until the next call or destroy) gets *ret_n
 * molecules in a deterministic order.  When ret_entry_mol is not NULL it
 * gets (caller owns, free()) the molecule index of each observation in
 * the order they were added (the read's group, for checks).
 * Returns 0 or -ENOMEM. */
int vw_umi_col_resolve(vw_umi_col_t *c, int ti, double min_agree, const vw_umi_mol_t **ret_mol, int *ret_n,
                       int **ret_entry_mol) VW_WARN_UNUSED;

/* Borrowed; valid until destroy. */
const vw_umi_stats_t *vw_umi_col_stats(const vw_umi_col_t *c);

#endif
