/* selfbg.h -- internal: the pieces of the self background (selfbg.c)
 * shared by its own pass (vw_count_self_bg) and the counting pass
 * (vw_count_file with opt->self_flank >= 0), so that both give the same
 * numbers.
 *
 * Thread safety: the functions keep no state of their own; a window array
 * belongs to the one thread that fills it. */
#ifndef VW_SELFBG_H
#define VW_SELFBG_H

#include <stdint.h>

#include <htslib/sam.h>

#include "vafwatch/count.h"

/* A window of reference positions [beg, end) on contig tid; cnt[i][b] is
 * the number of reads showing base b (0..3 = ACGT) at beg + i. */
typedef struct {
    hts_pos_t beg, end;
    int tid;
    uint32_t (*cnt)[4];
} vw_selfwin_t;

/* The windows of the targets (each target +- flank), sorted and merged,
 * without counts (cnt NULL).  Returns the number of windows (*ret NULL
 * when 0), or -ENOMEM. */
int vw_selfbg_windows(const vw_targets_t *ts, const sam_hdr_t *h, int flank, vw_selfwin_t **ret);

/* Adds one read's aligned bases of quality >= min_bq to the window counts
 * of w[*cur..n) (w sorted; *cur is advanced past windows that end before
 * the read: reads must come in position order for one cursor). */
void vw_selfbg_add_read(const bam1_t *b, vw_selfwin_t *w, int n, int *cur, int min_bq);

/* Adds the usable positions of a counted window to r (hotspot positions,
 * positions under 10 reads and polymorphic positions are left out). */
void vw_selfbg_summarise(vw_selfbg_t *r, const vw_selfwin_t *w, const vw_targets_t *ts, const sam_hdr_t *h);

#endif
