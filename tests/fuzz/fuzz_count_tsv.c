/* fuzz_count_tsv.c -- the evidence-table reader (vw_count_read_tsv(), with
 * its '#self_background' lines of 16 or 34 fields): the fuzz input follows
 * a fixed header; what is accepted is written back and must read again to
 * the same samples, self backgrounds included. */
#include "vafwatch/count.h"
#include "fuzz_util.h"

static vw_targets_t *ts;

static void free_all(vw_sample_counts_t **v, int n)
{
    for (int i = 0; i < n; i++)
        vw_sample_counts_destroy(v[i]);
    free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!ts) {
        static const char tsv[] = "chrom\tpos\tref\talt\tid\n"
                                  "sim1\t101\tC\tT\tsnv\n"
                                  "sim1\t120\tAC\tGT\tmnv\n";
        ts = fz_targets(tsv);
    }
    static const char hdr[] = "#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count"
                              "\talt_count\tother_count\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev"
                              "\talt_mean_bq\talt_mean_mq\tref_median_fraglen\talt_median_fraglen\n";
    const char *path = fz_write("ev.tsv", hdr, data, n);
    vw_sample_counts_t **v = NULL;
    int nv = 0;
    if (vw_count_read_tsv(path, ts, &v, &nv, NULL) != 0)
        return 0;
    char p2[128];
    snprintf(p2, sizeof p2, "%s/ev2.tsv", fz_dir);
    FILE *fp = fopen(p2, "w");
    if (!fp || vw_count_write_tsv(fp, ts, v, nv) != 0)
        abort();
    fclose(fp);
    vw_sample_counts_t **w = NULL;
    int nw = 0;
    if (vw_count_read_tsv(p2, ts, &w, &nw, NULL) != 0 || nw != nv)
        abort(); /* a table we wrote must read back whole */
    for (int i = 0; i < nv; i++)
        if (w[i]->have_self != v[i]->have_self || w[i]->self.have_disp != v[i]->self.have_disp ||
            (v[i]->have_self && memcmp(w[i]->self.x, v[i]->self.x, sizeof(v[i]->self.x)) != 0))
            abort();
    free_all(v, nv);
    free_all(w, nw);
    return 0;
}
