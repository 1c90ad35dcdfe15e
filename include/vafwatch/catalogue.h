/*
 * catalogue.h -- resistance hotspots and user targets.
 *
 * A target is one ALT allele at one site, in VCF style on the + strand:
 * REF and ALT share their first base for indels (anchored).  Internally
 * positions are 0-based: 'beg' is the 0-based position of REF's first base;
 * text formats (TSV 'pos', VCF POS) are 1-based and converted where parsed.
 *
 * The built-in table carries the hotspots of acquired resistance to
 * anti-EGFR antibodies (KRAS, NRAS, BRAF, MAP2K1, EGFR ectodomain) and to
 * EGFR kinase inhibitors (EGFR T790M, C797S ...), with GRCh37 and GRCh38
 * coordinates.  Rows whose coordinates were derived rather than confirmed
 * are marked verified = 0.
 */
#ifndef VW_CATALOGUE_H
#define VW_CATALOGUE_H

#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/faidx.h>

#include "vafwatch/util.h"

typedef enum {
    VW_BUILD_UNKNOWN = 0,
    VW_BUILD_GRCH37 = 37,
    VW_BUILD_GRCH38 = 38
} vw_build_t;

typedef enum {
    VW_KIND_SNV = 0,  /* len(REF) == len(ALT) == 1 */
    VW_KIND_MNV,      /* len(REF) == len(ALT) > 1 (codon changes) */
    VW_KIND_DEL,      /* anchored deletion: ALT is REF's first base */
    VW_KIND_INS,      /* anchored insertion: REF is ALT's first base */
    VW_KIND_COMPLEX   /* anything else (delins) */
} vw_kind_t;

typedef struct {
    char *id;         /* unique name, e.g. "KRAS_G12D_c.35G>A" */
    char *gene;       /* "." when unknown */
    char *transcript; /* "." when unknown */
    char *protein;    /* HGVS p. ("p.G12D"), "." when unknown */
    char *cdna;       /* HGVS c. ("c.35G>A"), "." when unknown */
    char *context;    /* therapy context, "." when unknown */
    char *chrom;      /* contig name as given (naming is matched at bind time) */
    hts_pos_t beg;    /* 0-based position of REF[0] */
    char *ref, *alt;  /* upper-case ACGTN, + strand, VCF style */
    char strand;      /* gene strand '+', '-' or '.' */
    int verified;     /* 1: coordinates confirmed by independent sources */
    vw_kind_t kind;
    /* Repeat-equivalence window of an indel (0-based half-open), the union
     * of the reference spans of every placement giving the same haplotype;
     * set by vw_targets_check_ref() with a reference, else the target's own
     * span after the anchor base.  Unused for SNV/MNV. */
    hts_pos_t win_beg, win_end;
    char *win_ref, *win_alt; /* REF and ALT haplotypes over [win_beg, win_end) */
    /* 1: one of the patient's own mutations (tumour-informed, a known
     * clone): the call stage tests it on its own at alpha, outside the
     * catalogue's multiple-testing family.  0 for catalogue and --targets
     * rows; set by the caller for the patient's calls. */
    int known;
} vw_target_t;

typedef struct {
    int n, m;
    vw_target_t *t;
    vw_build_t build;   /* build the coordinates are in (UNKNOWN for user targets without one) */
} vw_targets_t;

/* Empty set; caller owns; free with vw_targets_destroy().  NULL on ENOMEM. */
vw_targets_t *vw_targets_init(void);
/* Accepts NULL. */
void vw_targets_destroy(vw_targets_t *ts);

/* Appends the built-in catalogue in 'build' (GRCh37 or GRCh38), chrom names
 * without "chr".  Returns 0, -EINVAL for an unknown build, -ENOMEM. */
int vw_catalogue_builtin(vw_targets_t *ts, vw_build_t build) VW_WARN_UNUSED;

/* Number of rows in the built-in table. */
int vw_catalogue_builtin_size(void);

