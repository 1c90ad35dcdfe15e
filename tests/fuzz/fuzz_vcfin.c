/* fuzz_vcfin.c -- vw_vcfin_read() on arbitrary VCF text, against a fixed
 * target set (an SNV, an MNV, a deletion and an insertion on chr1). */
#include "vafwatch/vcfin.h"
#include "fuzz_util.h"

static vw_targets_t *ts;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!ts) {
        static const char tsv[] = "chrom\tpos\tref\talt\n"
                                  "chr1\t100\tA\tC\n"
                                  "chr1\t200\tAC\tGT\n"
                                  "chr1\t300\tATT\tA\n"
                                  "chr1\t400\tA\tAGG\n";
        ts = fz_targets(tsv);
    }
    const char *path = fz_write("in.vcf", NULL, data, n);
    vw_sample_counts_t **res = NULL;
    int n_res = 0;
    if (vw_vcfin_read(path, ts, NULL, &res, &n_res) == 0) {
        FILE *null = fopen("/dev/null", "r+"); /* never create it */
        if (null) {
            int w = vw_count_write_tsv(null, ts, res, n_res);
            (void)w;
            fclose(null);
        }
        for (int i = 0; i < n_res; i++)
            vw_sample_counts_destroy(res[i]);
        free(res);
    }
    return 0;
}
