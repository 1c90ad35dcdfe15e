/* fuzz_region.c -- vw_region_parse() on an arbitrary -r/--region argument
 * (the input up to its first NUL), the same bytes as an -R/--regions-file
 * BED (vw_cnv_regions_load_bed, every line a region), and the overlap of
 * what was read with a fixed set of three targets. */
#include "vafwatch/region.h"
#include "fuzz_util.h"

static void filter(const vw_cnv_regions_t *rs)
{
    static const char tsv[] = "chrom\tpos\tref\talt\nchr7\t100\tA\tC\nchr7\t200\tACG\tA\n12\t50\tG\tT\n";
    char path[128];
    snprintf(path, sizeof path, "%s", fz_write("t.tsv", tsv, NULL, 0));
    vw_targets_t *ts = vw_targets_init();
    int n_keep;
    if (!ts)
        return;
    if (vw_targets_load(ts, path, NULL) != 0 || ts->n != 3)
        abort(); /* the fixed targets are valid */
    if (vw_region_filter_targets(ts, rs, &n_keep) == 0 && (n_keep < 0 || n_keep > 3 || ts->n != (n_keep ? n_keep : 3)))
        abort();
    vw_targets_destroy(ts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    char *s = malloc(n + 1);
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    if (s && rs) {
        memcpy(s, data, n);
        s[n] = '\0';
        if (vw_region_parse(s, rs) == 0)
            filter(rs);
    }
    vw_cnv_regions_destroy(rs);
    free(s);
    rs = vw_cnv_regions_init();
    if (rs && vw_cnv_regions_load_bed(rs, fz_write("r.bed", NULL, data, n), 1) == 0)
        filter(rs);
    vw_cnv_regions_destroy(rs);
    return 0;
}