/* Loads user targets from 'path' and appends them to 'ts'.  The format is
 * told by the name: .vcf, .vcf.gz, .bcf (VCF/BCF, multi-allelic records are
 * split), .bed/.bed.gz (BED: 0-based start, end, optional name; each base
 * becomes a site to watch: REF from the reference, ALT "N" meaning any
 * non-reference base is reported as alt -- requires 'fai'), otherwise TSV
 * with a header naming at least chrom, pos (1-based), ref, alt and
 * optionally id, gene, protein, cdna, transcript, strand, context.
 * Alleles are trimmed of shared suffix/prefix bases (keeping one anchor for
 * indels).  'fai' may be NULL except for BED.
 * Logs on failure (file:line).  Returns 0 or VW_EPARSE / -errno. */
int vw_targets_load(vw_targets_t *ts, const char *path, const faidx_t *fai) VW_WARN_UNUSED;

/* Checks every target's REF against 'fai' (contig names matched with or
 * without "chr"), and computes indel repeat-equivalence windows.  Logs each
 * mismatch as a warning and returns the number of mismatches (>= 0), or a
 * negative code (a contig missing from the FASTA is VW_EBUILD). */
int vw_targets_check_ref(vw_targets_t *ts, const faidx_t *fai, const char *fasta_path) VW_WARN_UNUSED;

/* Sorts by contig name (natural order), position, REF, ALT, and removes
 * exact duplicates (same chrom/pos/ref/alt; the first is kept).  Returns the
 * number removed. */
int vw_targets_sort_unique(vw_targets_t *ts);

/* Keeps the targets i with keep[i] != 0 (order kept), frees the others. */
void vw_targets_filter(vw_targets_t *ts, const uint8_t *keep);

/* Classifies REF/ALT and (re)sets kind and the default window. */
void vw_target_classify(vw_target_t *t);

/* Build detection from @SQ lines: chr1/1, chr7/7, chr12/12 ... lengths.
 * Returns the build or VW_BUILD_UNKNOWN; *ret_chr (may be NULL) is set to 1
 * when the names carry "chr", 0 when not, -1 when unknown. */
vw_build_t vw_build_detect(const sam_hdr_t *h, int *ret_chr);

/* The same from contig names and lengths (a VCF's ##contig lines); a
 * length of 0 is unknown. */
vw_build_t vw_build_from_lengths(int n, const char *const *names, const hts_pos_t *lens, int *ret_chr);

/* Trims REF/ALT in place as targets are trimmed: shared suffix (keeping
 * one base each), then shared prefix: completely for equal lengths,
 * down to one anchor base for indels; *beg moves with the prefix. */
void vw_alleles_trim(char *ref, char *alt, hts_pos_t *beg);

/* Parses "GRCh37"/"hg19"/"37"/"b37", "GRCh38"/"hg38"/"38".  Returns
 * VW_BUILD_UNKNOWN for anything else. */
vw_build_t vw_build_parse(const char *s);
/* The length of contig 'chrom' (with or without "chr") in build 'b' from
 * the table of known lengths (the chromosomes of the catalogue and a few
 * more); 0 when not known. */
hts_pos_t vw_build_contig_length(vw_build_t b, const char *chrom);
const char *vw_build_name(vw_build_t b);

/* Finds the header id of 'chrom' in 'h', trying the name as given, then
 * with "chr" added or removed (and M <-> MT).  Returns the tid or -1. */
int vw_contig_tid(const sam_hdr_t *h, const char *chrom);

/* Renames every contig to carry "chr" (chr = 1) or not (chr = 0); chrM <-> MT. */
void vw_targets_set_naming(vw_targets_t *ts, int chr);

/* Writes the set as TSV (with a '#' header line) to fp.  Returns 0 or -EIO. */
int vw_targets_write_tsv(FILE *fp, const vw_targets_t *ts) VW_WARN_UNUSED;

#endif
