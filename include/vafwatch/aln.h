/*
 * aln.h -- opening an alignment file (BAM, CRAM, SAM): the one prologue
 * every reader of reads goes through (counting, region depth, the self
 * background, the genome build of an input).
 *
 * vw_aln_open() opens the file once: it checks the format, gives a CRAM its
 * reference, refuses a BAM/CRAM cut short (no end-of-file marker) and an
 * index older than its file, starts the decompression threads and reads
 * the header.  vw_aln_walk() then hands every read, through the index or
 * streaming from start to end, to a per-read callback.
 *
 * Thread safety: a vw_aln_t belongs to one thread at a time (htslib's own
 * decompression threads are internal); distinct files may be read on
 * distinct threads.  The functions keep no global state.  With
 * vw_aln_reader_t.decoder, vw_aln_walk() reads the file on a thread of its
 * own, which decodes records (and runs the 'prepare' hook while it is ahead);
 * every other hook runs on the calling thread.
 */
#ifndef VW_ALN_H
#define VW_ALN_H

#include <stdint.h>

#include <htslib/sam.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/util.h"

/* An open alignment file.  Plain struct; every pointer owned, released by
 * vw_aln_close(). */
typedef struct {
    samFile *fp;
    sam_hdr_t *h;
    char *path;
    int stream;    /* 1: read from start to end without the index (asked for, "-", or not a regular file) */
    int eof_later; /* 1: an unseekable BAM/CRAM: its end-of-file marker is checked when the stream ends */
    enum htsExactFormat format;
} vw_aln_t;

/* vw_aln_open() flags. */
enum {
    VW_ALN_STREAM = 1,  /* read from start to end even from a regular file (no index, no index check) */
    VW_ALN_DECODER = 2, /* when streaming, one of 'threads' decodes records on a thread of the caller's:
                         * htslib gets threads - 2 for decompression (one from -t 3) */
    VW_ALN_HEADER = 4,  /* only the header is wanted: no format, end-of-file or index check, no threads, and
                         * nothing logged (the caller says what failed) */
};

/* Opens 'path' ("-": standard input) with 'reference' (FASTA with .fai, for
 * CRAM; may be NULL) and up to 'threads' BGZF decompression threads (0 or
 * 1: none).  Logs on failure (naming the file) unless VW_ALN_HEADER.
 * Returns 0 and *ret (caller owns; close with vw_aln_close()), or -errno,
 * VW_EFORMAT (not an alignment file, cut short, no valid header) or
 * VW_EINPUT (unusable reference, stale index). */
int vw_aln_open(const char *path, const char *reference, int threads, unsigned flags, vw_aln_t **ret)
    VW_WARN_UNUSED;

/* Closes and frees 'a' (accepts NULL).  Returns rc, or VW_EFORMAT (logged)
 * when rc is 0 and closing fails (a truncated file). */
int vw_aln_close(vw_aln_t *a, int rc);

/* Loads the index of 'a' into *ret (caller owns; hts_idx_destroy()).  Logs
 * on failure, ending the advice with 'or_else' (may be NULL), and returns
 * VW_EINPUT. */
int vw_aln_index(vw_aln_t *a, const char *or_else, hts_idx_t **ret) VW_WARN_UNUSED;

/* Checks that the genome build of the header (from @SQ lengths) agrees
 * with 'want' (either unknown: agrees).  'what' names the caller's
 * positions ("targets", "regions") in the message.  Logs on failure.
 * Returns 0 or VW_EBUILD. */
int vw_aln_check_build(const vw_aln_t *a, vw_build_t want, const char *what) VW_WARN_UNUSED;

/* The sample of 'a': 'given' when not NULL, else the SM of its read groups
 * (warned about when they name several), else the file name without its
 * extension ("stdin" for "-").  Returns a new string (caller frees) or
 * NULL (out of memory). */
char *vw_aln_sample(const vw_aln_t *a, const char *given);

/* Refuses a file whose read groups name more than one sample (logged).
 * Returns 0, VW_EINPUT or -ENOMEM. */
int vw_aln_one_sample(const vw_aln_t *a) VW_WARN_UNUSED;

