/* fuzz_vcf_cache.c -- evidence from another caller's VCF, through the count
 * cache of 'run' and back: the fuzz input is a whole VCF; each sample
 * vw_vcfin_read() gives is written as a cache entry and must be read back
 * with the same counts.  (Sample names the command line refuses -- a
 * leading '#', a control character -- are skipped here as they are there:
 * no table reader can read such a row back.) */
#include "vafwatch/count.h"
#include "vafwatch/vcfin.h"
#include "fuzz_util.h"

static vw_targets_t *ts;

static int name_ok(const char *s)
{
    if (!*s || *s == '#')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!ts) {
        static const char tsv[] = "chrom\tpos\tref\talt\n"
                                  "sim1\t20\tA\tC\n"
                                  "chr7\t30\tAC\tGT\n"
                                  "sim1\t40\tATT\tA\n"
                                  "sim1\t50\tA\tAGG\n";
        ts = fz_targets(tsv);
        vw_targets_sort_unique(ts);
    }
    char cp[128];
    snprintf(cp, sizeof cp, "%s/cache.tsv", fz_dir);
    const char *path = fz_write("in.vcf", NULL, data, n);
    vw_sample_counts_t **v = NULL;
    int nv = 0;
    if (vw_vcfin_read(path, ts, NULL, &v, &nv) != 0)
        return 0;
    for (int k = 0; k < nv; k++) {
        const vw_sample_counts_t *a = v[k];
        if (!name_ok(a->sample))
            continue;
        FILE *fp = fopen(cp, "w");
        if (!fp || vw_count_write_cache(fp, ts, v[k], "vcf key") != 0 || fclose(fp) != 0)
            abort();
        vw_sample_counts_t *b = NULL;
        if (vw_count_read_cache(cp, ts, "vcf key", &b) != 1)
            abort(); /* what we wrote must come back */
        if (strcmp(a->sample, b->sample) != 0)
            abort();
        for (int i = 0; i < a->n; i++) {
            const vw_count_t *x = &a->c[i], *y = &b->c[i];
            if (x->assessed != y->assessed)
                abort();
            if (x->assessed && (x->depth != y->depth || x->ref != y->ref || x->alt != y->alt || x->other != y->other))
                abort();
        }
        vw_sample_counts_destroy(b);
    }
    for (int k = 0; k < nv; k++)
        vw_sample_counts_destroy(v[k]);
    free(v);
    return 0;
}
