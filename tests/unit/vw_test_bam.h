/* vw_test_bam.h -- fixtures of alignments, targets and counts shared by the
 * unit tests (tests/unit/vw_test_bam.c, linked into every unit test): SAM
 * text to an indexed BAM, a row of SNV targets, and two evidence counts
 * compared field by field.  Failures are cmocka assertions: the helpers
 * return only when they succeeded. */
#ifndef VW_TEST_BAM_H
#define VW_TEST_BAM_H

#include <stdint.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"

/* Writes 'header' then 'reads' (SAM text, either may be NULL; a part that
 * does not end in a newline gets one) to "<bam>.sam", converts it to the
 * BAM file 'bam' with htslib, indexes it (bam.bai) when 'index' is
 * non-zero, and removes the SAM file.  The records are copied as they
 * are: sorting them is the caller's. */
void vw_test_sam_to_bam(const char *header, const char *reads, const char *bam, int index);

/* Removes 'bam' and its index bam.bai (either may be absent). */
void vw_test_rm_bam(const char *bam);

/* n SNV targets T0 .. T<n-1> on 'chrom' at 0-based beg0 + i, ref > alt
 * (one base each), classified; gene, transcript, protein, cDNA and context
 * '.'.  Caller owns; free with vw_targets_destroy(). */
vw_targets_t *vw_test_targets(int n, const char *chrom, int64_t beg0, const char *ref, const char *alt);

/* Asserts that two targets' counts are equal: depth, the allele counts,
 * discordant, the strands, the ALT quality sums and both fragment-length
 * histograms (present in both or in neither, and then equal). */
void vw_test_assert_count_equal(const vw_count_t *a, const vw_count_t *b);

#endif
