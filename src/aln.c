/* aln.c -- opening and walking an alignment file (see aln.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    int bgzf_threads = a->stream && (flags & VW_ALN_DECODER) ? threads - 2 : threads;
    if (a->eof_later && fmt->format == bam)
        bgzf_threads = 0;
    if (bgzf_threads > 1 && hts_set_threads(a->fp, bgzf_threads) != 0)
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

static int walk_stream(vw_aln_t *a, bam1_t *b, const char *reference, vw_aln_read_fn fn, void *ud, int64_t *n)
{
    int r, ret = 0, last_tid = -1;
    hts_pos_t last_pos = -1;
    while ((r = sam_read1(a->fp, a->h, b)) >= 0) {
        ++*n;
        const bam1_core_t *c = &b->core;
        if (c->tid < 0)
            return 0; /* unplaced unmapped reads come last */
        if (c->tid < last_tid || (c->tid == last_tid && c->pos < last_pos)) {
            vw_error("%s: not sorted by coordinate (record %lld, %s at %s:%lld); run samtools sort", a->path,
                     (long long)*n, bam_get_qname(b), sam_hdr_tid2name(a->h, c->tid), (long long)c->pos + 1);
            return VW_EFORMAT;
        }
        last_tid = c->tid;
        last_pos = c->pos;
        if ((ret = fn(ud, b, -1)) < 0)
            return ret;
    }
    if (r < -1)
        return vw_aln_read_error(a, r, *n, 0, reference);
    return vw_aln_check_stream_end(a, *n);
}

static int walk_index(vw_aln_t *a, hts_idx_t *idx, const vw_aln_span_t *sp, int n_sp, bam1_t *b,
                      const char *reference, vw_aln_read_fn fn, void *ud, int64_t *n)
{
    int r, ret;
    for (int k = 0; k < n_sp; k++) {
        hts_itr_t *itr = sam_itr_queryi(idx, sp[k].tid, sp[k].beg, sp[k].end);
        if (!itr) {
            vw_error("%s: cannot query region %s:%lld-%lld", a->path, sam_hdr_tid2name(a->h, sp[k].tid),
                     (long long)sp[k].beg + 1, (long long)sp[k].end);
            return VW_EFORMAT;
        }
        ret = 0;
        while ((r = sam_itr_next(a->fp, itr, b)) >= 0) {
            ++*n;
            if ((ret = fn(ud, b, k)) < 0)
                break;
        }
        hts_itr_destroy(itr);
        if (ret < 0)
            return ret;
        if (r < -1)
            return vw_aln_read_error(a, r, *n, 1, reference);
    }
    return 0;
}

int vw_aln_walk(vw_aln_t *a, hts_idx_t *idx, const vw_aln_span_t *spans, int n, const char *reference,
                vw_aln_read_fn fn, void *ud, int64_t *ret_n)
{
    int64_t n_reads = 0;
    bam1_t *b = bam_init1();
    if (!b)
        return -ENOMEM;
    int rc = a->stream ? walk_stream(a, b, reference, fn, ud, &n_reads)
                       : walk_index(a, idx, spans, n, b, reference, fn, ud, &n_reads);
    bam_destroy1(b);
    if (ret_n)
        *ret_n = n_reads;
    return rc;
}
