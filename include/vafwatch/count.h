/*
 * count.h -- the counting engine: reference / alternate DNA fragments at
 * every target of one BAM/CRAM file.
 *
 * Counting unit (VW_UNIT_FRAGMENT, the default): a read pair is one
 * fragment.  When both mates inform on a target (overlapping mates) the
 * fragment counts once; when their alleles differ it counts for neither
 * and is reported as 'discordant'.  VW_UNIT_READ counts every read on its
 * own, as samtools mpileup -x (no overlap detection) does.
 * VW_UNIT_MOLECULE (reads with UMIs, umi.h) counts original molecules: the
 * reads at a target are grouped into families by position key and UMI,
 * each family of at least min_family fragments casts one consensus vote
 * (families without a consensus count as 'discordant'); vw_count_t mol
 * holds the family sizes and duplex counts.
 *
 * What a read says about a target (its allele):
 *  - SNV/MNV: every REF position must be an aligned base of the read with
 *    base quality >= min_bq (else the read does not inform).  A read with a
 *    deletion over a REF position, or an insertion inside an MNV, reports
 *    "other".  Bases equal to REF -> ref, equal to ALT -> alt, else other.
 *  - Indels and complex alleles: the read must have aligned bases just
 *    outside the target's repeat-equivalence window (vw_target_t win_beg-1
 *    and win_end); its allele is the read sequence between them.  Equal to
 *    the window's REF haplotype -> ref, to its ALT haplotype -> alt, else
 *    other.  A deletion placed anywhere in the repeat is therefore the same
 *    allele.  Base quality is not used for indel alleles.
 *
 * No depth cap is applied.
 *
 * Thread safety: the functions keep no global state; distinct files may be
 * counted on distinct threads at once (vafwatch count and run do), each
 * with its own vw_count_in_t and result.  One count may use helper threads
 * of its own (opt->threads); the targets and options are only read, so one
 * target set and one option set may be shared by all the counting threads.
 * A vw_sample_counts_t belongs to one thread until it is returned.
 */
#ifndef VW_COUNT_H
#define VW_COUNT_H

#include <stdint.h>
#include <stdio.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/umi.h"

typedef enum { VW_UNIT_FRAGMENT = 0, VW_UNIT_READ = 1, VW_UNIT_MOLECULE = 2 } vw_count_unit_t;

/* Family sizes are kept in a histogram of 0..VW_FAMSIZE_BINS-1 fragments;
 * larger families fall in the last bin. */
#define VW_FAMSIZE_BINS 256

/* Fragment lengths are kept in a histogram of 0..VW_FRAGLEN_BINS-1 bp;
 * longer fragments fall in the last bin. */
#define VW_FRAGLEN_BINS 1024

typedef struct {
    int min_mq;            /* skip reads with MAPQ < min_mq [20] */
    int min_bq;            /* SNV/MNV bases with quality < min_bq do not count [20] */
    uint32_t excl_flags;   /* skip reads with any of these flags [UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY] */
    uint32_t req_flags;    /* skip reads without all of these [0]; 0x2 for proper pairs only */
    vw_count_unit_t unit;  /* fragment or read [fragment] */
    int threads;           /* BGZF decompression threads for this file [0] */
    const char *reference; /* FASTA for CRAM decoding, NULL if none */
    int stream;            /* 1: read the whole file in order, no index needed (required for "-") */
    int umi_source;        /* molecule unit: VW_UMI_AUTO, _TAG or _NAME [AUTO] */
    int min_family;        /* molecule unit: families of fewer fragments do not vote [1] */
    double min_agree;      /* molecule unit: consensus share of the quality-weighted votes [0.66] */
    int duplex_only;       /* molecule unit: only duplex molecules count [0] */
    int self_flank;        /* >= 0: vw_count_file also measures the self background over the
                            * targets +- self_flank bp in its counting pass (through the index
                            * only; the same numbers as vw_count_self_bg; never in the molecule
                            * unit: a read-level rate overstates a molecule background) [-1: no] */
    int one_sample;        /* 1: a header whose read groups name several samples is an error
                            * (else a warning, and the first name is used) [0] */
    size_t mate_buffer;    /* fragment unit: reads waiting for their mates kept in memory; past it
                            * those whose mates start farthest ahead wait in a temporary file
                            * ($TMPDIR) until the stream reaches their mates; the counts are the
                            * same (docs/benchmarks.md) [VW_MATE_BUFFER; 0: no bound] */
} vw_count_opt_t;

