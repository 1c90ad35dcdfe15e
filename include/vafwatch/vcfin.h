/*
 * vcfin.h -- evidence records from other callers' VCF/BCF files.
 *
 * Reads a VCF, bgzipped VCF or BCF (VCF POS is 1-based; converted to the
 * 0-based vw_target_t 'beg' where parsed) and fills, for every sample
 * column, the same vw_sample_counts_t that vw_count_file() gives for a
 * BAM, so that the later stages cannot tell the two apart.
 *
 * Matching a record to a target: multi-allelic records are split; each
 * ALT is trimmed against REF as the catalogue trims targets (CGT>CAT at p
 * is the SNV G>A at p+1).  Contig names match with or without "chr" (and
 * M <-> MT).  An allele is the target's when position, REF and ALT are
 * equal after trimming, or, for indels and complex alleles, when it lies
 * inside the target's repeat-equivalence window and gives the same
 * haplotype over the window.
 *
 * Counts, per sample, from the first FORMAT field set present:
 *   AD (Number=R)       ref = AD[0], alt = AD[allele], depth = DP when
 *                       DP >= sum(AD), else sum(AD) (warning when DP is
 *                       smaller);
 *   AU/CU/GU/TU         (Strelka SNV) tier-1 counts of the REF and ALT bases,
 *                       depth = DP;
 *   TAR/TIR             (Strelka indel) tier-1: ref = TAR, alt = TIR,
 *                       depth = DP, else TAR + TIR;
 *   RD + AD (Number=1)  (VarScan) ref = RD, alt = AD, depth = DP, else RD + AD;
 *   AF/FA/VF/FREQ + DP  alt = round(AF * DP), ref = DP - alt ("20.4%" allowed).
 * These are the dialects of vcfin.c's table, tried in this order; adding a
 * caller is one row (its name, the integer FORMAT tags it needs) and its
 * extractor function (docs/inputs.md, docs/HACKING.md).
 * DP is FORMAT/DP, or INFO/DP when the file has a single sample column.
 * other = depth - ref - alt (clamped at 0 with one warning per file).
 *
 * Evidence of absence: a reference record (every ALT is ".", "<NON_REF>"
 * or "<*>"; gVCF blocks with INFO/END, or per-base records as Pisces
 * writes them) that covers every base of a target's REF gives depth =
 * the smallest block depth (DP, else MIN_DP, else AD[0]), ref = AD[0]
 * when present else depth, alt = 0.  A record with counts at the same
 * position and REF span whose ALTs do not include the target gives the
 * same: depth and ref from the record, alt = 0, the rest 'other'.
 * A called allele beats both.  A target with none of these is not
 * assessed (vw_count_t.assessed = 0; the writers print NA).
 *
 * No fragment lengths, strands or qualities are known: those stay 0/NULL.
 *
 * Thread safety: vw_vcfin_read() keeps all its state in the call; calls on
 * different files may run on different threads at once.  The dialect table
 * is constant.
 */
#ifndef VW_VCFIN_H
#define VW_VCFIN_H

#include <htslib/vcf.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"

/* The name of dialect i (0-based, in the order they are tried: "AD",
 * "strelka_snv", "strelka_indel", "varscan", "frequency"), NULL past the
 * last. */
const char *vw_vcfin_dialect_name(int i);

/* 1 when 'path' names a VCF/BCF input (.vcf, .vcf.gz, .vcf.bgz, .bcf). */
int vw_vcfin_is_vcf(const char *path);

/* Build told by the ##contig lengths of 'h' (UNKNOWN if not told);
 * *ret_chr (may be NULL) as for vw_build_detect(). */
vw_build_t vw_vcfin_build(const bcf_hdr_t *h, int *ret_chr);

/* Reads every record of 'path' and returns one evidence record per sample
 * column (in header order), or only the column named 'only_sample' when
 * not NULL.  Checks the ##contig build (when told) against ts->build (when
 * known).
 * Logs on failure (file and record number).
 * Returns 0 with *ret (an array of *ret_n records; caller owns; free each
 * with vw_sample_counts_destroy() and the array with free()), or a
 * negative code: -errno, VW_EPARSE (malformed record, negative count, AF
 * outside [0,1]), VW_EFORMAT (not a VCF/BCF), VW_EINPUT (no sample
 * columns, or 'only_sample' is not one of them), VW_EBUILD. */
int vw_vcfin_read(const char *path, const vw_targets_t *ts, const char *only_sample,
                  vw_sample_counts_t ***ret, int *ret_n) VW_WARN_UNUSED;

#endif