/* Logs the read error 'r' (< -1) of sam_read1/sam_itr_next after 'n_done'
 * records, with its likely cause (a CRAM without its reference, a bad SAM
 * line, an index of another file when 'through_index').  Returns
 * VW_EFORMAT. */
int vw_aln_read_error(const vw_aln_t *a, int r, int64_t n_done, int through_index, const char *reference);

/* A stream that ended (sam_read1 -1) without the BGZF end-of-file marker
 * of a BAM (an unseekable input cut short): logged, VW_EFORMAT; else 0. */
int vw_aln_check_stream_end(const vw_aln_t *a, int64_t n_done);

/* bam_read1() of a BGZF-compressed BAM, the same record, position and
 * return value, faster for a record lying inside the inflated block (read
 * from it in place; every other record goes through bam_read1()). */
int vw_aln_bam_read1(BGZF *fp, bam1_t *b);

/* sam_read1() (the same result) through vw_aln_bam_read1() for a BAM. */
int vw_aln_read1(samFile *fp, const sam_hdr_t *h, bam1_t *b);

/* A span [beg, end) on contig tid to read through the index. */
typedef struct {
    int tid;
    hts_pos_t beg, end;
} vw_aln_span_t;

/* What a walk does with the reads (every hook but 'read' may be NULL):
 *  ahead    a record entering the look-ahead window (the next few records
 *           decoded before the current one is handed on): 1 skips it (it
 *           is never given to 'read'), 0 keeps it with *word (on entry the
 *           word of vw_aln_walk_prep()'s 'prepare', or 0), a value of the
 *           caller's handed back with the record (a hash to prefetch);
 *  read     each kept record in file order; 'span' is the index of the
 *           span it was read for (-1 when streaming);
 *  span_end after the last record of each span (-1: of the stream).
 * A negative return of a hook stops the walk with that code.  The records
 * are borrowed: valid during the call only. */
typedef struct {
    int (*ahead)(void *ud, const bam1_t *b, uint64_t *word);
    int (*read)(void *ud, const bam1_t *b, int span, uint64_t word);
    int (*span_end)(void *ud, int span);
    void *ud;
    int decoder; /* streaming: records are decoded on a thread of their own, counted on this one */
} vw_aln_reader_t;

/* The one read loop: when a->stream, every read from start to end (the
 * coordinate order checked; unplaced reads at the end stop it; a BAM pipe's
 * end-of-file marker checked) and 'idx', 'spans' are not used; else the
 * reads overlapping each of the n spans in turn through 'idx' (a read
 * overlapping two spans is given twice; the reads, spans and order of
 * htslib's iterator).  A BAM's sorted spans on a contig are read on from
 * where the span before stopped, so that a BGZF block is inflated again
 * only for a read reaching from before that point into the next span, or
 * with decompression threads.  Logs on failure.  Returns 0, a
 * hook's negative code, -ENOMEM, or VW_EFORMAT (unsorted, truncated or
 * corrupt input); *ret_n (may be NULL) is set to the number of records
 * read. */
int vw_aln_walk(vw_aln_t *a, hts_idx_t *idx, const vw_aln_span_t *spans, int n, const char *reference,
                const vw_aln_reader_t *rd, int64_t *ret_n) VW_WARN_UNUSED;

/* The first look at a record (see vw_aln_walk_prep): 1 skips the record (no
 * other hook sees it), 0 keeps it with *word, handed to 'ahead' and on. */
typedef int (*vw_aln_prepare_f)(const void *ud, const bam1_t *b, uint64_t *word);

/* vw_aln_walk() with a first look at each record, 'prepare' (may be NULL),
 * called with rd->ud before 'ahead'.  It must read only what stays
 * constant during the walk: with a decoder (rd->decoder) the decoding
 * thread runs it, concurrently with the other hooks, on the batches it
 * starts while the hooks' thread is behind (more than half the batches
 * waiting); otherwise the hooks' thread runs it.  Which thread does changes
 * no result.  Returns as vw_aln_walk(). */
int vw_aln_walk_prep(vw_aln_t *a, hts_idx_t *idx, const vw_aln_span_t *spans, int n, const char *reference,
                     const vw_aln_reader_t *rd, vw_aln_prepare_f prepare, int64_t *ret_n) VW_WARN_UNUSED;

#endif