/* The default bound on reads waiting for their mates: about 26 MB of table. */
#define VW_MATE_BUFFER ((size_t)1 << 17)

/* Sets the documented defaults. */
void vw_count_opt_init(vw_count_opt_t *opt);

/* Substitution classes collapsed by reverse complement (pyrimidine REF). */
enum { VW_SUB_CA = 0, VW_SUB_CG, VW_SUB_CT, VW_SUB_TA, VW_SUB_TC, VW_SUB_TG, VW_N_SUB };
extern const char *const vw_sub_names[VW_N_SUB]; /* "C>A" ... "T>G" */

/* Class of the SNV ref>alt (any case), or -1 (not an SNV of ACGT). */
int vw_sub_class(const char *ref, const char *alt);

typedef struct {
    int64_t n[VW_N_SUB];   /* reads with a REF base of the class's REF (C or G for C>*) */
    int64_t x[VW_N_SUB];   /* reads showing the class's ALT (C>T counts C->T and G->A) */
    int64_t n_pos;         /* positions used */
    /* Moments across positions, for the over-dispersion of the class's rate from
     * site to site (docs/calling.md); have_disp 0 when not measured (an evidence
     * table written before these fields existed). */
    int have_disp;
    int64_t j[VW_N_SUB];   /* positions with the class's REF */
    double sxx[VW_N_SUB];  /* sum over those positions of x_j^2 / n_j */
    double snn[VW_N_SUB];  /* sum of n_j^2 */
} vw_selfbg_t;

typedef struct {
    int assessed;          /* 1: the numbers below are evidence; 0: the input says nothing about the
                            * target (a VCF that neither calls nor covers it): the writers print NA */
    int64_t depth;         /* informative fragments: ref + alt + other (discordant excluded) */
    int64_t ref, alt, other;
    int64_t discordant;    /* both mates inform and disagree */
    int64_t ref_fwd, ref_rev, alt_fwd, alt_rev; /* by fragment strand (the strand of read 1) */
    int64_t alt_bq_sum;    /* sum of base quality of alt support (max of the mates) */
    int64_t alt_mq_sum;    /* sum of mapping quality of alt support (max of the mates) */
    uint32_t *fl_ref, *fl_alt; /* fragment-length histograms (NULL until the first length) */
    struct vw_molcount_s *mol; /* molecule unit only, else NULL */
} vw_count_t;

/* Molecules at one target (VW_UNIT_MOLECULE). */
typedef struct vw_molcount_s {
    int64_t fragments;     /* fragments in all families */
    int64_t families;      /* molecules (a duplex molecule's two strands are one) */
    int64_t small;         /* molecules below min_family: no vote */
    int64_t no_consensus;  /* molecules >= min_family whose votes (or strands) disagree */
    int64_t ref, alt, other; /* molecules >= min_family by consensus (duplex or not) */
    int64_t duplex_ref, duplex_alt, duplex_other; /* of those, both strands seen and agreeing */
    uint32_t fam_hist[VW_FAMSIZE_BINS]; /* family sizes (fragments) of all molecules */
} vw_molcount_t;

typedef struct {
    char *sample;          /* @RG SM, or the file name without extension */
    char *path;
    vw_build_t build;      /* detected from @SQ lengths, UNKNOWN if not told */
    int n;                 /* number of targets (same order as the target set) */
    char **chrom;          /* per target: its contig name in this file's header */
    vw_count_t *c;
    int64_t n_reads;       /* records read */
    int64_t n_used;        /* records passing the filters */
    int64_t n_informative; /* read-target observations */
    int64_t n_mates_on_disk; /* fragment unit: reads that waited for their mates in a temporary
                            * file (opt->mate_buffer reached); 0 when the table held them all */
    int64_t mates_over;    /* the most reads that waited at once beyond opt->mate_buffer (reads
                            * sharing one mate start, which cannot go to disk); 0 when never */
    int unit;              /* vw_count_unit_t the counts are in */
    int min_family;        /* molecule unit: the minimum family size used */
    int duplex_only;       /* molecule unit: duplex molecules only */
    vw_umi_stats_t umi;    /* molecule unit: the UMIs read (skipped reads) */
    int have_self;         /* 1: 'self' is the sample's self background (vw_count_self_bg, its flank
                            * in 'self_flank'); the evidence table carries it (docs/formats.md) */
    int self_flank;
    vw_selfbg_t self;
} vw_sample_counts_t;

