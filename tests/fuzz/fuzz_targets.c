/* fuzz_targets.c -- vw_targets_load() on TSV, BED or VCF text.  The format
 * is chosen at build time: -DFZ_EXT=".tsv" / ".bed" / ".vcf".  BED needs a
 * reference: a small FASTA with contigs sim1 (200 bp) and chr7 is written
 * once. */
#include <htslib/faidx.h>

#include "vafwatch/catalogue.h"
#include "fuzz_util.h"

static faidx_t *fai;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!fai) {
        static const uint8_t fa[] =
            ">sim1\nACGTACGTTTGACCATGCAAAAAAAAGTGTGTGTGTCCGATCGATCGGGGAAATTTCCCGGGAAATTTCACGTACGTACG\n"
            "TTTTACGATCGATCGACTAGCTAGCTAGCATCGACTACGACTAGCAGCGCGCGATATATATACGAGCATCGACTACGACT\n"
            "ACGATCGACTAGCATCGACGATCGACTAGCATCGACTACG\n>chr7\nACGTNNNNACGTAAACCCGGGTTT\n";
        char fpath[128];
        snprintf(fpath, sizeof fpath, "%s", fz_write("ref.fa", NULL, fa, sizeof fa - 1));
        if (fai_build(fpath) < 0 || !(fai = fai_load(fpath)))
            abort();
    }
    const char *path = fz_write("targets" FZ_EXT, NULL, data, n);
    vw_targets_t *ts = vw_targets_init();
    if (!ts)
        return 0;
    if (vw_targets_load(ts, path, fai) == 0) {
        int r = vw_targets_check_ref(ts, fai, "ref.fa");
        (void)r;
        vw_targets_sort_unique(ts);
        FILE *null = fopen("/dev/null", "r+"); /* never create it */
        if (null) {
            int w = vw_targets_write_tsv(null, ts);
            (void)w;
            fclose(null);
        }
    }
    vw_targets_destroy(ts);
    return 0;
}
