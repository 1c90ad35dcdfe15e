/* fuzz_evidence.c -- the evidence-table reader (the format 'count' writes
 * and the count cache of 'run' holds) on arbitrary text.  The targets are
 * the table's own rows (as 'call' takes them from tables alone).  What the
 * reader accepts is written back and must read back to the same samples
 * and counts; each sample also goes through the cache writer and reader,
 * which must take it back whole under its key, and refuse it under
 * another key or cut short by one line. */
#include "vafwatch/count.h"
#include "fuzz_util.h"

static void same_counts(const vw_sample_counts_t *a, const vw_sample_counts_t *b)
{
    if (a->n != b->n || strcmp(a->sample, b->sample) != 0 || a->have_self != b->have_self)
        abort();
    if (a->unit != b->unit || (a->unit == VW_UNIT_MOLECULE && (a->min_family != b->min_family
                                                               || a->duplex_only != b->duplex_only)))
        abort(); /* the '#count_unit' line written back gives the same class */
    for (int i = 0; i < a->n; i++) {
        const vw_count_t *x = &a->c[i], *y = &b->c[i];
        if (x->assessed != y->assessed)
            abort();
        if (x->assessed && (x->depth != y->depth || x->ref != y->ref || x->alt != y->alt || x->other != y->other
                            || x->discordant != y->discordant || x->alt_fwd != y->alt_fwd || x->alt_rev != y->alt_rev))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    const char *p = fz_write("ev.tsv", NULL, data, n);
    char path[128], p2[128], p3[128];
    snprintf(path, sizeof path, "%s", p);
    snprintf(p2, sizeof p2, "%s/ev2.tsv", fz_dir);
    snprintf(p3, sizeof p3, "%s/cache.tsv", fz_dir);
    vw_targets_t *ts = vw_targets_init();
    if (!ts)
        return 0;
    vw_sample_counts_t **v = NULL, **w = NULL;
    int nv = 0, nw = 0;
    if (vw_count_tsv_targets(path, ts) != 0 || (vw_targets_sort_unique(ts), ts->n == 0)
        || vw_count_read_tsv(path, ts, &v, &nv, NULL) != 0) {
        vw_targets_destroy(ts);
        return 0;
    }
    FILE *fp = fopen(p2, "w");
    if (!fp || vw_count_write_tsv(fp, ts, v, nv) != 0 || fclose(fp) != 0)
        abort();
    if (vw_count_read_tsv(p2, ts, &w, &nw, NULL) != 0 || nw != nv)
        abort(); /* a table we wrote must read back whole */
    for (int k = 0; k < nv; k++)
        same_counts(v[k], w[k]);
    for (int k = 0; k < nv; k++) {
        fp = fopen(p3, "w");
        if (!fp || vw_count_write_cache(fp, ts, v[k], "key\tof one draw") != 0 || fclose(fp) != 0)
            abort();
        vw_sample_counts_t *c = NULL;
        if (vw_count_read_cache(p3, ts, "key\tof one draw", &c) != 1)
            abort(); /* a cache entry we wrote must be taken back */
        same_counts(v[k], c);
        vw_sample_counts_destroy(c);
        c = NULL;
        if (vw_count_read_cache(p3, ts, "another key", &c) != 0 || c)
            abort(); /* ... and only under its own key */
        /* cut at a line boundary (the trailer lost): refused */
        fp = fopen(p3, "r+");
        if (!fp || fseek(fp, 0, SEEK_END) != 0)
            abort();
        long len = ftell(fp), cut = len - 2;
        while (cut > 0) {
            if (fseek(fp, cut, SEEK_SET) != 0)
                abort();
            if (fgetc(fp) == '\n')
                break;
            cut--;
        }
        fclose(fp);
        if (cut > 0 && truncate(p3, cut + 1) == 0 && vw_count_read_cache(p3, ts, "key\tof one draw", &c) == 1)
            abort();
        vw_sample_counts_destroy(c);
    }
    for (int k = 0; k < nv; k++)
        vw_sample_counts_destroy(v[k]);
    for (int k = 0; k < nw; k++)
        vw_sample_counts_destroy(w[k]);
    free(v);
    free(w);
    vw_targets_destroy(ts);
    return 0;
}