/* Counts every target of 'ts' in the BAM/CRAM/SAM file 'path' ("-" for
 * standard input, which implies opt->stream).  'sample' overrides the
 * sample name when not NULL.  Checks that the file's build (if it can be
 * told) matches ts->build (if known), and that every target contig exists
 * in the header (with or without "chr").
 * Logs on failure (naming the file and the record or target).
 * Returns 0 and *ret (caller owns; free with vw_sample_counts_destroy()), or
 * a negative code: -errno, VW_EFORMAT (truncated/corrupt/unsorted),
 * VW_EBUILD (build or contig mismatch), VW_EINPUT (no index without stream). */
int vw_count_file(const char *path, const char *sample, const vw_targets_t *ts, const vw_count_opt_t *opt,
                  vw_sample_counts_t **ret) VW_WARN_UNUSED;

/* The same in two steps, so that an input is opened once even when its
 * header is needed before counting (the genome build of a pipe or of
 * standard input, which cannot be opened twice).  vw_count_open() opens
 * 'path', checks it (format, end-of-file marker, index age) and reads its
 * header; logs on failure; returns 0 and *ret, or a negative code as
 * vw_count_file().  vw_count_in() counts it and closes it (it takes
 * ownership of 'in', also on failure).  vw_count_in_close() closes an
 * input not counted (accepts NULL). */
typedef struct vw_count_in_s vw_count_in_t;
int vw_count_open(const char *path, const vw_count_opt_t *opt, vw_count_in_t **ret) VW_WARN_UNUSED;
/* Borrowed; valid until vw_count_in() or vw_count_in_close(). */
const sam_hdr_t *vw_count_in_header(const vw_count_in_t *in);
int vw_count_in(vw_count_in_t *in, const char *sample, const vw_targets_t *ts, const vw_count_opt_t *opt,
                vw_sample_counts_t **ret) VW_WARN_UNUSED;
void vw_count_in_close(vw_count_in_t *in);

/* Accepts NULL. */
void vw_sample_counts_destroy(vw_sample_counts_t *s);

/* Median (lower) of a family-size histogram, or -1 when empty. */
int vw_famsize_median(const uint32_t *hist);

/* Writes the molecule table (docs/formats.md): one row per sample x target
 * of the samples counted in molecules.  Returns 0 or -EIO. */
int vw_count_write_molecules(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples)
    VW_WARN_UNUSED;

/* Writes ', "molecules": {...}' (the molecule table's columns) for one target. */
void vw_count_json_molecules(FILE *fp, const vw_molcount_t *m, int min_family, int duplex_only);

/* The evidence class the options count: "fragment", "read", "molecule
 * (families >= N)" or "duplex molecule (families >= N)", written to buf
 * (n bytes); returns buf. */
const char *vw_count_class(const vw_count_opt_t *opt, char *buf, size_t n);

/* Median of a fragment-length histogram, or -1 when empty. */
int vw_fraglen_median(const uint32_t *hist);

/* Writes the evidence table: a '#' header line, one '#self_background' line
 * per sample that has one (have_self), then one row per sample x target
 * (samples in the given order, targets in set order).  Columns are
 * documented in docs/formats.md.  Returns 0 or -EIO. */
int vw_count_write_tsv(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples)
    VW_WARN_UNUSED;

/* The same as a JSON document {"command":..., "samples":[{...,"targets":[...]}]}. */
int vw_count_write_json(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples,
                        const char *command) VW_WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Reading the evidence table back (the table vw_count_write_tsv writes) */

/* Appends to 'ts' the targets named by the rows of the evidence table
 * 'path' (chrom, pos (1-based), ref, alt, id, gene, protein, cdna), one per
 * distinct chrom/pos/ref/alt; the caller sorts and de-duplicates
 * (vw_targets_sort_unique) when it merges several tables.
 * Logs on failure (file:line: column).  Returns 0, VW_EPARSE or -errno. */
int vw_count_tsv_targets(const char *path, vw_targets_t *ts) VW_WARN_UNUSED;

