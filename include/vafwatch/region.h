/*
 * region.h -- genomic regions that restrict the targets (-r/--region and
 * -R/--regions-file of count, model and call, as in samtools and bcftools).
 *
 * Coordinates: a region string is 1-based and inclusive (CHR, CHR:POS,
 * CHR:BEG-END, CHR:BEG-); regions are kept 0-based half-open in a
 * vw_cnv_regions_t (cnv.h), whose BED reader gives -R its regions.
 * Contig names match with or without "chr", and M matches MT.
 * Thread safety: no shared state; distinct objects may be used from
 * distinct threads.
 */
#ifndef VW_REGION_H
#define VW_REGION_H

#include "vafwatch/catalogue.h"
#include "vafwatch/cnv.h"
#include "vafwatch/util.h"

/* Parses REG[,REG...] (a comma after the ':' followed by exactly three
 * digits separates thousands, as in 1,000-2,000; CHR:POS is the one
 * position, as in bcftools; text after the last ':' that begins with a
 * digit must be a position or range, else the whole is the contig name)
 * and appends each to rs (NULL: only checks).
 * Logs "--region: cannot read 'REG'" on failure.  Returns 0, VW_EINPUT
 * or -ENOMEM. */
int vw_region_parse(const char *arg, vw_cnv_regions_t *rs) VW_WARN_UNUSED;

/* 1 when contig names a and b name one contig ("chr" prefix, M = MT). */
int vw_region_same_contig(const char *a, const char *b);

/* Marks the targets of ts that overlap a region of rs (a target spans its
 * REF allele; an empty REF spans one base): keep[i] = 1 or 0, for
 * vw_targets_filter().  Returns how many are marked. */
int vw_region_mark_targets(const vw_targets_t *ts, const vw_cnv_regions_t *rs, uint8_t *keep);

#endif
