/* fuzz_count_sam.c -- the counting path: the fuzz input is SAM records
 * after a fixed header (one 200 bp contig, two read groups), counted in
 * stream mode at an SNV, an MNV, a deletion and an insertion, in fragment
 * and read units, and in fragments with the pending-mate table bounded at
 * two reads (the others wait in temporary files). */
#include "vafwatch/count.h"
#include "fuzz_util.h"

static vw_targets_t *ts;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!ts) {
        static const char tsv[] = "chrom\tpos\tref\talt\n"
                                  "sim1\t20\tA\tC\n"
                                  "sim1\t30\tAC\tGT\n"
                                  "sim1\t40\tATT\tA\n"
                                  "sim1\t50\tA\tAGG\n";
        ts = fz_targets(tsv);
    }
    static const char hdr[] = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:200\n"
                              "@RG\tID:a\tSM:s1\n@RG\tID:b\tSM:s1\n";
    const char *path = fz_write("in.sam", hdr, data, n);
    for (int unit = 0; unit < 3; unit++) {
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.stream = 1;
        opt.min_mq = 0;
        opt.min_bq = 0;
        opt.unit = unit == 1 ? VW_UNIT_READ : VW_UNIT_FRAGMENT;
        if (unit == 2)
            opt.mate_buffer = 2;
        vw_sample_counts_t *res = NULL;
        if (vw_count_file(path, NULL, ts, &opt, &res) == 0) {
            for (int i = 0; i < res->n; i++) {
                const vw_count_t *c = &res->c[i];
                if (c->depth != c->ref + c->alt + c->other || c->ref < 0 || c->alt < 0 || c->other < 0)
                    abort(); /* the documented identity of a count */
                (void)vw_fraglen_median(c->fl_ref);
            }
            vw_sample_counts_destroy(res);
        }
    }
    return 0;
}
