/* fuzz_region.c -- vw_region_parse() on an arbitrary -r/--region argument
 * (the input up to its first NUL), the same bytes as an -R/--regions-file
 * BED when they hold a tab (vw_cnv_regions_load_bed, every line a region),
 * and the overlap of what was read with a fixed set of three targets. */
#include "vafwatch/region.h"
#include "fuzz_util.h"

static vw_targets_t *ts; /* loaded once: the harness stays fast */

static void mark(const vw_cnv_regions_t *rs)
{
    uint8_t keep[3];
    int n = vw_region_mark_targets(ts, rs, keep);
    if (n < 0 || n > 3 || n != keep[0] + keep[1] + keep[2])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!ts) {
        static const char tsv[] = "chrom\tpos\tref\talt\nchr7\t100\tA\tC\nchr7\t200\tACG\tA\n12\t50\tG\tT\n";
        if ((ts = fz_targets(tsv))->n != 3)
            abort();
    }
    char *s = malloc(n + 1);
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    if (s && rs) {
        memcpy(s, data, n);
        s[n] = '\0';
        if (vw_region_parse(s, rs) == 0)
            mark(rs);
    }
    vw_cnv_regions_destroy(rs);
    free(s);
    /* as a BED (a text without a tab is refused at once: not worth a file) */
    rs = memchr(data, '\t', n) ? vw_cnv_regions_init() : NULL;
    if (rs && vw_cnv_regions_load_bed(rs, fz_write("r.bed", NULL, data, n), 1) == 0)
        mark(rs);
    vw_cnv_regions_destroy(rs);
    return 0;
}