/* Reads the evidence table 'path' into one record per sample (in order of
 * first appearance), each with one vw_count_t per target of 'ts' (matched
 * by chrom -- with or without "chr" --, pos, ref and alt).  Targets of
 * 'ts' without a row, and rows whose counts are NA, are not assessed.
 * '#self_background' lines after the header fill have_self, self_flank and
 * self of their sample; '#count_unit SAMPLE molecule MIN_FAMILY DUPLEX_ONLY'
 * lines between the header and the first row set its unit (molecule),
 * min_family and duplex_only (read in the same pass as the rows).
 * Rows naming a target not in 'ts' are skipped (counted in
 * *ret_n_skipped, which may be NULL).  Fragment-length medians are kept
 * as a one-value histogram; strands, qualities as written.
 * Logs on failure (file:line: column).
 * Returns 0 with *ret (an array of *ret_n records; caller owns; free each
 * with vw_sample_counts_destroy() and the array with free()), or
 * VW_EPARSE / -errno. */
int vw_count_read_tsv(const char *path, const vw_targets_t *ts, vw_sample_counts_t ***ret, int *ret_n,
                      int *ret_n_skipped) VW_WARN_UNUSED;

/* The count cache of 'vafwatch run': one sample's evidence table followed
 * by a trailer line '#cache<TAB>ROWS<TAB>KEY' (ROWS the number of data
 * rows, KEY the caller's identity of the input and options, without a
 * newline), so that one file holds table and key (one rename commits
 * both) and a table cut short is seen.  Returns 0, -EINVAL or -EIO. */
int vw_count_write_cache(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *s, const char *key) VW_WARN_UNUSED;

/* Reads a cache file written by vw_count_write_cache().  Returns 1 and *ret
 * (caller owns; free with vw_sample_counts_destroy()) when the file holds
 * one row per target of 'ts', its trailer is its last line, gives the
 * right row count and 'key'; 0 when there is no file or its key differs
 * (stale); negative when the file is broken (logged as a warning or, for a
 * malformed table, as an error): the caller counts again. */
int vw_count_read_cache(const char *path, const vw_targets_t *ts, const char *key,
                        vw_sample_counts_t **ret) VW_WARN_UNUSED;

/* 1 when 'path' looks like an evidence table: its first line starts with
 * "#sample\tchrom\tpos" (plain or bgzipped text). */
int vw_count_is_tsv(const char *path);

/* ------------------------------------------------------------------ */
/* Self background: the sample's own error rate at non-hotspot positions */


/*
 * Counts, in the BAM/CRAM 'path' (through its index), every position within
 * 'flank' bp of each target of 'ts' except the targets' own REF spans: the
 * REF base of a position is its majority base among the reads (no FASTA
 * needed); positions where another base exceeds 10 % of the reads
 * (polymorphisms, real variants) or with fewer than 10 reads are left out.
 * Reads are filtered as vw_count_file() filters them (flags, MAPQ, base
 * quality) and counted one by one (read level; overlapping mates both count).
 * Logs on failure.  Returns 0 and fills *ret, or -errno, VW_EFORMAT,
 * VW_EINPUT (no index). */
int vw_count_self_bg(const char *path, const vw_targets_t *ts, const vw_count_opt_t *opt, int flank,
                     vw_selfbg_t *ret) VW_WARN_UNUSED;
/* Fragments per region, for copy number (count.c).  A
 * fragment is counted once, through its leftmost mate (for a pair on one
 * contig: the mate with the lower position, read 1 on a tie), in the
 * region holding its midpoint (leftmost start + |TLEN|/2); a read without
 * a mate on its contig counts at the midpoint of its own alignment.  Reads
 * with any of opt->excl_flags (duplicates by default), without all of
 * opt->req_flags, or with MAPQ < opt->min_mq are skipped.
 * 'chrom', 'beg', 'end' (0-based half-open) give n regions that must not
 * overlap.  Checks the file's build against 'build' (if both known) and
 * that every contig exists and is long enough.
 * Logs on failure (naming the file).  Returns 0 with ret_frag[0..n-1] and
 * *ret_sample (caller owns, free(); @RG SM, 'sample' or the file name), or
 * -errno, VW_EFORMAT, VW_EBUILD, VW_EINPUT (no index without stream). */
int vw_count_regions(const char *path, const char *sample, int n, char *const *chrom, const hts_pos_t *beg,
                     const hts_pos_t *end, vw_build_t build, const vw_count_opt_t *opt, int64_t *ret_frag,
                     char **ret_sample) VW_WARN_UNUSED;

#endif
