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

/* A window of reference positions [beg, end) on contig tid.  While reads
 * are added, position beg + i holds: ref[i], the 4-bit code of the first
 * usable base seen there (its "guess", 0 before any); cnt[i][b], the reads
 * showing base b (0..3 = ACGT) other than the guess; and the coverage of
 * usable bases as the difference array diff[0..len].  After
 * vw_selfbg_summarise(), cnt[i][b] is the number of reads showing base b
 * (the guess's column filled in); a window is summarised once. */
typedef struct {
    hts_pos_t beg, end;
    int tid;
    uint32_t (*cnt)[4];
    uint8_t *ref;
    int32_t *diff;
    uint8_t *pk[2]; /* the guesses packed as BAM SEQ (two a byte, the first in the high nibble), position p
                     * at byte (p + o) / 2 of pk[o]: one copy for each parity of the read's start */
} vw_selfwin_t;

/* Allocates the zeroed arrays of w (end - beg positions): 0 or -ENOMEM.
 * vw_selfwin_free() frees them (and sets them NULL). */
int vw_selfwin_alloc(vw_selfwin_t *w);
void vw_selfwin_free(vw_selfwin_t *w);

/* The windows of the targets (each target +- flank), sorted and merged,
 * without counts (arrays NULL).  Returns the number of windows (*ret NULL
 * when 0), or -ENOMEM. */
int vw_selfbg_windows(const vw_targets_t *ts, const sam_hdr_t *h, int flank, vw_selfwin_t **ret);

/* Adds one read's aligned bases of quality >= min_bq to the window counts
 * of w[*cur..n) (w sorted; *cur is advanced past windows that end before
 * the read: reads must come in position order for one cursor). */
void vw_selfbg_add_read(const bam1_t *b, vw_selfwin_t *w, int n, int *cur, int min_bq);

/* The query position of the first base of a read aligned in one M/=/X
 * block between optional soft clips, and the block's reference end in
 * *end; -1 for other CIGARs (and an empty block; *end is then
 * meaningless).  The flags are not looked at.  Inline: the counting pass
 * parses each read once for its alleles and the self background. */
static inline int vw_selfbg_one_block(const bam1_t *b, hts_pos_t *end)
{
    const uint32_t *cig = bam_get_cigar(b);
    uint32_t n = b->core.n_cigar, k = 0;
    if (n == 1 && (0x181u >> bam_cigar_op(cig[0]) & 1) && bam_cigar_oplen(cig[0]) > 0) { /* M, = or X alone */
        *end = b->core.pos + bam_cigar_oplen(cig[0]);
        return 0;
    }
    int q0 = 0;
    if (n > 0 && bam_cigar_op(cig[0]) == BAM_CSOFT_CLIP) {
        q0 = (int)bam_cigar_oplen(cig[0]);
        k = 1;
    }
    if (k >= n || bam_cigar_type(bam_cigar_op(cig[k])) != 3 || bam_cigar_oplen(cig[k]) == 0)
        return -1;
    *end = b->core.pos + bam_cigar_oplen(cig[k]);
    k++;
    if (k < n && bam_cigar_op(cig[k]) == BAM_CSOFT_CLIP)
        k++;
    return k == n ? q0 : -1;
}

/* vw_selfbg_add_read() of a read whose vw_selfbg_one_block() is q0 (and
 * re, its *end, when q0 >= 0). */
void vw_selfbg_add_parsed(const bam1_t *b, vw_selfwin_t *w, int n, int *cur, int min_bq, int q0, hts_pos_t re);

/* Adds the usable positions of a counted window to r (hotspot positions,
 * positions under 10 reads and polymorphic positions are left out). */
void vw_selfbg_summarise(vw_selfbg_t *r, vw_selfwin_t *w, const vw_targets_t *ts, const sam_hdr_t *h);

#endif
