/* aln.c -- opening and walking an alignment file (see aln.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "vafwatch/log.h"

/* ------------------------------------------------------------------ */
/* Input checks                                                        */

/* The k-th name an index of 'path' may have (.csi, .bai, .crai added to
 * the name, then replacing its extension), in ks; "" when there is no such
 * name, NULL after the last. */
static const char *index_candidate(const char *path, int k, kstring_t *ks)
{
    static const char *const ext[] = {".csi", ".bai", ".crai"};
    if (k >= 6)
        return NULL;
    ks->l = 0;
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (k < 3) {
        kputs(path, ks);
    } else {
        if (!dot || (slash && dot < slash))
            return "";
        kputsn(path, (int)(dot - path), ks);
    }
    kputs(ext[k % 3], ks);
    return ks->s ? ks->s : "";
}

/* A BAM or CRAM whose end-of-file marker is missing (a file cut short) is
 * refused (VW_EFORMAT, logged); other formats pass (0); unseekable inputs
 * return 1 (the stream must be checked at its end). */
static int check_eof(samFile *fp, const char *path)
{
    const htsFormat *fmt = hts_get_format(fp);
    if (fmt->format != bam && fmt->format != cram)
        return 0;
    int r = hts_check_EOF(fp);
    if (r == 2)
        return 1; /* unseekable: checked at the end */
    if (r == 0) {
        vw_error("%s: the %s end-of-file marker is missing: the file is cut short (its writer stopped before "
                 "the end?)", path, fmt->format == bam ? "BGZF" : "CRAM");
        return VW_EFORMAT;
    }
    return 0;
}

/* An index file of 'path' older than the file itself is refused
 * (VW_EINPUT, logged). */
