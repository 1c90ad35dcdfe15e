/* fuzz_count_index.c -- the indexed counting path: the fuzz input is SAM
 * records after a fixed header (one 300 bp contig); when they make a
 * sorted BAM, it is indexed and counted through the index with the self
 * background measured in the counting pass.  The counts must equal those
 * of --stream, and the self background that of its own pass
 * (vw_count_self_bg). */
#include <htslib/sam.h>

#include "vafwatch/count.h"
#include "fuzz_util.h"

static vw_targets_t *ts;

/* in.sam -> in.bam + in.bam.bai; 0 when the records make a sorted BAM */
static int to_bam(const char *sam, const char *bam)
{
    samFile *in = sam_open(sam, "r"), *out = NULL;
    sam_hdr_t *h = in ? sam_hdr_read(in) : NULL;
    bam1_t *b = bam_init1();
    int rc = -1, r;
    if (!h || !b || !(out = sam_open(bam, "wb")) || sam_hdr_write(out, h) != 0)
        goto out;
    int64_t last = -1; /* (tid << 32 | pos) of the last record: unsorted input is not indexed (htslib 1.16's
                        * sam_index_build leaks the header when it refuses one) */
    int sorted = 1;
    while ((r = sam_read1(in, h, b)) >= 0) {
        int64_t key = b->core.tid < 0 ? INT64_MAX : ((int64_t)b->core.tid << 32) | (b->core.pos & 0xffffffff);
        if (key < last || (b->core.tid >= 0 && (b->core.pos < 0 || b->core.pos > 0xffffffffLL)))
            sorted = 0;
        last = key;
        if (sam_write1(out, h, b) < 0)
            goto out;
    }
    rc = r == -1 && sorted ? 0 : -1;
out:
    bam_destroy1(b);
    sam_hdr_destroy(h);
    if (in)
        sam_close(in);
    if (out && sam_close(out) != 0)
        rc = -1;
    if (rc == 0 && sam_index_build(bam, 0) != 0)
        rc = -1;
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!ts) {
        static const char tsv[] = "chrom\tpos\tref\talt\n"
                                  "sim1\t60\tA\tC\n"
                                  "sim1\t100\tAC\tGT\n"
                                  "sim1\t140\tATT\tA\n"
                                  "sim1\t200\tA\tAGG\n";
        ts = fz_targets(tsv);
        vw_targets_sort_unique(ts);
    }
    static const char hdr[] = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:300\n";
    char sam[128], bam[128];
    snprintf(sam, sizeof sam, "%s", fz_write("in.sam", hdr, data, n));
    snprintf(bam, sizeof bam, "%s/in.bam", fz_dir);
    if (to_bam(sam, bam) != 0)
        return 0;
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    opt.min_mq = 0;
    opt.min_bq = 10;
    opt.self_flank = 20;
    vw_sample_counts_t *ix = NULL, *st = NULL;
    int r1 = vw_count_file(bam, "x", ts, &opt, &ix);
    opt.stream = 1;
    int r2 = vw_count_file(bam, "x", ts, &opt, &st);
    if ((r1 == 0) != (r2 == 0))
        abort(); /* the same file is good or bad either way */
    if (r1 == 0) {
        for (int i = 0; i < ts->n; i++) {
            const vw_count_t *a = &ix->c[i], *b = &st->c[i];
            if (a->depth != b->depth || a->ref != b->ref || a->alt != b->alt || a->other != b->other
                || a->discordant != b->discordant || a->depth != a->ref + a->alt + a->other)
                abort(); /* through the index as streamed */
        }
        vw_selfbg_t sep;
        opt.stream = 0;
        if (!ix->have_self || vw_count_self_bg(bam, ts, &opt, 20, &sep) != 0 || sep.n_pos != ix->self.n_pos)
            abort();
        for (int k = 0; k < VW_N_SUB; k++)
            if (sep.n[k] != ix->self.n[k] || sep.x[k] != ix->self.x[k] || sep.x[k] > sep.n[k])
                abort(); /* the counting pass's self background is its own pass's */
    }
    vw_sample_counts_destroy(ix);
    vw_sample_counts_destroy(st);
    return 0;
}