static int check_index_age(const char *path)
{
    struct stat sd, si;
    if (strcmp(path, "-") == 0 || strstr(path, HTS_IDX_DELIM) || strstr(path, "://") || stat(path, &sd) != 0
        || !S_ISREG(sd.st_mode))
        return 0;
    kstring_t ks = {0, 0, NULL};
    int rc = 0;
    const char *ip;
    for (int k = 0; rc == 0 && (ip = index_candidate(path, k, &ks)) != NULL; k++) {
        if (!*ip || stat(ip, &si) != 0)
            continue;
        /* more than a second older: an index written on the fly (samtools sort --write-index) is saved
         * just before its file's last block, a few milliseconds older than the file */
        if (si.st_mtim.tv_sec + 1 < sd.st_mtim.tv_sec
            || (si.st_mtim.tv_sec + 1 == sd.st_mtim.tv_sec && si.st_mtim.tv_nsec < sd.st_mtim.tv_nsec)) {
            vw_error("%s: the index %s is older than the file (rewritten after indexing?); index it again "
                     "(samtools index), or use --stream", path, ip);
            rc = VW_EINPUT;
        }
    }
    free(ks.s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Open and close                                                      */

/* The checks and set-up between sam_open and the header.  Logs unless
 * 'quiet'. */
static int open_checks(vw_aln_t *a, const char *reference, int threads, unsigned flags)
{
    int quiet = (flags & VW_ALN_HEADER) != 0, rc;
    const htsFormat *fmt = hts_get_format(a->fp);
    a->format = fmt->format;
    if (fmt->category != sequence_data) {
        if (!quiet)
            vw_error("%s: not a BAM, CRAM or SAM file", a->path);
        return VW_EFORMAT;
    }
    if (fmt->format == cram && reference && hts_set_fai_filename(a->fp, reference) != 0) {
        if (!quiet)
            vw_error("%s: cannot use reference '%s' (no .fai index?)", a->path, reference);
        return VW_EINPUT;
    }
    if (quiet)
        return 0;
    /* standard input and pipes (a FIFO, a process substitution) have no index: streamed */
    struct stat st;
    a->stream = (flags & VW_ALN_STREAM) || strcmp(a->path, "-") == 0
                || (stat(a->path, &st) == 0 && !S_ISREG(st.st_mode));
    if ((rc = check_eof(a->fp, a->path)) < 0)
        return rc;
    a->eof_later = rc;
    if (!a->stream && (rc = check_index_age(a->path)) < 0)
        return rc;
    /* a BAM pipe is decompressed in the reading thread: only there does
     * htslib tell whether its last block was the end-of-file marker */
    int bgzf_threads = a->stream && (flags & VW_ALN_DECODER) ? threads - 2 : threads > 1 ? threads : 0;
    if (a->eof_later && fmt->format == bam)
        bgzf_threads = 0;
    if (bgzf_threads > 0 && hts_set_threads(a->fp, bgzf_threads) != 0)
        vw_warn("%s: could not start %d decompression threads", a->path, bgzf_threads);
    return 0;
}

int vw_aln_open(const char *path, const char *reference, int threads, unsigned flags, vw_aln_t **ret)
{
    int rc = 0;
    vw_aln_t *a = calloc(1, sizeof(*a));
    if (!a || !(a->path = vw_strdup(path))) {
        free(a);
        return -ENOMEM;
    }
    errno = 0;
    if (!(a->fp = sam_open(path, "r"))) {
        rc = errno ? -errno : VW_EFORMAT;
        if (!(flags & VW_ALN_HEADER))
            vw_error_code(rc, "%s: cannot open", path);
        goto out;
    }
    if ((rc = open_checks(a, reference, threads, flags)) < 0)
        goto out;
    if (!(a->h = sam_hdr_read(a->fp))) {
        if (!(flags & VW_ALN_HEADER))
            vw_error("%s: no valid header (truncated or not a BAM/CRAM/SAM file)", path);
        rc = VW_EFORMAT;
    }
out:
    if (rc < 0) {
        if (a->fp)
            hts_close(a->fp);
        free(a->path);
        free(a);
        return rc;
    }
    *ret = a;
    return 0;
}

int vw_aln_close(vw_aln_t *a, int rc)
{
    if (!a)
        return rc;
    if (a->h)
        sam_hdr_destroy(a->h);
    if (a->fp && hts_close(a->fp) != 0 && rc == 0) {
        vw_error("%s: error while closing (truncated file?)", a->path);
        rc = VW_EFORMAT;
    }
    free(a->path);
    free(a);
    return rc;
}

int vw_aln_index(vw_aln_t *a, const char *or_else, hts_idx_t **ret)
{
    hts_idx_t *idx = sam_index_load(a->fp, a->path);
    if (!idx) {
        vw_error("%s: no index (.bai/.csi/.crai) found; run 'samtools index %s'%s", a->path, a->path,
                 or_else ? or_else : "");
        return VW_EINPUT;
    }
    *ret = idx;
    return 0;
}

/* ------------------------------------------------------------------ */
/* What the header says                                                */

int vw_aln_check_build(const vw_aln_t *a, vw_build_t want, const char *what)
{
    vw_build_t fb = vw_build_detect(a->h, NULL);
    if (want == VW_BUILD_UNKNOWN || fb == VW_BUILD_UNKNOWN || fb == want)
        return 0;
    vw_error("%s: the header is %s (from @SQ lengths) but the %s are %s; use --build %s or %s of that build",
             a->path, vw_build_name(fb), what, vw_build_name(want), vw_build_name(fb), what);
    return VW_EBUILD;
}

/* Read group sample name, or NULL; *ret_several set when the read groups
 * name more than one sample (then said as an error when 'as_error', else
 * warned about). */
static char *header_sample(const vw_aln_t *a, int as_error, int *ret_several)
{
    sam_hdr_t *h = a->h;
    int n = sam_hdr_count_lines(h, "RG");
    kstring_t ks = {0, 0, NULL};
    char *first = NULL;
    for (int i = 0; i < n; i++) {
        ks.l = 0;
        if (sam_hdr_find_tag_pos(h, "RG", i, "SM", &ks) != 0)
            continue;
        if (!first) {
            first = vw_strdup(ks.s);
        } else if (strcmp(first, ks.s) != 0) {
            if (ret_several)
                *ret_several = 1;
            if (as_error)
                vw_error("%s: read groups name several samples ('%s', '%s'): one file per sample (samtools split)",
                         a->path, first, ks.s);
            else
                vw_warn("%s: read groups name several samples ('%s', '%s'); using '%s' for all reads", a->path,
                        first, ks.s, first);
            break;
        }
    }
    free(ks.s);
    return first;
}

static char *name_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *s = vw_strdup(strcmp(path, "-") == 0 ? "stdin" : base);
    if (!s)
        return NULL;
    static const char *exts[] = {".bam", ".cram", ".sam", ".sam.gz", NULL};
    size_t l = strlen(s);
    for (int i = 0; exts[i]; i++) {
        size_t k = strlen(exts[i]);
        if (l > k && strcmp(s + l - k, exts[i]) == 0) {
            s[l - k] = '\0';
            break;
        }
    }
    return s;
}

char *vw_aln_sample(const vw_aln_t *a, const char *given)
{
    char *s = given ? vw_strdup(given) : header_sample(a, 0, NULL);
    return s ? s : name_from_path(a->path);
}

int vw_aln_one_sample(const vw_aln_t *a)
{
    int several = 0;
    free(header_sample(a, 1, &several));
    return several ? VW_EINPUT : 0;
}

/* ------------------------------------------------------------------ */
/* The read loop                                                       */

int vw_aln_read_error(const vw_aln_t *a, int r, int64_t n_done, int through_index, const char *reference)
{
    if (a->format == cram && !reference)
        vw_error("%s: cannot decode CRAM record %lld: give the reference it was compressed against "
                 "(--reference FASTA)", a->path, (long long)n_done + 1);
    else if (a->format == sam)
        vw_error("%s: record %lld is not a valid SAM line (read error %d)", a->path, (long long)n_done + 1, r);
    else if (through_index)
        vw_error("%s: truncated or corrupt, or its index belongs to another file: a record the index points to "
                 "cannot be read (read error %d after %lld records); check the file and index it again",
                 a->path, r, (long long)n_done);
    else
        vw_error("%s: truncated or corrupt BAM/CRAM after %lld records (read error %d)", a->path,
                 (long long)n_done, r);
    return VW_EFORMAT;
}

int vw_aln_check_stream_end(const vw_aln_t *a, int64_t n_done)
{
    if (a->format == bam && !a->fp->fp.bgzf->last_block_eof) {
        /* a pipe cannot be checked before reading: its end must be the marker */
        vw_error("%s: the BGZF end-of-file marker is missing after %lld records: the input is cut short", a->path,
                 (long long)n_done);
        return VW_EFORMAT;
    }
    return 0;
}

/* Records are decoded AHEAD records ahead of the one handed on, so that a
 * caller can prefetch what each will need (the pending-mate table slot of
 * the counting engine) while the records before it are handled. */
#define AHEAD 16
_Static_assert((AHEAD & (AHEAD - 1)) == 0, "AHEAD: a power of two (ring indices are masked)");

/* What the index walk of a BAM knows of the records it has read on a
 * contig: every record starting at a virtual offset in [lo, hi) lies on
 * contig tid and ends at or before 'bound'.  A later span of that contig
 * starting at or after 'bound' has no read there that htslib's iterator
 * would hand on or stop at, so its chunks are read from hi on.  Spans a
 * few kb apart share an index tile, whose linear-index offset starts
 * every span's first chunk where the tile's first read is: without the
 * zone each span would read (and inflate) again the blocks the one before
 * it had read. */
typedef struct {
    int tid; /* -1: none */
    hts_pos_t bound;
    uint64_t lo, hi;
} zone_t;

typedef struct {
    vw_aln_t *a;
    const vw_aln_reader_t *rd;
    vw_aln_prepare_f prepare;
    /* rd's hooks and their argument, copied: one load each a record */
    int (*ahead)(void *ud, const bam1_t *b, uint64_t *word);
    int (*read)(void *ud, const bam1_t *b, int span, uint64_t word);
    void *ud;
    const char *reference;
    bam1_t *b[AHEAD];
    uint64_t w[AHEAD];
    unsigned in, out;      /* records taken in and handed on (free-running: slot = count & (AHEAD - 1)) */
    int have_pre, pre_skip; /* the record entering was prepared on the decoding thread: its result */
    uint64_t pre_w;
    int64_t n_reads;
    int last_tid;
    hts_pos_t last_pos;
    zone_t zone;
} walk_t;

static inline bam1_t *ring_slot(walk_t *k)
{
    return k->b[k->in & (AHEAD - 1)];
}

/* Hands the oldest record on. */
static int ring_pop(walk_t *k, int span)
{
    unsigned i = k->out++ & (AHEAD - 1);
    return k->read(k->ud, k->b[i], span, k->w[i]);
}

/* Takes the record just read into ring_slot().  Always inlined: left to
 * the compiler, the index loop (read_chunks) grew past its limit and the
 * call cost 13 instructions a record. */
static inline __attribute__((always_inline)) int ring_push(walk_t *k, int span)
{
    unsigned i = k->in & (AHEAD - 1);
    uint64_t w = 0;
    if (k->have_pre) {
        if (k->pre_skip)
            return 0;
        w = k->pre_w;
    } else if (k->prepare && k->prepare(k->ud, k->b[i], &w)) {
        return 0;
    }
    if (k->ahead && k->ahead(k->ud, k->b[i], &w))
        return 0;
    k->w[i] = w;
    return ++k->in - k->out == AHEAD ? ring_pop(k, span) : 0;
}

static int ring_drain(walk_t *k, int ret, int span)
{
    while (ret >= 0 && k->in != k->out)
        ret = ring_pop(k, span);
    k->out = k->in;
    return ret;
}

/* One streamed record: returns 1 to stop (unplaced reads reached), 0 to go
 * on, < 0 on error. */
static int stream_take(walk_t *k)
{
    const bam1_t *b = ring_slot(k);
    const bam1_core_t *c = &b->core;
    k->n_reads++;
    if (c->tid < 0)
        return 1; /* unplaced unmapped reads come last */
    if (c->tid < k->last_tid || (c->tid == k->last_tid && c->pos < k->last_pos)) {
        vw_error("%s: not sorted by coordinate (record %lld, %s at %s:%lld); run samtools sort", k->a->path,
                 (long long)k->n_reads, bam_get_qname(b), sam_hdr_tid2name(k->a->h, c->tid),
                 (long long)c->pos + 1);
        return VW_EFORMAT;
    }
    k->last_tid = c->tid;
    k->last_pos = c->pos;
    return ring_push(k, -1);
}

/* Ends a stream stopped by 'stop' (1: unplaced reads reached, < 0: an
 * error) after read result r: the records still in the window are handed
 * on, then a read error or a missing end-of-file marker is reported unless
 * the stream stopped at the unplaced reads before its end (the decoding
 * thread then reports r -1 too: the marker is not checked there). */
static int stream_end(walk_t *k, int stop, int r)
{
    int ret = ring_drain(k, stop, -1);
    if (ret < 0)
        return ret;
    if (stop == 0 && r < -1)
        return vw_aln_read_error(k->a, r, k->n_reads, 0, k->reference);
    if (stop == 0 && r == -1 && (ret = vw_aln_check_stream_end(k->a, k->n_reads)) < 0)
        return ret;
    return k->rd->span_end ? k->rd->span_end(k->rd->ud, -1) : 0;
}

static int walk_stream(walk_t *k)
{
    int r, ret = 0;
    while ((r = vw_aln_read1(k->a->fp, k->a->h, ring_slot(k))) >= 0)
        if ((ret = stream_take(k)) != 0)
            break;
    return stream_end(k, ret, r);
}

/* Streaming with a decoding thread: one thread reads and decodes records
 * into batches while this one hands them on.  Batches travel through a
 * ring of N_BATCH; the decoder stops at the end of the file, at a read
 * error (kept for the walk to report after the records before it), at the
 * first unplaced read, or when the walk asks it to.
 *
 * Hand-offs are coarse: a thread that finds nothing to do sleeps until
 * WAKE batches are ready for it (the counting thread: WAKE full batches, or
 * the last one; the decoder: WAKE free ones), and is woken only then, by a
 * signal the other thread sends only when it sleeps.  Waking the other
 * thread on every batch cost a futex call each time and, on a busy
 * machine, a preemption of the waking thread by the woken one.
 *
 * The two threads are balanced by the reader's 'prepare' hook (for the
 * counting engine: the filters and the name's hash): the decoder runs it on
 * a batch when it starts the batch with more than N_BATCH / 2 batches
 * waiting (the hooks' thread is the slower one: a faster one takes the
 * batches when WAKE = N_BATCH / 2 are full), else leaves it to the hooks'
 * thread.  Which thread runs it changes no result (the hook only reads
 * what the walk does not change). */
#define BATCH 256
#define N_BATCH 8
#define WAKE (N_BATCH / 2)

typedef struct {
    bam1_t *b[BATCH];
    uint64_t w[BATCH];   /* prepared: prepare's word */
    unsigned char skip[BATCH];
    int n;
    int prepared;        /* 1: the decoder ran 'prepare' on every record */
    int r; /* after the last record: 0 more to come, -1 end of file, < -1 read error */
} batch_t;

typedef struct {
    samFile *fp;
    sam_hdr_t *h;
    vw_aln_prepare_f prepare;
    const void *ud;
    int64_t n_prepared;  /* batches the decoder prepared (for the debug log) */
    int64_t n_wait[2];   /* times the decoder [0] and the walk [1] slept (for the debug log) */
    double cpu;          /* the decoding thread's CPU seconds (for the debug log) */
    batch_t bt[N_BATCH];
    int n_full, wr, rd; /* full batches, next to fill, next to hand on */
    int last;           /* the decoder filled its last batch */
    int stop;
    int sleeping[2];    /* the decoder [0], the walk [1] waits on cv[i] */
    pthread_mutex_t lock;
    pthread_cond_t cv[2];
} decoder_t;

static double thread_cpu(void)
{
    struct timespec ts;
    return clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 ? (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec : 0;
}

/* Fills batch t from the file (prepared or not). */
static void decoder_fill(decoder_t *d, batch_t *t)
{
    t->n = 0;
    t->r = 0;
    while (t->n < BATCH) {
        bam1_t *b = t->b[t->n];
        int r = vw_aln_read1(d->fp, d->h, b);
        if (r < 0) {
            t->r = r;
            break;
        }
        if (t->prepared) {
            t->w[t->n] = 0;
            t->skip[t->n] = b->core.tid >= 0 && d->prepare(d->ud, b, &t->w[t->n]);
        }
        t->n++;
        if (b->core.tid < 0) {
            t->r = -1; /* unplaced reads: the walk stops at this one */
            break;
        }
    }
}

static void *decoder_main(void *arg)
{
    decoder_t *d = arg;
    for (int done = 0; !done;) {
        pthread_mutex_lock(&d->lock);
        if (d->n_full == N_BATCH && !d->stop) {
            d->n_wait[0]++;
            d->sleeping[0] = 1;
            while (d->n_full > N_BATCH - WAKE && !d->stop)
                pthread_cond_wait(&d->cv[0], &d->lock);
            d->sleeping[0] = 0;
        }
        int stop = d->stop;
        batch_t *t = &d->bt[d->wr];
        t->prepared = d->prepare && d->n_full > N_BATCH / 2;
        pthread_mutex_unlock(&d->lock);
        if (stop)
            break;
        d->n_prepared += t->prepared;
        decoder_fill(d, t);
        done = t->r != 0;
        pthread_mutex_lock(&d->lock);
        d->wr = (d->wr + 1) % N_BATCH;
        d->n_full++;
        d->last = done;
        int wake = d->sleeping[1] && (d->n_full >= WAKE || done);
        pthread_mutex_unlock(&d->lock);
        if (wake) /* after the unlock: the woken thread finds the lock free */
            pthread_cond_signal(&d->cv[1]);
    }
    d->cpu = thread_cpu();
    return NULL;
}

static void decoder_free(decoder_t *d)
{
    for (int i = 0; i < N_BATCH; i++)
        for (int j = 0; j < BATCH; j++)
            bam_destroy1(d->bt[i].b[j]);
    free(d);
}

/* Hands on the batches of a running decoder; returns the stop code of
 * stream_take and sets *ret_r to the last batch's read result. */
static int decoder_consume(walk_t *k, decoder_t *d, int *ret_r)
{
    int ret = 0, r = 0;
    for (;;) {
        pthread_mutex_lock(&d->lock);
        if (d->n_full == 0) {
            d->n_wait[1]++;
            d->sleeping[1] = 1;
            while (d->n_full < WAKE && !d->last)
                pthread_cond_wait(&d->cv[1], &d->lock);
            d->sleeping[1] = 0;
        }
        batch_t *t = &d->bt[d->rd];
        pthread_mutex_unlock(&d->lock);
        for (int i = 0; i < t->n && ret == 0; i++) {
            /* swap the decoded record into the ring's free slot */
            bam1_t **slot = &k->b[k->in & (AHEAD - 1)], *tmp = *slot;
            *slot = t->b[i];
            t->b[i] = tmp;
            k->have_pre = t->prepared;
            k->pre_skip = t->skip[i];
            k->pre_w = t->w[i];
            ret = stream_take(k);
        }
        k->have_pre = 0;
        r = t->r;
        pthread_mutex_lock(&d->lock);
        d->rd = (d->rd + 1) % N_BATCH;
        d->n_full--;
        if (ret != 0)
            d->stop = 1;
        int wake = d->sleeping[0] && (d->n_full <= N_BATCH - WAKE || d->stop);
        pthread_mutex_unlock(&d->lock);
        if (wake)
            pthread_cond_signal(&d->cv[0]);
        if (ret != 0 || r != 0)
            break;
    }
    *ret_r = r;
    return ret;
}

static int walk_stream_mt(walk_t *k)
{
    decoder_t *d = calloc(1, sizeof(*d));
    int ret = 0, r = 0;
    if (!d)
        return -ENOMEM;
    d->fp = k->a->fp;
    d->h = k->a->h;
    d->prepare = k->prepare;
    d->ud = k->rd->ud;
    for (int i = 0; i < N_BATCH; i++)
        for (int j = 0; j < BATCH; j++)
            if (!(d->bt[i].b[j] = bam_init1()))
                ret = -ENOMEM;
    pthread_t th;
    if (ret == 0 && (pthread_mutex_init(&d->lock, NULL) != 0 || pthread_cond_init(&d->cv[0], NULL) != 0
                     || pthread_cond_init(&d->cv[1], NULL) != 0 || pthread_create(&th, NULL, decoder_main, d) != 0))
        ret = -ENOMEM; /* (never on Linux but for resources: not worth a separate message) */
    if (ret < 0) {
        decoder_free(d);
        return ret;
    }
    double cpu0 = thread_cpu();
    ret = decoder_consume(k, d, &r);
    double cpu1 = thread_cpu();
    pthread_join(th, NULL);
    vw_debug("%s: decoding thread %.3f s CPU, counting thread %.3f s CPU; the decoder prepared %lld batches "
             "of %d records; the decoder waited %lld times, the counting thread %lld", k->a->path, d->cpu,
             cpu1 - cpu0, (long long)d->n_prepared, BATCH, (long long)d->n_wait[0], (long long)d->n_wait[1]);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->cv[0]);
    pthread_cond_destroy(&d->cv[1]);
    decoder_free(d);
    return stream_end(k, ret, r);
}

/* The end of a read as htslib's iterator tests it: bam_endpos() (an
 * unmapped read, or one whose CIGAR consumes no reference, covers one
 * base), with the mapped one-operation CIGAR, the usual read, taking no
 * call. */
static inline hts_pos_t read_end(const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    if (c->n_cigar == 1 && !(c->flag & BAM_FUNMAP)) {
        uint32_t op = bam_get_cigar(b)[0];
        hts_pos_t rlen = bam_cigar_type(bam_cigar_op(op)) & 2 ? bam_cigar_oplen(op) : 0;
        return c->pos + (rlen > 0 ? rlen : 1);
    }
    return bam_endpos(b);
}

/* Moves the reader of 'fp' to virtual offset 'voff'.  bgzf_seek() always
 * drops the block it has loaded, so a chunk starting in that very block
 * (the next span's, on the same or the next contig, usually does) would
 * inflate it a second time: when the block is still loaded, whole, and
 * the reader is single-threaded, only the offset inside it moves (the file
 * itself is already past the block, where the next block load expects
 * it).  Returns 0 or -2 (htslib's read error code for a failed seek). */
static int seek_chunk(BGZF *fp, uint64_t voff)
{
    int64_t addr = (int64_t)(voff >> 16);
    int in_block = (int)(voff & 0xffff);
    if (!fp->mt && fp->block_length > 0 && fp->block_address == addr && in_block < fp->block_length) {
        fp->block_offset = in_block;
        return 0;
    }
    return bgzf_seek(fp, (int64_t)voff, SEEK_SET) < 0 ? -2 : 0;
}

/* The first chunk of 'itr' to read and, in *from, where to start it: past
 * the zone when the span may use it (on its contig, at or after its
 * bound, its first chunk starting inside it), else at the first chunk,
 * where a new zone starts.  Returns the chunk's index (n_off: nothing to
 * read). */
static int zone_start(zone_t *z, const hts_itr_t *itr, uint64_t *from)
{
    int i = 0;
    *from = itr->off[0].u;
    if (z->tid == itr->tid && itr->beg >= z->bound && z->lo <= *from && *from <= z->hi) {
        while (i < itr->n_off && itr->off[i].v <= z->hi)
            i++;
        if (i == itr->n_off)
            return i;
        if (itr->off[i].u <= z->hi) {
            *from = z->hi;
            return i; /* the zone grows on from hi */
        }
        *from = itr->off[i].u;
    }
    *z = (zone_t){itr->tid, 0, *from, *from};
    return i;
}

/* The reads of span s of a BAM through the chunks of its index query
 * 'itr', with the tests of htslib's iterator (hts_itr_next, htslib 1.16)
 * but without its per-record overhead: a chunk is read from its start
 * (sought unless it follows on from the one before) to its end virtual
 * offset; the query stops at a read on another contig or at or past the
 * span's end; a read ending at or before the span's start is skipped (its
 * end is needed only when it starts before the span).  The record check of
 * sam_read1 (contig ids within the header: else -3) is kept.  The part of
 * the chunks inside the walk's zone is not read again; 'next_beg' (-1:
 * none) is the start of the next span when it is on the same contig: the
 * zone grows while the reads end at or before it.  Returns the last read
 * result (-1: the span is done, < -1: read error) and sets *ret to a
 * hook's negative code. */
static int read_chunks(walk_t *k, const hts_itr_t *itr, int s, hts_pos_t next_beg, int *ret)
{
    BGZF *fp = k->a->fp->fp.bgzf;
    zone_t *z = &k->zone;
    const uint32_t n_targets = (uint32_t)k->a->h->n_targets;
    const int tid = itr->tid;
    const hts_pos_t beg = itr->beg, end = itr->end;
    if (itr->finished)
        return -1;
    uint64_t from;
    int grow = next_beg >= 0;
    const int first = zone_start(z, itr, &from);
    if (grow && next_beg > z->bound)
        z->bound = next_beg; /* (before any record is taken: a bound too high only keeps spans out) */
    for (int i = first; i < itr->n_off; i++) {
        if (i == first || itr->off[i - 1].v != itr->off[i].u) {
            uint64_t to = i == first ? from : itr->off[i].u;
            grow &= to == z->hi; /* (a jump: the zone no longer follows the reads) */
            if (seek_chunk(fp, to) < 0)
                return -2;
        }
        do {
            bam1_t *b = ring_slot(k);
            const bam1_core_t *c = &b->core;
            int r = vw_aln_bam_read1(fp, b);
            if (r < 0)
                return r;
            /* tid and mtid in [-1, n_targets): two unsigned tests */
            if ((uint32_t)c->tid + 1 > n_targets || (uint32_t)c->mtid + 1 > n_targets)
                return -3;
            if (grow) { /* the zone takes the record, or grows no more in this span */
                if ((grow = c->tid == tid && read_end(b) <= next_beg))
                    z->hi = (uint64_t)bgzf_tell(fp);
            }
            if (c->tid != tid || c->pos >= end)
                return -1;
            if (c->pos < beg && read_end(b) <= beg)
                continue;
            k->n_reads++;
            if ((*ret = ring_push(k, s)) < 0)
                return -1;
        } while ((uint64_t)bgzf_tell(fp) < itr->off[i].v);
    }
    return -1;
}

static int walk_index(walk_t *k, hts_idx_t *idx, const vw_aln_span_t *sp, int n_sp)
{
    /* CRAM and SAM text keep htslib's iterator */
    int own = k->a->format == bam, r = -1, ret = 0;
    for (int s = 0; s < n_sp && ret >= 0; s++) {
        hts_itr_t *itr = sam_itr_queryi(idx, sp[s].tid, sp[s].beg, sp[s].end);
        if (!itr) {
            vw_error("%s: cannot query region %s:%lld-%lld", k->a->path, sam_hdr_tid2name(k->a->h, sp[s].tid),
                     (long long)sp[s].beg + 1, (long long)sp[s].end);
            return VW_EFORMAT;
        }
        if (own && !itr->read_rest && !itr->multi) {
            hts_pos_t next_beg = s + 1 < n_sp && sp[s + 1].tid == sp[s].tid ? sp[s + 1].beg : -1;
            r = read_chunks(k, itr, s, next_beg, &ret);
        } else {
            while ((r = sam_itr_next(k->a->fp, itr, ring_slot(k))) >= 0) {
                k->n_reads++;
                if ((ret = ring_push(k, s)) < 0)
                    break;
            }
        }
        ret = ring_drain(k, ret, s);
        hts_itr_destroy(itr);
        if (ret < 0)
            return ret;
        if (r < -1)
            return vw_aln_read_error(k->a, r, k->n_reads, 1, k->reference);
        if (k->rd->span_end)
            ret = k->rd->span_end(k->rd->ud, s);
    }
    return ret < 0 ? ret : 0;
}

int vw_aln_walk(vw_aln_t *a, hts_idx_t *idx, const vw_aln_span_t *spans, int n, const char *reference,
                const vw_aln_reader_t *rd, int64_t *ret_n)
{
    return vw_aln_walk_prep(a, idx, spans, n, reference, rd, NULL, ret_n);
}

int vw_aln_walk_prep(vw_aln_t *a, hts_idx_t *idx, const vw_aln_span_t *spans, int n, const char *reference,
                     const vw_aln_reader_t *rd, vw_aln_prepare_f prepare, int64_t *ret_n)
{
    walk_t k;
    memset(&k, 0, sizeof(k));
    k.a = a;
    k.rd = rd;
    k.prepare = prepare;
    k.ahead = rd->ahead;
    k.read = rd->read;
    k.ud = rd->ud;
    k.reference = reference;
    k.last_tid = -1;
    k.last_pos = -1;
    k.zone.tid = -1;
    int rc = 0;
    for (int i = 0; i < AHEAD; i++)
        if (!(k.b[i] = bam_init1()))
            rc = -ENOMEM;
    if (rc == 0) {
        if (!a->stream)
            rc = walk_index(&k, idx, spans, n);
        else
            rc = rd->decoder ? walk_stream_mt(&k) : walk_stream(&k);
    }
    for (int i = 0; i < AHEAD; i++)
        bam_destroy1(k.b[i]);
    if (ret_n)
        *ret_n = k.n_reads;
    return rc;
}
